#!/usr/bin/env bash
# Printed documents (libs.documents) are set in Debian's Noto CJK fonts: install them when missing (as root), or stop
# saying what to run. 打印文书需要中文字体 fonts-noto-cjk。
set -euo pipefail
package=fonts-noto-cjk
font=/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc
if [ -n "${JIUZHU_CJK_FONT:-}" ] && [ -f "${JIUZHU_CJK_FONT}" ]; then
  exit 0
fi
if dpkg -s "$package" >/dev/null 2>&1 && [ -f "$font" ]; then
  exit 0
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
  else
    echo "未安装中文字体：请以 root 运行 'apt-get install fonts-noto-cjk'。" >&2
    echo "Printed documents need CJK fonts: run 'apt-get install fonts-noto-cjk' as root." >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
echo "Installing $package for printed documents …"
if ! "${sudo[@]}" apt-get install -y --no-install-recommends "$package" >/dev/null; then
  "${sudo[@]}" apt-get update >/dev/null && "${sudo[@]}" apt-get install -y --no-install-recommends "$package" >/dev/null \
    || { echo "Could not install $package with apt-get: documents cannot be printed. 无法安装中文字体。" >&2; exit 1; }
fi
[ -f "$font" ] || { echo "apt-get installed $package but $font is missing." >&2; exit 1; }
