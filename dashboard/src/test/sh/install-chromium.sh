#!/usr/bin/env bash
# Installs Debian's headless browser for the dashboard's browser test and the dashboard-load
# benchmark when it is absent: chromium and its matching chromium-driver (/usr/bin/chromedriver).
set -euo pipefail
if [[ -x /usr/bin/chromedriver && -x /usr/bin/chromium ]]; then
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "install-chromium.sh: chromium/chromium-driver missing and not root; run: sudo apt-get install -y chromium chromium-driver" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -q chromium chromium-driver >&2; then
  apt-get update -q >&2
  apt-get install -y -q chromium chromium-driver >&2
fi
