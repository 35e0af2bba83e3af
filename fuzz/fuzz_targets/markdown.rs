//! The Markdown-to-HTML stage of a French page and of an English one:
//! CommonMark and its extensions, raw HTML, `@/` links resolved against
//! the site, French typography, headings' anchors, code highlighting; and
//! the same with `[markdown] safe = true` (the sanitiser).
#![no_main]

use libfuzzer_sys::fuzz_target;
use portail::site::DocId;

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    for (rel, title) in [("news/essai.fr.md", "Essai"), ("news/essai.en.md", "Test")] {
        let text = format!("+++\ntitle = \"{title}\"\ndate = 2024-06-01\n+++\n{body}");
        for config in [&*portail_fuzz::SITE_CONFIG, &*portail_fuzz::SAFE_CONFIG] {
            let Some(doc) = portail_fuzz::parse(rel, &text) else {
                continue;
            };
            let Some(site) = portail_fuzz::site_with(doc, config) else {
                continue;
            };
            let id = site
                .docs
                .iter()
                .position(|d| d.source.rel_path == format!("content/{rel}"))
                .map(DocId)
                .expect("the fuzzed page is in the site");
            let _ = portail::markdown::render(
                &site,
                id,
                &portail_fuzz::STRINGS,
                &portail_fuzz::PICTURES,
            );
        }
    }
});
