//! `manifest.json`: every input path with its status and reason, so nothing
//! is silently dropped. Entries are sorted by path; the file holds no clock
//! time, so the same inputs give the same bytes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One input and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The path as listed.
    pub path: String,
    /// `ok`, `empty`, `unsupported` or `failed`.
    pub status: String,
    /// Why, for anything but `ok`; for `ok`, "" .
    pub reason: String,
    /// Content hash of the bytes, when they could be read.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub doc_id: String,
    /// Size in bytes, when known.
    #[serde(default)]
    pub bytes: u64,
    /// Number of facts extracted (ok entries only).
    #[serde(default)]
    pub facts: u64,
}

/// The whole manifest.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Manifest {
    /// Version of zongjie that wrote it.
    pub zongjie: String,
    /// Short hash of the lexicon used (facts depend on it).
    pub lexicon_version: String,
    /// Entries per status.
    pub counts: BTreeMap<String, u64>,
    /// Every input, sorted by path.
    pub inputs: Vec<Entry>,
}

impl Manifest {
    /// A manifest for the given entries: sorts them and counts statuses.
    pub fn new(lexicon_version: String, mut inputs: Vec<Entry>) -> Self {
        inputs.sort_by(|a, b| a.path.cmp(&b.path));
        let mut counts: BTreeMap<String, u64> = ["ok", "empty", "unsupported", "failed"]
            .iter()
            .map(|s| (s.to_string(), 0))
            .collect();
        for entry in &inputs {
            *counts.entry(entry.status.clone()).or_default() += 1;
        }
        Manifest {
            zongjie: env!("CARGO_PKG_VERSION").to_string(),
            lexicon_version,
            counts,
            inputs,
        }
    }

    /// How many inputs ended with `status`.
    pub fn count(&self, status: &str) -> u64 {
        self.counts.get(status).copied().unwrap_or(0)
    }

    /// "12 ok, 1 empty, 2 unsupported, 0 failed".
    pub fn summary_line(&self) -> String {
        ["ok", "empty", "unsupported", "failed"]
            .iter()
            .map(|s| format!("{} {s}", self.count(s)))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Write pretty JSON with a trailing newline, streamed: a manifest of a
    /// million inputs is never built as one string.
    pub fn write_json(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, self)?;
        out.write_all(b"\n")
    }
}
