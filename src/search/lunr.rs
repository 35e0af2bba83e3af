//! A lunr.js 2.3.9 index, written as `JSON.stringify(lunr(…))` would write
//! it, byte for byte (see `reference/lunr-index-format.md`): BM25 field
//! vectors, an inverted index sorted by UTF-16 code units, postings listing
//! every field, refs in JavaScript's own-property order.

use std::borrow::Cow;
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

/// Where a term occurs: per field, the documents (by number) in add order.
/// A term's id is its `_index`: both number terms in first-seen order.
struct Posting {
    refs: Vec<Vec<u32>>,
}

/// What the pipeline makes of a document, per field: its terms with their
/// frequencies in first-seen order, and its length in terms. It depends on
/// the document's texts only, so a rebuild can keep it for unchanged pages.
pub type Analysis = Vec<(Vec<(Arc<str>, u32)>, usize)>;

/// Runs the pipeline over each field of `doc`.
pub fn analyze(terms: &mut Terms, field_count: usize, doc: &Document) -> Analysis {
    let mut position: FxHashMap<Arc<str>, usize> = FxHashMap::default();
    (0..field_count)
        .map(|f| {
            let text = doc.fields.get(f).map_or("", |t| t.as_ref());
            let mut tf: Vec<(Arc<str>, u32)> = Vec::new();
            let mut length = 0;
            position.clear();
            terms.each(text, |term| {
                length += 1;
                match position.get(term) {
                    Some(&i) => tf[i].1 += 1,
                    None => {
                        position.insert(Arc::clone(term), tf.len());
                        tf.push((Arc::clone(term), 1));
                    }
                }
            });
            (tf, length)
        })
        .collect()
}

/// Builds the index of `docs` and returns its JSON.
pub fn build(fields: &[Field], docs: &[Document], pipeline: Pipeline) -> String {
    let mut terms = Terms::new(pipeline);
    build_with(fields, docs, pipeline, |doc| {
        Arc::new(analyze(&mut terms, fields.len(), doc))
    })
}

/// Builds the index of `docs` from their analyses, which `analysis` gives
/// (computed or remembered).
pub fn build_with(
    fields: &[Field],
    docs: &[Document],
    pipeline: Pipeline,
    mut analysis: impl FnMut(&Document<'_>) -> Arc<Analysis>,
) -> String {
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
    let mut names: Vec<Arc<str>> = Vec::new();
    let mut postings: Vec<Posting> = Vec::new();
    let mut frequencies: Vec<Vec<FieldTerms>> = Vec::with_capacity(n);
    let mut total_length = vec![0usize; fields.len()];
    for (d, doc) in docs.iter().enumerate() {
        let analysis = analysis(doc);
        let d = d as u32;
        let mut per_field = Vec::with_capacity(fields.len());
        debug_assert_eq!(analysis.len(), fields.len());
        for (f, (terms, length)) in analysis.iter().enumerate() {
            let mut tf: Vec<(u32, u32)> = Vec::with_capacity(terms.len());
            for (term, count) in terms {
                let id = *ids.entry(Arc::clone(term)).or_insert_with(|| {
                    names.push(Arc::clone(term));
                    postings.push(Posting {
                        refs: vec![Vec::new(); fields.len()],
                    });
                    (names.len() - 1) as u32
                });
                tf.push((id, *count));
                postings[id as usize].refs[f].push(d);
            }
            total_length[f] += length;
            per_field.push((tf, *length));
        }
        frequencies.push(per_field);
    }
    let average: Vec<f64> = total_length.iter().map(|&t| t as f64 / n as f64).collect();

    let mut idf_cache: Vec<Option<f64>> = vec![None; names.len()];
    let mut out = String::with_capacity(1 << 16);
    out.push_str("{\"version\":\"2.3.9\",\"fields\":[");
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&json_string(&f.name));
    }
    out.push_str("],\"fieldVectors\":[");
    let mut first = true;
    for (d, doc) in docs.iter().enumerate() {
        for (f, field) in fields.iter().enumerate() {
            if !first {
                out.push(',');
            }
            first = false;
            let (tf, length) = &frequencies[d][f];
            let mut elements: Vec<(u32, f64)> = tf
                .iter()
                .map(|(id, count)| {
                    let idf = *idf_cache[*id as usize]
                        .get_or_insert_with(|| idf(&postings[*id as usize], n));
                    let tf = f64::from(*count);
                    let mut score = idf * ((K1 + 1.0) * tf)
                        / (K1 * (1.0 - B + B * (*length as f64 / average[f])) + tf);
                    score *= if field.boost == 0.0 { 1.0 } else { field.boost };
                    (*id, (score * 1000.0).round() / 1000.0)
                })
                .collect();
            elements.sort_by_key(|(index, _)| *index);
            let _ = write!(
                out,
                "[{},[",
                json_string(&format!("{}/{}", field.name, doc.reference))
            );
            for (i, (index, score)) in elements.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                let _ = write!(out, "{index},{}", js_number(*score));
            }
            out.push_str("]]");
        }
    }
    out.push_str("],\"invertedIndex\":[");
    let mut sorted: Vec<u32> = (0..names.len() as u32).collect();
    sorted.sort_by(|a, b| {
        names[*a as usize]
            .encode_utf16()
            .cmp(names[*b as usize].encode_utf16())
    });
    for (i, id) in sorted.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let posting = &postings[*id as usize];
        let _ = write!(
            out,
            "[{},{{\"_index\":{id}",
            json_string(&names[*id as usize])
        );
        for (f, field) in fields.iter().enumerate() {
            let _ = write!(out, ",{}:{{", json_string(&field.name));
            let refs = own_property_order(
                posting.refs[f]
                    .iter()
                    .map(|d| docs[*d as usize].reference.as_str()),
            );
            for (j, r) in refs.iter().enumerate() {
                if j > 0 {
                    out.push(',');
                }
                let _ = write!(out, "{}:{{}}", json_string(r));
            }
            out.push('}');
        }
        out.push_str("}]");
    }
    out.push_str("],\"pipeline\":[");
    for (i, label) in pipeline.search_labels().iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&json_string(label));
    }
    out.push_str("]}");
    out
}

/// lunr.idf: a document counts once per field that contains the term.
fn idf(posting: &Posting, n: usize) -> f64 {
    let with_term: usize = posting.refs.iter().map(Vec::len).sum();
    let x = (n as f64 - with_term as f64 + 0.5) / (with_term as f64 + 0.5);
    (1.0 + x.abs()).ln()
}

/// JSON string escaping; serde_json's equals `JSON.stringify`'s.
fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

/// A number as JavaScript writes it: `1`, not `1.0`. Scores are multiples
/// of 0.001 below 1e21, where Rust's shortest form is JavaScript's.
fn js_number(x: f64) -> String {
    if x.is_finite() {
        format!("{x}")
    } else {
        "null".to_string()
    }
}

/// Keys in JavaScript's own-property order: canonical array indexes first,
/// ascending, then the others in insertion order.
fn own_property_order<'a>(keys: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let (mut indexes, others): (Vec<&str>, Vec<&str>) =
        keys.partition(|k| array_index(k).is_some());
    indexes.sort_by_key(|k| array_index(k));
    indexes.extend(others);
    indexes
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
    fn refs_follow_javascript_property_order() {
        let order = own_property_order(["10", "2", "/fr/a/", "1", "05", "4294967295"].into_iter());
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
