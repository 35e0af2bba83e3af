// The search box and results page in headless Chromium, on the built demo
// served from 127.0.0.1.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { launch } = require("./chromium.js");
const { ROOT, portailRun } = require("./lunr.js");
const { buildAndServe, serve } = require("./server.js");

async function withBrowser(fn) {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const problems = [];
    page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
    page.on("pageerror", (e) => problems.push(String(e)));
    page.on("dialog", (d) => {
      problems.push(`dialog: ${d.message()}`);
      d.dismiss();
    });
    await fn(page, problems);
  } finally {
    await browser.close();
  }
}

async function searchFrom(page, base, home, query) {
  await page.goto(base + home);
  // Nothing is loaded before the visitor touches the search box.
  assert.equal(await page.evaluate(() => typeof window.lunr), "undefined");
  await page.fill("#site-search-input", query);
  await page.press("#site-search-input", "Enter");
  await page.waitForSelector(".search-list li a");
}

test("French query without accents, English query: expected page first, link opens it", async () => {
  const demo = await buildAndServe(ROOT);
  try {
    await withBrowser(async (page, problems) => {
      await searchFrom(page, demo.url, "/fr/", "tableau de bord donnees");
      assert.match(page.url(), /\/fr\/recherche\/\?q=tableau\+de\+bord\+donnees$|\/fr\/recherche\/\?q=tableau%20de%20bord%20donnees$/);
      const first = page.locator(".search-list li a").first();
      assert.equal(await first.getAttribute("href"), "/fr/actualites/tableau-de-bord-donnees-migratoires/");
      const status = await page.textContent(".search-status");
      assert.match(status, /^\d+ résultats pour «\u00a0tableau de bord donnees\u00a0»$/);
      assert.ok((await page.locator(".search-list mark").count()) > 0, "matched words are highlighted");
      await first.click();
      await page.waitForURL(/tableau-de-bord-donnees-migratoires\/$/);
      assert.match(await page.textContent("h1"), /tableau de bord/i);

      await searchFrom(page, demo.url, "/en/", "secretariat role");
      assert.equal(await page.locator(".search-list li a").first().getAttribute("href"), "/en/about/secretariat-role/");
      // The address is shareable and the back button works.
      await page.goto(demo.url + "/en/search/?q=unaccompanied%20minors");
      await page.waitForSelector(".search-list li a");
      assert.equal(await page.inputValue("#site-search-input"), "unaccompanied minors");
      await page.fill("#site-search-input", "data dashboard");
      await page.waitForTimeout(400); // results follow the typing before Enter
      await page.press("#site-search-input", "Enter");
      await page.waitForURL(/q=data/);
      await page.goBack();
      await page.waitForFunction(() => document.querySelector("#site-search-input").value === "unaccompanied minors");
      await page.waitForFunction(() => /unaccompanied minors/.test(document.querySelector(".search-status").textContent));
      // Each result once, whatever the timing of the loads.
      const hrefs = await page.locator(".search-list li a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
      assert.equal(new Set(hrefs).size, hrefs.length);
      assert.match(await page.textContent(".search-status"), new RegExp(`^${hrefs.length} results? for`));
      // Operators alone find nothing rather than everything; French elisions with + work.
      await page.goto(demo.url + "/en/search/?q=-the");
      await page.waitForFunction(() => /No results/.test(document.querySelector(".search-status").textContent));
      await page.goto(demo.url + "/fr/recherche/?q=%2Bl%27immigration");
      await page.waitForSelector(".search-list li a");
      // The 404 page and the language chooser have search boxes too, one per language.
      await page.goto(demo.url + "/");
      assert.equal(await page.locator("form[role=search]").count(), 3);
      assert.deepEqual(problems, []);
      // (The browser logs the 404 status itself: checked before this visit.)
      await page.goto(demo.url + "/no/such/page/");
      assert.equal(await page.locator("form[role=search]").count(), 3);
    });
  } finally {
    demo.close();
  }
});

test("while typing the last word is a prefix; a miss suggests a word; a failed shard offers a retry", async () => {
  const demo = await buildAndServe(ROOT);
  try {
    await withBrowser(async (page, problems) => {
      const status = () => page.textContent(".search-status");
      await page.goto(demo.url + "/fr/recherche/");
      // « diaspo » finds « diaspora » while typing…
      await page.type("#site-search-input", "diaspo", { delay: 30 });
      await page.waitForFunction(() => /résultats? pour/.test(document.querySelector(".search-status").textContent));
      const typed = await page.locator(".search-list li").count();
      assert.ok(typed > 0, await status());
      // …but not once the word is ended by Enter: a whole word then.
      await page.press("#site-search-input", "Enter");
      await page.waitForFunction(() => /Aucun résultat/.test(document.querySelector(".search-status").textContent));
      // « migr » finds « migrants », « migration », « migratoires »; pages
      // with the whole word come before those with a longer one.
      await page.fill("#site-search-input", "");
      await page.type("#site-search-input", "migr", { delay: 30 });
      await page.waitForFunction(() => /\d+ résultats pour/.test(document.querySelector(".search-status").textContent));
      const marked = await page.locator(".search-list mark").allTextContents();
      const stems = new Set(marked.map((m) => m.toLowerCase().replace(/[^a-z]/g, "").slice(0, 6)));
      assert.ok(stems.size >= 2, `several words begin with migr: ${[...stems]}`);
      // A misspelt word finds nothing and suggests the nearest one.
      await page.goto(demo.url + "/fr/recherche/?q=migrasion");
      await page.waitForSelector(".search-suggest a");
      assert.equal(await page.textContent(".search-suggest a"), "migration");
      assert.match(await page.textContent(".search-suggest"), /^Vouliez-vous dire\u00a0: migration$/);
      await page.click(".search-suggest a");
      await page.waitForSelector(".search-list li a");
      // A shard that cannot be fetched: an error in the page's language
      // and a retry that works once the network is back.
      await page.goto(demo.url + "/en/search/");
      await page.route("**/search/en/t/**", (route) => route.abort());
      await page.fill("#site-search-input", "mobility");
      await page.press("#site-search-input", "Enter");
      await page.waitForFunction(() => /could not be loaded/.test(document.querySelector(".search-status").textContent));
      assert.ok(await page.isVisible(".search-retry"));
      assert.equal(await page.locator(".search-list li").count(), 0);
      await page.unroute("**/search/en/t/**");
      await page.click(".search-retry");
      await page.waitForSelector(".search-list li a");
      assert.ok(!(await page.isVisible(".search-retry")));
      assert.match(await status(), /results? for/);
      assert.deepEqual(problems.filter((p) => !/Failed to load resource/.test(p)), []);
    });
  } finally {
    demo.close();
  }
});

test("results narrow by section, year and taxonomy, with counts, kept in the address", async () => {
  const demo = await buildAndServe(ROOT);
  try {
    await withBrowser(async (page, problems) => {
      const total = async () => parseInt(await page.textContent(".search-status"), 10);
      await page.goto(demo.url + "/fr/recherche/?q=migration");
      await page.waitForSelector(".search-list li a");
      const all = await total();
      // The filters load when asked for, from the keyboard too.
      assert.equal(await page.isVisible("select[name=section]"), false);
      await page.focus(".search-filter-toggle");
      await page.keyboard.press("Enter");
      await page.waitForSelector("select[name=section]");
      assert.equal(await page.getAttribute(".search-filter-toggle", "aria-expanded"), "true");
      for (const name of ["section", "year", "themes", "countries"]) {
        assert.ok(await page.isVisible(`select[name=${name}]`), name);
      }
      const options = await page.locator("select[name=section] option").allTextContents();
      assert.equal(options[0], "Indifférent");
      const counted = options.slice(1).map((o) => Number(/\((\d+)\)$/.exec(o)[1]));
      assert.equal(counted.reduce((a, b) => a + b, 0) <= all, true);
      const news = options.find((o) => o.startsWith("Actualités"));
      const expected = Number(/\((\d+)\)$/.exec(news)[1]);
      await page.selectOption("select[name=section]", "news");
      await page.waitForFunction((n) => parseInt(document.querySelector(".search-status").textContent, 10) === n, expected);
      assert.match(page.url(), /[?&]section=news(&|$)/);
      const hrefs = await page.locator(".search-list li a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
      assert.ok(hrefs.length > 0 && hrefs.every((h) => h.startsWith("/fr/actualites/")), hrefs.join(" "));
      // A year on top: the counts of the other filters follow.
      const years = await page.locator("select[name=year] option").allTextContents();
      const year = years.slice(1)[0];
      const [id, n] = /^(\d+) \((\d+)\)$/.exec(year).slice(1);
      await page.selectOption("select[name=year]", id);
      await page.waitForFunction((n) => parseInt(document.querySelector(".search-status").textContent, 10) === n, Number(n));
      assert.match(page.url(), new RegExp(`year=${id}`));
      // The address alone gives the same narrowed results, filters open.
      const url = page.url();
      await page.goto(url);
      await page.waitForSelector(".search-list li a");
      assert.equal(await total(), Number(n));
      assert.equal(await page.inputValue("select[name=section]"), "news");
      assert.equal(await page.inputValue("select[name=year]"), id);
      // Back to any section: more results again.
      await page.selectOption("select[name=section]", "");
      await page.waitForFunction((n) => parseInt(document.querySelector(".search-status").textContent, 10) > n, Number(n));
      assert.doesNotMatch(page.url(), /section=/);
      assert.deepEqual(problems, []);
    });
  } finally {
    demo.close();
  }
});

test("search works under a sub-path of a plain static host", async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "portail-subpath-"));
  try {
    portailRun(["build", "--root", ROOT, "--output", path.join(out, "portal"), "--base-url", "https://example.org/portal/"]);
    const server = await serve(out);
    try {
      await withBrowser(async (page, problems) => {
        await page.goto(server.url + "/portal/fr/recherche/?q=migration");
        await page.waitForSelector(".search-list li a");
        const href = await page.locator(".search-list li a").first().getAttribute("href");
        assert.match(href, /^\/portal\/fr\//);
        assert.deepEqual(problems, []);
      });
    } finally {
      server.close();
    }
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test("result text is inserted as text, never as HTML", async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "portail-xss-"));
  try {
    fs.cpSync(path.join(ROOT, "tests/fixtures/basic"), root, { recursive: true });
    fs.writeFileSync(
      path.join(root, "content/news/piege.fr.md"),
      '+++\ntitle = "<img src=x onerror=alert(1)> piège"\ndescription = "<b>gras</b> <script>alert(2)</script>"\n+++\n\nTexte.\n',
    );
    const served = await buildAndServe(root);
    try {
      await withBrowser(async (page, problems) => {
        await page.goto(served.url + "/fr/recherche/?q=piege");
        await page.waitForSelector(".search-list li a");
        const link = page.locator(".search-list li a").first();
        assert.equal(await link.textContent(), "<img src=x onerror=alert(1)> piège");
        assert.equal(await page.locator(".search-list img, .search-list b, .search-list script").count(), 0);
        assert.match(await page.locator(".search-list li").first().textContent(), /<b>gras<\/b> <script>alert\(2\)<\/script>/);
        assert.deepEqual(problems, []);
      });
    } finally {
      served.close();
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("activities that ended since the build move to the past list in the browser", async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "portail-calendar-"));
  try {
    // Built as if on 1 January 2020: every activity is still upcoming in the HTML.
    portailRun(["build", "--root", ROOT, "--output", path.join(out, "public"), "--now", "2020-01-01"]);
    const server = await serve(path.join(out, "public"));
    try {
      await withBrowser(async (page, problems) => {
        await page.goto(server.url + "/fr/activites/");
        const state = await page.evaluate(() => {
          const now = new Date();
          const pad = (n) => String(n).padStart(2, "0");
          const today = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
          const ends = (sel) => Array.from(document.querySelectorAll(`${sel} li`)).map((li) => li.dataset.end);
          return { today, upcoming: ends(".events-upcoming"), past: ends(".events-past") };
        });
        assert.ok(state.past.length > 0, "events before today moved to the past list");
        assert.ok(state.upcoming.every((d) => d >= state.today), JSON.stringify(state));
        assert.ok(state.past.every((d) => d < state.today), JSON.stringify(state));
        const sorted = [...state.past].sort().reverse();
        assert.deepEqual(state.past, sorted, "past events latest first");
        assert.deepEqual(problems, []);
      });
    } finally {
      server.close();
    }
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test("good practices filter by theme, country and year in the browser", async () => {
  const demo = await buildAndServe(ROOT);
  try {
    await withBrowser(async (page, problems) => {
      await page.goto(demo.url + "/fr/bonnes-pratiques/");
      const total = await page.locator(".browse-list > li").count();
      assert.ok(total >= 8);
      await page.selectOption("select[name=themes]", "diaspora");
      const visible = await page.locator(".browse-list > li:not([hidden])").evaluateAll((lis) => lis.map((li) => li.dataset.themes));
      assert.ok(visible.length > 0 && visible.length < total, JSON.stringify(visible));
      assert.ok(visible.every((t) => t.split("|").includes("diaspora")));
      assert.match(page.url(), /\?themes=diaspora$/);
      assert.equal(await page.textContent(".browse-count"), `Affichage\u00a0: ${visible.length} sur ${total}`);
      await page.selectOption("select[name=themes]", "");
      await page.selectOption("select[name=year]", "2025");
      const years = await page.locator(".browse-list > li:not([hidden])").evaluateAll((lis) => lis.map((li) => li.dataset.year));
      assert.ok(years.length > 0 && years.every((y) => y === "2025"), JSON.stringify(years));
      // The address restores the filters.
      await page.goto(demo.url + "/fr/bonnes-pratiques/?countries=maroc");
      assert.equal(await page.inputValue("select[name=countries]"), "maroc");
      const countries = await page.locator(".browse-list > li:not([hidden])").evaluateAll((lis) => lis.map((li) => li.dataset.countries));
      assert.ok(countries.length > 0 && countries.every((c) => c.split("|").includes("maroc")));
      assert.deepEqual(problems, []);
    });
  } finally {
    demo.close();
  }
});
