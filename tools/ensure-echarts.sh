#!/usr/bin/env bash
# The console's charts (统计分析) are drawn by Apache ECharts, served by the console itself from its static folder: a
# government extranet reaches no CDN. Installed with npm at a pinned version into a git-ignored folder, checked
# against the file's known sha256, and copied to console/static/vendor/. 统计图表使用 ECharts，由本脚本安装。
set -euo pipefail
version=6.1.0
sha256=b66b25aeb4df84e33199dc21694014d336d222cbd9deb0e5a7c14bd6aa0d0fd0
root="$(cd "$(dirname "$0")/.." && pwd)"
vendor="$root/console/static/vendor"
target="$vendor/echarts.min.js"
if [ -f "$target" ] && echo "$sha256  $target" | sha256sum --check --status; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  # As tools/ensure-browser.sh does for Chromium: Debian's npm, installed when we may (root or password-less sudo).
  sudo=()
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo=(sudo -n); fi
  if [ "$(id -u)" -eq 0 ] || [ ${#sudo[@]} -gt 0 ]; then
    echo "Installing npm for the console's charts …"
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get install -y --no-install-recommends npm >/dev/null 2>&1 \
      || { "${sudo[@]}" apt-get update >/dev/null && "${sudo[@]}" apt-get install -y --no-install-recommends npm >/dev/null; } \
      || true
  fi
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "未安装 npm：统计图表需要 ECharts，请先安装 Node.js 与 npm（apt-get install npm）后重试。" >&2
  echo "The console's charts need npm to install ECharts $version: run 'apt-get install npm' as root." >&2
  exit 1
fi
work="$root/.data/echarts-npm"
rm -rf "$work"
mkdir -p "$work" "$vendor"
echo "Installing echarts@$version for the console's charts …"
# No package.json, no lock file: nothing is saved, so no registry address is written anywhere in the repository.
npm install --prefix "$work" --no-package-lock --no-save --ignore-scripts --no-audit --no-fund --loglevel=error \
  "echarts@$version" >/dev/null
built="$work/node_modules/echarts/dist/echarts.min.js"
if ! echo "$sha256  $built" | sha256sum --check --status; then
  echo "echarts@$version from npm does not match its known sha256: not installed. ECharts 校验失败。" >&2
  exit 1
fi
cp "$built" "$target"
cp "$work/node_modules/echarts/LICENSE" "$vendor/ECHARTS-LICENSE"
rm -rf "$work"
