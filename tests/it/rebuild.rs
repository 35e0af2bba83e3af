//! `serve`'s rebuilds reuse what did not change, and their output equals a
//! full build's after every kind of edit an author makes.

use std::path::{Path, PathBuf};

use portail::build::{BuildOptions, build};
use portail::rebuild::{OpenPages, Rebuilder, Rebuilt, SearchRebuilt};

use crate::harness::{copy_dir, tree};

struct Session {
    site: tempfile::TempDir,
    live: PathBuf,
    rebuilder: Rebuilder,
}

/// Whether a rebuild took pages from the build before rather than
/// rendering them all.
fn incremental(rebuilt: &Rebuilt) -> bool {
    rebuilt.pages.reused > 0 && rebuilt.pages.computed < rebuilt.pages.total()
}

fn options(root: &Path, output: PathBuf) -> BuildOptions {
    BuildOptions {
        output: Some(output),
        base_url: Some("http://127.0.0.1:1111/".into()),
        now: Some("2025-06-01".parse().unwrap()),
        ..BuildOptions::new(root)
    }
}

impl Session {
    /// A copy of the demo site, built once.
    fn start() -> Session {
        let site = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        for part in ["content", "data", "static"] {
            copy_dir(&repo.join(part), &site.path().join(part));
        }
        std::fs::copy(repo.join("config.toml"), site.path().join("config.toml")).unwrap();
        let live = site.path().join("live");
        let mut rebuilder = Rebuilder::new(options(site.path(), live.clone()));
        rebuilder.rebuild(&[]).unwrap();
        rebuilder.search().unwrap();
        Session {
            site,
            live,
            rebuilder,
        }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.site.path().join(rel)
    }

    fn edit(&self, rel: &str, change: impl FnOnce(String) -> String) {
        let text = std::fs::read_to_string(self.path(rel)).unwrap();
        let changed = change(text.clone());
        assert_ne!(changed, text, "the edit of {rel} changes nothing");
        std::fs::write(self.path(rel), changed).unwrap();
    }

    /// Rebuilds after a save of `changed` that breaks the site: the rebuild
    /// fails and leaves the output as it was. Returns the errors.
    #[track_caller]
    fn rebuild_fails(&mut self, changed: &str) -> String {
        let before = tree(&self.live);
        let err = match self.rebuilder.rebuild(&[changed.to_string()]) {
            Ok(rebuilt) => panic!("the rebuild after {changed} succeeded: {rebuilt:?}"),
            Err(err) => err,
        };
        assert!(tree(&self.live) == before, "a failed rebuild wrote files");
        format!("{:?}", err.into_diagnostics())
    }

    /// Saves a new file `rel` that breaks the site: the rebuild fails as
    /// [`Self::rebuild_fails`] says, and once the file is gone again the
    /// output is a full build's. Returns the errors.
    #[track_caller]
    fn new_file_fails(&mut self, rel: &str, text: &str) -> String {
        std::fs::write(self.path(rel), text).unwrap();
        let errors = self.rebuild_fails(rel);
        std::fs::remove_file(self.path(rel)).unwrap();
        self.rebuild_equals_full_build(&[rel]);
        errors
    }

    /// Rebuilds after changes to `changed` (the pages, then the search
    /// indexes) and checks the live output against a full build of the same
    /// sources, file by file.
    #[track_caller]
    fn rebuild_equals_full_build(&mut self, changed: &[&str]) -> Both {
        self.rebuild_open_equals_full_build(changed, None)
    }

    /// [`Self::rebuild_equals_full_build`] with pages `open` in browsers.
    #[track_caller]
    fn rebuild_open_equals_full_build(
        &mut self,
        changed: &[&str],
        open: Option<OpenPages>,
    ) -> Both {
        let changed: Vec<String> = changed.iter().map(|s| s.to_string()).collect();
        let pages = self
            .rebuilder
            .rebuild_open(&changed, open)
            .unwrap_or_else(|e| panic!("rebuild failed: {:?}", e.into_diagnostics()));
        // Until the indexes follow, the previous ones stay in place.
        for lang in ["fr", "en"] {
            let index = format!("search/{lang}/manifest.json");
            assert!(
                self.live.join(&index).is_file(),
                "{index} missing meanwhile"
            );
        }
        let search = self
            .rebuilder
            .search()
            .unwrap_or_else(|e| panic!("search failed: {:?}", e.into_diagnostics()));
        let rebuilt = Both { pages, search };
        let full = self.path("full");
        build(&options(self.site.path(), full.clone())).unwrap();
        let (live, full) = (tree(&self.live), tree(&full));
        let live_paths: Vec<&String> = live.keys().collect();
        let full_paths: Vec<&String> = full.keys().collect();
        assert_eq!(live_paths, full_paths, "after {changed:?}");
        for (path, bytes) in &full {
            assert!(
                live[path] == *bytes,
                "after {changed:?}, {path} differs from a full build"
            );
        }
        rebuilt
    }
}

/// What both phases of a rebuild did.
#[derive(Debug)]
struct Both {
    pages: Rebuilt,
    search: SearchRebuilt,
}

const PAGE: &str = "content/news/2024-06-11-study-remittance-costs.fr.md";

#[test]
fn a_body_edit_renders_only_what_shows_the_page() {
    let mut session = Session::start();
    session.edit(PAGE, |text| {
        text.replace(
            "## Trois",
            "Un paragraphe ajouté sur la coopération transfrontalière.\n\n## Trois",
        )
    });
    let rebuilt = session.rebuild_equals_full_build(&[PAGE]);
    let (search, rebuilt) = (&rebuilt.search, &rebuilt.pages);
    let all_pages = rebuilt.pages.computed + rebuilt.pages.reused;
    assert!(incremental(rebuilt), "{rebuilt:?}");
    assert_eq!(rebuilt.markdown.computed, 1, "{rebuilt:?}");
    // The French index, not the English or Arabic one.
    assert_eq!((search.indexes.computed, search.indexes.reused), (1, 2));
    assert_eq!(search.analyses.computed, 1);
    // The page itself; the lists show its description, not its body.
    assert!(
        rebuilt.pages.computed >= 1 && rebuilt.pages.computed * 20 < all_pages,
        "{rebuilt:?}"
    );
    assert!(rebuilt.files_changed >= 1, "the page");
    assert!(search.files_changed >= 1, "the French index");
    let live = tree(&session.live);
    assert!(live.iter().any(|(path, bytes)| {
        path.starts_with("fr/")
            && String::from_utf8_lossy(bytes).contains("coopération transfrontalière")
    }));
}

#[test]
fn every_kind_of_edit_gives_the_full_build() {
    let mut session = Session::start();

    // A title: the page, its translation's language switcher, its lists.
    session.edit(PAGE, |text| {
        text.replacen("title = \"", "title = \"Nouveau titre : ", 1)
    });
    let rebuilt = session.rebuild_equals_full_build(&[PAGE]).pages;
    assert!(rebuilt.pages.computed > 1, "{rebuilt:?}");

    // A new page, then the page removed again.
    let new = "content/news/2025-05-20-nouvelle-breve.fr.md";
    std::fs::write(
        session.path(new),
        "+++\ntitle = \"Une nouvelle brève\"\ndescription = \"Pour le test.\"\n\n[taxonomies]\nthemes = [\"diaspora\"]\n+++\n\nUn texte.\n",
    )
    .unwrap();
    session.rebuild_equals_full_build(&[new]);
    std::fs::remove_file(session.path(new)).unwrap();
    session.rebuild_equals_full_build(&[new]);

    // A date moves the page in every list; a term moves it between terms.
    session.edit(PAGE, |text| {
        text.replacen("+++\n", "+++\ndate = 2025-05-30\n", 1)
    });
    session.rebuild_equals_full_build(&[PAGE]);
    session.edit(PAGE, |text| {
        text.replace("\"data-research\"", "\"protection\"")
    });
    session.rebuild_equals_full_build(&[PAGE]);

    // A broken save keeps the last output; the fix gives the full build.
    session.edit(PAGE, |text| text.replacen("title = ", "titre = ", 1));
    session.rebuild_fails(PAGE);
    session.edit(PAGE, |text| text.replacen("titre = ", "title = ", 1));
    session.rebuild_equals_full_build(&[PAGE]);

    // Outside content/: the configuration and a static file.
    session.edit("config.toml", |text| {
        text.replacen("title = \"", "title = \"Test ", 1)
    });
    session.rebuild_equals_full_build(&["config.toml"]);
    std::fs::write(session.path("static/images/test.txt"), "one").unwrap();
    session.rebuild_equals_full_build(&["static/images/test.txt"]);
    std::fs::write(session.path("static/images/test.txt"), "two, longer").unwrap();
    session.rebuild_equals_full_build(&["static/images/test.txt"]);
    // Same size and, as `cp -p` leaves it, the same time: copied again.
    let static_file = session.path("static/images/test.txt");
    let modified = std::fs::metadata(&static_file).unwrap().modified().unwrap();
    std::fs::write(&static_file, "TWO, LONGER").unwrap();
    std::fs::File::options()
        .write(true)
        .open(&static_file)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    session.rebuild_equals_full_build(&["static/images/test.txt"]);
    let asset = "content/news/2025-06-05-focal-points-handbook/photo.svg";
    session.edit(asset, |svg| svg.replacen('<', "<!-- x -->\n<", 1));
    session.rebuild_equals_full_build(&[asset]);
    session.edit(asset, |svg| svg.replacen("<!-- x -->", "<!-- y -->", 1));
    session.rebuild_equals_full_build(&[asset]);

    // A slug moves a page: the links to it in other pages follow.
    let linked = "content/news/2025-11-27-diaspora-engagement-webinar-series.fr.md";
    session.edit(linked, |text| {
        text.replace(
            "slug = \"webinaires-engagement-des-diasporas\"",
            "slug = \"webinaires-diaspora\"",
        )
    });
    let rebuilt = session.rebuild_equals_full_build(&[linked]).pages;
    assert!(
        rebuilt.markdown.computed > 1,
        "the pages linking to it: {rebuilt:?}"
    );

    // A term list saved with nothing changed but a blank line: no label
    // moved, so no page is rendered again.
    session.edit("data/themes.toml", |text| format!("{text}\n"));
    let rebuilt = session
        .rebuild_equals_full_build(&["data/themes.toml"])
        .pages;
    assert_eq!(rebuilt.pages.computed, 0, "{rebuilt:?}");
    // A label changed: the pages that show it, and only those.
    session.edit("data/themes.toml", |text| {
        text.replacen("International protection", "Protection of refugees", 1)
    });
    let rebuilt = session
        .rebuild_equals_full_build(&["data/themes.toml"])
        .pages;
    assert!(incremental(&rebuilt), "{rebuilt:?}");
    let term_page = std::fs::read_to_string(
        session
            .live
            .join("en/themes/protection-of-refugees/index.html"),
    )
    .expect("the term page");
    assert!(term_page.contains("Protection of refugees"));
}

#[test]
fn a_body_edit_renders_what_shows_it_and_nothing_else() {
    let mut session = Session::start();

    // The newest news item is in the feeds, which show whole bodies.
    let newest = "content/news/2026-09-12-abuja-data-training-completed.fr.md";
    session.edit(newest, |text| {
        format!("{text}\nUn dernier mot pour le fil.\n")
    });
    let rebuilt = session.rebuild_equals_full_build(&[newest]).pages;
    assert!(incremental(&rebuilt), "{rebuilt:?}");
    assert!(
        rebuilt.files_changed >= 3,
        "the page and two feeds: {rebuilt:?}"
    );
    let feed = std::fs::read_to_string(session.live.join("fr/atom.xml")).unwrap();
    assert!(feed.contains("Un dernier mot pour le fil."));

    // A section's text shows on its list pages.
    let section = "content/news/_index.fr.md";
    session.edit(section, |text| format!("{text}\nUne phrase d'accueil.\n"));
    let rebuilt = session.rebuild_equals_full_build(&[section]).pages;
    assert!(incremental(&rebuilt), "{rebuilt:?}");

    // The part before `<!-- more -->` shows in the lists: they are
    // rendered again too.
    let summarised = "content/news/2025-03-14-dakar-workshop-unaccompanied-minors.fr.md";
    session.edit(summarised, |text| {
        text.replacen("<!-- more -->", "Une phrase de plus.\n\n<!-- more -->", 1)
    });
    let rebuilt = session.rebuild_equals_full_build(&[summarised]).pages;
    assert!(incremental(&rebuilt), "{rebuilt:?}");
    assert!(rebuilt.pages.computed > 2, "{rebuilt:?}");
    // After it, the page and the feeds that show it.
    session.edit(summarised, |text| format!("{text}\nEt une après.\n"));
    let rebuilt = session.rebuild_equals_full_build(&[summarised]).pages;
    assert!(incremental(&rebuilt), "{rebuilt:?}");

    // An image without a text alternative is reported at once.
    session.edit(PAGE, |text| format!("{text}\n![](photo.svg)\n"));
    let rebuilt = session.rebuild_equals_full_build(&[PAGE]).pages;
    assert!(incremental(&rebuilt), "{rebuilt:?}");
    let warnings = rebuilt.warnings.into_sorted();
    assert!(
        warnings
            .iter()
            .any(|w| w.location.as_ref().is_some_and(|l| l.path == PAGE)),
        "{warnings:?}"
    );

    // A broken link stops the rebuild and keeps the output; fixed, the
    // output is the full build's again.
    session.edit(PAGE, |text| {
        format!("{text}\n[Perdu](@/news/nulle-part.md)\n")
    });
    let errors = session.rebuild_fails(PAGE);
    assert!(errors.contains("nulle-part"), "{errors}");
    session.edit(PAGE, |text| {
        text.replace("\n[Perdu](@/news/nulle-part.md)\n", "")
    });
    let rebuilt = session.rebuild_equals_full_build(&[PAGE]).pages;
    assert!(incremental(&rebuilt), "after a failure: {rebuilt:?}");
    session.edit(PAGE, |text| format!("{text}\nEncore.\n"));
    let rebuilt = session.rebuild_equals_full_build(&[PAGE]).pages;
    assert!(incremental(&rebuilt), "{rebuilt:?}");

    // A file ending on its closing `+++`: what follows may change the
    // front matter, so it is read as a new version of the whole page.
    let bare = "content/news/2025-05-21-sans-texte.fr.md";
    std::fs::write(session.path(bare), "+++\ntitle = \"Sans texte\"\n+++").unwrap();
    session.rebuild_equals_full_build(&[bare]);
    session.edit(bare, |text| format!("{text}\n\nUn texte.\n"));
    let rebuilt = session.rebuild_equals_full_build(&[bare]).pages;
    assert!(incremental(&rebuilt), "{rebuilt:?}");
    assert_eq!(rebuilt.markdown.computed, 1, "{rebuilt:?}");
    std::fs::remove_file(session.path(bare)).unwrap();
    session.rebuild_equals_full_build(&[bare]);

    // The same text saved again changes nothing.
    let text = std::fs::read_to_string(session.path(PAGE)).unwrap();
    std::fs::write(session.path(PAGE), text).unwrap();
    let rebuilt = session.rebuild_equals_full_build(&[PAGE]).pages;
    assert_eq!(rebuilt.files_changed, 0, "{rebuilt:?}");
}

#[test]
fn each_language_keeps_its_analyses_while_the_other_is_edited() {
    let mut session = Session::start();
    let english = "content/news/2024-06-11-study-remittance-costs.en.md";
    for (round, file) in [PAGE, english, PAGE, english].into_iter().enumerate() {
        session.edit(file, |text| format!("{text}\nEdit {round}.\n"));
        let search = session.rebuild_equals_full_build(&[file]).search;
        assert_eq!(search.analyses.computed, 1, "round {round}: {search:?}");
        // The demo's third language keeps its index too.
        assert_eq!((search.indexes.computed, search.indexes.reused), (1, 2));
    }
}

#[test]
fn a_front_matter_edit_renders_what_shows_the_page() {
    let mut session = Session::start();
    let all_pages = |rebuilt: &Rebuilt| rebuilt.pages.computed + rebuilt.pages.reused;

    // A title: the page, its translation's switcher, its section's lists,
    // its terms' pages, the home, the feeds; not every page.
    session.edit(PAGE, |text| {
        text.replacen("title = \"", "title = \"Titre revu : ", 1)
    });
    let rebuilt = session.rebuild_equals_full_build(&[PAGE]).pages;
    assert!(incremental(&rebuilt), "{rebuilt:?}");
    // The page's body alone: its translation's does not show its title.
    assert_eq!(rebuilt.markdown.computed, 1, "{rebuilt:?}");
    assert!(
        rebuilt.pages.computed > 5 && rebuilt.pages.computed * 2 < all_pages(&rebuilt),
        "{rebuilt:?}"
    );
    let term_page = std::fs::read_to_string(session.live.join("fr/themes/diasporas/index.html"))
        .expect("the term page");
    assert!(
        term_page.contains("Titre revu"),
        "the term page shows the title"
    );

    // A description, a date that moves the page in its lists (the same
    // year), a term swapped for another that has pages.
    session.edit(PAGE, |text| {
        text.replacen("description = \"", "description = \"En bref : ", 1)
    });
    assert!(incremental(
        &session.rebuild_equals_full_build(&[PAGE]).pages
    ));
    session.edit(PAGE, |text| {
        text.replacen("+++\n", "+++\ndate = 2024-12-30\n", 1)
    });
    assert!(incremental(
        &session.rebuild_equals_full_build(&[PAGE]).pages
    ));
    session.edit(PAGE, |text| {
        text.replace("\"data-research\"", "\"protection\"")
    });
    assert!(incremental(
        &session.rebuild_equals_full_build(&[PAGE]).pages
    ));

    // Good practices share their facts with the translations, show
    // related pages, filters and year pages, and the home features some.
    let practice = "content/good-practices/cross-border-coordination-committees.fr.md";
    session.edit(practice, |text| text.replacen("featured = true\n", "", 1));
    assert!(incremental(
        &session.rebuild_equals_full_build(&[practice]).pages
    ));
    session.edit(practice, |text| {
        text.replacen(
            "themes = [\"border-management\", \"protection\"]",
            "themes = [\"border-management\", \"diaspora\", \"data-research\"]",
            1,
        )
    });
    assert!(incremental(
        &session.rebuild_equals_full_build(&[practice]).pages
    ));
    session.edit(practice, |text| {
        text.replacen("date = 2025-12-03", "date = 2025-01-15", 1)
    });
    assert!(incremental(
        &session.rebuild_equals_full_build(&[practice]).pages
    ));

    // An event's place and days (the same year): its calendar files too.
    let event = "content/activities/diaspora-investment-forum-lisbon.fr.md";
    session.edit(event, |text| {
        text.replacen("start = 2027-02-16", "start = 2027-02-15", 1)
            .replacen("location = \"Lisboa\"", "location = \"Porto\"", 1)
    });
    assert!(incremental(
        &session.rebuild_equals_full_build(&[event]).pages
    ));
    let calendar = tree(&session.live)
        .into_iter()
        .filter(|(path, _)| path.ends_with("event.ics"))
        .any(|(_, bytes)| String::from_utf8_lossy(&bytes).contains("Porto"));
    assert!(calendar, "the event's calendar file shows the new place");

    // Both versions saved at once.
    let english = "content/news/2024-06-11-study-remittance-costs.en.md";
    session.edit(PAGE, |text| text.replacen("Titre revu", "Titre repris", 1));
    session.edit(english, |text| {
        text.replacen("title = \"", "title = \"Revised: ", 1)
    });
    assert!(incremental(
        &session.rebuild_equals_full_build(&[PAGE, english]).pages
    ));

    // Another year: a year page comes, and another goes.
    session.edit(event, |text| {
        text.replacen("start = 2027-02-15", "start = 2028-02-15", 1)
            .replacen("end = 2027-02-17", "end = 2028-02-17", 1)
    });
    let rebuilt = session.rebuild_equals_full_build(&[event]).pages;
    assert!(incremental(&rebuilt), "{rebuilt:?}");
    assert!(session.live.join("fr/activites/2028/index.html").exists());
    // A term loses its last page in a language, then has one again.
    let with_term: Vec<String> = tree(&session.site.path().join("content"))
        .into_iter()
        .filter(|(path, bytes)| {
            path.ends_with(".fr.md")
                && String::from_utf8_lossy(bytes).contains("\"burkina-faso\", ")
        })
        .map(|(path, _)| format!("content/{path}"))
        .collect();
    assert!(with_term.len() > 2, "{with_term:?}");
    for file in &with_term {
        session.edit(file, |text| text.replacen("\"burkina-faso\", ", "", 1));
        let rebuilt = session.rebuild_equals_full_build(&[file]).pages;
        assert!(incremental(&rebuilt), "{file}: {rebuilt:?}");
    }
    assert!(!session.live.join("fr/pays/burkina-faso").exists());
    assert!(!session.live.join("en/countries/burkina-faso").exists());
    session.edit(&with_term[0], |text| {
        text.replacen("countries = [", "countries = [\"burkina-faso\", ", 1)
    });
    let rebuilt = session.rebuild_equals_full_build(&[&with_term[0]]).pages;
    assert!(incremental(&rebuilt), "{rebuilt:?}");
    assert!(
        session
            .live
            .join("fr/pays/burkina-faso/index.html")
            .exists()
    );
    // A new slug and a draft change which pages the site has: see
    // `pages_that_come_go_or_move_render_what_shows_them`.

    // A translation that contradicts a shared fact is an error, as in a
    // full build, and leaves the output as it was.
    let english_practice = "content/good-practices/cross-border-coordination-committees.en.md";
    session.edit(english_practice, |text| {
        text.replacen("+++\n", "+++\ndate = 2020-01-01\n", 1)
    });
    let errors = session.rebuild_fails(english_practice);
    assert!(errors.contains("2020-01-01"), "{errors}");
    session.edit(english_practice, |text| {
        text.replacen("date = 2020-01-01\n", "", 1)
    });
    session.rebuild_equals_full_build(&[english_practice]);
}

#[test]
fn front_matter_edits_follow_what_templates_and_drafts_read() {
    let mut session = Session::start();

    // A term page that shows how many pages every term has: a term that
    // gains a page changes them all.
    std::fs::create_dir_all(session.path("templates")).unwrap();
    std::fs::write(
        session.path("templates/term.html"),
        "<!DOCTYPE html><html lang=\"{{ lang }}\"><body><ul>\
         {% for t in taxonomy_terms %}<li>{{ t.id }} ({{ t.count }})</li>{% endfor %}</ul>\
         {% for p in paginator.pages %}<p>{{ p.title }}</p>{% endfor %}</body></html>\n",
    )
    .unwrap();
    session.rebuild_equals_full_build(&["templates/term.html"]);
    session.edit(PAGE, |text| {
        text.replacen("themes = [", "themes = [\"protection\", ", 1)
    });
    let rebuilt = session.rebuild_equals_full_build(&[PAGE]).pages;
    assert!(incremental(&rebuilt), "{rebuilt:?}");

    // A translation left out as a draft still shares the facts of the
    // default language: a conflict is an error, as in a full build.
    let french = "content/news/2025-02-02-brouillon-partage.fr.md";
    let english = "content/news/2025-02-02-brouillon-partage.en.md";
    std::fs::write(
        session.path(french),
        "+++\ntitle = \"Partagé\"\ndate = 2025-02-02\n+++\nTexte.\n",
    )
    .unwrap();
    std::fs::write(
        session.path(english),
        "+++\ntitle = \"Shared\"\ndraft = true\ndate = 2025-02-02\n+++\nText.\n",
    )
    .unwrap();
    session.rebuild_equals_full_build(&[french, english]);
    session.edit(french, |text| {
        text.replace("date = 2025-02-02", "date = 2025-02-03")
    });
    let err = session
        .rebuilder
        .rebuild(&[french.to_string()])
        .unwrap_err();
    let errors = format!("{:?}", err.into_diagnostics());
    assert!(errors.contains("2025-02-02"), "{errors}");
    assert!(build(&options(session.site.path(), session.path("full"))).is_err());
    std::fs::remove_file(session.path(english)).unwrap();
    session.rebuild_equals_full_build(&[english]);

    // A section that names a term: when the term's last page leaves it,
    // every stage runs (the section's summary names the term's page).
    let section = "content/news/_index.fr.md";
    session.edit(section, |text| {
        // At the end of the front matter: the first `+++` after a line.
        text.replacen(
            "\n+++",
            "\n\n[taxonomies]\ncountries = [\"burkina-faso\"]\n+++",
            1,
        )
    });
    session.rebuild_equals_full_build(&[section]);
    let with_term: Vec<String> = tree(&session.site.path().join("content"))
        .into_iter()
        .filter(|(path, bytes)| {
            path.ends_with(".fr.md")
                && !path.ends_with("_index.fr.md")
                && String::from_utf8_lossy(bytes).contains("\"burkina-faso\"")
        })
        .map(|(path, _)| format!("content/{path}"))
        .collect();
    for file in &with_term {
        session.edit(file, |text| {
            text.replacen("\"burkina-faso\", ", "", 1)
                .replacen(", \"burkina-faso\"", "", 1)
        });
        let rebuilt = session.rebuild_equals_full_build(&[file]).pages;
        assert!(incremental(&rebuilt), "{file}: {rebuilt:?}");
    }
    session.edit(section, |text| {
        text.replacen("\n[taxonomies]\ncountries = [\"burkina-faso\"]\n", "\n", 1)
    });
    session.rebuild_equals_full_build(&[section]);
    // A new term page where a static file already is: an error, as in a
    // full build.
    std::fs::create_dir_all(session.path("static/fr/pays/burkina-faso")).unwrap();
    std::fs::write(session.path("static/fr/pays/burkina-faso/index.html"), "x").unwrap();
    session.rebuild_equals_full_build(&["static/fr/pays/burkina-faso/index.html"]);
    session.edit(&with_term[0], |text| {
        text.replacen("countries = [", "countries = [\"burkina-faso\", ", 1)
    });
    let errors = session.rebuild_fails(&with_term[0]);
    assert!(errors.contains("same_file"), "{errors}");
    assert!(build(&options(session.site.path(), session.path("full"))).is_err());
    std::fs::remove_dir_all(session.path("static/fr")).unwrap();
    session.rebuild_equals_full_build(&["static/fr/pays/burkina-faso/index.html"]);

    // An event given a start time: its calendar files follow.
    let event = "content/activities/diaspora-investment-forum-lisbon.fr.md";
    session.edit(event, |text| {
        text.replacen("start = 2027-02-16", "start = 2027-02-16T09:00:00+01:00", 1)
    });
    assert!(incremental(
        &session.rebuild_equals_full_build(&[event]).pages
    ));
}

#[test]
fn a_new_term_is_checked_against_the_drafts_terms_too() {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let root = dir.path().join("site");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic"),
        &root,
    );
    // A draft names a free term that a published page will soon name
    // another way, with the same address.
    std::fs::write(
        root.join("content/news/brouillon.fr.md"),
        "+++\ntitle = \"Brouillon\"\ndraft = true\n\n[taxonomies]\nthemes = [\"Énergie\"]\n+++\nTexte.\n",
    )
    .unwrap();
    let mut rebuilder = Rebuilder::new(options(&root, dir.path().join("live")));
    rebuilder.rebuild(&[]).unwrap();
    rebuilder.search().unwrap();
    // A full build and the rebuild after a save of `changed` report the
    // clash.
    let both_fail = |rebuilder: &mut Rebuilder, changed: &str| {
        let full = build(&options(&root, dir.path().join("full")));
        let full = format!("{:?}", full.unwrap_err().into_diagnostics());
        assert!(full.contains("shared_page"), "{full}");
        let rebuilt = rebuilder.rebuild(&[changed.to_string()]).unwrap_err();
        let rebuilt = format!("{:?}", rebuilt.into_diagnostics());
        assert!(rebuilt.contains("shared_page"), "{rebuilt}");
    };
    let page = "content/news/2024-05-12-Réunion à Dakar.fr.md";
    let text = std::fs::read_to_string(root.join(page)).unwrap();
    std::fs::write(
        root.join(page),
        text.replace(
            "themes = [\"protection\"]",
            "themes = [\"protection\", \"energie\"]",
        ),
    )
    .unwrap();
    both_fail(&mut rebuilder, page);

    // The other way round: a new draft names, another way, a term a
    // published page has.
    std::fs::write(root.join(page), &text).unwrap();
    std::fs::remove_file(root.join("content/news/brouillon.fr.md")).unwrap();
    rebuilder
        .rebuild(&[page.to_string(), "content/news/brouillon.fr.md".to_string()])
        .unwrap();
    let draft = "content/news/autre-brouillon.fr.md";
    std::fs::write(
        root.join(draft),
        "+++\ntitle = \"Autre\"\ndraft = true\n\n[taxonomies]\nthemes = [\"Protection\"]\n+++\nTexte.\n",
    )
    .unwrap();
    both_fail(&mut rebuilder, draft);
}

/// A news page new to the demo, newer than the others.
const NEW_BRIEF: &str = "+++\ntitle = \"Une nouvelle brève\"\ndescription = \"Pour le test.\"\n\n\
    [taxonomies]\nthemes = [\"diaspora\"]\ncountries = [\"mali\"]\n+++\n\nUn texte.\n";

#[test]
fn pages_that_come_go_or_move_render_what_shows_them() {
    let mut session = Session::start();
    let fast = |rebuilt: &Rebuilt| {
        let all = rebuilt.pages.computed + rebuilt.pages.reused;
        incremental(rebuilt) && rebuilt.pages.computed * 5 < all
    };
    // Redirects of pages that are rendered again stay (one below the
    // section's own address).
    let (home, news) = ("content/_index.fr.md", "content/news/_index.fr.md");
    session.edit(home, |text| {
        text.replacen("+++\n", "+++\naliases = [\"accueil\"]\n", 1)
    });
    session.edit(news, |text| {
        text.replacen("+++\n", "+++\naliases = [\"fr/actualites/archives\"]\n", 1)
    });
    session.rebuild_equals_full_build(&[home, news]);

    // A new page, then its translation: the lists that show it, its
    // terms, the other version's language switcher.
    let french = "content/news/2026-11-02-nouvelle-breve.fr.md";
    let english = "content/news/2026-11-02-nouvelle-breve.en.md";
    std::fs::write(session.path(french), NEW_BRIEF).unwrap();
    let rebuilt = session.rebuild_equals_full_build(&[french]).pages;
    assert!(fast(&rebuilt), "{rebuilt:?}");
    assert!(
        session
            .live
            .join("fr/actualites/nouvelle-breve/index.html")
            .exists()
    );
    std::fs::write(
        session.path(english),
        "+++\ntitle = \"A new brief\"\n+++\n\nA text.\n",
    )
    .unwrap();
    let rebuilt = session.rebuild_equals_full_build(&[english]).pages;
    assert!(fast(&rebuilt), "{rebuilt:?}");

    // Renamed: the old address goes, the new one comes.
    let renamed = "content/news/2026-11-02-breve-renommee.fr.md";
    std::fs::rename(session.path(french), session.path(renamed)).unwrap();
    let rebuilt = session.rebuild_equals_full_build(&[french, renamed]).pages;
    assert!(fast(&rebuilt), "{rebuilt:?}");
    assert!(!session.live.join("fr/actualites/nouvelle-breve").exists());

    // Renamed with the same address (the date in its name changed).
    let redated = "content/news/2026-11-05-breve-renommee.fr.md";
    std::fs::rename(session.path(renamed), session.path(redated)).unwrap();
    let rebuilt = session.rebuild_equals_full_build(&[renamed, redated]).pages;
    assert!(fast(&rebuilt), "{rebuilt:?}");
    let renamed = redated;

    // Deleted: its pages, its term's page and its pager pages go.
    std::fs::remove_file(session.path(renamed)).unwrap();
    std::fs::remove_file(session.path(english)).unwrap();
    let rebuilt = session.rebuild_equals_full_build(&[english, renamed]).pages;
    assert!(fast(&rebuilt), "{rebuilt:?}");

    // A draft withdrawn, then published again.
    let practice = "content/good-practices/cross-border-coordination-committees.fr.md";
    session.edit(practice, |text| {
        text.replacen("+++\n", "+++\ndraft = true\n", 1)
    });
    let rebuilt = session.rebuild_equals_full_build(&[practice]).pages;
    assert!(fast(&rebuilt), "{rebuilt:?}");
    assert!(
        !session
            .live
            .join("fr/bonnes-pratiques/comites-transfrontaliers-de-coordination")
            .exists()
    );
    session.edit(practice, |text| text.replacen("draft = true\n", "", 1));
    let rebuilt = session.rebuild_equals_full_build(&[practice]).pages;
    assert!(fast(&rebuilt), "{rebuilt:?}");

    // A new draft changes nothing.
    let draft = "content/news/2026-11-03-brouillon.fr.md";
    std::fs::write(
        session.path(draft),
        "+++\ntitle = \"Brouillon\"\ndraft = true\n+++\nTexte.\n",
    )
    .unwrap();
    let rebuilt = session.rebuild_equals_full_build(&[draft]).pages;
    assert!(incremental(&rebuilt), "{rebuilt:?}");
    assert_eq!(rebuilt.files_changed, 0, "{rebuilt:?}");

    // A new slug: the pages that link to the page follow.
    let linked = "content/news/2025-11-27-diaspora-engagement-webinar-series.fr.md";
    session.edit(linked, |text| {
        text.replace(
            "slug = \"webinaires-engagement-des-diasporas\"",
            "slug = \"webinaires-diaspora\"",
        )
    });
    let rebuilt = session.rebuild_equals_full_build(&[linked]).pages;
    assert!(fast(&rebuilt), "{rebuilt:?}");
    assert!(rebuilt.markdown.computed > 2, "the linkers: {rebuilt:?}");

    // A page the section's own page links to: the section page follows
    // (and, were the link in its summary, its parent's pages).
    let about = "content/about/secretariat-role.fr.md";
    session.edit(about, |text| {
        text.replace("slug = \"role-du-secretariat\"", "slug = \"role\"")
    });
    let rebuilt = session.rebuild_equals_full_build(&[about]).pages;
    assert!(incremental(&rebuilt), "{rebuilt:?}");
    let section = std::fs::read_to_string(session.live.join("fr/a-propos/index.html")).unwrap();
    assert!(section.contains("/fr/a-propos/role/\""), "the link follows");

    // A page others link to cannot go: the error of a full build, and the
    // output as it was.
    std::fs::remove_file(session.path(linked)).unwrap();
    let errors = session.rebuild_fails(linked);
    assert!(
        errors.contains("2025-11-27-diaspora-engagement-webinar-series"),
        "{errors}"
    );
    std::fs::write(
        session.path(linked),
        "+++\ntitle = \"Retour\"\nslug = \"webinaires-diaspora\"\n+++\nTexte.\n",
    )
    .unwrap();
    session.rebuild_equals_full_build(&[linked]);

    // Two pages at one address: the error of a full build.
    let twin = "content/news/2026-11-04-jumelle.fr.md";
    let errors = session.new_file_fails(
        twin,
        "+++\ntitle = \"Jumelle\"\nslug = \"webinaires-diaspora\"\n+++\nTexte.\n",
    );
    assert!(errors.contains("jumelle"), "{errors}");

    // An event named after a year takes its year page's address: the
    // error of a full build.
    let errors = session.new_file_fails(
        "content/activities/2030.fr.md",
        "+++\ntitle = \"Année\"\ndate = 2026-01-01\nstart = 2030-03-01\nend = 2030-03-02\nlocation = \"Rabat\"\nkind = \"meeting\"\n+++\nTexte.\n",
    );
    assert!(errors.contains("same_file"), "{errors}");

    // A link to a file outside the site: the error of a full build.
    let outside = session.path("outside.fr.md");
    let valid = std::fs::read_to_string(session.path(PAGE)).unwrap();
    let valid: String = valid
        .lines()
        .filter(|line| !line.starts_with("slug ="))
        .map(|line| format!("{line}\n"))
        .collect();
    std::fs::write(
        &outside,
        valid.replacen("+++\n", "+++\ndate = 2024-06-11\n", 1),
    )
    .unwrap();
    let link = "content/news/lien.fr.md";
    std::os::unix::fs::symlink(&outside, session.path(link)).unwrap();
    let errors = session.rebuild_fails(link);
    assert!(errors.contains("link_outside"), "{errors}");
    std::fs::remove_file(session.path(link)).unwrap();
    session.rebuild_equals_full_build(&[link]);

    // A page folder's files are published beside every version, even a
    // plain file's: every stage runs.
    let folder = "content/news/2025-06-05-focal-points-handbook/index.en.md";
    let plain = "content/news/2025-06-05-focal-points-handbook.en.md";
    std::fs::rename(session.path(folder), session.path(plain)).unwrap();
    let rebuilt = session.rebuild_equals_full_build(&[folder, plain]).pages;
    assert!(incremental(&rebuilt), "{rebuilt:?}");
    assert!(
        session
            .live
            .join("en/news/focal-points-handbook/photo.svg")
            .exists()
    );
    // Its address moves: the folder's files follow.
    session.edit(plain, |text| {
        text.replacen("+++\n", "+++\nslug = \"handbook\"\n", 1)
    });
    let rebuilt = session.rebuild_equals_full_build(&[plain]).pages;
    assert!(incremental(&rebuilt), "{rebuilt:?}");
    assert!(session.live.join("en/news/handbook/photo.svg").exists());

    // Aliases make files of their own: every stage runs.
    std::fs::write(
        session.path(twin),
        "+++\ntitle = \"Jumelle\"\naliases = [\"ancienne-adresse\"]\n+++\nTexte.\n",
    )
    .unwrap();
    let rebuilt = session.rebuild_equals_full_build(&[twin]).pages;
    assert!(incremental(&rebuilt), "{rebuilt:?}");
}

#[test]
fn open_pages_are_written_before_the_rest() {
    let mut session = Session::start();
    let live = session.live.clone();
    // What the rebuild had written when it said the open pages were.
    type Seen = (Vec<String>, Vec<(String, String)>, Vec<(String, bool)>);
    // Which of the `watched` files show their text then.
    let look = |watched: &[(&str, &str)]| {
        let live = live.clone();
        let watched: Vec<(String, String)> = watched
            .iter()
            .map(|(path, text)| (path.to_string(), text.to_string()))
            .collect();
        move |paths: &[String], moved: &[(String, String)], seen: &mut Option<Seen>| {
            assert!(seen.is_none(), "told twice");
            let state = watched
                .iter()
                .map(|(path, shown)| {
                    let text = std::fs::read_to_string(live.join(path)).unwrap_or_default();
                    (path.clone(), text.contains(shown.as_str()))
                })
                .collect();
            *seen = Some((paths.to_vec(), moved.to_vec(), state));
        }
    };
    let open = |paths: &[&str]| paths.iter().map(|p| p.to_string()).collect();

    // A new page at the top of the news: of the open pages, the list and
    // its theme's page change (an English list and a page about something
    // else do not); they are written first, the new page's own after.
    let french = "content/news/2026-11-02-nouvelle-breve.fr.md";
    std::fs::write(session.path(french), NEW_BRIEF).unwrap();
    let (list, theme) = ("fr/actualites/index.html", "fr/themes/diasporas/index.html");
    let own = "fr/actualites/nouvelle-breve/index.html";
    let mut seen = None;
    let title = "Une nouvelle brève";
    let check = look(&[(list, title), (theme, title), (own, title)]);
    let mut written = |paths: Vec<String>, moved: &[(String, String)]| {
        check(&paths, moved, &mut seen);
    };
    let rebuilt = session
        .rebuild_open_equals_full_build(
            &[french],
            Some(OpenPages {
                paths: open(&[list, theme, "en/news/index.html", "fr/a-propos/index.html"]),
                written: &mut written,
            }),
        )
        .pages;
    assert!(incremental(&rebuilt), "{rebuilt:?}");
    let (paths, moved, state) = seen.expect("the open pages were not written first");
    assert_eq!(paths, [list, theme]);
    assert!(moved.is_empty());
    assert_eq!(
        state,
        [
            (list.to_string(), true),
            (theme.to_string(), true),
            (own.to_string(), false)
        ]
    );

    // A new slug: the page open at its old address is written at its new
    // one first, and said to have moved there.
    session.edit(french, |text| {
        text.replacen("+++\n", "+++\nslug = \"breve-deplacee\"\n", 1)
    });
    let new_address = "fr/actualites/breve-deplacee/index.html";
    let mut seen = None;
    let check = look(&[
        (new_address, title),
        (list, "/fr/actualites/breve-deplacee/"),
    ]);
    let mut written = |paths: Vec<String>, moved: &[(String, String)]| {
        check(&paths, moved, &mut seen);
    };
    session.rebuild_open_equals_full_build(
        &[french],
        Some(OpenPages {
            paths: open(&[own]),
            written: &mut written,
        }),
    );
    let (paths, moved, state) = seen.expect("the moved page was not written first");
    assert_eq!(paths, [new_address]);
    assert_eq!(
        moved,
        [(
            "/fr/actualites/nouvelle-breve/".to_string(),
            "/fr/actualites/breve-deplacee/".to_string()
        )]
    );
    // The list still led to the old address then.
    assert_eq!(
        state,
        [(new_address.to_string(), true), (list.to_string(), false)]
    );
    let list_then = std::fs::read_to_string(session.live.join(list)).unwrap();
    assert!(list_then.contains("/fr/actualites/breve-deplacee/"));

    // An edit of the text alone renders one page, which goes first too
    // (before the feeds, the sitemap and the writing of the rest); an
    // open page the edit does not change is not written.
    session.edit(french, |text| text.replace("Un texte.", "Un autre texte."));
    let mut told = Vec::new();
    let mut written = |paths: Vec<String>, _: &[(String, String)]| told.push(paths);
    let rebuilt = session.rebuild_open_equals_full_build(
        &[french],
        Some(OpenPages {
            paths: open(&[new_address, "en/news/index.html"]),
            written: &mut written,
        }),
    );
    assert_eq!(told, [vec![new_address.to_string()]], "{:?}", rebuilt.pages);
}

#[test]
fn a_failed_rebuild_puts_back_the_pages_written_ahead() {
    let mut session = Session::start();
    let before = tree(&session.live);
    // An event named after a year takes its year page's address; the
    // calendar that lists it is open, and is written first.
    let event = "content/activities/2030.fr.md";
    std::fs::write(
        session.path(event),
        "+++\ntitle = \"Année\"\ndate = 2026-01-01\nstart = 2030-03-01\nend = 2030-03-02\n\
         location = \"Rabat\"\nkind = \"meeting\"\n+++\nTexte.\n",
    )
    .unwrap();
    let calendar = "fr/activites/index.html";
    let mut ahead = Vec::new();
    let mut written = |paths: Vec<String>, _: &[(String, String)]| {
        let shown = std::fs::read_to_string(session.live.join(calendar)).unwrap();
        ahead.push((paths, shown.contains("Année")));
    };
    let open = OpenPages {
        paths: [calendar.to_string()].into(),
        written: &mut written,
    };
    let failed = session
        .rebuilder
        .rebuild_open(&[event.to_string()], Some(open));
    let errors = format!("{:?}", failed.unwrap_err().into_diagnostics());
    assert!(errors.contains("same_file"), "{errors}");
    assert_eq!(ahead, [(vec![calendar.to_string()], true)]);
    assert!(tree(&session.live) == before, "the output is not as it was");
    // Fixed, the next rebuild gives the full build.
    std::fs::remove_file(session.path(event)).unwrap();
    session.rebuild_equals_full_build(&[event]);

    // A new page naming a template that does not exist fails before
    // anything is written first.
    let before = tree(&session.live);
    let typo = "content/news/2026-11-06-coquille.fr.md";
    std::fs::write(
        session.path(typo),
        "+++\ntitle = \"Coquille\"\ntemplate = \"artcle.html\"\n+++\nTexte.\n",
    )
    .unwrap();
    let mut told = false;
    let mut written = |_: Vec<String>, _: &[(String, String)]| told = true;
    let open = OpenPages {
        paths: ["fr/actualites/index.html".to_string()].into(),
        written: &mut written,
    };
    let failed = session
        .rebuilder
        .rebuild_open(&[typo.to_string()], Some(open));
    let errors = format!("{:?}", failed.unwrap_err().into_diagnostics());
    assert!(errors.contains("artcle.html"), "{errors}");
    assert!(!told);
    assert!(tree(&session.live) == before, "the output is not as it was");
}
