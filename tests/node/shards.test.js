// The sharded search against lunr.js over the whole index: the same refs in
// the same order, the same scores, for at least 60 queries of every kind
// per language, on the fixture corpora, the demo site and a generated
// 2,000-pair site; and what a query fetches.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { execFileSync } = require("node:child_process");
const { lunr, ROOT, lunrIndex, rustIndex, portailRun, search, queries, withWholeIndex } = require("./lunr.js");
const Shards = require("../../themes/default/static/search/portail-shards.js")(lunr);

/** The shards in `dir`, read from disk; `fetched` lists the files asked for. */
function shardsIn(dir) {
  const fetched = [];
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"));
  const engine = new Shards(manifest, dir + "/", (url) => {
    assert.ok(url.endsWith(`?v=${manifest.hash}`), url);
    const file = url.slice(0, url.indexOf("?"));
    fetched.push(path.relative(dir, file));
    return Promise.resolve(JSON.parse(fs.readFileSync(file, "utf8")));
  });
  return { engine, fetched, manifest };
}

/** Runs `qs` through both paths; the results must agree. */
async function sameResults(whole, engine, qs, label) {
  assert.ok(qs.length >= 60, `${label}: only ${qs.length} queries`);
  let nonEmpty = 0;
  for (const q of qs) {
    const expected = search(whole, q);
    const got = (await engine.search(q)).map((r) => [r.ref, Number(r.score.toFixed(6))]);
    assert.deepEqual(got.map(([r]) => r), expected.map(([r]) => r), `${label}: query ${q}`);
    got.forEach(([, s], i) => assert.ok(Math.abs(s - expected[i][1]) <= 0.001, `${label}: score of ${q}`));
    if (got.length) nonEmpty++;
  }
  assert.ok(nonEmpty > qs.length / 2, `${label}: only ${nonEmpty} queries found something`);
}

const corpora = ["french", "english", "generic", "arabic"].map((name) => ({
  name,
  corpus: JSON.parse(fs.readFileSync(path.join(__dirname, "corpora", `${name}.json`), "utf8")),
}));

for (const { name, corpus } of corpora) {
  test(`${name} fixture corpus: shards answer as the whole index and as lunr.js`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portail-shards-"));
    try {
      const written = execFileSync(process.env.PORTAIL_BIN || path.join(ROOT, "target", "debug", "portail"), ["search-index", "--shards", dir], {
        input: JSON.stringify(corpus),
        maxBuffer: 1 << 30,
      }).toString();
      assert.equal(written, rustIndex(corpus));
      const { engine } = shardsIn(dir);
      const qs = queries(corpus).concat(["immig*", "migraton~1", "+immigration -europe", "title:dakar"]);
      await sameResults(lunr.Index.load(JSON.parse(written)), engine, qs, `${name} (portail's index)`);
      await sameResults(lunrIndex(corpus), engine, qs, `${name} (lunr.js's index)`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

/** Builds `site` and compares both paths in every language. */
async function siteAgrees(site, label, minimum) {
  const out = path.join(site, "public");
  portailRun(["build", "--root", site, "--output", out]);
  for (const lang of ["fr", "en"]) {
    const corpus = JSON.parse(portailRun(["search-documents", "--root", site, "--lang", lang]));
    assert.ok(corpus.documents.length >= minimum, `${label} ${lang}: ${corpus.documents.length} documents`);
    const dir = path.join(out, "search", lang);
    const whole = lunr.Index.load(JSON.parse(fs.readFileSync(path.join(dir, "index.json"), "utf8")));
    const { engine, fetched, manifest } = shardsIn(dir);
    const qs = queries(corpus);
    await sameResults(whole, engine, qs, `${label} ${lang}`);
    assert.ok(!fetched.some((f) => /index\.json|documents\.json/.test(f)), "the whole index is never fetched");
    // Each result's document comes from the chunks, as the store has it.
    const store = JSON.parse(fs.readFileSync(path.join(dir, "documents.json"), "utf8"));
    const refs = (await engine.search(qs[0])).slice(0, 20).map((r) => r.ref);
    assert.ok(refs.length > 0);
    assert.deepEqual(await engine.documents(refs), refs.map((r) => store[Number(r)]));
    if (manifest.keys.length > 1) {
      const shards = new Set(fetched.filter((f) => f.startsWith("t/")));
      assert.ok(shards.size < manifest.keys.length, `${label} ${lang}: every shard was fetched`);
    }
  }
}

test("demo site: shards answer as the whole index", async () => {
  const site = withWholeIndex(ROOT);
  try {
    await siteAgrees(site, "demo", 35);
    // While typing, the last word also begins longer words: the pages with
    // the word as typed come first, in the whole index's order, then the
    // others.
    const { engine } = shardsIn(path.join(site, "public", "search", "fr"));
    for (const [typed, longer] of [["mobil", "mobilisation"], ["diaspo", "diaspora"], ["migr", "migrants"]]) {
      const exact = (await engine.search(typed)).map((r) => r.ref);
      const typing = (await engine.search(typed, { prefix: true })).map((r) => r.ref);
      assert.deepEqual(typing.slice(0, exact.length), exact, typed);
      assert.ok(typing.length > exact.length, `${typed} finds more while typed`);
      const withLonger = (await engine.search(longer)).map((r) => r.ref);
      assert.ok(withLonger.every((r) => typing.includes(r)), `${typed} finds the pages with ${longer}`);
    }
    // A word ended by a space is whole again.
    assert.deepEqual(
      (await engine.search("diaspo ", { prefix: true })).map((r) => r.ref),
      (await engine.search("diaspo ")).map((r) => r.ref),
    );
  } finally {
    fs.rmSync(site, { recursive: true, force: true });
  }
});

test("a generated 2,000-pair site: shards answer as the whole index", async () => {
  const generated = fs.mkdtempSync(path.join(os.tmpdir(), "portail-2000-"));
  try {
    execFileSync("python3", [path.join(ROOT, "bench", "corpus.py"), "--pairs", "2000", "--out", generated]);
    // Share cards are drawn by unoptimised code in the tests' debug build:
    // not what this test is about.
    fs.appendFileSync(path.join(generated, "config.toml"), "\n[images]\ncards = false\n");
    const site = withWholeIndex(generated);
    try {
      await siteAgrees(site, "2,000 pairs", 2000);
    } finally {
      fs.rmSync(site, { recursive: true, force: true });
    }
  } finally {
    fs.rmSync(generated, { recursive: true, force: true });
  }
});
