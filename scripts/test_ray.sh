#!/usr/bin/env bash
# The Ray executor's tests (pytest -m ray) against a real local Ray: installs khabar's 'ray'
# extra into .venv (scripts/test.sh, the README's test command, neither installs nor needs Ray).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q -e '.[test,ray]'
exec .venv/bin/python -m pytest -m ray "$@"
