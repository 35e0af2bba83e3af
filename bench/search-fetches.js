// What the sharded search fetches for queries of each kind (words,
// wildcards, fuzzy terms, a word being typed), without a browser: files
// and bytes gzipped, read from a built site's search folder.
//   node bench/search-fetches.js <public dir> <lang> [query…]
//   (a query ending in "…" is a word being typed: the last word is a prefix)
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const zlib = require("node:zlib");
const { lunr } = require("../tests/node/lunr.js");
const Shards = require("../themes/default/static/search/portail-shards.js")(lunr);

const QUERIES = ["migration", "santé publique", "immig*", "gouv*", "g*", "migraton~1", "gouvernanse~2", "migr…", "di…"];

async function main() {
  const [dir, lang, ...given] = process.argv.slice(2);
  const folder = path.join(path.resolve(dir), "search", lang);
  const manifest = JSON.parse(fs.readFileSync(path.join(folder, "manifest.json"), "utf8"));
  console.log(`manifest: ${manifest.keys.length} shards, ${(zlib.gzipSync(JSON.stringify(manifest)).length / 1024).toFixed(1)} KB gzipped`);
  console.log("| query | files | KB gzipped | results |");
  console.log("| --- | ---: | ---: | ---: |");
  for (const query of given.length ? given : QUERIES) {
    const fetched = [];
    const engine = new Shards(manifest, folder + "/", (url) => {
      const file = url.slice(0, url.indexOf("?"));
      const body = fs.readFileSync(file);
      fetched.push(zlib.gzipSync(body, { level: 6 }).length);
      return Promise.resolve(JSON.parse(body));
    });
    const typing = query.endsWith("…");
    const found = await engine.search(typing ? query.slice(0, -1) : query, { prefix: typing });
    const kb = fetched.reduce((a, b) => a + b, 0) / 1024;
    console.log(`| ${query} | ${fetched.length} | ${kb.toFixed(1)} | ${found.length} |`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
