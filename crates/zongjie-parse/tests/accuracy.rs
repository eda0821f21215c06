//! Accuracy of the whole parser on real and sample reports against their gold
//! annotations: region, period and core facts. Prints a per-document table of
//! misses and extras so a failure says what went wrong.

use std::path::{Path, PathBuf};

use serde_json::Value;
use zongjie_parse::{Document, Parser};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn load(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(1.0)
}

#[derive(Default)]
struct Tally {
    docs: usize,
    region_ok: usize,
    period_ok: usize,
    core: usize,
    core_found: usize,
    reported: usize,
    correct: usize,
    notes: Vec<String>,
}

const HEADLINE: [&str; 4] = [
    "high_tech_enterprise",
    "patent",
    "science_envoy",
    "earthquake_preparedness",
];

fn check(doc: &Document, gold: &Value, check_role: bool, tally: &mut Tally) {
    let file = gold["file"].as_str().unwrap();
    tally.docs += 1;
    let region = &gold["region"];
    let hard = region["hard"].as_bool().unwrap_or(false);
    let want = match region["code"].as_str() {
        Some(code) => code.to_string(),
        None => format!("{}00", region["city_code"].as_str().unwrap()),
    };
    if doc.region.code == want || hard {
        tally.region_ok += 1;
    } else {
        tally.notes.push(format!(
            "{file}: region {} {} want {want}",
            doc.region.code, doc.region.name
        ));
    }
    let p = &gold["period"];
    let kind_ok = doc.period.kind.map(|k| k.as_str()) == p["kind"].as_str();
    let trust_ok = doc.period.year_trust.as_str() == p["year_trust"].as_str().unwrap();
    let year_ok = p["year_trust"] != "sure" || doc.period.year.map(i64::from) == p["year"].as_i64();
    if kind_ok && trust_ok && year_ok {
        tally.period_ok += 1;
    } else {
        tally.notes.push(format!(
            "{file}: period {} ({}) want {:?}-{} ({})",
            doc.period.label(),
            doc.period.year_trust.as_str(),
            p["year"],
            p["kind"],
            p["year_trust"]
        ));
    }
    let facts = gold["facts"].as_array().unwrap();
    for g in facts.iter().filter(|g| g["core"] == true) {
        tally.core += 1;
        let gv = g["value"].as_f64().unwrap();
        let found = doc.facts.iter().any(|f| {
            f.theme == g["theme"].as_str().unwrap()
                && f.unit == g["unit"].as_str().unwrap()
                && f.value.is_some_and(|v| same(v, gv))
                && (!check_role || g["role"].as_str().is_none_or(|r| f.role.as_str() == r))
        });
        if found {
            tally.core_found += 1;
        } else {
            tally.notes.push(format!(
                "{file}: missed {} {gv} {} «{}»",
                g["theme"], g["unit"], g["evidence"]
            ));
        }
    }
    for f in doc
        .facts
        .iter()
        .filter(|f| HEADLINE.contains(&f.theme.as_str()))
    {
        let Some(v) = f.value else { continue };
        tally.reported += 1;
        let ok = facts.iter().any(|g| {
            g["theme"] == f.theme.as_str()
                && g["unit"] == f.unit.as_str()
                && g["value"].as_f64().is_some_and(|gv| same(gv, v))
        });
        if ok {
            tally.correct += 1;
        } else {
            tally.notes.push(format!(
                "{file}: extra {} {v} {} «{}»",
                f.theme, f.unit, f.sentence
            ));
        }
    }
    for key in ["damaged", "masked"] {
        for g in gold[key].as_array().cloned().unwrap_or_default() {
            let raw = g["raw"].as_str().unwrap();
            for f in &doc.facts {
                if f.value.is_some() && !f.raw.is_empty() && raw.ends_with(f.raw.as_str()) {
                    tally.notes.push(format!(
                        "{file}: {key} «{raw}» reported as clean {:?}",
                        f.value
                    ));
                    tally.correct = tally.correct.saturating_sub(1);
                }
            }
        }
    }
}

fn report(name: &str, t: &Tally) {
    eprintln!(
        "{name}: {} docs, region {}/{}, period {}/{}, core facts {}/{}, precision {}/{}",
        t.docs,
        t.region_ok,
        t.docs,
        t.period_ok,
        t.docs,
        t.core_found,
        t.core,
        t.correct,
        t.reported
    );
    for n in &t.notes {
        eprintln!("  {n}");
    }
}

#[test]
fn seeds_against_gold() {
    let seeds = root().join("../shared/seeds");
    if !seeds.is_dir() {
        eprintln!("../shared/seeds not found; skipped");
        return;
    }
    let parser = Parser::new().unwrap();
    let mut tally = Tally::default();
    for gold in load(&root().join("../shared/gold/seeds.json")) {
        let path = seeds.join(gold["file"].as_str().unwrap());
        let doc = parser
            .parse(&path.display().to_string(), &std::fs::read(&path).unwrap())
            .unwrap();
        check(&doc, &gold, false, &mut tally);
    }
    report("seeds", &tally);
    assert_eq!(tally.region_ok, tally.docs, "regions");
    assert_eq!(tally.period_ok, tally.docs, "periods");
    assert_eq!(tally.core_found, tally.core, "every core gold fact");
    assert!(tally.correct * 10 >= tally.reported * 9, "precision ≥ 0.9");
}

#[test]
fn sample_corpus_against_truth() {
    let corpus = root().join("notebooks-data/sample-corpus");
    let parser = Parser::new().unwrap();
    let mut tally = Tally::default();
    for gold in load(&root().join("notebooks-data/sample-truth.json")) {
        let path = corpus.join(gold["file"].as_str().unwrap());
        let doc = parser
            .parse(&path.display().to_string(), &std::fs::read(&path).unwrap())
            .unwrap();
        check(&doc, &gold, true, &mut tally);
    }
    report("sample", &tally);
    assert_eq!(tally.region_ok, tally.docs, "regions");
    assert_eq!(tally.period_ok, tally.docs, "periods");
    assert!(tally.core_found * 10 >= tally.core * 9, "core recall ≥ 0.9");
    assert!(tally.correct * 10 >= tally.reported * 9, "precision ≥ 0.9");
}
