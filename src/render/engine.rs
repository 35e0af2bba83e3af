//! Which outputs a build renders and which it takes from the build before.
//!
//! Every page rendered from a template is a [`Job`]; the build records
//! what each job read ([`Reads`](super::reads)) and which files it made.
//! The next build compares each read's hash with the one it had: the jobs
//! that read something whose hash changed (found through the reverse
//! index, [`Recorded::readers`]) are rendered again, and so are jobs new to
//! the site; the others keep their files. Jobs whose doc, term or language
//! is gone are simply not asked for, so their files leave the output.

use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use super::Pagers;
use super::reads::{Hashes, Name, Read, TermName};
use crate::memo::Key as Digest;
use crate::output::{OutputFile, OutputSet};
use crate::site::{DocId, Site};

/// A page, or a page of a list, rendered from a template.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Job {
    /// A doc's page, or page `n` of its section's list (the first also
    /// makes the section's year pages).
    Doc(Name, usize),
    /// A taxonomy's list of terms in a language.
    Taxonomy { taxonomy: Name, lang: Name },
    /// Page `n` of a term's list.
    Term(TermName, usize),
    /// A language's search page.
    Search(Name),
    /// A language's "page not found".
    NotFound(Name),
    /// A page for every language at once, by its path.
    Bilingual(Name),
}

/// What one job read and made.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    pub reads: Vec<Read>,
    /// The paths of its files.
    pub paths: Vec<String>,
    /// Its files, when this process made them (not kept in a cache): a
    /// build that keeps them takes them from here rather than looking
    /// each up in the output.
    #[serde(skip)]
    pub files: Vec<OutputFile>,
}

/// The jobs of a build, what each read, the hash each read had, and the
/// reverse index: each read and the jobs that read it. A build brings it
/// up to date with the jobs it rendered ([`Self::update`]).
#[derive(Debug, Default)]
pub struct Recorded {
    jobs: FxHashMap<Job, Record>,
    hashes: FxHashMap<Read, Digest>,
    readers: FxHashMap<Read, FxHashSet<Job>>,
}

/// What a build rendered and what it kept, for [`Recorded::update`].
#[derive(Debug, Default)]
pub struct Done {
    /// The jobs rendered anew, with their records.
    pub rendered: Vec<(Job, Record)>,
    /// The jobs whose files were kept from the build before.
    pub kept: FxHashSet<Job>,
}

impl Recorded {
    /// The records of a build that rendered every job.
    pub fn new(done: Done, hashes: &Hashes) -> Recorded {
        let mut recorded = Recorded::default();
        recorded.update(done, hashes);
        recorded
    }

    /// Every job and its record, and every read with its hash: what a
    /// cache keeps.
    pub fn parts(&self) -> (&FxHashMap<Job, Record>, &FxHashMap<Read, Digest>) {
        (&self.jobs, &self.hashes)
    }

    /// Records read back from a cache (see [`Self::parts`]).
    pub fn from_parts(jobs: FxHashMap<Job, Record>, hashes: FxHashMap<Read, Digest>) -> Self {
        let mut readers: FxHashMap<Read, FxHashSet<Job>> = FxHashMap::default();
        for (job, record) in &jobs {
            for read in &record.reads {
                readers.entry(read.clone()).or_default().insert(job.clone());
            }
        }
        Recorded {
            jobs,
            hashes,
            readers,
        }
    }

    /// What `job` read and made, as recorded.
    pub fn get(&self, job: &Job) -> Option<&Record> {
        self.jobs.get(job)
    }

    /// The jobs that read something whose hash is not what it was.
    pub fn dirty(&self, now: &Hashes) -> FxHashSet<Job> {
        let mut dirty = FxHashSet::default();
        for (read, hash) in &self.hashes {
            if now.get(read) != Some(*hash)
                && let Some(jobs) = self.readers.get(read)
            {
                dirty.extend(jobs.iter().cloned());
            }
        }
        dirty
    }

    /// Brings the records up to date with a build: the jobs it rendered
    /// replace their records, the jobs it neither rendered nor kept are
    /// gone, and every read keeps the hash it has `now`.
    pub fn update(&mut self, done: Done, now: &Hashes) {
        let gone: Vec<Job> = self
            .jobs
            .keys()
            .filter(|job| !done.kept.contains(*job))
            .cloned()
            .collect();
        for job in gone {
            if let Some(record) = self.jobs.remove(&job) {
                self.unlink(&job, &record.reads);
            }
        }
        for (job, record) in done.rendered {
            for read in &record.reads {
                self.readers
                    .entry(read.clone())
                    .or_default()
                    .insert(job.clone());
                if let Some(hash) = now.get(read) {
                    self.hashes.insert(read.clone(), hash);
                }
            }
            self.jobs.insert(job, record);
        }
    }

    /// Takes `job` out of the readers of `reads`; a read nobody reads any
    /// more is forgotten.
    fn unlink(&mut self, job: &Job, reads: &[Read]) {
        for read in reads {
            if let Some(jobs) = self.readers.get_mut(read) {
                jobs.remove(job);
                if jobs.is_empty() {
                    self.readers.remove(read);
                    self.hashes.remove(read);
                }
            }
        }
    }
}

/// A job kept from the build before, and its files.
pub type Kept = (Job, Vec<OutputFile>);

/// What this build renders: every job, but those the build before made
/// whose reads all kept their hash.
pub struct Plan<'p> {
    previous: Option<(&'p Recorded, &'p OutputSet)>,
    dirty: FxHashSet<Job>,
}

impl<'p> Plan<'p> {
    /// Renders everything.
    pub fn all() -> Self {
        Plan {
            previous: None,
            dirty: FxHashSet::default(),
        }
    }

    /// Renders what changed since `recorded`, whose files are in `files`.
    pub fn since(recorded: &'p Recorded, files: &'p OutputSet, now: &Hashes) -> Self {
        Plan {
            previous: Some((recorded, files)),
            dirty: recorded.dirty(now),
        }
    }

    /// The docs with a page to render anew, which come first: those with
    /// a page that read something that changed and, unless `known` (the
    /// docs are those of the build before), those new since; `None` when
    /// every page is rendered (no build before).
    pub fn renewed_docs(&self, site: &Site, known: bool) -> Option<Vec<DocId>> {
        let (recorded, _) = self.previous?;
        let mut ids: Vec<DocId> = (self.dirty.iter())
            .filter_map(|job| match job {
                Job::Doc(name, _) => site
                    .docs
                    .binary_search_by(|doc| doc.source.rel_path.as_str().cmp(name))
                    .ok()
                    .map(DocId),
                _ => None,
            })
            .collect();
        if !known {
            let new = |id: &DocId| {
                let name = name(&site.doc(*id).source.rel_path);
                recorded.get(&Job::Doc(name, 1)).is_none()
            };
            ids.extend(site.doc_ids().filter(new));
        }
        ids.sort_unstable();
        ids.dedup();
        Some(ids)
    }

    /// Whether a page that belongs to no doc is rendered anew.
    pub fn renews_other_pages(&self) -> bool {
        self.dirty.iter().any(|job| !matches!(job, Job::Doc(..)))
    }

    /// The files of `job` as the build before made them, if its reads
    /// kept their hashes.
    pub fn reuse(&self, job: &Job) -> Option<Vec<OutputFile>> {
        let (recorded, files) = self.previous?;
        if self.dirty.contains(job) {
            return None;
        }
        let record = recorded.get(job)?;
        if record.files.len() == record.paths.len() {
            return Some(record.files.clone());
        }
        (record.paths.iter())
            .map(|path| files.files.get(path).cloned())
            .collect()
    }

    /// The pages of a list to render (`job` names page `n`), and those
    /// kept: all pages are rendered when none was made before, or when
    /// every one must be (the list's length may have changed); else those
    /// whose reads changed.
    pub fn pagers(&self, job: impl Fn(usize) -> Job) -> (Pagers, Vec<Kept>) {
        let mut renew = std::collections::BTreeSet::new();
        let mut kept = Vec::new();
        let mut n = 1;
        while self.previous.is_some_and(|(r, _)| r.get(&job(n)).is_some()) {
            match self.reuse(&job(n)) {
                Some(files) => kept.push((job(n), files)),
                None => {
                    renew.insert(n);
                }
            }
            n += 1;
        }
        if n == 1 || renew.len() == n - 1 {
            (Pagers::All, Vec::new())
        } else {
            (Pagers::Only(renew), kept)
        }
    }
}

/// A name for a job's key.
pub fn name(text: &str) -> Name {
    Arc::from(text)
}
