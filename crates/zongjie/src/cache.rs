//! `--cache DIR`: parsed documents kept by content hash and lexicon version,
//! so a rerun over a grown corpus parses only new or changed files.
//!
//! Layout: `DIR/<lexicon version>/<first two hex digits>/<doc_id>.json`, one
//! JSON [`Document`] each, written atomically. A changed lexicon gets a fresh
//! folder; a corrupt or unreadable entry is treated as a miss and rewritten.
//! The path is not part of the key: a moved file is still a hit, and the
//! cached document takes the new path.

use std::path::{Path, PathBuf};

use zongjie_parse::Document;

use crate::fsutil::write_atomic;

/// A document cache rooted at one folder, for one lexicon version.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    /// The cache under `root` for documents parsed with `lexicon_version`.
    pub fn new(root: &Path, lexicon_version: &str) -> Self {
        Cache {
            dir: root.join(format!("v{}-{lexicon_version}", env!("CARGO_PKG_VERSION"))),
        }
    }

    fn entry(&self, doc_id: &str) -> PathBuf {
        let shard = doc_id.get(..2).unwrap_or("00");
        self.dir.join(shard).join(format!("{doc_id}.json"))
    }

    /// The cached document for these bytes' hash, with `path` set to `path`.
    pub fn get(&self, doc_id: &str, path: &str) -> Option<Document> {
        let bytes = std::fs::read(self.entry(doc_id)).ok()?;
        let mut doc: Document = serde_json::from_slice(&bytes).ok()?;
        doc.path = path.to_string();
        Some(doc)
    }

    /// Store a parsed document (errors are ignored: a cache write failing
    /// must not fail the run, it only costs a re-parse next time).
    pub fn put(&self, doc: &Document) {
        if let Ok(json) = serde_json::to_vec(doc) {
            let _ = write_atomic(&self.entry(&doc.doc_id), &json);
        }
    }
}
