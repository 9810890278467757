#!/usr/bin/env bash
# Mutation testing (mutmut 2) of the rule modules: the clock, the calendar engine
# and the light (workflows/cases/lights.py). Runs in a throw-away copy of the tree,
# so the working tree is never mutated; stops after MUTATION_SECONDS.
# Results: docs/rules.md ("Mutation testing").
#
# Cheap per mutant: only the database-free rule tests of those modules run, copied
# into mutation_tests/ of the copy with a minimal conftest (django.setup() and the
# reference calendar; no plugin autoload, no database, no coverage), stopping at the
# first failure (-x). One runner call is Django's import time plus ~4 s of tests.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${MUTATION_DIR:-$(mktemp -d /tmp/onewindow-mutation.XXXXXX)}"
SECONDS_BUDGET="${MUTATION_SECONDS:-1800}"
PATHS="${MUTATION_PATHS:-workflows/cases/clock.py,workflows/cases/lights.py,workflows/calendar/engine.py}"
TESTS="tests/workflows/cases/test_rules__clock_pure.py tests/workflows/cases/test_rules__light.py \
tests/workflows/calendar/test_engine__add_working_days.py tests/workflows/calendar/test_engine__working_days_between.py \
tests/workflows/calendar/test_engine__provisional.py"
rsync -a --delete --exclude .venv --exclude var --exclude node_modules --exclude .git \
  --exclude mutants --exclude .mutmut-cache --exclude mutation_run.sh "$ROOT/" "$WORK/"
cd "$WORK"
mkdir -p mutation_tests
for test in $TESTS; do cp "$test" "mutation_tests/$(basename "$test")"; done
cat > mutation_tests/conftest.py <<'PY'
"""The database-free rule tests, without pytest-django: django.setup() and the reference calendar."""

import django
import pytest

django.setup()

from workflows.calendar import api  # noqa: E402
from workflows.calendar.engine import WorkingCalendar  # noqa: E402
from workflows.calendar.seed import seed_arrangements  # noqa: E402


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    api.invalidate()
    yield
    api.invalidate()


@pytest.fixture(scope="session")
def reference_calendar() -> WorkingCalendar:
    arrangements = seed_arrangements()
    days = {spec.day: spec.kind for arrangement in arrangements for spec in arrangement.days}
    return WorkingCalendar(days, [arrangement.year for arrangement in arrangements])
PY
printf '[pytest]\nmarkers =\n    django_db\n' > mutation_tests/pytest.ini
export PYTHONPATH="$WORK"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.test}"
# The rule tests never open a connection, but without DATABASE_URL the settings
# start an embedded PostgreSQL in the copy's var/ (and leave it running): name
# one that is never reached instead.
export DATABASE_URL="${DATABASE_URL:-postgres://mutation@127.0.0.1:9/unused}"
# No plugin autoload: no pytest-django, Playwright, coverage or Hypothesis per run.
export PYTEST_DISABLE_PLUGIN_AUTOLOAD=1
# mutmut 2 counts only exit status 1 as "killed": a mutant that breaks the import
# (pytest exits 2, a collection error) would be reported as survived. Map any
# failure to 1.
cat > mutation_run.sh <<SH
#!/usr/bin/env bash
"$ROOT/.venv/bin/python" -m pytest -x -q -p no:cacheprovider -c mutation_tests/pytest.ini \\
  --rootdir mutation_tests -m 'not django_db' mutation_tests || exit 1
SH
RUNNER="bash mutation_run.sh"
echo "mutating $PATHS in $WORK for at most ${SECONDS_BUDGET}s"
timeout "$SECONDS_BUDGET" "$ROOT/.venv/bin/mutmut" run --paths-to-mutate "$PATHS" \
  --runner "$RUNNER" --tests-dir mutation_tests --no-progress || true
"$ROOT/.venv/bin/mutmut" results || true
echo "mutmut cache: $WORK/.mutmut-cache (mutmut show <id> in $WORK)"
