//! `--cache DIR`: parsed documents kept by content hash and lexicon version,
//! so a rerun over a grown corpus parses only new or changed files.
//!
//! Layout: `DIR/v<version>-<lexicon version>-<build>/<name>.pack`. A changed
//! lexicon, program version or build gets a fresh folder (see
//! [`build_stamp`]): a cache never gives a document another program parsed.
//! A pack holds the documents one
//! batch of a run parsed (up to [`crate::batch::CHUNK`]), each in postcard's
//! compact binary form, then an index of their ids and places:
//!
//! ```text
//! entry … entry | index (postcard: [(id, offset, length)]) | index length (u64 LE) | PACK_MAGIC
//! ```
//!
//! A pack is written whole to a temporary file and renamed into place, so a
//! killed run leaves the packs of the batches it finished and none cut
//! short; the rerun reads them. [`Cache::open`] reads every pack's index
//! once; a pack whose index cannot be read is left aside, and an entry that
//! is damaged or is not the document its id says is a miss, parsed again.
//! The path is not part of the key: a moved file is still a hit, and the
//! cached document takes the new path.
//!
//! Why packs and not a file a document: creating a file cost about a
//! millisecond on the file system measured, more than parsing the report it
//! held, and a large corpus would put hundreds of thousands of small files in
//! the cache folder. Why postcard and not JSON: reading an entry back is what
//! a rerun spends its time on; as JSON an entry was about three times the
//! size of its report, and decoding it cost half as much as parsing the
//! report again. Packs are not flushed to disk one by one (see
//! [`crate::fsutil::write_atomic_unflushed`]): an entry a power cut damages
//! is found out when read.

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use zongjie_parse::Document;

use crate::fsutil::write_atomic_unflushed;

/// The file name extension of a pack.
pub const PACK_EXTENSION: &str = "pack";

/// The last bytes of every pack: its format and version.
const PACK_MAGIC: &[u8; 8] = b"ZJPACK01";

/// Bytes after a pack's index: its length, then [`PACK_MAGIC`].
const TRAILER: usize = 8 + PACK_MAGIC.len();

/// A pack's index: each entry's document id, offset and length in bytes.
type PackIndex = Vec<(u64, u64, u64)>;

/// Where one cached document is.
#[derive(Debug, Clone, Copy)]
struct Location {
    /// Index in [`Cache::packs`].
    pack: usize,
    offset: u64,
    len: u64,
}

/// A document cache rooted at one folder, for one lexicon version, with the
/// index of every pack in it.
#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    packs: Vec<PathBuf>,
    /// Document id (its 16 hex digits as a number) → where its entry is.
    index: HashMap<u64, Location>,
    /// The folders beside `dir` that hold packs of other builds, versions or
    /// lexicons, with the bytes of their packs.
    others: Vec<(PathBuf, u64)>,
}

/// A document id as a number, when it is one (16 hex digits): the index
/// keeps 8 bytes a document instead of a string.
fn id_number(doc_id: &str) -> Option<u64> {
    (doc_id.len() == 16)
        .then(|| u64::from_str_radix(doc_id, 16).ok())
        .flatten()
}

impl Cache {
    /// The cache under `root` for documents parsed with `lexicon_version`,
    /// with the index of every pack already there (none when the folder
    /// does not exist yet).
    pub fn open(root: &Path, lexicon_version: &str) -> Self {
        let dir = root.join(format!(
            "v{}-{lexicon_version}-{}",
            env!("CARGO_PKG_VERSION"),
            build_stamp()
        ));
        let mut packs: Vec<PathBuf> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| path.extension().is_some_and(|e| e == PACK_EXTENSION))
            .collect();
        // The same packs give the same index, whatever order the folder lists them in.
        packs.sort();
        let mut cache = Cache {
            others: other_folders(root, &dir),
            dir,
            packs: Vec::with_capacity(packs.len()),
            index: HashMap::new(),
        };
        for path in packs {
            let Ok(entries) = read_index(&path) else {
                continue; // not a pack this version can read
            };
            let pack = cache.packs.len();
            for (id, offset, len) in entries {
                cache.index.insert(id, Location { pack, offset, len });
            }
            cache.packs.push(path);
        }
        cache
    }

    /// How many documents the cache holds.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// True when the cache holds no document.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// What the cache's root holds that this program never reads: the
    /// folders of other builds, program versions or lexicons, each about
    /// 1.7 times the size of the reports it holds. Nothing is deleted for
    /// the user: another build or lexicon may still be in use beside this
    /// one. `None` when there are none.
    pub fn others_note(&self) -> Option<String> {
        let (first, _) = self.others.first()?;
        let bytes: u64 = self.others.iter().map(|(_, b)| b).sum();
        let (folders, more) = match self.others.len() {
            1 => ("1 folder".to_string(), String::new()),
            n => (
                format!("{n} folders"),
                format!(" and {} more beside it", n - 1),
            ),
        };
        Some(format!(
            "the cache also holds {folders} of other builds, versions or lexicons \
             ({:.1} MB) that this build never reads; delete {}{more} to free the space",
            bytes as f64 / 1e6,
            first.display()
        ))
    }

    /// The cached document for these bytes' hash, with `path` set to `path`.
    pub fn get(&self, doc_id: &str, path: &str) -> Option<Document> {
        let at = *self.index.get(&id_number(doc_id)?)?;
        let bytes = read_entry(self.packs.get(at.pack)?, at)?;
        let mut doc = decode(&bytes, doc_id)?;
        doc.path = path.to_string();
        Some(doc)
    }

    /// A parsed document as a cache entry, for [`Cache::write_pack`].
    pub fn entry(doc: &Document) -> Option<(u64, Vec<u8>)> {
        let id = id_number(&doc.doc_id)?;
        postcard::to_stdvec(doc).ok().map(|bytes| (id, bytes))
    }

    /// Store entries (from [`Cache::entry`]) as one pack. The documents
    /// become hits for the next [`Cache::open`], not for this cache.
    pub fn write_pack(&self, entries: &[(u64, Vec<u8>)]) -> anyhow::Result<()> {
        if entries.is_empty() {
            return Ok(());
        }
        let mut index: PackIndex = Vec::with_capacity(entries.len());
        let mut offset = 0;
        for (id, bytes) in entries {
            index.push((*id, offset, bytes.len() as u64));
            offset += bytes.len() as u64;
        }
        let index = postcard::to_stdvec(&index).context("cannot encode a pack's index")?;
        // Named by its index: the same ids at the same places are the same
        // documents (an id is the hash of the report's bytes, and the folder
        // names the parser), so writing the same pack twice leaves one.
        let name = blake3::hash(&index).to_hex();
        let path = self.dir.join(format!("{}.{PACK_EXTENSION}", &name[..16]));
        // The entries go to the file as they are, never copied into one buffer.
        write_atomic_unflushed(&path, |w| {
            for (_, bytes) in entries {
                w.write_all(bytes)?;
            }
            w.write_all(&index)?;
            w.write_all(&(index.len() as u64).to_le_bytes())?;
            w.write_all(PACK_MAGIC)
        })
    }
}

/// The folders under `root` other than `own` that hold packs, with the
/// bytes of their packs, in name order. A folder or file that cannot be
/// read counts for nothing: this is a note, never a failure.
fn other_folders(root: &Path, own: &Path) -> Vec<(PathBuf, u64)> {
    let mut others: Vec<(PathBuf, u64)> = std::fs::read_dir(root)
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path != own && path.is_dir())
        .filter_map(|folder| {
            let sizes: Vec<u64> = std::fs::read_dir(&folder)
                .ok()?
                .filter_map(|entry| entry.ok())
                .filter(|e| e.path().extension().is_some_and(|x| x == PACK_EXTENSION))
                .filter_map(|e| e.metadata().ok().map(|m| m.len()))
                .collect();
            (!sizes.is_empty()).then(|| (folder, sizes.iter().sum()))
        })
        .collect();
    others.sort();
    others
}

/// What tells this build of the program from another: a hash of the
/// running executable's length and modification time (`unknown` when they
/// cannot be read). A rebuilt or upgraded program may parse differently, or
/// lay its documents out differently (postcard entries carry no field
/// names, so an old entry could decode into the wrong fields), so its
/// documents go in a folder of their own. Reading two numbers costs nothing;
/// hashing the executable's bytes would cost tens of milliseconds a run.
fn build_stamp() -> String {
    let Ok(meta) = std::env::current_exe().and_then(std::fs::metadata) else {
        return "unknown".to_string();
    };
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    let mut hasher = blake3::Hasher::new();
    hasher.update(&meta.len().to_le_bytes());
    hasher.update(&modified.to_le_bytes());
    hasher.finalize().to_hex()[..8].to_string()
}

thread_local! {
    /// The pack this thread read an entry from last, still open. Documents
    /// are looked up in path order and a pack holds a batch of them in that
    /// order, so most entries come from the pack read before: one open a
    /// pack instead of one a document (a rerun over 40,000 documents opened
    /// a file 40,000 times), and one handle a thread however many packs
    /// there are. A pack never changes once written (its name is the hash
    /// of its index), so an open handle never reads a stale one.
    static LAST_PACK: RefCell<Option<(PathBuf, std::fs::File)>> = const { RefCell::new(None) };
}

/// The bytes of the entry at `at` in the pack at `pack`.
fn read_entry(pack: &Path, at: Location) -> Option<Vec<u8>> {
    LAST_PACK.with_borrow_mut(|last| {
        let file = match last {
            Some((open, file)) if open == pack => file,
            _ => {
                &mut last
                    .insert((pack.to_path_buf(), std::fs::File::open(pack).ok()?))
                    .1
            }
        };
        read_range(file, at.offset, at.len).ok()
    })
}

/// The `len` bytes of `file` from `offset` (fewer when the file ends
/// first), read into a buffer allocated once.
fn read_range(file: &mut std::fs::File, offset: u64, len: u64) -> std::io::Result<Vec<u8>> {
    file.seek(SeekFrom::Start(offset))?;
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.take(len).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The index of the pack at `path`.
fn read_index(path: &Path) -> anyhow::Result<PackIndex> {
    let mut file = std::fs::File::open(path)?;
    let size = file.metadata()?.len();
    let trailer = TRAILER as u64;
    anyhow::ensure!(size >= trailer, "shorter than a pack's trailer");
    let mut tail = [0u8; TRAILER];
    file.seek(SeekFrom::Start(size - trailer))?;
    file.read_exact(&mut tail)?;
    let (len, magic) = tail.split_at(8);
    anyhow::ensure!(magic == PACK_MAGIC, "not a pack");
    let len = u64::from_le_bytes(len.try_into()?);
    let start = (size - trailer)
        .checked_sub(len)
        .context("index longer than the pack")?;
    let bytes = read_range(&mut file, start, len)?;
    let (index, rest) = postcard::take_from_bytes::<PackIndex>(&bytes)?;
    anyhow::ensure!(rest.is_empty(), "bytes after the index");
    anyhow::ensure!(
        index
            .iter()
            .all(|(_, offset, len)| offset.checked_add(*len).is_some_and(|end| end <= start)),
        "an entry outside the pack"
    );
    Ok(index)
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

    fn two_documents() -> [Document; 2] {
        [parsed(REPORT), parsed(&REPORT.replace("66家", "71家"))]
    }

    fn packs_in(dir: &Path) -> Vec<PathBuf> {
        let mut packs: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        packs.sort();
        packs
    }

    #[test]
    fn documents_come_back_whole_under_their_new_paths() {
        let dir = tempfile::tempdir().unwrap();
        let docs = two_documents();
        assert!(docs.iter().all(|d| !d.facts.is_empty()));
        assert_ne!(docs[0].doc_id, docs[1].doc_id);
        let cache = Cache::open(dir.path(), "lex1");
        assert!(cache.is_empty(), "no folder yet");
        let entries: Vec<_> = docs.iter().filter_map(Cache::entry).collect();
        cache.write_pack(&entries).unwrap();
        assert!(
            cache.get(&docs[0].doc_id, "a.txt").is_none(),
            "seen from the next open"
        );

        let cache = Cache::open(dir.path(), "lex1");
        assert_eq!(cache.len(), 2);
        for doc in &docs {
            let back = cache.get(&doc.doc_id, "moved/b.txt").unwrap();
            assert_eq!(back.path, "moved/b.txt");
            assert_eq!(
                &Document {
                    path: doc.path.clone(),
                    ..back
                },
                doc
            );
        }
        assert!(cache.get("0123456789abcdef", "c.txt").is_none());
        assert!(cache.get("not an id", "c.txt").is_none());
        // The same pack written again is the same file.
        cache.write_pack(&entries).unwrap();
        assert_eq!(packs_in(&cache.dir).len(), 1);
        // Another lexicon version does not see it.
        assert!(Cache::open(dir.path(), "lex2").is_empty());
    }

    #[test]
    fn the_folder_names_the_build() {
        let stamp = build_stamp();
        assert_eq!(stamp.len(), 8, "{stamp}");
        assert!(stamp.chars().all(|c| c.is_ascii_hexdigit()), "{stamp}");
        assert_eq!(build_stamp(), stamp, "the same build, the same stamp");
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path(), "lex1");
        let folder = cache.dir.file_name().unwrap().to_str().unwrap();
        assert_eq!(
            folder,
            format!("v{}-lex1-{stamp}", env!("CARGO_PKG_VERSION"))
        );
    }

    #[test]
    fn folders_of_other_builds_are_noted_not_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let docs = two_documents();
        let entries: Vec<_> = docs.iter().filter_map(Cache::entry).collect();
        let cache = Cache::open(dir.path(), "lex1");
        assert_eq!(cache.others_note(), None, "an empty root");
        cache.write_pack(&entries).unwrap();
        assert_eq!(
            Cache::open(dir.path(), "lex1").others_note(),
            None,
            "its own folder is no other"
        );
        // Another lexicon's folder with a pack, a folder without one, and a file.
        let other = Cache::open(dir.path(), "lex2");
        other.write_pack(&entries[..1]).unwrap();
        let size = std::fs::metadata(&packs_in(&other.dir)[0]).unwrap().len();
        std::fs::create_dir(dir.path().join("notes")).unwrap();
        std::fs::write(dir.path().join("README"), "mine").unwrap();

        let note = Cache::open(dir.path(), "lex1").others_note().unwrap();
        let mb = format!("({:.1} MB)", size as f64 / 1e6);
        assert!(
            note.starts_with("the cache also holds 1 folder of other"),
            "{note}"
        );
        assert!(note.contains(&mb), "{note}");
        assert!(note.contains(&other.dir.display().to_string()), "{note}");
        assert!(!note.contains("more beside it"), "{note}");
        // Two others; nothing was deleted, and the lexicon's own documents are still there.
        Cache::open(dir.path(), "lex3")
            .write_pack(&entries)
            .unwrap();
        let cache = Cache::open(dir.path(), "lex1");
        let note = cache.others_note().unwrap();
        assert!(
            note.contains("2 folders") && note.contains("and 1 more beside it"),
            "{note}"
        );
        assert_eq!(cache.len(), 2);
        assert_eq!(packs_in(&other.dir).len(), 1);
    }

    #[test]
    fn damaged_packs_and_entries_are_misses() {
        let dir = tempfile::tempdir().unwrap();
        let docs = two_documents();
        let cache = Cache::open(dir.path(), "lex1");
        let entries: Vec<_> = docs.iter().filter_map(Cache::entry).collect();
        cache.write_pack(&entries).unwrap();
        let pack = packs_in(&cache.dir).pop().unwrap();
        let whole = std::fs::read(&pack).unwrap();

        // An entry's bytes, whole, cut short, longer, or under another id.
        let first = &entries[0].1;
        assert!(decode(first, &docs[0].doc_id).is_some());
        for cut in [0, 1, first.len() / 2, first.len() - 1] {
            assert!(
                decode(&first[..cut], &docs[0].doc_id).is_none(),
                "cut at {cut}"
            );
        }
        let mut longer = first.clone();
        longer.push(0);
        assert!(decode(&longer, &docs[0].doc_id).is_none(), "trailing bytes");
        assert!(decode(first, &docs[1].doc_id).is_none(), "another id");

        // A pack cut short loses its index: every document is a miss.
        for cut in [0, 5, whole.len() / 2, whole.len() - 1] {
            std::fs::write(&pack, &whole[..cut]).unwrap();
            assert!(Cache::open(dir.path(), "lex1").is_empty(), "cut at {cut}");
        }
        // A damaged entry is a miss; the other one is still a hit.
        let mut damaged = whole.clone();
        damaged[3] ^= 0xff;
        std::fs::write(&pack, &damaged).unwrap();
        let cache = Cache::open(dir.path(), "lex1");
        assert_eq!(cache.len(), 2, "the index is whole");
        assert!(cache.get(&docs[0].doc_id, "a.txt").is_none());
        assert!(cache.get(&docs[1].doc_id, "b.txt").is_some());
        // Not a pack at all.
        std::fs::write(&pack, "寿光市科技局 not a pack at all").unwrap();
        assert!(Cache::open(dir.path(), "lex1").is_empty());
    }
}
