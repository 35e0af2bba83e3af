//! `build --cache DIR`: what a build leaves for the next one on disk, so
//! that CI renders again only the pages a merge changed.
//!
//! The cache holds the records of the render stage (each page's job, what
//! it read, the hash each read had; see [`crate::render::engine`]) and the
//! hash of each page file it wrote. The pages themselves stay in the
//! output folder: the next build takes a page from there only if the file
//! still has the hash it was written with. A cache written by another
//! version of portail, for another configuration, or that does not read
//! back whole is ignored, and the build says so in one line.

use std::path::{Path, PathBuf};

use bincode::Options;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::memo::{self, Key};
use crate::messages::Message;
use crate::output::{Content, Origin, OutputFile, OutputSet, is_safe_relative};
use crate::render::engine::{Job, Record, Recorded};
use crate::render::reads::Read;

/// The cache's file in its folder.
const FILE: &str = "render.bin";

/// Bumped whenever what is stored changes shape.
const FORMAT: u32 = 1;

/// Where `build --cache` keeps its cache when no folder is given, below
/// the site's folder.
pub const DEFAULT_DIR: &str = ".portail-cache";

/// How the cache is encoded; reading never goes past `limit` bytes (a
/// damaged length cannot ask for more memory than the file holds), and
/// bytes after the end are an error.
fn encoding(limit: usize) -> impl bincode::Options {
    use bincode::Options;
    bincode::DefaultOptions::new().with_limit(limit as u64)
}

/// The stored form.
#[derive(Serialize, Deserialize)]
struct Stored {
    format: u32,
    version: String,
    /// See [`settings_key`].
    settings: Key,
    jobs: Vec<(Job, Record)>,
    hashes: Vec<(Read, Key)>,
    /// Each page file's path in the output, what made it, and the hash of
    /// its bytes.
    files: Vec<(String, Origin, Key)>,
}

/// What a build takes from the cache: the records, and the page files of
/// the output folder that still hold what the records say.
pub struct Previous {
    pub recorded: Recorded,
    pub files: OutputSet,
    /// The hash of each of those files, by path.
    pub hashes: FxHashMap<String, Key>,
}

/// The configuration a cache was made for: `config.toml` as written and
/// the command line's overrides.
pub fn settings_key(root: &Path, base_url: Option<&str>, drafts: bool) -> Key {
    let config = std::fs::read(root.join(crate::load::config::CONFIG_FILE)).unwrap_or_default();
    memo::key_of(&(config, base_url, drafts))
}

/// Reads the cache in `dir` for a build into `output`. Without a usable
/// cache: `None`, and why, unless there was simply none yet.
pub fn load(dir: &Path, settings: Key, output: &Path) -> (Option<Previous>, Option<Message>) {
    let bytes = match std::fs::read(dir.join(FILE)) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return (None, None),
        Err(error) => return (None, Some(msg!("cache.unreadable", error))),
    };
    let stored: Stored = match encoding(bytes.len()).deserialize(&bytes) {
        Ok(stored) => stored,
        Err(_) => return (None, Some(msg!("cache.corrupt"))),
    };
    if stored.format != FORMAT || stored.version != env!("CARGO_PKG_VERSION") {
        return (
            None,
            Some(msg!("cache.other_version", version = stored.version)),
        );
    }
    if stored.settings != settings {
        return (None, Some(msg!("cache.other_settings")));
    }
    // A path that could lead out of the output folder was never written
    // by portail.
    if !stored
        .files
        .iter()
        .all(|(path, _, _)| is_safe_relative(path))
    {
        return (None, Some(msg!("cache.corrupt")));
    }
    let recorded = Recorded::from_parts(
        stored.jobs.into_iter().collect(),
        stored.hashes.into_iter().collect(),
    );
    let kept: Vec<(OutputFile, Key)> = stored
        .files
        .into_par_iter()
        .filter_map(|(path, origin, hash)| {
            let file = output.join(&path);
            let bytes = std::fs::read(&file).ok()?;
            (memo::key_of(&bytes) == hash).then(|| {
                let kept = OutputFile {
                    path,
                    content: Content::Kept(file),
                    origin,
                };
                (kept, hash)
            })
        })
        .collect();
    let mut files = OutputSet::default();
    let mut hashes = FxHashMap::default();
    for (file, hash) in kept {
        hashes.insert(file.path.clone(), hash);
        files.replace(file);
    }
    let previous = Previous {
        recorded,
        files,
        hashes,
    };
    (Some(previous), None)
}

/// Writes the cache of a build whose pages `recorded` records and whose
/// output is `set` (`kept`: the hashes of the files it took from the
/// output before). Written beside, then renamed: a cache is never half
/// written.
pub fn save(
    dir: &Path,
    settings: Key,
    recorded: &Recorded,
    set: &OutputSet,
    kept: Option<&FxHashMap<String, Key>>,
) -> std::io::Result<()> {
    let (jobs, hashes) = recorded.parts();
    let paths: Vec<&String> = jobs.values().flat_map(|r| &r.paths).collect();
    let files: Vec<(String, Origin, Key)> = paths
        .into_par_iter()
        .filter_map(|path| {
            let file = set.files.get(path)?;
            let hash = match &file.content {
                Content::Bytes(bytes) => memo::key_of(&bytes.as_slice()),
                Content::Kept(_) => *kept?.get(path)?,
                // A file of the cache (a share card): its bytes.
                Content::Cached(source) => memo::key_of(&std::fs::read(source).ok()?.as_slice()),
                _ => return None,
            };
            Some((path.clone(), file.origin.clone(), hash))
        })
        .collect();
    let stored = Stored {
        format: FORMAT,
        version: env!("CARGO_PKG_VERSION").to_string(),
        settings,
        jobs: jobs.iter().map(|(j, r)| (j.clone(), r.clone())).collect(),
        hashes: hashes.iter().map(|(r, h)| (r.clone(), *h)).collect(),
        files,
    };
    let bytes = encoding(usize::MAX)
        .serialize(&stored)
        .map_err(std::io::Error::other)?;
    std::fs::create_dir_all(dir)?;
    let beside: PathBuf = dir.join(format!("{FILE}.new"));
    std::fs::write(&beside, bytes)?;
    std::fs::rename(&beside, dir.join(FILE))
}
