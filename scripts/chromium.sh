#!/usr/bin/env bash
# Debian's Chromium for the viewer's browser tests (Playwright's own browser download cannot work offline).
# Installs it with apt when it is missing and this user can; otherwise says so, and the browser tests fail.
if [ -x "${RUNBOOK_CHROMIUM:-/usr/bin/chromium}" ]; then return 0 2>/dev/null || exit 0; fi
echo "› installing chromium (Debian package) for the browser tests" >&2
sudo_cmd=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo_cmd="sudo -n"; else
    echo "runbook tests: chromium is missing and cannot be installed without root; the browser tests will fail" >&2
    return 0 2>/dev/null || exit 0
  fi
fi
if ! { $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium; } >&2; then
  echo "runbook tests: apt-get could not install chromium; the browser tests will fail" >&2
fi
