//! Region and period against the annotated seed reports in /work/shared.

use std::path::PathBuf;

use serde_json::Value;

use crate::gazetteer::Gazetteer;
use crate::model::{Role, Section, Sentence, Structure};
use crate::period::resolve_period;
use crate::region::resolve_region;

fn shared() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared"))
}

/// Turn a raw seed file into the text the resolvers see, and its title.
///
/// This is the one place to swap for `crate::clean::Cleaner` and the structure
/// stage once they land; until then the raw text is only converted to
/// simplified characters and the title is the first line naming a report.
fn prepare(raw: &str) -> (String, String) {
    let text = zhconv::zhconv(raw, zhconv::Variant::ZhHans);
    let title = text
        .lines()
        .map(|l| {
            l.trim()
                .trim_start_matches("- ")
                .trim_end_matches(".docx")
                .trim()
        })
        .find(|l| l.contains("总结"))
        .unwrap_or("")
        .to_string();
    (text, title)
}

/// A hand-built structure: title, one root section, sentences split on 。.
fn structure(title: &str, text: &str) -> Structure {
    let mut sentences = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c == '。' {
            let end = i + c.len_utf8();
            sentences.push(Sentence {
                span: start..end,
                section: 0,
            });
            start = end;
        }
    }
    if start < text.len() {
        sentences.push(Sentence {
            span: start..text.len(),
            section: 0,
        });
    }
    Structure {
        title: title.to_string(),
        sections: vec![Section {
            heading: String::new(),
            marker: String::new(),
            level: 0,
            parent: None,
            role: Role::Other,
            span: 0..text.len(),
        }],
        sentences,
    }
}

/// (file, gold entry, raw text) for every seed, or None when the folder is missing.
fn seeds() -> Option<Vec<(String, Value, String)>> {
    let dir = shared();
    let gold = match std::fs::read_to_string(dir.join("gold/seeds.json")) {
        Ok(g) => g,
        Err(_) => {
            println!("note: {} missing, seed tests skipped", dir.display());
            return None;
        }
    };
    let gold: Value = serde_json::from_str(&gold).expect("seeds.json is valid JSON");
    let mut out = Vec::new();
    for entry in gold.as_array().expect("seeds.json is an array") {
        let file = entry["file"].as_str().expect("file name").to_string();
        let raw = std::fs::read_to_string(dir.join("seeds").join(&file)).expect("seed readable");
        out.push((file, entry.clone(), raw));
    }
    Some(out)
}

#[test]
fn seed_regions_match_gold() {
    let Some(seeds) = seeds() else { return };
    let g = Gazetteer::builtin();
    let mut failures = Vec::new();
    for (file, gold, raw) in &seeds {
        let (text, title) = prepare(raw);
        let r = resolve_region(g, &text, &structure(&title, &text));
        let gold_region = &gold["region"];
        let hard = gold_region["hard"].as_bool().unwrap_or(false);
        let expected = match gold_region["code"].as_str() {
            Some(code) => code.to_string(),
            None => format!("{:0<6}", gold_region["city_code"].as_str().unwrap_or("")),
        };
        println!(
            "{file}: got {} {} ({:?}, conf {:.2}), expected {expected}; top evidence {:?}",
            r.code,
            r.name,
            r.level,
            r.confidence,
            r.evidence
                .iter()
                .take(if std::env::var("SEED_DEBUG").is_ok() {
                    40
                } else {
                    3
                })
                .map(|e| (&e.mention, &e.code, e.weight, &e.reason))
                .collect::<Vec<_>>()
        );
        if hard {
            // Landmark-only issuers: unknown is acceptable, a wrong county is not.
            if !(r.code.is_empty() || r.code == expected || expected.starts_with(&r.code[..2])) {
                failures.push(format!("{file}: wrong answer {} for hard case", r.code));
            }
        } else if r.code != expected {
            failures.push(format!("{file}: got {} expected {expected}", r.code));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn seed_periods_match_gold() {
    let Some(seeds) = seeds() else { return };
    let mut failures = Vec::new();
    for (file, gold, raw) in &seeds {
        let (text, title) = prepare(raw);
        let p = resolve_period(&text, &structure(&title, &text));
        let gp = &gold["period"];
        let year = gp["year"].as_i64().map(|y| y as i32);
        let kind = gp["kind"].as_str().unwrap_or("");
        let trust = gp["year_trust"].as_str().unwrap_or("");
        println!(
            "{file}: title {title:?} -> {:?} {:?} {:?} {:?}",
            p.year, p.kind, p.year_trust, p.evidence
        );
        if p.year != year
            || p.kind.map(|k| k.as_str()) != Some(kind)
            || p.year_trust.as_str() != trust
        {
            failures.push(format!(
                "{file}: got {:?} {:?} {:?}, expected {year:?} {kind} {trust}",
                p.year, p.kind, p.year_trust
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
