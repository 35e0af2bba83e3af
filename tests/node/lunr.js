// lunr.js 2.3.9 with lunr-languages 1.22.0 and portail's settings, exactly
// as the theme sets them up in the browser; plus helpers to run portail.
"use strict";
const path = require("node:path");
const { execFileSync } = require("node:child_process");

const lunr = require("lunr");
require("lunr-languages/lunr.stemmer.support")(lunr);
require("lunr-languages/lunr.fr")(lunr);
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
 * Compares two serialized indexes. Identical bytes pass; otherwise the only
 * difference allowed is a score off by 0.001 (a 1-ulp logarithm tie between
 * V8's Math.log and the C library's), which is reported.
 */
function compareIndexes(rustJson, lunrJson) {
  if (rustJson === lunrJson) return { identical: true, ties: [] };
  const a = JSON.parse(rustJson);
  const b = JSON.parse(lunrJson);
  const ties = [];
  const same = (x, y, what) => {
    if (JSON.stringify(x) !== JSON.stringify(y)) throw new Error(`${what} differs`);
  };
  same(a.version, b.version, "version");
  same(a.fields, b.fields, "fields");
  same(a.pipeline, b.pipeline, "pipeline");
  same(a.invertedIndex, b.invertedIndex, "invertedIndex");
  same(a.fieldVectors.map((v) => v[0]), b.fieldVectors.map((v) => v[0]), "fieldVector refs");
  a.fieldVectors.forEach(([ref, xs], i) => {
    const ys = b.fieldVectors[i][1];
    if (xs.length !== ys.length) throw new Error(`vector ${ref} differs in length`);
    for (let k = 0; k < xs.length; k += 2) {
      if (xs[k] !== ys[k]) throw new Error(`vector ${ref} differs in terms`);
      if (xs[k + 1] !== ys[k + 1]) {
        if (Math.abs(xs[k + 1] - ys[k + 1]) > 0.0010001) throw new Error(`vector ${ref}: ${xs[k + 1]} vs ${ys[k + 1]}`);
        ties.push(`${ref} term ${xs[k]}: ${xs[k + 1]} vs ${ys[k + 1]}`);
      }
    }
  });
  return { identical: false, ties };
}

/** Results of a query as [ref, score] pairs. */
function search(index, query) {
  return index.search(query).map((r) => [r.ref, Number(r.score.toFixed(6))]);
}

module.exports = { lunr, portail, ROOT, BIN, lunrIndex, rustIndex, portailRun, compareIndexes, search };
