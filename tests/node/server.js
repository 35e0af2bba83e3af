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
  ".xml": "application/xml",
  ".txt": "text/plain; charset=utf-8",
};

/** Serves `dir`; resolves to { url, close }. */
function serve(dir) {
  const root = path.resolve(dir);
  const server = http.createServer((req, res) => {
    let file = path.join(root, decodeURIComponent(new URL(req.url, "http://x").pathname));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    fs.readFile(file, (err, body) => {
      if (err) {
        res.writeHead(404, { "content-type": TYPES[".html"] }).end(fs.readFileSync(path.join(root, "404.html")));
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

module.exports = { serve, buildAndServe };
