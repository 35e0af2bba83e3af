//! Videos: a YouTube, Vimeo or PeerTube link alone in its paragraph
//! becomes a player behind a facade — a link to the video with a poster
//! and a "Play" label, which the theme's script swaps for the host's
//! player on a click. Nothing is asked of the video's host before that
//! click; the player is the host's privacy-enhanced one. Without the
//! script, the facade is a plain link to the video.
//!
//! A local video file shown like a picture (`![…](clip.mp4)`) becomes a
//! `<video>` with the captions (`.vtt`) found beside it.

use std::path::Path;

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::escape::html as escape;

/// How the videos of a page are shown.
pub struct Videos<'a, L: Fn(&str) -> String> {
    /// The title of a video whose link's text is its address.
    pub untitled: &'a str,
    /// The poster of a video whose link has no picture (the page's own
    /// picture, or none for a neutral one).
    pub poster: Option<&'a str>,
    /// "Play: title".
    pub label: L,
}

impl<L: Fn(&str) -> String> Videos<'_, L> {
    /// Turns each paragraph made of one link to a hosted video into its
    /// facade. The link's text is the video's title; a picture as the
    /// link's text is its poster.
    pub fn place(&self, events: &mut Vec<Event>) {
        let mut at = 0;
        while at + 4 < events.len() {
            if let Some((end, html)) = self.paragraph_of_video(&events[at..]) {
                events.splice(at..at + end, [Event::Html(html.into())]);
            }
            at += 1;
        }
    }

    /// The facade of a paragraph starting `events` if it is one video
    /// link, and how many events it took.
    fn paragraph_of_video(&self, events: &[Event]) -> Option<(usize, String)> {
        let (Event::Start(Tag::Paragraph), Event::Start(Tag::Link { dest_url, .. })) =
            (&events[0], &events[1])
        else {
            return None;
        };
        let video = hosted(dest_url)?;
        let close = 2 + (events[2..].iter()).position(|e| matches!(e, Event::End(TagEnd::Link)))?;
        if !matches!(events.get(close + 1), Some(Event::End(TagEnd::Paragraph))) {
            return None;
        }
        let (title, poster) = match &events[2..close] {
            [Event::InlineHtml(html)] if html.starts_with("<picture") => {
                (self.untitled.to_string(), Some(html.as_ref()))
            }
            inner => {
                let mut text = String::new();
                for event in inner {
                    match event {
                        Event::Text(t) | Event::Code(t) => text.push_str(t),
                        Event::SoftBreak | Event::HardBreak => text.push(' '),
                        _ => return None,
                    }
                }
                let text = text.trim();
                let untitled = text.is_empty() || text == dest_url.as_ref();
                let title = if untitled { self.untitled } else { text };
                (title.to_string(), self.poster)
            }
        };
        let label = (self.label)(&title);
        Some((close + 2, facade(dest_url, &video, &label, poster)))
    }
}

/// A video of a host, and how to embed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hosted {
    /// The player's address, privacy-enhanced, starting as it loads.
    pub embed: String,
}

/// The video a link leads to, if it is one of a known host's.
pub fn hosted(link: &str) -> Option<Hosted> {
    let url = url::Url::parse(link).ok()?;
    if !matches!(url.scheme(), "https" | "http") {
        return None;
    }
    let host = url.host_str()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let mut path = url.path_segments()?.filter(|s| !s.is_empty());
    let embed = match host {
        "youtube.com" | "m.youtube.com" | "youtube-nocookie.com" => {
            let id = match path.next()? {
                "watch" => (url.query_pairs())
                    .find(|(k, _)| k == "v")
                    .map(|(_, v)| v.into_owned())?,
                "embed" | "shorts" | "live" => path.next()?.to_string(),
                _ => return None,
            };
            youtube(&id)?
        }
        "youtu.be" => youtube(path.next()?)?,
        "vimeo.com" | "player.vimeo.com" => {
            let id = path.find(|s| s.bytes().all(|b| b.is_ascii_digit()))?;
            format!("https://player.vimeo.com/video/{id}?dnt=1&autoplay=1")
        }
        _ => {
            // PeerTube, on any instance: /w/<id> or /videos/watch/<id>.
            let id = match (path.next()?, path.next()) {
                ("w", Some(id)) => id,
                ("videos", Some("watch")) => path.next()?,
                _ => return None,
            };
            let valid = id.len() >= 8 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
            if !valid || url.scheme() != "https" {
                return None;
            }
            let authority = &url[url::Position::BeforeHost..url::Position::AfterPort];
            // Peer-to-peer off: watching shares no address with other viewers.
            format!("https://{authority}/videos/embed/{id}?autoplay=1&p2p=0")
        }
    };
    Some(Hosted { embed })
}

fn youtube(id: &str) -> Option<String> {
    let valid =
        id.len() == 11 && (id.bytes()).all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    valid.then(|| format!("https://www.youtube-nocookie.com/embed/{id}?autoplay=1"))
}

/// The facade of a hosted video: a link to `link` (where the video is
/// watched without the script) showing `poster` (picture HTML, or none for
/// a neutral one) and `label` ("Play: title").
pub fn facade(link: &str, video: &Hosted, label: &str, poster: Option<&str>) -> String {
    // The neutral poster and the play sign are drawn by the theme's CSS.
    let poster = poster.unwrap_or("");
    format!(
        "<figure class=\"video\"><a class=\"video-facade\" href=\"{link}\" \
         data-embed=\"{embed}\" data-title=\"{label}\">{poster}\
         <span class=\"video-play\">{label}</span></a></figure>\n",
        link = escape(link),
        embed = escape(&video.embed),
        label = escape(label),
    )
}

/// Whether a path names a video file portail shows with `<video>`.
pub fn is_local_video(path: &str) -> bool {
    let path = path.split(['?', '#']).next().unwrap_or(path);
    if path.contains("://") || path.starts_with("//") {
        return false;
    }
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    matches!(ext.as_deref(), Some("mp4" | "webm" | "ogv" | "m4v"))
}

fn mime(path: &str) -> &'static str {
    match path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .as_deref()
    {
        Some("webm") => "video/webm",
        Some("ogv") => "video/ogg",
        _ => "video/mp4",
    }
}

/// A caption track: its address, language and the language's name.
pub struct Track {
    pub src: String,
    pub lang: String,
    pub label: String,
}

/// The caption files beside video `file` (written `src` in the page):
/// `clip.<lang>.vtt` for each of `languages` (code, name), and `clip.vtt`
/// in the page's language `lang`.
pub fn tracks(file: &Path, src: &str, lang: &str, languages: &[(String, String)]) -> Vec<Track> {
    let (Some(stem), Some(folder)) = (file.file_stem().and_then(|s| s.to_str()), file.parent())
    else {
        return Vec::new();
    };
    let src_stem = src.rsplit_once('.').map_or(src, |(s, _)| s);
    let name_of = |code: &str| {
        (languages.iter())
            .find(|(c, _)| c == code)
            .map_or(code.to_string(), |(_, n)| n.clone())
    };
    let mut tracks = Vec::new();
    if folder.join(format!("{stem}.vtt")).is_file() {
        tracks.push(Track {
            src: format!("{src_stem}.vtt"),
            lang: lang.to_string(),
            label: name_of(lang),
        });
    }
    for (code, name) in languages {
        if folder.join(format!("{stem}.{code}.vtt")).is_file() {
            tracks.push(Track {
                src: format!("{src_stem}.{code}.vtt"),
                lang: code.clone(),
                label: name.clone(),
            });
        }
    }
    // The page's own language first: the one a browser shows by default.
    tracks.sort_by_key(|t| t.lang != lang);
    tracks
}

/// A local video with its captions; with a title, a figure (as a picture
/// with a title is) whose caption it is.
pub fn local(src: &str, alt: &str, title: &str, tracks: &[Track]) -> String {
    let mut html = format!(
        "<video class=\"video-file\" controls preload=\"metadata\" aria-label=\"{alt}\">\
         <source src=\"{src}\" type=\"{mime}\">",
        alt = escape(alt),
        src = escape(src),
        mime = mime(src),
    );
    for (i, track) in tracks.iter().enumerate() {
        html.push_str(&format!(
            "<track kind=\"captions\" src=\"{}\" srclang=\"{}\" label=\"{}\"{}>",
            escape(&track.src),
            escape(&track.lang),
            escape(&track.label),
            if i == 0 { " default" } else { "" }
        ));
    }
    html.push_str(&format!(
        "<a href=\"{}\">{}</a></video>",
        escape(src),
        escape(alt)
    ));
    match title.trim() {
        "" => html,
        caption => format!(
            "{}{html}<figcaption>{}</figcaption></figure>",
            super::FIGURE,
            escape(caption)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_of_each_host_give_its_privacy_enhanced_player() {
        let cases = [
            (
                "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=10",
                Some("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"),
            ),
            (
                "https://youtu.be/dQw4w9WgXcQ",
                Some("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"),
            ),
            (
                "https://m.youtube.com/shorts/dQw4w9WgXcQ",
                Some("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"),
            ),
            (
                "https://vimeo.com/76979871",
                Some("https://player.vimeo.com/video/76979871?dnt=1&autoplay=1"),
            ),
            (
                "https://video.example.org/w/9c9de5e8-0a1e-484a-b099-e80766180a6d",
                Some(
                    "https://video.example.org/videos/embed/9c9de5e8-0a1e-484a-b099-e80766180a6d?autoplay=1&p2p=0",
                ),
            ),
            (
                "https://tube.example.net/videos/watch/kkGMgK9ZtnKfYAgnEtQxbv",
                Some(
                    "https://tube.example.net/videos/embed/kkGMgK9ZtnKfYAgnEtQxbv?autoplay=1&p2p=0",
                ),
            ),
            // Not videos, or not ones portail knows how to embed.
            ("https://www.youtube.com/channel/UCabc", None),
            ("https://youtu.be/short", None),
            ("https://vimeo.com/about", None),
            ("https://fr.wikipedia.org/w/index.php", None),
            ("http://video.example.org/w/9c9de5e8-0a1e-484a", None),
            ("javascript:alert(1)", None),
            ("https://example.org/page", None),
        ];
        for (link, embed) in cases {
            assert_eq!(hosted(link).map(|h| h.embed).as_deref(), embed, "{link}");
        }
    }

    #[test]
    fn the_facade_is_a_link_that_asks_nothing_of_the_host() {
        let video = hosted("https://youtu.be/dQw4w9WgXcQ").unwrap();
        let html = facade(
            "https://youtu.be/dQw4w9WgXcQ",
            &video,
            "Lire : « Le film »",
            None,
        );
        assert!(html.contains("href=\"https://youtu.be/dQw4w9WgXcQ\""));
        assert!(html.contains(
            "data-embed=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1\""
        ));
        assert!(
            !html.contains("<img") && !html.contains("<iframe"),
            "{html}"
        );
        assert!(html.contains("Lire : « Le film »"));
    }

    #[test]
    fn video_files_are_known_by_their_extension() {
        assert!(is_local_video("clip.mp4") && is_local_video("@/news/a/CLIP.WebM"));
        assert!(!is_local_video("https://example.org/clip.mp4") && !is_local_video("photo.jpg"));
    }
}
