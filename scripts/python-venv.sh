#!/usr/bin/env bash
# Creates .venv-test/ at the repository root with the pins in
# scripts/python-requirements.txt, plus the MLflow 2.x client in
# .venv-test/mlflow2/. Reuses the venv when it was built from the same pin file.
set -euo pipefail
cd "$(dirname "$0")/.."

requirements=scripts/python-requirements.txt
venv=.venv-test
stamp="$venv/.requirements.sha256"
wanted=$(sha256sum "$requirements" | cut -d' ' -f1)

if [[ -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$wanted" ]]; then
  echo "python-venv: $venv matches $requirements, reusing it"
  exit 0
fi

echo "python-venv: building $venv from $requirements"
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"

mlflow2_pins=$(sed -n 's/^#mlflow2 //p' "$requirements")
if [[ -n "$mlflow2_pins" ]]; then
  # shellcheck disable=SC2086 # one pin per word
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps \
    --target "$venv/mlflow2" $mlflow2_pins
fi

echo "$wanted" > "$stamp"
echo "python-venv: $venv is ready"
