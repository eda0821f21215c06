//! `zongjie extract --stdin-jsonl`: reports in as JSON lines on stdin, results
//! out as JSON lines on stdout, one output line per input line and in the same
//! order, so a batch engine's pipe operator (Spark `RDD.pipe`, Beam, GNU
//! parallel --pipe) can drive the binary without touching the file system.
//!
//! Input line: `{"path": "reports/a.txt", "text": "…"}`; `path` names the
//! report in the output and hints at its format, `text` is its content, already
//! decoded. Output line for a parsed report:
//!
//! ```text
//! {"path": …, "status": "ok", "document": {documents row}, "facts": [{facts row}, …]}
//! ```
//!
//! with the same columns as `documents.csv` and `facts.csv`. A report that
//! cannot be used gives `{"path", "status", "reason"}` with the manifest's
//! statuses (`empty`, `unsupported`, `failed`); a line that is not such an
//! object gives `{"line": N, "status": "failed", "reason": …}`. The stream
//! goes on after a bad line.

use std::io::{BufRead, Write};

use serde::Deserialize;
use serde_json::json;
use zongjie_aggregate::frames::{documents_frame, facts_frame};
use zongjie_parse::{Document, Parser};

use crate::export::json_record;

/// Lines parsed in parallel before their results are written.
const CHUNK: usize = 256;

/// One input line.
#[derive(Debug, Deserialize)]
struct Input {
    path: String,
    text: String,
}

/// Counts by status over a whole stream.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct StreamCounts {
    /// Reports parsed.
    pub ok: u64,
    /// Reports or lines that gave no document.
    pub not_ok: u64,
}

/// Read JSON lines from `input` and write one result line per input line to
/// `output`, parsing up to [`CHUNK`] lines at a time on `pool`.
pub fn run(
    parser: &Parser,
    pool: &rayon::ThreadPool,
    input: impl BufRead,
    mut output: impl Write,
) -> anyhow::Result<StreamCounts> {
    let themes = parser.lexicon().theme_ids();
    let mut counts = StreamCounts::default();
    let mut lines = input.lines().enumerate();
    loop {
        let mut chunk: Vec<(usize, String)> = Vec::with_capacity(CHUNK);
        for (i, line) in lines.by_ref() {
            let line = line.map_err(|e| anyhow::anyhow!("stdin line {}: {e}", i + 1))?;
            if !line.trim().is_empty() {
                chunk.push((i + 1, line));
            }
            if chunk.len() == CHUNK {
                break;
            }
        }
        if chunk.is_empty() {
            break;
        }
        let results = crate::batch::map_in_order(pool, &chunk, |(number, line)| {
            result_line(parser, &themes, *number, line)
        });
        for (line, ok) in results {
            if ok {
                counts.ok += 1;
            } else {
                counts.not_ok += 1;
            }
            output.write_all(line.as_bytes())?;
            output.write_all(b"\n")?;
        }
        output.flush()?;
    }
    Ok(counts)
}

/// The output line for input line `number`, and whether it holds a document.
/// Rows keep the column order of `documents.csv` and `facts.csv`.
fn result_line(parser: &Parser, themes: &[&str], number: usize, line: &str) -> (String, bool) {
    let input: Input = match serde_json::from_str(line) {
        Ok(input) => input,
        Err(err) => {
            let reason = format!("line {number}: not a {{\"path\", \"text\"}} object: {err}");
            let value = json!({"line": number, "status": "failed", "reason": reason});
            return (value.to_string(), false);
        }
    };
    let refused = |status: &str, reason: String| {
        let value = json!({"path": input.path, "status": status, "reason": reason});
        (value.to_string(), false)
    };
    let doc = match parser.parse(&input.path, input.text.as_bytes()) {
        Ok(doc) => doc,
        Err(err) => return refused(err.status().as_str(), err.to_string()),
    };
    match document_line(&input.path, &doc, themes) {
        Ok(line) => (line, true),
        Err(err) => refused("failed", err.to_string()),
    }
}

/// `{"path", "status": "ok", "document": {..}, "facts": [..]}` for a parsed report.
fn document_line(path: &str, doc: &Document, themes: &[&str]) -> anyhow::Result<String> {
    let docs = std::slice::from_ref(doc);
    let document = documents_frame(docs, themes)?;
    let facts = facts_frame(docs)?;
    let mut line = format!(
        "{{\"path\": {}, \"status\": \"ok\", \"document\": {}, \"facts\": [",
        serde_json::to_string(path)?,
        json_record(&document, 0)?
    );
    for i in 0..facts.height() {
        if i > 0 {
            line.push_str(", ");
        }
        line.push_str(&json_record(&facts, i)?);
    }
    line.push_str("]}");
    Ok(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    use serde_json::Value;

    fn stream(input: &str) -> (Vec<Value>, StreamCounts) {
        let parser = Parser::new().unwrap();
        let mut out = Vec::new();
        let pool = crate::batch::thread_pool(Some(2)).unwrap();
        let counts = run(&parser, &pool, input.as_bytes(), &mut out).unwrap();
        let lines = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        (lines, counts)
    }

    #[test]
    fn rows_keep_the_column_order_of_the_tables() {
        let parser = Parser::new().unwrap();
        let pool = crate::batch::thread_pool(Some(1)).unwrap();
        let input = json!({"path": "a.txt", "text": "寿光市科技局2018年工作总结\n全市共有高新技术企业66家。"});
        let mut out = Vec::new();
        run(&parser, &pool, input.to_string().as_bytes(), &mut out).unwrap();
        let line = String::from_utf8(out).unwrap();
        let at = |key: &str| line.find(&format!("\"{key}\"")).unwrap();
        // documents.csv starts doc_id, path, title; facts.csv ends start, end.
        assert!(at("document") < at("doc_id"));
        assert!(at("doc_id") < at("title") && at("title") < at("encoding"));
        assert!(at("theme") < at("indicator") && at("indicator") < at("value"));
        assert!(at("sentence") < at("start"));
    }

    #[test]
    fn one_result_line_per_input_line_in_order() {
        let report = json!({
            "path": "a/shouguang.txt",
            "text": "寿光市科技局2018年上半年工作总结\n一、工作总结\n全市共有高新技术企业66家。",
        });
        let input = format!(
            "{report}\nnot json\n\n{}\n{}\n",
            json!({"path": "b.txt", "text": "  "}),
            json!({"path": "c.txt"}),
        );
        let (lines, counts) = stream(&input);
        assert_eq!(lines.len(), 4, "{lines:#?}");
        assert_eq!(counts, StreamCounts { ok: 1, not_ok: 3 });
        let ok = &lines[0];
        assert_eq!(ok["status"], "ok");
        assert_eq!(ok["document"]["region_code"], "370783");
        assert_eq!(ok["document"]["period_label"], "2018-H1");
        let fact = &ok["facts"][0];
        assert_eq!(fact["theme"], "high_tech_enterprise");
        assert_eq!(fact["value"], 66.0);
        assert_eq!(fact["path"], "a/shouguang.txt");
        assert!(fact["sentence"].as_str().unwrap().contains("66家"));
        assert_eq!(lines[1]["line"], 2);
        assert_eq!(lines[1]["status"], "failed");
        assert!(lines[1]["reason"].as_str().unwrap().contains("line 2"));
        assert_eq!(lines[2]["path"], "b.txt");
        assert_eq!(lines[2]["status"], "empty");
        assert_eq!(lines[3]["status"], "failed");
        assert!(lines[3]["reason"].as_str().unwrap().contains("text"));
    }
}
