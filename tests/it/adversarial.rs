//! Sites built to break the build: links that loop or lead outside, odd
//! file names, a huge page, deep nesting, output folders that must be
//! refused, an output folder that cannot be written and a full disk. Each
//! ends in a clear error or a safe result, and a failed build leaves the
//! previous output as it was.

use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::Command;

use crate::harness::{SiteTest, run_in_with_env};

/// The site built once, then changed by `change`: the build must fail with
/// `code` and `message`, and leave the first build's output untouched.
#[track_caller]
fn fails_cleanly(site: &SiteTest, code: i32, message: &str) {
    let before = site.output_tree();
    assert!(!before.is_empty());
    let run = site.run(&["build"]);
    run.assert_code(code).assert_stderr_contains(message);
    assert!(site.output_tree() == before, "the output changed");
    assert_no_leftovers(site.root());
}

/// No staging or old output folder left beside the output (the cache
/// folder, kept on purpose between builds, is not one).
pub fn assert_no_leftovers(root: &Path) {
    for entry in std::fs::read_dir(root).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let leftover = name.contains(".portail-") && name != ".portail-cache";
        assert!(!leftover, "left behind: {name}");
    }
}

#[test]
fn a_link_that_loops_is_an_error() {
    let site = SiteTest::new("basic");
    site.build_ok(&[]);
    symlink("..", site.root().join("content/news/boucle")).unwrap();
    fails_cleanly(&site, 1, "content/news/boucle");
}

#[test]
fn links_that_lead_outside_the_site_are_errors() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.fr.md"),
        "+++\ntitle = \"Secret\"\n+++\nNot for the site.\n",
    )
    .unwrap();
    let site = SiteTest::new("basic");
    site.build_ok(&[]);
    symlink(
        outside.path().join("secret.fr.md"),
        site.root().join("content/news/secret.fr.md"),
    )
    .unwrap();
    fails_cleanly(&site, 1, "content/news/secret.fr.md");
    std::fs::remove_file(site.root().join("content/news/secret.fr.md")).unwrap();
    symlink(outside.path(), site.root().join("content/news/dehors")).unwrap();
    fails_cleanly(&site, 1, "content/news/dehors");
    assert!(!site.public().join("fr/actualites/secret").exists());
    std::fs::remove_file(site.root().join("content/news/dehors")).unwrap();
    // Static files, templates and the theme are published or read too.
    for link in ["static/fuite.md", "templates/page.html", "static/dossier"] {
        let target = if link.ends_with("dossier") {
            outside.path().to_path_buf()
        } else {
            outside.path().join("secret.fr.md")
        };
        let at = site.root().join(link);
        std::fs::create_dir_all(at.parent().unwrap()).unwrap();
        symlink(&target, &at).unwrap();
        fails_cleanly(
            &site,
            1,
            &format!("{link}: symbolic link points outside the site"),
        );
        std::fs::remove_file(&at).unwrap();
    }
    // A link inside the site is fine.
    symlink("../content/news", site.root().join("static/miroir")).unwrap();
    site.build_ok(&[]);
}

/// content/ and data/ follow the rule of every other folder the site
/// reads: a link, the folder itself included, may lead only inside the site.
#[test]
fn content_and_data_links_may_not_lead_outside_the_site() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(outside.path().join("news")).unwrap();
    std::fs::write(outside.path().join("news/leak.txt"), "secret").unwrap();
    std::fs::write(outside.path().join("secret.csv"), "name,value\nsecret,42\n").unwrap();
    let site = SiteTest::new("basic");
    site.build_ok(&[]);
    let swap = |folder: &str, target: &Path| {
        let real = site.root().join(format!("{folder}.real"));
        let _ = std::fs::rename(site.root().join(folder), &real);
        symlink(target, site.root().join(folder)).unwrap();
        real
    };
    let restore = |folder: &str, real: &Path| {
        std::fs::remove_file(site.root().join(folder)).unwrap();
        if real.exists() {
            std::fs::rename(real, site.root().join(folder)).unwrap();
        }
    };
    let real = swap("content", outside.path());
    fails_cleanly(&site, 1, "content: symbolic link points outside the site");
    restore("content", &real);
    let real = swap("data", outside.path());
    fails_cleanly(&site, 1, "data: symbolic link points outside the site");
    restore("data", &real);
    std::fs::create_dir_all(site.root().join("data")).unwrap();
    symlink(
        outside.path().join("secret.csv"),
        site.root().join("data/secret.csv"),
    )
    .unwrap();
    fails_cleanly(
        &site,
        1,
        "data/secret.csv: symbolic link points outside the site",
    );
    std::fs::remove_file(site.root().join("data/secret.csv")).unwrap();
    // Inside the site, links are fine, the folders themselves included.
    std::fs::write(site.root().join("partners.csv"), "name\nA\n").unwrap();
    symlink("../partners.csv", site.root().join("data/partners.csv")).unwrap();
    let real = swap("content", Path::new("content.real"));
    site.build_ok(&[]);
    restore("content", &real);
    assert!(!site.exists("fr/actualites/leak.txt"));
}

#[test]
fn odd_file_names_give_safe_urls() {
    let site = SiteTest::new("basic");
    let names = [
        "a..b",
        "x%00y",
        "ctl\u{1}\u{7f}",
        "new\nline",
        "back\\slash",
        "<script>",
        "&amp;\"quote\"",
    ];
    for name in names {
        site.write(
            &format!("content/news/{name}.fr.md"),
            "+++\ntitle = \"Nom\"\n+++\nTexte.\n",
        );
    }
    site.build_ok(&[]);
    let pages: Vec<String> = std::fs::read_dir(site.public().join("fr/actualites"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for expected in [
        "a-b",
        "x-00y",
        "ctl",
        "new-line",
        "back-slash",
        "script",
        "amp-quote",
    ] {
        assert!(
            pages.contains(&expected.to_string()),
            "{expected} in {pages:?}"
        );
    }
    for page in &pages {
        assert!(
            page.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-.".contains(c)),
            "{page:?}"
        );
    }
    // A name whose slug would be too long for a file system: a clear limit.
    site.build_ok(&[]);
    site.write(
        &format!("content/news/{}.fr.md", "中".repeat(80)),
        "+++\ntitle = \"Long\"\n+++\n",
    );
    fails_cleanly(&site, 1, "add a shorter `slug");
}

#[test]
fn a_50_mb_page_and_a_100_000_line_front_matter_build() {
    let site = SiteTest::new("basic");
    let mut body = String::with_capacity(51 << 20);
    body.push_str("+++\ntitle = \"Énorme\"\n+++\n");
    let paragraph = "La coopération entre partenaires porte sur la protection, les données \
        et l'accueil ; « chaque » réunion compte. "
        .repeat(8);
    while body.len() < 50 << 20 {
        body.push_str("## Partie\n\n");
        body.push_str(&paragraph);
        body.push_str("\n\n");
    }
    site.write("content/news/enorme.fr.md", &body);
    drop(body);
    let mut front = String::from("+++\ntitle = \"Long\"\n[extra]\n");
    for i in 0..100_000 {
        front.push_str(&format!("cle{i} = \"valeur {i}\"\n"));
    }
    front.push_str("+++\nCorps.\n");
    site.write("content/news/long.fr.md", &front);
    site.build_ok(&[]);
    let page = std::fs::metadata(site.public().join("fr/actualites/enorme/index.html")).unwrap();
    assert!(page.len() > 50 << 20, "{} bytes", page.len());
    // Thousands of equal headings get distinct anchors.
    let html = site.read("fr/actualites/enorme/index.html");
    assert!(html.contains(r#"id="partie-20000""#));
    assert!(
        site.read("fr/actualites/long/index.html")
            .contains("Corps.")
    );
}

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    let site = SiteTest::new("basic");
    let cases = [
        ("citations", ">".repeat(100_000) + " fond\n"),
        (
            "listes",
            (0..3_000)
                .map(|i| format!("{}- a\n", "  ".repeat(i)))
                .collect(),
        ),
        ("melange", "> - ".repeat(20_000) + "x\n"),
        (
            "html",
            "<div>".repeat(100_000) + "x" + &"</div>".repeat(100_000) + "\n",
        ),
        (
            "crochets",
            "[".repeat(50_000) + "x" + &"]".repeat(50_000) + "\n",
        ),
        ("emphase", "*a **b ".repeat(30_000) + "\n"),
    ];
    for (name, body) in &cases {
        site.write(
            &format!("content/news/{name}.fr.md"),
            format!("+++\ntitle = \"{name}\"\n+++\n{body}"),
        );
    }
    site.build_ok(&[]);
    for (name, _) in &cases {
        assert!(
            site.exists(&format!("fr/actualites/{name}/index.html")),
            "{name}"
        );
    }
}

/// On hosts whose file systems ignore case or the encoding of accents
/// (macOS, Windows), two output files that differ only so are one: an
/// error naming both sources, whatever made them.
#[test]
fn files_that_collide_on_case_insensitive_hosts_are_errors() {
    let page = |title: &str, alias: &str| {
        format!("+++\ntitle = \"{title}\"\naliases = [\"{alias}\"]\n+++\nTexte.\n")
    };
    let cases: [(&[(&str, String)], &str); 7] = [
        (
            &[
                ("static/logo.svg", "a".into()),
                ("static/Logo.svg", "b".into()),
            ],
            "`static/logo.svg` is published as /logo.svg and `static/Logo.svg` as /Logo.svg",
        ),
        (
            &[
                ("static/caf\u{e9}.txt", "a".into()),
                ("static/cafe\u{301}.txt", "b".into()),
            ],
            "one writes its accents as separate marks",
        ),
        (
            &[
                ("content/news/2024-06-05-guide/Photo.JPG", "a".into()),
                ("content/news/2024-06-05-guide/photo.jpg", "b".into()),
            ],
            "`content/news/2024-06-05-guide/photo.jpg` is published as \
             /fr/actualites/le-guide/photo.jpg and `content/news/2024-06-05-guide/Photo.JPG`",
        ),
        (
            &[
                ("content/news/un.fr.md", page("Un", "/fr/Old/")),
                ("content/news/deux.fr.md", page("Deux", "/fr/old/")),
            ],
            "`content/news/deux.fr.md` is published as /fr/old/index.html \
             and `content/news/un.fr.md` as /fr/Old/index.html",
        ),
        // A file where a folder is: `/EN` and `/en/…`.
        (
            &[("static/EN", "a".into())],
            "`static/EN` is published as the file /EN, where `templates/not_found.html` is \
             published in the folder /en/",
        ),
        // A page's alias for its own address in capitals would replace it.
        (
            &[(
                "content/news/trois.fr.md",
                page("Trois", "/fr/actualites/Trois/"),
            )],
            "on those hosts it would replace the page, which they already serve at that address",
        ),
        // The theme's file: named the same way, the site's replaces it.
        (
            &[("static/Favicon.svg", "a".into())],
            "to replace the theme's file, give yours exactly its name: /favicon.svg",
        ),
    ];
    for (files, message) in cases {
        let site = SiteTest::new("basic");
        site.build_ok(&[]);
        for (path, text) in files {
            site.write(path, text);
        }
        fails_cleanly(&site, 1, message);
        site.run(&["check"])
            .assert_code(1)
            .assert_stderr_contains(message);
    }
}

/// In safe mode the sanitiser's time grows with the square of the nesting:
/// past 512 levels (where browsers stop nesting) a page is a located error,
/// found in a time that grows with the page (see bench/bench.py --deep).
#[test]
fn safe_mode_refuses_nesting_past_512_levels_at_its_line() {
    let site = SiteTest::new("basic");
    site.edit("config.toml", |text| {
        format!("{text}\n[markdown]\nsafe = true\n")
    });
    let deep = [
        ("citations", ">".repeat(100_000) + " fond\n", 6, 513),
        (
            "html",
            "<div>".repeat(100_000) + "x" + &"</div>".repeat(100_000) + "\n",
            6,
            1,
        ),
        ("melange", "> - ".repeat(50_000) + "x\n", 6, 683),
        ("gras", "<b>x".repeat(100_000) + "\n", 6, 2045),
        // `/>` closes no div, an end tag closes only what is open, and
        // what one block of raw HTML leaves open stays open in the next.
        ("fermees", "<div/>".repeat(100_000) + "\n", 6, 1),
        ("fausses-fins", "<div></span>".repeat(100_000) + "\n", 6, 1),
        ("blocs", "<div>\n\n".repeat(600), 1028, 1),
    ];
    for (name, body, _, _) in &deep {
        site.write(
            &format!("content/news/{name}.fr.md"),
            format!("+++\ntitle = \"{name}\"\n+++\nIntro.\n\n{body}"),
        );
    }
    // As deep as browsers go, and no deeper: published; and what browsers
    // do not nest is not counted: anchors that each close the one before,
    // a comment, SVG's self-closed elements.
    let shallow = [
        ("profond", format!("{} fond\n", ">".repeat(500))),
        (
            "faq",
            (0..600)
                .map(|i| format!("<a name=\"q{i}\"></a> Question {i}\n\n"))
                .collect(),
        ),
        (
            "commentaire",
            format!("<!--\n{}-->\n", "<div class=carte>\n".repeat(600)),
        ),
        (
            "dessin",
            format!("<svg>{}</svg>\n", "<path d=\"M0 0\"/>".repeat(600)),
        ),
    ];
    for (name, body) in &shallow {
        site.write(
            &format!("content/news/{name}.fr.md"),
            format!("+++\ntitle = \"{name}\"\n+++\n{body}"),
        );
    }
    let run = site.run(&["build"]);
    run.assert_code(1);
    for (name, _, line, column) in &deep {
        run.assert_stderr_contains(&format!(
            "content/news/{name}.fr.md:{line}:{column}: elements nest more than 512 levels deep"
        ));
    }
    for (name, _, _, _) in &deep {
        std::fs::remove_file(site.root().join(format!("content/news/{name}.fr.md"))).unwrap();
    }
    site.build_ok(&[]);
    assert!(
        site.read("fr/actualites/profond/index.html")
            .contains("fond")
    );
    assert!(
        site.read("fr/actualites/faq/index.html")
            .contains("Question 599")
    );
}

/// Every name an author gives the output (terms, aliases, taxonomy slugs,
/// besides page slugs) has the slug's 200-character limit: `check` reports
/// what `build` would trip on, both at the line that gives the name.
#[test]
fn a_name_too_long_for_the_output_is_found_by_check_and_build_at_its_line() {
    let long = "t".repeat(300);
    let page = |extra: &str| format!("+++\ntitle = \"Long\"\n{extra}\n+++\nTexte.\n");
    // A mistake in config.toml exits with 2, like other configuration errors.
    let cases: [(&str, &str, String, &str); 4] = [
        (
            "content/news/long.fr.md",
            "content/news/long.fr.md:4:",
            page(&format!("[taxonomies]\nthemes = [\"{long}\"]")),
            "makes a URL slug of 300 characters; at most 200 are allowed",
        ),
        (
            "content/news/long.fr.md",
            "content/news/long.fr.md:3:",
            page(&format!("aliases = [\"/fr/{long}/\"]")),
            "a part of this alias is 300 characters long; at most 200 are allowed",
        ),
        (
            "data/themes.toml",
            "data/themes.toml:1:",
            format!("[longue]\nfr = \"{long}\"\nen = \"Long\"\n"),
            "has a URL slug of 300 characters in `fr`; at most 200 are allowed",
        ),
        (
            "config.toml",
            "config.toml:",
            String::new(),
            "the URL segment of taxonomy `themes` in `en` is 300 characters long",
        ),
    ];
    for (file, at, text, message) in cases {
        let site = SiteTest::new("basic");
        site.build_ok(&[]);
        if file == "config.toml" {
            site.edit("config.toml", |config| {
                config.replace(
                    "[taxonomies.themes]",
                    &format!("[taxonomies.themes]\nslug = {{ en = \"{long}\" }}"),
                )
            });
        } else {
            site.write(file, text);
        }
        let code = if file == "config.toml" { 2 } else { 1 };
        for command in ["check", "build"] {
            let run = site.run(&[command]);
            run.assert_code(code)
                .assert_stderr_contains(at)
                .assert_stderr_contains(message);
            assert!(!run.stderr.contains("too long (os error"), "{}", run.stderr);
        }
        assert_no_leftovers(site.root());
    }
}

#[test]
fn output_folders_that_would_destroy_the_site_are_refused() {
    let site = SiteTest::new("basic");
    site.build_ok(&[]);
    let sources = crate::harness::tree(site.root());
    let cases = [
        (".", "is the site folder or contains it"),
        ("..", "is the site folder or contains it"),
        ("content", "is inside the site's content/ folder"),
        ("content/news", "is inside the site's content/ folder"),
        ("static/out", "is inside the site's static/ folder"),
    ];
    for (output, message) in cases {
        site.run(&["build", "--output", output])
            .assert_code(2)
            .assert_stderr_contains(message);
        // Not a file of the site, its sources or its output, changed.
        assert!(
            crate::harness::tree(site.root()) == sources,
            "--output {output}"
        );
        assert_no_leftovers(site.root());
    }
    // A link to the site folder is seen through.
    symlink(site.root(), site.root().join("public/lien")).unwrap();
    site.run(&["build", "--output", "public/lien"])
        .assert_code(2)
        .assert_stderr_contains("is the site folder or contains it");
}

/// Runs `portail build` with output in `output`, as a user who cannot
/// write there: root writes anywhere, so root runs it as `nobody`.
fn build_as_unprivileged(site: &SiteTest, output: &Path) -> crate::harness::Run {
    let root_user = Command::new("id").arg("-u").output().unwrap().stdout == b"0\n";
    if !root_user {
        let output = output.to_str().unwrap();
        return site.run(&["build", "--output", output]);
    }
    let result = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(env!("CARGO_BIN_EXE_portail"))
        .args(["build", "--output"])
        .arg(output)
        .current_dir(site.root())
        .env_clear()
        .env("LANG", "C")
        .output()
        .expect("setpriv (util-linux) runs the build as nobody");
    crate::harness::Run {
        code: result.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&result.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&result.stderr).into_owned(),
    }
}

#[test]
fn an_output_folder_that_cannot_be_written_is_a_clear_error() {
    use std::os::unix::fs::PermissionsExt;
    let site = SiteTest::new("basic");
    // Readable by anyone (the build may run as another user), the output's
    // parent writable by no one but its owner.
    readable_by_all(site.root());
    let locked = site.root().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
    let mut parent = site.root().to_path_buf();
    while parent.pop() {
        let mode = std::fs::metadata(&parent).unwrap().permissions().mode();
        assert!(
            mode & 0o001 != 0,
            "{} is not searchable by others",
            parent.display()
        );
    }
    let run = build_as_unprivileged(&site, &locked.join("public"));
    run.assert_code(1).assert_stderr_contains("locked/public");
    assert!(
        run.stderr.to_lowercase().contains("permission denied"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read_dir(&locked).unwrap().count(), 0);
}

/// An output the user made read-only: wholly (`chmod a-w public`), the
/// build stops and leaves it; only inside (`chmod -R a-w public/fr`), the
/// build replaces it and leaves nothing behind.
#[test]
fn a_read_only_output_is_left_whole_or_replaced_cleanly() {
    use std::os::unix::fs::{PermissionsExt, chown};
    let site = SiteTest::new("basic");
    readable_by_all(site.root());
    // A folder the build's user owns, holding the output.
    let out = site.root().join("out");
    std::fs::create_dir(&out).unwrap();
    let root_user = Command::new("id").arg("-u").output().unwrap().stdout == b"0\n";
    if root_user {
        chown(&out, Some(65534), Some(65534)).unwrap();
    }
    let public = out.join("public");
    build_as_unprivileged(&site, &public).assert_code(0);
    let set_mode = |path: &Path, mode: u32| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap()
    };
    // The whole output read-only: it cannot be moved aside.
    set_mode(&public, 0o555);
    let before = crate::harness::tree(&public);
    let run = build_as_unprivileged(&site, &public);
    run.assert_code(1);
    assert!(
        run.stderr.to_lowercase().contains("permission denied"),
        "{}",
        run.stderr
    );
    assert!(
        crate::harness::tree(&public) == before,
        "the output changed"
    );
    assert_no_leftovers(&out);
    set_mode(&public, 0o755);
    // Read-only folders inside: replaced, and the old output is gone.
    for path in walkdir(&public.join("fr")) {
        if path.is_dir() {
            set_mode(&path, 0o555);
        }
    }
    site.write(
        "content/news/2024-09-01-nouvelle.fr.md",
        "+++\ntitle = \"Nouvelle\"\n+++\nTexte.\n",
    );
    build_as_unprivileged(&site, &public).assert_code(0);
    assert!(public.join("fr/actualites/nouvelle/index.html").is_file());
    assert_no_leftovers(&out);
}

/// Every folder and file below `root`, `root` included.
fn walkdir(root: &Path) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(|entry| entry.unwrap().into_path())
        .collect()
}

/// Makes the site readable by anyone: the build may run as another user.
fn readable_by_all(root: &Path) {
    use std::os::unix::fs::PermissionsExt;
    for path in walkdir(root) {
        let mode = if path.is_dir() { 0o755 } else { 0o644 };
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
}

/// A 1 MB tmpfs as the output's disk: the first build fits, a second with
/// a 3 MB page does not, and fails without touching the first's output.
#[test]
fn a_full_disk_fails_the_build_and_keeps_the_last_output() {
    let site = SiteTest::new("basic");
    let disk = site.root().join("disk");
    std::fs::create_dir(&disk).unwrap();
    mount_tmpfs(&disk, "1m");
    let unmount = Unmount(disk.clone());
    let output = disk.join("public");
    let run = run_in_with_env(
        site.root(),
        &["build", "--output", output.to_str().unwrap()],
        &[],
    );
    run.assert_code(0);
    let before = crate::harness::tree(&output);
    site.write(
        "content/news/grosse.fr.md",
        format!(
            "+++\ntitle = \"Grosse\"\n+++\n{}",
            "Du texte. ".repeat(300_000)
        ),
    );
    let run = run_in_with_env(
        site.root(),
        &["build", "--output", output.to_str().unwrap()],
        &[],
    );
    run.assert_code(1);
    assert!(
        run.stderr.to_lowercase().contains("no space left"),
        "{}",
        run.stderr
    );
    assert!(
        crate::harness::tree(&output) == before,
        "the output changed"
    );
    assert_no_leftovers(&disk);
    drop(unmount);
}

/// Mounts a tmpfs of `size` (`1m`) at `dir`.
pub fn mount_tmpfs(dir: &Path, size: &str) {
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(dir)
        .output()
        .expect("mount (util-linux) is needed for this test");
    assert!(
        mounted.status.success(),
        "this test mounts a small tmpfs (as root): {}",
        String::from_utf8_lossy(&mounted.stderr)
    );
}

/// Unmounts the test's tmpfs even when the test fails.
pub struct Unmount(pub std::path::PathBuf);

impl Drop for Unmount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}
