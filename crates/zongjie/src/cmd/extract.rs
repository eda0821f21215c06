//! `zongjie extract`: raw reports → documents, facts and manifest.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use crate::batch::{self, BatchOptions};
use crate::cli::Global;
use crate::fsutil::stage_with;
use crate::output::DatasetWriter;

/// Arguments of `zongjie extract`.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "\
Writes into --out: documents.parquet, documents.csv (one row per report),
facts.parquet, facts.csv (one row per number, with its sentence and offsets)
and manifest.json (every input with its status: ok, empty, unsupported, failed).

Examples:
  zongjie extract notebooks-data/sample-corpus --out reports-out/sample
  zongjie extract ~/reports --lexicon my-themes.toml --strict
  zongjie extract corpus/ --cache zongjie-cache      # a rerun parses only new files
  zongjie extract corpus/ --shard 0/4 --out shard-0   # then `zongjie merge`
  jq -c '{path: .url, text: .body}' pages.jsonl | zongjie extract --stdin-jsonl > parsed.jsonl")]
pub struct ExtractArgs {
    /// Report files or folders (walked recursively; hidden files are skipped).
    #[arg(required_unless_present = "stdin_jsonl", value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Read reports from stdin as JSON lines {"path": .., "text": ..} and write
    /// one JSON line per input line to stdout, in order: {"path", "status",
    /// "document": {documents row}, "facts": [{facts row}..]}, or {"path",
    /// "status", "reason"} for a report that cannot be used. Nothing is written
    /// to disk, so a batch engine's pipe operator can drive zongjie.
    #[arg(long, conflicts_with_all = ["inputs", "out", "shard", "cache"])]
    pub stdin_jsonl: bool,
    /// Output folder (created if missing; outputs are replaced atomically).
    #[arg(long, short, default_value = "reports-out/extract", value_name = "DIR")]
    pub out: PathBuf,
    /// Options shared with `report`.
    #[command(flatten)]
    pub run: RunArgs,
}

/// Options shared by every command that parses raw reports.
#[derive(Debug, Clone, clap::Args)]
pub struct RunArgs {
    /// A lexicon TOML file that adds themes or overrides built-in ones.
    #[arg(long, value_name = "FILE")]
    pub lexicon: Option<PathBuf>,
    /// Exit with status 1 if any input is empty, unsupported or failed.
    #[arg(long)]
    pub strict: bool,
    /// Threads that parse and write, which bounds the cores the run keeps
    /// busy (default: every core; -j 1 keeps to one).
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,
    /// Keep parsed documents in DIR (by content hash and lexicon version) and
    /// reuse them: a rerun over a grown corpus parses only new or changed
    /// files. The last line says how many documents the cache gave. A new
    /// build or lexicon starts a folder of its own inside DIR; a note says
    /// when the folders of others take space there, to be deleted by hand.
    #[arg(long, value_name = "DIR")]
    pub cache: Option<PathBuf>,
    /// Refuse files larger than this many megabytes (reports are rarely over 1 MB).
    #[arg(long, value_name = "MB", default_value_t = 32)]
    pub max_file_mb: u64,
    /// Process only shard K of N (0-based), chosen by a stable hash of each path.
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub shard: Option<(u32, u32)>,
}

impl RunArgs {
    /// The batch options these arguments ask for.
    pub fn batch_options(&self, quiet: bool) -> BatchOptions {
        BatchOptions {
            lexicon: self.lexicon.clone(),
            threads: self.threads,
            shard: self.shard,
            cache: self.cache.clone(),
            max_file_bytes: self.max_file_mb.saturating_mul(1_000_000),
            quiet,
        }
    }
}

/// Parse "K/N" with 0 ≤ K < N.
pub fn parse_shard(text: &str) -> Result<(u32, u32), String> {
    let (k, n) = text
        .split_once('/')
        .ok_or_else(|| format!("expected K/N such as 0/4, got {text:?}"))?;
    let k: u32 = k
        .trim()
        .parse()
        .map_err(|_| format!("shard index {k:?} is not a number"))?;
    let n: u32 = n
        .trim()
        .parse()
        .map_err(|_| format!("shard count {n:?} is not a number"))?;
    if n == 0 || k >= n {
        return Err(format!("shard {k}/{n}: need 0 <= K < N"));
    }
    Ok((k, n))
}

/// What an extract run produced.
#[derive(Debug)]
pub struct ExtractSummary {
    /// The manifest written.
    pub manifest: crate::manifest::Manifest,
    /// Folder the outputs are in.
    pub out: PathBuf,
}

/// Parse `inputs` and write the dataset into `out`.
pub fn extract(
    inputs: &[PathBuf],
    out: &std::path::Path,
    run: &RunArgs,
    quiet: bool,
) -> anyhow::Result<ExtractSummary> {
    // The files are listed as they are read, so the list is never held
    // whole; the progress bar's count is the batch runner's.
    let options = run.batch_options(quiet);
    let parser = batch::build_parser(run.lexicon.as_deref())?;
    let themes: Vec<String> = parser
        .lexicon()
        .theme_ids()
        .iter()
        .map(|s| s.to_string())
        .collect();
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let mut writer = DatasetWriter::create(out, &themes)?;
    let manifest = batch::run(&parser, inputs, &options, |docs| writer.write(docs))?;
    // The last row group, the flushes to disk and the manifest, side by side
    // on the run's threads; the manifest is renamed into place last.
    let manifest_path = out.join("manifest.json");
    let (finished, staged) = batch::thread_pool(options.threads)?.install(|| {
        rayon::join(
            || writer.finish(),
            || stage_with(&manifest_path, |w| manifest.write_json(w)),
        )
    });
    finished?;
    staged?.publish()?;
    Ok(ExtractSummary {
        manifest,
        out: out.to_path_buf(),
    })
}

/// Run the command.
pub fn run(args: &ExtractArgs, global: &Global) -> anyhow::Result<ExitCode> {
    if args.stdin_jsonl {
        return run_stdin_jsonl(&args.run, global.quiet);
    }
    let summary = extract(&args.inputs, &args.out, &args.run, global.quiet)?;
    if !global.quiet {
        eprintln!("zongjie: wrote {}", summary.out.display());
    }
    Ok(exit_code(&summary.manifest, args.run.strict))
}

/// `--stdin-jsonl`: stream stdin to stdout through the parser.
fn run_stdin_jsonl(run: &RunArgs, quiet: bool) -> anyhow::Result<ExitCode> {
    let parser = batch::build_parser(run.lexicon.as_deref())?;
    let pool = batch::thread_pool(run.threads)?;
    let stdin = std::io::stdin().lock();
    let stdout = std::io::BufWriter::new(std::io::stdout().lock());
    let counts = crate::jsonl::run(&parser, &pool, stdin, stdout)?;
    if !quiet {
        eprintln!(
            "zongjie: {} ok, {} not parsed (see their \"reason\")",
            counts.ok, counts.not_ok
        );
    }
    let nothing = counts.ok == 0 && counts.not_ok > 0;
    Ok(if nothing || (run.strict && counts.not_ok > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// 1 when nothing could be read, or with `strict` when anything could not; else 0.
pub fn exit_code(manifest: &crate::manifest::Manifest, strict: bool) -> ExitCode {
    let ok = manifest.count("ok");
    let total = manifest.total();
    if ok == 0 || (strict && ok < total) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

#[cfg(test)]
mod tests {
    use super::parse_shard;

    #[test]
    fn shard_argument() {
        assert_eq!(parse_shard("0/4"), Ok((0, 4)));
        assert_eq!(parse_shard("3/4"), Ok((3, 4)));
        assert!(parse_shard("4/4").is_err());
        assert!(parse_shard("1/0").is_err());
        assert!(parse_shard("x/2").unwrap_err().contains("not a number"));
        assert!(parse_shard("2").unwrap_err().contains("K/N"));
    }
}
