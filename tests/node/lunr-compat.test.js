// portail's Rust-written lunr indexes against lunr.js itself: byte for
// byte on fixture corpora and on the demo site, then the same results for
// the same queries.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { lunr, ROOT, lunrIndex, rustIndex, portailRun, compareIndexes, search, queries, withWholeIndex } = require("./lunr.js");

const corpora = ["french", "english", "generic", "arabic"].map((name) => ({
  name,
  corpus: JSON.parse(fs.readFileSync(path.join(__dirname, "corpora", `${name}.json`), "utf8")),
}));

/** Builds both indexes and checks they match; returns both, loaded. */
function both(corpus, label) {
  const expected = JSON.stringify(lunrIndex(corpus));
  const written = rustIndex(corpus);
  const { identical, ties } = compareIndexes(written, expected);
  if (!identical) console.log(`${label}: ${ties.length} score tie(s) within 0.001:\n  ${ties.join("\n  ")}`);
  return { rust: lunr.Index.load(JSON.parse(written)), reference: lunr.Index.load(JSON.parse(expected)) };
}

for (const { name, corpus } of corpora) {
  test(`${name} fixture corpus: the Rust index equals lunr.js's`, () => {
    both(corpus, name);
  });
}

test("French: elisions, accents and compounds are found", () => {
  const { rust } = both(corpora[0].corpus, "french");
  const refs = (q) => search(rust, q).map(([r]) => r);
  assert.equal(refs("immigration")[0], "/fr/immigration/"); // « L'immigration », « l’immigration »
  assert.ok(refs("reunion").includes("/fr/reunion/")); // réunion
  assert.ok(refs("cafe").includes("/fr/reunion/")); // café
  assert.equal(refs("Afrique")[0], "/fr/afrique/"); // Afrique-UE
  assert.ok(refs("etat").includes("/fr/espaces/")); // l’État
  assert.ok(refs("l'État").includes("/fr/espaces/"));
  assert.ok(refs("aujourd’hui").includes("/fr/espaces/"));
});

test("English: accents are folded so cafe finds café", () => {
  const { rust } = both(corpora[1].corpus, "english");
  const refs = (q) => search(rust, q).map(([r]) => r);
  assert.ok(refs("cafe").includes("/en/meeting/"));
  assert.ok(refs("café").includes("/en/meeting/"));
  assert.ok(refs("reunion").includes("/en/meeting/"));
  assert.equal(refs("immigration")[0], "/en/immigration/");
  assert.ok(refs("Afrique").includes("/en/africa/"));
  assert.ok(refs("Immigration,").length > 0, "queries are trimmed");
});

test("Arabic: articles, prefixes, diacritics and tatweel are found", () => {
  const { rust } = both(corpora[3].corpus, "arabic");
  const refs = (q) => search(rust, q).map(([r]) => r);
  assert.deepEqual(refs("الحدود"), ["/ar/tadrib/"]); // « حدود », no article
  assert.deepEqual(refs("حدود"), ["/ar/tadrib/"]);
  assert.deepEqual(refs("تَدْرِيب"), refs("تدريب")); // diacritics
  assert.ok(refs("تَدْرِيب").includes("/ar/tadrib/"));
  assert.ok(refs("الهِجْرَة").includes("/ar/hijra/"));
  assert.deepEqual(refs("الحـــوار"), refs("حوار")); // tatweel
  assert.ok(refs("والحوار").includes("/ar/hiwar/")); // « و » + article
  assert.deepEqual(refs("المهاجرين"), refs("مهاجر"));
  assert.ok(refs("مسؤولية").includes("/ar/mafahim/")); // hamza on waw
  assert.ok(refs("2024").includes("/ar/hijra/")); // digits stay
  assert.deepEqual(refs("UNHCR"), []); // the Arabic trimmer drops Latin words
});

test("Arabic: thousands of generated words stem as lunr.ar stems them", () => {
  // Every prefix × stem × suffix: each branch of the stemmer, at every length.
  const prefixes = ["", "و", "ف", "ب", "ك", "ل", "س", "ي", "ت", "ن", "ا", "م", "ال", "لل", "بال", "وال", "فال", "كال", "تال", "ولل", "فبال", "كبال", "وبال", "وكال", "وو", "است", "مست"];
  const stems = ["كتب", "درس", "هجر", "حوار", "عمل", "شارك", "سأل", "قرأ", "رئيس", "مسؤول", "أمن", "إدماج", "آمال", "لاجئ", "مستشفى", "تعاون", "اجتمع", "استقبل", "انتقل", "ترجم", "دعوة", "مُهَاجِر", "تـدريـب", "أنشأ", "ملجأ"];
  const suffixes = ["", "ه", "ك", "ت", "ن", "ا", "ي", "ة", "ها", "هم", "ون", "ين", "ات", "ان", "نا", "وا", "تين", "كهم", "ونه", "تها", "هما", "كموه", "ناها", "ونهم", "ية", "اا", "ى", "ئة"];
  const words = [];
  for (const p of prefixes) for (const s of stems) for (const x of suffixes) words.push(p + s + x);
  assert.ok(words.length > 15000, `${words.length} words`);
  const corpus = {
    pipeline: "arabic",
    fields: [{ name: "title", boost: 10 }, { name: "body", boost: 1 }],
    documents: [{ ref: "words", fields: ["", words.join(" ")] }],
  };
  const expected = JSON.stringify(lunrIndex(corpus));
  assert.equal(rustIndex(corpus), expected);
});

function sameResults(indexes, qs, label) {
  assert.ok(qs.length >= 60, `${label}: only ${qs.length} queries`);
  let nonEmpty = 0;
  for (const q of qs) {
    const a = search(indexes.rust, q);
    const b = search(indexes.reference, q);
    assert.deepEqual(a.map(([r]) => r), b.map(([r]) => r), `${label}: query ${q}`);
    a.forEach(([, s], i) => assert.ok(Math.abs(s - b[i][1]) < 0.01, `${label}: score of ${q}`));
    if (a.length) nonEmpty++;
  }
  assert.ok(nonEmpty > qs.length / 2, `${label}: only ${nonEmpty} queries found something`);
}

test("demo site: the built indexes equal lunr.js's and answer queries alike", () => {
  // The whole index is written only when asked (the site's search reads shards).
  const out = withWholeIndex(ROOT);
  try {
    portailRun(["build", "--root", out, "--output", path.join(out, "public")]);
    for (const lang of ["fr", "en", "ar"]) {
      const file = path.join(out, "public", "search", lang, "index.json");
      // The demo's Arabic is a few sample pages, if the site has it.
      if (lang === "ar" && !fs.existsSync(file)) continue;
      const corpus = JSON.parse(portailRun(["search-documents", "--root", out, "--lang", lang]));
      const minimum = lang === "ar" ? 1 : 35;
      assert.ok(corpus.documents.length >= minimum, `${lang}: ${corpus.documents.length} documents`);
      const built = fs.readFileSync(file, "utf8");
      const expected = JSON.stringify(lunrIndex(corpus));
      const { identical, ties } = compareIndexes(built, expected);
      if (!identical) console.log(`demo ${lang}: ${ties.length} score tie(s):\n  ${ties.join("\n  ")}`);
      const indexes = { rust: lunr.Index.load(JSON.parse(built)), reference: lunr.Index.load(JSON.parse(expected)) };
      sameResults(indexes, queries(corpus), `demo ${lang}`);
    }
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

for (const { name, corpus } of corpora) {
  test(`${name} fixture corpus: the same results for at least 60 queries`, () => {
    const indexes = both(corpus, name);
    const more = name === "arabic" ? ["هجر*", "حوار~1", "+الهجرة -الشباب", "title:اجتماع", "الإِدْمَاج", "الحـــوار"] : [];
    sameResults(indexes, queries(corpus).concat(["immig*", "migraton~1", "+immigration -europe", "title:dakar"], more), name);
  });
}
