//! URL slugs: lowercase ASCII words joined by hyphens, accents transliterated.

/// The longest slug, or author-given segment of an output path, accepted:
/// file systems refuse names over 255 bytes, and some hosts fewer.
pub const MAX_SLUG_LEN: usize = 200;

/// `Réunion à Dakar` → `reunion-a-dakar`.
pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut slug = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

/// Why an author-given slug cannot be used, if it cannot.
pub fn slug_problem(slug: &str) -> Option<crate::messages::Message> {
    if slug.contains('/') || slug.contains('\\') {
        Some(msg!("slug.slash"))
    } else if slug.contains("..") {
        Some(msg!("slug.dots"))
    } else if slugify(slug).is_empty() {
        Some(msg!("slug.no_letters"))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transliterates_and_joins() {
        let cases = [
            ("Réunion à Dakar", "reunion-a-dakar"),
            ("L’immigration : « enjeux »", "l-immigration-enjeux"),
            ("Afrique-UE  2024", "afrique-ue-2024"),
            ("Œuvre été", "oeuvre-ete"),
            ("---", ""),
        ];
        for (input, expected) in cases {
            assert_eq!(slugify(input), expected, "{input}");
        }
    }

    #[test]
    fn flags_unsafe_slugs() {
        assert!(slug_problem("a/b").is_some());
        assert!(slug_problem("..").is_some());
        assert!(slug_problem("a..b").is_some());
        assert!(slug_problem("«»").is_some());
        assert!(slug_problem("actualites").is_none());
    }
}
