#!/usr/bin/env bash
# LibreOffice for the test that pseudonymises a .docx written by LibreOffice itself.
# Installed from Debian's packages when missing and we may (root with apt-get, ~30 s);
# otherwise that one test is skipped with its reason. Never fails the build.
# Set ANONYMISER_NO_OFFICE=1 to leave the machine alone.
set -u
if command -v soffice >/dev/null 2>&1 || command -v libreoffice >/dev/null 2>&1; then
    exit 0
fi
if [ -n "${ANONYMISER_NO_OFFICE:-}" ] || [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "LibreOffice not installed: its test will be skipped (needs root and apt-get)"
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui; } >/dev/null 2>&1; then
    echo "LibreOffice could not be installed: its test will be skipped"
fi
exit 0
