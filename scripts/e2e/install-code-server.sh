#!/usr/bin/env bash
# Installs code-server (a full VS Code: web workbench, server and Node extension host) into a
# cache folder, on demand, for the end-to-end tests. It is deliberately not a dependency: it is
# ~300 MB and needs native builds, so `npm ci` must not pay for it.
#
# Idempotent: when the pinned version is already installed it only prints where it is.
# Prints the path of the code-server launcher as its last line of stdout.
#
# Environment:
#   SEQMODEL_E2E_CACHE   cache folder (default: <repo>/.cache/code-server)
set -euo pipefail

# 4.100.3 is the newest code-server whose engines accept Node 20 (newer ones want 22 or 24).
VERSION=4.100.3
# @vscode/ripgrep 1.15.11 (shipped inside code-server 4.100.3) downloads rg from GitHub in its
# postinstall, which cannot be reached here. It first looks for this tarball in a cache under
# $TMPDIR, so we put Debian's rg there. Re-check both names whenever VERSION changes.
RIPGREP_PKG_VERSION=1.15.11
RIPGREP_BINARY_VERSION=v13.0.0-10

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
CACHE="${SEQMODEL_E2E_CACHE:-$ROOT/.cache/code-server}"
INSTALL_DIR="$CACHE/install"
LAUNCHER="$INSTALL_DIR/node_modules/.bin/code-server"
MARKER="$INSTALL_DIR/.installed-$VERSION"

log() { echo "[install-code-server] $*" >&2; }

if [[ -f "$MARKER" && -x "$LAUNCHER" ]]; then
  log "code-server $VERSION already installed in $INSTALL_DIR"
  echo "$LAUNCHER"
  exit 0
fi

# --- Debian packages: rg and chromium at run time, the rest to build node-pty and friends. ---
bash "$(dirname "${BASH_SOURCE[0]}")/../apt-ensure.sh" ripgrep chromium libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config build-essential python3

# --- Contained temp dir holding the ripgrep "download" cache. ---
mkdir -p "$CACHE/tmp"
export TMPDIR="$CACHE/tmp"
case "$(uname -m)" in
  x86_64) RG_TARGET=x86_64-unknown-linux-musl ;;
  aarch64) RG_TARGET=aarch64-unknown-linux-musl ;;
  *) log "unsupported architecture $(uname -m)"; exit 1 ;;
esac
RG_CACHE="$TMPDIR/vscode-ripgrep-cache-$RIPGREP_PKG_VERSION"
mkdir -p "$RG_CACHE"
tar czf "$RG_CACHE/ripgrep-$RIPGREP_BINARY_VERSION-$RG_TARGET.tar.gz" -C "$(dirname "$(command -v rg)")" rg

# --- npm install into a staging folder, moved into place only when complete, so an
# interrupted install is never mistaken for a finished one. ---
STAGING="$CACHE/staging"
rm -rf "$STAGING"
mkdir -p "$STAGING"
echo '{ "name": "seqmodel-e2e-code-server", "private": true }' > "$STAGING/package.json"
log "npm install code-server@$VERSION (1-2 minutes)"
start=$(date +%s)
(
  cd "$STAGING"
  # node-pty's postinstall runs `npx node-gyp`: answer npx's prompt; build against the
  # installed Node headers (/usr/include/node) instead of downloading them.
  npm_config_yes=true npm_config_nodedir="${npm_config_nodedir:-/usr}" \
    npm install --unsafe-perm --foreground-scripts --no-audit --no-fund --no-save \
    "code-server@$VERSION" >&2
)
touch "$STAGING/.installed-$VERSION"
rm -rf "$INSTALL_DIR"
mv "$STAGING" "$INSTALL_DIR"
log "installed in $(( $(date +%s) - start )) s: $INSTALL_DIR"
echo "$LAUNCHER"
