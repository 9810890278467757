#!/usr/bin/env bash
# Install the system libraries OneWindow needs, when they are missing.
#   WeasyPrint: Pango, HarfBuzz with its subsetter (without libharfbuzz-subset0
#   WeasyPrint silently falls back to a 47x slower font subsetter), CJK fonts.
#   Tests: poppler-utils (pdftotext), libzbar0 (reads QR codes back) and chromium
#   (the browser journeys in tests/e2e, driven by Playwright through its path).
# Installs with apt-get as root or through sudo; otherwise prints the one
# command to run and stops.
set -euo pipefail

packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-noto-cjk
          poppler-utils libzbar0 gettext chromium)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

command -v apt-get >/dev/null || {
  echo "OneWindow needs these system packages: ${missing[*]}" >&2
  echo "This is not a Debian/Ubuntu system: install their equivalents, then run make again." >&2
  exit 1
}

cmd=(apt-get install -y --no-install-recommends "${missing[@]}")
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo=(sudo)
else
  echo "OneWindow needs these system packages: ${missing[*]}" >&2
  echo "Run this once, then run make again:" >&2
  echo "  sudo apt-get update && sudo ${cmd[*]}" >&2
  exit 1
fi
echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" "${cmd[@]}" >/dev/null
