// Measures, in headless Chromium, how long search takes on a built site:
// from the first keystroke in the search box (index not loaded yet) to the
// results shown, and for a second query once the index is loaded.
//   node bench/search-latency.js <public dir> <lang> <results path> <query> [<second query>]
"use strict";
const path = require("node:path");
const { launch } = require("../tests/node/chromium.js");
const { serve } = require("../tests/node/server.js");

async function main() {
  const [dir, lang, resultsPath, query, second = "migration"] = process.argv.slice(2);
  const server = await serve(path.resolve(dir));
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(`${server.url}/${lang}/${resultsPath}`);
    const t0 = Date.now();
    await page.type("#site-search-input", query);
    await page.waitForFunction((q) => (document.querySelector(".search-status").textContent || "").includes(q), query, { timeout: 120000 });
    const cold = Date.now() - t0;
    await page.fill("#site-search-input", "");
    const t1 = Date.now();
    await page.type("#site-search-input", second);
    await page.waitForFunction((q) => (document.querySelector(".search-status").textContent || "").includes(q), second, { timeout: 60000 });
    const warm = Date.now() - t1;
    const status = await page.textContent(".search-status");
    const first = await page.locator(".search-list li a").first().textContent().catch(() => null);
    console.log(JSON.stringify({ lang, query, cold_ms: cold, second_query_ms: warm, status, first }));
  } finally {
    await browser.close();
    server.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
