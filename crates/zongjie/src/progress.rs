//! Progress on stderr: an indicatif bar (documents, MB, MB/s, ETA) when
//! stderr is a terminal and the run is not `--quiet`; otherwise nothing but
//! per-file problems and the final line.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The bar while the inputs are being counted: no length, no estimate.
const COUNTING: &str = "{elapsed_precise} {pos} docs {msg} (counting the inputs)";

/// The bar once the number of inputs is known.
const COUNTED: &str = "{elapsed_precise} [{bar:30}] {pos}/{len} docs {msg} ETA {eta}";

/// The bar's style from one of the templates above.
fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template)
        // The templates are constants, both parsed by the unit tests.
        .expect("valid progress template")
        .progress_chars("=> ")
}

/// A progress reporter for one batch run.
pub struct Progress {
    bar: Option<ProgressBar>,
    quiet: bool,
    /// Bytes of the inputs done so far (shared by the thread that reports).
    bytes: AtomicU64,
}

impl Progress {
    /// A reporter for a run of inputs not counted yet: the bar's length is
    /// given by [`Progress::set_total`] when the count is done.
    pub fn new(quiet: bool) -> Self {
        let shown = !quiet && std::io::stderr().is_terminal();
        Self::drawn_to(shown.then(ProgressDrawTarget::stderr), quiet)
    }

    /// A reporter drawing its bar to `target`, or without a bar.
    fn drawn_to(target: Option<ProgressDrawTarget>, quiet: bool) -> Self {
        let bar = target.map(|target| {
            let bar = ProgressBar::with_draw_target(None, target);
            bar.set_style(style(COUNTING));
            bar
        });
        Progress {
            bar,
            quiet,
            bytes: AtomicU64::new(0),
        }
    }

    /// Whether a bar is shown: only then is the number of inputs worth a
    /// walk of its own.
    pub fn shows_bar(&self) -> bool {
        self.bar.is_some()
    }

    /// The number of inputs, the bar's length (until then it shows the
    /// inputs done and no estimate).
    pub fn set_total(&self, total: u64) {
        if let Some(bar) = &self.bar {
            bar.set_length(total);
            bar.set_style(style(COUNTED));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_counts_inputs_before_and_after_its_length_is_known() {
        let progress = Progress::drawn_to(Some(ProgressDrawTarget::hidden()), false);
        assert!(progress.shows_bar());
        let bar = progress.bar.as_ref().unwrap();
        // Parsing starts before the count is done: no length yet.
        progress.advance(1_000);
        assert_eq!((bar.position(), bar.length()), (1, None));
        progress.set_total(40);
        progress.advance(2_000);
        assert_eq!((bar.position(), bar.length()), (2, Some(40)));
        assert_eq!(progress.bytes.load(Ordering::Relaxed), 3_000);
    }

    #[test]
    fn a_bar_shows_only_on_a_terminal_and_never_with_quiet() {
        // `--quiet` hides the bar whatever stderr is; otherwise the bar (and
        // the count it needs) comes exactly when stderr is a terminal.
        assert!(!Progress::new(true).shows_bar());
        assert_eq!(
            Progress::new(false).shows_bar(),
            std::io::stderr().is_terminal()
        );
    }
}
