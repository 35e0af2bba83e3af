// A minimal static file server on 127.0.0.1 for browser tests.
"use strict";
const http = require("node:http");
const fs = require("node:fs");
const path = require("node:path");

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".css": "text/css",
  ".svg": "image/svg+xml",
  ".webp": "image/webp",
  ".jpg": "image/jpeg",
  ".png": "image/png",
  ".xml": "application/xml",
  ".txt": "text/plain; charset=utf-8",
  ".wasm": "application/wasm",
};

/**
 * The rules of a `_headers` file as Netlify and Cloudflare Pages read it:
 * [{ match(pathname), headers: [[name, value]] }]; a `*` matches anything.
 */
function headerRules(text) {
  const rules = [];
  for (const line of text.split("\n")) {
    if (!line.trim() || line.trim().startsWith("#")) continue;
    if (!/^\s/.test(line)) {
      const pattern = new RegExp("^" + line.trim().split("*").map((p) => p.replace(/[.?+^$()[\]{}|\\]/g, "\\$&")).join(".*") + "$");
      rules.push({ match: (pathname) => pattern.test(pathname), headers: [] });
    } else {
      const at = line.indexOf(":");
      rules[rules.length - 1].headers.push([line.slice(0, at).trim(), line.slice(at + 1).trim()]);
    }
  }
  return rules;
}

/** The headers of every rule that matches, values of one name joined. */
function headersFor(rules, pathname) {
  const out = {};
  for (const rule of rules.filter((r) => r.match(pathname))) {
    for (const [name, value] of rule.headers) {
      const key = name.toLowerCase();
      out[key] = out[key] ? `${out[key]}, ${value}` : value;
    }
  }
  return out;
}

/** Serves `dir`; resolves to { url, close }. With `{ headers: true }` the
 * responses carry what `dir/_headers` asks, as a host would send it. */
function serve(dir, { headers = false } = {}) {
  const root = path.resolve(dir);
  const rules = headers ? headerRules(fs.readFileSync(path.join(root, "_headers"), "utf8")) : [];
  const server = http.createServer((req, res) => {
    const pathname = new URL(req.url, "http://x").pathname;
    for (const [name, value] of Object.entries(headersFor(rules, pathname))) res.setHeader(name, value);
    let file = path.join(root, decodeURIComponent(pathname));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    fs.readFile(file, (err, body) => {
      if (err) {
        const missing = path.join(root, "404.html");
        res.writeHead(404, { "content-type": TYPES[".html"] }).end(fs.existsSync(missing) ? fs.readFileSync(missing) : "");
        return;
      }
      res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream" }).end(body);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() });
    });
  });
}

/** Builds the site at `root` into a temporary folder and serves it:
 * { url, publicDir, close }; `close` also removes the folder. */
async function buildAndServe(root) {
  const os = require("node:os");
  const { portailRun } = require("./lunr.js");
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "portail-site-"));
  const publicDir = path.join(out, "public");
  portailRun(["build", "--root", root, "--output", publicDir]);
  const server = await serve(publicDir);
  return {
    url: server.url,
    publicDir,
    close() {
      server.close();
      fs.rmSync(out, { recursive: true, force: true });
    },
  };
}

/** A page of each kind under a language's folder of the built site. */
function pageTypes(publicDir, lang) {
  const dir = path.join(publicDir, lang);
  const folders = (sub) =>
    fs
      .readdirSync(path.join(dir, sub), { withFileTypes: true })
      .filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, sub, e.name, "index.html")))
      .map((e) => e.name)
      .sort();
  const found = [`/${lang}/`, `/${lang}/404.html`];
  for (const section of folders("")) {
    found.push(`/${lang}/${section}/`);
    // One item of the list (a page or a term), and one year page where
    // the section has them.
    const items = folders(section).filter((name) => name !== "page");
    const item = items.find((name) => !/^\d{4}$/.test(name));
    const year = items.find((name) => /^\d{4}$/.test(name));
    for (const name of [item, year].filter(Boolean)) found.push(`/${lang}/${section}/${name}/`);
  }
  return found;
}

/** The site paths of the pages of `lang` whose HTML contains `needle`. */
function pagesWith(publicDir, lang, needle) {
  const found = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name === "index.html" && fs.readFileSync(file, "utf8").includes(needle)) {
        found.push("/" + path.relative(publicDir, path.dirname(file)) + "/");
      }
    }
  };
  walk(path.join(publicDir, lang));
  return found.sort();
}

module.exports = { serve, buildAndServe, pageTypes, pagesWith, headerRules, headersFor };
