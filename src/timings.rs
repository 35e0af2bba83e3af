//! `build --timings`: where a build spends its time, per pipeline stage and
//! per template, so an author whose theme is slow sees which part.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::messages::Message;

/// The stages a build reports, in pipeline order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Config,
    /// `build --cache`: the cache read, the pages it keeps checked.
    Cache,
    Content,
    Templates,
    Assemble,
    Markdown,
    /// Values pages share (summaries, related pages) and the hashes of
    /// what pages read.
    Shared,
    Pages,
    /// Files made from the whole site, and the checks of the output.
    Generated,
    Search,
    Write,
}

impl Stage {
    /// The stage's name for people.
    pub fn name(self) -> Message {
        match self {
            Stage::Config => msg!("timings.config"),
            Stage::Cache => msg!("timings.cache"),
            Stage::Content => msg!("timings.content"),
            Stage::Templates => msg!("timings.templates"),
            Stage::Assemble => msg!("timings.assemble"),
            Stage::Markdown => msg!("timings.markdown"),
            Stage::Shared => msg!("timings.shared"),
            Stage::Pages => msg!("timings.pages"),
            Stage::Generated => msg!("timings.generated"),
            Stage::Search => msg!("timings.search"),
            Stage::Write => msg!("timings.write"),
        }
    }
}

/// Collects durations when on; costs nothing when off.
#[derive(Debug, Default)]
pub struct Timings {
    on: bool,
    stages: Mutex<Vec<(Stage, Duration)>>,
    /// Template name → (total time, calls).
    templates: Mutex<HashMap<String, (Duration, u32)>>,
}

/// One template's share of a build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateTime {
    pub name: String,
    pub total: Duration,
    pub calls: u32,
}

impl TemplateTime {
    pub fn per_call(&self) -> Duration {
        self.total / self.calls.max(1)
    }
}

impl Timings {
    pub fn new(on: bool) -> Self {
        Timings {
            on,
            ..Timings::default()
        }
    }

    /// Runs `work`, then `record`s how long it took, if timings are on.
    fn measure<T>(&self, work: impl FnOnce() -> T, record: impl FnOnce(Duration)) -> T {
        if !self.on {
            return work();
        }
        let started = Instant::now();
        let result = work();
        record(started.elapsed());
        result
    }

    /// Runs `work`, adding its wall time to `stage`.
    pub fn stage<T>(&self, stage: Stage, work: impl FnOnce() -> T) -> T {
        self.measure(work, |elapsed| {
            if let Ok(mut stages) = self.stages.lock() {
                match stages.iter_mut().find(|(s, _)| *s == stage) {
                    Some((_, total)) => *total += elapsed,
                    None => stages.push((stage, elapsed)),
                }
            }
        })
    }

    /// Runs `render`, counting it for template `name`. Pages render in
    /// parallel, so a template's total is time summed over threads; it is
    /// the rendering thread's processor time where the system tells it,
    /// so that the threads building the search indexes meanwhile, which
    /// share the cores, do not count.
    pub fn template<T>(&self, name: &str, render: impl FnOnce() -> T) -> T {
        if !self.on {
            return render();
        }
        let clock = ThreadClock::start();
        let result = render();
        let spent = clock.spent();
        if let Ok(mut templates) = self.templates.lock() {
            let entry = templates.entry(name.to_string()).or_default();
            entry.0 += spent;
            entry.1 += 1;
        }
        result
    }

    /// The stages in pipeline order.
    pub fn stages(&self) -> Vec<(Stage, Duration)> {
        let mut stages = self.stages.lock().map(|s| s.clone()).unwrap_or_default();
        stages.sort_by_key(|(stage, _)| *stage as u8);
        stages
    }

    /// The `n` templates with the largest total time, slowest first.
    pub fn slowest_templates(&self, n: usize) -> Vec<TemplateTime> {
        let mut all: Vec<TemplateTime> = self
            .templates
            .lock()
            .map(|t| {
                t.iter()
                    .map(|(name, (total, calls))| TemplateTime {
                        name: name.clone(),
                        total: *total,
                        calls: *calls,
                    })
                    .collect()
            })
            .unwrap_or_default();
        all.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.name.cmp(&b.name)));
        all.truncate(n);
        all
    }
}

/// The processor time a thread spends from a start (its wall time where
/// the system does not tell).
struct ThreadClock {
    wall: Instant,
    cpu: Option<Duration>,
}

impl ThreadClock {
    fn start() -> Self {
        ThreadClock {
            wall: Instant::now(),
            cpu: thread_cpu_time(),
        }
    }

    /// Since the start, on the calling thread (the one that started it).
    fn spent(&self) -> Duration {
        match (self.cpu, thread_cpu_time()) {
            (Some(before), Some(now)) => now.saturating_sub(before),
            _ => self.wall.elapsed(),
        }
    }
}

/// The processor time the calling thread has used.
#[cfg(unix)]
fn thread_cpu_time() -> Option<Duration> {
    let now = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    let seconds = u64::try_from(now.tv_sec).ok()?;
    let nanos = u32::try_from(now.tv_nsec).ok()?;
    Some(Duration::new(seconds, nanos))
}

#[cfg(not(unix))]
fn thread_cpu_time() -> Option<Duration> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_merge_and_templates_count_calls() {
        let timings = Timings::new(true);
        timings.stage(Stage::Write, || {
            std::thread::sleep(Duration::from_millis(2))
        });
        timings.stage(Stage::Config, || {});
        timings.stage(Stage::Write, || {
            std::thread::sleep(Duration::from_millis(2))
        });
        let stages = timings.stages();
        assert_eq!(stages[0].0, Stage::Config);
        assert_eq!(stages[1].0, Stage::Write);
        assert!(stages[1].1 >= Duration::from_millis(4));
        for _ in 0..3 {
            timings.template("page.html", || busy(Duration::from_millis(1)));
        }
        timings.template("home.html", || {});
        let slowest = timings.slowest_templates(1);
        assert_eq!(slowest.len(), 1);
        assert_eq!(
            (slowest[0].name.as_str(), slowest[0].calls),
            ("page.html", 3)
        );
    }

    /// Keeps the processor busy for `time` of this thread's processor
    /// time (of wall time where the system does not tell it).
    fn busy(time: Duration) {
        let clock = ThreadClock::start();
        while clock.spent() < time {
            std::hint::spin_loop();
        }
    }

    #[cfg(unix)]
    #[test]
    fn templates_count_the_processor_time_of_their_thread() {
        let timings = Timings::new(true);
        // A thread that waits (as one that other threads keep off the
        // processor) spends no processor time.
        timings.template("waits.html", || {
            std::thread::sleep(Duration::from_millis(60))
        });
        timings.template("works.html", || busy(Duration::from_millis(20)));
        let times = timings.slowest_templates(2);
        assert_eq!(times[0].name, "works.html");
        assert!(times[0].total >= Duration::from_millis(20), "{times:?}");
        assert!(times[1].total < Duration::from_millis(15), "{times:?}");
    }

    #[test]
    fn off_records_nothing() {
        let timings = Timings::new(false);
        assert_eq!(timings.stage(Stage::Config, || 7), 7);
        timings.template("page.html", || {});
        assert!(timings.stages().is_empty());
        assert!(timings.slowest_templates(10).is_empty());
    }
}
