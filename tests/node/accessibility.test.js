// axe-core in headless Chromium over every page type of the demo in both
// languages: no serious or critical accessibility violation.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { launch } = require("./chromium.js");
const { ROOT } = require("./lunr.js");
const { buildAndServe } = require("./server.js");

const AXE = require.resolve("axe-core/axe.min.js");

/** A page of each kind under a language's folder of the built site. */
function pageTypes(publicDir, lang) {
  const dir = path.join(publicDir, lang);
  const folders = (sub) =>
    fs
      .readdirSync(path.join(dir, sub), { withFileTypes: true })
      .filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, sub, e.name, "index.html")))
      .map((e) => e.name)
      .sort();
  const found = [`/${lang}/`, `/${lang}/404.html`];
  for (const section of folders("")) {
    found.push(`/${lang}/${section}/`);
    // One item of the list (a page or a term), and one year page where
    // the section has them.
    const items = folders(section).filter((name) => name !== "page");
    const item = items.find((name) => !/^\d{4}$/.test(name));
    const year = items.find((name) => /^\d{4}$/.test(name));
    for (const name of [item, year].filter(Boolean)) found.push(`/${lang}/${section}/${name}/`);
  }
  return found;
}

test("axe finds no serious or critical violation on any kind of page", { timeout: 300000 }, async () => {
  const server = await buildAndServe(ROOT);
  const publicDir = server.publicDir;
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const paths = [
      "/",
      "/404.html",
      ...pageTypes(publicDir, "fr"),
      ...pageTypes(publicDir, "en"),
      "/fr/recherche/?q=migration",
      "/en/search/?q=migration",
    ];
    assert.ok(paths.length >= 30, paths.join(" "));
    const problems = [];
    for (const p of paths) {
      await page.goto(server.url + p, { waitUntil: "load" });
      if (p.includes("?q=")) await page.waitForSelector(".search-list li a");
      await page.addScriptTag({ path: AXE });
      const violations = await page.evaluate(async () => {
        const result = await window.axe.run(document, { resultTypes: ["violations"] });
        return result.violations
          .filter((v) => v.impact === "serious" || v.impact === "critical")
          .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
      });
      for (const v of violations) problems.push(`${p}: ${v}`);
    }
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    server.close();
  }
});
