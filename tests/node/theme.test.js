// The default theme in headless Chromium: usable at 320 px, by keyboard,
// without JavaScript, in a dark scheme and on paper; and the Arabic pages
// written right to left, laid out as a mirror, nothing sticking out sideways.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { launch } = require("./chromium.js");
const { ROOT } = require("./lunr.js");
const { buildAndServe, pageTypes } = require("./server.js");

let demo;
let browser;
test.before(async () => {
  demo = await buildAndServe(ROOT);
  browser = await launch();
});
test.after(async () => {
  await browser.close();
  demo.close();
});

test("no page of any kind scrolls sideways at 320 px", { timeout: 120000 }, async () => {
  const page = await browser.newPage({ viewport: { width: 320, height: 640 } });
  const paths = ["/", ...["fr", "en", "ar"].flatMap((l) => pageTypes(demo.publicDir, l)), "/fr/recherche/?q=migration"];
  const wide = [];
  for (const p of paths) {
    await page.goto(demo.url + p);
    if (p.includes("?q=")) await page.waitForSelector(".search-list li a");
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    if (width > 320) wide.push(`${p}: ${width} px`);
  }
  await page.close();
  assert.deepEqual(wide, []);
});

/** What has the focus: tag, text or name, and whether its outline shows. */
function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    return {
      tag: el.tagName.toLowerCase(),
      text: (el.textContent || el.getAttribute("name") || "").trim(),
      lang: el.closest("[lang]") && el.closest("[lang]").getAttribute("lang"),
      inMenu: !!el.closest("nav.menu"),
      inSwitcher: !!el.closest("nav.language-switcher"),
      outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
      visible: el.getBoundingClientRect().width > 1,
    };
  });
}

test("the keyboard reaches the skip link, switcher, menu and search, with a visible focus", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(demo.url + "/fr/actualites/");
  await page.keyboard.press("Tab");
  const skip = await focused(page);
  assert.equal(skip.text, "Aller au contenu");
  assert.ok(skip.visible && skip.outline, JSON.stringify(skip));
  const stops = [];
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press("Tab");
    stops.push(await focused(page));
  }
  assert.ok(stops.every((s) => s.visible && s.outline), JSON.stringify(stops));
  assert.ok(stops.some((s) => s.inSwitcher && s.lang === "en"), "the switcher, marked English");
  assert.equal(stops.filter((s) => s.inMenu).length, 4, "the four menu entries");
  assert.ok(stops.some((s) => s.tag === "input" && s.text === "q"), "the search box");
  // The search runs from the keyboard alone.
  while ((await focused(page)).tag !== "input") await page.keyboard.press("Shift+Tab");
  await page.keyboard.type("diaspora");
  await page.keyboard.press("Enter");
  await page.waitForSelector(".search-list li a");
  assert.match(page.url(), /\/fr\/recherche\/\?q=diaspora$/);
  // The skip link leads into the main content.
  await page.goto(demo.url + "/fr/actualites/");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  // The page's URL reaches the test after the jump, not with it.
  await page.waitForURL(/#main$/, { timeout: 5000 });
  await page.close();
});

test("the good-practice filters work from the keyboard", async () => {
  const page = await browser.newPage();
  await page.goto(demo.url + "/fr/bonnes-pratiques/");
  const total = await page.locator(".browse-list > li").count();
  for (let i = 0; i < 40 && (await focused(page)).tag !== "select"; i++) await page.keyboard.press("Tab");
  const select = await focused(page);
  assert.equal(select.tag, "select", "a filter takes the focus");
  assert.ok(select.outline, "its focus shows");
  await page.keyboard.press("ArrowDown");
  const shown = await page.locator(".browse-list > li:not([hidden])").count();
  assert.ok(shown > 0 && shown < total, `${shown} of ${total}`);
  assert.equal(await page.textContent(".browse-count"), `Affichage\u00a0: ${shown} sur ${total}`);
  await page.close();
});

test("without JavaScript, filters give way to links and search says why it waits", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(demo.url + "/en/good-practices/");
  assert.equal(await page.isVisible("form.browse-filters"), false);
  const links = await page.locator(".browse-links details a").count();
  assert.ok(links > 5, `${links} links to term pages`);
  assert.ok((await page.locator(".browse-list > li").count()) >= 8, "every good practice listed");
  await page.goto(demo.url + "/en/search/?q=labour");
  assert.match(await page.textContent("#search-results noscript"), /turn on JavaScript/);
  // …and offers the sections instead.
  assert.ok((await page.locator("#search-results .search-instead a").count()) >= 4);
  // The home's lists, menu and language switcher are plain links.
  await page.goto(demo.url + "/en/");
  for (const block of ["#home-latest", "#home-upcoming", "#home-featured"]) {
    const items = await page.locator(`${block} ~ .cards li a`).count();
    assert.ok(items >= 1 && items <= 3, `${block}: ${items}`);
  }
  await context.close();
});

test("a dark scheme turns the page dark and keeps links readable", async () => {
  const colors = async (scheme) => {
    const page = await browser.newPage({ colorScheme: scheme });
    await page.goto(demo.url + "/en/news/");
    const value = await page.evaluate(() => ({
      background: getComputedStyle(document.documentElement).backgroundColor,
      link: getComputedStyle(document.querySelector("main a")).color,
    }));
    await page.close();
    return value;
  };
  const light = await colors("light");
  const dark = await colors("dark");
  assert.equal(light.background, "rgb(255, 255, 255)");
  assert.equal(dark.background, "rgb(20, 24, 29)");
  assert.equal(light.link, "rgb(11, 92, 138)");
  assert.equal(dark.link, "rgb(124, 196, 240)");
});

test("printed, a news item keeps its text and drops the navigation", async () => {
  const page = await browser.newPage();
  await page.goto(demo.url + "/fr/actualites/");
  const item = await page.getAttribute(".page-list li h2 a", "href");
  await page.goto(demo.url + item);
  await page.emulateMedia({ media: "print" });
  const shown = async (selector) => page.isVisible(selector);
  assert.equal(await shown(".site-header"), false);
  assert.equal(await shown(".breadcrumb"), false);
  assert.equal(await shown("article h1"), true);
  assert.equal(await shown("article .content"), true);
  assert.equal(await shown(".footer-organisation"), true, "who published it");
  const pdf = await page.pdf({ format: "A4" });
  assert.ok(pdf.length > 10000, `${pdf.length} bytes of PDF`);
  await page.close();
});

const SIZES = [
  { width: 360, height: 740 },
  { width: 1280, height: 860 },
];

/** Visible elements that reach past either side of the window (those inside a box that scrolls or clips are the box's business). */
function sideways(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const clipped = (el) => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        if (getComputedStyle(p).overflowX !== "visible") return true;
      }
      return false;
    };
    const out = [];
    for (const el of document.body.querySelectorAll("*")) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === "hidden") continue;
      if ((r.left < -0.5 || r.right > width + 0.5) && !clipped(el)) {
        out.push(`${el.tagName.toLowerCase()}.${el.className} [${Math.round(r.left)}, ${Math.round(r.right)}]`);
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, width, out };
  });
}

test("no element of an Arabic page sticks out sideways, at 360 and 1280 px", { timeout: 180000 }, async () => {
  const paths = pageTypes(demo.publicDir, "ar");
  assert.ok(paths.length >= 10, paths.join(" "));
  const problems = [];
  for (const viewport of SIZES) {
    const page = await browser.newPage({ viewport });
    for (const p of paths) {
      await page.goto(demo.url + p);
      assert.equal(await page.evaluate(() => document.documentElement.dir), "rtl", p);
      const { scrollWidth, width, out } = await sideways(page);
      if (scrollWidth > width) problems.push(`${viewport.width} ${p}: scrolls to ${scrollWidth} px`);
      for (const o of out) problems.push(`${viewport.width} ${p}: ${o}`);
    }
    await page.close();
  }
  assert.deepEqual(problems, []);
});

test("an Arabic page is a mirror: brand and menu on the right, switcher on the left, borders on the start side", async () => {
  const page = await browser.newPage({ viewport: SIZES[1] });
  await page.goto(`${demo.url}/ar/news/`);
  const layout = await page.evaluate(() => {
    const box = (s) => document.querySelector(s).getBoundingClientRect();
    const callout = document.querySelector("blockquote, .callout");
    return {
      brand: box(".brand"),
      switcher: box(".language-switcher"),
      firstMenu: box(".menu li:first-child"),
      lastMenu: box(".menu li:last-child"),
      callout: callout && {
        right: getComputedStyle(callout).borderRightWidth,
        left: getComputedStyle(callout).borderLeftWidth,
      },
      others: [...document.querySelectorAll(".language-switcher li")].map((li) => [li.lang, li.dir]),
    };
  });
  assert.ok(layout.brand.right > layout.switcher.right, "brand right of the switcher");
  assert.ok(layout.firstMenu.left > layout.lastMenu.left, "menu runs right to left");
  assert.ok(layout.callout, "the news section's text has a callout");
  assert.equal(layout.callout.left, "0px");
  assert.notEqual(layout.callout.right, "0px");
  // Every piece of another language's text says which way it runs.
  assert.deepEqual(layout.others, [["fr", "ltr"], ["en", "ltr"]]);

  // Pagination, as any list has it: previous on the right, arrows pointing outwards.
  const pagination = await page.evaluate(() => {
    const nav = document.createElement("nav");
    nav.className = "pagination";
    nav.innerHTML = '<a rel="prev" href="#">السابقة</a><span>2</span><a rel="next" href="#">التالية</a>';
    document.querySelector("main").append(nav);
    const prev = nav.querySelector('[rel="prev"]');
    const next = nav.querySelector('[rel="next"]');
    return {
      prevRight: prev.getBoundingClientRect().right,
      nextRight: next.getBoundingClientRect().right,
      before: getComputedStyle(prev, "::before").content,
      after: getComputedStyle(next, "::after").content,
    };
  });
  assert.ok(pagination.prevRight > pagination.nextRight, "previous comes first, on the right");
  assert.match(pagination.before, /\u2192/);
  assert.match(pagination.after, /\u2190/);
  await page.close();
});

test("French and English pages keep the left-to-right layout and arrows", async () => {
  const page = await browser.newPage({ viewport: SIZES[1] });
  await page.goto(`${demo.url}/en/news/`);
  const found = await page.evaluate(() => ({
    dir: document.documentElement.dir,
    arabic: [...document.querySelectorAll(".language-switcher li")].map((li) => [li.lang, li.dir]),
    before: getComputedStyle(document.querySelector('.pagination a[rel="next"]'), "::after").content,
  }));
  assert.equal(found.dir, "ltr");
  assert.deepEqual(found.arabic, [["fr", "ltr"], ["ar", "rtl"]]);
  assert.match(found.before, /\u2192/);
  await page.close();
});

test("Arabic search finds a page by a word without its article, and shows Arabic results", async () => {
  const page = await browser.newPage({ viewport: SIZES[0] });
  // « حدود » (borders) finds the page that writes « الحدود » and « للحدود ».
  await page.goto(`${demo.url}/ar/search/?q=${encodeURIComponent("حدود")}`);
  await page.waitForSelector(".search-list li a");
  const found = await page.evaluate(() => ({
    links: [...document.querySelectorAll(".search-list li a")].map((a) => a.getAttribute("href")),
    status: document.querySelector(".search-status").textContent,
  }));
  assert.equal(found.links[0], "/ar/good-practices/cross-border-coordination-committees/");
  assert.match(found.status, /عدد النتائج عن «حدود»: \d+|نتيجة واحدة عن «حدود»/);
  const { scrollWidth, width, out } = await sideways(page);
  assert.ok(scrollWidth <= width && out.length === 0, out.join("\n"));
  await page.close();
});
