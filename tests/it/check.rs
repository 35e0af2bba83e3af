//! `portail check`: links, anchors and files of the rendered site, and
//! pages without a translation, without writing anything.

use crate::harness::SiteTest;

const PLANTED: &str = "+++\ntitle = \"Liens\"\n+++\n\n## Premier\n\n\
Voir [ailleurs](../nulle-part/) et [la section](@/news/_index.md#absente).\n\n\
<a href=\"/fr/actualites/#nope\">brut</a> ![image](manque.svg)\n\n\
[bon](#premier) [ok](@/news/_index.md) [externe](https://example.com/x) [mail](mailto:a@b.c)\n";

#[test]
fn finds_broken_links_and_anchors_with_file_line_and_column() {
    let site = SiteTest::new("basic");
    site.write("content/news/liens.fr.md", PLANTED);
    site.write("content/news/liens.en.md", "+++\ntitle = \"Links\"\n+++\n");
    let run = site.run(&["check"]);
    run.assert_code(1)
        .assert_stderr_contains(
            "error: content/news/liens.fr.md:7:17: link to a missing page or file: `../nulle-part/`",
        )
        .assert_stderr_contains(
            "error: content/news/liens.fr.md:7:65: link to a missing anchor: `/fr/actualites/#absente`",
        )
        .assert_stderr_contains(
            "error: content/news/liens.fr.md:9:10: link to a missing anchor: `/fr/actualites/#nope`",
        )
        .assert_stderr_contains("error: content/news/liens.fr.md:9:50: link to a missing page or file: `manque.svg`")
        .assert_stderr_contains("help: in /fr/actualites/liens/index.html; fix the link")
        .assert_stderr_contains("Checked 30 pages: 4 errors, 1 warning.");
    assert!(!run.stderr.contains("#premier`"), "{}", run.stderr);
    assert!(
        !run.stderr.contains("example.com") && !run.stderr.contains("mailto"),
        "{}",
        run.stderr
    );
    assert!(!site.public().exists(), "check must not write the site");

    site.run(&["check", "--format", "github"])
        .assert_code(1)
        .assert_stdout_contains(
            "::error file=content/news/liens.fr.md,line=7,col=17::link to a missing page or file: `../nulle-part/`",
        )
        .assert_stdout_contains("::error file=content/news/liens.fr.md,line=9,col=10::link to a missing anchor");
}

/// Raw HTML written every way browsers accept: quotes, none, `srcset`,
/// and links that are not links (in a script, a style, a comment).
const RAW: &str = "+++\ntitle = \"Brut\"\n+++\n\n\
<p id='x'>Cible</p>\n\n\
<p><a href='/fr/simple-absent/'>simple</a> <a href=/fr/nu-absent/>nu</a></p>\n\n\
<p><img alt=\"logo\" srcset=\"/images/logo.svg 1x, /fr/manque-2x.png 2x\" src=\"/images/logo.svg\"></p>\n\n\
<p><a href='#x'>x</a> <a class=x href=#x>x</a></p>\n\n\
[x](#x) [fantôme](#fantome)\n\n\
<script>const a = '<a href=\"/fr/script-absent/\">', b = '<p id=\"fantome\">';</script>\n\n\
<style>/* <a href=\"/fr/style-absent/\"> */</style>\n\n\
<!-- <a href=\"/fr/commentaire-absent/\">ancien</a> -->\n";

/// The fixture with [`RAW`] as a French page, checked.
fn check_raw() -> crate::harness::Run {
    let site = SiteTest::new("basic");
    site.write("content/news/brut.fr.md", RAW);
    site.write("content/news/brut.en.md", "+++\ntitle = \"Raw\"\n+++\n");
    site.run(&["check"])
}

#[test]
fn single_quoted_and_unquoted_links_are_checked() {
    check_raw()
        .assert_code(1)
        .assert_stderr_contains(
            "error: content/news/brut.fr.md:7:13: link to a missing page or file: `/fr/simple-absent/`",
        )
        .assert_stderr_contains(
            "error: content/news/brut.fr.md:7:52: link to a missing page or file: `/fr/nu-absent/`",
        );
}

#[test]
fn every_candidate_of_a_srcset_is_checked() {
    let run = check_raw();
    run.assert_code(1).assert_stderr_contains(
        "error: content/news/brut.fr.md:9:49: link to a missing page or file: `/fr/manque-2x.png`",
    );
    assert!(!run.stderr.contains("`/images/logo.svg`"), "{}", run.stderr);
}

#[test]
fn ids_written_with_single_quotes_are_anchors() {
    let run = check_raw();
    run.assert_code(1);
    assert!(!run.stderr.contains("`#x`"), "{}", run.stderr);
}

#[test]
fn scripts_styles_and_comments_hold_no_links_nor_anchors() {
    let run = check_raw();
    run.assert_code(1).assert_stderr_contains(
        "error: content/news/brut.fr.md:13:19: link to a missing anchor: `#fantome`",
    );
    for inert in ["script-absent", "style-absent", "commentaire-absent"] {
        assert!(!run.stderr.contains(inert), "{inert}: {}", run.stderr);
    }
    run.assert_stderr_contains("4 errors");
}

#[test]
fn a_broken_link_in_a_template_is_reported_once() {
    let site = SiteTest::new("basic");
    let page = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/page.html"),
    )
    .unwrap();
    site.write(
        "templates/page.html",
        page.replacen(
            "{% block content %}",
            "{% block content %}<a href=\"/fr/disparu/\">x</a>",
            1,
        ),
    );
    let run = site.run(&["check"]);
    run.assert_code(1)
        .assert_stderr_contains(
            "error: templates/page.html:4:29: link to a missing page or file: `/fr/disparu/`",
        )
        .assert_stderr_contains("other pages; fix the link");
    assert_eq!(
        run.stderr.matches("/fr/disparu/`").count(),
        1,
        "{}",
        run.stderr
    );
}

#[test]
fn untranslated_pages_are_warnings_and_strict_makes_them_errors() {
    let site = SiteTest::new("basic");
    site.run(&["check"])
        .assert_code(0)
        .assert_stderr_contains(
            "warning: content/news/2024-07-01-seulement-en-francais.fr.md: no English version",
        )
        .assert_stderr_contains("0 errors, 1 warning.");
    site.run(&["check", "--strict"])
        .assert_code(1)
        .assert_stderr_contains(
            "error: content/news/2024-07-01-seulement-en-francais.fr.md: no English version",
        );
}

#[test]
fn the_demo_site_has_no_broken_link() {
    let run = crate::harness::run_in(
        env!("CARGO_MANIFEST_DIR"),
        &["check", "--strict", "--now", "2026-11-26"],
    );
    run.assert_code(0)
        .assert_stderr_contains("0 errors, 0 warnings.");
}

/// A small HTTP server on 127.0.0.1: `/ok` 200, `/missing` 404, `/old` 301
/// to `/ok`, `/hang` never answers, `/flaky` 503 once then 200, `/busy` 429
/// with `Retry-After: 1` once then 200. Counts the requests per path.
fn test_server() -> (
    u16,
    std::sync::Arc<std::sync::Mutex<std::collections::BTreeMap<String, usize>>>,
) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let counts = std::sync::Arc::new(std::sync::Mutex::new(std::collections::BTreeMap::new()));
    let seen = counts.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let seen = seen.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut request = String::new();
                if reader.read_line(&mut request).is_err() {
                    return;
                }
                let path = request.split(' ').nth(1).unwrap_or("").to_string();
                let n = {
                    let mut seen = seen.lock().unwrap();
                    let n = seen.entry(path.clone()).or_insert(0);
                    *n += 1;
                    *n
                };
                let mut stream = stream;
                let reply = match (path.as_str(), n) {
                    ("/ok", _) => "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok".to_string(),
                    ("/old", _) => format!(
                        "HTTP/1.1 301 Moved Permanently\r\nlocation: http://127.0.0.1:{port}/ok\r\ncontent-length: 0\r\n\r\n"
                    ),
                    ("/flaky", 1) => {
                        "HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\n\r\n".to_string()
                    }
                    ("/flaky", _) => "HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n".to_string(),
                    ("/busy", 1) => "HTTP/1.1 429 Too Many Requests\r\nretry-after: 1\r\ncontent-length: 0\r\n\r\n".to_string(),
                    ("/busy", _) => "HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n".to_string(),
                    ("/hang", _) => {
                        std::thread::sleep(std::time::Duration::from_secs(30));
                        return;
                    }
                    _ => "HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n".to_string(),
                };
                let _ = stream.write_all(reply.as_bytes());
            });
        }
    });
    (port, counts)
}

#[test]
fn external_links_are_checked_with_timeouts_retries_and_a_cache() {
    let (port, counts) = test_server();
    let site = SiteTest::new("basic");
    let base = format!("http://127.0.0.1:{port}");
    site.write(
        "content/news/externes.fr.md",
        format!(
            "+++\ntitle = \"Externes\"\n+++\n\n[a]({base}/ok) [b]({base}/missing)\n\n\
             [c]({base}/old) [d]({base}/hang) [e]({base}/flaky) [f]({base}/busy)\n"
        ),
    );
    site.write(
        "content/news/externes.en.md",
        "+++\ntitle = \"External\"\n+++\n",
    );
    let args = ["check", "--external", "--timeout", "0.5", "--retries", "1"];
    let run = site.run(&args);
    run.assert_code(1)
        .assert_stderr_contains(&format!(
            "error: content/news/externes.fr.md:5:{}: broken external link (the site answered 404): `{base}/missing`",
            base.len() + 14
        ))
        .assert_stderr_contains(&format!(
            "error: content/news/externes.fr.md:7:{}: broken external link (no answer within 0.5 s): `{base}/hang`",
            base.len() + 15
        ))
        .assert_stderr_contains(&format!(
            "warning: content/news/externes.fr.md:7:5: external link moved permanently: `{base}/old` now redirects to `{base}/ok`"
        ));
    assert!(
        !run.stderr.contains("/flaky`") && !run.stderr.contains("/busy`"),
        "a retry should have passed: {}",
        run.stderr
    );
    {
        let counts = counts.lock().unwrap();
        assert_eq!(counts["/flaky"], 2);
        assert_eq!(counts["/hang"], 2, "one try and one retry");
        assert_eq!(counts["/ok"], 2, "the link and the redirect's destination");
        // Asked again after the 429 (how long it waited is a unit test:
        // tests assert no durations).
        assert_eq!(counts["/busy"], 2);
    }
    let cache = std::fs::read_to_string(site.root().join(".portail-links.json")).unwrap();
    assert!(cache.contains(&format!("{base}/missing")), "{cache}");

    // The next run trusts what worked and asks again about what did not.
    site.run(&args).assert_code(1);
    let counts = counts.lock().unwrap();
    assert_eq!(counts["/ok"], 2);
    assert_eq!(counts["/flaky"], 2);
    assert_eq!(counts["/missing"], 2);
}

#[test]
fn links_climbing_above_the_root_are_checked_like_browsers_do() {
    let site = SiteTest::new("basic");
    site.write(
        "content/news/haut.fr.md",
        "+++\ntitle = \"Haut\"\n+++\n\n[a](../../../../absent/) [b](../../../../fr/) [c](#top)\n",
    );
    site.write("content/news/haut.en.md", "+++\ntitle = \"Top\"\n+++\n");
    let run = site.run(&["check"]);
    run.assert_code(1).assert_stderr_contains(
        "error: content/news/haut.fr.md:5:5: link to a missing page or file: `../../../../absent/`",
    );
    assert_eq!(run.stderr.matches("error:").count(), 1, "{}", run.stderr);
}

/// Serves `/slow…` in 300 ms, counting how many are under way at once, and
/// redirects any other path to `to` + `/slow` + that path.
fn slow_server(
    to: Option<String>,
    in_flight: std::sync::Arc<std::sync::Mutex<(usize, usize)>>,
) -> String {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (to, in_flight) = (to.clone(), in_flight.clone());
            std::thread::spawn(move || {
                let mut request = String::new();
                if BufReader::new(stream.try_clone().unwrap())
                    .read_line(&mut request)
                    .is_err()
                {
                    return;
                }
                let path = request.split(' ').nth(1).unwrap_or("").to_string();
                let mut stream = stream;
                let reply = match &to {
                    Some(to) => format!(
                        "HTTP/1.1 302 Found\r\nlocation: {to}/slow{path}\r\ncontent-length: 0\r\n\r\n"
                    ),
                    None => {
                        {
                            let mut counts = in_flight.lock().unwrap();
                            counts.0 += 1;
                            counts.1 = counts.1.max(counts.0);
                        }
                        std::thread::sleep(std::time::Duration::from_millis(300));
                        in_flight.lock().unwrap().0 -= 1;
                        "HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n".to_string()
                    }
                };
                let _ = stream.write_all(reply.as_bytes());
            });
        }
    });
    base
}

#[test]
fn redirects_count_against_the_limit_of_the_host_they_lead_to() {
    let in_flight = std::sync::Arc::new(std::sync::Mutex::new((0, 0)));
    let slow = slow_server(None, in_flight.clone());
    let redirecting = slow_server(Some(slow.clone()), in_flight.clone());
    let links: String = (0..6)
        .map(|n| format!("[direct]({slow}/slow/d{n}) [moved]({redirecting}/r{n})\n\n"))
        .collect();
    let site = SiteTest::new("basic");
    site.write(
        "content/news/externes.fr.md",
        format!("+++\ntitle = \"Externes\"\n+++\n\n{links}"),
    );
    site.write(
        "content/news/externes.en.md",
        "+++\ntitle = \"External\"\n+++\n",
    );
    // The fixture's other links lead nowhere here; these all work.
    let run = site.run(&["check", "--external", "--per-host", "2"]);
    assert!(
        !run.stderr.contains(&slow) && !run.stderr.contains(&redirecting),
        "{}",
        run.stderr
    );
    let (under_way, most) = *in_flight.lock().unwrap();
    assert_eq!(under_way, 0);
    assert_eq!(
        most, 2,
        "never more than --per-host requests at once to one host"
    );
}

#[test]
fn build_warns_of_broken_body_links_and_translations_that_do_not_pair() {
    let site = SiteTest::new("basic");
    let page = "content/news/2024-07-01-seulement-en-francais.fr.md";
    let text = std::fs::read_to_string(site.root().join(page)).unwrap();
    site.write(
        page,
        format!("{text}\nVoir [Dakar](/fr/actualites/reunion-a-dakr/) et [la réunion](/fr/actualites/reunion-a-dakar/).\n"),
    );
    site.write(
        "content/news/2024-09-10-atelier.fr.md",
        "+++\ntitle = \"Atelier\"\n+++\n\nTexte.\n",
    );
    site.write(
        "content/news/2024-09-10-workshop.en.md",
        "+++\ntitle = \"Workshop\"\n+++\n\nText.\n",
    );
    let build = site.run(&["build"]);
    build
        .assert_code(0)
        .assert_stderr_contains(&format!(
            "warning: {page}:26:14: link to a page or file the site does not have: `/fr/actualites/reunion-a-dakr/`"
        ))
        .assert_stderr_contains("help: did you mean `/fr/actualites/reunion-a-dakar/`?")
        .assert_stderr_contains(
            "warning: content/news/2024-09-10-workshop.en.md: `content/news/2024-09-10-workshop.en.md` and `content/news/2024-09-10-atelier.fr.md` have no language in common",
        )
        .assert_stderr_contains("rename it `content/news/2024-09-10-atelier.en.md`");
    // The good link is not reported; the broken one once.
    assert_eq!(
        build.stderr.matches("does not have").count(),
        1,
        "{}",
        build.stderr
    );
    // `check` reports the link as an error, once, and the pair instead of
    // two missing translations.
    let check = site.run(&["check"]);
    check.assert_code(1);
    assert!(!check.stderr.contains("does not have"), "{}", check.stderr);
    assert_eq!(
        check
            .stderr
            .matches("missing page or file: `/fr/actualites/reunion-a-dakr/`")
            .count(),
        1,
        "{}",
        check.stderr
    );
    assert!(
        check.stderr.contains("have no language in common"),
        "{}",
        check.stderr
    );
    assert!(
        !check
            .stderr
            .contains("2024-09-10-atelier.fr.md: no English version"),
        "{}",
        check.stderr
    );
    assert!(
        !check
            .stderr
            .contains("2024-09-10-workshop.en.md: no French version"),
        "{}",
        check.stderr
    );
}

#[test]
fn every_broken_link_is_reported_where_it_is_written() {
    let site = SiteTest::new("basic");
    site.write(
        "content/news/2024-09-12-ancres.fr.md",
        "+++\ntitle = \"Ancres\"\n+++\n\n## Les détails\n\nVoir [ici](#les-détails) et [là](#les-d%C3%A9tails).\n\nEt <a href=\"/fr/absent/\">un</a>, <a href=\"/fr/absent/\">deux</a>.\n\n[Trois](/fr/absent/)\n",
    );
    let check = site.run(&["check"]);
    check.assert_code(1);
    let file = "content/news/2024-09-12-ancres.fr.md";
    for at in ["7:12", "7:34"] {
        check.assert_stderr_contains(&format!(
            "error: {file}:{at}: link to a missing anchor (the page has `#les-details`): `#les-détails`"
        ));
    }
    for at in ["9:13", "9:43", "11:9"] {
        check.assert_stderr_contains(&format!(
            "error: {file}:{at}: link to a missing page or file: `/fr/absent/`"
        ));
    }
    assert_eq!(
        check.stderr.matches(&format!("error: {file}:")).count(),
        5,
        "{}",
        check.stderr
    );
    // `build` warns of the missing page at the same places (anchors are
    // `check`'s: a template may write the id).
    let build = site.run(&["build"]);
    build.assert_code(0);
    for at in ["9:13", "9:43", "11:9"] {
        build.assert_stderr_contains(&format!(
            "warning: {file}:{at}: link to a page or file the site does not have: `/fr/absent/`"
        ));
    }
    assert_eq!(
        build.stderr.matches("does not have").count(),
        3,
        "{}",
        build.stderr
    );
}
