//! portail: a static knowledge-portal generator for bilingual sites.
//!
//! The build is a pipeline of stages, each a function from the previous
//! stage's data to the next (see `build`):
//!
//! 1. `config` — `config.toml` → [`config::Config`]
//! 2. `source` — sorted walk of `content/` → [`source::SourceFile`]s and assets
//! 3. `page` — parse front matter and body, in parallel → [`page::Doc`]s
//! 4. `shared` — translations inherit the default language's shared fields
//! 5. `site` — assemble sections, URLs, translations → immutable [`site::Site`]
//! 6. `markdown` — Markdown → HTML, in parallel → [`markdown::Rendered`]
//! 7. `render` — templates → [`output::OutputSet`], in parallel
//! 8. `output` — write to a staging folder, then swap it in
//!
//! Problems in a site are [`diagnostics::Diagnostic`]s; library code never
//! prints.

// First, so that `msg!` is in scope in every module below.
#[macro_use]
pub mod messages;

pub mod build;
pub mod characters;
pub mod check;
pub mod cli;
pub mod config;
pub mod data;
pub mod dates;
pub mod diagnostics;
pub mod escape;
pub mod external_links;
pub mod front_matter;
pub mod i18n;
pub mod inheritance;
pub mod init;
pub mod lang;
pub mod links;
pub mod markdown;
pub mod memo;
pub mod new_page;
pub mod output;
pub mod page;
pub mod placeholders;
pub mod rebuild;
pub mod render;
pub mod report;
pub mod schema;
pub mod search;
pub mod serve;
pub mod site;
pub mod slug;
pub mod source;
pub mod taxonomy;
pub mod templates;
pub mod theme;
pub mod timings;
pub mod translations;
pub mod typography;
