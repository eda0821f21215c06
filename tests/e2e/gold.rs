//! Scoring extraction output against a gold file (the seeds' `gold/seeds.json`,
//! the sample corpus's `truth.json`, a generated corpus's `truth.jsonl`).

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

use crate::util::read_csv;

/// One output row of documents.csv, by column name.
pub type Row = HashMap<String, String>;

/// Read a CSV as rows keyed by column name.
pub fn rows(path: &Path) -> Vec<Row> {
    let (header, rows) = read_csv(path);
    rows.into_iter()
        .map(|r| header.iter().cloned().zip(r).collect())
        .collect()
}

/// The gold records of a JSON array file or a JSON-lines file.
pub fn load(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if text.trim_start().starts_with('[') {
        serde_json::from_str::<Vec<Value>>(&text).unwrap()
    } else {
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

/// Rows whose path ends with the gold record's file name.
pub fn rows_for<'a>(rows: &'a [Row], file: &str) -> Vec<&'a Row> {
    rows.iter().filter(|r| r["path"].ends_with(file)).collect()
}

/// Counts from comparing facts with gold.
#[derive(Debug, Default)]
pub struct Score {
    /// Core gold facts.
    pub core: usize,
    /// Core gold facts found (theme, value and unit).
    pub core_found: usize,
    /// Facts with a value on the headline themes.
    pub reported: usize,
    /// Of those, facts matching any gold fact (core or not).
    pub correct: usize,
    /// Lines describing misses and extras.
    pub notes: Vec<String>,
}

impl Score {
    /// Core recall.
    pub fn recall(&self) -> f64 {
        if self.core == 0 {
            1.0
        } else {
            self.core_found as f64 / self.core as f64
        }
    }
    /// Precision over headline-theme facts with a value.
    pub fn precision(&self) -> f64 {
        if self.reported == 0 {
            1.0
        } else {
            self.correct as f64 / self.reported as f64
        }
    }
}

const HEADLINE: [&str; 4] = [
    "high_tech_enterprise",
    "patent",
    "science_envoy",
    "earthquake_preparedness",
];

fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(1.0)
}

/// Compare the fact rows of one document with its gold record. With
/// `check_role`, a gold fact with a `role` must be found with that role.
pub fn score_doc(gold: &Value, facts: &[&Row], check_role: bool, score: &mut Score) {
    let file = gold["file"].as_str().unwrap_or("?");
    let gold_facts = gold["facts"].as_array().cloned().unwrap_or_default();
    let value_of = |r: &Row| r["value"].parse::<f64>().ok();
    for g in &gold_facts {
        if !g["core"].as_bool().unwrap_or(false) {
            continue;
        }
        score.core += 1;
        let gv = g["value"].as_f64().unwrap();
        let hit = facts.iter().any(|r| {
            r["theme"] == g["theme"].as_str().unwrap()
                && r["unit"] == g["unit"].as_str().unwrap()
                && value_of(r).is_some_and(|v| same(v, gv))
                && (!check_role || g["role"].as_str().is_none_or(|role| r["role"] == role))
        });
        if hit {
            score.core_found += 1;
        } else {
            score.notes.push(format!(
                "{file}: missed {} {} {} ({})",
                g["theme"], gv, g["unit"], g["evidence"]
            ));
        }
    }
    for r in facts {
        if !HEADLINE.contains(&r["theme"].as_str()) {
            continue;
        }
        let Some(v) = value_of(r) else { continue };
        score.reported += 1;
        let ok = gold_facts.iter().any(|g| {
            g["theme"].as_str() == Some(r["theme"].as_str())
                && g["unit"].as_str() == Some(r["unit"].as_str())
                && g["value"].as_f64().is_some_and(|gv| same(gv, v))
        });
        if ok {
            score.correct += 1;
        } else {
            score.notes.push(format!(
                "{file}: extra {} {} {} «{}»",
                r["theme"], v, r["unit"], r["sentence"]
            ));
        }
    }
}

/// Damaged and masked gold values must never come out as clean values.
pub fn flagged_never_clean(gold: &Value, facts: &[&Row]) -> Vec<String> {
    let mut problems = Vec::new();
    for key in ["damaged", "masked"] {
        for g in gold[key].as_array().cloned().unwrap_or_default() {
            let raw = g["raw"].as_str().unwrap();
            for r in facts {
                if !r["value"].is_empty()
                    && !r["raw"].is_empty()
                    && raw.ends_with(r["raw"].as_str())
                {
                    problems.push(format!(
                        "{}: {key} {raw} reported as clean value {} ",
                        gold["file"], r["value"]
                    ));
                }
            }
        }
    }
    problems
}
