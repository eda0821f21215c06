//! The five real seed reports, run through the binary and checked against
//! their gold annotations (skipped when ../shared is not beside the checkout).

use crate::gold::{self, Score};
use crate::util::{manifest, root, seeds, show, zongjie};

#[test]
fn seeds_match_gold() {
    let Some(seed_dir) = seeds() else {
        eprintln!("../shared/seeds not found; seed tests skipped");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let out_dir = tmp.path().join("out");
    let out = zongjie(&[
        "extract",
        seed_dir.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(out.status.success(), "{}", show(&out));
    assert_eq!(manifest(&out_dir)["counts"]["ok"], 5);

    let golds = gold::load(&root().join("../shared/gold/seeds.json"));
    let docs = gold::rows(&out_dir.join("documents.csv"));
    let facts = gold::rows(&out_dir.join("facts.csv"));
    let mut problems = Vec::new();
    let mut score = Score::default();
    for g in &golds {
        let file = g["file"].as_str().unwrap();
        let doc = gold::rows_for(&docs, file);
        assert_eq!(doc.len(), 1, "{file}");
        let doc = doc[0];
        assert_eq!(doc["encoding"], "UTF-8", "{file}");
        // Region: the county where gold names one (unless marked hard), else the city.
        let hard = g["region"]["hard"].as_bool().unwrap_or(false);
        match g["region"]["code"].as_str() {
            Some(code) if !hard => {
                if doc["region_code"] != code {
                    problems.push(format!("{file}: region {} want {code}", doc["region_code"]));
                }
            }
            Some(_) => {}
            None => {
                let city = format!("{}00", g["region"]["city_code"].as_str().unwrap());
                if doc["region_code"] != city {
                    problems.push(format!(
                        "{file}: region {} want city {city}",
                        doc["region_code"]
                    ));
                }
            }
        }
        let period = &g["period"];
        if doc["period"] != period["kind"].as_str().unwrap() {
            problems.push(format!(
                "{file}: period {} want {}",
                doc["period"], period["kind"]
            ));
        }
        if doc["year_trust"] != period["year_trust"].as_str().unwrap() {
            problems.push(format!(
                "{file}: year_trust {} want {}",
                doc["year_trust"], period["year_trust"]
            ));
        }
        if let Some(year) = period["year"].as_i64() {
            if period["year_trust"] == "sure" && doc["year"] != year.to_string() {
                problems.push(format!("{file}: year {} want {year}", doc["year"]));
            }
        }
        // Themes gold marks absent get no facts.
        let doc_facts = gold::rows_for(&facts, file);
        for (theme, present) in g["themes"].as_object().unwrap() {
            if present == false
                && doc_facts
                    .iter()
                    .any(|f| f["theme"] == theme.as_str() && !f["value"].is_empty())
            {
                problems.push(format!("{file}: facts for absent theme {theme}"));
            }
        }
        problems.extend(gold::flagged_never_clean(g, &doc_facts));
        gold::score_doc(g, &doc_facts, false, &mut score);
    }
    eprintln!(
        "seed facts: core recall {:.2}, precision {:.2}",
        score.recall(),
        score.precision()
    );
    for note in &score.notes {
        eprintln!("  {note}");
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(
        score.core_found,
        score.core,
        "every core gold fact is found:\n{}",
        score.notes.join("\n")
    );
    assert!(
        score.precision() >= 0.9,
        "precision {:.2}:\n{}",
        score.precision(),
        score.notes.join("\n")
    );
}

#[test]
fn seeds_clean_without_wrapper_residue() {
    let Some(seed_dir) = seeds() else {
        eprintln!("../shared/seeds not found; seed tests skipped");
        return;
    };
    let residue = [
        "ID:",
        "大小:",
        "页数:",
        "_第1页",
        "资源描述",
        "温馨提示",
        "网站客服",
        "由会员",
        "下载文档",
        "推荐度",
    ];
    for entry in std::fs::read_dir(&seed_dir).unwrap() {
        let path = entry.unwrap().path();
        let out = zongjie(&["inspect", path.to_str().unwrap(), "--text"]);
        assert!(out.status.success(), "{}", show(&out));
        let text = String::from_utf8(out.stdout).unwrap();
        for r in residue {
            assert!(
                !text.contains(r),
                "{}: «{r}» survived cleaning",
                path.display()
            );
        }
    }
}
