#!/usr/bin/env bash
# scripts/infra/chromium.sh: Debian's chromium for the console's browser test (driven by playwright-core,
# which downloads no browser of its own).
#
#   install   idempotent: installs the `chromium` package with apt-get when /usr/bin/chromium is missing,
#             then prints the browser's path (last line): /usr/bin/chromium
#   path      prints the path, or fails when it is not installed
set -euo pipefail

SERVICE=chromium
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

BROWSER=/usr/bin/chromium

case "${1:-}" in
  install)
    if [ ! -x "$BROWSER" ]; then
      lock_service
      [ -x "$BROWSER" ] || apt_install chromium fonts-liberation
    fi
    [ -x "$BROWSER" ] || die "chromium is not at $BROWSER after the install"
    echo "$BROWSER"
    ;;
  path)
    [ -x "$BROWSER" ] || die "chromium is not installed: run $0 install"
    echo "$BROWSER"
    ;;
  *) usage "install|path" ;;
esac
