#!/usr/bin/env bash
# Print the path of a Python interpreter of version >= MIN (e.g. 3.12), or of exactly that minor
# version with --exact. Looks on PATH, then in pyenv's versions if pyenv is installed.
# Exits 1 with a message saying what to install when none is found.
set -euo pipefail
exact=0
if [ "${1:-}" = "--exact" ]; then exact=1; shift; fi
want="${1:?usage: find_python.sh [--exact] MAJOR.MINOR}"
want_minor="${want#*.}"

candidates=()
for minor in 15 14 13 12 11; do candidates+=("python3.$minor"); done
candidates+=(python3 python)
# pyenv's versions, whether or not pyenv's shims are on PATH.
roots=("${PYENV_ROOT:-}" "$HOME/.pyenv")
command -v pyenv >/dev/null 2>&1 && roots+=("$(pyenv root)")
for root in "${roots[@]}"; do
  [ -n "$root" ] || continue
  for dir in "$root"/versions/3.*; do [ -x "$dir/bin/python3" ] && candidates+=("$dir/bin/python3"); done
done

for candidate in "${candidates[@]}"; do
  path="$(command -v "$candidate" 2>/dev/null)" || continue
  minor="$("$path" -c 'import sys; print(sys.version_info[1] if sys.version_info[0] == 3 else -1)' 2>/dev/null)" || continue
  if { [ "$exact" = 1 ] && [ "$minor" = "$want_minor" ]; } || { [ "$exact" = 0 ] && [ "$minor" -ge "$want_minor" ]; }; then
    "$path" -c 'import venv, ensurepip' 2>/dev/null || continue
    "$path" -c 'import sys; print(sys.executable)'
    exit 0
  fi
done
if [ "$exact" = 1 ]; then what="Python $want"; else what="Python >= $want"; fi
echo "No $what found on PATH or in pyenv. Install one (e.g. 'pyenv install $want', or your" \
     "system's python$want package with venv support) and re-run." >&2
exit 1
