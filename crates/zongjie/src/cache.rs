//! `--cache DIR`: parsed documents kept by content hash and lexicon version,
//! so a rerun over a grown corpus parses only new or changed files.
//!
//! Layout: `DIR/v<version>-<lexicon version>/<first two hex digits>/<doc_id>.bin`,
//! one [`Document`] each in postcard's compact binary form, written
//! atomically. A changed lexicon or program version gets a fresh folder; an
//! entry that is corrupt, cut short, unreadable or not the document its name
//! says is treated as a miss and rewritten. The path is not part of the key:
//! a moved file is still a hit, and the cached document takes the new path.
//!
//! Why postcard and not JSON: reading an entry back is what a rerun spends
//! its time on. As JSON, an entry was about three times the size of its
//! report and decoding it cost about half as much as parsing the report
//! again; postcard writes strings as they are, behind their length, and
//! numbers as varints, so an entry is read back at a small fraction of a
//! parse.

use std::path::{Path, PathBuf};

use zongjie_parse::Document;

use crate::fsutil::write_atomic_unflushed;

/// The file name extension of an entry.
pub const ENTRY_EXTENSION: &str = "bin";

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
        self.dir
            .join(shard)
            .join(format!("{doc_id}.{ENTRY_EXTENSION}"))
    }

    /// The cached document for these bytes' hash, with `path` set to `path`.
    pub fn get(&self, doc_id: &str, path: &str) -> Option<Document> {
        let bytes = std::fs::read(self.entry(doc_id)).ok()?;
        let mut doc = decode(&bytes, doc_id)?;
        doc.path = path.to_string();
        Some(doc)
    }

    /// Store a parsed document (errors are ignored: a cache write failing
    /// must not fail the run, it only costs a re-parse next time).
    pub fn put(&self, doc: &Document) {
        if let Ok(bytes) = postcard::to_stdvec(doc) {
            let _ = write_atomic_unflushed(&self.entry(&doc.doc_id), &bytes);
        }
    }
}

/// The document of an entry's bytes, if they are one whole document named
/// `doc_id`: bytes cut short or followed by others, or a document of another
/// id, are no entry.
fn decode(bytes: &[u8], doc_id: &str) -> Option<Document> {
    let (doc, rest) = postcard::take_from_bytes::<Document>(bytes).ok()?;
    (rest.is_empty() && doc.doc_id == doc_id).then_some(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Document {
        let parser = zongjie_parse::Parser::new().unwrap();
        parser.parse("寿光.txt", text.as_bytes()).unwrap()
    }

    const REPORT: &str = "寿光市科技局2018年上半年工作总结\n一、工作总结\n\
        全市共有高新技术企业66家，新增发明专利授权120件。\n";

    #[test]
    fn a_document_comes_back_whole_under_its_new_path() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path(), "lex1");
        let doc = parsed(REPORT);
        assert!(!doc.facts.is_empty());
        assert!(cache.get(&doc.doc_id, "a.txt").is_none(), "empty at first");
        cache.put(&doc);
        let back = cache.get(&doc.doc_id, "moved/b.txt").unwrap();
        assert_eq!(back.path, "moved/b.txt");
        assert_eq!(
            Document {
                path: doc.path.clone(),
                ..back
            },
            doc
        );
        // Another lexicon version does not see it.
        assert!(Cache::new(dir.path(), "lex2")
            .get(&doc.doc_id, "a.txt")
            .is_none());
    }

    #[test]
    fn damaged_or_misnamed_entries_are_misses() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path(), "lex1");
        let doc = parsed(REPORT);
        cache.put(&doc);
        let entry = cache.entry(&doc.doc_id);
        let whole = std::fs::read(&entry).unwrap();
        assert!(decode(&whole, &doc.doc_id).is_some());
        for cut in [0, 1, whole.len() / 2, whole.len() - 1] {
            assert!(decode(&whole[..cut], &doc.doc_id).is_none(), "cut at {cut}");
        }
        let mut longer = whole.clone();
        longer.push(0);
        assert!(decode(&longer, &doc.doc_id).is_none(), "trailing bytes");
        assert!(decode(&whole, "0123456789abcdef").is_none(), "another id");
        // A damaged file on disk is a miss, and the next put mends it.
        std::fs::write(&entry, &whole[..whole.len() / 3]).unwrap();
        assert!(cache.get(&doc.doc_id, "a.txt").is_none());
        cache.put(&doc);
        assert!(cache.get(&doc.doc_id, "a.txt").is_some());
    }
}
