#!/usr/bin/env bash
# Set-up shared by the README commands: pnpm (installed with npm), dependencies from the lockfile, build.
# Needs only Node 20+ and the npm registry.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export TURBO_TELEMETRY_DISABLED=1
export DO_NOT_TRACK=1
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true

PNPM_VERSION=$(node -p "require('./package.json').packageManager.split('@')[1]")
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  echo "› installing pnpm@$PNPM_VERSION with npm" >&2
  if ! npm install -g "pnpm@$PNPM_VERSION" >/dev/null 2>&1; then
    # No permission for a global install: keep it inside the repository instead.
    npm install --prefix .tools "pnpm@$PNPM_VERSION" >/dev/null
    export PATH="$PWD/.tools/node_modules/.bin:$PATH"
  fi
fi

echo "› pnpm install --frozen-lockfile" >&2
pnpm install --frozen-lockfile --reporter=silent
echo "› build" >&2
pnpm exec turbo run build --output-logs=errors-only >&2
