// The CMS for its tests and screenshots: a copy of the demo, `portail serve
// --cms` on it, and the real Decap CMS (the npm package pinned in
// package.json) logged in to it in a browser page.
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { spawn } = require("node:child_process");
const { launch } = require("./chromium.js");
const { ROOT, BIN } = require("./lunr.js");

const DIST = path.join(path.dirname(require.resolve("decap-cms/package.json")), "dist");
const PINNED = `https://unpkg.com/decap-cms@${require("decap-cms/package.json").version}/dist/`;

/** A copy of the demo site. */
function demoCopy() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portail-cms-"));
  for (const entry of ["config.toml", "content", "data", "static"]) {
    fs.cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
  }
  return dir;
}

/** `portail serve --cms` in `site`: { url, stop }. */
function serveCms(site) {
  const child = spawn(BIN, ["serve", "--cms", "--port", "0", "--root", site], { stdio: ["ignore", "ignore", "pipe"] });
  return new Promise((resolve, reject) => {
    let seen = "";
    child.stderr.on("data", (chunk) => {
      seen += chunk;
      const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(seen);
      if (m) resolve({ url: m[1], stop: () => child.kill("SIGINT") });
    });
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`serve exited with ${code}: ${seen}`)));
  });
}

/** The CMS's page, logged in to the local backend. */
async function openCms(browser, url) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const problems = [];
  page.on("pageerror", (e) => problems.push(`${e && e.message} ${e && e.stack}`.slice(0, 300)));
  // Leaving a form the CMS still calls changed (its other languages'
  // empty fields) asks to confirm: the tests check the files themselves.
  page.on("dialog", (d) => d.accept());
  await page.route(`${PINNED}**`, (route) => {
    const file = path.join(DIST, route.request().url().slice(PINNED.length));
    route.fulfill({ path: file, contentType: "text/javascript" });
  });
  await page.goto(url + "admin/");
  await page.click("text=Se connecter");
  await page.waitForSelector("text=Actualités");
  return { page, problems };
}

/**
 * Runs `fn({ site, url, page, problems })` with the CMS open on a copy of
 * the demo served by `portail serve --cms`; removes it all afterwards.
 */
async function withCms(fn) {
  const site = demoCopy();
  const server = await serveCms(site);
  const browser = await launch();
  try {
    const { page, problems } = await openCms(browser, server.url);
    return await fn({ site, url: server.url, page, problems });
  } finally {
    await browser.close();
    server.stop();
    fs.rmSync(site, { recursive: true, force: true });
  }
}

module.exports = { withCms };
