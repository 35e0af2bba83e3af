#!/usr/bin/env bash
# Builds the shared benchmark corpus at 1,000 and 10,000 pairs with portail,
# indexes the built site with Pagefind 1.6 as well, and prints what ten first
# queries fetch and how long they take with each (bench/search-size.js).
#   bench/search-size.sh [WORK_DIR]   (default /tmp/portail-search-bench; on
#   the ordinary disk, not tmpfs, for figures comparable with the others)
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-/tmp/portail-search-bench}"
corpus_script="${GEN_CORPUS:-../shared/bench/gen_corpus.py}"
portail="${PORTAIL_BIN:-target/release/portail}"
[ -x "$portail" ] || cargo build --release
mkdir -p "$work/pagefind"
[ -x "$work/pagefind/node_modules/.bin/pagefind" ] ||
  npm install --prefix "$work/pagefind" --no-audit --no-fund pagefind@1.6.0 >/dev/null
for pairs in 1000 10000; do
  site="$work/site-$pairs"
  rm -rf "$site"
  python3 "$corpus_script" --pairs "$pairs" --flavor portail --out "$site" >/dev/null
  cp bench/shared-config.toml "$site/config.toml"
  "$portail" build --root "$site" --output "$site/public" >/dev/null
  "$work/pagefind/node_modules/.bin/pagefind" --site "$site/public" >/dev/null
  echo "## $pairs pairs (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
  du -sh "$site/public/search/fr" "$site/public/pagefind" | sed 's/^/    /'
  node bench/search-size.js "$site/public" fr recherche/
done
