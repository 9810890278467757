#!/usr/bin/env bash
# Bounded mutation testing (mutmut 2) of the rule modules: the clock, the calendar
# engine and the light (workflows/cases/lights.py). Runs in a throw-away copy of the
# tree, so the working tree is never mutated; stops after MUTATION_SECONDS.
# Results: docs/rules.md ("Mutation testing").
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${MUTATION_DIR:-$(mktemp -d /tmp/onewindow-mutation.XXXXXX)}"
SECONDS_BUDGET="${MUTATION_SECONDS:-1800}"
PATHS="${MUTATION_PATHS:-workflows/cases/clock.py,workflows/cases/lights.py,workflows/calendar/engine.py}"
# Fast tests that need no database: every mutant runs them.
TESTS="tests/workflows/cases/test_rules__clock_pure.py tests/workflows/cases/test_rules__light.py \
tests/workflows/calendar/test_engine__add_working_days.py tests/workflows/calendar/test_engine__working_days_between.py \
tests/workflows/calendar/test_engine__provisional.py"
rsync -a --exclude .venv --exclude var --exclude node_modules --exclude .git --exclude mutants "$ROOT/" "$WORK/"
cd "$WORK"
export PYTHONPATH="$WORK"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.test}"
RUNNER="$ROOT/.venv/bin/python -m pytest -x -q -p no:cacheprovider -m 'not django_db' --deselect tests/workflows/calendar/test_engine__add_working_days.py::test_worked_examples_on_the_database_calendar $TESTS"
echo "mutating $PATHS in $WORK for at most ${SECONDS_BUDGET}s"
timeout "$SECONDS_BUDGET" "$ROOT/.venv/bin/mutmut" run --paths-to-mutate "$PATHS" \
  --runner "$RUNNER" --tests-dir tests --no-progress || true
"$ROOT/.venv/bin/mutmut" results || true
echo "mutmut cache: $WORK/.mutmut-cache (mutmut show <id> in $WORK)"
