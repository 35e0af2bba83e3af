//! Messages in the author's language: `--lang`, else `LC_ALL`, `LC_MESSAGES`,
//! `LANG`. The other tests run with `LANG=C`, hence in English.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use crate::harness::SiteTest;

const FRENCH: (&str, &str) = ("LANG", "fr_FR.UTF-8");

/// `basic` with a page whose front matter is never closed.
fn broken_site() -> SiteTest {
    let site = SiteTest::new("basic");
    site.overlay("errors/unclosed_front_matter");
    site
}

#[test]
fn build_lang_fr_gives_the_error_in_french_at_its_place() {
    let run = broken_site().run(&["build", "--lang", "fr"]);
    run.assert_code(1)
        .assert_stderr_contains("erreur: content/news/open.fr.md:1:1: l'en-tête n'est pas fermé")
        .assert_stderr_contains("aide: ajoutez une ligne `+++` après la dernière clé de l'en-tête")
        .assert_stderr_contains(
            "La génération a échoué : 1 erreur ; le site déjà généré n'a pas été modifié.",
        );
    assert!(!run.stderr.contains("error"), "{}", run.stderr);
}

#[test]
fn machine_formats_carry_the_french_texts_too() {
    let site = broken_site();
    let run = site.run(&["build", "--lang", "fr", "--format", "json"]);
    run.assert_code(1);
    let first = run.stdout.lines().next().unwrap_or_default();
    let value: serde_json::Value = serde_json::from_str(first).unwrap();
    assert_eq!(value["message"], "l'en-tête n'est pas fermé");
    assert_eq!(value["file"], "content/news/open.fr.md");
    assert_eq!(value["line"], 1);
    site.run(&["build", "--lang", "fr", "--format", "github"])
        .assert_code(1)
        .assert_stdout_contains(
            "::error file=content/news/open.fr.md,line=1,col=1::l'en-tête n'est pas fermé%0Aaide: ajoutez",
        );
}

#[test]
fn a_french_lang_variable_gives_french_check_reports() {
    let site = SiteTest::new("basic");
    site.run_with_env(&["check"], &[FRENCH])
        .assert_code(0)
        .assert_stderr_contains("pages vérifiées : 0 erreur");
    broken_site()
        .run_with_env(&["check"], &[FRENCH])
        .assert_code(1)
        .assert_stderr_contains("erreur: content/news/open.fr.md:1:1: l'en-tête n'est pas fermé")
        .assert_stderr_contains("portail check arrêté : 1 erreur dans le site.");
}

#[test]
fn the_lang_flag_beats_the_environment() {
    let site = SiteTest::new("basic");
    let run = site.run_with_env(&["check", "--lang", "en"], &[FRENCH]);
    run.assert_code(0).assert_stderr_contains("Checked ");
    assert!(!run.stderr.contains("vérifiées"), "{}", run.stderr);
    site.run_with_env(&["build", "--lang", "fr"], &[("LC_ALL", "en_US.UTF-8")])
        .assert_code(0)
        .assert_stderr_contains("Site généré : ");
}

#[test]
fn locale_variables_follow_posix_precedence() {
    let site = SiteTest::new("basic");
    // LC_ALL first, then LC_MESSAGES, then LANG.
    site.run_with_env(&["build"], &[FRENCH, ("LC_ALL", "C")])
        .assert_code(0)
        .assert_stderr_contains("Built ");
    site.run_with_env(
        &["build"],
        &[("LANG", "en_GB.UTF-8"), ("LC_MESSAGES", "fr_BE")],
    )
    .assert_code(0)
    .assert_stderr_contains("Site généré : ");
    site.run_with_env(&["build"], &[("LANG", "de_DE.UTF-8")])
        .assert_code(0)
        .assert_stderr_contains("Built ");
}

#[test]
fn new_and_init_speak_french() {
    let site = SiteTest::new("basic");
    site.run_with_env(
        &["new", "news", "Réunion à Lomé"],
        &[FRENCH, ("SOURCE_DATE_EPOCH", "1795000000")],
    )
    .assert_code(0)
    .assert_stderr_contains("Créé : content/news/2026-11-18-reunion-a-lome.fr.md")
    .assert_stderr_contains("La page est un brouillon : affichez-la avec `portail build --drafts`");
    // In `new`, --lang is the page's language, not the messages'.
    site.run_with_env(
        &["new", "news", "Meeting in Lomé", "--lang", "en"],
        &[FRENCH, ("SOURCE_DATE_EPOCH", "1795000000")],
    )
    .assert_code(0)
    .assert_stderr_contains("Créé : content/news/2026-11-18-meeting-in-lome.en.md");
    site.run_with_env(&["new", "nouvelles", "Titre"], &[FRENCH])
        .assert_code(2)
        .assert_stderr_contains("erreur: il n'y a pas de section `nouvelles` dans content/");
    site.run(&["init", "nouveau", "--lang", "fr"])
        .assert_code(0)
        .assert_stderr_contains("Créé : nouveau/config.toml")
        .assert_stderr_contains(
            "Ensuite : indiquez base_url et les titres dans nouveau/config.toml",
        );
}

#[test]
fn serve_speaks_french() {
    let site = SiteTest::new("basic");
    site.run_with_env(&["serve", "--root", "content", "--port", "0"], &[FRENCH])
        .assert_code(2)
        .assert_stderr_contains("erreur: il n'y a pas de site dans content : pas de config.toml")
        .assert_stderr_contains("aide: indiquez le dossier du site avec --root");

    let mut child = Command::new(env!("CARGO_BIN_EXE_portail"))
        .args(["serve", "--port", "0", "--lang", "fr"])
        .current_dir(site.root())
        .env_clear()
        .env("LANG", "C")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (sender, log) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    let mut seen = Vec::new();
    let listening = wait_for(&log, &mut seen, "Site servi à l'adresse http://127.0.0.1:");
    let port = listening
        .as_deref()
        .and_then(|line| line.split("127.0.0.1:").nth(1).map(str::to_string))
        .and_then(|rest| rest.split('/').next().and_then(|p| p.parse::<u16>().ok()));
    let errors = port.and_then(|port| {
        // The page's event stream, then a broken file: the overlay's texts.
        let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .ok()?;
        write!(stream, "GET /__portail/events?since=1 HTTP/1.0\r\n\r\n").ok()?;
        let mut events = BufReader::new(stream);
        site.write(
            "content/news/2024-05-12-Réunion à Dakar.fr.md",
            "+++\ntitle = \n+++\n",
        );
        let mut line = String::new();
        while events.read_line(&mut line).ok()? > 0 {
            if line.starts_with("data: [") {
                return Some(line);
            }
            line.clear();
        }
        None
    });
    let failed = wait_for(
        &log,
        &mut seen,
        "La génération a échoué : 1 erreur (modifié : ",
    );
    // Stopped as Ctrl-C would, so that it removes its copy of the site.
    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut stopped = None;
    while stopped.is_none() && Instant::now() < deadline {
        stopped = child.try_wait().ok().flatten();
        std::thread::sleep(Duration::from_millis(20));
    }
    if stopped.is_none() {
        let _ = child.kill();
    }
    let status = child.wait();
    let log = seen.join("\n");
    assert!(
        stopped.is_some(),
        "not stopped by Ctrl-C within 10 s\n{log}"
    );
    assert!(status.is_ok_and(|s| s.success()), "{log}");
    assert!(log.contains("Site généré en "), "{log}");
    assert!(listening.is_some() && failed.is_some(), "{log}");
    let errors = errors.unwrap_or_default();
    assert!(
        errors.contains("\"message\":\"en-tête incorrect : "),
        "{errors}"
    );
    assert!(errors.contains("\"help_label\":\"aide\""), "{errors}");
}

/// The first line of `log` with `needle`, within 30 s; every line read
/// lands in `seen`.
fn wait_for(log: &Receiver<String>, seen: &mut Vec<String>, needle: &str) -> Option<String> {
    let deadline = Instant::now() + Duration::from_secs(30);
    if let Some(line) = seen.iter().find(|l| l.contains(needle)) {
        return Some(line.clone());
    }
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        let line = log.recv_timeout(left).ok()?;
        seen.push(line.clone());
        if line.contains(needle) {
            return Some(line);
        }
    }
    None
}
