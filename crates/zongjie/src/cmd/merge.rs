//! `zongjie merge DIR...`: combine the outputs of `extract --shard K/N` runs
//! into one dataset, byte-identical to a single run over all inputs.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context as _};
use polars::prelude::{DataFrame, SortMultipleOptions};
use zongjie_aggregate::io;

use crate::cli::Global;
use crate::fsutil::write_atomic_with;
use crate::manifest::{Manifest, ManifestFile};
use crate::output::{DatasetWriter, DOCS_PER_ROW_GROUP};

/// Arguments of `zongjie merge`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Each DIR is an `extract` output folder (documents, facts, manifest). The
shards must have been made with the same lexicon; an input listed by two
shards is an error.

Example:
  for k in 0 1 2 3; do zongjie extract corpus/ --shard $k/4 --out shard-$k; done
  zongjie merge shard-0 shard-1 shard-2 shard-3 --out merged")]
pub struct MergeArgs {
    /// Shard output folders.
    #[arg(required = true, value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// Output folder for the combined dataset.
    #[arg(long, short, default_value = "reports-out/merged", value_name = "DIR")]
    pub out: PathBuf,
}

fn read_manifest(dir: &Path) -> anyhow::Result<ManifestFile> {
    let path = dir.join("manifest.json");
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    serde_json::from_str(&text)
        .with_context(|| format!("{}: not a zongjie manifest", path.display()))
}

/// Merge `dirs` into `out`.
pub fn merge(dirs: &[PathBuf], out: &Path) -> anyhow::Result<Manifest> {
    let mut entries = Vec::new();
    let mut lexicon = None::<String>;
    let mut themes = None::<Vec<String>>;
    let mut docs: Option<DataFrame> = None;
    let mut facts: Option<DataFrame> = None;
    for dir in dirs {
        let manifest = read_manifest(dir)?;
        match &lexicon {
            Some(v) if *v != manifest.lexicon_version => bail!(
                "{}: made with lexicon {} but the first shard used {v}",
                dir.display(),
                manifest.lexicon_version
            ),
            _ => lexicon = Some(manifest.lexicon_version.clone()),
        }
        entries.extend(manifest.inputs);
        let (lf, ids) = io::scan_documents(&dir.join("documents.parquet"))?;
        match &themes {
            Some(t) if *t != ids => bail!(
                "{}: its theme columns differ from the first shard's",
                dir.display()
            ),
            _ => themes = Some(ids),
        }
        let d = lf.collect()?;
        let f = io::scan_facts(&dir.join("facts.parquet"))?.collect()?;
        docs = Some(match docs {
            Some(mut all) => {
                all.vstack_mut_owned(d)?;
                all
            }
            None => d,
        });
        facts = Some(match facts {
            Some(mut all) => {
                all.vstack_mut_owned(f)?;
                all
            }
            None => f,
        });
    }
    let (Some(docs), Some(facts), Some(themes)) = (docs, facts, themes) else {
        bail!("no shard folders given");
    };
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    for pair in entries.windows(2) {
        if pair[0].path == pair[1].path {
            bail!("{} is listed by two shards", pair[0].path);
        }
    }
    let manifest = Manifest::from_entries(lexicon.unwrap_or_default(), entries);
    let docs = docs.sort(
        ["path"],
        SortMultipleOptions::default().with_maintain_order(true),
    )?;
    let facts = facts.sort(
        ["path", "start"],
        SortMultipleOptions::default().with_maintain_order(true),
    )?;

    let mut writer = DatasetWriter::create(out, &themes)?;
    let doc_paths = docs.column("path")?.str()?.clone();
    let fact_paths = facts.column("path")?.str()?.clone();
    let mut fact_at = 0usize;
    let mut row = 0usize;
    while row < docs.height() {
        let len = DOCS_PER_ROW_GROUP.min(docs.height() - row);
        let last = doc_paths.get(row + len - 1).unwrap_or("").to_string();
        let start = fact_at;
        while fact_at < facts.height()
            && fact_paths.get(fact_at).is_some_and(|p| p <= last.as_str())
        {
            fact_at += 1;
        }
        let mut d = docs.slice(row as i64, len);
        let mut f = facts.slice(start as i64, fact_at - start);
        writer.write_frames(&mut d, &mut f)?;
        row += len;
    }
    writer.finish()?;
    write_atomic_with(&out.join("manifest.json"), |w| manifest.write_json(w))?;
    Ok(manifest)
}

/// Run the command.
pub fn run(args: &MergeArgs, global: &Global) -> anyhow::Result<ExitCode> {
    let manifest = merge(&args.dirs, &args.out)?;
    if !global.quiet {
        eprintln!(
            "zongjie: merged {} inputs ({}) into {}",
            manifest.total(),
            manifest.summary_line(),
            args.out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
