//! The report folder: a self-contained `index.html` (inline CSS and SVG
//! charts, no scripts, no external requests), `evidence.html` (every cited
//! fact with its sentence, file and character offset), `summary.md` (the
//! same summary in Markdown, linking the chart files) and `charts/*.svg`.
//!
//! Callers fill a [`ReportInput`] and call [`write_report`]. Every piece of
//! document text (paths, reasons, labels, sentences) is HTML-escaped here;
//! table HTML is inserted as given, so build it with [`html_table`], which
//! escapes its cells.

use std::fmt::Write as _;
use std::path::Path;

use crate::fsutil::write_atomic;

/// What the report covers: counts and the inputs that could not be read.
#[derive(Debug, Clone, Default)]
pub struct CorpusSummary {
    /// Documents read successfully.
    pub documents: u64,
    /// Distinct regions resolved.
    pub regions: u64,
    /// Period labels present, in chronological order.
    pub periods: Vec<String>,
    /// Inputs that were not turned into documents (status other than `ok`).
    pub unread: Vec<UnreadInput>,
}

/// An input file that could not be read, with the manifest's status and reason.
#[derive(Debug, Clone, Default)]
pub struct UnreadInput {
    /// Input path as given.
    pub path: String,
    /// Manifest status: `empty`, `unsupported` or `failed`.
    pub status: String,
    /// Why, in words.
    pub reason: String,
}

/// One comparison table in both renderings.
#[derive(Debug, Clone, Default)]
pub struct ReportTable {
    /// Table name, e.g. `coverage`; used as heading.
    pub name: String,
    /// The table as Markdown (for `summary.md`); see [`markdown_table`].
    pub markdown: String,
    /// The table as an HTML `<table>` (for `index.html`), inserted as given:
    /// build it with [`html_table`] so cells are escaped.
    pub html: String,
}

/// One chart: written to `charts/<file_name>` and inlined in `index.html`.
#[derive(Debug, Clone, Default)]
pub struct ReportChart {
    /// File name such as `coverage-heatmap.svg` (no folders).
    pub file_name: String,
    /// Caption.
    pub title: String,
    /// The SVG document, as returned by the chart renderers.
    pub svg: String,
}

/// One cited fact: where the number came from, down to the character.
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    /// Region name (or code) of the document.
    pub region: String,
    /// Period label of the document.
    pub period: String,
    /// Theme id.
    pub theme: String,
    /// Indicator name.
    pub indicator: String,
    /// The value, if readable (masked and damaged facts have none).
    pub value: Option<f64>,
    /// Unit as normalised by the extractor.
    pub unit: String,
    /// The number as written in the source.
    pub raw: String,
    /// The sentence holding the number.
    pub sentence: String,
    /// Source file path.
    pub path: String,
    /// Character offset of the number in the cleaned text.
    pub start: u64,
}

/// Everything the report shows.
#[derive(Debug, Clone, Default)]
pub struct ReportInput {
    /// Report title (defaults to "zongjie report" when empty).
    pub title: String,
    /// Corpus counts and unread inputs.
    pub corpus: CorpusSummary,
    /// Comparison tables, in display order.
    pub tables: Vec<ReportTable>,
    /// Charts, in display order.
    pub charts: Vec<ReportChart>,
    /// Every fact cited by the tables.
    pub evidence: Vec<Evidence>,
}

impl ReportInput {
    fn title(&self) -> &str {
        if self.title.trim().is_empty() {
            "zongjie report"
        } else {
            &self.title
        }
    }
}

/// HTML-escape text for element content and attribute values.
pub fn esc(s: &str) -> String {
    html_escape::encode_double_quoted_attribute(s).into_owned()
}

/// Escape a Markdown table cell: pipes, line breaks and HTML metacharacters.
pub fn md_cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '\n' | '\r' => out.push(' '),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c => out.push(c),
        }
    }
    out
}

/// An HTML table with escaped header and cells.
pub fn html_table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::from("<table>\n<thead><tr>");
    for h in headers {
        let _ = write!(out, "<th>{}</th>", esc(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            let _ = write!(out, "<td>{}</td>", esc(cell));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

/// A Markdown table with escaped header and cells.
pub fn markdown_table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::from("|");
    for h in headers {
        let _ = write!(out, " {} |", md_cell(h));
    }
    out.push_str("\n|");
    for _ in headers {
        out.push_str(" --- |");
    }
    out.push('\n');
    for row in rows {
        out.push('|');
        for cell in row {
            let _ = write!(out, " {} |", md_cell(cell));
        }
        out.push('\n');
    }
    out
}

const CSS: &str = "\
body{font-family:\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"Microsoft YaHei\",\"PingFang SC\",sans-serif;\
margin:2rem auto;max-width:1100px;padding:0 1rem;color:#222;line-height:1.5}\
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ddd}\
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}\
th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}\
th{background:#f4f4f4}figure{margin:1rem 0}figure svg{max-width:100%;height:auto}\
figcaption{color:#666;font-size:.9rem}.num{text-align:right;font-variant-numeric:tabular-nums}\
mark{background:#fdebd3}.muted{color:#666}.scroll{overflow-x:auto}";

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        esc(title)
    )
}

fn period_range(periods: &[String]) -> String {
    match (periods.first(), periods.last()) {
        (Some(a), Some(b)) if a != b => format!("{a} – {b}"),
        (Some(a), _) => a.clone(),
        _ => "none".to_string(),
    }
}

/// The SVG without any XML prolog, ready to inline in HTML.
fn inline_svg(svg: &str) -> &str {
    match svg.find("<svg") {
        Some(i) => &svg[i..],
        None => svg,
    }
}

/// Render `index.html`.
pub fn render_index(input: &ReportInput) -> String {
    let c = &input.corpus;
    let mut b = String::new();
    let _ = writeln!(b, "<h1>{}</h1>", esc(input.title()));
    let _ = writeln!(
        b,
        "<p>{} documents · {} regions · periods {} · <a href=\"evidence.html\">{} cited facts</a> · <a href=\"summary.md\">summary.md</a></p>",
        c.documents,
        c.regions,
        esc(&period_range(&c.periods)),
        input.evidence.len()
    );
    if !c.unread.is_empty() {
        let _ = writeln!(b, "<h2>Inputs not read ({})</h2>", c.unread.len());
        let rows: Vec<Vec<String>> = c
            .unread
            .iter()
            .map(|u| vec![u.path.clone(), u.status.clone(), u.reason.clone()])
            .collect();
        b.push_str(&html_table(&["path", "status", "reason"], &rows));
    }
    if !input.charts.is_empty() {
        b.push_str("<h2>Charts</h2>\n");
        for ch in &input.charts {
            let _ = writeln!(
                b,
                "<figure>\n{}\n<figcaption>{} (<a href=\"charts/{}\">{}</a>)</figcaption>\n</figure>",
                inline_svg(&ch.svg),
                esc(&ch.title),
                esc(&ch.file_name),
                esc(&ch.file_name)
            );
        }
    }
    for t in &input.tables {
        let _ = writeln!(
            b,
            "<h2>{}</h2>\n<div class=\"scroll\">\n{}</div>",
            esc(&t.name),
            t.html
        );
    }
    page(input.title(), &b)
}

/// The sentence with the first occurrence of `raw` marked, escaped.
fn marked_sentence(sentence: &str, raw: &str) -> String {
    match (!raw.is_empty()).then(|| sentence.find(raw)).flatten() {
        Some(i) => format!(
            "{}<mark>{}</mark>{}",
            esc(&sentence[..i]),
            esc(raw),
            esc(&sentence[i + raw.len()..])
        ),
        None => esc(sentence),
    }
}

fn value_text(e: &Evidence) -> String {
    match e.value {
        Some(v) => format!("{v}"),
        None => "—".to_string(),
    }
}

/// Render `evidence.html`: one row per cited fact.
pub fn render_evidence(input: &ReportInput) -> String {
    let mut b = String::new();
    let _ = writeln!(
        b,
        "<h1>Evidence: {} facts</h1>\n<p><a href=\"index.html\">back to the report</a></p>",
        input.evidence.len()
    );
    b.push_str("<div class=\"scroll\">\n<table>\n<thead><tr><th>region</th><th>period</th><th>theme</th><th>indicator</th><th>value</th><th>unit</th><th>raw</th><th>sentence</th><th>file</th><th>offset</th></tr></thead>\n<tbody>\n");
    for e in &input.evidence {
        let _ = writeln!(
            b,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
            esc(&e.region),
            esc(&e.period),
            esc(&e.theme),
            esc(&e.indicator),
            esc(&value_text(e)),
            esc(&e.unit),
            esc(&e.raw),
            marked_sentence(&e.sentence, &e.raw),
            esc(&e.path),
            e.start
        );
    }
    b.push_str("</tbody>\n</table>\n</div>\n");
    page(&format!("{} — evidence", input.title()), &b)
}

/// Render `summary.md`.
pub fn render_summary_md(input: &ReportInput) -> String {
    let c = &input.corpus;
    let mut b = String::new();
    let _ = writeln!(b, "# {}\n", md_cell(input.title()));
    let _ = writeln!(
        b,
        "{} documents · {} regions · periods {} · {} cited facts ([evidence](evidence.html))\n",
        c.documents,
        c.regions,
        md_cell(&period_range(&c.periods)),
        input.evidence.len()
    );
    if !c.unread.is_empty() {
        let _ = writeln!(b, "## Inputs not read ({})\n", c.unread.len());
        let rows: Vec<Vec<String>> = c
            .unread
            .iter()
            .map(|u| vec![u.path.clone(), u.status.clone(), u.reason.clone()])
            .collect();
        b.push_str(&markdown_table(&["path", "status", "reason"], &rows));
        b.push('\n');
    }
    if !input.charts.is_empty() {
        b.push_str("## Charts\n\n");
        for ch in &input.charts {
            let _ = writeln!(
                b,
                "![{}](charts/{})\n",
                md_cell(&ch.title).replace(['[', ']'], ""),
                ch.file_name
            );
        }
    }
    for t in &input.tables {
        // Cells are escaped where the table is rendered (`md_cell`).
        let _ = writeln!(b, "## {}\n\n{}", md_cell(&t.name), t.markdown);
    }
    b
}

/// A chart file name is a single plain component ending in `.svg`.
fn check_chart_name(name: &str) -> anyhow::Result<()> {
    let ok = name.ends_with(".svg")
        && !name.starts_with('.')
        && !name.contains(['/', '\\', ':'])
        && name != ".svg";
    anyhow::ensure!(ok, "chart file name {name:?} must be a plain `name.svg`");
    Ok(())
}

/// Write the report folder `dir`: `index.html`, `evidence.html`,
/// `summary.md` and `charts/<file_name>` for every chart, each atomically.
pub fn write_report(dir: &Path, input: &ReportInput) -> anyhow::Result<()> {
    for ch in &input.charts {
        check_chart_name(&ch.file_name)?;
    }
    for ch in &input.charts {
        write_atomic(&dir.join("charts").join(&ch.file_name), ch.svg.as_bytes())?;
    }
    write_atomic(&dir.join("index.html"), render_index(input).as_bytes())?;
    write_atomic(
        &dir.join("evidence.html"),
        render_evidence(input).as_bytes(),
    )?;
    write_atomic(&dir.join("summary.md"), render_summary_md(input).as_bytes())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::{bars, Bar, BarValue, BarsInput};

    const XSS: &str = "<script>alert(1)</script>";

    fn sample() -> ReportInput {
        let svg = bars::render(&BarsInput {
            title: "专利授权 by region, 2023-FY".into(),
            value_title: "patent (件)".into(),
            category_title: "region".into(),
            bars: vec![
                Bar {
                    label: "钟祥市".into(),
                    value: BarValue::Value(120.0),
                },
                Bar {
                    label: XSS.into(),
                    value: BarValue::Masked,
                },
            ],
            source_note: "Source: 2 documents.".into(),
        })
        .expect("renders");
        let rows = vec![
            vec!["钟祥市".to_string(), "120".to_string()],
            vec![XSS.to_string(), "a|b".to_string()],
        ];
        ReportInput {
            title: "荆门市科技工作总结 comparison".into(),
            corpus: CorpusSummary {
                documents: 2,
                regions: 2,
                periods: vec!["2022-FY".into(), "2023-FY".into()],
                unread: vec![UnreadInput {
                    path: format!("in/{XSS}.doc"),
                    status: "unsupported".into(),
                    reason: "legacy .doc & binary".into(),
                }],
            },
            tables: vec![ReportTable {
                name: "ranking".into(),
                markdown: markdown_table(&["region", "value"], &rows),
                html: html_table(&["region", "value"], &rows),
            }],
            charts: vec![ReportChart {
                file_name: "indicator-bars.svg".into(),
                title: "专利授权".into(),
                svg,
            }],
            evidence: vec![
                Evidence {
                    region: "钟祥市".into(),
                    period: "2023-FY".into(),
                    theme: "patent".into(),
                    indicator: "专利授权".into(),
                    value: Some(120.0),
                    unit: "件".into(),
                    raw: "120件".into(),
                    sentence: "全年专利授权120件，同比增长20%。".into(),
                    path: "seeds/zhongxiang.txt".into(),
                    start: 345,
                },
                Evidence {
                    region: XSS.into(),
                    sentence: format!("含有{XSS}的句子"),
                    raw: "××".into(),
                    path: "a&b.txt".into(),
                    ..Evidence::default()
                },
            ],
        }
    }

    fn assert_no_active_content(html: &str) {
        assert!(!html.contains("<script"), "script tag in output");
        assert!(!html.contains("src="), "external resource in output");
        assert!(!html.contains("href=\"http"), "external link in output");
        assert!(!html.contains("<link"), "stylesheet link in output");
    }

    #[test]
    fn index_is_self_contained_and_escaped() {
        let html = render_index(&sample());
        assert_no_active_content(&html);
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(
            html.contains("<svg") && html.contains("</svg>"),
            "chart inlined"
        );
        assert!(html.contains("<style>"));
        assert!(html.contains("legacy .doc &amp; binary"));
        assert!(html.contains("2022-FY – 2023-FY"));
        assert!(html.contains("href=\"charts/indicator-bars.svg\""));
        assert_eq!(
            html.matches("<table>").count(),
            2,
            "unread inputs + ranking"
        );
    }

    #[test]
    fn evidence_lists_every_fact_with_sentence_file_and_offset() {
        let html = render_evidence(&sample());
        assert_no_active_content(&html);
        assert!(html.contains("全年专利授权<mark>120件</mark>，同比增长20%。"));
        assert!(html.contains("seeds/zhongxiang.txt") && html.contains(">345<"));
        assert!(html.contains("a&amp;b.txt"));
        assert!(html.contains("含有&lt;script&gt;"));
        assert_eq!(html.matches("<tr><td>").count(), 2);
    }

    #[test]
    fn summary_links_charts_and_escapes_tables() {
        let md = render_summary_md(&sample());
        assert!(md.contains("![专利授权](charts/indicator-bars.svg)"));
        assert!(md.contains("| a\\|b |"), "pipe escaped: {md}");
        assert!(!md.contains("<script"));
        assert!(md.contains("(evidence.html)"));
    }

    #[test]
    fn write_report_writes_every_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let input = sample();
        write_report(dir.path(), &input).expect("writes");
        for f in [
            "index.html",
            "evidence.html",
            "summary.md",
            "charts/indicator-bars.svg",
        ] {
            assert!(dir.path().join(f).is_file(), "missing {f}");
        }
        let svg =
            std::fs::read_to_string(dir.path().join("charts/indicator-bars.svg")).expect("read");
        assert_eq!(svg, input.charts[0].svg);
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
            .collect();
        assert!(leftovers.is_empty(), "temporary files left behind");
        // Same input, same bytes.
        let first = std::fs::read(dir.path().join("index.html")).expect("read");
        write_report(dir.path(), &input).expect("writes again");
        assert_eq!(
            std::fs::read(dir.path().join("index.html")).expect("read"),
            first
        );
    }

    #[test]
    fn chart_names_cannot_escape_the_folder() {
        let mut input = sample();
        input.charts[0].file_name = "../evil.svg".into();
        let dir = tempfile::tempdir().expect("temp dir");
        assert!(write_report(dir.path(), &input).is_err());
        assert!(!dir.path().join("index.html").exists());
    }
}
