//! Rendering tables for people and tools: Markdown (aligned GitHub tables,
//! CJK counted as two columns), CSV (optionally with a BOM for Excel), XLSX
//! (one sheet per table, frozen header, number formats), Parquet and JSON
//! records. Every renderer returns bytes; [`crate::fsutil::write_atomic`] puts them on disk.

use anyhow::Context;
use polars::prelude::{AnyValue, CsvWriter, DataFrame, DataType, ParquetWriter, SerWriter};
use rust_xlsxwriter::{Format, Workbook};

/// Output formats of table-producing commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// GitHub-flavoured Markdown table.
    Md,
    /// Comma-separated values with a header row.
    Csv,
    /// Excel workbook, one sheet per table.
    Xlsx,
    /// Apache Parquet.
    Parquet,
    /// JSON: an array of records (an object of arrays for several tables).
    Json,
}

impl ExportFormat {
    /// The file extension of this format.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Md => "md",
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Parquet => "parquet",
            ExportFormat::Json => "json",
        }
    }
}

/// Display width of a string in a monospace terminal: East Asian wide and
/// full-width characters count 2, everything else 1.
pub fn display_width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

fn char_width(c: char) -> usize {
    let wide = matches!(c as u32,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD);
    if wide {
        2
    } else {
        1
    }
}

/// A float as people read it: integers without decimals, others with at most
/// four decimals, trailing zeros dropped.
pub fn format_float(v: f64) -> String {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        let s = format!("{v:.4}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        s.to_string()
    }
}

/// One cell as text ("" for null; numbers as [`format_float`]).
pub fn cell_text(v: &AnyValue) -> String {
    match v {
        AnyValue::Null => String::new(),
        AnyValue::String(s) => s.to_string(),
        AnyValue::StringOwned(s) => s.to_string(),
        AnyValue::Float64(f) => format_float(*f),
        AnyValue::Float32(f) => format_float(f64::from(*f)),
        AnyValue::Boolean(b) => b.to_string(),
        other => other.to_string(),
    }
}

fn is_numeric(dtype: &DataType) -> bool {
    dtype.is_primitive_numeric()
}

/// Render a frame as an aligned GitHub Markdown table; numbers right-aligned.
pub fn markdown(df: &DataFrame) -> anyhow::Result<String> {
    let columns = df.columns();
    let mut rows: Vec<Vec<String>> = Vec::with_capacity(df.height() + 1);
    rows.push(columns.iter().map(|c| c.name().to_string()).collect());
    for i in 0..df.height() {
        let mut row = Vec::with_capacity(columns.len());
        for c in columns {
            let v = c.get(i).context("reading a table cell")?;
            // Pipes would end the cell, angle brackets would be read as HTML
            // by a Markdown renderer: report text is data, never markup.
            row.push(crate::report_html::md_cell(&cell_text(&v)));
        }
        rows.push(row);
    }
    let right: Vec<bool> = columns.iter().map(|c| is_numeric(c.dtype())).collect();
    let widths: Vec<usize> = (0..columns.len())
        .map(|j| {
            rows.iter()
                .map(|r| display_width(&r[j]))
                .max()
                .unwrap_or(0)
                .max(3)
        })
        .collect();
    let mut out = String::new();
    let line = |out: &mut String, row: &[String]| {
        out.push('|');
        for (j, text) in row.iter().enumerate() {
            let pad = " ".repeat(widths[j] - display_width(text));
            if right[j] {
                out.push_str(&format!(" {pad}{text} |"));
            } else {
                out.push_str(&format!(" {text}{pad} |"));
            }
        }
        out.push('\n');
    };
    line(&mut out, &rows[0]);
    out.push('|');
    for (j, w) in widths.iter().enumerate() {
        if right[j] {
            out.push_str(&format!(" {}: |", "-".repeat(w - 1)));
        } else {
            out.push_str(&format!(" {} |", "-".repeat(*w)));
        }
    }
    out.push('\n');
    for row in &rows[1..] {
        line(&mut out, row);
    }
    Ok(out)
}

/// Render a frame as CSV; `bom` prefixes a UTF-8 byte-order mark so Excel
/// reads Chinese text correctly.
pub fn csv(df: &DataFrame, bom: bool) -> anyhow::Result<Vec<u8>> {
    let mut buf = Vec::new();
    let mut df = df.clone();
    CsvWriter::new(&mut buf)
        .include_bom(bom)
        .include_header(true)
        .n_threads(1)
        .finish(&mut df)
        .context("writing CSV")?;
    Ok(buf)
}

/// Render a frame as Parquet.
pub fn parquet(df: &DataFrame) -> anyhow::Result<Vec<u8>> {
    let mut buf = Vec::new();
    let mut df = df.clone();
    ParquetWriter::new(&mut buf)
        .set_parallel(false)
        .finish(&mut df)
        .context("writing Parquet")?;
    Ok(buf)
}

fn json_value(v: &AnyValue) -> serde_json::Value {
    use serde_json::Value;
    match v {
        AnyValue::Null => Value::Null,
        AnyValue::Boolean(b) => Value::Bool(*b),
        AnyValue::String(s) => Value::String(s.to_string()),
        AnyValue::StringOwned(s) => Value::String(s.to_string()),
        AnyValue::Float64(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
        AnyValue::Float32(f) => {
            serde_json::Number::from_f64(f64::from(*f)).map_or(Value::Null, Value::Number)
        }
        AnyValue::UInt8(n) => Value::from(*n),
        AnyValue::UInt16(n) => Value::from(*n),
        AnyValue::UInt32(n) => Value::from(*n),
        AnyValue::UInt64(n) => Value::from(*n),
        AnyValue::Int8(n) => Value::from(*n),
        AnyValue::Int16(n) => Value::from(*n),
        AnyValue::Int32(n) => Value::from(*n),
        AnyValue::Int64(n) => Value::from(*n),
        other => Value::String(other.to_string()),
    }
}

/// Row `i` of a frame as one JSON object, keys in column order (unlike a
/// JSON map, which would sort them): `{"column": value, ...}`.
pub fn json_record(df: &DataFrame, i: usize) -> anyhow::Result<String> {
    let mut out = String::from("{");
    for (j, c) in df.columns().iter().enumerate() {
        let v = c.get(i).context("reading a table cell")?;
        if j > 0 {
            out.push_str(", ");
        }
        out.push_str(&serde_json::to_string(c.name().as_str())?);
        out.push_str(": ");
        out.push_str(&serde_json::to_string(&json_value(&v))?);
    }
    out.push('}');
    Ok(out)
}

/// A frame as JSON records text, keys in column order, one record per line.
pub fn json_text(df: &DataFrame) -> anyhow::Result<String> {
    let mut out = String::from("[");
    for i in 0..df.height() {
        out.push_str(if i == 0 { "\n  " } else { ",\n  " });
        out.push_str(&json_record(df, i)?);
    }
    out.push_str("\n]\n");
    Ok(out)
}

/// Render named tables as one workbook: one sheet per table (name cut to
/// Excel's 31 characters), bold frozen header row, `0` for integers and
/// `#,##0.####` for floats, columns sized to their content.
pub fn xlsx(tables: &[(&str, &DataFrame)]) -> anyhow::Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let header = Format::new().set_bold();
    let int = Format::new().set_num_format("0");
    let float = Format::new().set_num_format("#,##0.####");
    for (name, df) in tables {
        let sheet = wb.add_worksheet();
        let sheet_name: String = name.chars().take(31).collect();
        sheet.set_name(&sheet_name)?;
        for (j, c) in df.columns().iter().enumerate() {
            let col = u16::try_from(j).context("too many columns for a worksheet")?;
            sheet.write_string_with_format(0, col, c.name().as_str(), &header)?;
            let mut width = display_width(c.name());
            for i in 0..df.height() {
                let row = u32::try_from(i + 1).context("too many rows for a worksheet")?;
                let v = c.get(i).context("reading a table cell")?;
                match &v {
                    AnyValue::Null => {}
                    AnyValue::Float64(f) => {
                        sheet.write_number_with_format(row, col, *f, &float)?;
                        width = width.max(format_float(*f).len());
                    }
                    AnyValue::Boolean(b) => {
                        sheet.write_boolean(row, col, *b)?;
                        width = width.max(5);
                    }
                    v if is_numeric(&v.dtype()) => {
                        let text = cell_text(v);
                        // Integers up to 2^53 are exact in Excel's f64 cells.
                        let n: f64 = text.parse().unwrap_or(f64::NAN);
                        sheet.write_number_with_format(row, col, n, &int)?;
                        width = width.max(text.len());
                    }
                    v => {
                        let text = cell_text(v);
                        width = width.max(display_width(&text));
                        sheet.write_string(row, col, &text)?;
                    }
                }
            }
            sheet.set_column_width(col, (width.min(60) + 2) as f64)?;
        }
        sheet.set_freeze_panes(1, 0)?;
    }
    Ok(wb.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use polars::prelude::*;

    use super::*;

    fn frame() -> DataFrame {
        df!(
            "region_name" => ["寿光市", "(unknown)"],
            "documents" => [3u32, 12],
            "share" => [Some(0.25), None],
        )
        .unwrap()
    }

    #[test]
    fn widths_count_cjk_twice() {
        assert_eq!(display_width("寿光市"), 6);
        assert_eq!(display_width("ab"), 2);
        assert_eq!(display_width("Ｑ１"), 4);
    }

    #[test]
    fn markdown_is_aligned_by_display_width() {
        let md = markdown(&frame()).unwrap();
        let lines: Vec<&str> = md.lines().collect();
        assert_eq!(lines[0], "| region_name | documents | share |");
        assert_eq!(lines[1], "| ----------- | --------: | ----: |");
        assert_eq!(lines[2], "| 寿光市      |         3 |  0.25 |");
        assert_eq!(lines[3], "| (unknown)   |        12 |       |");
        let w: Vec<usize> = lines.iter().map(|l| display_width(l)).collect();
        assert!(w.iter().all(|x| *x == w[0]), "{w:?}");
    }

    #[test]
    fn csv_bom_and_json_records() {
        let bytes = csv(&frame(), true).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBFregion_name,documents,share\n"));
        assert!(!csv(&frame(), false).unwrap().starts_with(b"\xEF"));
        let text = json_text(&frame()).unwrap();
        assert!(
            text.contains(r#"{"region_name": "寿光市", "documents": 3, "share": 0.25}"#),
            "{text}"
        );
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(json[0]["region_name"], "寿光市");
        assert_eq!(json[1]["documents"], 12);
        assert!(json[1]["share"].is_null());
    }

    #[test]
    fn xlsx_and_parquet_render() {
        let f = frame();
        let bytes = xlsx(&[("coverage", &f), ("quality", &f)]).unwrap();
        assert!(bytes.starts_with(b"PK"));
        let pq = parquet(&f).unwrap();
        assert!(pq.starts_with(b"PAR1"));
        assert_eq!(format_float(2418000.0), "2418000");
        assert_eq!(format_float(1.0 / 3.0), "0.3333");
    }
}
