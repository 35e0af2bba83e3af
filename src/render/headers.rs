//! `_headers` (`[deploy] headers = true`), which Netlify and Cloudflare
//! Pages read: security headers for every file, a Content Security Policy
//! for the pages that the theme keeps (its own scripts and styles only;
//! videos play in frames from their hosts, PeerTube's included, hence any
//! `https:` frame); pages are revalidated at each visit (a new build shows
//! at once), pictures cached for a year (their names change with their
//! content). Other files keep the host's default.

use crate::load::config::{Config, RootMode};
use crate::output::{Origin, OutputFile};

/// The policy of the pages.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
    media-src 'self'; frame-src https:; object-src 'none'; base-uri 'self'; \
    form-action 'self'; frame-ancestors 'none'";

pub fn files(config: &Config) -> Vec<OutputFile> {
    if !config.deploy.headers {
        return Vec::new();
    }
    let mut text = String::from(
        "# Written by portail ([deploy] headers = true) for hosts that read it.\n\
         /*\n  X-Content-Type-Options: nosniff\n  Referrer-Policy: strict-origin-when-cross-origin\n  \
         Permissions-Policy: camera=(), microphone=(), geolocation=()\n\n",
    );
    // Where pages are: the policy would stop the CMS's own scripts in
    // `admin/`, and hosts add the headers of every rule that matches.
    let pages: Vec<String> = match config.root {
        RootMode::Chooser => ["/", "/index.html", "/404.html"]
            .into_iter()
            .map(String::from)
            .chain(config.language_codes().map(|l| format!("/{l}/*")))
            .collect(),
        RootMode::Default if config.cms.enabled => Vec::new(),
        RootMode::Default => vec!["/*".to_string()],
    };
    for pattern in pages {
        let path = config.url_of(pattern.trim_start_matches('/'));
        text.push_str(&format!(
            "{path}\n  Content-Security-Policy: {CONTENT_SECURITY_POLICY}\n  X-Frame-Options: DENY\n  \
             Cache-Control: public, max-age=0, must-revalidate\n\n"
        ));
    }
    text.push_str(&format!(
        "{}*\n  Cache-Control: public, max-age=31536000, immutable\n",
        config.url_of("pictures/")
    ));
    vec![OutputFile::html(
        "_headers".into(),
        text,
        Origin::Generated("headers".to_string()),
    )]
}
