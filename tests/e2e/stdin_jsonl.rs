//! `extract --stdin-jsonl`: the sample corpus streamed through stdin gives the
//! same documents and facts as `extract` on the files.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::gold;
use crate::util::{bin, root, sample_corpus, show, zongjie};

#[test]
fn streamed_reports_match_the_file_run() {
    let tmp = tempfile::tempdir().unwrap();
    let out_dir = tmp.path().join("out");
    let out = zongjie(&[
        "extract",
        "notebooks-data/sample-corpus",
        "--out",
        out_dir.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(out.status.success(), "{}", show(&out));
    let docs = gold::rows(&out_dir.join("documents.csv"));
    let facts = gold::rows(&out_dir.join("facts.csv"));

    // Every UTF-8 text file of the corpus, as a batch engine would send it,
    // plus one line that is not JSON.
    let mut paths: Vec<_> = std::fs::read_dir(sample_corpus())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    let mut input = String::new();
    let mut sent = Vec::new();
    for p in &paths {
        let Ok(text) = String::from_utf8(std::fs::read(p).unwrap()) else {
            continue;
        };
        let rel = p.strip_prefix(root()).unwrap().display().to_string();
        input.push_str(&serde_json::json!({"path": rel, "text": text}).to_string());
        input.push('\n');
        sent.push(rel);
    }
    input.push_str("{\"path\": 3}\n");
    assert!(sent.len() >= 8, "{sent:?}");

    let mut child = Command::new(bin())
        .args(["extract", "--stdin-jsonl", "-j", "2"])
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let result = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(result.status.success(), "{}", show(&result));
    let lines: Vec<serde_json::Value> = String::from_utf8(result.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("each output line is JSON"))
        .collect();
    assert_eq!(lines.len(), sent.len() + 1);
    for (line, path) in lines.iter().zip(&sent) {
        assert_eq!(line["path"], path.as_str());
        let doc = docs
            .iter()
            .find(|d| &d["path"] == path)
            .unwrap_or_else(|| panic!("{path} not in documents.csv"));
        if doc["encoding"] != "UTF-8" {
            continue;
        }
        assert_eq!(line["status"], "ok", "{line}");
        let streamed = &line["document"];
        for column in [
            "doc_id",
            "title",
            "region_code",
            "period_label",
            "year_trust",
        ] {
            assert_eq!(streamed[column], doc[column].as_str(), "{path}: {column}");
        }
        let file_facts: Vec<_> = facts.iter().filter(|f| &f["path"] == path).collect();
        let streamed_facts = line["facts"].as_array().unwrap();
        assert_eq!(streamed_facts.len(), file_facts.len(), "{path}: facts");
        for (s, f) in streamed_facts.iter().zip(&file_facts) {
            assert_eq!(s["raw"], f["raw"].as_str(), "{path}");
            assert_eq!(
                s["start"].as_u64().unwrap().to_string(),
                f["start"],
                "{path}"
            );
        }
    }
    let bad = lines.last().unwrap();
    assert_eq!(bad["status"], "failed");
    assert_eq!(bad["line"], sent.len() + 1);
}

#[test]
fn stdin_jsonl_takes_no_input_paths() {
    let out = zongjie(&["extract", "--stdin-jsonl", "notebooks-data/sample-corpus"]);
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
}
