#!/usr/bin/env bash
# Installs what the test suite needs beyond npm packages: Debian's Chromium for
# the browser tests, and Prometheus, promtool and Alertmanager for the Prometheus
# export tests. Safe to run repeatedly; it installs only what is missing.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v prometheus >/dev/null || missing+=(prometheus)
command -v prometheus-alertmanager >/dev/null || missing+=(prometheus-alertmanager)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "install-test-deps: missing Debian packages: ${missing[*]}; run this script as root or install them with apt-get" >&2
    exit 1
  fi
  echo "install-test-deps: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
