//! Parsed [`Document`]s → the documents and facts frames, in the column order
//! of [`crate::schema`]. Rows keep the order given: the caller sorts documents
//! by path (and facts follow, by path then offset), so outputs are identical
//! whatever the thread count.

use polars::prelude::{Column, DataFrame};
use zongjie_parse::model::Document;

use crate::error::{frame_err, Result};
use crate::schema::{mentions_column, DOCUMENT_COLUMNS, FACT_COLUMNS};

/// The first `n` characters of a region code, or "" when the code is empty or shorter.
fn code_prefix(code: &str, n: usize) -> &str {
    code.get(..n).unwrap_or_default()
}

fn build(context: &str, height: usize, columns: Vec<Column>) -> Result<DataFrame> {
    DataFrame::new(height, columns).map_err(frame_err(context))
}

/// One row per document, with the fixed columns then one `mentions_<theme>`
/// column per id in `theme_ids` (0 when the document has no count for it).
pub fn documents_frame(docs: &[Document], theme_ids: &[&str]) -> Result<DataFrame> {
    // Borrowed: the column copies the text once, into its own buffer.
    let s = |f: &dyn for<'d> Fn(&'d Document) -> &'d str| docs.iter().map(f).collect::<Vec<&str>>();
    let names: Vec<&str> = DOCUMENT_COLUMNS.iter().map(|c| c.name).collect();
    let mut columns = vec![
        Column::new(names[0].into(), s(&|d| &d.doc_id)),
        Column::new(names[1].into(), s(&|d| &d.path)),
        Column::new(names[2].into(), s(&|d| &d.title)),
        Column::new(names[3].into(), s(&|d| d.format.as_str())),
        Column::new(names[4].into(), s(&|d| &d.encoding)),
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
            docs.iter().map(|d| d.chars() as u64).collect::<Vec<u64>>(),
        ),
        Column::new(
            names[20].into(),
            docs.iter()
                .map(|d| d.structure.sentences.len() as u64)
                .collect::<Vec<u64>>(),
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
pub fn facts_frame(docs: &[Document]) -> Result<DataFrame> {
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
        for f in &d.facts {
            doc_id.push(d.doc_id.as_str());
            path.push(d.path.as_str());
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
