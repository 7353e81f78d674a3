#!/usr/bin/env bash
# Notebooks against a freshly seeded SQLite database under var/nbval (never the learner's var/).
#   scripts/notebooks.sh run  [NOTEBOOK...]   execute and save outputs in place (what gets committed)
#   scripts/notebooks.sh test [NOTEBOOK...]   verify committed outputs with pytest --nbval
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:?usage: scripts/notebooks.sh run|test [NOTEBOOK...]}"; shift
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
  *) echo "unknown mode $mode: use run or test" >&2; exit 2 ;;
esac
