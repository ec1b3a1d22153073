#!/usr/bin/env bash
# The main job on the embedded default (local storage, offline learning): a bundled on-call session of real
# Claude Code hook payloads goes through the real hook command into a temporary project, then gets summarised.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/bootstrap.sh
exec node scripts/demo.mjs "$@"
