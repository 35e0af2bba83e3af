// Measures save-to-reload with `portail serve` in headless Chromium: from
// writing a content file to the updated page painted (its content replaced
// in place) or its first contentful paint (reloaded whole): debounce,
// rebuild, reload event and page update included. Edits a copy of the site:
// its text (a line added), with `title` its title (a word added), or with
// `new` adds a page beside it (a copy without its slug), dated in the
// future so that it tops its section's list (open the list page), and
// `slug` gives it a new address with its title (the open page follows).
//   node bench/serve-latency.js <site dir> <content file> <page path> [<rounds>] [text|title|new|slug]
// e.g. node bench/serve-latency.js . content/news/….fr.md fr/actualites/…/ 5 title
//      node bench/serve-latency.js . content/news/….fr.md fr/actualites/ 5 new
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { spawn } = require("node:child_process");
const { launch } = require("../tests/node/chromium.js");
const BIN = process.env.PORTAIL_BIN || path.resolve(__dirname, "../target/release/portail");

async function main() {
  const [site, file, pagePath, rounds = "5", kind = "text"] = process.argv.slice(2);
  if (!["text", "title", "new", "slug"].includes(kind)) throw new Error(`edit kind ${kind}: text, title, new or slug`);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "portail-bench-"));
  for (const part of ["config.toml", "content", "data", "static", "templates", "i18n"]) {
    const from = path.join(site, part);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(root, part), { recursive: true });
  }
  const child = spawn(BIN, ["serve", "--port", "0", "--root", root], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(log)), 120000);
    child.stderr.on("data", (chunk) => {
      log += chunk;
      const found = /Serving the site at (\S+)/.exec(log);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    });
  });
  const browser = await launch();
  const times = [];
  try {
    const page = await browser.newPage();
    await page.goto(url + pagePath);
    const target = path.join(root, file);
    const original = fs.readFileSync(target, "utf8");
    for (let i = 0; i < Number(rounds); i++) {
      await page.waitForFunction(() => window.portailLive === "connected", null, { timeout: 120000 });
      // Each save waits for the search indexes of the one before (which
      // `serve` builds after the reload, on the same thread).
      while ((log.match(/Search indexes updated/g) || []).length < i) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const marker = `benchmark-edit-${i}`;
      const titled = original.replace('title = "', `title = "${marker} `);
      const slugged = titled.replace(/^slug = .*\n/m, "").replace("+++\n", `+++\nslug = "${marker}"\n`);
      const edited = kind === "text" ? `${original}\n\n${marker}\n` : kind === "slug" ? slugged : titled;
      const saved =
        kind === "new" ? path.join(path.dirname(target), `zz-${marker}.${target.split(".").at(-2)}.md`) : target;
      // A page updated in place notes the start of the frame after the one
      // that painted the change (an upper bound); a reloaded one has its
      // first contentful paint.
      await page.evaluate((m) => {
        window.shownAt = undefined;
        new MutationObserver((_, observer) => {
          if (!document.body.textContent.includes(m)) return;
          observer.disconnect();
          requestAnimationFrame(() => requestAnimationFrame(() => {
            window.shownAt = performance.timeOrigin + performance.now();
          }));
        }).observe(document.documentElement, { childList: true, subtree: true, characterData: true });
      }, marker);
      const t0 = Date.now();
      const dated = /^date = /m.test(edited)
        ? edited.replace(/^date = .*$/m, "date = 2030-01-01")
        : edited.replace("+++\n", "+++\ndate = 2030-01-01\n");
      // A new page's own address: the copied slug would clash.
      fs.writeFileSync(saved, kind === "new" ? dated.replace(/^slug = .*\n/m, "") : edited);
      await page.waitForFunction((m) => document.body.textContent.includes(m), marker, { timeout: 120000, polling: 5 });
      await page.waitForFunction(
        // `shownAt` exists only in the page that was there before the save.
        () => ("shownAt" in window ? window.shownAt !== undefined : performance.getEntriesByName("first-contentful-paint").length > 0),
        null,
        { timeout: 120000, polling: 5 },
      );
      // By the page's own clock (the test's noticing it comes later).
      const painted = await page.evaluate(() => {
        if ("shownAt" in window) return window.shownAt;
        const paint = performance.getEntriesByName("first-contentful-paint")[0];
        return performance.timeOrigin + paint.startTime;
      });
      times.push(Math.round(painted - t0));
    }
  } finally {
    await browser.close();
    child.kill();
    fs.rmSync(root, { recursive: true, force: true });
  }
  const sorted = [...times].sort((a, b) => a - b);
  const rebuilds = [...log.matchAll(/Rebuilt in (\d+) ms/g)].map((m) => Number(m[1]));
  console.log(JSON.stringify({ file, kind, save_to_reload_ms: times, median_ms: sorted[Math.floor(sorted.length / 2)], rebuild_ms: rebuilds }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
