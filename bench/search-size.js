// What a first query costs a visitor, portail's shards against Pagefind on
// the same built site, in headless Chromium: bytes fetched (each file
// counted gzipped, as a static host serves it; Pagefind's index files are
// compressed already and counted as they are) and the time from the query
// to its first page of results. Each query runs in a fresh browser context
// (nothing cached).
//   node bench/search-size.js <public dir with pagefind/> <lang> <results path> [query…]
// bench/search-size.sh builds the sites and runs this at 1,000 and 10,000 pairs.
"use strict";
const path = require("node:path");
const zlib = require("node:zlib");
const { launch } = require("../tests/node/chromium.js");
const { serve } = require("../tests/node/server.js");

// Words of the shared corpus: three in a few hundred pages, three in most
// pages, and four pairs.
const QUERIES = [
  "migrations",
  "diaspora",
  "mobilité",
  "gouvernance",
  "numérique",
  "recensement",
  "santé éducation",
  "innovation sociale",
  "égalité femmes",
  "jeunes emploi",
];
const FIRST_PAGE = 20;

/** Counts what `page` fetches while `run` runs: bytes (gzipped) and files. */
async function measured(page, run) {
  const files = [];
  const pending = [];
  const listener = (response) => {
    pending.push(
      response.body().then(
        (body) => {
          const gz = zlib.gzipSync(body, { level: 6 }).length;
          files.push({ url: response.url(), bytes: Math.min(body.length, gz) });
        },
        () => {},
      ),
    );
  };
  page.on("response", listener);
  const t0 = Date.now();
  const found = await run();
  const ms = Date.now() - t0;
  await Promise.all(pending);
  page.off("response", listener);
  return { ms, found, files: files.length, kb: files.reduce((n, f) => n + f.bytes, 0) / 1024, list: files };
}

async function portail(browser, base, query) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(base);
  const result = await measured(page, async () => {
    await page.fill("#site-search-input", query);
    await page.press("#site-search-input", "Enter");
    await page.waitForFunction(() => {
      const status = document.querySelector(".search-status").textContent;
      return document.querySelector(".search-list li a") || /^(Aucun|No) /.test(status);
    }, null, { timeout: 120000 });
    return parseInt(await page.textContent(".search-status"), 10) || 0;
  });
  await context.close();
  return result;
}

async function pagefind(browser, base, query) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(base);
  const root = new URL("/pagefind/pagefind.js", base).href;
  const result = await measured(page, () =>
    page.evaluate(
      async ({ root, query, first }) => {
        const pf = await import(root);
        const search = await pf.search(query);
        await Promise.all(search.results.slice(0, first).map((r) => r.data()));
        return search.results.length;
      },
      { root, query, first: FIRST_PAGE },
    ),
  );
  await context.close();
  return result;
}

async function main() {
  const [dir, lang, resultsPath, ...given] = process.argv.slice(2);
  const queries = given.length ? given : QUERIES;
  const server = await serve(path.resolve(dir));
  const browser = await launch();
  try {
    const base = `${server.url}/${lang}/${resultsPath}`;
    console.log("| query | portail KB | files | ms | results | Pagefind KB | files | ms | results |");
    console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (const query of queries) {
      const a = await portail(browser, base, query);
      const b = await pagefind(browser, base, query);
      console.log(
        `| ${query} | ${a.kb.toFixed(1)} | ${a.files} | ${a.ms} | ${a.found} | ${b.kb.toFixed(1)} | ${b.files} | ${b.ms} | ${b.found} |`,
      );
      if (process.env.VERBOSE) for (const f of a.list) console.log(`    ${(f.bytes / 1024).toFixed(1)} KB ${f.url}`);
    }
  } finally {
    await browser.close();
    server.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
