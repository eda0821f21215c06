//! Shared helpers: run the `zongjie` binary under test, locate fixtures, read outputs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The embedded sample corpus.
pub fn sample_corpus() -> PathBuf {
    root().join("notebooks-data/sample-corpus")
}

/// The real seed reports, when the shared folder sits beside the checkout.
pub fn seeds() -> Option<PathBuf> {
    let dir = root().join("../shared/seeds");
    dir.is_dir().then_some(dir)
}

/// The binary under test, built by cargo together with the tests.
pub fn bin() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_zongjie-under-test"))
}

/// Run the binary with `args` in the workspace root.
pub fn zongjie(args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .current_dir(root())
        .output()
        .expect("zongjie runs")
}

/// Stdout and stderr as text, for assertion messages.
pub fn show(out: &Output) -> String {
    format!(
        "status {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Read `manifest.json` from an output folder.
pub fn manifest(dir: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(dir.join("manifest.json")).expect("manifest.json exists");
    serde_json::from_str(&text).expect("manifest.json is JSON")
}

/// The manifest entry whose path ends with `name`.
pub fn entry<'a>(manifest: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    manifest["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"].as_str().unwrap().ends_with(name))
        .unwrap_or_else(|| panic!("no manifest entry for {name}: {manifest:#}"))
}

/// Parse a CSV file (simple: no embedded newlines expected in the columns read) into header + rows.
pub fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(path).expect("csv exists");
    let mut rows = split_csv(text.trim_start_matches('\u{feff}'));
    let header = rows.remove(0);
    (header, rows)
}

/// A small RFC 4180 reader (quotes, doubled quotes, newlines inside quotes).
pub fn split_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, '\r') => {}
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

/// Run `zongjie report` on the sample corpus into `parent/report` and return that folder.
pub fn report_sample(parent: &Path) -> PathBuf {
    let dir = parent.join("report");
    let out = zongjie(&[
        "report",
        sample_corpus().to_str().unwrap(),
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", show(&out));
    dir
}
