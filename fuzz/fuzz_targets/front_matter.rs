//! A content file's front matter (TOML between `+++` lines, dates, declared
//! fields), as a page and as a section, in both languages.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        for rel in ["news/page.fr.md", "news/page.en.md", "news/_index.fr.md"] {
            let _ = portail_fuzz::parse(rel, text);
        }
    }
});
