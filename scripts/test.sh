#!/usr/bin/env bash
# `make test`: every leg of the suite, then a summary of which legs ran.
#   lint       ruff check + ruff format --check + mypy (strict for profiler/; cache in var/mypy)
#   sqlite     pytest on the embedded defaults: SQLite, local-memory cache, in-memory channel layer
#   postgres   pytest on PostgreSQL (and Redis when REDIS_URL is set), when DATABASE_URL points at one
#   notebooks  pytest --nbval over notebooks/ (fresh SQLite seed under var/nbval)
#   notebooks-pg  every notebook executed on PostgreSQL (a fresh <name>_notebooks database), no error
#              allowed, and the PostgreSQL outputs recorded in the notebooks checked
#   compat     the profiler's tests on Python 3.11 + Django 5.2 LTS (.venv-compat)
# With REQUIRE_SERVICES=1 (CI), a leg that cannot run (no PostgreSQL, no Redis, no Python 3.11)
# is a failure, never a skip.
set -uo pipefail
cd "$(dirname "$0")/.."
REQUIRE="${REQUIRE_SERVICES:-0}"
PYTEST=(.venv/bin/python -m pytest -q)
declare -a SUMMARY=()
failed=0

note() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
record() {  # record NAME STATUS DETAIL
  SUMMARY+=("$(printf '%-10s %-8s %s' "$1" "$2" "$3")")
  case "$2" in FAILED) failed=1 ;; SKIPPED) [ "$REQUIRE" = 1 ] && failed=1 ;; esac
}
leg() {  # leg NAME DETAIL COMMAND...
  local name="$1" detail="$2"; shift 2
  note "$name: $detail"
  local start=$SECONDS
  if "$@"; then record "$name" PASSED "$detail ($((SECONDS - start))s)"
  else record "$name" FAILED "$detail ($((SECONDS - start))s)"; fi
}
unavailable() {  # unavailable NAME WHY
  if [ "$REQUIRE" = 1 ]; then note "$1: cannot run: $2"; record "$1" FAILED "cannot run: $2 (REQUIRE_SERVICES=1)"
  else note "$1: skipped: $2"; record "$1" SKIPPED "$2"; fi
}

if ! scripts/system_packages.sh; then
  [ "$REQUIRE" = 1 ] && { echo "make test: the Debian packages above are required (REQUIRE_SERVICES=1)"; exit 1; }
fi

redis_url="${REDIS_URL:-redis://127.0.0.1:6379/15}"
if ! .venv/bin/python -c "import redis,sys; redis.Redis.from_url(sys.argv[1], socket_connect_timeout=2).ping()" "$redis_url" 2>/dev/null; then
  if [ "$REQUIRE" = 1 ]; then unavailable redis "no Redis answers at $redis_url"; fi
fi

leg lint "ruff check + format + mypy" bash -c \
  '.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy'

leg sqlite "pytest on SQLite + in-memory layers" env -u DATABASE_URL -u REDIS_URL "${PYTEST[@]}" -m "not notebooks"

if [[ "${DATABASE_URL:-}" == postgres* ]]; then
  if .venv/bin/python manage.py checkdb; then
    leg postgres "pytest on PostgreSQL + bench/round_trips.py" bash -c \
      '.venv/bin/python -m pytest -q -m "not notebooks" && .venv/bin/python bench/round_trips.py' 
  else
    unavailable postgres "DATABASE_URL does not answer (see the message above)"
  fi
else
  unavailable postgres "DATABASE_URL is not set to a PostgreSQL URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)"
fi

leg notebooks "pytest --nbval over notebooks/ + solved notebooks" bash -c \
  'scripts/notebooks.sh test && env -u DATABASE_URL .venv/bin/python -m pytest -q -m notebooks'

if compat_python="$(scripts/find_python.sh --exact 3.11 2>/dev/null)"; then
  if make --no-print-directory install-compat >/dev/null; then
    leg compat "profiler tests on Python 3.11 + Django 5.2" \
      env -u DATABASE_URL .venv-compat/bin/python -m pytest -q tests/profiler
  else
    record compat FAILED "could not build .venv-compat with $compat_python"
  fi
else
  unavailable compat "no Python 3.11 found (needed for the Django 5.2 LTS leg)"
fi

if [[ "${DATABASE_URL:-}" == postgres* ]] && .venv/bin/python manage.py checkdb >/dev/null 2>&1; then
  leg notebooks-pg "every notebook executed on PostgreSQL, recorded PostgreSQL outputs checked" \
    scripts/notebooks.sh pg
else
  unavailable notebooks-pg "no PostgreSQL at DATABASE_URL to execute the notebooks on"
fi
leg leftovers "no process left behind by the legs" .venv/bin/python scripts/leftovers.py

note "summary"
printf '%s\n' "${SUMMARY[@]}"
if [ "$failed" = 1 ]; then echo "make test: FAILED"; exit 1; fi
echo "make test: all legs that ran passed"
