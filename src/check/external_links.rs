//! `portail check --external`: links to other sites, checked over HTTP with
//! a few requests at a time per host, a timeout, retries for passing
//! failures, and a cache file so that a nightly run asks each site only
//! about what it has not confirmed lately.

use std::collections::{BTreeMap, VecDeque};
use std::path::Path;
use std::sync::{Condvar, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::messages::Message;

/// How the external check behaves.
#[derive(Debug, Clone)]
pub struct Settings {
    pub timeout: Duration,
    /// Extra attempts after a timeout, a connection failure, a 429 or a 5xx.
    pub retries: u32,
    /// Requests in flight at once to one host.
    pub per_host: usize,
    /// Requests in flight at once in all.
    pub parallel: usize,
    /// How long a working link is trusted without asking again.
    pub cache_for: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            timeout: Duration::from_secs(10),
            retries: 2,
            per_host: 2,
            parallel: 16,
            cache_for: Duration::from_secs(7 * 24 * 3600),
        }
    }
}

/// The verdict on one URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "kebab-case")]
pub enum Verdict {
    Ok,
    /// Works, but answers with a permanent redirect to `to`.
    Moved {
        to: String,
    },
    Broken {
        reason: Reason,
    },
}

/// Why a link is broken. Rendered in the reader's language; the cache keeps
/// it in English, and reads it back as plain text (broken links are checked
/// again anyway).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason(pub Message);

impl Serialize for Reason {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0.render(crate::messages::MessageLang::En))
    }
}

impl<'de> Deserialize<'de> for Reason {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|text| Reason(Message::raw(text)))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct CacheEntry {
    #[serde(flatten)]
    verdict: Verdict,
    /// Seconds since 1970.
    checked: u64,
}

/// The cache file: URL → last verdict. Only good verdicts are reused.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Cache {
    links: BTreeMap<String, CacheEntry>,
}

impl Cache {
    /// Reads the cache; a missing or unreadable one is an empty cache.
    pub fn load(path: &Path) -> Cache {
        std::fs::read_to_string(path)
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    }

    /// Writes the cache through a temporary file, so that it is never half-written.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, text + "\n")?;
        std::fs::rename(&tmp, path)
    }

    fn fresh(&self, url: &str, now: u64, cache_for: Duration) -> Option<Verdict> {
        let entry = self.links.get(url)?;
        let good = !matches!(entry.verdict, Verdict::Broken { .. });
        (good && now.saturating_sub(entry.checked) < cache_for.as_secs())
            .then(|| entry.verdict.clone())
    }
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Checks `urls`, using and updating `cache`. Returns a verdict per URL.
pub fn check(urls: &[String], cache: &mut Cache, settings: &Settings) -> BTreeMap<String, Verdict> {
    let now = now_secs();
    let mut verdicts = BTreeMap::new();
    // Work is queued per host: each host gets at most `per_host` lanes.
    let mut lanes: BTreeMap<(String, usize), Vec<String>> = BTreeMap::new();
    let mut per_host_count: BTreeMap<String, usize> = BTreeMap::new();
    for url in urls {
        if let Some(verdict) = cache.fresh(url, now, settings.cache_for) {
            verdicts.insert(url.clone(), verdict);
            continue;
        }
        let host = host_of(url);
        let n = per_host_count.entry(host.clone()).or_insert(0);
        lanes
            .entry((host, *n % settings.per_host.max(1)))
            .or_default()
            .push(url.clone());
        *n += 1;
    }
    let queue = Mutex::new(lanes.into_values().collect::<VecDeque<_>>());
    let hosts = HostSlots::new(settings.per_host);
    let results = Mutex::new(Vec::new());
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(settings.timeout))
        .max_redirects(0)
        .http_status_as_error(false)
        .user_agent(concat!(
            "portail/",
            env!("CARGO_PKG_VERSION"),
            " (link checker)"
        ))
        .build()
        .into();
    let workers = settings
        .parallel
        .max(1)
        .min(queue.lock().map_or(0, |q| q.len()));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                // The guard moves into the closure: the lock is released at once.
                while let Some(lane) = queue.lock().ok().and_then(|mut q| q.pop_front()) {
                    for url in lane {
                        let verdict = check_one(&agent, &hosts, &url, settings);
                        if let Ok(mut results) = results.lock() {
                            results.push((url, verdict));
                        }
                    }
                }
            });
        }
    });
    for (url, verdict) in results.into_inner().unwrap_or_default() {
        cache.links.insert(
            url.clone(),
            CacheEntry {
                verdict: verdict.clone(),
                checked: now,
            },
        );
        verdicts.insert(url, verdict);
    }
    verdicts
}

/// How many requests each host has under way, capped at `per_host`.
struct HostSlots {
    per_host: usize,
    busy: Mutex<BTreeMap<String, usize>>,
    freed: Condvar,
}

impl HostSlots {
    fn new(per_host: usize) -> Self {
        HostSlots {
            per_host: per_host.max(1),
            busy: Mutex::new(BTreeMap::new()),
            freed: Condvar::new(),
        }
    }

    /// Runs `request` once `host` has a free slot. A request holds one slot
    /// only (a redirect waits for its new host after the first answered),
    /// so waiting cannot go round in circles.
    fn with_slot<T>(&self, host: &str, request: impl FnOnce() -> T) -> T {
        if let Ok(mut busy) = self.busy.lock() {
            while busy.get(host).copied().unwrap_or(0) >= self.per_host {
                busy = match self.freed.wait(busy) {
                    Ok(busy) => busy,
                    Err(_) => return request(),
                };
            }
            *busy.entry(host.to_string()).or_insert(0) += 1;
        }
        let result = request();
        if let Ok(mut busy) = self.busy.lock()
            && let Some(n) = busy.get_mut(host)
        {
            *n = n.saturating_sub(1);
        }
        self.freed.notify_all();
        result
    }
}

fn host_of(url: &str) -> String {
    url.split("://")
        .nth(1)
        .and_then(|rest| rest.split(['/', '?', '#']).next())
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// Asks for `url`, following up to five redirects, retrying passing failures.
fn check_one(agent: &ureq::Agent, hosts: &HostSlots, url: &str, settings: &Settings) -> Verdict {
    // Accents and spaces are sent percent-encoded, as browsers do.
    let url = match url::Url::parse(url) {
        Ok(parsed) => parsed.to_string(),
        Err(err) => {
            return Verdict::Broken {
                reason: Reason(msg!("external.invalid_address", error = err)),
            };
        }
    };
    let mut attempt = 0;
    loop {
        match follow(agent, hosts, &url, settings.timeout) {
            Ok(verdict) => return verdict,
            Err(Retry { reason, .. }) if attempt >= settings.retries => {
                return Verdict::Broken {
                    reason: Reason(reason),
                };
            }
            Err(Retry { after, .. }) => {
                attempt += 1;
                std::thread::sleep(pause(after, attempt));
            }
        }
    }
}

/// The longest pause before another try, whatever `Retry-After` says.
const LONGEST_WAIT: Duration = Duration::from_secs(10);

/// A failure worth another try, and when the site asked for it.
struct Retry {
    reason: Message,
    after: Option<Duration>,
}

impl Retry {
    fn now(reason: Message) -> Self {
        Retry {
            reason,
            after: None,
        }
    }
}

/// `Retry-After` in seconds (the date form is rare enough to ignore).
fn retry_after(response: &ureq::http::Response<ureq::Body>) -> Option<Duration> {
    seconds(response.headers().get("retry-after")?.to_str().ok()?)
}

fn seconds(value: &str) -> Option<Duration> {
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// How long to wait before try number `attempt` + 1: what the site asked
/// for, else a growing pause; a long wait would stall CI, so it is capped.
fn pause(asked: Option<Duration>, attempt: u32) -> Duration {
    asked
        .unwrap_or(Duration::from_millis(300 * u64::from(attempt)))
        .min(LONGEST_WAIT)
}

fn follow(
    agent: &ureq::Agent,
    hosts: &HostSlots,
    url: &str,
    timeout: Duration,
) -> Result<Verdict, Retry> {
    let mut current = url.to_string();
    let mut moved_to: Option<String> = None;
    for hop in 0..=5 {
        // Every request counts against its host's limit, redirects included.
        let response = match hosts.with_slot(&host_of(&current), || agent.get(&current).call()) {
            Ok(response) => response,
            Err(ureq::Error::Timeout(_)) => {
                return Err(Retry::now(msg!(
                    "external.timeout",
                    seconds = timeout.as_secs_f32()
                )));
            }
            Err(err) => return Err(Retry::now(msg!("external.cannot_connect", error = err))),
        };
        let status = response.status().as_u16();
        match status {
            200..=299 => {
                return Ok(match moved_to {
                    Some(to) => Verdict::Moved { to },
                    None => Verdict::Ok,
                });
            }
            300..=399 if hop < 5 => {
                let Some(location) = response
                    .headers()
                    .get("location")
                    .and_then(|v| v.to_str().ok())
                else {
                    return Ok(Verdict::Broken {
                        reason: Reason(msg!("external.redirect_nowhere", status)),
                    });
                };
                let Some(next) = join(&current, location) else {
                    return Ok(Verdict::Broken {
                        reason: Reason(msg!("external.redirect_invalid", status, location)),
                    });
                };
                // Only a permanent first hop is worth telling the author.
                if hop == 0 && matches!(status, 301 | 308) {
                    moved_to = Some(next.clone());
                }
                current = next;
            }
            300..=399 => {
                return Ok(Verdict::Broken {
                    reason: Reason(msg!("external.too_many_redirects")),
                });
            }
            429 | 500..=599 => {
                return Err(Retry {
                    reason: msg!("external.status", status),
                    after: retry_after(&response),
                });
            }
            _ => {
                return Ok(Verdict::Broken {
                    reason: Reason(msg!("external.status", status)),
                });
            }
        }
    }
    Ok(Verdict::Broken {
        reason: Reason(msg!("external.too_many_redirects")),
    })
}

/// Resolves a `Location` header against the URL that sent it.
fn join(base: &str, location: &str) -> Option<String> {
    let joined = url::Url::parse(base).ok()?.join(location).ok()?;
    Some(joined.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn busy_sites_are_asked_again_when_they_say() {
        assert_eq!(seconds(" 2 "), Some(Duration::from_secs(2)));
        assert_eq!(seconds("Wed, 21 Oct 2026 07:28:00 GMT"), None);
        assert_eq!(
            pause(Some(Duration::from_secs(2)), 1),
            Duration::from_secs(2)
        );
        assert_eq!(pause(Some(Duration::from_secs(3600)), 1), LONGEST_WAIT);
        assert_eq!(pause(None, 2), Duration::from_millis(600));
    }

    #[test]
    fn redirects_are_resolved() {
        let join = |b, l| join(b, l).unwrap();
        assert_eq!(join("http://a.org/x/y", "/z"), "http://a.org/z");
        assert_eq!(join("http://a.org/x/y", "z"), "http://a.org/x/z");
        assert_eq!(join("http://a.org", "/z"), "http://a.org/z");
        assert_eq!(join("http://a.org/x", "https://b.org/"), "https://b.org/");
        assert_eq!(join("https://a.org/x", "//cdn.org/a"), "https://cdn.org/a");
        assert_eq!(
            join("https://a.org/x", "/login?next=https://a.org/x"),
            "https://a.org/login?next=https://a.org/x"
        );
        assert_eq!(join("https://a.org/x?p=1", "?p=2"), "https://a.org/x?p=2");
    }

    #[test]
    fn only_recent_good_verdicts_are_reused() {
        let mut cache = Cache::default();
        let week = Duration::from_secs(7 * 24 * 3600);
        cache.links.insert(
            "http://ok/".into(),
            CacheEntry {
                verdict: Verdict::Ok,
                checked: 1000,
            },
        );
        cache.links.insert(
            "http://bad/".into(),
            CacheEntry {
                verdict: Verdict::Broken {
                    reason: Reason(Message::raw("404")),
                },
                checked: 1000,
            },
        );
        assert_eq!(cache.fresh("http://ok/", 2000, week), Some(Verdict::Ok));
        assert_eq!(cache.fresh("http://ok/", 1000 + week.as_secs(), week), None);
        assert_eq!(cache.fresh("http://bad/", 2000, week), None);
    }
}
