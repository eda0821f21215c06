//! `manifest.json`: every input path with its status and reason, so nothing
//! is silently dropped. Entries are sorted by path; the file holds no clock
//! time, so the same inputs give the same bytes.
//!
//! A run over a million files must not hold a million entries: a
//! [`ManifestBuilder`] writes the entries of parsed inputs to an anonymous
//! temporary file as they come (in path order), each already in the form
//! `manifest.json` gives it, and keeps only the counts and the inputs that
//! could not be read; [`Manifest::write_json`] copies them into
//! `manifest.json` at the end, after every input is parsed, so that last
//! step is a copy, not a second serialisation. [`ManifestFile`] reads a
//! manifest back.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Seek, Write};

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

/// The block size the spill is read back in at the end of a run: 8 KB
/// blocks (the default) made a read a block, some 1,300 for a run over
/// 40,000 files, all of them after the last input was parsed.
const COPY_BLOCK: usize = 1 << 20;

/// The statuses, in the order they are reported.
pub const STATUSES: [&str; 4] = ["ok", "empty", "unsupported", "failed"];

/// `manifest.json` as written: read it back with serde.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ManifestFile {
    /// Version of zongjie that wrote it.
    pub zongjie: String,
    /// Short hash of the lexicon used (facts depend on it).
    pub lexicon_version: String,
    /// Entries per status.
    pub counts: BTreeMap<String, u64>,
    /// Every input, sorted by path.
    pub inputs: Vec<Entry>,
}

/// Where a manifest's entries are: in memory, or spilled to a temporary file
/// (in path order, see [`ManifestBuilder::push`]) with a few more kept in
/// memory.
#[derive(Debug)]
enum Entries {
    Memory(Vec<Entry>),
    Spilled {
        file: File,
        /// Entries that arrived out of order (listing problems), sorted.
        extra: Vec<Entry>,
    },
}

/// A finished manifest: counts, the inputs that could not be read, and every
/// entry, ready to be written as `manifest.json`.
#[derive(Debug)]
pub struct Manifest {
    /// Version of zongjie that wrote it.
    pub zongjie: String,
    /// Short hash of the lexicon used (facts depend on it).
    pub lexicon_version: String,
    /// Entries per status (every status present, 0 when none).
    pub counts: BTreeMap<String, u64>,
    /// Every input that was not read (status other than `ok`), sorted by path.
    pub unread: Vec<Entry>,
    entries: Entries,
}

fn empty_counts() -> BTreeMap<String, u64> {
    STATUSES.iter().map(|s| (s.to_string(), 0)).collect()
}

impl Manifest {
    /// A manifest of entries held in memory (`merge`); sorts them by path.
    pub fn from_entries(lexicon_version: String, mut inputs: Vec<Entry>) -> Self {
        inputs.sort_by(|a, b| a.path.cmp(&b.path));
        let mut counts = empty_counts();
        for entry in &inputs {
            *counts.entry(entry.status.clone()).or_default() += 1;
        }
        Manifest {
            zongjie: env!("CARGO_PKG_VERSION").to_string(),
            lexicon_version,
            counts,
            unread: inputs
                .iter()
                .filter(|e| e.status != "ok")
                .cloned()
                .collect(),
            entries: Entries::Memory(inputs),
        }
    }

    /// How many inputs ended with `status`.
    pub fn count(&self, status: &str) -> u64 {
        self.counts.get(status).copied().unwrap_or(0)
    }

    /// How many inputs there were.
    pub fn total(&self) -> u64 {
        self.counts.values().sum()
    }

    /// "12 ok, 1 empty, 2 unsupported, 0 failed".
    pub fn summary_line(&self) -> String {
        STATUSES
            .iter()
            .map(|s| format!("{} {s}", self.count(s)))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Write pretty JSON (two-space indents, entries sorted by path) with a
    /// trailing newline, streaming the entries.
    pub fn write_json(&self, out: &mut dyn Write) -> std::io::Result<()> {
        writeln!(out, "{{")?;
        writeln!(
            out,
            "  \"zongjie\": {},",
            serde_json::to_string(&self.zongjie)?
        )?;
        writeln!(
            out,
            "  \"lexicon_version\": {},",
            serde_json::to_string(&self.lexicon_version)?
        )?;
        write!(out, "  \"counts\": ")?;
        write_indented(out, &serde_json::to_string_pretty(&self.counts)?, "  ")?;
        writeln!(out, ",")?;
        write!(out, "  \"inputs\": [")?;
        let mut first = true;
        let mut write_shown = |out: &mut dyn Write, shown: &[u8]| -> std::io::Result<()> {
            out.write_all(if first { b"\n    " } else { b",\n    " })?;
            first = false;
            out.write_all(shown)
        };
        match &self.entries {
            Entries::Memory(entries) => {
                for entry in entries {
                    write_shown(out, &shown_entry(entry)?)?;
                }
            }
            Entries::Spilled { file, extra } => {
                let mut file = file;
                file.rewind()?;
                // Read in large blocks: the spill of a large run is tens of
                // megabytes, read after every input is parsed.
                let mut spilled = BufReader::with_capacity(COPY_BLOCK, file);
                let mut extra = extra.iter().peekable();
                let (mut path, mut shown) = (Vec::new(), Vec::new());
                while read_spilled(&mut spilled, &mut path, &mut shown)? {
                    while let Some(e) = extra.next_if(|e| e.path.as_bytes() < path.as_slice()) {
                        write_shown(out, &shown_entry(e)?)?;
                    }
                    write_shown(out, &shown)?;
                }
                for e in extra {
                    write_shown(out, &shown_entry(e)?)?;
                }
            }
        }
        if first {
            writeln!(out, "]")?;
        } else {
            writeln!(out, "\n  ]")?;
        }
        writeln!(out, "}}")
    }
}

/// An entry as `manifest.json` shows it: pretty-printed, every line after
/// the first indented to sit in the `inputs` list. Written in one pass by
/// [`EntryFormatter`], not pretty-printed and then indented line by line:
/// a run makes one of these for every input.
fn shown_entry(entry: &Entry) -> std::io::Result<Vec<u8>> {
    let mut shown = Vec::with_capacity(160 + entry.path.len() + entry.reason.len());
    entry.serialize(&mut serde_json::Serializer::with_formatter(
        &mut shown,
        EntryFormatter,
    ))?;
    Ok(shown)
}

/// serde_json's pretty layout of an [`Entry`] (a flat object) as an item
/// of the `inputs` list: each key on its own line, six spaces in, and the
/// closing brace four. Strings and numbers are written as serde_json's
/// compact form writes them, which is how its pretty form writes them too.
struct EntryFormatter;

impl serde_json::ser::Formatter for EntryFormatter {
    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        writer.write_all(if first { b"\n      " } else { b",\n      " })
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        // An entry always has its path, status and reason: never `{}`.
        writer.write_all(b"\n    }")
    }
}

/// Append one spilled entry to `spill`: the length of its path and the path,
/// then the length of its shown form and the form, lengths as 8 bytes,
/// little-endian. The path orders it among the entries kept in memory.
fn write_spilled(spill: &mut impl Write, path: &str, shown: &[u8]) -> std::io::Result<()> {
    for part in [path.as_bytes(), shown] {
        spill.write_all(&(part.len() as u64).to_le_bytes())?;
        spill.write_all(part)?;
    }
    Ok(())
}

/// Read the next spilled entry into `path` and `shown`; false at the end.
fn read_spilled(
    spill: &mut impl BufRead,
    path: &mut Vec<u8>,
    shown: &mut Vec<u8>,
) -> std::io::Result<bool> {
    if spill.fill_buf()?.is_empty() {
        return Ok(false);
    }
    for part in [path, shown] {
        let mut len = [0u8; 8];
        spill.read_exact(&mut len)?;
        let len = usize::try_from(u64::from_le_bytes(len))
            .map_err(|_| std::io::Error::other("manifest spill: entry too long"))?;
        part.clear();
        part.resize(len, 0);
        spill.read_exact(part)?;
    }
    Ok(true)
}

/// Write a pretty-printed JSON value, indenting every line after the first.
fn write_indented(out: &mut dyn Write, pretty: &str, indent: &str) -> std::io::Result<()> {
    for (i, line) in pretty.lines().enumerate() {
        if i > 0 {
            out.write_all(b"\n")?;
            out.write_all(indent.as_bytes())?;
        }
        out.write_all(line.as_bytes())?;
    }
    Ok(())
}

/// Collects the entries of a run without holding them: see the module doc.
#[derive(Debug)]
pub struct ManifestBuilder {
    spill: BufWriter<File>,
    extra: Vec<Entry>,
    counts: BTreeMap<String, u64>,
    unread: Vec<Entry>,
}

impl ManifestBuilder {
    /// A builder spilling to an anonymous temporary file (removed on exit).
    pub fn new() -> std::io::Result<Self> {
        Ok(ManifestBuilder {
            spill: BufWriter::new(tempfile::tempfile()?),
            extra: Vec::new(),
            counts: empty_counts(),
            unread: Vec::new(),
        })
    }

    fn count(&mut self, entry: &Entry) {
        // Every status but a new one is counted without a copy of its name.
        match self.counts.get_mut(&entry.status) {
            Some(count) => *count += 1,
            None => {
                self.counts.insert(entry.status.clone(), 1);
            }
        }
        if entry.status != "ok" {
            self.unread.push(entry.clone());
        }
    }

    /// Add the entry of the next input in path order: spilled in the form
    /// `manifest.json` shows it, so the batch's writer does that work
    /// beside the parsing, not at the end of the run.
    pub fn push(&mut self, entry: &Entry) -> std::io::Result<()> {
        self.count(entry);
        write_spilled(&mut self.spill, &entry.path, &shown_entry(entry)?)
    }

    /// Add an entry that does not come in path order (a listing problem).
    pub fn push_unordered(&mut self, entry: Entry) {
        self.count(&entry);
        self.extra.push(entry);
    }

    /// The finished manifest.
    pub fn finish(mut self, lexicon_version: String) -> std::io::Result<Manifest> {
        self.spill.flush()?;
        let file = self.spill.into_inner().map_err(|e| e.into_error())?;
        self.extra.sort_by(|a, b| a.path.cmp(&b.path));
        self.unread.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(Manifest {
            zongjie: env!("CARGO_PKG_VERSION").to_string(),
            lexicon_version,
            counts: self.counts,
            unread: self.unread,
            entries: Entries::Spilled {
                file,
                extra: self.extra,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An entry is shown as serde_json's pretty form, indented to sit in
    /// the list, whatever its strings hold and whichever fields it skips.
    #[test]
    fn an_entry_is_shown_as_its_pretty_form_indented() {
        let odd = Entry {
            path: "县/\"引号\"\\反斜杠\t制表\u{1}.txt".into(),
            status: "failed".into(),
            reason: "cannot read: 第一行\n第二行 \u{7f} \u{2028}".into(),
            doc_id: String::new(),
            bytes: u64::MAX,
            facts: 0,
        };
        for e in [entry("a/b.txt", "ok"), entry("c.docx", "empty"), odd] {
            let mut expected = Vec::new();
            write_indented(
                &mut expected,
                &serde_json::to_string_pretty(&e).unwrap(),
                "    ",
            )
            .unwrap();
            let shown = shown_entry(&e).unwrap();
            assert_eq!(
                String::from_utf8(shown).unwrap(),
                String::from_utf8(expected).unwrap()
            );
        }
    }

    fn entry(path: &str, status: &str) -> Entry {
        Entry {
            path: path.into(),
            status: status.into(),
            reason: if status == "ok" {
                String::new()
            } else {
                "why".into()
            },
            doc_id: if status == "ok" {
                "abc".into()
            } else {
                String::new()
            },
            bytes: 3,
            facts: 1,
        }
    }

    fn json(m: &Manifest) -> String {
        let mut out = Vec::new();
        m.write_json(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn streamed_and_in_memory_manifests_write_the_same_json() {
        let all = vec![
            entry("a/1.txt", "ok"),
            entry("a/2.png", "unsupported"),
            entry("b", "failed"),
            // A path JSON escapes, between a listing problem and the next file.
            entry("c/\"报告\"\\\n.txt", "ok"),
            entry("c/3.txt", "ok"),
            entry("z", "failed"),
        ];
        let mut builder = ManifestBuilder::new().unwrap();
        // Listing problems come out of order, one before every file, one after.
        builder.push_unordered(all[5].clone());
        builder.push_unordered(all[2].clone());
        for e in [&all[0], &all[1], &all[3], &all[4]] {
            builder.push(e).unwrap();
        }
        let streamed = builder.finish("v1".into()).unwrap();
        let held = Manifest::from_entries("v1".into(), all.clone());
        let text = json(&streamed);
        assert_eq!(text, json(&held));
        // It is the serde form of the whole manifest, and reads back.
        let file = ManifestFile {
            zongjie: env!("CARGO_PKG_VERSION").into(),
            lexicon_version: "v1".into(),
            counts: held.counts.clone(),
            inputs: all,
        };
        assert_eq!(text, serde_json::to_string_pretty(&file).unwrap() + "\n");
        let back: ManifestFile = serde_json::from_str(&text).unwrap();
        assert_eq!(back, file);
        assert_eq!(streamed.total(), 6);
        assert_eq!(
            streamed.summary_line(),
            "3 ok, 0 empty, 1 unsupported, 2 failed"
        );
        let unread: Vec<&str> = streamed.unread.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(unread, ["a/2.png", "b", "z"]);
    }

    #[test]
    fn an_empty_manifest_is_valid_json() {
        let m = ManifestBuilder::new().unwrap().finish("v".into()).unwrap();
        let back: ManifestFile = serde_json::from_str(&json(&m)).unwrap();
        assert!(back.inputs.is_empty());
        assert_eq!(back.counts["ok"], 0);
        assert_eq!(
            json(&m),
            serde_json::to_string_pretty(&back).unwrap() + "\n"
        );
    }
}
