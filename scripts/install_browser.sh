#!/usr/bin/env bash
# Chromium, for the test that opens the review report in a real browser (Playwright drives
# Debian's chromium through executable_path: no browser is downloaded by Playwright).
# Installed from Debian's packages when missing and we may (root with apt-get, ~1 min);
# otherwise the browser test is skipped with its reason locally, and fails under CI=true.
# Set ANONYMISER_NO_BROWSER=1 to leave the machine alone.
set -u
if command -v chromium >/dev/null 2>&1; then
    exit 0
fi
if [ -n "${ANONYMISER_NO_BROWSER:-}" ] || [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "Chromium not installed: the browser test will be skipped (needs root and apt-get)"
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core; } >/dev/null 2>&1; then
    echo "Chromium could not be installed: the browser test will be skipped (fails under CI=true)"
fi
exit 0
