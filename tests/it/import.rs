//! `portail import hugo`: the fixture sites under `tests/fixtures/import/`
//! become portail sites that build and check, with a report that lists
//! every file and every warning the new site gives.

use std::path::{Path, PathBuf};

use crate::harness::{Run, run_in_with_env};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import");

/// Imports a Hugo fixture into a new folder; returns the folder and the run.
fn import(fixture: &str, extra: &[&str]) -> (tempfile::TempDir, PathBuf, Run) {
    import_from("hugo", fixture, extra)
}

fn import_from(
    generator: &str,
    fixture: &str,
    extra: &[&str],
) -> (tempfile::TempDir, PathBuf, Run) {
    let out = tempfile::tempdir().unwrap();
    let into = out.path().join("site");
    let source = format!("{FIXTURES}/{fixture}");
    let mut args = vec!["import", generator, source.as_str(), "--into"];
    let into_arg = into.to_string_lossy().to_string();
    args.push(&into_arg);
    args.extend(extra);
    let run = run_in_with_env(out.path(), &args, &[]);
    (out, into, run)
}

fn read(site: &Path, rel: &str) -> String {
    std::fs::read_to_string(site.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The report's lines about one source file (its row and its notes).
fn row(report: &str, file: &str) -> String {
    let mut lines = report
        .lines()
        .skip_while(|l| !l.contains(&format!(" {file} ")) && !l.ends_with(&format!(" {file}")));
    let first = lines
        .next()
        .unwrap_or_else(|| panic!("no row for {file} in\n{report}"));
    let notes: Vec<&str> = lines
        .take_while(|l| l.starts_with("    ") || l.starts_with("           "))
        .collect();
    format!("{first}\n{}", notes.join("\n"))
}

/// The imported site builds and checks, and every warning it gives is
/// about a file the report flags.
fn builds_and_checks(site: &Path, run: &Run) {
    run.assert_code(0);
    let report = &run.stdout;
    let root = site.to_string_lossy().to_string();
    let build = run_in_with_env(site, &["build", "--root", &root], &[]);
    build.assert_code(0);
    let check = run_in_with_env(site, &["check", "--root", &root], &[]);
    check.assert_code(0);
    for line in build.stderr.lines().chain(check.stderr.lines()) {
        let Some(rest) = line.strip_prefix("warning: ") else {
            continue;
        };
        let file = rest.split(':').next().unwrap();
        let flagged = report
            .lines()
            .any(|l| l.starts_with("warning") && l.trim_end().ends_with(&format!("→ {file}")));
        assert!(flagged, "{line}\nis not flagged in the report:\n{report}");
    }
}

/// The site imports, builds and checks, every file of the source is in
/// the report once, and every warning of the new site is about a file
/// the report flags.
fn imports_cleanly(generator: &str, fixture: &str) -> (tempfile::TempDir, PathBuf, Run) {
    let (out, site, run) = import_from(generator, fixture, &[]);
    builds_and_checks(&site, &run);
    let report = &run.stdout;
    let dir = format!("{FIXTURES}/{fixture}");
    let files: Vec<String> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(&dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    for file in &files {
        let rows = report
            .lines()
            .filter(|l| !l.starts_with(' ') && l.split_whitespace().nth(1) == Some(file.as_str()))
            .count();
        assert_eq!(rows, 1, "{file} in\n{report}");
    }
    // The count is of the report's rows: the source's files and the
    // pages the import wrote for sections that lacked them.
    let rows = report.lines().filter(|l| !l.starts_with(' ')).count() - 1;
    assert!(rows >= files.len(), "{report}");
    assert!(report.ends_with(&format!(
        "{} files: {} imported, {} imported with warnings, {} skipped\n",
        rows,
        report.lines().filter(|l| l.starts_with("imported")).count(),
        report.lines().filter(|l| l.starts_with("warning")).count(),
        report.lines().filter(|l| l.starts_with("skipped")).count()
    )));
    (out, site, run)
}

#[test]
fn a_hugo_site_imports_builds_and_checks_with_every_warning_in_the_report() {
    imports_cleanly("hugo", "hugo");
    imports_cleanly("hugo", "hugo-dirs");
}

#[test]
fn a_jekyll_site_imports_builds_and_checks() {
    let (_out, site, run) = imports_cleanly("jekyll", "jekyll");
    let config = read(&site, "config.toml");
    // The `baseurl` is part of the site's address now.
    assert!(
        config.contains("base_url = \"https://dialogue-sahel-med.example.com/dialogue/\""),
        "{config}"
    );
    assert!(
        config.contains("[languages.fr]") && config.contains("[languages.en]"),
        "{config}"
    );
    // Posts keep their dated names; translations sharing a permalink pair.
    let fr = read(&site, "content/posts/2024-03-01-atelier.fr.md");
    let en = read(&site, "content/posts/2024-03-01-atelier.en.md");
    assert!(fr.contains("aliases = [\"/2024/03/01/atelier/\"]"), "{fr}");
    assert!(
        en.contains("aliases = [\"/en/2024/03/01/atelier/\"]"),
        "{en}"
    );
    assert!(en.contains("slug = \"workshop\""), "{en}");
    assert!(row(&run.stdout, "_posts/2024-03-01-workshop.md").contains("renamed"));
    // Language folders pair files of one name.
    assert!(
        site.join("content/posts/2024-04-10-forum-jeunesse.en.md")
            .exists()
    );
    assert!(
        site.join("content/posts/2024-04-10-forum-jeunesse.fr.md")
            .exists()
    );
    // `{% include figure.html %}` is a picture; `{{ site.baseurl }}` is gone.
    assert!(fr.contains("![Plan schématique d'une salle de réunion](/assets/img/salle-reunion.jpg \"La salle de l'atelier, avant l'ouverture des travaux\")"), "{fr}");
    assert!(site.join("static/assets/img/salle-reunion.jpg").exists());
    // `{% link %}` and `{% post_url %}` are `@/` links; a link to an
    // address without a language leads to the page's own language.
    assert!(
        read(&site, "content/posts/2024-02-05-reunion-rabat.fr.md")
            .contains("(@/posts/2024-03-01-atelier.md)")
    );
    assert!(read(&site, "content/_index.en.md").contains("(@/about.md)"));
    // `published: false` is skipped; a draft stays a draft.
    assert!(row(&run.stdout, "_posts/2024-06-28-note-interne.md").starts_with("skipped"));
    assert!(read(&site, "content/posts/feuille-de-route-bilan.fr.md").contains("\ndraft = true\n"));
    // `redirect_from` addresses are aliases too; categories written as words are a list.
    let health = read(&site, "content/posts/2024-05-06-sante-frontieres.fr.md");
    assert!(health.contains("aliases = [\"/2024/05/06/sante-frontieres/\", \"/actualites/sante-frontieres.html\", \"/node/142/\"]"), "{health}");
    let training = read(
        &site,
        "content/posts/2024-05-22-formation-statistiques.fr.md",
    );
    assert!(
        training.contains("categories = [\"actualites\", \"donnees\", \"formation\"]"),
        "{training}"
    );
    // Templates are skipped with their reason.
    assert!(row(&run.stdout, "_layouts/post.html").contains("templates"));
}

#[test]
fn front_matter_in_yaml_toml_and_json_becomes_toml() {
    let (_out, site, run) = import("hugo", &[]);
    run.assert_code(0);
    // JSON in the source.
    let guide = read(&site, "content/posts/guide-retour-volontaire/index.fr.md");
    assert!(guide.starts_with("+++\ntitle = "), "{guide}");
    // TOML, with a date and a last change.
    let report = read(&site, "content/posts/rapport-annuel-2023.fr.md");
    assert!(
        report
            .contains("\ndate = 2024-02-20T09:00:00+01:00\nupdated = 2024-03-04T16:15:00+01:00\n"),
        "{report}"
    );
    // YAML, with three date forms across the site.
    let dakar = read(&site, "content/posts/atelier-dakar.fr.md");
    assert!(dakar.contains("\ndate = 2024-05-12\n"), "{dakar}");
    let rabat = read(
        &site,
        "content/posts/reunion-ministerielle-rabat/index.fr.md",
    );
    assert!(
        rabat.contains("\ndate = 2024-04-18T10:30:00+02:00\n"),
        "{rabat}"
    );
    let nouakchott = read(&site, "content/posts/seminaire-nouakchott.fr.md");
    assert!(
        nouakchott.contains("\ndate = 2024-05-12T10:30:00\n"),
        "a local time gets its seconds: {nouakchott}"
    );
    // Drafts stay drafts.
    assert!(read(&site, "content/posts/bilan-mi-parcours.fr.md").contains("\ndraft = true\n"));
}

#[test]
fn translations_pair_by_name_by_folder_and_by_translation_key() {
    let (_out, site, run) = import("hugo", &[]);
    run.assert_code(0);
    // `translationKey` pairs files named apart: the English one is renamed.
    let en = read(&site, "content/posts/atelier-dakar.en.md");
    assert!(
        en.contains("slug = \"youth-mobility-workshop-dakar\""),
        "{en}"
    );
    assert!(!site.join("content/posts/dakar-workshop.en.md").exists());
    assert!(
        row(&run.stdout, "content/posts/dakar-workshop.en.md")
            .contains("to pair it with its translations")
    );
    // Facts shared by both versions are written once, in French.
    assert!(!en.contains("\ndate = "), "{en}");
    // One folder per language (contentDir), English by default.
    let (_out2, dirs, run) = import("hugo-dirs", &[]);
    run.assert_code(0);
    assert!(dirs.join("content/news/youth-mobility.fr.md").exists());
    assert!(dirs.join("content/news/youth-mobility.en.md").exists());
    assert!(read(&dirs, "config.toml").contains("default_language = \"en\""));
    let root = dirs.to_string_lossy().to_string();
    run_in_with_env(&dirs, &["check", "--root", &root], &[]).assert_code(0);
}

#[test]
fn old_addresses_become_aliases_and_links_become_at_links() {
    let (_out, site, run) = import("hugo", &[]);
    run.assert_code(0);
    // A permalink pattern's address, and a custom `url`.
    let en = read(&site, "content/posts/atelier-dakar.en.md");
    assert!(
        en.contains("aliases = [\"/en/posts/2024/05/youth-mobility-workshop-dakar/\"]"),
        "{en}"
    );
    let tunis = read(&site, "content/posts/declaration-tunis.fr.md");
    assert!(tunis.contains("\"/fr/declaration-de-tunis/\""), "{tunis}");
    assert!(row(&run.stdout, "content/posts/declaration-tunis.fr.md").contains("alias"));
    // `ref`, `relref` and addresses of imported pages are `@/` links.
    assert!(en.contains("(@/posts/seminaire-nouakchott.md)"), "{en}");
    let consultation = read(&site, "content/posts/consultation-societe-civile.en.md");
    assert!(
        consultation.contains("(@/posts/reunion-ministerielle-rabat/index.md)"),
        "{consultation}"
    );
    assert!(consultation.contains("(@/about/team.md)"), "{consultation}");
    // A link to a page the site never had keeps its text, with a note.
    let partners = read(&site, "content/posts/partenariat-universites.fr.md");
    assert!(
        !partners.contains("/fr/posts/2024/02/programme-bourses/"),
        "{partners}"
    );
    assert!(
        row(&run.stdout, "content/posts/partenariat-universites.fr.md")
            .contains("/fr/posts/2024/02/programme-bourses/")
    );
    // Files the pages link to are published where they were.
    assert!(site.join("static/files/report.pdf").exists());
    assert!(site.join("static/images/logo.svg").exists());
}

#[test]
fn bundles_shortcodes_taxonomies_and_interface_texts() {
    let (_out, site, run) = import("hugo", &[]);
    run.assert_code(0);
    // A bundle keeps its pictures beside it; `figure` is a Markdown picture.
    assert!(
        site.join("content/posts/reunion-ministerielle-rabat/salle.jpg")
            .exists()
    );
    let rabat = read(
        &site,
        "content/posts/reunion-ministerielle-rabat/index.fr.md",
    );
    assert!(rabat.contains("](carte.png \""), "{rabat}");
    // A video shortcode becomes a video link alone in its paragraph.
    let webinar = read(&site, "content/posts/webinaire-donnees.fr.md");
    assert!(
        webinar.contains("\nhttps://www.youtube.com/watch?v=abc123XYZ\n"),
        "{webinar}"
    );
    // Another shortcode stays as text, and the report says where.
    assert!(webinar.contains("{{< callout"), "{webinar}");
    assert!(row(&run.stdout, "content/posts/webinaire-donnees.fr.md").contains("`callout`"));
    // Terms translated into each language stay in each file.
    assert!(webinar.contains("[taxonomies]"), "{webinar}");
    let config = read(&site, "config.toml");
    assert!(config.contains("[taxonomies.\"themes\"]"), "{config}");
    assert!(
        config.contains("shared = [\"date\", \"weight\", \"image\"]"),
        "{config}"
    );
    // A title that was an interface text's key is that text.
    assert!(read(&site, "content/about/_index.fr.md").contains("title = \"À propos\""));
    assert!(read(&site, "content/about/_index.en.md").contains("title = \"About us\""));
    // Templates and archetypes are skipped, with the reason.
    assert!(row(&run.stdout, "layouts/_default/single.html").contains("templates"));
    assert!(row(&run.stdout, "archetypes/default.md").starts_with("skipped"));
}

#[test]
fn the_report_in_json_and_in_french() {
    let (_out, _site, run) = import("hugo", &["--format", "json"]);
    run.assert_code(0);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let files = report["files"].as_array().unwrap();
    assert!(files.len() > 60);
    let renamed = files
        .iter()
        .find(|f| f["file"] == "content/posts/dakar-workshop.en.md")
        .unwrap();
    assert_eq!(renamed["result"], "warning");
    assert_eq!(renamed["written"], "content/posts/atelier-dakar.en.md");
    assert!(
        renamed["notes"][0]
            .as_str()
            .unwrap()
            .contains("to pair it with its translations")
    );
    let out = tempfile::tempdir().unwrap();
    let into = out.path().join("site").to_string_lossy().to_string();
    let source = format!("{FIXTURES}/hugo");
    let french = run_in_with_env(
        out.path(),
        &["import", "hugo", &source, "--into", &into, "--lang", "fr"],
        &[],
    );
    french
        .assert_code(0)
        .assert_stdout_contains("importés avec avertissement");
}

#[test]
fn nothing_is_written_into_a_folder_that_is_not_empty_or_from_a_folder_that_is_not_hugo() {
    let out = tempfile::tempdir().unwrap();
    let into = out.path().join("site");
    std::fs::create_dir(&into).unwrap();
    std::fs::write(into.join("keep.txt"), "mine").unwrap();
    let source = format!("{FIXTURES}/hugo");
    let into_arg = into.to_string_lossy().to_string();
    run_in_with_env(
        out.path(),
        &["import", "hugo", &source, "--into", &into_arg],
        &[],
    )
    .assert_code(2)
    .assert_stderr_contains("is not empty");
    assert_eq!(std::fs::read_dir(&into).unwrap().count(), 1);
    let jekyll = format!("{FIXTURES}/jekyll");
    let other = out.path().join("other").to_string_lossy().to_string();
    run_in_with_env(
        out.path(),
        &["import", "hugo", &jekyll, "--into", &other],
        &[],
    )
    .assert_code(2)
    .assert_stderr_contains("has no Hugo configuration");
    // With `--format json`, the error is a JSON object on stdout.
    let json = run_in_with_env(
        out.path(),
        &[
            "import", "hugo", &jekyll, "--into", &other, "--format", "json",
        ],
        &[],
    );
    json.assert_code(2);
    let first = json.stdout.lines().next().unwrap_or_default();
    let error: serde_json::Value = serde_json::from_str(first).unwrap();
    assert!(
        error.to_string().contains("has no Hugo configuration"),
        "{error}"
    );
    assert!(!Path::new(&other).exists());
}

#[test]
fn a_page_that_cannot_be_read_is_skipped_with_its_line() {
    let out = tempfile::tempdir().unwrap();
    let source = out.path().join("src");
    std::fs::create_dir_all(source.join("content/posts")).unwrap();
    std::fs::write(
        source.join("hugo.toml"),
        "baseURL = \"https://e.org/\"\ntitle = \"T\"\ndefaultContentLanguage = \"fr\"\n",
    )
    .unwrap();
    std::fs::write(
        source.join("content/posts/ok.md"),
        "---\ntitle: Bien\ndate: 2024-01-02\n---\nTexte.\n",
    )
    .unwrap();
    std::fs::write(
        source.join("content/posts/bad.md"),
        "---\ntitle: [unclosed\ndate: x\n---\nTexte.\n",
    )
    .unwrap();
    let (src, into) = (
        source.to_string_lossy().to_string(),
        out.path().join("site"),
    );
    let into_arg = into.to_string_lossy().to_string();
    let run = run_in_with_env(
        out.path(),
        &["import", "hugo", &src, "--into", &into_arg],
        &[],
    );
    run.assert_code(0);
    let bad = row(&run.stdout, "content/posts/bad.md");
    assert!(
        bad.starts_with("skipped") && bad.contains("YAML") && bad.contains("line"),
        "{bad}"
    );
    assert!(into.join("content/posts/ok.fr.md").exists());
    let root = into.to_string_lossy().to_string();
    run_in_with_env(out.path(), &["check", "--root", &root], &[]).assert_code(0);
}

#[test]
fn a_yaml_front_matter_names_the_importer() {
    let site = crate::harness::SiteTest::new("basic");
    site.write(
        "content/news/yaml.fr.md",
        "---\ntitle: Bonjour\n---\nTexte\n",
    );
    site.run(&["build"])
        .assert_code(1)
        .assert_stderr_contains("this front matter is YAML")
        .assert_stderr_contains("portail import hugo");
}

#[test]
fn a_wordpress_export_imports_builds_and_checks() {
    let (_out, site, run) = import_from("wordpress", "wordpress/export.xml", &[]);
    builds_and_checks(&site, &run);
    let report = &run.stdout;
    // Every item of the export is in the report, once.
    let export = std::fs::read_to_string(format!("{FIXTURES}/wordpress/export.xml")).unwrap();
    let items = export.matches("<item>").count();
    let rows = report
        .lines()
        .filter(|l| {
            !l.starts_with(' ')
                && [" post ", " page ", " attachment "]
                    .iter()
                    .any(|k| l.contains(k))
        })
        .count();
    assert_eq!(rows, items, "{report}");
    // Polylang's pairs share one name; the English page keeps its slug.
    let about = read(&site, "content/a-propos.en.md");
    assert!(about.contains("slug = \"about\""), "{about}");
    // The block editor's HTML is Markdown, its links `@/` links.
    let fr = read(&site, "content/a-propos.fr.md");
    assert!(
        fr.contains("\n## Comment fonctionne le Dialogue ?\n\n"),
        "{fr}"
    );
    assert!(
        fr.contains("- la *conférence ministérielle* fixe les orientations ;\n- le *comité"),
        "{fr}"
    );
    assert!(fr.contains("[notre mission](@/notre-mission.md)"), "{fr}");
    // `[caption]` and `[gallery]` are pictures; uploads are published where they were.
    let rabat = read(
        &site,
        "content/posts/2024-04-18-reunion-ministerielle-rabat.fr.md",
    );
    assert!(rabat.contains("![Carte schématique reliant trois villes hôtes](/wp-content/uploads/2024/03/carte-itineraires.png \"Les trois villes qui accueilleront les réunions techniques de 2024\")"), "{rabat}");
    assert!(rabat.contains("image = \"/wp-content/uploads/2024/03/carte-itineraires.png\"\nimage_alt = \"Carte schématique reliant trois villes hôtes\""), "{rabat}");
    assert!(
        site.join("static/wp-content/uploads/2024/03/salle-reunion-rabat.jpg")
            .exists()
    );
    // A table keeps the body as HTML, and the report says why.
    let calendar = read(
        &site,
        "content/posts/2024-01-08-calendrier-reunions-2024.fr.md",
    );
    assert!(calendar.contains("<table"), "{calendar}");
    assert!(
        report.contains("kept as HTML, as Markdown cannot say it (<table>)"),
        "{report}"
    );
    // Links by `?p=` lead to the post; old slugs are aliases.
    let consultation = read(
        &site,
        "content/posts/2024-03-20-consultation-societe-civile.fr.md",
    );
    assert!(!consultation.contains("?p="), "{consultation}");
    assert!(
        consultation.contains("(@/posts/2024-04-18-reunion-ministerielle-rabat.md)"),
        "{consultation}"
    );
    let guide = read(
        &site,
        "content/posts/2024-02-12-guide-aide-retour-volontaire.fr.md",
    );
    assert!(
        guide.contains("\"/2024/02/guide-retour-volontaire-2023/\""),
        "{guide}"
    );
    // Drafts stay drafts, private posts too; the trash is skipped.
    assert!(
        read(
            &site,
            "content/posts/2024-05-15-internal-note-partners-coordination.en.md"
        )
        .contains("\ndraft = true\n")
    );
    assert!(
        report.contains("its status is `trash`: not imported"),
        "{report}"
    );
    // The quote's source is its own line.
    let webinar = read(
        &site,
        "content/posts/2024-04-02-webinaire-donnees-migratoires.fr.md",
    );
    assert!(
        webinar.contains(">\n> — Conclusion du groupe de travail\n"),
        "{webinar}"
    );
}

/// A small site written for one test, under `dir/src`.
fn site_in(dir: &Path, files: &[(&str, &str)]) -> PathBuf {
    let source = dir.join("src");
    for (rel, text) in files {
        let path = source.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    source
}

fn run_import(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["import"];
    all.extend(args);
    run_in_with_env(dir, &all, &[])
}

#[test]
fn an_export_cannot_write_or_read_outside_its_folders() {
    let out = tempfile::tempdir().unwrap();
    std::fs::write(out.path().join("secret.txt"), "private").unwrap();
    let item = |id: &str, kind: &str, slug: &str, extra: &str| {
        format!(
            "<item><title>T {id}</title><link>https://e.org/{id}/</link><wp:post_id>{id}</wp:post_id>\
             <wp:post_date>2024-01-02 10:00:00</wp:post_date><wp:post_name>{slug}</wp:post_name>\
             <wp:status>publish</wp:status><wp:post_type>{kind}</wp:post_type>{extra}\
             <content:encoded><![CDATA[<p>Texte.</p>\
             <p><img src=\"https://e.org/wp-content/uploads/missing.png\" alt=\"Une carte\"></p>]]></content:encoded></item>"
        )
    };
    let export = format!(
        "<?xml version=\"1.0\"?><rss xmlns:wp=\"http://wordpress.org/export/1.2/\" \
         xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel><title>S</title>\
         <language>fr-FR</language><wp:base_site_url>https://e.org</wp:base_site_url>{}{}{}{}</channel></rss>",
        item("1", "page", "../../escape", ""),
        item("2", "post", "x/../../../escape-post", ""),
        item(
            "3",
            "attachment",
            "a",
            "<wp:attachment_url>https://e.org/wp-content/uploads/../../secret.txt</wp:attachment_url>"
        ),
        item(
            "4",
            "attachment",
            "b",
            "<wp:attachment_url>https://e.org/wp-content/uploads//etc/hostname</wp:attachment_url>"
        ),
    );
    let source = site_in(
        out.path(),
        &[("export.xml", &export), ("uploads/ok.txt", "ok")],
    );
    let src = source.join("export.xml").to_string_lossy().to_string();
    let into = out.path().join("deep/site");
    let into_arg = into.to_string_lossy().to_string();
    let run = run_import(out.path(), &["wordpress", &src, "--into", &into_arg]);
    run.assert_code(0);
    // Slugs are names, and attachments only come from the uploads folder.
    assert!(into.join("content/escape.fr.md").exists(), "{}", run.stdout);
    assert!(
        into.join("content/posts/2024-01-02-x-escape-post.fr.md")
            .exists(),
        "{}",
        run.stdout
    );
    assert!(
        row(&run.stdout, "attachment").starts_with("skipped"),
        "{}",
        run.stdout
    );
    // A picture the uploads folder lacks is left out, with a note.
    let page = read(&into, "content/escape.fr.md");
    assert!(!page.contains("missing.png"), "{page}");
    assert!(
        row(&run.stdout, "page").contains("is not in the uploads folder"),
        "{}",
        run.stdout
    );
    builds_and_checks(&into, &run);
    let files: Vec<String> = walkdir::WalkDir::new(out.path())
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(out.path())
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .filter(|p| !p.starts_with("src/") && !p.starts_with("deep/site/"))
        .collect();
    assert_eq!(
        files,
        ["secret.txt"],
        "nothing written outside the new site"
    );
    assert!(
        !walkdir::WalkDir::new(&into)
            .into_iter()
            .filter_map(Result::ok)
            .any(|e| { std::fs::read_to_string(e.path()).is_ok_and(|t| t == "private") })
    );
    // Nor into the site it reads.
    let inside = source.join("new").to_string_lossy().to_string();
    run_import(out.path(), &["wordpress", &src, "--into", &inside])
        .assert_code(2)
        .assert_stderr_contains("is inside the site to import");
}

#[test]
fn a_language_the_theme_has_no_texts_in_gets_them_to_translate() {
    let out = tempfile::tempdir().unwrap();
    let source = site_in(
        out.path(),
        &[
            (
                "hugo.toml",
                "baseURL = \"https://e.org/\"\ntitle = \"T\"\ndefaultContentLanguage = \"es\"\n[languages.es]\nlanguageName = \"Español\"\n[languages.pt-BR]\nlanguageName = \"Português\"\n",
            ),
            (
                "content/noticias/uno.md",
                "---\ntitle: Uno\ndate: 2024-01-02\ntags: [\"\", a]\n---\n[![x](/noticias/dos/)](/missing/)\n",
            ),
            (
                "content/noticias/uno.pt-BR.md",
                "---\ntitle: \"Um\\n+++\\nlinha\"\n---\nTexto.\n",
            ),
            (
                "content/noticias/dos.md",
                "---\ndate: 2024-01-03\n---\nSin título.\n",
            ),
            (
                "content/docs/guia/hondo.md",
                "---\ntitle: Hondo\n---\nTexto.\n",
            ),
        ],
    );
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        source.join("content/noticias/uno.md"),
        source.join("content/noticias/enlace.md"),
    )
    .unwrap();
    let (src, into) = (
        source.to_string_lossy().to_string(),
        out.path().join("site"),
    );
    let into_arg = into.to_string_lossy().to_string();
    let run = run_import(out.path(), &["hugo", &src, "--into", &into_arg]);
    run.assert_code(0);
    let report = &run.stdout;
    assert!(
        row(report, "config.toml").contains("i18n/es.toml"),
        "{report}"
    );
    assert!(read(&into, "i18n/es.toml").contains("language_pt-br = \"Português\""));
    assert!(read(&into, "content/noticias/uno.pt-br.md").contains("title = \"Um\\n+++\\nlinha\""));
    assert!(
        row(report, "content/noticias/dos.md").contains("“Dos”"),
        "{report}"
    );
    assert!(
        row(report, "content/noticias/uno.md").contains("empty taxonomy terms"),
        "{report}"
    );
    #[cfg(unix)]
    assert!(
        row(report, "content/noticias/enlace.md").contains("not followed"),
        "{report}"
    );
    builds_and_checks(&into, &run);
}
