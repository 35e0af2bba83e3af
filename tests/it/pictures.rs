//! Pictures: a phone-like photo beside a page is published resized, as
//! WebP and JPEG, upright, without its metadata, with the markup that
//! keeps the page from moving; a missing or broken picture is a located
//! error; a second build takes the results from the cache.

use std::path::Path;
use std::process::Command;

use crate::harness::{SiteTest, tree};

/// A JPEG of `width`×`height` that looks like a photo to an encoder:
/// gradients and noise, no flat colour.
fn photo(width: u32, height: u32) -> Vec<u8> {
    let mut seed = 0x2545_f491_u32;
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let noise = (seed % 40) as u8;
        let r = (x * 200 / width) as u8;
        let g = (y * 180 / height) as u8;
        image::Rgb([
            r.saturating_add(noise),
            g.saturating_add(noise / 2),
            90 + noise,
        ])
    });
    let mut bytes = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 90);
    image.write_with_encoder(encoder).unwrap();
    bytes
}

/// Runs exiftool with `args`; its output.
fn exiftool(args: &[&str]) -> String {
    let out = Command::new("exiftool")
        .args(args)
        .output()
        .expect("exiftool (Debian's libimage-exiftool-perl) is needed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A site whose guide shows a 1600×1200 photo taken on its side, with a
/// GPS position in its EXIF.
fn site_with_photo() -> SiteTest {
    let site = SiteTest::new("basic");
    let folder = "content/news/2024-06-05-guide";
    let file = site.root().join(folder).join("terrain.jpg");
    std::fs::write(&file, photo(1600, 1200)).unwrap();
    exiftool(&[
        "-overwrite_original",
        "-GPSLatitude=14.6937",
        "-GPSLatitudeRef=N",
        "-GPSLongitude=17.4441",
        "-GPSLongitudeRef=W",
        "-Orientation#=6",
        "-Artist=Fictitious Camera Owner",
        file.to_str().unwrap(),
    ]);
    assert!(exiftool(&["-GPSPosition", file.to_str().unwrap()]).contains("14 deg"));
    site.edit(&format!("{folder}/index.fr.md"), |text| {
        format!("{text}\n\n![Une parcelle de terrain](terrain.jpg)\n\n![Encore](terrain.jpg)\n")
    });
    site
}

/// The line of `page` that starts with `start`, from 1.
fn line_of(site: &SiteTest, page: &str, start: &str) -> usize {
    let text = std::fs::read_to_string(site.root().join(page)).unwrap();
    text.lines().position(|l| l.starts_with(start)).unwrap() + 1
}

/// The files of the pictures of `public/pictures/` made from photos (the
/// site's share cards left out).
fn images(public: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(public.join("pictures"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with("share."))
        .collect();
    names.sort();
    names
}

#[test]
fn a_photo_is_published_resized_upright_and_without_its_metadata() {
    let site = site_with_photo();
    site.build_ok(&[]);
    let public = site.public();
    let names = images(&public);
    // Turned upright: 1200 wide, so 480, 800 and its own 1200 (never
    // enlarged to 1600), each in WebP and JPEG.
    let width = |name: &str| name.rsplit('.').nth(1).unwrap().to_string();
    let widths: Vec<String> = names.iter().map(|n| width(n)).collect();
    assert_eq!(
        widths,
        ["1200", "1200", "480", "480", "800", "800"],
        "{names:?}"
    );
    assert!(names.iter().all(|n| n.starts_with("terrain.")), "{names:?}");
    for name in &names {
        let path = public.join("pictures").join(name);
        let bytes = std::fs::read(&path).unwrap();
        let decoded = image::load_from_memory(&bytes).unwrap();
        let width: u32 = width(name).parse().unwrap();
        let height = (f64::from(width) * 4.0 / 3.0).round() as u32;
        assert_eq!(
            (decoded.width(), decoded.height()),
            (width, height),
            "{name}"
        );
        let tags = exiftool(&[
            "-a",
            "-G1",
            "-s",
            "-EXIF:all",
            "-XMP:all",
            "-GPS:all",
            path.to_str().unwrap(),
        ]);
        assert!(tags.trim().is_empty(), "{name} keeps metadata:\n{tags}");
    }
    let page = site.read("fr/actualites/le-guide/index.html");
    let first = page.find("<picture>").expect("a <picture> in the page");
    let img = &page[first..page[first..].find("</picture>").unwrap() + first];
    assert!(img.contains("type=\"image/webp\""), "{img}");
    assert!(img.contains("width=\"1200\" height=\"1600\""), "{img}");
    assert!(img.contains("alt=\"Une parcelle de terrain\""), "{img}");
    assert!(img.contains("decoding=\"async\""), "{img}");
    assert!(img.contains(" 480w, "), "{img}");
    // The first picture loads at once; the next ones when near.
    assert!(!img.contains("loading=\"lazy\""), "{img}");
    let second = &page[first + img.len()..];
    assert!(second.contains("loading=\"lazy\""), "{second}");
    // The original stays beside the page, as any file there.
    assert!(public.join("fr/actualites/le-guide/terrain.jpg").is_file());
}

#[test]
fn a_second_build_takes_the_pictures_from_the_cache_and_gives_the_same_bytes() {
    let site = site_with_photo();
    site.build_ok(&[]);
    let first = tree(&site.public());
    let cache = site.root().join(".portail-cache/images");
    // Share cards have folders of their own.
    let kept: Vec<_> = (std::fs::read_dir(&cache).unwrap())
        .filter(|e| e.as_ref().unwrap().path().join("picture.json").is_file())
        .collect();
    assert_eq!(kept.len(), 1, "one picture, one folder in the cache");
    // From the cache, and from scratch with one thread: the same bytes.
    site.build_ok(&[]);
    assert!(
        tree(&site.public()) == first,
        "a warm cache changed the output"
    );
    std::fs::remove_dir_all(site.root().join(".portail-cache")).unwrap();
    site.run_with_env(&["build"], &[("RAYON_NUM_THREADS", "1")])
        .assert_code(0);
    assert!(
        tree(&site.public()) == first,
        "one thread changed the output"
    );
}

#[test]
fn a_missing_or_broken_picture_is_an_error_at_its_line() {
    let site = SiteTest::new("basic");
    let page = "content/news/2024-06-05-guide/index.fr.md";
    site.edit(page, |text| format!("{text}\n\n![Absente](absente.jpg)\n"));
    let run = site.run(&["build"]);
    run.assert_code(1).assert_stderr_contains("absente.jpg");
    let line = std::fs::read_to_string(site.root().join(page))
        .unwrap()
        .lines()
        .count();
    run.assert_stderr_contains(&format!("index.fr.md:{line}"));

    let site = SiteTest::new("basic");
    let folder = "content/news/2024-06-05-guide";
    let mut cut = photo(400, 300);
    cut.truncate(cut.len() / 3);
    site.write(&format!("{folder}/coupee.jpg"), cut);
    site.edit(&format!("{folder}/index.fr.md"), |text| {
        format!("{text}\n\n![Coupée](coupee.jpg)\n")
    });
    site.run(&["build"])
        .assert_code(1)
        .assert_stderr_contains("coupee.jpg");
    assert!(
        !site.exists("public/index.html"),
        "a failed build published something"
    );
}

#[test]
fn a_titled_picture_alone_is_a_figure_and_alerts_are_callouts() {
    let site = site_with_photo();
    let page = "content/news/2024-06-05-guide/index.fr.md";
    site.edit(page, |text| {
        format!(
            "{text}\n![Le terrain](terrain.jpg \"Une parcelle, vue d'en haut\")\n\n\
             Dans le texte ![Le terrain](terrain.jpg \"Sans légende ici\") aussi.\n\n\
             > [!NOTE]\n> Une remarque.\n\n> [!TIP]\n> Une astuce.\n\n\
             > [!IMPORTANT]\n> Important.\n\n> [!WARNING]\n> Attention.\n\n> [!CAUTION]\n> Prudence.\n"
        )
    });
    site.build_ok(&[]);
    let html = site.read("fr/actualites/le-guide/index.html");
    assert!(
        html.contains("<figure><picture>") && !html.contains("<p><figure>"),
        "{html}"
    );
    assert!(
        html.contains("<figcaption>Une parcelle, vue d&#39;en haut</figcaption></figure>"),
        "{html}"
    );
    assert!(
        !html.contains("Sans légende ici"),
        "a picture among words has no caption: {html}"
    );
    for (kind, label) in [
        ("note", "Remarque"),
        ("tip", "Astuce"),
        ("important", "Important"),
        ("warning", "Attention"),
        ("caution", "Prudence"),
    ] {
        let start = format!(
            "<div class=\"callout callout-{kind}\" role=\"note\">\n<p class=\"callout-label\">{label}</p>"
        );
        assert!(html.contains(&start), "{kind}: {html}");
    }
    assert!(!html.contains("[!NOTE]"), "{html}");
    // The same in English, with English labels.
    let page = "content/news/2024-06-05-guide/index.en.md";
    site.edit(page, |text| format!("{text}\n> [!WARNING]\n> Careful.\n"));
    site.build_ok(&[]);
    let html = site.read("en/news/guide/index.html");
    assert!(
        html.contains("<p class=\"callout-label\">Warning</p>"),
        "{html}"
    );
}

#[test]
fn a_page_image_leads_the_page_shows_on_its_card_and_in_share_previews() {
    let site = site_with_photo();
    let folder = "content/news/2024-06-05-guide";
    site.edit(&format!("{folder}/index.fr.md"), |text| {
        text.replacen(
            "slug = \"le-guide\"\n",
            "slug = \"le-guide\"\nimage = \"terrain.jpg\"\nimage_alt = \"Une parcelle de terrain\"\n",
            1,
        )
    });
    // The English version inherits the picture, not its description.
    site.edit(&format!("{folder}/index.en.md"), |text| {
        text.replacen(
            "title = \"The guide\"\n",
            "title = \"The guide\"\nimage_alt = \"A plot of land\"\n",
            1,
        )
    });
    site.build_ok(&[]);
    let fr = site.read("fr/actualites/le-guide/index.html");
    let lead = fr
        .split("<div class=\"lead-picture\">")
        .nth(1)
        .expect("a lead picture");
    assert!(
        lead.starts_with("<picture>") && lead.contains("alt=\"Une parcelle de terrain\""),
        "{lead}"
    );
    assert!(
        fr.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"),
        "{fr}"
    );
    let og = fr
        .split("<meta property=\"og:image\" content=\"")
        .nth(1)
        .unwrap();
    let url = &og[..og.find('"').unwrap()];
    assert!(
        url.starts_with("https://example.org/pictures/terrain.") && url.ends_with(".share.jpg"),
        "{url}"
    );
    assert!(
        site.exists(url.trim_start_matches("https://example.org/")),
        "{url} is not published"
    );
    assert!(
        fr.contains("<meta property=\"og:image:width\" content=\"1200\">"),
        "{fr}"
    );
    assert!(
        fr.contains("<meta property=\"og:image:height\" content=\"630\">"),
        "{fr}"
    );
    assert!(
        fr.contains("<meta property=\"og:image:alt\" content=\"Une parcelle de terrain\">"),
        "{fr}"
    );
    let en = site.read("en/news/guide/index.html");
    assert!(en.contains("<div class=\"lead-picture\"><picture>"), "{en}");
    assert!(en.contains("alt=\"A plot of land\""), "{en}");
    // The section's list shows it, as decoration beside the linked title.
    let list = site.read("fr/actualites/index.html");
    let card = list
        .split("<div class=\"card-picture\">")
        .nth(1)
        .expect("a card picture");
    assert!(
        card.contains("alt=\"\"") && card.contains("loading=\"lazy\""),
        "{card}"
    );

    // A picture that is not there: an error at the `image` line.
    site.edit(&format!("{folder}/index.fr.md"), |text| {
        text.replace("image = \"terrain.jpg\"", "image = \"absente.jpg\"")
    });
    site.run(&["build"])
        .assert_code(1)
        .assert_stderr_contains(&format!("{folder}/index.fr.md:4:"))
        .assert_stderr_contains("absente.jpg");
}

#[test]
fn see_also_shows_the_related_pages_pictures() {
    let site = site_with_photo();
    let folder = "content/news/2024-06-05-guide";
    // The guide shares a theme with the Dakar meeting: each is the other's
    // related page.
    site.edit(&format!("{folder}/index.fr.md"), |text| {
        let (front, body) = text[4..].split_once("+++\n").unwrap();
        format!("+++\n{front}image = \"terrain.jpg\"\n[taxonomies]\nthemes = [\"protection\"]\n+++\n{body}")
    });
    site.edit("config.toml", |text| {
        text.replace("[sections.news]\n", "[sections.news]\nrelated = true\n")
    });
    site.build_ok(&[]);
    let meeting = site.read("fr/actualites/reunion-a-dakar/index.html");
    let related = meeting
        .split("class=\"related\"")
        .nth(1)
        .expect("related pages");
    assert!(related.contains("/fr/actualites/le-guide/\">"), "{related}");
    assert!(
        related.contains("<div class=\"card-picture\"><picture>"),
        "{related}"
    );
}

#[test]
fn a_heavy_original_is_a_warning_and_an_error_for_check_strict() {
    let site = site_with_photo();
    site.edit("config.toml", |text| {
        format!("{text}\n[images]\nwarn_pixels = 1500\n")
    });
    let page = "content/news/2024-06-05-guide/index.fr.md";
    let line = line_of(&site, page, "![Une parcelle");
    let warning = format!("warning: {page}:{line}:1: this picture's original is heavy:");
    site.build_ok(&[])
        .assert_stderr_contains(&warning)
        .assert_stderr_contains("1200×1600 pixels");
    site.run(&["check", "--strict"])
        .assert_code(1)
        .assert_stderr_contains(&format!(
            "error: {page}:{line}:1: this picture's original is heavy:"
        ));
    // Within the limits, nothing to say.
    site.edit("config.toml", |text| {
        text.replace("warn_pixels = 1500", "warn_pixels = 1600")
    });
    let run = site.build_ok(&[]);
    assert!(!run.stderr.contains("heavy"), "{}", run.stderr);
}

#[test]
fn a_page_picture_without_a_description_is_a_warning_in_each_language() {
    let site = site_with_photo();
    let folder = "content/news/2024-06-05-guide";
    site.edit(&format!("{folder}/index.fr.md"), |text| {
        text.replacen(
            "slug = \"le-guide\"\n",
            "slug = \"le-guide\"\nimage = \"terrain.jpg\"\n",
            1,
        )
    });
    let run = site.build_ok(&[]);
    run.assert_stderr_contains(&format!(
        "warning: {folder}/index.fr.md:4:9: the page's picture has no text alternative"
    ))
    .assert_stderr_contains(&format!(
        "warning: {folder}/index.en.md:1:1: the page's picture has no text alternative"
    ));
    site.run(&["check", "--strict"]).assert_code(1);
}

#[test]
fn a_picture_longer_than_webp_allows_is_an_error_not_a_crash() {
    let site = SiteTest::new("basic");
    let folder = "content/news/2024-06-05-guide";
    site.write(&format!("{folder}/bande.jpg"), photo(40, 17000));
    site.edit(&format!("{folder}/index.fr.md"), |text| {
        format!("{text}\n\n![Une bande](bande.jpg)\n")
    });
    site.run(&["build"])
        .assert_code(1)
        .assert_stderr_contains("bande.jpg would be 40×17000 pixels");
    assert!(
        !site.exists("public/index.html"),
        "a failed build published something"
    );
}

/// The `og:image` address of a page and its declared size.
fn share_of(html: &str) -> (String, String, String) {
    let meta = |property: &str| {
        let start = format!("<meta property=\"{property}\" content=\"");
        let value = html
            .split(&start)
            .nth(1)
            .unwrap_or_else(|| panic!("{property} in {html}"));
        value.split('"').next().unwrap().to_string()
    };
    let url = meta("og:image");
    let path = url
        .strip_prefix("https://example.org/")
        .unwrap_or_else(|| panic!("{url}"))
        .to_string();
    (path, meta("og:image:width"), meta("og:image:height"))
}

/// What tesseract reads in a picture, in `lang`.
fn ocr(file: &Path, lang: &str) -> String {
    let out = Command::new("tesseract")
        .arg(file)
        .args(["stdout", "-l", lang])
        .output()
        .expect("tesseract (Debian's tesseract-ocr, tesseract-ocr-fra) is needed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_page_without_a_picture_shares_a_card_drawn_from_its_title() {
    let site = SiteTest::new("basic");
    let folder = "content/news/2024-06-05-guide";
    site.edit(&format!("{folder}/index.fr.md"), |text| {
        text.replacen(
            "title = \"Le guide\"",
            "title = \"Journée d'étude : accueillir les nouveaux arrivants\"",
            1,
        )
    });
    site.build_ok(&[]);
    let fr = site.read("fr/actualites/le-guide/index.html");
    assert!(fr.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"));
    let (path, width, height) = share_of(&fr);
    assert!(path.starts_with("fr/actualites/le-guide/share."), "{path}");
    assert_eq!((width.as_str(), height.as_str()), ("1200", "630"));
    let card = site.public().join(&path);
    let image = image::open(&card).unwrap();
    assert_eq!((image.width(), image.height()), (1200, 630));
    // French typography is kept on the card: the no-break space before
    // the colon, as the page shows it.
    assert!(
        fr.contains("étude\u{a0}: accueillir les nouveaux arrivants\">"),
        "{fr}"
    );
    let read = ocr(&card, "fra");
    for word in [
        "Journée",
        "étude",
        "accueillir",
        "nouveaux",
        "arrivants",
        "Site",
    ] {
        assert!(read.contains(word), "{word} not read on the card: {read}");
    }
    // The English page has its own card, in its own words.
    let en = site.read("en/news/guide/index.html");
    let (en_path, _, _) = share_of(&en);
    assert_ne!(en_path, path);
    let read = ocr(&site.public().join(&en_path), "eng");
    assert!(
        read.contains("The guide") && read.contains("Test site"),
        "{read}"
    );
    // Pages of no doc share the site's card.
    let tags = site.read("fr/recherche/index.html");
    let (site_path, _, _) = share_of(&tags);
    assert!(site_path.starts_with("pictures/share.fr."), "{site_path}");
    assert!(site.public().join(&site_path).is_file());
}

#[test]
fn a_site_share_picture_replaces_the_cards_and_a_missing_one_is_located() {
    let site = SiteTest::new("basic");
    site.write("static/images/partage.jpg", photo(1600, 1000));
    site.edit("config.toml", |text| {
        format!("{text}\n[images]\nshare = \"/images/partage.jpg\"\n")
    });
    site.build_ok(&[]);
    let fr = site.read("fr/actualites/le-guide/index.html");
    let (path, width, height) = share_of(&fr);
    assert!(path.starts_with("pictures/partage."), "{path}");
    assert_eq!((width.as_str(), height.as_str()), ("1200", "630"));
    let image = image::open(site.public().join(&path)).unwrap();
    assert_eq!((image.width(), image.height()), (1200, 630));
    let drawn: Vec<String> = (site.output_tree().into_keys())
        .filter(|p| p.contains("share.") && p.ends_with(".png"))
        .collect();
    assert!(drawn.is_empty(), "no card is drawn: {drawn:?}");
    site.edit("config.toml", |text| {
        text.replace("partage.jpg", "absente.jpg")
    });
    let run = site.run(&["build"]);
    run.assert_code(1);
    let config = std::fs::read_to_string(site.root().join("config.toml")).unwrap();
    let line = config.lines().position(|l| l.contains("absente")).unwrap() + 1;
    run.assert_stderr_contains(&format!("config.toml:{line}:"));
    run.assert_stderr_contains("static/images/absente.jpg");
}

#[test]
fn a_page_over_its_weight_budget_is_a_warning_at_its_heaviest_picture() {
    let site = site_with_photo();
    let page = "content/news/2024-06-05-guide/index.fr.md";
    // The picture's widest WebP, which a wide screen loads.
    site.build_ok(&[]);
    let webp: u64 = (images(&site.public()).iter())
        .filter(|n| n.ends_with(".1200.webp"))
        .map(|n| {
            std::fs::metadata(site.public().join("pictures").join(n))
                .unwrap()
                .len()
        })
        .sum();
    assert!(webp > 20_000, "{webp}");
    // Shown twice: twice its weight, over a budget it fits once.
    let budget = webp * 3 / 2 / 1000;
    site.edit("config.toml", |text| {
        format!("{text}\n[images]\npage_budget_kb = {budget}\n")
    });
    let line = line_of(&site, page, "![Une parcelle");
    let run = site.build_ok(&[]);
    run.assert_stderr_contains(&format!("warning: {page}:{line}:1: this page weighs"))
        .assert_stderr_contains(&format!("over the budget of {budget} kB"));
    // Only that page: the English one shows no picture.
    assert_eq!(
        run.stderr.matches("this page weighs").count(),
        1,
        "{}",
        run.stderr
    );
    site.run(&["check", "--strict"])
        .assert_code(1)
        .assert_stderr_contains(&format!("error: {page}:{line}:1: this page weighs"));
    // Shown once, it fits.
    site.edit(page, |text| text.replace("![Encore](terrain.jpg)", ""));
    let run = site.build_ok(&[]);
    assert!(!run.stderr.contains("this page weighs"), "{}", run.stderr);
}

#[test]
fn keep_metadata_keeps_the_exif_of_every_published_file_upright() {
    let site = site_with_photo();
    site.edit("config.toml", |text| {
        format!("{text}\n[images]\nkeep_metadata = true\n")
    });
    site.build_ok(&[]);
    let public = site.public();
    let names = images(&public);
    assert_eq!(names.len(), 6, "{names:?}");
    for name in &names {
        let file = public.join("pictures").join(name);
        let tags = exiftool(&[
            "-GPSPosition",
            "-Artist",
            "-Orientation",
            "-ImageSize",
            file.to_str().unwrap(),
        ]);
        assert!(tags.contains("14 deg"), "{name}: {tags}");
        assert!(tags.contains("Fictitious Camera Owner"), "{name}: {tags}");
        // The pixels are turned already: the tag must not turn them again.
        assert!(tags.contains("Horizontal (normal)"), "{name}: {tags}");
        let width = name.rsplit('.').nth(1).unwrap();
        assert!(
            tags.contains(&format!("Image Size                      : {width}x")),
            "{name}: {tags}"
        );
    }
}

#[test]
fn video_links_become_facades_and_video_files_players_with_their_captions() {
    let site = site_with_photo();
    let folder = "content/news/2024-06-05-guide";
    site.write(&format!("{folder}/extrait.mp4"), "not really a video");
    site.write(&format!("{folder}/extrait.vtt"), "WEBVTT\n");
    site.write(&format!("{folder}/extrait.en.vtt"), "WEBVTT\n");
    site.edit(&format!("{folder}/index.fr.md"), |text| {
        format!(
            "{text}\n[Notre film](https://youtu.be/dQw4w9WgXcQ)\n\n<https://vimeo.com/76979871>\n\n\
             [![L'affiche](terrain.jpg)](https://video.example.org/w/kkGMgK9ZtnKfYAgnEtQxbv)\n\n\
             Voir [ce film](https://youtu.be/dQw4w9WgXcQ) dans une phrase.\n\n\
             ![Un extrait](extrait.mp4 \"L'extrait\")\n"
        )
    });
    site.build_ok(&[]);
    let html = site.read("fr/actualites/le-guide/index.html");
    let facades: Vec<&str> = html.split("<figure class=\"video\">").skip(1).collect();
    assert_eq!(facades.len(), 3, "{html}");
    assert!(
        facades[0].contains(
            "data-embed=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1\""
        )
    );
    assert!(
        facades[0].contains("<span class=\"video-play\">Lire la vidéo\u{a0}: Notre film</span>")
    );
    // A bare link takes the page's title; a picture as the link's text is the poster.
    assert!(
        facades[1].contains("Lire la vidéo\u{a0}: Le guide<"),
        "{}",
        facades[1]
    );
    assert!(!facades[1].contains("<picture"));
    assert!(
        facades[2].contains("<picture>")
            && facades[2].contains("videos/embed/kkGMgK9ZtnKfYAgnEtQxbv?autoplay=1&amp;p2p=0")
    );
    // Nothing of the host's in the page but the links: no frame, no picture.
    assert!(!html.contains("<iframe") && !html.contains("ytimg") && !html.contains("vimeocdn"));
    // A link inside a sentence stays a link.
    assert!(
        html.contains("Voir <a href=\"https://youtu.be/dQw4w9WgXcQ\">ce film</a> dans une phrase.")
    );
    assert!(html.contains("<script src=\"/video.js\" defer></script>"));
    // The local video, with its captions, the page's language first.
    assert!(html.contains(
        "<figure><video class=\"video-file\" controls preload=\"metadata\" aria-label=\"Un extrait\">\
         <source src=\"extrait.mp4\" type=\"video/mp4\">\
         <track kind=\"captions\" src=\"extrait.vtt\" srclang=\"fr\" label=\"Français\" default>\
         <track kind=\"captions\" src=\"extrait.en.vtt\" srclang=\"en\" label=\"English\">"
    ), "{html}");
    assert!(site.exists("fr/actualites/le-guide/extrait.vtt"));
    // The page's own picture is the poster of a video without one.
    site.edit(&format!("{folder}/index.fr.md"), |text| {
        text.replacen(
            "slug = \"le-guide\"\n",
            "slug = \"le-guide\"\nimage = \"terrain.jpg\"\nimage_alt = \"Un terrain\"\n",
            1,
        )
    });
    site.build_ok(&[]);
    let html = site.read("fr/actualites/le-guide/index.html");
    let facade = html.split("<figure class=\"video\">").nth(1).unwrap();
    assert!(
        facade
            .split("</figure>")
            .next()
            .unwrap()
            .contains("<picture>"),
        "{facade}"
    );
    // A video file that is not there is an error at its line.
    site.edit(&format!("{folder}/index.fr.md"), |text| {
        text.replace("extrait.mp4", "absent.mp4")
    });
    let line = line_of(&site, &format!("{folder}/index.fr.md"), "![Un extrait]");
    site.run(&["build"])
        .assert_code(1)
        .assert_stderr_contains(&format!(
            "{folder}/index.fr.md:{line}:1: this video's file does not exist: absent.mp4"
        ));
}
