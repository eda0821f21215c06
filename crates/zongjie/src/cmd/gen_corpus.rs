//! `zongjie gen-corpus`: a deterministic synthetic corpus with ground truth,
//! for benchmarks and accuracy checks at any size.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use rayon::prelude::*;

use crate::cli::Global;
use crate::fsutil::write_atomic;
use crate::synth::{County, Generator, Templates};

/// Arguments of `zongjie gen-corpus`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Writes DIR/corpus/NNNN/NNNNNNN.txt (1000 files a folder) and DIR/truth.jsonl,
one JSON object per document in the format of the seeds' gold file (region,
period, themes, facts with indicator and role, masked, damaged).

Examples:
  zongjie gen-corpus --docs 500 --out reports-out/gen-500
  zongjie gen-corpus --docs 60000 --seed 7 --out /tmp/corpus-200mb")]
pub struct GenCorpusArgs {
    /// How many documents to write.
    #[arg(long, value_name = "N")]
    pub docs: u64,
    /// Output folder.
    #[arg(long, short, value_name = "DIR")]
    pub out: PathBuf,
    /// Seed: the same seed and count give the same corpus, byte for byte.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// Counties of the built-in gazetteer with a few of their towns.
pub fn counties() -> Vec<County> {
    use std::collections::HashMap;
    use zongjie_parse::gazetteer::{Gazetteer, PlaceLevel};
    let gazetteer = Gazetteer::builtin();
    let mut towns: HashMap<&str, Vec<String>> = HashMap::new();
    for place in gazetteer.places() {
        if let (PlaceLevel::Town, Some(parent)) = (place.level, &place.parent) {
            let list = towns.entry(parent.as_str()).or_default();
            if list.len() < 6 {
                list.push(place.name.clone());
            }
        }
    }
    let name_at = |index: u32, level: PlaceLevel| {
        gazetteer
            .ancestor_at(index, level)
            .map(|i| gazetteer.place(i))
            .map(|p| (p.name.clone(), p.code.clone()))
            .unwrap_or_default()
    };
    (0..gazetteer.len() as u32)
        .filter(|&i| gazetteer.place(i).level == PlaceLevel::County)
        .map(|i| {
            let place = gazetteer.place(i);
            let (city, city_code) = name_at(i, PlaceLevel::City);
            let (province, _) = name_at(i, PlaceLevel::Province);
            County {
                code: place.code.clone(),
                name: place.name.clone(),
                city,
                city_code,
                province,
                towns: towns.get(place.code.as_str()).cloned().unwrap_or_default(),
            }
        })
        .collect()
}

/// Run the command.
pub fn run(args: &GenCorpusArgs, global: &Global) -> anyhow::Result<ExitCode> {
    let generator = Generator::new(counties(), Templates::builtin()?, args.seed)?;
    let corpus = args.out.join("corpus");
    std::fs::create_dir_all(&corpus)
        .with_context(|| format!("cannot create {}", corpus.display()))?;
    let mut truth = Vec::new();
    let mut bytes_total = 0u64;
    for start in (0..args.docs).step_by(4096) {
        let end = (start + 4096).min(args.docs);
        let docs: Vec<_> = (start..end)
            .into_par_iter()
            .map(|i| {
                let doc = generator.document(i);
                let path = corpus.join(&doc.file);
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::write(&path, &doc.bytes)?;
                Ok::<_, std::io::Error>((doc.truth, doc.bytes.len() as u64))
            })
            .collect::<Result<_, _>>()
            .context("cannot write the corpus")?;
        for (t, n) in docs {
            serde_json::to_writer(&mut truth, &t)?;
            truth.write_all(b"\n")?;
            bytes_total += n;
        }
    }
    write_atomic(&args.out.join("truth.jsonl"), &truth)?;
    if !global.quiet {
        eprintln!(
            "zongjie: wrote {} documents ({:.1} MB) to {} and truth.jsonl",
            args.docs,
            bytes_total as f64 / 1e6,
            corpus.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
