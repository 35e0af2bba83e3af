//! A language's index cut for the browser, which fetches only what a query
//! needs and gives lunr.js an index assembled from it (the theme's
//! `portail-shards.js`). Files below `search/<lang>/`:
//!
//! - `manifest.json`: fields, search pipeline, the shards' keys, the number
//!   of documents and how many a chunk holds;
//! - `t/<n>.json`: shard `n` (the `n`-th key): the terms whose key it is,
//!   each with its `_index` and, per field, the documents that have it with
//!   their scores; and the words whose key it is, with their terms (for
//!   matching a word as it is being typed);
//! - `terms.json`: every term, for fuzzy terms (`migraton~1`), which may
//!   match terms of any shard;
//! - `words.json`: every word with how many documents have it, for "did
//!   you mean" when a query finds nothing;
//! - `d/<n>.json`: documents `n × chunk` to `(n + 1) × chunk - 1` as the
//!   results list shows them.
//!
//! A shard's key is a prefix of its terms and words. Keys start one
//! character long and a shard over [`BUDGET`] bytes is split by the next
//! character, so a term is in the shard of the longest key that begins it;
//! a shard that was split keeps only the term equal to its key.
//!
//! lunr scores a document by the dot product of the query's vector with the
//! document field's vector, divided by the query vector's magnitude, so
//! field vectors that keep only the loaded terms give the same scores.
//! Scores are written as integers of thousandths: lunr rounds them to
//! thousandths, and `n / 1000` in JavaScript is the very number the whole
//! index's `0.nnn` reads as.

use std::fmt::Write;

use rustc_hash::FxHashMap;

use super::lunr::{Inverted, json_string};
use super::text::Terms;

/// Largest shard, in bytes of JSON before compression, unless one term is
/// larger: about 15 KB compressed, a few shards per query (see
/// docs/search.md for the measurements behind it).
pub const BUDGET: usize = 48 * 1024;

/// Documents per chunk of the results' store.
pub const CHUNK: usize = 16;

/// A file below `search/<lang>/`.
pub struct ShardFile {
    pub path: String,
    pub json: String,
}

/// A term or word in its shard: its key text, its JSON, and which list.
struct Entry {
    key: String,
    json: String,
    word: bool,
}

/// The shard files, `terms.json`, `words.json`, then `others` (files the
/// browser fetches along: the document chunks, see [`chunks`]), then the
/// manifest, whose hash covers them all.
pub fn write(index: &Inverted, terms: &Terms, others: Vec<ShardFile>) -> Vec<ShardFile> {
    let mut entries = term_entries(index);
    entries.extend(word_entries(index, terms));
    entries.sort_by(|a, b| a.key.cmp(&b.key).then(a.word.cmp(&b.word)));
    let mut keys = Vec::new();
    partition(&entries, 0, &mut keys);

    let mut files = Vec::with_capacity(keys.len() + 3);
    let mut start = 0;
    for (n, (_, end)) in keys.iter().enumerate() {
        let (t, w): (Vec<&Entry>, Vec<&Entry>) = entries[start..*end].iter().partition(|e| !e.word);
        start = *end;
        let mut json = String::from("{\"t\":[");
        join(&mut json, t.iter().map(|e| e.json.as_str()));
        json.push_str("],\"w\":[");
        join(&mut json, w.iter().map(|e| e.json.as_str()));
        json.push_str("]}");
        files.push(ShardFile {
            path: format!("t/{n}.json"),
            json,
        });
    }
    files.push(ShardFile {
        path: "terms.json".into(),
        json: terms_json(index),
    });
    files.push(ShardFile {
        path: "words.json".into(),
        json: words_json(index),
    });
    files.extend(others);
    let keys: Vec<&str> = keys.iter().map(|(k, _)| k.as_str()).collect();
    let manifest = manifest(index, &keys, &files);
    files.push(ShardFile {
        path: "manifest.json".into(),
        json: manifest,
    });
    files
}

/// `["term",index,[doc,score,doc,score…],…one list per field]`, documents
/// as the difference from the one before.
fn term_entries(index: &Inverted) -> Vec<Entry> {
    let idfs = index.idfs();
    index
        .postings
        .iter()
        .enumerate()
        .map(|(id, posting)| {
            let name = &index.names[id];
            let mut json = format!("[{},{id}", json_string(name));
            for (f, refs) in posting.refs.iter().enumerate() {
                json.push_str(",[");
                let mut previous = 0;
                for (i, (d, count)) in refs.iter().enumerate() {
                    if i > 0 {
                        json.push(',');
                    }
                    let score = index.thousandths(idfs[id], *d, f, *count);
                    let _ = write!(json, "{},{}", d - previous, score as i64);
                    previous = *d;
                }
                json.push(']');
            }
            json.push(']');
            Entry {
                key: name.to_string(),
                json,
                word: false,
            }
        })
        .collect()
}

/// `"word"` when it is its own term, else `["word","term"]`.
fn word_entries(index: &Inverted, terms: &Terms) -> Vec<Entry> {
    index
        .words
        .keys()
        .filter(|w| !w.is_empty())
        .map(|word| {
            let term = terms.stem(word);
            let json = if term == **word {
                json_string(word)
            } else {
                format!("[{},{}]", json_string(word), json_string(&term))
            };
            Entry {
                key: word.to_string(),
                json,
                word: true,
            }
        })
        .collect()
}

/// Cuts sorted `entries` into shards: pushes each shard's key and the end
/// of its entries. `depth` is the length in characters of the keys made
/// here; every entry's key begins with the same `depth` characters.
fn partition(entries: &[Entry], depth: usize, out: &mut Vec<(String, usize)>) {
    let offset = out.last().map_or(0, |(_, end)| *end);
    let size: usize = entries.iter().map(|e| e.json.len() + 1).sum();
    let prefix = |e: &Entry, n: usize| e.key.chars().take(n).collect::<String>();
    if entries.is_empty() {
        return;
    }
    if size <= BUDGET {
        out.push((prefix(&entries[0], depth), offset + entries.len()));
        return;
    }
    // Those equal to the prefix stay (they sort first); the others go by
    // their next character.
    let here = entries
        .iter()
        .take_while(|e| e.key.chars().count() <= depth)
        .count();
    if here > 0 {
        out.push((prefix(&entries[0], depth), offset + here));
    }
    let mut start = here;
    while start < entries.len() {
        let next = prefix(&entries[start], depth + 1);
        let end = start
            + entries[start..]
                .iter()
                .take_while(|e| e.key.starts_with(next.as_str()))
                .count();
        partition(&entries[start..end], depth + 1, out);
        start = end;
    }
}

fn join<'a>(out: &mut String, items: impl Iterator<Item = &'a str>) {
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(item);
    }
}

/// Every term, in the inverted index's order.
fn terms_json(index: &Inverted) -> String {
    let terms: Vec<&str> = index
        .sorted_terms()
        .iter()
        .map(|id| &*index.names[*id as usize])
        .collect();
    serde_json::to_string(&terms).unwrap_or_default()
}

/// Every word with its number of documents, by word.
fn words_json(index: &Inverted) -> String {
    let mut words: Vec<(&str, u32)> = index
        .words
        .iter()
        .filter(|(w, _)| !w.is_empty())
        .map(|(w, n)| (&**w, *n))
        .collect();
    words.sort_unstable();
    let mut json = String::from("[");
    for (i, (word, n)) in words.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        let _ = write!(json, "[{},{n}]", json_string(word));
    }
    json.push(']');
    json
}

/// What the browser reads first. `hash` changes with any file, so that
/// the script can ask for the files of this build and no cached older one.
fn manifest(index: &Inverted, keys: &[&str], files: &[ShardFile]) -> String {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for file in files {
        hasher.update(file.path.as_bytes());
        hasher.update(file.json.as_bytes());
    }
    let refs: Vec<&str> = index.docs.iter().map(|d| d.reference.as_str()).collect();
    let numbered = refs.iter().enumerate().all(|(i, r)| *r == i.to_string());
    let fields: Vec<&str> = index.fields.iter().map(|f| f.name.as_str()).collect();
    let mut manifest: FxHashMap<&str, serde_json::Value> = FxHashMap::default();
    manifest.insert("version", "2.3.9".into());
    manifest.insert("hash", format!("{:016x}", hasher.digest()).into());
    manifest.insert("fields", fields.into());
    manifest.insert("pipeline", index.pipeline.search_labels().to_vec().into());
    manifest.insert("keys", keys.to_vec().into());
    manifest.insert("documents", index.docs.len().into());
    manifest.insert("chunk", CHUNK.into());
    if !numbered {
        manifest.insert("refs", refs.into());
    }
    let ordered: std::collections::BTreeMap<_, _> = manifest.into_iter().collect();
    serde_json::to_string(&ordered).unwrap_or_default()
}

/// The results' store cut into chunks of [`CHUNK`] documents, each an
/// array of already-serialised documents.
pub fn chunks(documents: &[String]) -> Vec<ShardFile> {
    documents
        .chunks(CHUNK)
        .enumerate()
        .map(|(n, chunk)| {
            let mut json = String::from("[");
            join(&mut json, chunk.iter().map(String::as_str));
            json.push(']');
            ShardFile {
                path: format!("d/{n}.json"),
                json,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(key: &str, size: usize) -> Entry {
        Entry {
            key: key.into(),
            json: "x".repeat(size),
            word: false,
        }
    }

    #[test]
    fn large_shards_split_by_the_next_character() {
        let mut entries = vec![
            entry("a", 10),
            entry("co", 10),
            entry("com", BUDGET / 2),
            entry("con", BUDGET / 2),
            entry("cou", 10),
            entry("d", 10),
        ];
        entries.sort_by(|a, b| a.key.cmp(&b.key));
        let mut out = Vec::new();
        partition(&entries, 0, &mut out);
        let keys: Vec<&str> = out.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["a", "co", "com", "con", "cou", "d"]);
        let ends: Vec<usize> = out.iter().map(|(_, e)| *e).collect();
        assert_eq!(ends, [1, 2, 3, 4, 5, 6]);
    }

    #[test]
    fn a_small_index_is_one_shard() {
        let entries = vec![entry("", 1), entry("ab", 1), entry("ac", 1), entry("b", 1)];
        let mut out = Vec::new();
        partition(&entries, 0, &mut out);
        assert_eq!(out, [(String::new(), 4)]);
    }
}
