#!/usr/bin/env bash
# Runs every check and test: type checking, lint, formatting, and the whole
# vitest suite (unit, integration against real servers, browser end-to-end).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-test-deps.sh
npm run build:web
npm run typecheck
npm run lint

bash scripts/python-venv.sh
bash scripts/python-otel-venv.sh
mkdir -p test-artifacts
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=test-artifacts/vitest.json "$@" || status=$?
node scripts/print-test-counts.mjs test-artifacts/vitest.json
exit $status
