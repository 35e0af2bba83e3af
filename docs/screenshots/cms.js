// Screenshots of the editing form (Decap CMS on `portail serve --cms`): the
// list of news and the demo's Lisbon forum, for the README: `cargo build &&
// npm ci && node docs/screenshots/cms.js`. Writes cms-list.png and
// cms-editor.png beside this script.
"use strict";
const path = require("node:path");
const { withCms } = require("../../tests/node/cms.js");

async function main() {
  await withCms(async ({ url, page }) => {
    await page.goto(url + "admin/#/collections/news");
    await page.waitForSelector("a[href*='/entries/']");
    await page.waitForTimeout(1000);
    const list = path.join(__dirname, "cms-list.png");
    await page.screenshot({ path: list });
    console.log(path.relative(process.cwd(), list));
    await page.goto(url + "admin/#/collections/activities/entries/diaspora-investment-forum-lisbon");
    await page.waitForSelector("[id^='title-field-']");
    await page.waitForTimeout(1500); // the picture's preview
    const file = path.join(__dirname, "cms-editor.png");
    await page.screenshot({ path: file });
    console.log(path.relative(process.cwd(), file));
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
