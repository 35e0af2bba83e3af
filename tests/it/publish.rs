//! How a build's output takes the previous one's place: killed at any step
//! of the swap, a build leaves the whole previous output or the whole new
//! one; the next build removes what it left, and nothing else; an output
//! folder that is a mount point is built into as well.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::adversarial::{Unmount, assert_no_leftovers, mount_tmpfs};
use crate::harness::{SiteTest, tree};

/// `portail build` killed (SIGKILL, by strace) as it enters the `nth` call
/// that renames or removes a file: every step of the swap and of the
/// removal of the previous output, one per `nth`. Whether it was killed.
fn build_killed_at(site: &SiteTest, nth: usize) -> bool {
    let calls = "rename,renameat,renameat2,unlink,unlinkat,rmdir";
    let run = Command::new("strace")
        .args(["-f", "-qq", "-o", "/dev/null", "-e"])
        .arg(format!("trace={calls}"))
        .arg("-e")
        .arg(format!("inject={calls}:signal=KILL:when={nth}"))
        .arg(env!("CARGO_BIN_EXE_portail"))
        .arg("build")
        .current_dir(site.root())
        .env_clear()
        .env("LANG", "C")
        .output()
        .expect("strace is needed for this test (apt-get install strace)");
    use std::os::unix::process::ExitStatusExt;
    // strace ends itself with the signal that killed its tracee.
    match (run.status.code(), run.status.signal()) {
        (Some(0), _) => false,
        (_, Some(9)) => true,
        _ => panic!(
            "strace or the build failed: {}",
            String::from_utf8_lossy(&run.stderr)
        ),
    }
}

/// What the site's next build writes, built into a folder of its own.
fn expected_output(site: &SiteTest) -> BTreeMap<String, Vec<u8>> {
    let reference = tempfile::tempdir().unwrap();
    let out = reference.path().join("out");
    site.run(&["build", "--output", out.to_str().unwrap()])
        .assert_code(0);
    tree(&out)
}

fn add_page(site: &SiteTest, n: usize) {
    site.write(
        &format!("content/news/ajout-{n}.fr.md"),
        format!(
            "+++\ntitle = \"Ajout {n}\"\ndate = 2024-03-{:02}\n+++\nTexte {n}.\n",
            n + 1
        ),
    );
}

/// Kills a build at every step of the swap in turn, changing the site
/// before each: the output is always one build's, whole. How many builds
/// left the previous output, and how many the new one.
fn killed_builds_leave_a_whole_output(site: &SiteTest, steps: usize) -> (usize, usize) {
    let (mut old, mut new) = (0, 0);
    for nth in 1..=steps {
        // A good build first, which removes what the last one left.
        site.build_ok(&[]);
        let before = tree(&site.public());
        add_page(site, nth);
        let after = expected_output(site);
        let killed = build_killed_at(site, nth);
        let now = tree(&site.public());
        if now == before {
            old += 1;
        } else if now == after {
            new += 1;
        } else {
            panic!(
                "killed at call {nth}: the output is neither the previous one ({} files) \
                 nor the new one ({} files), but {} files",
                before.len(),
                after.len(),
                now.len()
            );
        }
        if !killed {
            break;
        }
    }
    (old, new)
}

#[test]
fn a_build_killed_at_the_swap_leaves_the_whole_old_or_new_output() {
    let site = SiteTest::new("basic");
    site.build_ok(&[]);
    let (old, new) = killed_builds_leave_a_whole_output(&site, 6);
    // Both sides of the swap were reached.
    assert!(old > 0 && new > 0, "old {old}, new {new}");
    // A build killed as it named its marker left a folder that only a
    // build a minute later takes for a leftover.
    age_staging_folders(site.root());
    let run = site.build_ok(&[]);
    assert!(
        ["left by an interrupted build", "left by interrupted builds"]
            .iter()
            .any(|said| run.stderr.contains(said)),
        "{}",
        run.stderr
    );
    assert_no_leftovers(site.root());
    assert_eq!(tree(&site.public()), expected_output(&site));
}

/// Makes the staging folders beside the output look two minutes old.
fn age_staging_folders(root: &Path) {
    for entry in std::fs::read_dir(root).unwrap().flatten() {
        if entry
            .file_name()
            .to_string_lossy()
            .contains(".portail-staging-")
        {
            let touched = Command::new("touch")
                .args(["-d", "2 minutes ago"])
                .arg(entry.path())
                .status()
                .unwrap();
            assert!(touched.success());
        }
    }
}

/// A folder that a build left, with its marker; `locked` holds the marker
/// as a running build does.
fn staging_folder(root: &Path, name: &str) -> std::path::PathBuf {
    let dir = root.join(name);
    std::fs::create_dir_all(dir.join("fr")).unwrap();
    std::fs::write(dir.join(".portail"), "marker").unwrap();
    std::fs::write(dir.join("fr/index.html"), "x".repeat(1_500_000)).unwrap();
    dir
}

#[test]
fn the_next_build_removes_what_interrupted_builds_left_and_nothing_else() {
    let site = SiteTest::new("basic");
    site.build_ok(&[]);
    let root = site.root();
    staging_folder(root, "public.portail-staging-AbC123");
    // Older versions moved the previous output into `previous`.
    let old = root.join("public.portail-old-XyZ789");
    std::fs::create_dir(&old).unwrap();
    staging_folder(&old, "previous");
    // Not provably portail's: no marker, another output's name, a file.
    std::fs::create_dir(root.join("public.portail-staging-mine")).unwrap();
    staging_folder(root, "autre.portail-staging-AbC123");
    std::fs::write(root.join("public.portail-staging-file"), "x").unwrap();
    // A build killed as it made its marker: a leftover, once it is old.
    let unnamed = root.join("public.portail-staging-Unnamed");
    std::fs::create_dir(&unnamed).unwrap();
    std::fs::write(unnamed.join(".portail-marker"), "").unwrap();
    // A build still running holds its marker locked.
    let running = staging_folder(root, "public.portail-staging-Running");
    let lock = std::fs::File::open(running.join(".portail")).unwrap();
    lock.lock().unwrap();

    let run = site.build_ok(&[]);
    run.assert_stderr_contains(
        "Removed 2 folders left by interrupted builds (3.0 MB): \
         public.portail-old-XyZ789, public.portail-staging-AbC123",
    );
    assert!(unnamed.exists(), "a fresh folder may be a running build's");
    age_staging_folders(root);
    site.build_ok(&[]).assert_stderr_contains(
        "Removed 1 folder left by an interrupted build (0.0 MB): public.portail-staging-Unnamed",
    );
    for kept in [
        "public.portail-staging-mine",
        "autre.portail-staging-AbC123",
        "public.portail-staging-file",
        "public.portail-staging-Running",
    ] {
        assert!(root.join(kept).exists(), "{kept} was removed");
    }
    assert!(!root.join("public.portail-staging-AbC123").exists());
    assert!(!old.exists());
    // Released, the running build's folder is a leftover like the others.
    drop(lock);
    site.build_ok(&[]).assert_stderr_contains(
        "Removed 1 folder left by an interrupted build (1.5 MB): public.portail-staging-Running",
    );
    // Nothing to say when there is nothing left.
    let quiet = site.build_ok(&[]);
    assert!(!quiet.stderr.contains("Removed"), "{}", quiet.stderr);
}

#[test]
fn an_output_folder_that_is_a_mount_point_is_built_into() {
    let site = SiteTest::new("basic");
    let public = site.public();
    std::fs::create_dir(&public).unwrap();
    mount_tmpfs(&public, "50m");
    let unmount = Unmount(public.clone());
    site.build_ok(&[]);
    assert_eq!(tree(&public), expected_output(&site));
    add_page(&site, 0);
    site.build_ok(&[]);
    assert_eq!(tree(&public), expected_output(&site));
    // Killed between the exchanges of its entries, the build leaves each
    // entry whole, and the next one puts everything right.
    add_page(&site, 1);
    assert!(build_killed_at(&site, 3));
    let run = site.build_ok(&[]);
    run.assert_stderr_contains("Removed 1 folder left by an interrupted build");
    assert_eq!(tree(&public), expected_output(&site));
    assert_no_leftovers(&public);
    drop(unmount);
}

/// A build that starts while another is making its staging folder leaves
/// that folder alone: the folder has no marker until the marker is locked
/// (the first build is held for 2 s as it locks, by strace).
#[test]
fn a_running_build_s_staging_folder_is_never_taken_for_a_leftover() {
    let site = SiteTest::new("basic");
    site.build_ok(&[]);
    add_page(&site, 0);
    let slow = Command::new("strace")
        .args(["-f", "-qq", "-o", "/dev/null", "-e", "trace=flock"])
        .args(["-e", "inject=flock:delay_enter=2000000:when=1"])
        .arg(env!("CARGO_BIN_EXE_portail"))
        .arg("build")
        .current_dir(site.root())
        .env_clear()
        .env("LANG", "C")
        .spawn()
        .expect("strace is needed for this test (apt-get install strace)");
    // The second build once the first has made its folder.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !std::fs::read_dir(site.root()).unwrap().flatten().any(|e| {
        e.file_name()
            .to_string_lossy()
            .starts_with("public.portail-staging-")
    }) {
        assert!(std::time::Instant::now() < deadline, "no staging folder");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let second = site.build_ok(&[]);
    assert!(!second.stderr.contains("Removed"), "{}", second.stderr);
    let first = slow.wait_with_output().unwrap();
    assert!(first.status.success());
    assert!(site.public().join(".portail").is_file());
    assert_eq!(tree(&site.public()), expected_output(&site));
    site.build_ok(&[]);
}
