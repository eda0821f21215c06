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

/// A user lexicon adds a theme: its column in the documents table, and its
/// facts found in the same pass as the built-in terms and the place names.
/// A lexicon that does not parse is named in the error with its line.
#[test]
fn a_user_lexicon_adds_a_theme_to_the_tables() {
    let tmp = tempfile::tempdir().unwrap();
    let lexicon = tmp.path().join("centres.toml");
    std::fs::write(
        &lexicon,
        "[[theme]]\nid = \"engineering_centre\"\nlabel = \"工程技术研究中心\"\n\
         terms = [\"工程技术研究中心\"]\n\n[[theme.indicator]]\nid = \"new\"\n\
         words = [\"新增\"]\nunits = [\"家\"]\n",
    )
    .unwrap();
    let report = sample_corpus().join("shouguang-2022-h1.txt");
    let out_dir = tmp.path().join("out");
    let extract = || {
        zongjie(&[
            "extract",
            report.to_str().unwrap(),
            "--lexicon",
            lexicon.to_str().unwrap(),
            "--out",
            out_dir.to_str().unwrap(),
            "--quiet",
        ])
    };
    let out = extract();
    assert!(out.status.success(), "{}", show(&out));
    let docs = gold::rows(&out_dir.join("documents.csv"));
    assert_eq!(docs[0]["mentions_engineering_centre"], "1", "{:?}", docs[0]);
    assert_eq!(docs[0]["region_code"], "370783");
    let facts = gold::rows(&out_dir.join("facts.csv"));
    let centres: Vec<_> = facts
        .iter()
        .filter(|f| f["theme"] == "engineering_centre")
        .map(|f| {
            (
                f["indicator"].as_str(),
                f["value"].as_str(),
                f["raw"].as_str(),
            )
        })
        .collect();
    assert_eq!(centres, [("new", "2.0", "2家")], "{facts:?}");
    // The built-in themes are still found beside it.
    assert!(facts.iter().any(|f| f["theme"] == "high_tech_enterprise"));

    std::fs::write(&lexicon, "[[theme]]\nid = \"broken\nterms = []\n").unwrap();
    let out = extract();
    assert!(!out.status.success(), "{}", show(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("centres.toml"), "{err}");
}
