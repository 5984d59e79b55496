#!/usr/bin/env bash
# The browser tests drive Debian's Chromium headless (CONSOLE.md), with the CJK fonts so that Chinese renders (without
# them it is empty boxes in every screenshot). Install both when missing; say plainly what to do when we cannot.
set -euo pipefail
packages=(chromium fonts-noto-cjk)
if dpkg -s "${packages[@]}" >/dev/null 2>&1 && [ -x /usr/bin/chromium ]; then
  exit 0
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
  else
    echo "The browser tests need Chromium and CJK fonts: run 'apt-get install chromium fonts-noto-cjk' as root." >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
echo "Installing ${packages[*]} for the browser tests …"
if ! "${sudo[@]}" apt-get install -y --no-install-recommends "${packages[@]}" >/dev/null; then
  "${sudo[@]}" apt-get update >/dev/null && "${sudo[@]}" apt-get install -y --no-install-recommends "${packages[@]}" >/dev/null \
    || { echo "Could not install ${packages[*]} with apt-get: the browser tests cannot run." >&2; exit 1; }
fi
[ -x /usr/bin/chromium ] || { echo "apt-get installed chromium but /usr/bin/chromium is missing." >&2; exit 1; }
