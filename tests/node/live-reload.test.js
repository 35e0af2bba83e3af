// `portail serve` in headless Chromium: a saved edit reloads the open page,
// a broken file shows its errors over it, fixing the file clears them.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { spawn } = require("node:child_process");
const { launch } = require("./chromium.js");
const { ROOT, BIN } = require("./lunr.js");

/** Copies the `basic` fixture and runs `portail serve --port 0` on it. */
async function startServer() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "portail-live-"));
  fs.cpSync(path.join(ROOT, "tests/fixtures/basic"), root, { recursive: true });
  const child = spawn(BIN, ["serve", "--port", "0", "--lang", "en"], { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
  const url = await new Promise((resolve, reject) => {
    let log = "";
    const timer = setTimeout(() => reject(new Error(`no server address in:\n${log}`)), 20000);
    child.stderr.on("data", (chunk) => {
      log += chunk;
      const found = /Serving the site at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(log);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    });
  });
  return {
    root,
    url,
    close() {
      child.kill();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * Opens the fixture's Dakar article once its events stream is open: the
 * page, the errors it throws, its source file and that file's text.
 */
async function openArticle(server, browser) {
  const page = await browser.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(String(e)));
  const file = path.join(server.root, "content/news/2024-05-12-Réunion à Dakar.fr.md");
  const text = fs.readFileSync(file, "utf8");
  await page.goto(server.url + "fr/actualites/reunion-a-dakar/");
  // Let the page open its events stream before saving.
  await page.waitForFunction(() => window.portailLive === "connected");
  return { page, problems, file, text };
}

test("an edit reloads the page; errors show over it until the file is fixed", async () => {
  const server = await startServer();
  const browser = await launch();
  try {
    const { page, problems, file, text } = await openArticle(server, browser);
    assert.equal(await page.textContent("h1"), "Réunion à Dakar");

    const started = Date.now();
    fs.writeFileSync(file, text.replace('title = "Réunion à Dakar"', 'title = "Réunion à Thiès"'));
    await page.waitForFunction(() => document.querySelector("h1").textContent === "Réunion à Thiès", null, { timeout: 20000 });
    const latency = Date.now() - started;
    assert.ok(latency < 20000);
    console.log(`# save-to-reload on the fixture: ${latency} ms`);

    fs.writeFileSync(file, "+++\ntitle = \n+++\n");
    const overlay = await page.waitForSelector("#portail-errors", { timeout: 20000 });
    const shown = await overlay.textContent();
    assert.match(shown, /content\/news\/2024-05-12-Réunion à Dakar\.fr\.md:2:9/);
    assert.match(shown, /invalid front matter/);
    assert.match(shown, /help: front matter is TOML/);
    assert.equal(await overlay.getAttribute("role"), "alert");
    // The last good build is still the page underneath.
    assert.equal(await page.textContent("h1"), "Réunion à Thiès");

    fs.writeFileSync(file, text);
    await page.waitForFunction(() => document.querySelector("h1").textContent === "Réunion à Dakar", null, { timeout: 20000 });
    assert.equal(await page.$("#portail-errors"), null);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    server.close();
  }
});

test("a Markdown edit updates the open page in place; other edits reload it", async () => {
  const server = await startServer();
  const browser = await launch();
  try {
    const { page, problems, file, text } = await openArticle(server, browser);
    // Lost if the page loads again.
    await page.evaluate(() => { window.samePage = true; });

    fs.writeFileSync(file, text.replace('title = "Réunion à Dakar"', 'title = "Réunion à Thiès"'));
    await page.waitForFunction(() => document.querySelector("h1").textContent === "Réunion à Thiès", null, { timeout: 20000 });
    assert.equal(await page.evaluate(() => window.samePage), true, "replaced in place");
    assert.match(await page.title(), /Réunion à Thiès/);
    const structured = await page.evaluate(() => document.querySelector("script[type='application/ld+json']")?.textContent || "");
    assert.match(structured, /Réunion à Thiès/, "the head follows");

    // A second edit in place, then a change outside content/: a reload.
    fs.writeFileSync(file, text.replace('title = "Réunion à Dakar"', 'title = "Réunion à Saint-Louis"'));
    await page.waitForFunction(() => document.querySelector("h1").textContent === "Réunion à Saint-Louis", null, { timeout: 20000 });
    assert.equal(await page.evaluate(() => window.samePage), true, "still in place");
    const config = path.join(server.root, "config.toml");
    fs.writeFileSync(config, fs.readFileSync(config, "utf8") + "\n");
    await page.waitForFunction(() => window.samePage === undefined && window.portailLive === "connected", null, { timeout: 20000 });
    assert.equal(await page.textContent("h1"), "Réunion à Saint-Louis");
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    server.close();
  }
});

test("a page given another address is followed there", async () => {
  const server = await startServer();
  const browser = await launch();
  try {
    const { page, problems, file, text } = await openArticle(server, browser);
    await page.evaluate(() => {
      window.location.hash = "#top";
      // Gone if the page loads whole.
      window.stayed = true;
    });
    const moved = text.replace("+++\n", '+++\nslug = "reunion-a-thies"\n');
    fs.writeFileSync(file, moved);
    await page.waitForFunction(() => window.location.pathname === "/fr/actualites/reunion-a-thies/", null, {
      timeout: 20000,
    });
    assert.equal(new URL(page.url()).hash, "#top");
    assert.equal(await page.textContent("h1"), "Réunion à Dakar");
    // Its content was replaced in place, as after any edit of Markdown.
    assert.equal(await page.evaluate(() => window.stayed), true);
    // The next edit reaches it at its new address.
    fs.writeFileSync(file, moved.replace('title = "Réunion à Dakar"', 'title = "Réunion à Thiès"'));
    await page.waitForFunction(() => document.querySelector("h1").textContent === "Réunion à Thiès", null, {
      timeout: 20000,
    });
    assert.equal(new URL(page.url()).pathname, "/fr/actualites/reunion-a-thies/");
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    server.close();
  }
});
