#!/usr/bin/env bash
# Run the official Array API test suite (data-apis/array-api-tests) against arraybridge.
#
#   tests/official/run.sh PATH_TO_ARRAY_API_TESTS_CHECKOUT [extra pytest args...]
#
# The checkout must have its `array-api` submodule initialised (see docs or
# ../shared/array-api-tests.md). Runs in standard semantics with 50 examples per test,
# derandomized, on the backend named by ARRAYBRIDGE_BACKEND (default numpy), using the
# deliberate, documented deviations listed in tests/official/xfails.txt.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
suite="${1:?usage: tests/official/run.sh PATH_TO_ARRAY_API_TESTS [pytest args...]}"
shift
python="${PYTHON:-python}"
cd "$suite"
export ARRAY_API_TESTS_MODULE=arraybridge ARRAYBRIDGE_SEMANTICS=standard
# Note: "--opt=value" in one word: pytest loads the conftest.py of every path-like argument,
# and tests/conftest.py (our own suite's) must not apply to the official suite.
exec "$python" -m pytest array_api_tests/ \
    --max-examples="${MAX_EXAMPLES:-50}" --derandomize --disable-deadline \
    --xfails-file="$here/xfails.txt" -p no:cacheprovider -q "$@"
