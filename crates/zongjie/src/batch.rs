//! The batch runner behind `extract` and `report`: list inputs (on a thread
//! of their own, ahead of the parsers), read and parse them in parallel
//! (rayon) in bounded chunks, hand each chunk's rows to one writer, and
//! account for every input in the manifest.
//!
//! Chunks are cut by input order, never by thread timing, so the outputs are
//! byte-identical whatever the thread count.

use std::path::{Path, PathBuf};

use anyhow::Context;
use rayon::prelude::*;
use zongjie_parse::{Document, ParseError, Parser};

use crate::cache::Cache;
use crate::inputs;
use crate::manifest::{Entry, Manifest, ManifestBuilder};

/// How many inputs are read and parsed before their rows are handed to the writer.
pub const CHUNK: usize = 256;

/// Parsed chunks that may wait for the writer.
pub const CHUNKS_IN_FLIGHT: usize = 4;

/// Listed paths that may wait for the parsing threads: two chunks.
const LISTED_AHEAD: usize = 2 * CHUNK;

/// What a batch run needs besides its inputs.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    /// A user lexicon TOML that adds or overrides themes.
    pub lexicon: Option<PathBuf>,
    /// Worker threads; `None` uses every core.
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
    /// Parsed.
    Parsed(Box<Document>),
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
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    (read_sized(parser, path, size, max_bytes, cache), size)
}

fn read_sized(
    parser: &Parser,
    path: &Path,
    size: u64,
    max_bytes: u64,
    cache: Option<&Cache>,
) -> Outcome {
    let shown = path.display().to_string();
    if size > max_bytes {
        return Outcome::Skipped(Entry {
            path: shown,
            status: "unsupported".into(),
            reason: format!(
                "{:.1} MB is larger than the {:.0} MB limit for one report (raise it with --max-file-mb)",
                size as f64 / 1e6,
                max_bytes as f64 / 1e6
            ),
            doc_id: String::new(),
            bytes: size,
            facts: 0,
        });
    }
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) => {
            return Outcome::Skipped(Entry {
                path: shown,
                status: "failed".into(),
                reason: format!("cannot read: {err}"),
                doc_id: String::new(),
                bytes: 0,
                facts: 0,
            })
        }
    };
    let cached = cache.and_then(|c| c.get(&zongjie_parse::pipeline::doc_id(&bytes), &shown));
    if let Some(doc) = cached {
        return Outcome::Parsed(Box::new(doc));
    }
    match parser.parse(&shown, &bytes) {
        Ok(doc) => {
            if let Some(cache) = cache {
                cache.put(&doc);
            }
            Outcome::Parsed(Box::new(doc))
        }
        Err(err) => Outcome::Skipped(skipped_entry(shown, &bytes, &err)),
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
pub fn ok_entry(doc: &Document, bytes: u64) -> Entry {
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
/// to `sink`. Returns the manifest.
///
/// When a progress bar shows, the inputs are counted for its length on a
/// thread of their own, so parsing starts at once however long the count
/// takes on a large or slow file system; without a bar they are listed
/// only once.
///
/// The manifest and the sink run on a thread of their own while the next
/// chunks are parsed, with at most [`CHUNKS_IN_FLIGHT`] parsed chunks waiting
/// for them, so writing overlaps parsing (a full Parquet row group takes a
/// while to compress) and memory stays bounded.
pub fn run(
    parser: &Parser,
    inputs: &[PathBuf],
    options: &BatchOptions,
    mut sink: impl FnMut(Vec<Document>) -> anyhow::Result<()> + Send,
) -> anyhow::Result<Manifest> {
    let mut manifest =
        ManifestBuilder::new().context("cannot create a temporary file for the manifest")?;
    let progress = crate::progress::Progress::new(options.quiet);
    let pool = thread_pool(options.threads)?;
    let cache = options
        .cache
        .as_deref()
        .map(|dir| Cache::new(dir, &parser.lexicon().version()));
    // Listing problems have no place in path order; they join the manifest
    // at the end.
    let mut problems = Vec::new();
    // The writer thread records every outcome in the manifest and hands the
    // parsed documents to the sink, so the parsing threads never wait for
    // either between chunks.
    let mut manifest = std::thread::scope(|scope| -> anyhow::Result<ManifestBuilder> {
        let (to_writer, from_parser) =
            std::sync::mpsc::sync_channel::<Vec<(Outcome, u64)>>(CHUNKS_IN_FLIGHT);
        let progress = &progress;
        if progress.shows_bar() {
            let shard = options.shard;
            scope.spawn(move || progress.set_total(inputs::count(inputs, shard)));
        }
        let writer = scope.spawn(move || -> anyhow::Result<ManifestBuilder> {
            for outcomes in from_parser {
                let mut docs = Vec::with_capacity(outcomes.len());
                for (outcome, size) in outcomes {
                    progress.advance(size);
                    match outcome {
                        Outcome::Parsed(doc) => {
                            manifest.push(&ok_entry(&doc, size))?;
                            docs.push(*doc);
                        }
                        Outcome::Skipped(entry) => {
                            progress.println(&format!("zongjie: {}: {}", entry.path, entry.reason));
                            manifest.push(&entry)?;
                        }
                    }
                }
                sink(docs)?;
            }
            Ok(manifest)
        });
        // The listing (reading and sorting folders) runs on a thread of its
        // own, up to two chunks ahead, so the parsing threads never wait for
        // it between chunks.
        let (lister, listed) = std::sync::mpsc::sync_channel::<inputs::Listed>(LISTED_AHEAD);
        let shard = options.shard;
        scope.spawn(move || {
            for item in inputs::walk(inputs).filter(|item| item.kept_in(shard)) {
                if lister.send(item).is_err() {
                    break; // the run stopped early
                }
            }
        });
        let mut files = listed.into_iter().filter_map(|item| match item {
            inputs::Listed::File(path) => Some(path),
            inputs::Listed::Problem(path, reason) => {
                progress.println(&format!("zongjie: {}: {reason}", path.display()));
                problems.push(Entry {
                    path: path.display().to_string(),
                    status: "failed".into(),
                    reason,
                    doc_id: String::new(),
                    bytes: 0,
                    facts: 0,
                });
                None
            }
        });
        loop {
            let chunk: Vec<PathBuf> = files.by_ref().take(CHUNK).collect();
            if chunk.is_empty() {
                break;
            }
            let outcomes = map_in_order(&pool, &chunk, |path| {
                read_one(parser, path, options.max_file_bytes, cache.as_ref())
            });
            if to_writer.send(outcomes).is_err() {
                // The writer stopped on an error; it is reported below.
                break;
            }
        }
        drop(to_writer);
        match writer.join() {
            Ok(result) => result,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })?;
    for entry in problems {
        manifest.push_unordered(entry);
    }
    let manifest = manifest
        .finish(parser.lexicon().version())
        .context("cannot finish the manifest's temporary file")?;
    progress.finish(&manifest.summary_line());
    Ok(manifest)
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
}
