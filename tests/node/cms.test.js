// The real Decap CMS (the npm package pinned in package.json) in headless
// Chromium on `portail serve --cms`: a news item written in French and
// English through the form, then built and checked; a shared field edited
// once. The admin page loads the CMS from its pinned address with
// Subresource Integrity: the browser is given the npm package's file for
// that address, so a hash that did not match it would stop the CMS.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { ROOT, portailRun } = require("./lunr.js");
const { withCms } = require("./cms.js");
// The CMS's own TOML reader (a dependency of the pinned package).
const TOML = require("@iarna/toml");

/** Waits until `file` exists and holds `needle`; its text. */
async function fileWith(file, needle) {
  const deadline = Date.now() + 20000;
  for (;;) {
    const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
    if (text.includes(needle)) return text;
    if (Date.now() > deadline) throw new Error(`${file} never held ${needle}:\n${text}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function publish(page) {
  await page.getByText("Publier", { exact: true }).click();
  await page.click("text=Publier maintenant");
  await page.waitForSelector("text=Publiée");
}

test("a news item written through the CMS in French and English builds, checks and is served", { timeout: 180000 }, async () => {
  await withCms(async ({ site, url, page, problems }) => {
    await page.goto(url + "admin/#/collections/news/new");
    // French on the left, English on the right: shared fields (date,
    // picture, classification) only on the left.
    const field = (name, side = 0) => page.locator(`[id^='${name}-field-']:visible`).nth(side);
    await field("title").fill("Atelier sur la mobilité des jeunes");
    await field("date").fill("2026-11-20");
    await page.locator("text=Choisir une image").first().click();
    await page.setInputFiles("input[type=file]", path.join(ROOT, "static/images/demo/city.jpg"));
    await page.click("text=Choisir les éléments sélectionnés");
    await field("image_alt").fill("Une ville au crépuscule (illustration)");
    await field("themes").click();
    await page.keyboard.type("Protection");
    await page.keyboard.press("Enter");
    await page.locator("[data-slate-editor]").nth(0).click();
    await page.keyboard.type("Un atelier a réuni des jeunes de six pays.");
    await field("title", 1).fill("Workshop on youth mobility");
    await field("slug", 1).fill("workshop-youth-mobility");
    await field("image_alt", 1).fill("A city at dusk (illustration)");
    await page.locator("[data-slate-editor]").nth(1).click();
    await page.keyboard.type("A workshop brought together young people from six countries.");
    await publish(page);
    assert.deepEqual(problems, []);

    // Some news items are folders (a page with its pictures): new ones too.
    const news = path.join(site, "content", "news", "2026-11-20-atelier-sur-la-mobilite-des-jeunes");
    const fr = await fileWith(path.join(news, "index.fr.md"), "six pays");
    const en = await fileWith(path.join(news, "index.en.md"), "six countries");
    assert.match(fr, /^\+\+\+\n/);
    assert.match(fr, /^title = "Atelier sur la mobilité des jeunes"$/m);
    assert.match(fr, /^date = "?2026-11-20"?$/m);
    assert.match(fr, /^image = "city.jpg"$/m);
    assert.match(fr, /^themes = \["protection"\]$/m);
    assert.match(en, /^title = "Workshop on youth mobility"$/m);
    assert.match(en, /^slug = "workshop-youth-mobility"$/m);
    assert.match(en, /^image_alt = "A city at dusk \(illustration\)"$/m);
    // Shared fields are written once, in the French file.
    assert.doesNotMatch(en, /^(date|image|themes) =/m);
    assert.ok(fs.readFileSync(path.join(news, "city.jpg")).equals(fs.readFileSync(path.join(ROOT, "static/images/demo/city.jpg"))));

    // Rebuilt by the server like any save, in both languages, each naming the other.
    const deadline = Date.now() + 30000;
    let html = "";
    while (!html.includes("Atelier sur la mobilité des jeunes")) {
      assert.ok(Date.now() < deadline, "the new page was not served");
      await new Promise((r) => setTimeout(r, 200));
      html = await fetch(url + "fr/actualites/atelier-sur-la-mobilite-des-jeunes/").then((r) => r.text());
    }
    assert.match(html, /<link rel="alternate" hreflang="en" href="[^"]*\/en\/news\/workshop-youth-mobility\/">/);
    const english = await fetch(url + "en/news/workshop-youth-mobility/").then((r) => r.text());
    assert.match(english, /<h1[^>]*>Workshop on youth mobility<\/h1>/);
    assert.match(english, /hreflang="fr"/);
    // And a build and a strict check of the site pass.
    portailRun(["build", "--root", site, "--output", path.join(site, "public")]);
    portailRun(["check", "--root", site, "--strict"]);
  });
});

test("a shared field edited in the CMS stays in the French file only", { timeout: 180000 }, async () => {
  await withCms(async ({ site, url, page, problems }) => {
    const name = "diaspora-investment-forum-lisbon";
    await page.goto(url + `admin/#/collections/activities/entries/${name}`);
    // The English side shows no location field to edit.
    const location = page.locator("input[id^='location-field-']:visible");
    await location.first().waitFor();
    assert.equal(await location.count(), 1);
    await location.fill("Lisbonne, Portugal");
    await publish(page);
    assert.deepEqual(problems, []);
    const folder = path.join(site, "content", "activities");
    const fr = await fileWith(path.join(folder, `${name}.fr.md`), "Lisbonne, Portugal");
    assert.match(fr, /^location = "Lisbonne, Portugal"$/m);
    const en = fs.readFileSync(path.join(folder, `${name}.en.md`), "utf8");
    assert.doesNotMatch(en, /^location =/m);
    assert.doesNotMatch(en, /Lisbonne/);
    portailRun(["check", "--root", site]);
  });
});

/**
 * Every file of the site in `content/` as the CMS opens it: [address, the
 * file its title is in]. A section's own page is a form per language.
 */
function entries(site, settings) {
  const found = [];
  const walk = (dir) => {
    for (const name of fs.readdirSync(path.join(site, "content", dir)).sort()) {
      const rel = dir ? `${dir}/${name}` : name;
      if (fs.statSync(path.join(site, "content", rel)).isDirectory()) walk(rel);
      else if (name.endsWith(".md")) found.push(rel);
    }
  };
  walk("");
  const sections = settings.collections.find((c) => c.files);
  return found.flatMap((rel) => {
    const file = path.join(site, "content", rel);
    if (/_index\.\w+\.md$/.test(rel)) {
      const entry = sections.files.find((f) => f.file === `content/${rel}`);
      return [[`${sections.name}/entries/${entry.name}`, file]];
    }
    if (!rel.endsWith(".fr.md")) return [];
    const collection = settings.collections.find((c) => c.folder && rel.startsWith(c.folder.slice(8) + "/"));
    const slug = rel.slice(collection.folder.length - 7).replace(/\.fr\.md$/, "");
    return [[`${collection.name}/entries/${slug}`, file]];
  });
}

/** Front matter's values and the text after it. */
function parts(text) {
  const end = text.indexOf("\n+++", 3);
  return { values: TOML.parse(text.slice(4, end)), body: text.slice(end + 4) };
}

test("every page opened and saved in the CMS keeps its values and its translation stays current", { timeout: 300000 }, async () => {
  await withCms(async ({ site, url, page, problems }) => {
    const settings = await fetch(url + "admin/config.yml").then((r) => r.json());
    const pages = entries(site, settings);
    const edited = new Set(pages.map(([, file]) => file));
    const before = new Map();
    // Each page's French file and its translations (the Arabic sample pages are few).
    const others = settings.i18n.locales.filter((l) => l !== "fr");
    for (const [, fr] of pages) {
      const versions = [fr, ...others.map((l) => fr.replace(/\.fr\.md$/, `.${l}.md`))];
      for (const file of versions.filter((f) => fs.existsSync(f))) before.set(file, fs.readFileSync(file, "utf8"));
    }
    assert.equal(before.size, fs.readdirSync(path.join(site, "content"), { recursive: true }).filter((f) => f.endsWith(".md")).length);
    for (const [address, fr] of pages) {
      // By the collection's list, as a writer would: from one entry
      // straight to another the CMS keeps the first one's form.
      // (Once in a while the list is slow to replace the form just saved:
      // going there again settles it.)
      const list = url + `admin/#/collections/${address.split("/")[0]}`;
      const toList = async (reload) => {
        await page.goto(list);
        if (reload) {
          // A fresh start of the CMS, signed in again if it asks.
          await page.reload();
          await page.locator("text=Se connecter").or(page.locator("text=Actualités")).first().waitFor();
          if (await page.locator("text=Se connecter").count()) await page.click("text=Se connecter");
        }
        await page.waitForSelector("[id^='title-field-']", { state: "detached", timeout: 15000 });
      };
      await toList(false).catch(() => toList(true));
      await page.goto(url + `admin/#/collections/${address}`);
      const title = page.locator("[id^='title-field-']:visible").first();
      await title.waitFor();
      // The CMS saves only what changed: one letter more in the title.
      await title.click();
      await page.keyboard.press("End");
      await page.keyboard.type("#");
      await publish(page);
      await fileWith(fr, '#"').catch(async (e) => { await page.screenshot({ path: "/tmp/fail.png" }); throw e; });
    }
    assert.deepEqual(problems, []);
    for (const [file, text] of before) {
      const now = fs.readFileSync(file, "utf8").replace(/^(title = ".*)#"$/m, '$1"');
      if (!edited.has(file)) assert.equal(now, text, `${file}: a translation is left as it was`);
      // The same text and values once the letter is out; and the same bytes,
      // as the demo's keys are in the order the CMS writes them (for other
      // files the order may change: the README says so).
      assert.deepEqual(parts(now), parts(text), file);
      assert.equal(now, text, file);
      fs.writeFileSync(file, now);
    }
    const report = JSON.parse(portailRun(["translations", "--root", site, "--format", "json"]));
    const stale = JSON.stringify(report).match(/"stale"/gi) || [];
    assert.equal(stale.length, 0, "no translation became stale");
    portailRun(["check", "--root", site, "--strict"]);
  });
});
