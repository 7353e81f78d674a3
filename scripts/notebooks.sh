#!/usr/bin/env bash
# Notebooks against a freshly seeded database (small, seed 0), never the learner's data.
#   scripts/notebooks.sh run  [NOTEBOOK...]    execute on SQLite (var/nbval) and save the outputs in place
#                                              (what gets committed)
#   scripts/notebooks.sh test [NOTEBOOK...]    verify the committed outputs on SQLite with pytest --nbval
#   scripts/notebooks.sh pg [--record] [NOTEBOOK...]
#                                              execute on PostgreSQL: a database <name>_notebooks next to
#                                              DATABASE_URL's, created and dropped by the run; fails on any
#                                              error and on a recorded PostgreSQL output that no longer
#                                              matches (--record writes those outputs instead)
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:?usage: scripts/notebooks.sh run|test|pg [--record] [NOTEBOOK...]}"; shift
if [ "$mode" = pg ]; then
  if [[ "${DATABASE_URL:-}" != postgres* ]]; then
    echo "scripts/notebooks.sh pg: set DATABASE_URL to a PostgreSQL URL, e.g." \
      "postgres://postgres@127.0.0.1:5432/mydb (a database mydb_notebooks is created next to it)" >&2
    exit 2
  fi
  record=0
  if [ "${1:-}" = --record ]; then record=1; shift; fi
  RECORD_POSTGRESQL_OUTPUTS=$record NOTEBOOKS="$*" exec .venv/bin/python -m pytest -q \
    -m "notebooks and postgres" tests/notebooks/test_postgresql.py
fi
mapfile -t books < <(if [ $# -gt 0 ]; then printf '%s\n' "$@"; else ls notebooks/[0-9]*.ipynb; fi)
export TUTORIAL_VAR_DIR="$PWD/var/nbval"
unset DATABASE_URL REDIS_URL
export DJANGO_SETTINGS_MODULE=tutorial_site.settings PYTHONHASHSEED=0 MPLBACKEND=module://matplotlib_inline.backend_inline
rm -rf "$TUTORIAL_VAR_DIR" && mkdir -p "$TUTORIAL_VAR_DIR"
.venv/bin/python manage.py migrate --verbosity 0
.venv/bin/python manage.py seed --size small --seed 0 --verbosity 0
case "$mode" in
  run)
    for book in "${books[@]}"; do
      echo "executing $book"
      .venv/bin/jupyter nbconvert --to notebook --execute --inplace \
        --ExecutePreprocessor.timeout=600 --ExecutePreprocessor.kernel_name=python3 "$book"
    done ;;
  test)
    .venv/bin/python -m pytest -p no:django -p no:profiler -o addopts="" -o testpaths=notebooks -W ignore::pytest.PytestConfigWarning \
      --nbval --nbval-current-env --nbval-sanitize-with notebooks/sanitize.cfg "${books[@]}" ;;
  *) echo "unknown mode $mode: use run, test or pg" >&2; exit 2 ;;
esac
