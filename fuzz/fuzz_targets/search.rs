//! The lunr tokenizer and the three pipelines (French, English, generic),
//! and an index built from documents made of the input.
#![no_main]

use std::borrow::Cow;
use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use portail::search::lunr::{self, Document, Field};
use portail::search::text::{Pipeline, Terms, tokenize};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = tokenize(text);
    // Two documents: the input whole, and its second half as a title.
    let half = text
        .char_indices()
        .nth(text.chars().count() / 2)
        .map_or(0, |(i, _)| i);
    let fields = vec![
        Field {
            name: "title".into(),
            boost: 10.0,
        },
        Field {
            name: "body".into(),
            boost: 1.0,
        },
    ];
    let docs = vec![
        Document {
            reference: "0".into(),
            fields: vec![Cow::Borrowed(&text[half..]), Cow::Borrowed(text)],
        },
        Document {
            reference: "1".into(),
            fields: vec![Cow::Borrowed("Réunion"), Cow::Borrowed(&text[..half])],
        },
    ];
    for pipeline in [Pipeline::French, Pipeline::English, Pipeline::Generic] {
        let mut terms = Terms::new(pipeline);
        let _ = terms.of(text);
        let index = lunr::Inverted::new(&fields, &docs, pipeline, |doc| {
            Arc::new(lunr::analyze(&mut terms, fields.len(), doc))
        });
        let _ = portail::search::shards::write(&index, &terms, Vec::new());
        let index = index.to_json();
        assert!(index.starts_with('{'), "the index is a JSON object");
    }
});
