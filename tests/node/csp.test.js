// `[deploy] headers = true` writes `_headers`; served as a host would send
// it (tests/node/server.js applies its rules), every page of the demo keeps
// its Content Security Policy in headless Chromium: no violation while it
// loads, nor on a search, the good-practice filters or a video's click. A
// probe page with an inline script and style proves violations are seen.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { launch } = require("./chromium.js");
const { ROOT, portailRun } = require("./lunr.js");
const { serve, pagesWith } = require("./server.js");

/** The demo built with `[deploy] headers = true`: its output folder. */
function buildWithHeaders() {
  const site = fs.mkdtempSync(path.join(os.tmpdir(), "portail-csp-"));
  for (const entry of ["config.toml", "content", "data", "static"]) {
    fs.cpSync(path.join(ROOT, entry), path.join(site, entry), { recursive: true });
  }
  fs.appendFileSync(path.join(site, "config.toml"), "\n[deploy]\nheaders = true\n");
  portailRun(["build", "--root", site, "--output", path.join(site, "public")]);
  return site;
}

/** Every HTML file of the output, as site paths. */
function htmlPages(dir) {
  return fs
    .readdirSync(dir, { recursive: true })
    .filter((f) => f.endsWith(".html") && !f.startsWith("admin"))
    .map((f) => "/" + f.split(path.sep).join("/").replace(/index\.html$/, ""))
    .sort();
}

test("every page of the demo keeps the Content Security Policy of _headers", { timeout: 300000 }, async () => {
  const site = buildWithHeaders();
  const publicDir = path.join(site, "public");
  fs.mkdirSync(path.join(publicDir, "fr", "csp-probe"));
  fs.writeFileSync(
    path.join(publicDir, "fr", "csp-probe", "index.html"),
    '<!doctype html><p style="color:red">x</p><script>document.title = "ran"</script>',
  );
  const server = await serve(publicDir, { headers: true });
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const violations = [];
    await page.exposeFunction("violated", (v) => violations.push(v));
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) =>
        window.violated(`${location.pathname}: ${e.violatedDirective} ${e.blockedURI}`),
      );
    });
    // Nothing leaves the machine.
    await page.route("**/*", (route) =>
      route.request().url().startsWith(server.url) ? route.continue() : route.abort(),
    );
    const seen = async (pathname) => {
      await page.goto(server.url + pathname, { waitUntil: "load" });
      await page.waitForTimeout(20);
    };

    // The probe: the policy is sent and enforced, and violations are seen.
    const response = await page.goto(server.url + "/fr/csp-probe/");
    assert.match(response.headers()["content-security-policy"], /script-src 'self'/);
    await page.waitForTimeout(200);
    assert.ok(violations.length >= 2, violations.join("\n"));
    assert.notEqual(await page.title(), "ran");
    violations.length = 0;
    fs.rmSync(path.join(publicDir, "fr", "csp-probe"), { recursive: true });

    const pages = htmlPages(publicDir);
    assert.ok(pages.length > 150, `${pages.length} pages`);
    for (const pathname of pages) await seen(pathname);

    // What runs on a visitor's action: a search, the filters, a video.
    await seen("/fr/");
    await page.fill("#site-search-input", "migration");
    await page.press("#site-search-input", "Enter");
    await page.waitForSelector(".search-list li a");
    await seen("/fr/bonnes-pratiques/");
    await page.locator("select").first().selectOption({ index: 1 });
    const [video] = pagesWith(publicDir, "fr", 'class="video-facade"');
    await seen(video);
    await page.locator("a.video-facade").first().click();
    await page.locator("figure.video iframe").waitFor();
    await page.waitForTimeout(300);
    assert.deepEqual(violations, []);
  } finally {
    await browser.close();
    server.close();
    fs.rmSync(site, { recursive: true, force: true });
  }
});
