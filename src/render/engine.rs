//! Which outputs a build renders and which it takes from the build before.
//!
//! Every page rendered from a template is a [`Job`]; the build records
//! what each job read ([`Reads`](super::reads)) and which files it made.
//! The next build compares each read's hash with the one it had: the jobs
//! that read something whose hash changed (found through the reverse
//! index, [`Recorded::readers`]) are rendered again, and so are jobs new to
//! the site; the others keep their files. Jobs whose doc, term or language
//! is gone are simply not asked for, so their files leave the output.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::Pagers;
use super::reads::{Hashes, Name, Read, TermName};
use crate::memo::Key as Digest;
use crate::output::{OutputFile, OutputSet};

/// A page, or a page of a list, rendered from a template.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
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
#[derive(Debug, Clone)]
pub struct Record {
    pub reads: Vec<Read>,
    /// The paths of its files.
    pub paths: Vec<String>,
}

/// The jobs of a build, what each read and the hash each read had.
#[derive(Debug, Default)]
pub struct Recorded {
    pub jobs: HashMap<Job, Record>,
    pub hashes: HashMap<Read, Digest>,
}

impl Recorded {
    /// The records of `jobs`, with the hashes their reads have in `hashes`.
    pub fn new(jobs: HashMap<Job, Record>, hashes: &Hashes) -> Recorded {
        let mut known = HashMap::new();
        for record in jobs.values() {
            for read in &record.reads {
                if !known.contains_key(read)
                    && let Some(hash) = hashes.get(read)
                {
                    known.insert(read.clone(), hash);
                }
            }
        }
        Recorded {
            jobs,
            hashes: known,
        }
    }

    /// The reverse index: each read, and the jobs that read it.
    pub fn readers(&self) -> HashMap<&Read, Vec<&Job>> {
        let mut readers: HashMap<&Read, Vec<&Job>> = HashMap::new();
        for (job, record) in &self.jobs {
            for read in &record.reads {
                readers.entry(read).or_default().push(job);
            }
        }
        readers
    }

    /// The reads whose hash is not what it was.
    pub fn changed<'r>(&'r self, now: &Hashes) -> Vec<&'r Read> {
        self.hashes
            .iter()
            .filter(|(read, hash)| now.get(read) != Some(**hash))
            .map(|(read, _)| read)
            .collect()
    }
}

/// A job kept from the build before: its files and what it read.
pub type Kept = (Job, Vec<OutputFile>, Vec<Read>);

/// What this build renders: every job, but those the build before made
/// whose reads all kept their hash.
pub struct Plan<'p> {
    previous: Option<(&'p Recorded, &'p OutputSet)>,
    dirty: HashSet<&'p Job>,
}

impl<'p> Plan<'p> {
    /// Renders everything.
    pub fn all() -> Self {
        Plan {
            previous: None,
            dirty: HashSet::new(),
        }
    }

    /// Renders what changed since `recorded`, whose files are in `files`.
    pub fn since(recorded: &'p Recorded, files: &'p OutputSet, now: &Hashes) -> Self {
        let changed = recorded.changed(now);
        let dirty = if changed.is_empty() {
            HashSet::new()
        } else {
            let readers = recorded.readers();
            changed
                .iter()
                .filter_map(|read| readers.get(read))
                .flatten()
                .copied()
                .collect()
        };
        Plan {
            previous: Some((recorded, files)),
            dirty,
        }
    }

    /// How many jobs of the build before must be rendered again.
    pub fn dirty(&self) -> usize {
        self.dirty.len()
    }

    /// The files of `job` as the build before made them, and what it
    /// read, if its reads kept their hashes.
    pub fn reuse(&self, job: &Job) -> Option<(Vec<OutputFile>, Vec<Read>)> {
        let (recorded, files) = self.previous?;
        if self.dirty.contains(job) {
            return None;
        }
        let record = recorded.jobs.get(job)?;
        let kept = record
            .paths
            .iter()
            .map(|path| files.files.get(path).cloned())
            .collect::<Option<Vec<_>>>()?;
        Some((kept, record.reads.clone()))
    }

    /// The pages of a list to render (`job` names page `n`), and those
    /// kept: all pages are rendered when none was made before, or when
    /// every one must be (the list's length may have changed); else those
    /// whose reads changed.
    pub fn pagers(&self, job: impl Fn(usize) -> Job) -> (Pagers, Vec<Kept>) {
        let mut renew = std::collections::BTreeSet::new();
        let mut kept = Vec::new();
        let mut n = 1;
        while self
            .previous
            .is_some_and(|(r, _)| r.jobs.contains_key(&job(n)))
        {
            match self.reuse(&job(n)) {
                Some((files, reads)) => kept.push((job(n), files, reads)),
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
