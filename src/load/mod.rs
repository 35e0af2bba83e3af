//! Stage `load`: what the site's folders hold, read and checked. The
//! configuration, the theme, the interface strings and `data/`; then
//! `content/`: discovered, parsed into docs, their terms checked against
//! the term lists, shared fields copied into translations, and each page
//! checked against its section's schema.

pub mod characters;
pub mod config;
pub mod data;
pub mod dates;
pub mod front_matter;
pub mod i18n;
pub mod inheritance;
pub mod lang;
pub mod page;
pub mod reuse;
pub mod schema;
pub mod slips;
pub mod slug;
pub mod source;
pub mod taxonomy;
pub mod theme;
