//! Progress on stderr: an indicatif bar (documents, MB, MB/s, ETA) when
//! stderr is a terminal and the run is not `--quiet`; otherwise nothing but
//! per-file problems and the final line.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A progress reporter for one batch run.
pub struct Progress {
    bar: Option<ProgressBar>,
    quiet: bool,
    /// Bytes of the inputs done so far (shared by the thread that reports).
    bytes: AtomicU64,
}

impl Progress {
    /// Whether a run with `quiet` shows a bar: only then is the number of
    /// inputs worth a walk of its own before the run.
    pub fn shows_bar(quiet: bool) -> bool {
        !quiet && std::io::stderr().is_terminal()
    }

    /// A reporter for `total` inputs (the bar's length; unused without a bar).
    pub fn new(total: u64, quiet: bool) -> Self {
        let bar = Self::shows_bar(quiet).then(|| {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            // The template is a constant known to be valid.
            let style = ProgressStyle::with_template(
                "{elapsed_precise} [{bar:30}] {pos}/{len} docs {msg} ETA {eta}",
            )
            .expect("valid progress template")
            .progress_chars("=> ");
            bar.set_style(style);
            bar
        });
        Progress {
            bar,
            quiet,
            bytes: AtomicU64::new(0),
        }
    }

    /// One more input done, of `bytes` bytes.
    pub fn advance(&self, bytes: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
            let total = (self.bytes.fetch_add(bytes, Ordering::Relaxed) + bytes) as f64 / 1e6;
            let elapsed = bar.elapsed().as_secs_f64().max(1e-3);
            bar.set_message(format!("{total:.1} MB, {:.1} MB/s", total / elapsed));
        }
    }

    /// Print a problem line without breaking the bar (shown even with `--quiet`:
    /// problems are errors).
    pub fn println(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }

    /// Close the bar and print the final counts.
    pub fn finish(&self, summary: &str) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        if !self.quiet {
            eprintln!("zongjie: {summary}");
        }
    }
}
