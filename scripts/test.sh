#!/usr/bin/env bash
# Install khabar with its test dependencies in .venv and run the test suite.
# The browser tests drive Debian's Chromium, the storage tests start Debian's PostgreSQL server:
# both installed here with apt-get when missing (as root).
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    missing+=(chromium chromium-driver)
fi
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    missing+=(postgresql)
fi
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = "0" ]; then
        echo "installing Debian's ${missing[*]} for the browser and storage tests ..."
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        echo "the tests need Debian's ${missing[*]}: sudo apt-get install ${missing[*]}" >&2
    fi
fi
python3 -m venv .venv
.venv/bin/pip install -q -e '.[test]'
exec .venv/bin/python -m pytest "$@"
