//! The embedded sample corpus against its ground truth.

use crate::gold::{self, Score};
use crate::util::{manifest, sample_corpus, show, zongjie};

#[test]
fn sample_corpus_matches_truth() {
    let corpus = sample_corpus();
    let tmp = tempfile::tempdir().unwrap();
    let out_dir = tmp.path().join("out");
    let out = zongjie(&[
        "extract",
        corpus.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(out.status.success(), "{}", show(&out));
    let truth = gold::load(&corpus.parent().unwrap().join("sample-truth.json"));
    let m = manifest(&out_dir);
    // Every report is read; README.md and truth.json are listed too, never silently dropped.
    assert!(
        m["counts"]["ok"].as_u64().unwrap() >= truth.len() as u64,
        "{m:#}"
    );

    let docs = gold::rows(&out_dir.join("documents.csv"));
    let facts = gold::rows(&out_dir.join("facts.csv"));
    let mut problems = Vec::new();
    let mut score = Score::default();
    for t in &truth {
        let file = t["file"].as_str().unwrap();
        let doc = gold::rows_for(&docs, file);
        assert_eq!(doc.len(), 1, "{file} not in documents.csv");
        let doc = doc[0];
        let want_region = match t["region"]["code"].as_str() {
            Some(code) => code.to_string(),
            None => format!("{}00", t["region"]["city_code"].as_str().unwrap()),
        };
        if doc["region_code"] != want_region {
            problems.push(format!(
                "{file}: region {} want {want_region}",
                doc["region_code"]
            ));
        }
        let p = &t["period"];
        if doc["period"] != p["kind"].as_str().unwrap() {
            problems.push(format!(
                "{file}: period {} want {}",
                doc["period"], p["kind"]
            ));
        }
        let want_year = p["year"]
            .as_i64()
            .map(|y| y.to_string())
            .unwrap_or_default();
        if doc["year"] != want_year {
            problems.push(format!("{file}: year {} want {want_year}", doc["year"]));
        }
        if doc["year_trust"] != p["year_trust"].as_str().unwrap() {
            problems.push(format!(
                "{file}: year_trust {} want {}",
                doc["year_trust"], p["year_trust"]
            ));
        }
        let doc_facts = gold::rows_for(&facts, file);
        problems.extend(gold::flagged_never_clean(t, &doc_facts));
        gold::score_doc(t, &doc_facts, true, &mut score);
    }
    eprintln!(
        "sample facts: core recall {:.2}, precision {:.2}",
        score.recall(),
        score.precision()
    );
    for note in &score.notes {
        eprintln!("  {note}");
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(score.recall() >= 0.9, "core recall {:.2}", score.recall());
    assert!(
        score.precision() >= 0.9,
        "precision {:.2}",
        score.precision()
    );
}
