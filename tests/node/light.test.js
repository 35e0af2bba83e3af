// The default theme costs visitors little: every page of the demo, in both
// languages, loads nothing from another origin (fonts, scripts, styles and
// images are all the site's own), and the theme's CSS and JavaScript stay
// small.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const zlib = require("node:zlib");
const { launch } = require("./chromium.js");
const { ROOT } = require("./lunr.js");
const { buildAndServe } = require("./server.js");

/** Every HTML page of a built site, as URL paths. */
function pages(dir) {
  const found = [];
  const walk = (sub) => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = path.posix.join(sub, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith(".html")) found.push("/" + rel.replace(/index\.html$/, ""));
    }
  };
  walk("");
  return found.sort();
}

test("no page of the demo asks another origin for anything", { timeout: 300000 }, async () => {
  const server = await buildAndServe(ROOT);
  const publicDir = server.publicDir;
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const elsewhere = [];
    let requests = 0;
    page.on("request", (request) => {
      requests += 1;
      const url = new URL(request.url());
      if (url.protocol === "data:" || url.protocol === "blob:") return;
      if (url.origin !== server.url) elsewhere.push(`${page.url()} → ${request.url()}`);
    });
    // Searches load the search library and the index: they count too.
    const paths = [...pages(publicDir), "/fr/recherche/?q=migration", "/en/search/?q=migration"];
    assert.ok(paths.length > 100, `only ${paths.length} pages`);
    for (const p of paths) {
      await page.goto(server.url + p, { waitUntil: "load" });
    }
    await page.waitForSelector(".search-list li a");
    assert.ok(requests > paths.length, "the pages' own files were requested");
    assert.deepEqual(elsewhere, []);
  } finally {
    await browser.close();
    server.close();
  }
});

test("the theme's CSS and JavaScript weigh at most 30 KB gzipped, search library aside", () => {
  const dir = path.join(ROOT, "themes", "default", "static");
  const library = /^lunr\./;
  const files = [];
  const walk = (sub) => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = path.join(sub, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (/\.(css|js)$/.test(entry.name) && !library.test(entry.name)) files.push(rel);
    }
  };
  walk("");
  assert.ok(files.includes("style.css") && files.includes(path.join("search", "search.js")));
  const sizes = files.map((f) => [f, zlib.gzipSync(fs.readFileSync(path.join(dir, f)), { level: 9 }).length]);
  const total = sizes.reduce((sum, [, n]) => sum + n, 0);
  assert.ok(total <= 30 * 1024, `${total} bytes gzipped: ${JSON.stringify(sizes)}`);
});
