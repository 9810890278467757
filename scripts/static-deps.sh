#!/usr/bin/env bash
# Front-end libraries from the npm registry, served by OneWindow itself (no CDN:
# a county hall's display may have no internet). package.json pins them;
# package-lock.json records what was installed. Idempotent: does nothing when
# the files are in place.
set -euo pipefail
cd "$(dirname "$0")/.."
target=workflows/dashboard/static/dashboard/vendor
if [ -f "$target/echarts.min.js" ] && [ "$target/echarts.min.js" -nt package-lock.json ]; then
  exit 0
fi
command -v npm >/dev/null || {
  echo "OneWindow needs Node.js and npm to fetch ECharts for the dashboard (Debian: apt-get install nodejs npm)." >&2
  exit 1
}
npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
mkdir -p "$target"
cp node_modules/echarts/dist/echarts.min.js "$target/echarts.min.js"
cp node_modules/echarts/LICENSE "$target/LICENSE-echarts"
echo "ECharts $(node -p "require('./node_modules/echarts/package.json').version") ready for the dashboard"
