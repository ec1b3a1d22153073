#!/usr/bin/env bash
# The whole test suite, from a fresh clone: bootstrap, typecheck, every package's tests (a real S3-compatible
# server and loopback HTTP servers are started by the tests themselves), then one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/bootstrap.sh || { echo "0 passed, 1 failed"; exit 1; }

status=0
typecheck=0
echo "› typecheck" >&2
pnpm exec turbo run typecheck --output-logs=errors-only >&2 || typecheck=1
# Lint and format check (Biome): a violation counts as one failed check.
echo "› lint" >&2
bash scripts/lint.sh >&2 || typecheck=1

source scripts/chromium.sh

mkdir -p .test-results
rm -f .test-results/vitest.json
echo "› tests" >&2
pnpm exec vitest run --reporter=default --reporter=json --outputFile.json=.test-results/vitest.json || status=1

node scripts/test-summary.mjs .test-results/vitest.json $typecheck || status=1
exit $status
