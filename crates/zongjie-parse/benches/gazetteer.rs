//! Throughput of the gazetteer scan over a long document (~5 MB of report text).

// criterion_group! generates an undocumented function.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use zongjie_parse::gazetteer::Gazetteer;

/// About 5 MB of report text: the seed reports repeated, or, when they are not
/// available, synthetic sentences mixing place names and report prose.
fn long_document() -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/seeds");
    let mut seed = String::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths {
            if let Ok(t) = std::fs::read_to_string(&p) {
                seed.push_str(&t);
            }
        }
    }
    if seed.is_empty() {
        seed = "今年以来，寿光市科技局认真落实市委、市政府部署，赴北京、济南考察学习，\
                在洋梓、胡集等乡镇开展科技服务，全市共有高新技术企业66家。\n"
            .repeat(20);
    }
    let mut doc = String::with_capacity(5_300_000);
    while doc.len() < 5_000_000 {
        doc.push_str(&seed);
    }
    doc
}

fn bench_scan(c: &mut Criterion) {
    let g = Gazetteer::builtin();
    let doc = long_document();
    let mentions = g.scan(&doc).len();
    println!("document: {} bytes, {} mentions", doc.len(), mentions);
    let mut group = c.benchmark_group("gazetteer");
    group.throughput(Throughput::Bytes(doc.len() as u64));
    group.sample_size(20);
    group.bench_function("scan_5mb", |b| {
        b.iter(|| g.scan(std::hint::black_box(&doc)).len())
    });
    // The byte-wise automaton the scan used before, over the same forms, for
    // comparison in the same run (and a check that both find the same names).
    let bytewise = aho_corasick::AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::LeftmostLongest)
        .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
        .build(g.patterns())
        .expect("the gazetteer's forms compile");
    assert_eq!(bytewise.find_iter(&doc).count(), mentions);
    group.bench_function("scan_5mb_bytewise_nfa", |b| {
        b.iter(|| bytewise.find_iter(std::hint::black_box(&doc)).count())
    });
    group.finish();
}

criterion_group!(benches, bench_scan);
criterion_main!(benches);
