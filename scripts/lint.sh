#!/usr/bin/env bash
# Lint and format check of the whole repository (Biome, configured in biome.json): prints each violation
# and exits non-zero when there is one. `pnpm format` rewrites files into the expected format.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec pnpm exec biome check --error-on-warnings .
