//! The documents and facts table schemas, defined once, and the check run on
//! every file read back.
//!
//! [`DOCUMENT_COLUMNS`] and [`FACT_COLUMNS`] are the single source of truth:
//! [`crate::frames`] builds frames in this order and [`crate::io`] checks files
//! against it, so `extract`, `compare` and notebooks all agree on the contract.

use std::path::Path;

use polars::prelude::{DataType, Schema};

use crate::error::{AggregateError, Result};

/// The logical type of a table column (a closed subset of polars types).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColType {
    /// UTF-8 text; empty string for "unknown", never null.
    Str,
    /// 64-bit float; may be null where the doc says so.
    F64,
    /// 32-bit signed integer; may be null where the doc says so.
    I32,
    /// 32-bit unsigned count.
    U32,
    /// 64-bit unsigned count or offset.
    U64,
    /// Boolean flag.
    Bool,
}

impl ColType {
    /// The polars type this column is stored as.
    pub fn dtype(self) -> DataType {
        match self {
            ColType::Str => DataType::String,
            ColType::F64 => DataType::Float64,
            ColType::I32 => DataType::Int32,
            ColType::U32 => DataType::UInt32,
            ColType::U64 => DataType::UInt64,
            ColType::Bool => DataType::Boolean,
        }
    }
}

/// One column of a table: its name, type and meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnSpec {
    /// Column name as written in Parquet and CSV headers.
    pub name: &'static str,
    /// Storage type.
    pub dtype: ColType,
    /// What the column holds.
    pub doc: &'static str,
}

const fn c(name: &'static str, dtype: ColType, doc: &'static str) -> ColumnSpec {
    ColumnSpec { name, dtype, doc }
}

/// Prefix of the per-theme mention-count columns of the documents table.
pub const MENTIONS_PREFIX: &str = "mentions_";

/// File stem of the documents table (`documents.parquet`, `documents.csv`).
pub const DOCUMENTS: &str = "documents";
/// File stem of the facts table (`facts.parquet`, `facts.csv`).
pub const FACTS: &str = "facts";

/// The fixed columns of the documents table, in order; one
/// `mentions_<theme>` (u32) column per theme follows them, in lexicon order.
pub const DOCUMENT_COLUMNS: &[ColumnSpec] = &[
    c(
        "doc_id",
        ColType::Str,
        "content hash: first 16 hex digits of BLAKE3 of the raw bytes",
    ),
    c("path", ColType::Str, "the input path as given"),
    c(
        "title",
        ColType::Str,
        "title in simplified characters, \"\" when none",
    ),
    c("format", ColType::Str, "container format: text, html, docx"),
    c(
        "encoding",
        ColType::Str,
        "encoding the bytes were decoded with",
    ),
    c("script", ColType::Str, "simplified or traditional"),
    c(
        "region_code",
        ColType::Str,
        "six-digit code at the finest level resolved, \"\" when unknown",
    ),
    c(
        "region_level",
        ColType::Str,
        "county, city, province or unknown",
    ),
    c("region_name", ColType::Str, "name at that level"),
    c("province", ColType::Str, "province name, \"\" when unknown"),
    c(
        "city",
        ColType::Str,
        "city name, \"\" when unknown or not applicable",
    ),
    c(
        "county",
        ColType::Str,
        "county name, \"\" when not resolved to a county",
    ),
    c(
        "province_code",
        ColType::Str,
        "first 2 digits of region_code, \"\" when unknown",
    ),
    c(
        "city_code",
        ColType::Str,
        "first 4 digits of region_code, \"\" when unknown",
    ),
    c(
        "region_confidence",
        ColType::F64,
        "0-1: how strongly the evidence favours this region",
    ),
    c(
        "year",
        ColType::I32,
        "year covered; null when unknown or masked",
    ),
    c(
        "period",
        ColType::Str,
        "Q1..Q4, H1, H2, FY, other, or \"\" when unknown",
    ),
    c(
        "period_label",
        ColType::Str,
        "\"2018-H1\", \"2018\", \"H1\" or \"\"",
    ),
    c("year_trust", ColType::Str, "sure, suspect or unknown"),
    c(
        "chars",
        ColType::U64,
        "length of the cleaned text in characters",
    ),
    c("sentences", ColType::U64, "number of sentences"),
    c("facts", ColType::U64, "number of facts extracted"),
];

/// The columns of the facts table, in order.
pub const FACT_COLUMNS: &[ColumnSpec] = &[
    c(
        "doc_id",
        ColType::Str,
        "content hash of the document stating the fact",
    ),
    c("path", ColType::Str, "path of that document"),
    c(
        "region_code",
        ColType::Str,
        "the document's region code, \"\" when unknown",
    ),
    c(
        "period_label",
        ColType::Str,
        "the document's period label, \"\" when unknown",
    ),
    c("theme", ColType::Str, "lexicon theme id"),
    c(
        "indicator",
        ColType::Str,
        "indicator id within the theme, or \"other\"",
    ),
    c(
        "value",
        ColType::F64,
        "the value; null when masked or damaged (money in yuan, shares in %)",
    ),
    c(
        "unit",
        ColType::Str,
        "measure word, 元 for money, % for shares",
    ),
    c("raw", ColType::Str, "number and unit as written"),
    c(
        "qualifier",
        ColType::Str,
        "exact, approx, at_least, at_most",
    ),
    c(
        "masked",
        ColType::Bool,
        "value replaced by x/X placeholders",
    ),
    c("damaged", ColType::Bool, "digits look lost or altered"),
    c("role", ColType::Str, "achievement, plan, problem, other"),
    c("section", ColType::Str, "section path of the sentence"),
    c("sentence", ColType::Str, "the whole sentence, as cleaned"),
    c(
        "start",
        ColType::U64,
        "character offset of raw in the cleaned text",
    ),
    c(
        "end",
        ColType::U64,
        "character offset one past the end of raw",
    ),
];

/// The name of the mention-count column of a theme.
pub fn mentions_column(theme: &str) -> String {
    format!("{MENTIONS_PREFIX}{theme}")
}

/// The full documents schema for the given themes (fixed columns, then mentions).
pub fn documents_schema(theme_ids: &[&str]) -> Schema {
    let mut schema: Schema = DOCUMENT_COLUMNS
        .iter()
        .map(|s| (s.name.into(), s.dtype.dtype()))
        .collect();
    for t in theme_ids {
        schema.insert(mentions_column(t).into(), DataType::UInt32);
    }
    schema
}

/// The facts schema.
pub fn facts_schema() -> Schema {
    FACT_COLUMNS
        .iter()
        .map(|s| (s.name.into(), s.dtype.dtype()))
        .collect()
}

fn check_columns(found: &Schema, specs: &[ColumnSpec], file: &Path) -> Result<()> {
    for spec in specs {
        check_one(found, spec.name, &spec.dtype.dtype(), file)?;
    }
    Ok(())
}

fn check_one(found: &Schema, name: &str, expected: &DataType, file: &Path) -> Result<()> {
    match found.get(name) {
        None => Err(AggregateError::MissingColumn {
            file: file.to_path_buf(),
            column: name.to_string(),
        }),
        Some(dt) if dt == expected => Ok(()),
        Some(dt) => Err(AggregateError::WrongType {
            file: file.to_path_buf(),
            column: name.to_string(),
            expected: expected.to_string(),
            found: dt.to_string(),
        }),
    }
}

/// Check a documents file's schema: every fixed column present with its type,
/// and every `mentions_*` column a u32. Returns the theme ids, in column order.
pub fn check_documents(found: &Schema, file: &Path) -> Result<Vec<String>> {
    check_columns(found, DOCUMENT_COLUMNS, file)?;
    let mut themes = Vec::new();
    for (name, _) in found.iter() {
        if let Some(theme) = name.strip_prefix(MENTIONS_PREFIX) {
            check_one(found, name, &DataType::UInt32, file)?;
            themes.push(theme.to_string());
        }
    }
    Ok(themes)
}

/// Check a facts file's schema: every column present with its type.
pub fn check_facts(found: &Schema, file: &Path) -> Result<()> {
    check_columns(found, FACT_COLUMNS, file)
}
