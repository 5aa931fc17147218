#!/usr/bin/env bash
# Creates the venvs that packages/server/test/python/ runs its scripts in:
#   sdk        .venv-otel/            from scripts/python-otel-requirements.txt
#   traceloop  .venv-otel-traceloop/  from scripts/python-otel-requirements-traceloop.txt
# Usage: python-otel-venv.sh [sdk|traceloop]...   (default: both)
# Reuses a venv that was built from the same pin file. A lock file per venv
# lets test files run this script at the same time.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v python3 > /dev/null; then
  echo "python-otel-venv: python3 is not on PATH, so no venv is built and the Python instrumentation tests skip"
  exit 0
fi

build_venv() {
  local requirements=$1 venv=$2
  local stamp="$venv/.requirements.sha256"
  local wanted
  wanted=$(sha256sum "$requirements" | cut -d' ' -f1)

  exec {lock}>"$venv.lock"
  flock "$lock"
  if [[ -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$wanted" ]]; then
    echo "python-otel-venv: $venv matches $requirements, reusing it"
    exec {lock}>&-
    return 0
  fi

  echo "python-otel-venv: building $venv from $requirements"
  local started=$SECONDS
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
  echo "$wanted" > "$stamp"
  echo "python-otel-venv: $venv is ready after $((SECONDS - started)) s"
  exec {lock}>&-
}

names=("$@")
[[ ${#names[@]} -eq 0 ]] && names=(sdk traceloop)
for name in "${names[@]}"; do
  case "$name" in
    sdk) build_venv scripts/python-otel-requirements.txt .venv-otel ;;
    traceloop) build_venv scripts/python-otel-requirements-traceloop.txt .venv-otel-traceloop ;;
    *)
      echo "python-otel-venv: unknown venv '$name'; expected sdk or traceloop" >&2
      exit 2
      ;;
  esac
done
