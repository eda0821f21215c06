//! Throughput of fact extraction over the concatenated seed reports.

// criterion_group!/criterion_main! generate undocumented items.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use zongjie_parse::facts::extract;
use zongjie_parse::lexicon::Lexicon;
use zongjie_parse::{Period, Role, Section, Sentence, Structure, YearTrust};

/// Sentences split on 。；and line breaks under one root section; the real
/// structure stage is not needed to measure extraction.
fn structure(text: &str) -> Structure {
    let mut sentences = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if matches!(c, '。' | '；' | '\n') {
            let end = i + c.len_utf8();
            sentences.push(Sentence {
                span: start..end,
                section: 0,
            });
            start = end;
        }
    }
    sentences.push(Sentence {
        span: start..text.len(),
        section: 0,
    });
    Structure {
        title: String::new(),
        sections: vec![Section {
            heading: String::new(),
            marker: String::new(),
            level: 0,
            parent: None,
            role: Role::Achievement,
            span: 0..text.len(),
        }],
        sentences,
    }
}

fn bench(c: &mut Criterion) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/seeds");
    let mut text = String::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths {
            if let Ok(t) = std::fs::read_to_string(&p) {
                text.push_str(&t);
                text.push('\n');
            }
        }
    }
    if text.is_empty() {
        eprintln!("note: {dir} missing, benchmark skipped");
        return;
    }
    let lexicon = Lexicon::builtin().expect("builtin lexicon");
    let structure = structure(&text);
    let period = Period {
        year: Some(2018),
        kind: None,
        year_trust: YearTrust::Sure,
        evidence: vec![],
    };
    let mut group = c.benchmark_group("extract");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("seeds", |b| {
        b.iter(|| extract(&lexicon, std::hint::black_box(&text), &structure, &period))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
