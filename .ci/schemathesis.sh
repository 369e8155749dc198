#!/usr/bin/env bash
# The API fuzzed against its own OpenAPI schema (schemathesis), in-process through WSGI, as a token-authenticated
# member of the training section over a small demo organisation (tests/api/test_schemathesis.py). Fails on any 5xx
# or any response that breaks the schema. Bounded: SCHEMATHESIS_MAX_EXAMPLES examples per operation and mode
# (positive and negative). Uses DATABASE_URL if set (PostgreSQL in .ci/run), else SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
export SCHEMATHESIS_MAX_EXAMPLES="${SCHEMATHESIS_MAX_EXAMPLES:-20}"
export SCHEMATHESIS_REPORT="${SCHEMATHESIS_REPORT:-$(mktemp)}"
started=$(date +%s)
.venv/bin/python -m pytest -p no:randomly tests/api/test_schemathesis.py "$@"
echo "schemathesis: $(cat "$SCHEMATHESIS_REPORT") in $(( $(date +%s) - started )) s," \
     "at most $SCHEMATHESIS_MAX_EXAMPLES examples per operation and mode; 0 5xx, 0 schema violations"
