// The demo, built for a sub-path and served by a stock static server
// (Python's http.server) from 127.0.0.1: every page reachable from the root
// is crawled, and every link and asset must answer 200.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { spawn } = require("node:child_process");
const { ROOT, portailRun } = require("./lunr.js");

const BASE = "https://example.org/portal/";

function startServer(dir) {
  return new Promise((resolve, reject) => {
    const server = spawn("python3", ["-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", dir], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const onData = (chunk) => {
      const m = /port (\d+)/.exec(String(chunk));
      if (m) resolve({ origin: `http://127.0.0.1:${m[1]}`, stop: () => server.kill() });
    };
    server.stdout.on("data", onData);
    server.stderr.on("data", onData);
    server.on("error", reject);
  });
}

/** href, src and the search box's data-* URLs of a page. */
function links(html) {
  const out = [];
  for (const m of html.matchAll(/\s(?:href|src|data-manifest)="([^"]*)"/g)) out.push(m[1]);
  for (const m of html.matchAll(/\sdata-scripts="([^"]*)"/g)) out.push(...m[1].split(" "));
  return out.map((u) => u.replace(/&amp;/g, "&"));
}

test("every page, link and asset of the demo answers under a sub-path", async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "portail-crawl-"));
  const server = { stop() {} };
  try {
    portailRun(["build", "--root", ROOT, "--output", path.join(out, "portal"), "--base-url", BASE]);
    Object.assign(server, await startServer(out));
    const local = (url) => (url.startsWith(BASE) ? server.origin + "/portal/" + url.slice(BASE.length) : url);
    const seen = new Set();
    const broken = [];
    const queue = [server.origin + "/portal/"];
    let pages = 0;
    while (queue.length) {
      const url = queue.shift();
      if (seen.has(url)) continue;
      seen.add(url);
      const response = await fetch(url);
      if (response.status !== 200) {
        broken.push(`${response.status} ${url}`);
        continue;
      }
      if (!(response.headers.get("content-type") || "").includes("text/html")) continue;
      pages++;
      const html = await response.text();
      for (const link of links(html)) {
        if (/^(mailto:|data:|#)/.test(link)) continue;
        const target = new URL(local(link), url);
        target.hash = "";
        if (target.origin !== server.origin) continue; // external sites are not crawled
        assert.ok(target.pathname.startsWith("/portal/"), `${url} links outside the sub-path: ${link}`);
        if (!seen.has(target.href)) queue.push(target.href);
      }
    }
    assert.deepEqual(broken, []);
    assert.ok(pages > 150, `only ${pages} pages crawled`);
    for (const lang of ["fr", "en"]) {
      assert.ok(seen.has(`${server.origin}/portal/${lang}/`), `${lang} home reached`);
      const manifest = `${server.origin}/portal/search/${lang}/manifest.json`;
      assert.ok(seen.has(manifest), `${lang} search manifest reached`);
      // The files the search script fetches from there answer too.
      for (const file of ["t/0.json", "d/0.json", "terms.json", "words.json"]) {
        const response = await fetch(new URL(file, manifest));
        assert.equal(response.status, 200, `${lang}: ${file}`);
      }
    }
  } finally {
    server.stop();
    fs.rmSync(out, { recursive: true, force: true });
  }
});
