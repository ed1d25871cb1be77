#!/usr/bin/env bash
# Installs the Debian packages named as arguments that are not installed yet (a no-op, in a
# few milliseconds, when they all are). Tests call it on demand so that `npm test` works on a
# fresh machine: chromium for the webview and e2e tests, code-server's build dependencies.
set -euo pipefail
log() { echo "[apt-ensure] $*" >&2; }

missing=()
for pkg in "$@"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$pkg")
  fi
done
((${#missing[@]})) || exit 0

SUDO=()
if [[ "$(id -u)" != 0 ]]; then
  command -v sudo >/dev/null || { log "missing Debian packages (${missing[*]}) and no sudo to install them"; exit 1; }
  SUDO=(sudo)
fi
log "installing Debian packages: ${missing[*]}"
# Another process may be using apt at the same moment: wait for its lock instead of failing.
APT_OPTS=(-q -o DPkg::Lock::Timeout=600)
"${SUDO[@]}" apt-get "${APT_OPTS[@]}" update >&2
DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get "${APT_OPTS[@]}" install -y --no-install-recommends "${missing[@]}" >&2
