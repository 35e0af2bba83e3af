//! portail: a static knowledge-portal generator for bilingual sites.
//!
//! The build is a pipeline of stages, each a function from the previous
//! stage's data to the next (see `build`); the folders are the stages:
//!
//! 1. `load` — `config.toml` → [`load::config::Config`]; a sorted walk of
//!    `content/` → sources; front matter and bodies parsed in parallel →
//!    [`load::page::Doc`]s; terms, shared fields and schemas checked
//! 2. `site` — assemble sections, URLs, translations → immutable [`site::Site`]
//! 3. `markdown` — Markdown → HTML, in parallel → [`markdown::Rendered`]
//! 4. `render` — templates → [`output::OutputSet`], in parallel
//! 5. `search` — one lunr index per language
//! 6. `output` — write to a staging folder, then swap it in
//!
//! `check` reads the output; `serve` and `rebuild` run the stages again
//! after each save, and `build --cache` between runs (`cache`): the render
//! stage then renders only the pages whose recorded reads changed;
//! `scaffold` makes new sites and pages; `cli` is the command line.
//!
//! Problems in a site are [`diagnostics::Diagnostic`]s; library code never
//! prints.

// First, so that `msg!` is in scope in every module below.
#[macro_use]
pub mod messages;

pub mod build;
pub mod cache;
pub mod check;
pub mod cli;
pub mod diagnostics;
pub mod escape;
pub mod html;
pub mod import;
pub mod load;
pub mod markdown;
pub mod memo;
pub mod output;
pub mod pictures;
pub mod placeholders;
pub mod rebuild;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod timings;
