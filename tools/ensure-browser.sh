#!/usr/bin/env bash
# Make sure the browser tests have a Chromium, or stop with one line saying what to install.
#
# In order: $AMPARO_CHROMIUM or Debian's /usr/bin/chromium when present; Debian's package when
# running as root with apt-get; Playwright's managed Chromium otherwise. Prints the browser's path
# on success (the tests read it from $AMPARO_CHROMIUM, or use Playwright's own when it says
# "playwright").
set -uo pipefail

VENV_BIN=${1:-.venv/bin}
DEBIAN=${AMPARO_DEBIAN_CHROMIUM:-/usr/bin/chromium}  # overridable for the script's own test
say() { echo "$*" >&2; }

works() { "$1" --version >/dev/null 2>&1; }

if [ -n "${AMPARO_CHROMIUM:-}" ] && works "$AMPARO_CHROMIUM"; then
  echo "$AMPARO_CHROMIUM"; exit 0
fi
if works "$DEBIAN"; then
  echo "$DEBIAN"; exit 0
fi
INSTALL=${AMPARO_BROWSER_INSTALL:-1}  # 0: only look, never install
if [ "$INSTALL" = 1 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  say "Installing Debian's chromium for the browser tests (apt-get install chromium)..."
  if { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } >&2 \
     && works "$DEBIAN"; then
    echo "$DEBIAN"; exit 0
  fi
fi
if [ "$INSTALL" = 1 ] && [ -x "$VENV_BIN/playwright" ]; then
  say "Installing Playwright's Chromium for the browser tests (playwright install chromium)..."
  if "$VENV_BIN/playwright" install chromium >&2; then
    echo playwright; exit 0
  fi
fi
say "The browser tests need Chromium: install it (Debian/Ubuntu: sudo apt-get install chromium) or run .venv/bin/playwright install chromium, then run make test again."
exit 1
