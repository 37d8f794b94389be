#!/usr/bin/env bash
# Install khabar with its test dependencies in .venv and run the test suite.
# The browser tests drive Debian's Chromium: installed here with apt-get when missing (as root).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    if [ "$(id -u)" = "0" ]; then
        echo "installing Debian's chromium and chromium-driver for the browser tests ..."
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
    else
        echo "the browser tests need chromium and chromedriver: sudo apt-get install chromium chromium-driver" >&2
    fi
fi
python3 -m venv .venv
.venv/bin/pip install -q -e '.[test]'
exec .venv/bin/python -m pytest "$@"
