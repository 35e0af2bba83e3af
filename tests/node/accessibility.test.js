// axe-core in headless Chromium over every page type of the demo in both
// languages, and the Arabic sample pages: no serious or critical accessibility violation.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { launch } = require("./chromium.js");
const { ROOT } = require("./lunr.js");
const { buildAndServe, pageTypes, pagesWith } = require("./server.js");

const AXE = require.resolve("axe-core/axe.min.js");

// Light on a desktop, dark on a phone: contrast is checked in both schemes.
const SETTINGS = [
  { colorScheme: "light", viewport: { width: 1280, height: 800 } },
  { colorScheme: "dark", viewport: { width: 360, height: 740 } },
];

test("axe finds no serious or critical violation on any kind of page", { timeout: 300000 }, async () => {
  const server = await buildAndServe(ROOT);
  const publicDir = server.publicDir;
  const browser = await launch();
  try {
    const paths = [
      "/",
      "/404.html",
      ...pageTypes(publicDir, "fr"),
      ...pageTypes(publicDir, "en"),
      ...pageTypes(publicDir, "ar"),
      "/fr/recherche/?q=migration",
      "/en/search/?q=migration",
      `/ar/search/?q=${encodeURIComponent("الهجرة")}`,
      // Filters chosen in the address open the filters.
      "/fr/recherche/?q=migration&section=news",
    ];
    // Pages with every kind of callout, a figure and a video facade.
    for (const lang of ["fr", "en"]) {
      for (const needle of ['class="callout callout-caution"', "<figcaption>", 'class="video-facade"']) {
        const [found] = pagesWith(publicDir, lang, needle);
        assert.ok(found, `a ${lang} page of the demo has ${needle}`);
        if (!paths.includes(found)) paths.push(found);
      }
    }
    assert.ok(paths.length >= 30, paths.join(" "));
    const problems = [];
    for (const settings of SETTINGS) {
      const page = await browser.newPage(settings);
      for (const p of paths) {
        await page.goto(server.url + p, { waitUntil: "load" });
        if (p.includes("?q=")) await page.waitForSelector(".search-list li a");
        if (p.includes("&section=")) await page.waitForSelector("select[name=section]");
        await page.addScriptTag({ path: AXE });
        const violations = await page.evaluate(async () => {
          const result = await window.axe.run(document, { resultTypes: ["violations"] });
          return result.violations
            .filter((v) => v.impact === "serious" || v.impact === "critical")
            .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
        });
        for (const v of violations) problems.push(`${settings.colorScheme} ${p}: ${v}`);
      }
      await page.close();
    }
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    server.close();
  }
});
