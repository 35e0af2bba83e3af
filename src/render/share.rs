//! What a page shows when it is shared (`og:image`): its own picture
//! cropped to the share size, else the site's `[images] share` picture,
//! else a card drawn from its title. Pages that belong to no doc (terms,
//! search, "not found") share the site's: its `share` picture or a card of
//! its title.

use tera::Value;

use super::Inputs;
use super::reads::Reader;
use super::views::{map, typeset};
use crate::diagnostics::Diagnostic;
use crate::load::config::{CONFIG_FILE, Config};
use crate::load::lang::Direction;
use crate::output::{Origin, OutputFile};
use crate::pictures::{Card, Kind, Picture, SHARE_SIZE};
use crate::site::{DocId, SiteRead};

/// A share picture as templates see it (`share`), and the file to publish
/// with the page that owns it.
pub struct Share {
    pub value: Value,
    pub file: Option<OutputFile>,
}

/// The share picture of doc `id`; a drawn card comes with its file.
pub fn of_doc(r: &Reader, id: DocId, site: &Value) -> Result<Share, Diagnostic> {
    let config = r.config();
    if let Some(lead) = &r.body(id).lead {
        return Ok(Share {
            value: of_picture(config, &lead.share, &lead.alt),
            file: None,
        });
    }
    if config.images.share.is_some() || !config.images.cards {
        return Ok(Share {
            value: of_site_value(site),
            file: None,
        });
    }
    let doc = r.doc(id);
    let lang = doc.source.lang.as_str();
    let title = typeset(config, lang, &doc.front_matter.title);
    let site_title = config.language(lang).map_or("", |l| l.title.as_str());
    let card = Card {
        title: &title,
        site: site_title,
        lang,
        rtl: config
            .language(lang)
            .is_some_and(|l| l.direction == Direction::Rtl),
    };
    let key = r.pictures().card_key(&card);
    let path = format!("{}share.{}.png", r.placement(id).url_path, short(key));
    let origin = Origin::Content(doc.source.rel_path.clone());
    let file = drawn(r.pictures(), &card, key, path.clone(), origin)
        .map_err(|error| error.in_file(doc.source.rel_path.clone()))?;
    Ok(Share {
        value: of_card(config, &path, &title),
        file: Some(file),
    })
}

/// The site's share value in each language (by code), and its files.
pub type SiteShares = (Vec<(String, Value)>, Vec<OutputFile>);

/// The site's share picture in each language (`[images] share`, else a
/// card of the language's title), and the files to publish for them.
pub fn of_site(inputs: &Inputs) -> Result<SiteShares, Diagnostic> {
    let config = &inputs.site.config;
    let mut values = Vec::new();
    let mut files = Vec::new();
    if let Some((path, span)) = &config.images.share {
        let source = inputs.root.join("static").join(path);
        let picture = (inputs.pictures.get(&source, Kind::Share)).map_err(|problem| {
            problem.diagnostic(&format!("static/{path}"), |message| {
                Diagnostic::error(message).at_span(CONFIG_FILE, &config.text, span.clone())
            })
        })?;
        files.extend(picture.files(&format!("static/{path}")));
        for lang in &config.languages {
            let value = of_picture(config, &picture, &lang.title);
            values.push((lang.code.clone(), value));
        }
        return Ok((values, files));
    }
    for lang in config.languages.iter().filter(|_| config.images.cards) {
        let card = Card {
            title: &typeset(config, &lang.code, &lang.title),
            site: &lang.title,
            lang: &lang.code,
            rtl: lang.direction == Direction::Rtl,
        };
        let key = inputs.pictures.card_key(&card);
        let path = format!(
            "{}/share.{}.{}.png",
            crate::pictures::OUTPUT_DIR,
            lang.code,
            short(key)
        );
        let origin = Origin::Template("templates/base.html".into());
        files.push(drawn(inputs.pictures, &card, key, path.clone(), origin)?);
        values.push((lang.code.clone(), of_card(config, &path, card.title)));
    }
    Ok((values, files))
}

/// The site's share picture from its `site` value (none if cards are off
/// and no picture is set).
pub fn of_site_value(site: &Value) -> Value {
    (site.as_map())
        .and_then(|m| m.get(&tera::value::Key::from("share")).cloned())
        .unwrap_or_else(Value::none)
}

/// The file of card `card` (whose key is `key`), published at `path`.
fn drawn(
    pictures: &crate::pictures::Pictures,
    card: &Card,
    key: crate::memo::Key,
    path: String,
    origin: Origin,
) -> Result<OutputFile, Diagnostic> {
    let content = (pictures.card(card, key))
        .map_err(|problem| problem.diagnostic(&path, Diagnostic::error))?;
    Ok(OutputFile {
        path,
        content,
        origin,
    })
}

/// A key's first 40 bits, in hexadecimal: enough to tell versions apart.
fn short(key: crate::memo::Key) -> String {
    format!("{:010x}", key >> 88)
}

fn of_picture(config: &Config, share: &Picture, alt: &str) -> Value {
    let (path, width, height) = (share.variants.first()).map_or((String::new(), 0, 0), |v| {
        (v.path.clone(), v.width, v.height)
    });
    map([
        ("url", Value::from(format!("{}{path}", config.base_url))),
        ("width", Value::from(width)),
        ("height", Value::from(height)),
        ("alt", Value::from(alt)),
    ])
}

fn of_card(config: &Config, path: &str, title: &str) -> Value {
    map([
        ("url", Value::from(format!("{}{path}", config.base_url))),
        ("width", Value::from(SHARE_SIZE.0)),
        ("height", Value::from(SHARE_SIZE.1)),
        ("alt", Value::from(title)),
    ])
}
