//! `admin/`: an editing form in the browser (Decap CMS, which Sveltia CMS
//! reads too), configured from the site's own schemas so that it writes
//! what portail expects: one folder collection per section, a file per
//! language (`<name>.<lang>.md`, TOML front matter between `+++`), dates
//! as dates, allowed values as choices, taxonomies as lists of their
//! terms, shared fields edited once. Published only with `[cms] enabled`.

use serde_json::{Value, json};

use crate::load::config::{Config, FieldSpec, FieldType, SectionSettings};
use crate::load::source::SourceKind;
use crate::messages::MessageLang;
use crate::output::{Origin, OutputFile};
use crate::site::{Section, SectionId, Site, SiteRead};

/// Decap CMS as the admin page loads it: pinned, and checked by the
/// browser against the hash of the npm package's file (Subresource
/// Integrity), so that a changed file at that address is refused.
pub const DECAP_VERSION: &str = "3.16.3";
pub const DECAP_INTEGRITY: &str =
    "sha384-A/Gdn928CNLufmnGWGs9RM4Q9o8bSNLeJERqBFrBjwzL7FRpoLT3MPF8Tl0+Wd2p";

/// Where the CMS keeps uploads that belong to no page.
const MEDIA_FOLDER: &str = "static/images/uploads";

/// The address the admin page loads Decap CMS from.
pub fn decap_url() -> String {
    format!("https://unpkg.com/decap-cms@{DECAP_VERSION}/dist/decap-cms.js")
}

/// `admin/index.html` and `admin/config.yml`, if the site asks for them
/// or `serve --cms` does (then pointed at the server's own API instead of
/// the git host).
pub fn files(site: &Site) -> Vec<OutputFile> {
    let config = &site.config;
    let local = config.cms.local;
    if !config.cms.enabled && !local {
        return Vec::new();
    }
    let origin = || Origin::Generated("CMS".to_string());
    let settings = settings(site, local);
    vec![
        OutputFile::html("admin/index.html".into(), page(config), origin()),
        OutputFile::html(
            "admin/config.yml".into(),
            // JSON is YAML: the CMS reads it as its configuration.
            serde_json::to_string_pretty(&settings).unwrap_or_default(),
            origin(),
        ),
    ]
}

/// The admin page: the CMS, and the theme's stylesheet for previews.
fn page(config: &Config) -> String {
    let style = config.url_of("style.css");
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"robots\" content=\"noindex\">\n{no_reload}\n<title>{title}</title>\n</head>\n<body>\n\
         <script src=\"{url}\" integrity=\"{DECAP_INTEGRITY}\" crossorigin=\"anonymous\"></script>\n\
         <script>CMS.registerPreviewStyle({style});</script>\n</body>\n</html>\n",
        lang = config.default_language,
        title = crate::escape::html(&format!(
            "{} · CMS",
            config
                .language(&config.default_language)
                .map(|l| l.title.as_str())
                .unwrap_or("")
        )),
        url = decap_url(),
        // `serve --cms` would reload the CMS after each of its saves.
        no_reload = crate::html::NO_LIVE_RELOAD,
        style = serde_json::to_string(&style).unwrap_or_default(),
    )
}

/// The CMS's configuration.
fn settings(site: &Site, local: bool) -> Value {
    let config = &site.config;
    let ui = ui_lang(&config.default_language);
    // The default language, then the others, those still `partial` last:
    // the editor shows the first two side by side.
    let mut locales: Vec<&str> = config.language_codes().collect();
    if let Some(others) = locales.get_mut(1..) {
        others.sort_by_key(|code| config.language(code).is_some_and(|l| l.partial));
    }
    let collections: Vec<Value> = site
        .sections
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.dir.is_empty())
        .map(|(n, s)| collection(site, SectionId(n), s, ui))
        .chain([sections_collection(site, ui)])
        .collect();
    let mut settings = json!({
        "backend": backend(config),
        "locale": if ui == MessageLang::Fr { "fr" } else { "en" },
        "media_folder": MEDIA_FOLDER,
        "public_folder": config.url_of("images/uploads"),
        "site_url": config.base_url,
        "slug": { "encoding": "ascii", "clean_accents": true, "sanitize_replacement": "-" },
        "i18n": {
            "structure": "multiple_files",
            "locales": locales,
            "default_locale": config.default_language,
        },
        "collections": collections,
    });
    if local {
        // The CMS wants an absolute address; the API is at the server's root.
        let api = url::Url::parse(&config.base_url)
            .and_then(|base| base.join("/api/v1"))
            .map(|u| u.to_string())
            .unwrap_or_default();
        settings["local_backend"] = json!({ "url": api });
    }
    settings
}

fn ui_lang(code: &str) -> MessageLang {
    if code == "fr" || code.starts_with("fr-") || code.starts_with("fr_") {
        MessageLang::Fr
    } else {
        MessageLang::En
    }
}

fn backend(config: &Config) -> Value {
    let cms = &config.cms;
    let mut backend = json!({ "name": cms.backend, "branch": cms.branch });
    for (key, value) in [
        ("repo", &cms.repo),
        ("api_root", &cms.api_root),
        ("base_url", &cms.base_url),
        ("auth_endpoint", &cms.auth_endpoint),
        ("app_id", &cms.app_id),
    ] {
        if let Some(value) = value {
            backend[key] = json!(value);
        }
    }
    if cms.backend == "gitlab" && cms.app_id.is_some() {
        backend["auth_type"] = json!("pkce");
    }
    backend
}

/// The title of the section's own page in the first of `langs` that has
/// one, else its folder.
fn section_title(site: &Site, section: &Section, langs: &[&str]) -> String {
    langs
        .iter()
        .find_map(|l| section.langs.get(*l).and_then(|sl| sl.index))
        .map(|id| site.doc(id).title().to_string())
        .unwrap_or_else(|| section.dir.clone())
}

/// A section as a folder collection.
fn collection(site: &Site, id: SectionId, section: &Section, ui: MessageLang) -> Value {
    let config = &site.config;
    let dir = section.dir.as_str();
    let settings = config.sections.get(dir).cloned().unwrap_or_default();
    let label = section_title(site, section, &[&config.default_language]);
    let dated = config.shared_fields(dir).contains(&"date")
        || settings.required.iter().any(|k| k == "date");
    let bundles = bundled(site, id);
    let mut collection = json!({
        "name": dir.replace('/', "-"),
        "label": label,
        "folder": format!("content/{dir}"),
        "create": true,
        "extension": "md",
        "format": "toml-frontmatter",
        "frontmatter_delimiter": "+++",
        // Portail reads the date in front of a file's name; new pages get
        // the day they are created, which their `date` field overrides.
        "slug": if dated { "{{year}}-{{month}}-{{day}}-{{slug}}" } else { "{{slug}}" },
        // Titles only: a date shown here would be empty for pages whose
        // date is in their file's name.
        "summary": "{{title}}",
        "sortable_fields": ["title", "date"],
        "i18n": true,
        // Pictures beside the page: `image = "photo.jpg"`, as in Markdown.
        "media_folder": "",
        "public_folder": "",
        "fields": fields(site, &settings, &config.shared_fields(dir), ui),
    });
    if bundles {
        // A folder per page, its pictures inside: `<name>/index.<lang>.md`.
        collection["path"] = json!("{{slug}}/index");
    }
    collection
}

/// Whether some of the section's pages are folders of their own (a page
/// with its pictures: `<name>/index.<lang>.md`). The CMS lists files as
/// deep as its path: one level deeper lists both kinds, and new pages
/// are then folders too.
fn bundled(site: &Site, id: SectionId) -> bool {
    site.list(id, &site.config.default_language)
        .iter()
        .any(|p| site.doc(*p).source.kind == SourceKind::Page { bundle: true })
}

/// The sections' own pages (`_index.<lang>.md`: their title and
/// introduction, the home's too), a form per file: in a section's list
/// the form asks for what its pages require, which these lack, and the
/// CMS translates files collections only within a single file.
fn sections_collection(site: &Site, ui: MessageLang) -> Value {
    let config = &site.config;
    let files: Vec<Value> = site
        .sections
        .iter()
        .flat_map(|section| {
            let dir = section.dir.as_str();
            let home = dir.is_empty();
            let shared = config.shared_fields(dir);
            config.languages.iter().map(move |language| {
                let lang = language.code.as_str();
                let default = lang == config.default_language;
                let label = match home {
                    false => section_title(site, section, &[lang, &config.default_language]),
                    true => msg!("cms.home").render(ui),
                };
                let folder = if home {
                    String::new()
                } else {
                    format!("{dir}/")
                };
                let name = if home {
                    "home".to_string()
                } else {
                    dir.replace('/', "-")
                };
                // A shared weight is written in the default language's file.
                let weight = !home && (default || !shared.contains(&"weight"));
                json!({
                    // Sveltia CMS refuses dots in names.
                    "name": format!("{name}-{lang}"),
                    "label": format!("{label} · {}", language.name),
                    "file": format!("content/{folder}_index.{lang}.md"),
                    "fields": section_fields(home, weight, ui),
                })
            })
        })
        .collect();
    // Section collections are named after their folders: one more `_`
    // until no folder has this name.
    let mut name = "_sections".to_string();
    while site
        .sections
        .iter()
        .any(|s| s.dir.replace('/', "-") == name)
    {
        name.insert(0, '_');
    }
    json!({
        "name": name,
        "label": msg!("cms.sections").render(ui),
        "extension": "md",
        "format": "toml-frontmatter",
        "frontmatter_delimiter": "+++",
        "files": files,
    })
}

/// A section page's form: its words, its place in the menu, its text.
fn section_fields(home: bool, weight: bool, ui: MessageLang) -> Vec<Value> {
    let text = |key: &str| label(key, ui);
    let mut fields = vec![json!({"name": "title", "label": text("title"), "widget": "string"})];
    if !home {
        fields.push(slug_field(ui));
    }
    fields.push(
        json!({"name": "description", "label": text("description"), "widget": "text",
        "required": false}),
    );
    if weight {
        fields.push(
            json!({"name": "weight", "label": text("weight"), "widget": "number",
            "value_type": "int", "required": false}),
        );
    }
    fields.push(
        json!({"name": "body", "label": text("body"), "widget": "markdown", "required": false}),
    );
    fields
}

/// The page's address in its language (else the file's name).
fn slug_field(ui: MessageLang) -> Value {
    json!({"name": "slug", "label": label("slug", ui), "widget": "string", "required": false,
           "pattern": ["^[a-z0-9]+(-[a-z0-9]+)*$", label("slug_pattern", ui)]})
}

/// The form: portail's keys, the section's taxonomies and fields, the body.
fn fields(site: &Site, settings: &SectionSettings, shared: &[&str], ui: MessageLang) -> Vec<Value> {
    let required = |key: &str| settings.required.iter().any(|k| k == key);
    let shared = |key: &str| shared.contains(&key);
    let text = |key: &str| label(key, ui);
    // A shared field is written in the default language's file only: the
    // CMS shows it there and leaves it out of translations ("duplicate"
    // would copy it into every file).
    let i18n = |key: &str| {
        if shared(key) {
            json!(false)
        } else {
            json!(true)
        }
    };
    let mut fields = vec![
        json!({"name": "title", "label": text("title"), "widget": "string", "i18n": true}),
        {
            let mut slug = slug_field(ui);
            slug["i18n"] = json!(true);
            slug
        },
        json!({"name": "description", "label": text("description"), "widget": "text",
               "required": required("description"), "i18n": true}),
        json!({"name": "date", "label": text("date"), "widget": "datetime", "format": "YYYY-MM-DD",
               "date_format": "YYYY-MM-DD", "time_format": false, "picker_utc": true,
               // A date in front of the file's name counts: portail checks.
               "required": false, "i18n": i18n("date")}),
        // No default: a default is a value in every language, and the CMS
        // writes a file for each language with a value (an empty Arabic
        // file beside a French page).
        json!({"name": "draft", "label": text("draft"), "widget": "boolean",
               "required": false, "i18n": i18n("draft")}),
        json!({"name": "image", "label": text("image"), "widget": "image", "required": false,
               "choose_url": false, "i18n": i18n("image")}),
        json!({"name": "image_alt", "label": text("image_alt"), "widget": "string",
               "required": false, "i18n": true}),
    ];
    let taxonomies: Vec<Value> = site
        .config
        .taxonomies
        .iter()
        .map(|t| taxonomy_field(site, &t.name, required(&t.name), None))
        .collect();
    if !taxonomies.is_empty() {
        fields.push(json!({"name": "taxonomies", "label": text("taxonomies"), "widget": "object",
            "required": false, "collapsed": false, "i18n": i18n("taxonomies"), "fields": taxonomies}));
    }
    for (name, spec) in declared(settings) {
        fields.push(declared_field(
            site,
            &name,
            &spec,
            required(&name),
            i18n(&name),
        ));
    }
    fields.push(json!({"name": "body", "label": text("body"), "widget": "markdown", "i18n": true}));
    fields
}

/// A field's label in the CMS's language.
fn label(key: &str, ui: MessageLang) -> String {
    let message = match key {
        "title" => msg!("cms.title"),
        "slug" => msg!("cms.slug"),
        "slug_pattern" => msg!("cms.slug_pattern"),
        "description" => msg!("cms.description"),
        "date" => msg!("cms.date"),
        "draft" => msg!("cms.draft"),
        "image" => msg!("cms.image"),
        "image_alt" => msg!("cms.image_alt"),
        "taxonomies" => msg!("cms.taxonomies"),
        "weight" => msg!("cms.weight"),
        _ => msg!("cms.body"),
    };
    message.render(ui)
}

/// The section's own fields with their specs.
fn declared(settings: &SectionSettings) -> Vec<(String, FieldSpec)> {
    settings
        .fields
        .iter()
        .map(|(name, ty)| {
            let spec = settings.specs.get(name).cloned().unwrap_or(FieldSpec {
                ty: *ty,
                ..FieldSpec::default()
            });
            (name.clone(), spec)
        })
        .collect()
}

fn declared_field(site: &Site, name: &str, spec: &FieldSpec, required: bool, i18n: Value) -> Value {
    let required = required || spec.required;
    if let Some(taxonomy) = &spec.taxonomy {
        let mut field = taxonomy_field(site, taxonomy, required, Some(name));
        field["multiple"] = json!(spec.ty == FieldType::List);
        field["i18n"] = i18n;
        return field;
    }
    let mut field = json!({"name": name, "label": name, "required": required, "i18n": i18n});
    let widget = match (&spec.one_of, spec.ty) {
        (Some(values), ty) => {
            field["options"] = json!(values);
            field["multiple"] = json!(ty == FieldType::List);
            "select"
        }
        (None, FieldType::Date) => {
            field["format"] = json!("YYYY-MM-DD");
            field["date_format"] = json!("YYYY-MM-DD");
            field["time_format"] = json!(false);
            field["picker_utc"] = json!(true);
            "datetime"
        }
        (None, FieldType::Datetime) => {
            field["format"] = json!("YYYY-MM-DDTHH:mm:ss");
            "datetime"
        }
        (None, FieldType::Bool) => "boolean",
        (None, FieldType::Integer) => {
            field["value_type"] = json!("int");
            "number"
        }
        (None, FieldType::List) => "list",
        (None, FieldType::String) => "string",
    };
    field["widget"] = json!(widget);
    field
}

/// A taxonomy's terms to choose from (with their labels in every
/// language), or free words for a taxonomy without a list.
fn taxonomy_field(site: &Site, taxonomy: &str, required: bool, name: Option<&str>) -> Value {
    let config = &site.config;
    let label = config
        .taxonomy(taxonomy)
        .and_then(|t| t.title.get(&config.default_language).cloned())
        .unwrap_or_else(|| taxonomy.to_string());
    let name = name.unwrap_or(taxonomy);
    let Some(terms) = site.terms.listed(taxonomy) else {
        return json!({"name": name, "label": label, "widget": "list", "required": required});
    };
    let options: Vec<Value> = terms
        .iter()
        .map(|term| {
            let labels: Vec<String> = config
                .language_codes()
                .map(|lang| site.terms.label(taxonomy, term, lang).label)
                .fold(Vec::new(), |mut seen, l| {
                    if !seen.contains(&l) {
                        seen.push(l);
                    }
                    seen
                });
            json!({"label": labels.join(" · "), "value": term})
        })
        .collect();
    json!({"name": name, "label": label, "widget": "select", "multiple": true,
           "options": options, "required": required})
}
