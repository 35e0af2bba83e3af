// Screenshots of the demo site in headless Chromium, for the README:
// `cargo build && npm ci && node docs/screenshots/take.js` (the binary is
// target/debug/portail, or PORTAIL_BIN). Writes <page>-<language>-<width>.png
// beside this script.
"use strict";
const path = require("node:path");
const { launch } = require("../../tests/node/chromium.js");
const { ROOT } = require("../../tests/node/lunr.js");
const { buildAndServe } = require("../../tests/node/server.js");

const WIDTHS = { phone: { width: 360, height: 740 }, desktop: { width: 1280, height: 860 } };

/** The pages to show, found from the home as a visitor would. */
async function pages(page, base, lang) {
  await page.goto(`${base}/${lang}/`);
  const href = (selector) => page.$eval(selector, (a) => a.getAttribute("href"));
  const browser = await href(".menu li:nth-child(3) a");
  const search = await page.$eval(".hero-search", (f) => f.getAttribute("action"));
  const query = { fr: "migrations de travail", en: "labour migration", ar: "الحدود" }[lang];
  // The few Arabic sample pages: the news item and activity there are.
  const arabic = lang === "ar";
  return {
    home: `/${lang}/`,
    // The newest news item with a picture of its own.
    news: await href(arabic ? "#home-latest ~ .cards li a" : "#home-latest ~ .cards li:has(picture) a"),
    activity: arabic ? `${await href(".menu li:nth-child(2) a")}regional-workshop-dakar/` : await href(".events-upcoming li a"),
    "good-practices": `${browser}?themes=protection`,
    search: `${search}?q=${encodeURIComponent(query)}`,
  };
}

async function main() {
  const demo = await buildAndServe(ROOT);
  const browser = await launch();
  try {
    for (const lang of ["fr", "en", "ar"]) {
      const finder = await browser.newPage();
      const shots = await pages(finder, demo.url, lang);
      await finder.close();
      for (const [name, size] of Object.entries(WIDTHS)) {
        const page = await browser.newPage({ viewport: size, colorScheme: "light" });
        for (const [what, url] of Object.entries(shots)) {
          await page.goto(demo.url + url);
          if (what === "search") await page.waitForSelector(".search-list li a");
          if (what === "good-practices") {
            // The filters and the first of what they leave, rather than the intro.
            await page.waitForSelector(".browse-filters:not([hidden])");
            await page.$eval(".browse-filters", (form) => form.scrollIntoView());
          }
          const file = path.join(__dirname, `${what}-${lang}-${name}.png`);
          await page.screenshot({ path: file });
          console.log(path.relative(process.cwd(), file));
        }
        await page.close();
      }
    }
  } finally {
    await browser.close();
    demo.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
