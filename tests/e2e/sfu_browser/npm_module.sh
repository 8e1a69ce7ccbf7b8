#!/usr/bin/env bash
# npm_module.sh DIR MODULE: makes sure MODULE — playwright-core (drives
# Chromium) or puppeteer-core (drives Firefox ESR over WebDriver BiDi), each
# pinned — is installed under DIR (npm, from the public registry) and prints
# the path to require(). Fails with the reason when npm or the registry is
# unavailable: a browser test that cannot run is a failure, never a skip.
set -euo pipefail
dir=$1 name=$2
case "$name" in
  # playwright-core 1.65 needs Node 20 (NodeSource); Debian 12's Node 18 gets 1.49.
  playwright-core)
    if [ "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)" -ge 20 ]; then
      version=1.65.1
    else
      version=1.49.1
    fi ;;
  puppeteer-core) version=25.19.0 ;;
  *) echo "npm_module.sh: unknown module $name" >&2; exit 1 ;;
esac
module="$dir/node_modules/$name"
if [ -f "$module/package.json" ] && grep -q "\"version\": \"$version\"" "$module/package.json"; then
  echo "$module"
  exit 0
fi
command -v npm >/dev/null || { echo "npm_module.sh: npm is missing (bash scripts/deps.sh installs it)" >&2; exit 1; }
mkdir -p "$dir"
timeout 300 npm install --silent --no-audit --no-fund --prefix "$dir" "$name@$version" >&2 ||
  { echo "npm_module.sh: npm install $name@$version failed" >&2; exit 1; }
echo "$module"
