#!/usr/bin/env bash
# Install the Debian packages the lab's tests and services use, when they are missing:
#   chromium (browser tests, driven by Playwright), graphviz (graph_models diagram),
#   pgbouncer, nginx and redis-server (notebook 07's services).
# Needs root (or sudo) and apt-get; elsewhere it prints what to install and exits 1.
#   scripts/system_packages.sh            install what is missing
#   scripts/system_packages.sh --check    only report what is missing (exit 1 if anything is)
set -euo pipefail
declare -A BINARY=([chromium]=/usr/bin/chromium [graphviz]=/usr/bin/dot [pgbouncer]=/usr/sbin/pgbouncer [nginx]=/usr/sbin/nginx [redis-server]=/usr/bin/redis-server)
missing=()
for package in "${!BINARY[@]}"; do
  [ -x "${BINARY[$package]}" ] || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "${1:-}" = "--check" ]; then
  echo "missing Debian packages: ${missing[*]} (run scripts/system_packages.sh as root)" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null; then
  echo "Install these packages with your system's package manager: ${missing[*]}" >&2
  exit 1
fi
sudo=()
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null; then sudo=(sudo); else
    echo "Missing ${missing[*]}: run 'apt-get install ${missing[*]}' as root." >&2; exit 1
  fi
fi
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# The packages' own services are not wanted: the lab starts its own instances on free ports.
for service in nginx pgbouncer; do
  if command -v service >/dev/null && [ -e "/etc/init.d/$service" ]; then "${sudo[@]}" service "$service" stop >/dev/null 2>&1 || true; fi
done
echo "Installed: ${missing[*]}"
