//! Throughput of the whole per-document pipeline ([`Parser::parse`]: decode,
//! clean, structure, region, period, facts) and of each stage alone, over the
//! seed reports and the sample corpus as scraped (mixed encodings, wrappers).

// criterion_group!/criterion_main! generate undocumented items.
#![allow(missing_docs)]

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use zongjie_parse::clean::Cleaner;
use zongjie_parse::gazetteer::Gazetteer;
use zongjie_parse::{ingest, period, region, structure, Parser};

/// Every regular file under `dir`, sorted, as (name, bytes).
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if let Ok(bytes) = std::fs::read(&p) {
            out.push((p.display().to_string(), bytes));
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut corpus = files(&root.join("../../../shared/seeds"));
    corpus.extend(files(&root.join("../../notebooks-data/sample-corpus")));
    if corpus.is_empty() {
        eprintln!("note: no seeds or sample corpus found, benchmark skipped");
        return;
    }
    let bytes: u64 = corpus.iter().map(|(_, b)| b.len() as u64).sum();
    let parser = Parser::new().expect("built-in tables compile");
    let cleaner = Cleaner::builtin().expect("built-in rules compile");
    let gazetteer = Gazetteer::builtin();
    let decoded: Vec<String> = corpus
        .iter()
        .filter_map(|(p, b)| ingest::decode(b, p).ok().map(|d| d.text))
        .collect();
    let cleaned: Vec<String> = decoded.iter().map(|t| cleaner.clean(t).text).collect();
    let structures: Vec<_> = cleaned.iter().map(|t| structure::analyze(t)).collect();

    let mut group = c.benchmark_group("pipeline");
    group.throughput(Throughput::Bytes(bytes));
    group.bench_function("parse", |b| {
        b.iter(|| {
            for (path, bytes) in &corpus {
                let _ = std::hint::black_box(parser.parse(path, bytes));
            }
        })
    });
    group.bench_function("decode", |b| {
        b.iter(|| {
            for (path, bytes) in &corpus {
                let _ = std::hint::black_box(ingest::decode(bytes, path));
            }
        })
    });
    group.bench_function("clean", |b| {
        b.iter(|| {
            for text in &decoded {
                std::hint::black_box(cleaner.clean(text));
            }
        })
    });
    group.bench_function("structure", |b| {
        b.iter(|| {
            for text in &cleaned {
                std::hint::black_box(structure::analyze(text));
            }
        })
    });
    group.bench_function("region_period", |b| {
        b.iter(|| {
            for (text, s) in cleaned.iter().zip(&structures) {
                std::hint::black_box(region::resolve_region(gazetteer, text, s));
                std::hint::black_box(period::resolve_period(text, s));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
