// The lunr files the theme ships are the pinned npm packages' own bytes.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "../..");
const VENDOR = path.join(ROOT, "themes/default/static/search");

const files = [
  ["lunr.min.js", "lunr/lunr.min.js"],
  ["LICENSE.lunr", "lunr/LICENSE"],
  ["lunr.stemmer.support.min.js", "lunr-languages/min/lunr.stemmer.support.min.js"],
  ["lunr.fr.min.js", "lunr-languages/min/lunr.fr.min.js"],
  ["lunr.ar.min.js", "lunr-languages/min/lunr.ar.min.js"],
  ["LICENSE.lunr-languages", "lunr-languages/LICENSE"],
];

test("vendored lunr files equal the pinned packages", () => {
  assert.equal(require("lunr/package.json").version, "2.3.9");
  assert.equal(require("lunr-languages/package.json").version, "1.22.0");
  for (const [vendored, original] of files) {
    const a = fs.readFileSync(path.join(VENDOR, vendored));
    const b = fs.readFileSync(require.resolve(original.replace(/^([^/]+)\//, "$1/")));
    assert.ok(a.equals(b), `${vendored} differs from ${original}`);
  }
});
