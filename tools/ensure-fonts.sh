#!/usr/bin/env bash
# Make sure the PDFs have a font for every script, or say in one line what to install.
#
# Noto Sans and Noto Sans Arabic come from PyPI (requirements.lock); Ethiopic (Amharic) and
# Chinese are not packaged there, so they come from Debian: fonts-noto-core (Noto Sans Ethiopic,
# and static Bold weights for Latin and Arabic) and fonts-wqy-microhei (WenQuanYi Micro Hei; Noto
# Sans CJK is PostScript-outlined, which ReportLab cannot embed). Installs them when running as
# root with apt-get; never fails the caller: a missing script is also a start-up warning.
set -uo pipefail

DIR=${AMPARO_FONT_DIR:-/usr/share/fonts/truetype}  # overridable for the script's own test
have() { [ -f "$DIR/noto/NotoSansEthiopic-Regular.ttf" ] && [ -f "$DIR/wqy/wqy-microhei.ttc" ]; }

have && exit 0
INSTALL=${AMPARO_FONTS_INSTALL:-1}  # 0: only look, never install
if [ "$INSTALL" = 1 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's fonts for the PDFs (apt-get install fonts-noto-core fonts-wqy-microhei)..." >&2
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-core fonts-wqy-microhei >/dev/null; } >&2
  have && exit 0
fi
echo "PDFs need fonts for Amharic and Chinese names: sudo apt-get install fonts-noto-core fonts-wqy-microhei" >&2
exit 0
