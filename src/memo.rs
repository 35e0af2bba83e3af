//! What a build can reuse from the build before it. `serve` rebuilds after
//! every save; most saves change one file, so most Markdown bodies, pages
//! and search indexes come out as before. Each stage keys its results by a
//! 128-bit hash of what it reads from the content (a page's variables, a
//! body's text and link targets, a document's fields), so a result is
//! reused exactly when those are the same, and the output equals a full
//! build's.
//!
//! The rest of what stages read (config, templates, theme, data, UI
//! strings) is not in the keys: a change to any of it starts a new memo.

use std::hash::{Hash, Hasher};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rustc_hash::FxHashMap as HashMap;
use xxhash_rust::xxh3::Xxh3;

/// A 128-bit digest: collisions are out of reach for any real site.
pub type Key = u128;

/// A hasher for memo keys.
pub fn hasher() -> Digest {
    Digest(Xxh3::new())
}

/// Hashes one value.
pub fn key_of(value: &impl Hash) -> Key {
    let mut h = hasher();
    value.hash(&mut h);
    h.key()
}

/// Feeds a memo key (XXH3, 128 bits: fast on the many small writes of a
/// page's variables). On the stack: a rebuild works out many small keys,
/// and an allocation each cost more than hashing them.
pub struct Digest(Xxh3);

impl Digest {
    pub fn key(&self) -> Key {
        self.0.digest128()
    }
}

impl Hasher for Digest {
    fn finish(&self) -> u64 {
        self.0.digest()
    }

    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }
}

/// Results of one stage: those of the previous build, and those this
/// build used, which the next build will look in.
pub struct Recall<V> {
    enabled: bool,
    previous: HashMap<Key, V>,
    current: Mutex<HashMap<Key, V>>,
    reused: AtomicUsize,
    computed: AtomicUsize,
    /// Whether the previous results go on to the next build too (when
    /// results were taken without their keys, see [`Self::carry_previous`]).
    carry: AtomicBool,
}

impl<V: Clone> Recall<V> {
    /// Remembers nothing: a one-off build.
    pub fn off() -> Self {
        Self::with(false, HashMap::default())
    }

    /// Starts remembering, with nothing to reuse yet.
    pub fn on() -> Self {
        Self::with(true, HashMap::default())
    }

    /// [`Self::on`] or [`Self::off`].
    pub fn new(remember: bool) -> Self {
        Self::with(remember, HashMap::default())
    }

    fn with(enabled: bool, previous: HashMap<Key, V>) -> Self {
        // This build will keep about as many results as the one before.
        let current = HashMap::with_capacity_and_hasher(previous.len(), Default::default());
        Recall {
            enabled,
            previous,
            current: Mutex::new(current),
            reused: AtomicUsize::new(0),
            computed: AtomicUsize::new(0),
            carry: AtomicBool::new(false),
        }
    }

    /// The previous result for `key` (computed only if this memo
    /// remembers), else `compute`'s (kept when it succeeds).
    pub fn get_or_try<E>(
        &self,
        key: impl FnOnce() -> Key,
        compute: impl FnOnce() -> Result<V, E>,
    ) -> Result<V, E> {
        self.get_valid(key, |_| true, compute)
    }

    /// [`Self::get_or_try`], for results that may have gone stale for a
    /// reason outside their key: a previous result counts only if `valid`.
    pub fn get_valid<E>(
        &self,
        key: impl FnOnce() -> Key,
        valid: impl Fn(&V) -> bool,
        compute: impl FnOnce() -> Result<V, E>,
    ) -> Result<V, E> {
        if !self.enabled {
            self.computed.fetch_add(1, Ordering::Relaxed);
            return compute();
        }
        let key = key();
        let found = self
            .previous
            .get(&key)
            .cloned()
            .or_else(|| {
                self.current
                    .lock()
                    .ok()
                    .and_then(|current| current.get(&key).cloned())
            })
            .filter(|value| valid(value));
        let value = match found {
            Some(value) => {
                self.reused.fetch_add(1, Ordering::Relaxed);
                value
            }
            None => {
                self.computed.fetch_add(1, Ordering::Relaxed);
                compute()?
            }
        };
        if let Ok(mut current) = self.current.lock() {
            current.insert(key, value.clone());
        }
        Ok(value)
    }

    /// Carries the previous result for `key` into the next build without
    /// using it (for parts of a result that was reused whole).
    pub fn keep(&self, key: impl FnOnce() -> Key) {
        if !self.enabled {
            return;
        }
        let key = key();
        if let Some(value) = self.previous.get(&key)
            && let Ok(mut current) = self.current.lock()
        {
            current.entry(key).or_insert_with(|| value.clone());
        }
    }

    /// Keeps every previous result for the next build, used or not: for a
    /// build that took results without working out their keys (they are
    /// those of the build before).
    pub fn carry_previous(&self) {
        self.carry.store(true, Ordering::Relaxed);
    }

    /// Counts `n` results taken without their keys as reused.
    pub fn count_reused(&self, n: usize) {
        self.reused.fetch_add(n, Ordering::Relaxed);
    }

    /// Starts counting afresh (a failed build's counts are not the next one's).
    pub fn reset_counts(&self) {
        self.reused.store(0, Ordering::Relaxed);
        self.computed.store(0, Ordering::Relaxed);
    }

    /// What the next build may reuse: the results this build used or kept
    /// (results no page needs any more are forgotten).
    pub fn next(self) -> Self {
        let mut current = self.current.into_inner().unwrap_or_default();
        if self.carry.into_inner() {
            for (key, value) in self.previous {
                current.entry(key).or_insert(value);
            }
        }
        Self::with(self.enabled, current)
    }

    /// [`Self::get_or_try`] for computations that cannot fail.
    pub fn get(&self, key: impl FnOnce() -> Key, compute: impl FnOnce() -> V) -> V {
        let result: Result<V, std::convert::Infallible> = self.get_or_try(key, || Ok(compute()));
        match result {
            Ok(value) => value,
            Err(never) => match never {},
        }
    }

    /// Whether results are kept (else keys need not be computed).
    pub fn remembers(&self) -> bool {
        self.enabled
    }

    /// How many results were reused and how many computed.
    pub fn counts(&self) -> Counts {
        Counts {
            reused: self.reused.load(Ordering::Relaxed),
            computed: self.computed.load(Ordering::Relaxed),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub reused: usize,
    pub computed: usize,
}

impl Counts {
    pub fn total(self) -> usize {
        self.reused + self.computed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reuses_only_what_the_last_build_used() {
        let memo: Recall<String> = Recall::on();
        let a = memo.get_or_try::<()>(|| key_of(&"a"), || Ok("A".into()));
        assert_eq!(a, Ok("A".to_string()));
        let memo = memo.next();
        let again = memo.get_or_try::<()>(|| key_of(&"a"), || Ok("changed".into()));
        assert_eq!(again, Ok("A".to_string()));
        let b = memo.get_or_try::<()>(|| key_of(&"b"), || Ok("B".into()));
        assert_eq!(b, Ok("B".to_string()));
        assert_eq!(
            memo.counts(),
            Counts {
                reused: 1,
                computed: 1
            }
        );
        // `a` was used by this build, so the next one still has it; a
        // failure is never remembered.
        let memo = memo.next();
        assert_eq!(memo.get_or_try::<()>(|| key_of(&"c"), || Err(())), Err(()));
        let memo = memo.next();
        assert_eq!(
            memo.get_or_try::<()>(|| key_of(&"c"), || Ok("C".into())),
            Ok("C".to_string())
        );
    }

    #[test]
    fn a_memo_that_is_off_always_computes() {
        let memo: Recall<u8> = Recall::off();
        assert_eq!(memo.get_or_try::<()>(|| 1, || Ok(1)), Ok(1));
        assert_eq!(memo.get_or_try::<()>(|| 1, || Ok(2)), Ok(2));
        assert_eq!(memo.counts().computed, 2);
        let memo = memo.next();
        assert_eq!(memo.get_or_try::<()>(|| 1, || Ok(3)), Ok(3));
    }

    #[test]
    fn kept_results_survive_a_build_that_did_not_use_them() {
        let memo: Recall<u8> = Recall::on();
        let _ = memo.get(|| 1, || 1);
        let memo = memo.next();
        memo.keep(|| 1);
        let memo = memo.next();
        assert_eq!(memo.get(|| 1, || 2), 1);
        assert_eq!(memo.counts().reused, 1);
        memo.reset_counts();
        assert_eq!(memo.counts(), Counts::default());
    }
}
