//! Benchmarks of the indicators and coverage tables on a synthetic corpus of
//! 100,000 documents and 10 million facts held in memory.
//!
//! Run with `cargo bench -p zongjie-aggregate` (a release build of polars).

use std::path::Path;

use criterion::{criterion_main, Criterion};
use polars::prelude::*;
use zongjie_aggregate::schema::{documents_schema, facts_schema, DOCUMENT_COLUMNS, FACT_COLUMNS};
use zongjie_aggregate::tables::{coverage, indicators, By, Filters};
use zongjie_aggregate::Dataset;

const DOCS: usize = 100_000;
const FACTS_PER_DOC: usize = 100;
const THEMES: &[&str] = &[
    "high_tech_enterprise",
    "patent",
    "science_envoy",
    "earthquake_preparedness",
];
const KINDS: &[&str] = &["Q1", "Q2", "H1", "H2", "FY"];
const INDICATORS: &[&str] = &["certified", "applications", "grants", "selected", "drills"];
const ROLES: &[&str] = &[
    "achievement",
    "achievement",
    "achievement",
    "plan",
    "problem",
];

/// A cheap deterministic mixer, so the corpus is the same on every run.
fn mix(i: usize) -> usize {
    let mut x = i as u64 ^ 0x9e37_79b9_7f4a_7c15;
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    (x ^ (x >> 31)) as usize
}

fn region(doc: usize) -> String {
    // 2,000 counties across 30 provinces.
    let county = mix(doc) % 2000;
    format!(
        "{:02}{:02}{:02}",
        11 + county % 30,
        1 + county / 30 % 20,
        1 + county / 600
    )
}

fn documents() -> DataFrame {
    let schema = documents_schema(THEMES);
    let columns: Vec<Column> = schema
        .iter()
        .map(|(name, dtype)| {
            let n = name.as_str();
            let s: Series = match n {
                "path" | "doc_id" => (0..DOCS)
                    .map(|d| format!("{d:08}.txt"))
                    .collect::<Vec<_>>()
                    .into_iter()
                    .collect(),
                "region_code" => (0..DOCS).map(region).collect(),
                "province_code" => (0..DOCS).map(|d| region(d)[..2].to_string()).collect(),
                "city_code" => (0..DOCS).map(|d| region(d)[..4].to_string()).collect(),
                "region_name" | "county" => (0..DOCS).map(|d| format!("县{}", region(d))).collect(),
                "region_level" => (0..DOCS).map(|_| "county").collect(),
                "year" => (0..DOCS)
                    .map(|d| Some(2015 + (mix(d + 7) % 9) as i32))
                    .collect(),
                "period" => (0..DOCS).map(|d| KINDS[mix(d + 3) % KINDS.len()]).collect(),
                "period_label" => (0..DOCS)
                    .map(|d| {
                        format!(
                            "{}-{}",
                            2015 + mix(d + 7) % 9,
                            KINDS[mix(d + 3) % KINDS.len()]
                        )
                    })
                    .collect(),
                "sentences" => (0..DOCS).map(|d| 50 + (mix(d) % 200) as u64).collect(),
                "facts" => (0..DOCS).map(|_| FACTS_PER_DOC as u64).collect(),
                _ => match dtype {
                    DataType::String => (0..DOCS).map(|_| "").collect(),
                    DataType::Float64 => (0..DOCS).map(|_| 0.9f64).collect(),
                    DataType::UInt64 => (0..DOCS).map(|d| (mix(d) % 20_000) as u64).collect(),
                    // mentions_<theme>
                    _ => (0..DOCS).map(|d| (mix(d + n.len()) % 30) as u32).collect(),
                },
            };
            s.with_name(name.clone()).into_column()
        })
        .collect();
    assert_eq!(columns.len(), DOCUMENT_COLUMNS.len() + THEMES.len());
    DataFrame::new(DOCS, columns).expect("synthetic documents frame")
}

fn facts() -> DataFrame {
    let n = DOCS * FACTS_PER_DOC;
    let doc = |i: usize| i / FACTS_PER_DOC;
    let columns: Vec<Column> = facts_schema()
        .iter()
        .map(|(name, _)| {
            let s: Series = match name.as_str() {
                "doc_id" | "path" => (0..n).map(|i| format!("{:08}.txt", doc(i))).collect(),
                "region_code" => (0..n).map(|i| region(doc(i))).collect(),
                "period_label" => (0..n).map(|_| "").collect(),
                "theme" => (0..n).map(|i| THEMES[mix(i) % THEMES.len()]).collect(),
                "indicator" => (0..n)
                    .map(|i| INDICATORS[mix(i + 1) % INDICATORS.len()])
                    .collect(),
                "value" => (0..n)
                    .map(|i| (mix(i + 2) % 50 != 0).then(|| (mix(i + 5) % 1000) as f64))
                    .collect(),
                "unit" => (0..n).map(|_| "家").collect(),
                "raw" => (0..n).map(|i| format!("{}家", mix(i + 5) % 1000)).collect(),
                "qualifier" => (0..n).map(|_| "exact").collect(),
                "masked" => (0..n).map(|i| mix(i + 2) % 100 == 0).collect(),
                "damaged" => (0..n).map(|i| mix(i + 2) % 100 == 50).collect(),
                "role" => (0..n).map(|i| ROLES[mix(i + 3) % ROLES.len()]).collect(),
                "section" => (0..n).map(|_| "一、工作总结").collect(),
                "sentence" => (0..n)
                    .map(|i| format!("全县共有高新技术企业{}家。", i % 997))
                    .collect(),
                "start" => (0..n).map(|i| (i % FACTS_PER_DOC * 40) as u64).collect(),
                _ => (0..n)
                    .map(|i| (i % FACTS_PER_DOC * 40 + 3) as u64)
                    .collect(),
            };
            s.with_name(name.clone()).into_column()
        })
        .collect();
    assert_eq!(columns.len(), FACT_COLUMNS.len());
    DataFrame::new(n, columns).expect("synthetic facts frame")
}

fn bench(c: &mut Criterion) {
    let ds = Dataset::from_frames(documents(), facts(), Path::new("synthetic"))
        .expect("synthetic frames follow the schema");
    let mut group = c.benchmark_group("tables_10m_facts");
    group.sample_size(10);
    group.bench_function("indicators", |b| {
        b.iter(|| indicators(&ds, &Filters::default(), By::default()).expect("indicators"))
    });
    group.bench_function("coverage", |b| {
        b.iter(|| coverage(&ds, &Filters::default(), By::default()).expect("coverage"))
    });
    group.finish();
}

/// The group criterion runs (the macro's generated function carries no doc).
#[allow(missing_docs)]
mod entry {
    use criterion::criterion_group;
    criterion_group!(benches, super::bench);
}

criterion_main!(entry::benches);
