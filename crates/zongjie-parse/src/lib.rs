//! zongjie-parse: the bytes of one Chinese science-and-technology bureau work
//! report (科技局工作总结) in, one structured [`Document`] out.
//!
//! The stages run in order, each a plain function of its input:
//!
//! - [`ingest`]: sniff the format (text, HTML, .docx) and decode the bytes.
//! - [`clean`]: drop document-sharing-site wrappers, rejoin page fragments,
//!   strip pinyin annotations, convert to simplified characters and half-width forms.
//! - [`structure`]: title, heading tree with each section's [`Role`], sentences.
//! - [`region`] and [`period`]: who issued the report and which period it covers.
//! - [`facts`]: every number the report gives about a [`lexicon`] theme.
//!
//! [`Parser`] holds the compiled tables (boilerplate rules, gazetteer, lexicon),
//! is built once and shared by all threads; it does no file-system or network I/O.
//! It finds the place names, the region rules' cue words and the lexicon's
//! terms in one pass of an automaton over all of them, and hands each stage
//! its part: the region and fact stages' own searches give the same.

mod char_bits;
pub mod clean;
mod common_han;
pub mod error;
pub mod facts;
pub mod gazetteer;
pub mod ingest;
pub mod lexicon;
mod lines;
pub mod model;
pub mod numbers;
mod parser_words;
pub mod period;
pub mod pipeline;
mod prefixes;
pub mod region;
pub mod structure;
mod word_automata;

pub use error::{ParseError, Status};
pub use model::*;
pub use pipeline::Parser;

/// The built-in gazetteer as `build.rs` stores it (see [`gazetteer::Gazetteer::builtin`]).
static BUILT_IN_GAZETTEER: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/gazetteer.bin"));

/// Shared helpers of the unit tests.
#[cfg(test)]
pub(crate) mod test_lines {
    /// The repository's root, where the sample corpus is; the seed reports
    /// sit beside it in `../shared/seeds`.
    const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

    /// The bytes of every file in `dir` (none when it is absent).
    fn files_in(dir: &str) -> Vec<Vec<u8>> {
        std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|entry| std::fs::read(entry.path()).ok())
            .collect()
    }

    /// Every line of the real seed reports (none when they are absent), for
    /// tests that hold a fast path to a plain reference on real text.
    pub fn seed_lines() -> Vec<String> {
        files_in(&format!("{ROOT}/../shared/seeds"))
            .iter()
            .flat_map(|bytes| {
                let text = String::from_utf8_lossy(bytes);
                text.lines().map(str::to_string).collect::<Vec<_>>()
            })
            .collect()
    }

    /// The bytes of every file of the repository's sample corpus (UTF-8,
    /// UTF-16, GB18030 and Big5 text, HTML, .docx; some with `\r\n` line
    /// ends) and of the seed reports when present, as they are on disk.
    pub fn real_files() -> Vec<Vec<u8>> {
        let mut files = files_in(&format!("{ROOT}/notebooks-data/sample-corpus"));
        files.extend(files_in(&format!("{ROOT}/../shared/seeds")));
        files
    }
}
