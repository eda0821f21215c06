//! `compare` and `chart` on the sample corpus, checked against its ground truth.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::gold;
use crate::util::{root, sample_corpus, show, zongjie};

fn extract_sample(out: &Path) {
    let run = zongjie(&[
        "extract",
        sample_corpus().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(run.status.success(), "{}", show(&run));
}

fn table(data: &Path, name: &str, extra: &[&str]) -> Vec<gold::Row> {
    let file = data.join(format!("{name}.csv"));
    let mut args = vec![
        "compare",
        "--data",
        data.to_str().unwrap(),
        "--table",
        name,
        "--format",
        "csv",
    ];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["--out", file.to_str().unwrap()]);
    let run = zongjie(&args);
    assert!(run.status.success(), "{}", show(&run));
    gold::rows(&file)
}

/// (region code, period label) of a truth record, as the tables key it.
fn key(t: &serde_json::Value) -> Option<(String, String)> {
    let region = match t["region"]["code"].as_str() {
        Some(code) => code.to_string(),
        None => format!("{}00", t["region"]["city_code"].as_str()?),
    };
    let year = t["period"]["year"].as_i64()?;
    Some((region, format!("{year}-{}", t["period"]["kind"].as_str()?)))
}

#[test]
fn tables_agree_with_the_ground_truth() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    extract_sample(&data);
    let truth = gold::load(&root().join("notebooks-data/sample-truth.json"));

    // quality: documents per region × period.
    let mut want_docs: BTreeMap<(String, String), usize> = BTreeMap::new();
    for t in &truth {
        if let Some(k) = key(t) {
            *want_docs.entry(k).or_default() += 1;
        }
    }
    let quality = table(&data, "quality", &[]);
    for ((region, period), n) in &want_docs {
        let row = quality
            .iter()
            .find(|r| &r["region_code"] == region && &r["period_label"] == period)
            .unwrap_or_else(|| panic!("quality has no row for {region} {period}"));
        assert_eq!(row["documents"], n.to_string(), "{region} {period}");
    }

    // indicators: every achieved core value of a region × period × theme × indicator
    // that truth states once is the table's value for that key.
    let mut stated: BTreeMap<(String, String, String, String), Vec<f64>> = BTreeMap::new();
    for t in &truth {
        let Some((region, period)) = key(t) else {
            continue;
        };
        for f in t["facts"].as_array().unwrap() {
            if f["role"] == "achievement" && f["core"] == true {
                let k = (
                    region.clone(),
                    period.clone(),
                    f["theme"].as_str().unwrap().into(),
                    f["indicator"].as_str().unwrap().into(),
                );
                stated
                    .entry(k)
                    .or_default()
                    .push(f["value"].as_f64().unwrap());
            }
        }
    }
    let indicators = table(&data, "indicators", &["--role", "achievement"]);
    let (mut checked, mut agree) = (0, 0);
    let mut misses = Vec::new();
    for ((region, period, theme, indicator), values) in &stated {
        if values.len() != 1 {
            continue;
        }
        checked += 1;
        let found = indicators.iter().any(|r| {
            &r["region_code"] == region
                && &r["period_label"] == period
                && &r["theme"] == theme
                && r["value"]
                    .parse::<f64>()
                    .is_ok_and(|v| (v - values[0]).abs() < 1e-6)
        });
        if found {
            agree += 1;
        } else {
            misses.push(format!(
                "{region} {period} {theme}/{indicator} = {}",
                values[0]
            ));
        }
    }
    eprintln!(
        "indicators: {agree}/{checked} truth values found\n  {}",
        misses.join("\n  ")
    );
    assert!(checked > 50);
    assert!(
        agree * 100 >= checked * 95,
        "{agree}/{checked}:\n{}",
        misses.join("\n")
    );
    // Masked and damaged facts never become a value.
    for r in &indicators {
        if r["masked"] != "0" && r["facts"] == r["masked"] {
            assert!(r["value"].is_empty(), "{r:?}");
        }
    }

    // change: consecutive comparable periods of the same region give rows.
    let change = table(&data, "change", &[]);
    let periods: BTreeSet<(String, String)> = want_docs.keys().cloned().collect();
    let mut pairs = 0;
    for (region, period) in &periods {
        let (year, kind) = period.split_once('-').unwrap();
        let next = format!("{}-{kind}", year.parse::<i32>().unwrap() + 1);
        if periods.contains(&(region.clone(), next.clone())) {
            pairs += 1;
            assert!(
                change.iter().any(|r| &r["region_code"] == region
                    && &r["from_period"] == period
                    && r["to_period"] == next),
                "no change rows for {region} {period} → {next}"
            );
        }
    }
    assert!(
        pairs >= 4,
        "the sample corpus has consecutive periods for several counties"
    );
    for r in &change {
        let (from, to) = (
            r["from_value"].parse::<f64>().unwrap(),
            r["to_value"].parse::<f64>().unwrap(),
        );
        assert!(
            (r["abs_change"].parse::<f64>().unwrap() - (to - from)).abs() < 1e-6,
            "{r:?}"
        );
    }

    // A filter keeps only what it names.
    let patents = table(
        &data,
        "indicators",
        &["--theme", "patent", "--province", "37"],
    );
    assert!(!patents.is_empty());
    assert!(patents
        .iter()
        .all(|r| r["theme"] == "patent" && r["region_code"].starts_with("37")));
}

#[test]
fn every_chart_kind_renders_on_the_sample_corpus() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    extract_sample(&data);
    let kinds: [(&str, &[&str]); 5] = [
        ("coverage-heatmap", &[]),
        ("coverage-grid", &[]),
        ("quality", &[]),
        (
            "indicator-bars",
            &[
                "--theme",
                "patent",
                "--indicator",
                "applications",
                "--period",
                "2023-H1",
            ],
        ),
        (
            "indicator-trend",
            &["--theme", "patent", "--indicator", "applications"],
        ),
    ];
    for (kind, extra) in kinds {
        let file = tmp.path().join(format!("{kind}.svg"));
        let mut args = vec![
            "chart",
            kind,
            "--data",
            data.to_str().unwrap(),
            "--out",
            file.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let run = zongjie(&args);
        assert!(run.status.success(), "{kind}: {}", show(&run));
        let svg = std::fs::read_to_string(&file).unwrap();
        let mut reader = quick_xml::Reader::from_str(&svg);
        let mut texts = Vec::new();
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(quick_xml::events::Event::Text(t)) => {
                    texts.push(t.unescape().unwrap().into_owned())
                }
                Ok(_) => {}
                Err(e) => panic!("{kind}: not well-formed SVG: {e}"),
            }
        }
        let all = texts.concat();
        if kind != "quality" {
            assert!(
                all.contains("寿光市") || all.contains("河口区"),
                "{kind}: no region label in {all}"
            );
        }
    }
}

#[test]
fn markdown_tables_read_as_before() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    extract_sample(&data);
    for (name, extra) in [("quality", vec![]), ("change", vec!["--theme", "patent"])] {
        let mut args = vec!["compare", "--data", data.to_str().unwrap(), "--table", name];
        args.extend(extra);
        let run = zongjie(&args);
        assert!(run.status.success(), "{}", show(&run));
        insta::assert_snapshot!(
            format!("compare_{name}"),
            String::from_utf8(run.stdout).unwrap()
        );
    }
}
