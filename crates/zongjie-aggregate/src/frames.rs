//! Parsed documents → the documents and facts frames, in the column order
//! of [`crate::schema`]. Rows keep the order given: the caller sorts documents
//! by path (and facts follow, by path then offset), so outputs are identical
//! whatever the thread count.
//!
//! The frames take any [`TableRow`]: a whole [`Document`], or a
//! [`DocumentRow`], which keeps only what the two tables hold. A batch run
//! turns each document into its row on the thread that parsed it, so the
//! text, structure and evidence (most of a document's memory) are freed
//! there at once, not held until the writer reaches the document.
//!
//! ```
//! use zongjie_aggregate::frames::{documents_frame, facts_frame, DocumentRow};
//!
//! let parser = zongjie_parse::Parser::new().unwrap();
//! let doc = parser
//!     .parse("report.txt", "寿光市科技局2018年上半年工作总结\n全市共有高新技术企业66家。\n".as_bytes())
//!     .unwrap();
//! let whole = documents_frame(std::slice::from_ref(&doc), &["high_tech_enterprise"]).unwrap();
//! let facts = facts_frame(std::slice::from_ref(&doc)).unwrap();
//! // The row gives the same frames as the document it was made from.
//! let row = DocumentRow::from(doc);
//! assert!(whole.equals(&documents_frame(&[row.clone()], &["high_tech_enterprise"]).unwrap()));
//! assert!(facts.equals(&facts_frame(&[row]).unwrap()));
//! assert_eq!(facts.height(), 1);
//! ```

use std::collections::BTreeMap;

use polars::prelude::{Column, DataFrame};
use zongjie_parse::model::{Document, Fact, Format, Period, Region, Script};

use crate::error::{frame_err, Result};
use crate::schema::{mentions_column, DOCUMENT_COLUMNS, FACT_COLUMNS};

/// What the documents and facts tables hold of one parsed document.
pub trait TableRow {
    /// The document as the tables see it.
    fn row(&self) -> RowView<'_>;
}

/// One document's values for the two tables, borrowed.
#[derive(Debug, Clone, Copy)]
pub struct RowView<'a> {
    /// Content hash.
    pub doc_id: &'a str,
    /// Path as given.
    pub path: &'a str,
    /// Title line.
    pub title: &'a str,
    /// Container format.
    pub format: Format,
    /// Encoding the bytes were decoded from.
    pub encoding: &'a str,
    /// Original script.
    pub script: Script,
    /// Issuing region (its evidence is not a column).
    pub region: &'a Region,
    /// Period covered (its evidence is not a column).
    pub period: &'a Period,
    /// Length of the cleaned text in characters.
    pub chars: u64,
    /// Number of sentences.
    pub sentences: u64,
    /// Mentions per theme id.
    pub mentions: &'a BTreeMap<String, u32>,
    /// The facts, in text order.
    pub facts: &'a [Fact],
}

impl TableRow for Document {
    fn row(&self) -> RowView<'_> {
        RowView {
            doc_id: &self.doc_id,
            path: &self.path,
            title: &self.title,
            format: self.format,
            encoding: &self.encoding,
            script: self.script,
            region: &self.region,
            period: &self.period,
            chars: self.chars() as u64,
            sentences: self.structure.sentences.len() as u64,
            mentions: &self.mentions,
            facts: &self.facts,
        }
    }
}

/// What the two tables hold of a [`Document`], owned: the document without
/// its text, structure, cleaning report and the evidence for its region and
/// period, with the text's length and the sentence count kept as numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentRow {
    /// Content hash.
    pub doc_id: String,
    /// Path as given.
    pub path: String,
    /// Title line.
    pub title: String,
    /// Container format.
    pub format: Format,
    /// Encoding the bytes were decoded from.
    pub encoding: String,
    /// Original script.
    pub script: Script,
    /// Issuing region, without its evidence.
    pub region: Region,
    /// Period covered, without its evidence.
    pub period: Period,
    /// Length of the cleaned text in characters.
    pub chars: u64,
    /// Number of sentences.
    pub sentences: u64,
    /// Mentions per theme id.
    pub mentions: BTreeMap<String, u32>,
    /// The facts, in text order.
    pub facts: Vec<Fact>,
}

impl From<Document> for DocumentRow {
    /// Keeps what the tables hold; the rest of `doc` is freed here.
    fn from(doc: Document) -> Self {
        let chars = doc.chars() as u64;
        let Document {
            doc_id,
            path,
            format,
            encoding,
            script,
            title,
            structure,
            mut region,
            mut period,
            mentions,
            facts,
            ..
        } = doc;
        region.evidence = Vec::new();
        period.evidence = Vec::new();
        DocumentRow {
            doc_id,
            path,
            title,
            format,
            encoding,
            script,
            region,
            period,
            chars,
            sentences: structure.sentences.len() as u64,
            mentions,
            facts,
        }
    }
}

impl TableRow for DocumentRow {
    fn row(&self) -> RowView<'_> {
        RowView {
            doc_id: &self.doc_id,
            path: &self.path,
            title: &self.title,
            format: self.format,
            encoding: &self.encoding,
            script: self.script,
            region: &self.region,
            period: &self.period,
            chars: self.chars,
            sentences: self.sentences,
            mentions: &self.mentions,
            facts: &self.facts,
        }
    }
}

/// The first `n` characters of a region code, or "" when the code is empty or shorter.
fn code_prefix(code: &str, n: usize) -> &str {
    code.get(..n).unwrap_or_default()
}

fn build(context: &str, height: usize, columns: Vec<Column>) -> Result<DataFrame> {
    DataFrame::new(height, columns).map_err(frame_err(context))
}

/// One row per document, with the fixed columns then one `mentions_<theme>`
/// column per id in `theme_ids` (0 when the document has no count for it).
pub fn documents_frame(docs: &[impl TableRow], theme_ids: &[&str]) -> Result<DataFrame> {
    let docs: Vec<RowView<'_>> = docs.iter().map(TableRow::row).collect();
    // Borrowed: the column copies the text once, into its own buffer.
    let s = |f: &dyn for<'d> Fn(&RowView<'d>) -> &'d str| docs.iter().map(f).collect::<Vec<&str>>();
    let names: Vec<&str> = DOCUMENT_COLUMNS.iter().map(|c| c.name).collect();
    let mut columns = vec![
        Column::new(names[0].into(), s(&|d| d.doc_id)),
        Column::new(names[1].into(), s(&|d| d.path)),
        Column::new(names[2].into(), s(&|d| d.title)),
        Column::new(names[3].into(), s(&|d| d.format.as_str())),
        Column::new(names[4].into(), s(&|d| d.encoding)),
        Column::new(names[5].into(), s(&|d| d.script.as_str())),
        Column::new(names[6].into(), s(&|d| &d.region.code)),
        Column::new(names[7].into(), s(&|d| d.region.level.as_str())),
        Column::new(names[8].into(), s(&|d| &d.region.name)),
        Column::new(names[9].into(), s(&|d| &d.region.province)),
        Column::new(names[10].into(), s(&|d| &d.region.city)),
        Column::new(names[11].into(), s(&|d| &d.region.county)),
        Column::new(names[12].into(), s(&|d| code_prefix(&d.region.code, 2))),
        Column::new(names[13].into(), s(&|d| code_prefix(&d.region.code, 4))),
        Column::new(
            names[14].into(),
            docs.iter()
                .map(|d| f64::from(d.region.confidence))
                .collect::<Vec<f64>>(),
        ),
        Column::new(
            names[15].into(),
            docs.iter()
                .map(|d| d.period.year)
                .collect::<Vec<Option<i32>>>(),
        ),
        Column::new(
            names[16].into(),
            s(&|d| d.period.kind.map(|k| k.as_str()).unwrap_or_default()),
        ),
        Column::new(
            names[17].into(),
            docs.iter()
                .map(|d| d.period.label())
                .collect::<Vec<String>>(),
        ),
        Column::new(names[18].into(), s(&|d| d.period.year_trust.as_str())),
        Column::new(
            names[19].into(),
            docs.iter().map(|d| d.chars).collect::<Vec<u64>>(),
        ),
        Column::new(
            names[20].into(),
            docs.iter().map(|d| d.sentences).collect::<Vec<u64>>(),
        ),
        Column::new(
            names[21].into(),
            docs.iter()
                .map(|d| d.facts.len() as u64)
                .collect::<Vec<u64>>(),
        ),
    ];
    debug_assert_eq!(columns.len(), DOCUMENT_COLUMNS.len());
    for theme in theme_ids {
        let counts: Vec<u32> = docs
            .iter()
            .map(|d| d.mentions.get(*theme).copied().unwrap_or(0))
            .collect();
        columns.push(Column::new(mentions_column(theme).into(), counts));
    }
    build("documents frame", docs.len(), columns)
}

/// One row per fact, documents in the order given and facts in text order
/// within each document.
pub fn facts_frame(docs: &[impl TableRow]) -> Result<DataFrame> {
    let docs: Vec<RowView<'_>> = docs.iter().map(TableRow::row).collect();
    let n: usize = docs.iter().map(|d| d.facts.len()).sum();
    let mut doc_id = Vec::with_capacity(n);
    let mut path = Vec::with_capacity(n);
    let mut region_code = Vec::with_capacity(n);
    let mut period_label = Vec::with_capacity(n);
    let mut theme = Vec::with_capacity(n);
    let mut indicator = Vec::with_capacity(n);
    let mut value: Vec<Option<f64>> = Vec::with_capacity(n);
    let mut unit = Vec::with_capacity(n);
    let mut raw = Vec::with_capacity(n);
    let mut qualifier = Vec::with_capacity(n);
    let mut masked = Vec::with_capacity(n);
    let mut damaged = Vec::with_capacity(n);
    let mut role = Vec::with_capacity(n);
    let mut section = Vec::with_capacity(n);
    let mut sentence = Vec::with_capacity(n);
    let mut start = Vec::with_capacity(n);
    let mut end = Vec::with_capacity(n);
    let labels: Vec<String> = docs.iter().map(|d| d.period.label()).collect();
    for (d, label) in docs.iter().zip(&labels) {
        for f in d.facts {
            doc_id.push(d.doc_id);
            path.push(d.path);
            region_code.push(d.region.code.as_str());
            period_label.push(label.as_str());
            theme.push(f.theme.as_str());
            indicator.push(f.indicator.as_str());
            // A masked or damaged number is never a value, whatever the parser left in it.
            value.push(if f.masked || f.damaged { None } else { f.value });
            unit.push(f.unit.as_str());
            raw.push(f.raw.as_str());
            qualifier.push(f.qualifier.as_str());
            masked.push(f.masked);
            damaged.push(f.damaged);
            role.push(f.role.as_str());
            section.push(f.section.as_str());
            sentence.push(f.sentence.as_str());
            start.push(f.start as u64);
            end.push(f.end as u64);
        }
    }
    let names: Vec<&str> = FACT_COLUMNS.iter().map(|c| c.name).collect();
    let columns = vec![
        Column::new(names[0].into(), doc_id),
        Column::new(names[1].into(), path),
        Column::new(names[2].into(), region_code),
        Column::new(names[3].into(), period_label),
        Column::new(names[4].into(), theme),
        Column::new(names[5].into(), indicator),
        Column::new(names[6].into(), value),
        Column::new(names[7].into(), unit),
        Column::new(names[8].into(), raw),
        Column::new(names[9].into(), qualifier),
        Column::new(names[10].into(), masked),
        Column::new(names[11].into(), damaged),
        Column::new(names[12].into(), role),
        Column::new(names[13].into(), section),
        Column::new(names[14].into(), sentence),
        Column::new(names[15].into(), start),
        Column::new(names[16].into(), end),
    ];
    debug_assert_eq!(columns.len(), FACT_COLUMNS.len());
    build("facts frame", n, columns)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reports of the embedded sample corpus, parsed.
    fn sample_documents() -> Vec<Document> {
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../notebooks-data/sample-corpus"
        );
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .collect();
        paths.sort();
        let parser = zongjie_parse::Parser::new().unwrap();
        paths
            .iter()
            .map(|path| {
                let bytes = std::fs::read(path).unwrap();
                parser.parse(&path.display().to_string(), &bytes).unwrap()
            })
            .collect()
    }

    #[test]
    fn rows_give_the_frames_of_their_documents_without_text_or_evidence() {
        let docs = sample_documents();
        assert_eq!(docs.len(), 16);
        let lexicon = zongjie_parse::lexicon::Lexicon::builtin().unwrap();
        let themes = lexicon.theme_ids();
        assert!(themes.len() >= 4);
        let rows: Vec<DocumentRow> = docs.iter().cloned().map(DocumentRow::from).collect();
        for (doc, row) in docs.iter().zip(&rows) {
            assert_eq!(row.chars, doc.text.chars().count() as u64);
            assert_eq!(row.sentences, doc.structure.sentences.len() as u64);
            assert_eq!(row.facts, doc.facts);
            assert!(row.region.evidence.is_empty() && row.period.evidence.is_empty());
            assert_eq!(row.region.code, doc.region.code);
            assert_eq!(row.period.label(), doc.period.label());
        }
        // Real reports carry evidence and facts, so the comparison is not empty.
        assert!(docs.iter().any(|d| !d.region.evidence.is_empty()));
        assert!(rows.iter().map(|r| r.facts.len()).sum::<usize>() > 100);
        let by_docs = documents_frame(&docs, &themes).unwrap();
        let by_rows = documents_frame(&rows, &themes).unwrap();
        assert_eq!(by_docs.height(), 16);
        assert!(by_docs.equals_missing(&by_rows), "{by_docs}\n{by_rows}");
        let facts_by_docs = facts_frame(&docs).unwrap();
        let facts_by_rows = facts_frame(&rows).unwrap();
        assert!(facts_by_docs.equals_missing(&facts_by_rows));
    }
}
