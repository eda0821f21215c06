//! The batch runner behind `extract` and `report`: list inputs (on a thread
//! of their own, ahead of the parsers), read and parse them in parallel
//! (rayon) in bounded chunks, hand each chunk's rows to one writer that
//! shares the parsers' threads, and account for every input in the
//! manifest.
//!
//! Chunks are cut by input order, never by thread timing, so the outputs are
//! byte-identical whatever the thread count.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Context;
use rayon::prelude::*;
use zongjie_aggregate::frames::DocumentRow;
use zongjie_parse::{Document, ParseError, Parser};

use crate::cache::Cache;
use crate::free_on_origin::FreeOnOrigin;
use crate::inputs;
use crate::manifest::{Entry, Manifest, ManifestBuilder};

/// How many inputs are read and parsed before their rows are handed to the writer.
pub const CHUNK: usize = 256;

/// Parsed chunks that may wait for the writer.
pub const CHUNKS_IN_FLIGHT: usize = 4;

/// Batches of listed paths that may wait for the parsing threads (each
/// batch a chunk's worth): the listing runs two chunks ahead.
const LISTED_AHEAD: usize = 2;

/// What a batch run needs besides its inputs.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    /// A user lexicon TOML that adds or overrides themes.
    pub lexicon: Option<PathBuf>,
    /// Threads that parse and write; `None` uses every core.
    pub threads: Option<usize>,
    /// Keep only shard `k` of `n` (0-based) of the inputs.
    pub shard: Option<(u32, u32)>,
    /// Keep parsed documents here and reuse them on the next run.
    pub cache: Option<PathBuf>,
    /// Files larger than this are `unsupported` without being read.
    pub max_file_bytes: u64,
    /// No progress output.
    pub quiet: bool,
}

/// The result of reading one input.
pub enum Outcome {
    /// Parsed, or read from the cache.
    Parsed {
        /// What the tables hold of the document: made on the thread that
        /// parsed it, which frees the rest of the document at once.
        doc: Box<DocumentRow>,
        /// True when it was read from the cache.
        from_cache: bool,
        /// Its new cache entry, when it was parsed with a cache that lacked it.
        to_cache: Option<(u64, Vec<u8>)>,
    },
    /// Not parsed, with the manifest entry saying why.
    Skipped(Entry),
}

/// Build the parser, with the user's lexicon when given.
pub fn build_parser(lexicon: Option<&Path>) -> anyhow::Result<Parser> {
    let mut lex = zongjie_parse::lexicon::Lexicon::builtin()?;
    if let Some(path) = lexicon {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read lexicon {}", path.display()))?;
        lex = lex.with_overrides(&text, &path.display().to_string())?;
    }
    Ok(Parser::with_lexicon(lex)?)
}

/// Read and parse one file, returning the outcome and the file's size;
/// never panics, never fails the batch.
pub fn read_one(
    parser: &Parser,
    path: &Path,
    max_bytes: u64,
    cache: Option<&Cache>,
) -> (Outcome, u64) {
    READ_BUFFER.with_borrow_mut(|buffer| {
        let outcome = read_into(parser, path, max_bytes, cache, buffer);
        if buffer.len() > READ_BUFFER_KEPT {
            // A rare large file: its room is not held for the rest of the run.
            *buffer = Vec::new();
        }
        outcome
    })
}

thread_local! {
    /// Each parsing thread's room for the bytes of the file it reads: kept
    /// from one file to the next, so a file costs no allocation, no
    /// zeroing and no stat for its size, only its reads.
    static READ_BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The room a thread's read buffer starts with: most reports fit in one read.
const READ_BUFFER_START: usize = 64 * 1024;

/// The most room a thread's read buffer keeps after a file.
const READ_BUFFER_KEPT: usize = 1024 * 1024;

/// [`read_one`] through `buffer`.
fn read_into(
    parser: &Parser,
    path: &Path,
    max_bytes: u64,
    cache: Option<&Cache>,
    buffer: &mut Vec<u8>,
) -> (Outcome, u64) {
    let shown = path.display().to_string();
    match read_within(path, max_bytes, buffer) {
        Ok(Contents::Whole(bytes)) => {
            let size = bytes.len() as u64;
            (parse_read(parser, shown, bytes, cache), size)
        }
        Ok(Contents::TooLarge(size)) => {
            let reason = format!(
                "{:.1} MB is larger than the {:.0} MB limit for one report (raise it with --max-file-mb)",
                size as f64 / 1e6,
                max_bytes as f64 / 1e6
            );
            let entry = unread_entry(shown, "unsupported", reason, size);
            (Outcome::Skipped(entry), size)
        }
        Err(err) => {
            let entry = unread_entry(shown, "failed", format!("cannot read: {err}"), 0);
            (Outcome::Skipped(entry), 0)
        }
    }
}

/// The manifest entry of an input whose bytes were never parsed (not
/// listed, not opened, or over the size limit): no document id, no facts.
fn unread_entry(path: String, status: &str, reason: String, bytes: u64) -> Entry {
    Entry {
        path,
        status: status.into(),
        reason,
        doc_id: String::new(),
        bytes,
        facts: 0,
    }
}

/// What [`read_within`] found in a file.
enum Contents<'a> {
    /// Every byte of the file.
    Whole(&'a [u8]),
    /// The file's size, over the limit: it was read no further than the
    /// buffer's room, or the limit and a byte where the limit is smaller.
    TooLarge(u64),
}

/// The bytes of the file at `path`, read into `buffer`, unless it is larger
/// than `max_bytes`. The file is opened once and read until a read gives
/// nothing. Its size is asked for only when it fills the buffer's room (a
/// report rarely does), so that a file over the limit is refused before
/// the buffer grows for it. `buffer` is grown, zeroed, as a file needs and
/// never shrunk here, so its bytes past the file are those of earlier files.
fn read_within<'a>(
    path: &Path,
    max_bytes: u64,
    buffer: &'a mut Vec<u8>,
) -> std::io::Result<Contents<'a>> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    // More than the limit is known to be too large: read no further.
    let enough = usize::try_from(max_bytes)
        .unwrap_or(usize::MAX)
        .saturating_add(1);
    let mut filled = 0;
    let mut sized = false;
    loop {
        if filled == buffer.len() {
            if filled >= enough {
                break;
            }
            if filled > 0 && !sized {
                sized = true;
                let size = file.metadata()?.len();
                if size > max_bytes {
                    return Ok(Contents::TooLarge(size));
                }
            }
            let room = (buffer.len().saturating_mul(2))
                .max(READ_BUFFER_START)
                .min(enough);
            buffer.resize(room, 0);
        }
        match file.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(read) => filled += read,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    if filled as u64 > max_bytes {
        let size = file.metadata().map_or(0, |m| m.len()).max(filled as u64);
        return Ok(Contents::TooLarge(size));
    }
    Ok(Contents::Whole(&buffer[..filled]))
}

/// The outcome for a file read whole: from the cache when it holds the
/// bytes' document, else parsed (with its cache entry, when there is a
/// cache). The bytes are hashed once: the id that looked the document up
/// names it when parsed.
fn parse_read(parser: &Parser, shown: String, bytes: &[u8], cache: Option<&Cache>) -> Outcome {
    let Some(cache) = cache else {
        return outcome(parser.parse(&shown, bytes), shown, bytes, |_| None);
    };
    let id = zongjie_parse::pipeline::doc_id(bytes);
    if let Some(doc) = cache.get(&id, &shown) {
        return Outcome::Parsed {
            doc: Box::new(DocumentRow::from(doc)),
            from_cache: true,
            to_cache: None,
        };
    }
    let parsed = parser.parse_with_id(&shown, bytes, id);
    outcome(parsed, shown, bytes, Cache::entry)
}

/// The outcome of parsing the file `shown`; `entry` makes a parsed
/// document's cache entry (on the parsing thread, not the writer's).
fn outcome(
    parsed: Result<Document, ParseError>,
    shown: String,
    bytes: &[u8],
    entry: impl FnOnce(&Document) -> Option<(u64, Vec<u8>)>,
) -> Outcome {
    match parsed {
        Ok(doc) => Outcome::Parsed {
            to_cache: entry(&doc),
            doc: Box::new(DocumentRow::from(doc)),
            from_cache: false,
        },
        Err(err) => Outcome::Skipped(skipped_entry(shown, bytes, &err)),
    }
}

fn skipped_entry(path: String, bytes: &[u8], err: &ParseError) -> Entry {
    Entry {
        path,
        status: err.status().as_str().to_string(),
        reason: err.to_string(),
        doc_id: if bytes.is_empty() {
            String::new()
        } else {
            zongjie_parse::pipeline::doc_id(bytes)
        },
        bytes: bytes.len() as u64,
        facts: 0,
    }
}

/// The entry of a parsed document.
pub fn ok_entry(doc: &DocumentRow, bytes: u64) -> Entry {
    Entry {
        path: doc.path.clone(),
        status: "ok".into(),
        reason: String::new(),
        doc_id: doc.doc_id.clone(),
        bytes,
        facts: doc.facts.len() as u64,
    }
}

/// A rayon pool of the requested size (every core when `None`).
pub fn thread_pool(threads: Option<usize>) -> anyhow::Result<rayon::ThreadPool> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        builder = builder.num_threads(n.max(1));
    }
    builder.build().context("cannot start worker threads")
}

/// `f` applied to every item of a chunk on `pool`, the results in the
/// items' order.
///
/// Every item is a task of its own. Left to itself, rayon cuts a chunk into
/// a few runs of dozens of items; a thread that ends its run while another
/// is in the middle of one waits at the chunk's end, and does so at every
/// chunk. With a task per item it takes the next item instead, so a chunk
/// ends within about one item's parse on every thread; an item (a report)
/// takes far longer to parse than a task takes to hand over.
pub fn map_in_order<T: Sync, R: Send>(
    pool: &rayon::ThreadPool,
    items: &[T],
    f: impl Fn(&T) -> R + Sync + Send,
) -> Vec<R> {
    pool.install(|| items.par_iter().with_max_len(1).map(f).collect())
}

/// Parse the files under `inputs` chunk by chunk as they are listed (see
/// [`inputs::walk`]), and pass each chunk's parsed documents (in path order)
/// to `sink` as [`DocumentRow`]s. Returns the manifest.
///
/// Each document is turned into its row on the thread that parsed it, which
/// frees the text, structure and evidence at once, while they are still in
/// that core's cache. `sink` returns the rows it is done with, in the order
/// it was given them (it may keep some for a later call): each is dropped
/// on the thread that parsed it, before that thread parses its next file,
/// so every free is local to the thread that allocated (see
/// [`FreeOnOrigin`]).
///
/// When a progress bar shows, the inputs are counted for its length on a
/// thread of their own, so parsing starts at once however long the count
/// takes on a large or slow file system; without a bar they are listed
/// only once.
///
/// Parsing and writing share the pool's threads, so `threads` bounds the
/// cores a run keeps busy: with one thread a chunk is written and then the
/// next one parsed; with more, one thread records the parsed chunks in the
/// manifest and hands them to `sink` while the others parse the next ones,
/// and joins the parsing when it is done (see [`write_while_parsing`]).
pub fn run(
    parser: &Parser,
    inputs: &[PathBuf],
    options: &BatchOptions,
    mut sink: impl FnMut(Vec<DocumentRow>) -> anyhow::Result<Vec<DocumentRow>> + Send,
) -> anyhow::Result<Manifest> {
    let mut manifest =
        ManifestBuilder::new().context("cannot create a temporary file for the manifest")?;
    let progress = crate::progress::Progress::new(options.quiet);
    let pool = thread_pool(options.threads)?;
    let cache = options
        .cache
        .as_deref()
        .map(|dir| Cache::open(dir, &parser.lexicon().version()));
    if let Some(note) = cache.as_ref().and_then(Cache::others_note) {
        if !options.quiet {
            progress.println(&format!("zongjie: note: {note}"));
        }
    }
    let mut from_cache = 0usize;
    let mut cache_failed = false;
    // Listing problems have no place in path order; they join the manifest
    // at the end.
    let mut problems = Vec::new();
    std::thread::scope(|scope| -> anyhow::Result<()> {
        let progress = &progress;
        if progress.shows_bar() {
            let shard = options.shard;
            scope.spawn(move || progress.set_total(inputs::count(inputs, shard)));
        }
        // The listing (reading and sorting folders) runs on a thread of its
        // own, up to two chunks ahead, so the parsing threads never wait for
        // it between chunks. It hands paths over a chunk at a time, one
        // handoff between the threads a chunk rather than one a path (the
        // lister, always ahead, otherwise waits for room after every path).
        let (lister, listed) = std::sync::mpsc::sync_channel::<Vec<inputs::Listed>>(LISTED_AHEAD);
        let shard = options.shard;
        scope.spawn(move || {
            let mut kept = inputs::walk(inputs).filter(|item| item.kept_in(shard));
            loop {
                let batch: Vec<inputs::Listed> = kept.by_ref().take(CHUNK).collect();
                if batch.is_empty() || lister.send(batch).is_err() {
                    break; // listed to the end, or the run stopped early
                }
            }
        });
        let problems = &mut problems;
        let files = listed.into_iter().flatten().filter_map(|item| match item {
            inputs::Listed::File(path) => Some(path),
            inputs::Listed::Problem(path, reason) => {
                progress.println(&format!("zongjie: {}: {reason}", path.display()));
                problems.push(unread_entry(
                    path.display().to_string(),
                    "failed",
                    reason,
                    0,
                ));
                None
            }
        });
        let home = FreeOnOrigin::new(pool.current_num_threads());
        let home = &home;
        let parse = |path: &PathBuf| {
            home.collect();
            let read = read_one(parser, path, options.max_file_bytes, cache.as_ref());
            (read, rayon::current_thread_index())
        };
        let (cache, from_cache, cache_failed) = (&cache, &mut from_cache, &mut cache_failed);
        // The parsing thread of each document given to `sink` and not yet
        // handed back, in the order given.
        let mut origins = std::collections::VecDeque::new();
        let write = |outcomes: Vec<((Outcome, u64), Option<usize>)>| -> anyhow::Result<()> {
            let mut docs = Vec::with_capacity(outcomes.len());
            let mut to_cache = Vec::new();
            for ((outcome, size), origin) in outcomes {
                progress.advance(size);
                match outcome {
                    Outcome::Parsed {
                        doc,
                        from_cache: cached,
                        to_cache: entry,
                    } => {
                        manifest.push(&ok_entry(&doc, size))?;
                        docs.push(*doc);
                        origins.push_back(origin);
                        *from_cache += usize::from(cached);
                        to_cache.extend(entry);
                    }
                    Outcome::Skipped(entry) => {
                        progress.println(&format!("zongjie: {}: {}", entry.path, entry.reason));
                        manifest.push(&entry)?;
                    }
                }
            }
            if let Some(cache) = cache {
                // A cache that cannot be written costs a re-parse next
                // time, not this run; it is said once.
                if let Err(err) = cache.write_pack(&to_cache) {
                    if !std::mem::replace(cache_failed, true) {
                        progress.println(&format!("zongjie: cannot add to the cache: {err:#}"));
                    }
                }
            }
            for done in sink(docs)? {
                home.send(origins.pop_front().flatten(), done);
            }
            Ok(())
        };
        write_while_parsing(&pool, files, parse, write)
    })?;
    for entry in problems {
        manifest.push_unordered(entry);
    }
    let manifest = manifest
        .finish(parser.lexicon().version())
        .context("cannot finish the manifest's temporary file")?;
    let mut summary = manifest.summary_line();
    if cache.is_some() {
        summary.push_str(&format!("; {from_cache} read from the cache"));
    }
    progress.finish(&summary);
    Ok(manifest)
}

/// Cut `items` into chunks of [`CHUNK`], `parse` each chunk's items on
/// `pool` (in order, see [`map_in_order`]) and hand every parsed chunk, in
/// order, to `write`.
///
/// Writing runs on the pool too, beside the parsing of the next chunks: each
/// round, one thread writes the chunks parsed so far while parsing goes on,
/// a chunk at a time, until the writing is done (at most
/// [`CHUNKS_IN_FLIGHT`] chunks, which bounds memory); then the writing thread
/// helps to parse the chunk under way. On one thread the round writes, then
/// parses one chunk. No thread outside the pool does any of the work, so a
/// run never keeps more threads busy than the pool has; where the writing of
/// a chunk ends against the parsing does not change what is written, nor
/// its order. Stops at the first error `write` returns, after the round.
pub fn write_while_parsing<T: Sync, R: Send>(
    pool: &rayon::ThreadPool,
    items: impl Iterator<Item = T> + Send,
    parse: impl Fn(&T) -> R + Sync + Send,
    mut write: impl FnMut(Vec<R>) -> anyhow::Result<()> + Send,
) -> anyhow::Result<()> {
    let mut items = items.fuse();
    let mut parsed: Vec<Vec<R>> = Vec::new();
    pool.install(|| loop {
        let written = AtomicBool::new(false);
        let to_write = std::mem::take(&mut parsed);
        let (wrote, (next, more)) = rayon::join(
            || {
                let wrote = to_write.into_iter().try_for_each(&mut write);
                written.store(true, Ordering::Release);
                wrote
            },
            || {
                let mut next = Vec::new();
                loop {
                    let chunk: Vec<T> = items.by_ref().take(CHUNK).collect();
                    if chunk.is_empty() {
                        return (next, false);
                    }
                    next.push(map_in_order(pool, &chunk, &parse));
                    if written.load(Ordering::Acquire) || next.len() == CHUNKS_IN_FLIGHT {
                        return (next, true);
                    }
                }
            },
        );
        wrote?;
        parsed = next;
        if !more && parsed.is_empty() {
            return Ok(());
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_in_order_keeps_the_items_order_whatever_finishes_first() {
        let pool = thread_pool(Some(2)).unwrap();
        // Early items take longest, so later ones finish first on the other thread.
        let items: Vec<u64> = (0..64).collect();
        let out = map_in_order(&pool, &items, |&i| {
            std::thread::sleep(std::time::Duration::from_micros((64 - i) * 50));
            i * 3
        });
        assert_eq!(out, items.iter().map(|i| i * 3).collect::<Vec<_>>());
        assert!(map_in_order(&pool, &[] as &[u64], |&i| i).is_empty());
    }

    /// Runs `write_while_parsing` over `n` numbers on `threads` threads,
    /// each parse and write a little slow, and returns what was written (in
    /// the order written) and the most threads seen busy at once.
    fn written_and_busiest(n: u64, threads: usize) -> (Vec<u64>, usize) {
        use std::sync::atomic::AtomicUsize;
        let pool = thread_pool(Some(threads)).unwrap();
        let busy = AtomicUsize::new(0);
        let busiest = AtomicUsize::new(0);
        let working = |micros: u64| {
            let now = busy.fetch_add(1, Ordering::SeqCst) + 1;
            busiest.fetch_max(now, Ordering::SeqCst);
            std::thread::sleep(std::time::Duration::from_micros(micros));
            busy.fetch_sub(1, Ordering::SeqCst);
        };
        let mut written = Vec::new();
        write_while_parsing(
            &pool,
            0..n,
            |&i| {
                working(i % 7 * 20);
                i * 3
            },
            |chunk| {
                assert!(chunk.len() <= CHUNK);
                working(2_000);
                written.extend(chunk);
                Ok(())
            },
        )
        .unwrap();
        (written, busiest.into_inner())
    }

    #[test]
    fn write_while_parsing_writes_every_item_in_order_and_keeps_to_the_pool() {
        // Several chunks and a part-filled last one.
        let n = 5 * CHUNK as u64 + 17;
        let expected: Vec<u64> = (0..n).map(|i| i * 3).collect();
        let (one, busiest) = written_and_busiest(n, 1);
        assert_eq!(one, expected);
        assert_eq!(busiest, 1, "one thread parses and writes by turns");
        let (two, busiest) = written_and_busiest(n, 2);
        assert_eq!(two, expected);
        assert_eq!(busiest, 2, "both threads work, and no third");
        assert_eq!(written_and_busiest(0, 2).0, Vec::<u64>::new());
    }

    #[test]
    fn read_within_reads_whole_files_and_refuses_large_ones_unread() {
        let dir = tempfile::tempdir().unwrap();
        let report = dir.path().join("report.txt");
        // Larger than the buffer's first room: it is grown as the file is read.
        let text = "寿光市科技局2018年上半年工作总结\n全市共有高新技术企业66家。\n".repeat(2000);
        assert!(text.len() > READ_BUFFER_START);
        std::fs::write(&report, &text).unwrap();
        let size = text.len() as u64;
        // One buffer for every read, as a parsing thread has.
        let mut buffer = Vec::new();
        match read_within(&report, size, &mut buffer).unwrap() {
            Contents::Whole(bytes) => assert_eq!(bytes, text.as_bytes()),
            Contents::TooLarge(_) => panic!("a file at the limit is read"),
        }
        match read_within(&report, size - 1, &mut buffer).unwrap() {
            Contents::TooLarge(found) => assert_eq!(found, size),
            Contents::Whole(_) => panic!("a file over the limit is not read"),
        }
        match read_within(&report, 10, &mut buffer).unwrap() {
            Contents::TooLarge(found) => assert_eq!(found, size),
            Contents::Whole(_) => panic!("a file over the limit is not read"),
        }
        // A small file after a large one: only its own bytes.
        let small = dir.path().join("small.txt");
        std::fs::write(&small, "全市共有高新技术企业66家。").unwrap();
        match read_within(&small, size, &mut buffer).unwrap() {
            Contents::Whole(bytes) => assert_eq!(bytes, "全市共有高新技术企业66家。".as_bytes()),
            Contents::TooLarge(_) => panic!("a small file is read"),
        }
        match read_within(&dir.path().join("missing.txt"), 10, &mut buffer) {
            Err(err) => assert_eq!(err.kind(), std::io::ErrorKind::NotFound),
            Ok(_) => panic!("a missing file cannot be read"),
        }
        // A folder opens, but cannot be read as a report.
        assert!(read_within(dir.path(), u64::MAX, &mut buffer).is_err());
        std::fs::write(dir.path().join("empty.txt"), "").unwrap();
        match read_within(&dir.path().join("empty.txt"), 0, &mut buffer).unwrap() {
            Contents::Whole(bytes) => assert!(bytes.is_empty()),
            Contents::TooLarge(_) => panic!("an empty file is within any limit"),
        }
        // A file over the limit that fills the buffer's first room is
        // refused by its size, before the buffer grows for it.
        let mut fresh = Vec::new();
        match read_within(&report, 100_000, &mut fresh).unwrap() {
            Contents::TooLarge(found) => assert_eq!(found, size),
            Contents::Whole(_) => panic!("a file over the limit is not read"),
        }
        assert_eq!(fresh.len(), READ_BUFFER_START);
        // A fresh buffer and a limit of nothing: one byte is too many.
        match read_within(&small, 0, &mut Vec::new()).unwrap() {
            Contents::TooLarge(found) => {
                assert_eq!(found, "全市共有高新技术企业66家。".len() as u64)
            }
            Contents::Whole(_) => panic!("a file over the limit is not read"),
        }
    }

    #[test]
    fn write_while_parsing_stops_at_the_first_write_error() {
        let pool = thread_pool(Some(2)).unwrap();
        let mut calls = 0;
        let result = write_while_parsing(
            &pool,
            0..(20 * CHUNK as u64),
            |&i| i,
            |_chunk| {
                calls += 1;
                if calls == 2 {
                    anyhow::bail!("disk full");
                }
                Ok(())
            },
        );
        assert_eq!(result.unwrap_err().to_string(), "disk full");
        assert_eq!(calls, 2, "no chunk is written after the error");
    }
}
