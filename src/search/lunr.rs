//! A lunr.js 2.3.9 index, written as `JSON.stringify(lunr(…))` would write
//! it, byte for byte (see `reference/lunr-index-format.md`): BM25 field
//! vectors, an inverted index sorted by UTF-16 code units, postings listing
//! every field, refs in JavaScript's own-property order.

use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::fmt::Write;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::text::{Pipeline, Terms};

const K1: f64 = 1.2;
const B: f64 = 0.75;

/// An indexed field and its boost.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    pub boost: f64,
}

impl std::hash::Hash for Field {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name.hash(state);
        self.boost.to_bits().hash(state);
    }
}

/// A document: its ref and one text per field, in field order (borrowed
/// from the rendered pages where they can be: no copy of every body).
#[derive(Debug, Clone, PartialEq, Hash, serde::Serialize)]
pub struct Document<'a> {
    #[serde(rename = "ref")]
    pub reference: String,
    pub fields: Vec<Cow<'a, str>>,
}

/// A field of a document: (term id, frequency) in first-seen order, and length.
type FieldTerms = (Vec<(u32, u32)>, usize);

/// Where a term occurs: per field, the documents (by number) in add order,
/// with the term's frequency there. A term's id is its `_index`: both
/// number terms in first-seen order.
pub struct Posting {
    pub refs: Vec<Vec<(u32, u32)>>,
}

/// A field's terms with their frequencies in first-seen order, and its
/// length in terms.
pub type AnalysedField = (Vec<(Arc<str>, u32)>, usize);

/// What the pipeline makes of a document: per field, its terms with their
/// frequencies in first-seen order and its length in terms; and the
/// distinct words its terms come from. It depends on the document's texts
/// only, so a rebuild can keep it for unchanged pages.
pub struct Analysis {
    pub fields: Vec<AnalysedField>,
    pub words: Vec<Arc<str>>,
}

/// Runs the pipeline over each field of `doc`.
pub fn analyze(terms: &mut Terms, field_count: usize, doc: &Document) -> Analysis {
    // By the term's address: `terms` gives equal terms as one `Arc`.
    let mut position: FxHashMap<*const u8, usize> = FxHashMap::default();
    let mut words: Vec<Arc<str>> = Vec::new();
    terms.start_document();
    let fields = (0..field_count)
        .map(|f| {
            let text = doc.fields.get(f).map_or("", |t| t.as_ref());
            let mut tf: Vec<(Arc<str>, u32)> = Vec::new();
            let mut length = 0;
            position.clear();
            terms.each_found(text, |found, first| {
                length += 1;
                if first {
                    words.push(Arc::clone(&found.word));
                }
                match position.entry(found.term.as_ptr()) {
                    Entry::Occupied(i) => tf[*i.get()].1 += 1,
                    Entry::Vacant(slot) => {
                        slot.insert(tf.len());
                        tf.push((Arc::clone(&found.term), 1));
                    }
                }
            });
            (tf, length)
        })
        .collect();
    Analysis { fields, words }
}

/// Builds the index of `docs` and returns its JSON.
pub fn build(fields: &[Field], docs: &[Document], pipeline: Pipeline) -> String {
    let mut terms = Terms::new(pipeline);
    Inverted::new(fields, docs, pipeline, |doc| {
        Arc::new(analyze(&mut terms, fields.len(), doc))
    })
    .to_json()
}

/// An index before it is written: every term's postings and every
/// document's term frequencies, from which lunr's scores follow.
pub struct Inverted<'a> {
    pub fields: &'a [Field],
    pub docs: Vec<&'a Document<'a>>,
    pub pipeline: Pipeline,
    /// Terms by id.
    pub names: Vec<Arc<str>>,
    pub postings: Vec<Posting>,
    frequencies: Vec<Vec<FieldTerms>>,
    average: Vec<f64>,
    /// Each distinct word, with how many documents have it.
    pub words: FxHashMap<Arc<str>, u32>,
}

impl<'a> Inverted<'a> {
    /// Inverts `docs` from their analyses, which `analysis` gives
    /// (computed or remembered).
    pub fn new(
        fields: &'a [Field],
        docs: &'a [Document<'a>],
        pipeline: Pipeline,
        mut analysis: impl FnMut(&Document<'_>) -> Arc<Analysis>,
    ) -> Self {
        // A ref added twice counts once (lunr would count it twice in N but
        // keep one vector); refs are unique here anyway.
        let mut seen = std::collections::HashSet::new();
        let docs: Vec<&Document<'_>> = docs
            .iter()
            .filter(|d| seen.insert(d.reference.as_str()))
            .collect();
        let n = docs.len();

        // Terms are numbered in first-seen order over documents, then fields,
        // then positions: the order lunr meets them in.
        let mut ids: FxHashMap<Arc<str>, u32> = FxHashMap::default();
        let mut by_address: FxHashMap<usize, u32> = FxHashMap::default();
        let mut names: Vec<Arc<str>> = Vec::new();
        let mut postings: Vec<Posting> = Vec::new();
        let mut frequencies: Vec<Vec<FieldTerms>> = Vec::with_capacity(n);
        let mut total_length = vec![0usize; fields.len()];
        // By address while counting (analyses of one pipeline share their
        // words' `Arc`s), then by text: remembered analyses may come from
        // another build's.
        let mut counted: FxHashMap<usize, (Arc<str>, u32)> = FxHashMap::default();
        for (d, doc) in docs.iter().enumerate() {
            let analysis = analysis(doc);
            let d = d as u32;
            let mut per_field = Vec::with_capacity(fields.len());
            debug_assert_eq!(analysis.fields.len(), fields.len());
            for (f, (terms, length)) in analysis.fields.iter().enumerate() {
                let mut tf: Vec<(u32, u32)> = Vec::with_capacity(terms.len());
                for (term, count) in terms {
                    // By address first (no hashing of the text, no count
                    // to raise), by text for a term another build made.
                    let address = term.as_ptr() as usize;
                    let id = match by_address.get(&address) {
                        Some(id) => *id,
                        None => {
                            let id = *ids.entry(Arc::clone(term)).or_insert_with(|| {
                                names.push(Arc::clone(term));
                                postings.push(Posting {
                                    refs: vec![Vec::new(); fields.len()],
                                });
                                (names.len() - 1) as u32
                            });
                            by_address.insert(address, id);
                            id
                        }
                    };
                    tf.push((id, *count));
                    postings[id as usize].refs[f].push((d, *count));
                }
                total_length[f] += length;
                per_field.push((tf, *length));
            }
            for word in &analysis.words {
                counted
                    .entry(word.as_ptr() as usize)
                    .or_insert_with(|| (Arc::clone(word), 0))
                    .1 += 1;
            }
            frequencies.push(per_field);
        }
        let mut words: FxHashMap<Arc<str>, u32> = FxHashMap::default();
        for (word, count) in counted.into_values() {
            *words.entry(word).or_default() += count;
        }
        let average = total_length.iter().map(|&t| t as f64 / n as f64).collect();
        Inverted {
            fields,
            docs,
            pipeline,
            names,
            postings,
            frequencies,
            average,
            words,
        }
    }

    /// Each term's idf, by id.
    pub fn idfs(&self) -> Vec<f64> {
        let n = self.docs.len();
        self.postings.iter().map(|p| idf(p, n)).collect()
    }

    /// lunr's BM25 score of a term in document `d`'s field `f`, boosted and
    /// rounded to thousandths; returned as thousandths.
    pub fn thousandths(&self, idf: f64, d: u32, f: usize, count: u32) -> f64 {
        let length = self.frequencies[d as usize][f].1;
        let tf = f64::from(count);
        let mut score =
            idf * ((K1 + 1.0) * tf) / (K1 * (1.0 - B + B * (length as f64 / self.average[f])) + tf);
        let boost = self.fields[f].boost;
        score *= if boost == 0.0 { 1.0 } else { boost };
        (score * 1000.0).round()
    }

    /// Term ids in the inverted index's order: by UTF-16 code units.
    pub fn sorted_terms(&self) -> Vec<u32> {
        let mut sorted: Vec<u32> = (0..self.names.len() as u32).collect();
        sorted.sort_by(|a, b| {
            self.names[*a as usize]
                .encode_utf16()
                .cmp(self.names[*b as usize].encode_utf16())
        });
        sorted
    }

    /// The index as `JSON.stringify` writes lunr's.
    pub fn to_json(&self) -> String {
        let idfs = self.idfs();
        let mut out = String::with_capacity(1 << 16);
        out.push_str("{\"version\":\"2.3.9\",\"fields\":[");
        for (i, f) in self.fields.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&json_string(&f.name));
        }
        out.push_str("],\"fieldVectors\":[");
        self.write_vectors(&idfs, &mut out);
        out.push_str("],\"invertedIndex\":[");
        self.write_inverted(&mut out);
        out.push_str("],\"pipeline\":[");
        for (i, label) in self.pipeline.search_labels().iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&json_string(label));
        }
        out.push_str("]}");
        out
    }

    fn write_vectors(&self, idfs: &[f64], out: &mut String) {
        let mut first = true;
        for (d, doc) in self.docs.iter().enumerate() {
            for (f, field) in self.fields.iter().enumerate() {
                if !first {
                    out.push(',');
                }
                first = false;
                let (tf, _) = &self.frequencies[d][f];
                let mut elements: Vec<(u32, f64)> = tf
                    .iter()
                    .map(|(id, count)| {
                        let t = self.thousandths(idfs[*id as usize], d as u32, f, *count);
                        (*id, t / 1000.0)
                    })
                    .collect();
                elements.sort_unstable_by_key(|(index, _)| *index);
                let _ = write!(
                    out,
                    "[{},[",
                    json_string(&format!("{}/{}", field.name, doc.reference))
                );
                for (i, (index, score)) in elements.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    let _ = write!(out, "{index},");
                    push_js_number(out, *score);
                }
                out.push_str("]]");
            }
        }
    }

    fn write_inverted(&self, out: &mut String) {
        // Every posting repeats its documents' refs: each is escaped once.
        let refs: Vec<Ref> = self.docs.iter().map(|d| Ref::new(&d.reference)).collect();
        let field_keys: Vec<String> = self
            .fields
            .iter()
            .map(|f| format!(",{}:{{", json_string(&f.name)))
            .collect();
        let mut order = Vec::new();
        let mut docs = Vec::new();
        for (i, id) in self.sorted_terms().iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let posting = &self.postings[*id as usize];
            let _ = write!(
                out,
                "[{},{{\"_index\":{id}",
                json_string(&self.names[*id as usize])
            );
            for (f, key) in field_keys.iter().enumerate() {
                out.push_str(key);
                docs.clear();
                docs.extend(posting.refs[f].iter().map(|(d, _)| *d));
                own_property_order(&docs, &refs, &mut order);
                for (j, d) in order.iter().enumerate() {
                    if j > 0 {
                        out.push(',');
                    }
                    out.push_str(&refs[*d as usize].json);
                    out.push_str(":{}");
                }
                out.push('}');
            }
            out.push_str("}]");
        }
    }
}

/// lunr.idf: a document counts once per field that contains the term.
fn idf(posting: &Posting, n: usize) -> f64 {
    let with_term: usize = posting.refs.iter().map(Vec::len).sum();
    let x = (n as f64 - with_term as f64 + 0.5) / (with_term as f64 + 0.5);
    (1.0 + x.abs()).ln()
}

/// JSON string escaping; serde_json's equals `JSON.stringify`'s.
pub fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

/// A score as JavaScript writes it: `1`, not `1.0`. Scores are rounded to
/// thousandths, so their shortest form is the integer of thousandths with
/// a decimal point put in (written without the general float formatting,
/// a few million times per index). Any other number is written as Rust
/// writes it, which equals JavaScript from 1e-6 to 1e21 (outside, where
/// no score is, JavaScript uses an exponent).
fn push_js_number(out: &mut String, x: f64) {
    let thousandths = (x * 1000.0).round();
    if !x.is_finite() {
        out.push_str("null");
    } else if thousandths.abs() < 1e15 && thousandths / 1000.0 == x {
        let thousandths = thousandths as i64;
        if thousandths < 0 {
            out.push('-');
        }
        let (whole, mut fraction) = (thousandths.abs() / 1000, thousandths.abs() % 1000);
        let _ = write!(out, "{whole}");
        if fraction > 0 {
            let mut digits = 3;
            while fraction % 10 == 0 {
                fraction /= 10;
                digits -= 1;
            }
            let _ = write!(out, ".{fraction:0digits$}");
        }
    } else {
        let _ = write!(out, "{x}");
    }
}

/// A document's ref as the inverted index writes it, and where it goes
/// among an object's keys.
struct Ref {
    json: String,
    array_index: Option<u32>,
}

impl Ref {
    fn new(reference: &str) -> Self {
        Ref {
            json: json_string(reference),
            array_index: array_index(reference),
        }
    }
}

/// Puts `docs` (numbers into `refs`) into `order` in JavaScript's
/// own-property order of their refs: canonical array indexes first,
/// ascending, then the others in insertion order.
fn own_property_order(docs: &[u32], refs: &[Ref], order: &mut Vec<u32>) {
    order.clear();
    order.extend(
        docs.iter()
            .filter(|d| refs[**d as usize].array_index.is_some()),
    );
    // Short refs are numbered in add order, so this is usually sorted already.
    if !order.is_sorted_by_key(|d| refs[*d as usize].array_index) {
        order.sort_by_key(|d| refs[*d as usize].array_index);
    }
    order.extend(
        docs.iter()
            .filter(|d| refs[**d as usize].array_index.is_none()),
    );
}

fn array_index(key: &str) -> Option<u32> {
    if key.is_empty()
        || (key.len() > 1 && key.starts_with('0'))
        || !key.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    key.parse::<u32>().ok().filter(|n| *n < u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> Vec<Field> {
        vec![
            Field {
                name: "title".into(),
                boost: 10.0,
            },
            Field {
                name: "body".into(),
                boost: 1.0,
            },
        ]
    }

    fn doc<'a>(r: &str, title: &'a str, body: &'a str) -> Document<'a> {
        Document {
            reference: r.into(),
            fields: vec![title.into(), body.into()],
        }
    }

    /// The English example of the reference notes, built with lunr.js
    /// (without this project's fold, which changes nothing on ASCII text).
    #[test]
    fn matches_the_reference_example() {
        let docs = [
            doc(
                "1",
                "Immigration to Quebec",
                "Immigration procedures and delays: economic immigration.",
            ),
            doc(
                "2",
                "Work permits",
                "Working in Quebec: permits, procedures and delays.",
            ),
        ];
        let json = build(&fields(), &docs, Pipeline::English);
        let expected = r#"{"version":"2.3.9","fields":["title","body"],"fieldVectors":[["title/1",[0,1.823,1,1.823]],["body/1",[0,0.251,2,0.182,3,0.182,4,0.693]],["title/2",[5,1.823,6,1.823]],["body/2",[1,0.182,2,0.182,3,0.182,5,0.182,6,0.182]]],"invertedIndex":[["delay",{"_index":3,"title":{},"body":{"1":{},"2":{}}}],["econom",{"_index":4,"title":{},"body":{"1":{}}}],["immigr",{"_index":0,"title":{"1":{}},"body":{"1":{}}}],["permit",{"_index":6,"title":{"2":{}},"body":{"2":{}}}],["procedur",{"_index":2,"title":{},"body":{"1":{},"2":{}}}],["quebec",{"_index":1,"title":{"1":{}},"body":{"2":{}}}],["work",{"_index":5,"title":{"2":{}},"body":{"2":{}}}]],"pipeline":["portail-fold","trimmer","stemmer"]}"#;
        assert_eq!(json, expected);
    }

    #[test]
    fn scores_are_written_as_javascript_writes_them() {
        let mut samples: Vec<f64> = (-2_000..30_000).map(|k| f64::from(k) / 1000.0).collect();
        samples.extend([0.1 + 0.2, 1e-6, 123_456_789.012, 1e20, -0.0, f64::NAN]);
        for x in samples {
            let mut written = String::new();
            push_js_number(&mut written, x);
            let expected = if x.is_finite() {
                format!("{x}")
            } else {
                "null".to_string()
            };
            // JavaScript writes negative zero as "0".
            let expected = if expected == "-0" {
                "0".into()
            } else {
                expected
            };
            assert_eq!(written, expected, "{x:?}");
        }
    }

    #[test]
    fn refs_follow_javascript_property_order() {
        let keys = ["10", "2", "/fr/a/", "1", "05", "4294967295"];
        let refs: Vec<Ref> = keys.iter().map(|k| Ref::new(k)).collect();
        let mut order = Vec::new();
        own_property_order(&[0, 1, 2, 3, 4, 5], &refs, &mut order);
        let order: Vec<&str> = order.iter().map(|d| keys[*d as usize]).collect();
        assert_eq!(order, ["1", "2", "10", "/fr/a/", "05", "4294967295"]);
    }

    #[test]
    fn terms_sort_by_utf16_units() {
        let docs = [doc("a", "", "a😀b aｂc")];
        let json = build(&fields(), &docs, Pipeline::Generic);
        assert!(
            json.find("a😀b").unwrap() < json.find("aｂc").unwrap(),
            "{json}"
        );
    }
}
