//! Text from a report that looks like markup stays text: a title and a cited sentence carrying
//! `<script>alert(1)</script>` reach the HTML, SVG and Markdown outputs escaped, never raw.

use crate::util::{show, zongjie};

const RAW: &str = "<script>alert(1)</script>";

/// Every occurrence of `needle` in `text` sits inside a Markdown code span (between
/// backticks on the same line), where a renderer shows it as text.
fn only_in_code_spans(text: &str, needle: &str) -> bool {
    text.lines().all(|line| {
        let mut rest = line;
        let mut offset = 0;
        while let Some(i) = rest.find(needle) {
            let at = offset + i;
            let before = line[..at].matches('`').count();
            let after = line[at + needle.len()..].matches('`').count();
            if before % 2 == 0 || after == 0 {
                return false;
            }
            offset = at + needle.len();
            rest = &line[offset..];
        }
        true
    })
}

#[test]
fn markup_in_report_text_is_escaped() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(
        input.join("shouguang-2023-h1.txt"),
        format!(
            "寿光市科技局2023年上半年工作总结{RAW}\n\n\
             一、工作开展情况\n\n\
             (一)高新技术企业培育。截至6月底,全市共有高新技术企业66家{RAW}。\
             新认定科技型中小企业120家。\n\n\
             (二)专利工作。上半年全市专利授权1200件,同比增长8%。\n\n\
             二、下半年工作计划\n\n\
             继续做好高新技术企业培育工作。\n"
        ),
    )
    .unwrap();
    let dir = tmp.path().join("report");
    let out = zongjie(&[
        "report",
        input.to_str().unwrap(),
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", show(&out));

    // No HTML or SVG file carries the markup raw.
    let mut markup_files = vec![dir.join("index.html"), dir.join("evidence.html")];
    for entry in std::fs::read_dir(dir.join("charts")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "svg") {
            markup_files.push(path);
        }
    }
    assert!(markup_files.len() > 2, "no charts written");
    for path in &markup_files {
        let text = std::fs::read_to_string(path).unwrap();
        assert!(
            !text.contains(RAW) && !text.to_lowercase().contains("<script"),
            "{} carries raw markup from the input",
            path.display()
        );
    }

    // The fact is cited, so its sentence shows in evidence.html, escaped.
    let evidence = std::fs::read_to_string(dir.join("evidence.html")).unwrap();
    assert!(
        evidence.contains("&lt;script&gt;"),
        "the cited sentence with markup is not in evidence.html"
    );
    assert!(evidence.contains("66"), "the fact 66 is not cited");
    let index = std::fs::read_to_string(dir.join("index.html")).unwrap();
    assert!(
        index.contains("&lt;script&gt;") || !index.contains("alert(1)"),
        "index.html shows the markup unescaped"
    );

    // summary.md: raw markup only inside code spans, else escaped.
    let summary = std::fs::read_to_string(dir.join("summary.md")).unwrap();
    assert!(
        only_in_code_spans(&summary, RAW),
        "summary.md carries raw HTML outside code spans:\n{summary}"
    );
    assert!(
        only_in_code_spans(&summary, "<script"),
        "summary.md carries a raw <script tag outside code spans:\n{summary}"
    );
}

#[test]
fn code_span_check_tells_raw_from_quoted() {
    assert!(only_in_code_spans("a `<b>` c", "<b>"));
    assert!(!only_in_code_spans("a <b> c", "<b>"));
    assert!(!only_in_code_spans("a `x` <b> c", "<b>"));
    assert!(only_in_code_spans("no tag here", "<b>"));
}
