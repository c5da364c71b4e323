//! Progress on stderr: a bar on a terminal, plain lines otherwise, nothing with --quiet.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use authing_resign::bulk::ProgressCallback;
use authing_resign::BulkProgress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The progress display of one job.
pub enum Progress {
    /// `--quiet`.
    Silent,
    /// stderr is a terminal.
    Bar(ProgressBar),
    /// stderr is a pipe or file: a line at every 5% step.
    Lines(Arc<AtomicU64>),
}

impl Progress {
    /// Picks the display for this run.
    pub fn new(quiet: bool, total: usize) -> Self {
        if quiet {
            Self::Silent
        } else if std::io::stderr().is_terminal() {
            let bar =
                ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template(
                "{bar:40.cyan/blue} {pos}/{len} users  {msg}  [{elapsed}]",
            )
            .expect("static template")
            .progress_chars("=> ");
            bar.set_style(style);
            Self::Bar(bar)
        } else {
            Self::Lines(Arc::new(AtomicU64::new(u64::MAX)))
        }
    }

    /// The callback handed to `resign_users`.
    pub fn callback(&self) -> Option<ProgressCallback> {
        match self {
            Self::Silent => None,
            Self::Bar(bar) => {
                let bar = bar.clone();
                Some(Arc::new(move |p: &BulkProgress| {
                    bar.set_position(p.done);
                    bar.set_message(counts(p));
                }))
            }
            Self::Lines(last_step) => {
                let last_step = last_step.clone();
                Some(Arc::new(move |p: &BulkProgress| {
                    // Twenty steps at most, so a 10,000-user job does not print 200 lines.
                    let step = (p.done * 20).checked_div(p.total).unwrap_or(20);
                    if last_step.swap(step, Ordering::Relaxed) != step {
                        crate::errln!("progress: {}/{} users ({})", p.done, p.total, counts(p));
                    }
                }))
            }
        }
    }

    /// Removes the bar before the summary is printed.
    pub fn finish(&self) {
        if let Self::Bar(bar) = self {
            bar.finish_and_clear();
        }
    }
}

fn counts(p: &BulkProgress) -> String {
    let t = &p.totals;
    format!(
        "resigned {}, failed {}, invalid {}, duplicate {}, not attempted {}",
        t.resigned, t.failed, t.invalid, t.duplicate, t.not_attempted
    )
}
