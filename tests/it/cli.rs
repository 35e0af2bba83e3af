//! The command line: help, version, formats, exit codes, unsafe output folders.

use crate::harness::SiteTest;

#[test]
fn help_and_version() {
    let site = SiteTest::new("basic");
    let help = site.run(&["--help"]);
    help.assert_code(0).assert_stdout_contains("build");
    let build_help = site.run(&["build", "--help"]);
    for flag in ["--root", "--output", "--base-url", "--drafts", "--format"] {
        build_help.assert_stdout_contains(flag);
    }
    site.run(&["--version"])
        .assert_code(0)
        .assert_stdout_contains(env!("CARGO_PKG_VERSION"));
}

#[test]
fn usage_errors_exit_2() {
    let site = SiteTest::new("basic");
    site.run(&["build", "--no-such-flag"]).assert_code(2);
    site.run(&["build", "--format", "xml"]).assert_code(2);
    site.run(&["build", "--base-url", "not a url"])
        .assert_code(2)
        .assert_stderr_contains("invalid --base-url");
}

#[test]
fn root_option_builds_another_folder() {
    let site = SiteTest::new("basic");
    let elsewhere = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_portail"))
        .args(["build", "--root"])
        .arg(site.root())
        .current_dir(elsewhere.path())
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(site.exists("fr/index.html"));
}

#[test]
fn json_format_gives_one_object_per_diagnostic() {
    let site = SiteTest::new("basic");
    site.overlay("errors/wrong_type")
        .overlay("errors/missing_title");
    let run = site.run(&["build", "--format", "json"]);
    run.assert_code(1);
    let lines: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{}", run.stdout);
    assert_eq!(lines[1]["file"], "content/news/when.fr.md");
    assert_eq!(lines[1]["line"], 3);
    assert_eq!(lines[1]["column"], 8);
    assert_eq!(lines[1]["severity"], "error");
    assert!(
        lines[1]["help"]
            .as_str()
            .unwrap()
            .starts_with("accepted forms")
    );
}

#[test]
fn github_format_gives_annotations() {
    let site = SiteTest::new("basic");
    site.overlay("errors/wrong_type");
    let run = site.run(&["build", "--format", "github"]);
    run.assert_code(1).assert_stdout_contains(
        "::error file=content/news/when.fr.md,line=3,col=8::field `date` must be a date",
    );
}

#[test]
fn refuses_an_output_folder_that_would_destroy_the_site() {
    let site = SiteTest::new("basic");
    for output in [".", "..", "content", "content/news"] {
        let run = site.run(&["build", "--output", output]);
        run.assert_code(2);
        assert!(
            site.root().join("content/_index.fr.md").exists(),
            "{output} destroyed the site"
        );
    }
}

#[test]
fn missing_config_is_a_configuration_error() {
    let site = SiteTest::new("basic");
    std::fs::remove_file(site.root().join("config.toml")).unwrap();
    site.run(&["build"])
        .assert_code(2)
        .assert_stderr_contains("cannot read config.toml");
}

#[test]
fn never_replaces_a_folder_it_did_not_write() {
    let site = SiteTest::new("basic");
    site.write("important/thesis.docx", "precious");
    site.run(&["build", "--output", "important"])
        .assert_code(2)
        .assert_stderr_contains("refusing to replace")
        .assert_stderr_contains("it has no .portail file");
    assert_eq!(
        std::fs::read_to_string(site.root().join("important/thesis.docx")).unwrap(),
        "precious"
    );
    // An empty folder, or one portail wrote, is fine.
    std::fs::create_dir(site.root().join("empty")).unwrap();
    site.build_ok(&["--output", "empty"]);
    site.build_ok(&["--output", "empty"]);
    assert!(site.root().join("empty/.portail").is_file());
}

#[test]
fn a_timeout_that_is_no_duration_is_refused() {
    let site = SiteTest::new("basic");
    for bad in ["nan", "inf", "-1", "0"] {
        let timeout = format!("--timeout={bad}");
        site.run(&["check", "--external", &timeout])
            .assert_code(2)
            .assert_stderr_contains("is not a positive number of seconds");
    }
}
