// lunr.js 2.3.9 with lunr-languages 1.22.0 and portail's settings, exactly
// as the theme sets them up in the browser; plus helpers to run portail.
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { execFileSync } = require("node:child_process");

const lunr = require("lunr");
require("lunr-languages/lunr.stemmer.support")(lunr);
require("lunr-languages/lunr.fr")(lunr);
// The minified file: what the browser runs.
require("lunr-languages/min/lunr.ar.min")(lunr);
const portail = require("../../themes/default/static/search/portail-lunr.js")(lunr);

const ROOT = path.resolve(__dirname, "../..");
const BIN = process.env.PORTAIL_BIN || path.join(ROOT, "target", "debug", "portail");

/** The index lunr.js builds for a corpus ({pipeline, fields, documents}). */
function lunrIndex(corpus) {
  return lunr(function () {
    portail.configure(this, corpus.pipeline);
    this.ref("ref");
    for (const f of corpus.fields) this.field(f.name, { boost: f.boost });
    for (const d of corpus.documents) {
      const doc = { ref: d.ref };
      corpus.fields.forEach((f, i) => (doc[f.name] = d.fields[i]));
      this.add(doc);
    }
  });
}

/** The JSON portail writes for a corpus. */
function rustIndex(corpus) {
  return execFileSync(BIN, ["search-index"], { input: JSON.stringify(corpus), maxBuffer: 1 << 30 }).toString();
}

function portailRun(args, options = {}) {
  return execFileSync(BIN, args, { maxBuffer: 1 << 30, ...options }).toString();
}

/**
 * Compares two serialized indexes. Identical bytes pass; otherwise the two
 * texts must be the same but for numbers that differ by exactly 0.001 — a
 * score rounded the other way because V8's Math.log and the C library's
 * log differ by 1 ulp next to a .5 tie — which are reported. Anything else
 * (another structure, another number, another way of writing a number)
 * fails.
 */
function compareIndexes(rustJson, lunrJson) {
  if (rustJson === lunrJson) return { identical: true, ties: [] };
  const NUMBER = /-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/g;
  const split = (s) => ({ text: s.split(NUMBER), numbers: s.match(NUMBER) || [] });
  const a = split(rustJson);
  const b = split(lunrJson);
  if (a.text.length !== b.text.length || a.text.some((t, i) => t !== b.text[i])) {
    throw new Error("the indexes differ in more than scores");
  }
  const ties = [];
  a.numbers.forEach((x, i) => {
    const y = b.numbers[i];
    if (x === y) return;
    const gap = Math.abs(Number(x) - Number(y));
    if (Math.abs(gap - 0.001) > 1e-9 || !x.includes(".") || !y.includes(".")) {
      throw new Error(`number ${i}: ${x} (Rust) vs ${y} (lunr.js)`);
    }
    ties.push(`${x} vs ${y}`);
  });
  return { identical: false, ties };
}

/** Results of a query as [ref, score] pairs. */
function search(index, query) {
  return index.search(query).map((r) => [r.ref, Number(r.score.toFixed(6))]);
}

/** At least 60 queries of every kind, made from the documents' own words. */
function queries(corpus) {
  const words = [];
  const seen = new Set();
  for (const d of corpus.documents) {
    for (const w of d.fields.join(" ").split(/[\s\-'\u2019.,;:!?«»()]+/)) {
      const lw = w.toLowerCase();
      if (lw.length >= 5 && /^\p{L}+$/u.test(lw) && !seen.has(lw)) {
        seen.add(lw);
        words.push(lw);
      }
    }
  }
  const pick = (n, offset) => Array.from({ length: n }, (_, i) => words[(offset + i * 7) % words.length]);
  const plain = (s) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  const accented = words.filter((w) => plain(w) !== w);
  const qs = [
    ...pick(20, 0),
    ...accented.slice(0, 8).map(plain),
    ...pick(5, 3).map((w) => `l'${w}`),
    ...pick(5, 4).map((w) => `l’${w}`),
    ...pick(8, 5).map((w, i) => `${w} ${words[(i * 11 + 2) % words.length]}`),
    ...pick(5, 6).map((w) => `title:${w}`),
    ...pick(5, 7).map((w) => `${w.slice(0, 4)}*`),
    ...pick(5, 8).map((w) => `${w.slice(0, -1)}~1`),
    ...pick(5, 9).map((w, i) => `+${w} ${words[(i * 5 + 1) % words.length]}`),
    ...pick(5, 10).map((w, i) => `${words[(i * 3 + 4) % words.length]} -${w}`),
  ];
  return qs;
}

/** Copies a site to a temporary folder, its config asking for the whole index too. */
function withWholeIndex(source) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portail-site-"));
  for (const entry of ["config.toml", "content", "data", "static", "templates", "i18n", "themes"]) {
    const from = path.join(source, entry);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(dir, entry), { recursive: true });
  }
  const config = path.join(dir, "config.toml");
  let text = fs.readFileSync(config, "utf8");
  text = /^\[search\]/m.test(text)
    ? text.replace(/^\[search\]\n/m, "[search]\nwhole_index = true\n")
    : `${text}\n[search]\nwhole_index = true\n`;
  fs.writeFileSync(config, text);
  return dir;
}

module.exports = { lunr, portail, ROOT, BIN, lunrIndex, rustIndex, portailRun, compareIndexes, search, queries, withWholeIndex };

