//! Writing frames as Parquet and CSV (atomically, byte-for-byte reproducible)
//! and reading them back with the schema checked; [`load`] opens an
//! `extract` output folder as lazy scans so large fact tables stream.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use polars::prelude::{
    CsvWriter, DataFrame, IntoLazy, LazyFrame, ParquetCompression, ParquetWriter, PlRefPath,
    ScanArgsParquet, SchemaRef, SerWriter,
};

use crate::error::{AggregateError, Result};
use crate::schema::{check_documents, check_facts, DOCUMENTS, FACTS};

/// An `extract` output folder, opened lazily: nothing is read but the
/// Parquet footers until a table query is collected.
#[derive(Clone)]
pub struct Dataset {
    /// The folder it was loaded from.
    pub dir: PathBuf,
    /// The documents table (one row per report).
    pub documents: LazyFrame,
    /// The facts table (one row per number).
    pub facts: LazyFrame,
    /// Theme ids, in the order of the `mentions_<theme>` columns.
    pub themes: Vec<String>,
}

impl std::fmt::Debug for Dataset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dataset")
            .field("dir", &self.dir)
            .field("themes", &self.themes)
            .finish_non_exhaustive()
    }
}

impl Dataset {
    /// A dataset over frames already in memory (from [`crate::frames`]), with the
    /// same schema check as [`load`]; `dir` is only used to name them in errors.
    pub fn from_frames(documents: DataFrame, facts: DataFrame, dir: &Path) -> Result<Dataset> {
        let themes = check_documents(
            documents.schema(),
            &dir.join(format!("{DOCUMENTS}.parquet")),
        )?;
        check_facts(facts.schema(), &dir.join(format!("{FACTS}.parquet")))?;
        Ok(Dataset {
            dir: dir.to_path_buf(),
            documents: documents.lazy(),
            facts: facts.lazy(),
            themes,
        })
    }
}

fn io_err(file: &Path) -> impl FnOnce(std::io::Error) -> AggregateError + '_ {
    move |source| AggregateError::Io {
        file: file.to_path_buf(),
        source,
    }
}

fn file_err(file: &Path) -> impl FnOnce(polars::prelude::PolarsError) -> AggregateError + '_ {
    move |source| AggregateError::File {
        file: file.to_path_buf(),
        source,
    }
}

/// Write `path` atomically: `fill` writes into a temporary file in the same
/// folder, which is flushed, synced, then renamed over `path`. A reader never
/// sees a half-written file, and a failed write leaves the old file intact.
pub fn write_atomic(
    path: &Path,
    fill: impl FnOnce(&mut BufWriter<&mut File>) -> Result<()>,
) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".zongjie-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(io_err(path))?;
    {
        let mut w = BufWriter::new(tmp.as_file_mut());
        fill(&mut w)?;
        w.flush().map_err(io_err(path))?;
    }
    tmp.as_file().sync_all().map_err(io_err(path))?;
    tmp.persist(path).map_err(|e| AggregateError::Io {
        file: path.to_path_buf(),
        source: e.error,
    })?;
    Ok(())
}

/// Write `df` as Parquet (zstd, one thread so the bytes never depend on scheduling).
pub fn write_parquet(df: &mut DataFrame, path: &Path) -> Result<()> {
    write_atomic(path, |w| {
        ParquetWriter::new(w)
            .with_compression(ParquetCompression::Zstd(None))
            .set_parallel(false)
            .finish(df)
            .map(|_| ())
            .map_err(file_err(path))
    })
}

/// Write `df` as CSV with a header; `bom` prefixes a UTF-8 byte-order mark so
/// Excel opens Chinese text correctly.
pub fn write_csv(df: &mut DataFrame, path: &Path, bom: bool) -> Result<()> {
    write_atomic(path, |w| {
        CsvWriter::new(w)
            .include_bom(bom)
            .include_header(true)
            .n_threads(1)
            .finish(df)
            .map_err(file_err(path))
    })
}

/// Write `df` into `dir` as `<stem>.parquet` and `<stem>.csv`, creating `dir`
/// when needed. Returns the two paths written.
pub fn write_table(df: &mut DataFrame, dir: &Path, stem: &str) -> Result<(PathBuf, PathBuf)> {
    std::fs::create_dir_all(dir).map_err(io_err(dir))?;
    let parquet = dir.join(format!("{stem}.parquet"));
    let csv = dir.join(format!("{stem}.csv"));
    write_parquet(df, &parquet)?;
    write_csv(df, &csv, false)?;
    Ok((parquet, csv))
}

/// Write the documents and facts frames into `dir` (Parquet + CSV each):
/// the one call `extract` makes to produce its tables.
pub fn write_dataset(documents: &mut DataFrame, facts: &mut DataFrame, dir: &Path) -> Result<()> {
    write_table(documents, dir, DOCUMENTS)?;
    write_table(facts, dir, FACTS)?;
    Ok(())
}

/// Scan a Parquet file lazily and return it with its schema (read from the footer).
pub fn scan_parquet(path: &Path) -> Result<(LazyFrame, SchemaRef)> {
    if !path.is_file() {
        return Err(AggregateError::MissingFile {
            file: path.to_path_buf(),
        });
    }
    let pl_path = PlRefPath::try_from_path(path).map_err(file_err(path))?;
    let mut lf =
        LazyFrame::scan_parquet(pl_path, ScanArgsParquet::default()).map_err(file_err(path))?;
    let schema = lf.collect_schema().map_err(file_err(path))?;
    Ok((lf, schema))
}

/// Scan a documents Parquet file, checking its schema; returns the theme ids too.
pub fn scan_documents(path: &Path) -> Result<(LazyFrame, Vec<String>)> {
    let (lf, schema) = scan_parquet(path)?;
    let themes = check_documents(&schema, path)?;
    Ok((lf, themes))
}

/// Scan a facts Parquet file, checking its schema.
pub fn scan_facts(path: &Path) -> Result<LazyFrame> {
    let (lf, schema) = scan_parquet(path)?;
    check_facts(&schema, path)?;
    Ok(lf)
}

/// Read a documents Parquet file eagerly, schema checked.
pub fn read_documents(path: &Path) -> Result<DataFrame> {
    let (lf, _) = scan_documents(path)?;
    lf.collect().map_err(file_err(path))
}

/// Read a facts Parquet file eagerly, schema checked.
pub fn read_facts(path: &Path) -> Result<DataFrame> {
    scan_facts(path)?.collect().map_err(file_err(path))
}

/// Open an `extract` output folder: `documents.parquet` and `facts.parquet`,
/// both schema-checked, as lazy scans.
pub fn load(dir: &Path) -> Result<Dataset> {
    if !dir.is_dir() {
        return Err(AggregateError::MissingDir {
            dir: dir.to_path_buf(),
        });
    }
    let (documents, themes) = scan_documents(&dir.join(format!("{DOCUMENTS}.parquet")))?;
    let facts = scan_facts(&dir.join(format!("{FACTS}.parquet")))?;
    Ok(Dataset {
        dir: dir.to_path_buf(),
        documents,
        facts,
        themes,
    })
}

#[cfg(test)]
mod tests {
    use polars::prelude::*;

    use super::*;
    use crate::frames::{documents_frame, facts_frame};
    use crate::schema::{documents_schema, facts_schema};
    use crate::testutil::{corpus, THEMES};

    fn frames() -> (DataFrame, DataFrame) {
        let docs = corpus();
        (
            documents_frame(&docs, THEMES).unwrap(),
            facts_frame(&docs).unwrap(),
        )
    }

    #[test]
    fn frames_follow_the_schema() {
        let (d, f) = frames();
        assert_eq!(d.schema().as_ref(), &documents_schema(THEMES));
        assert_eq!(f.schema().as_ref(), &facts_schema());
        assert_eq!(d.height(), 5);
        assert_eq!(f.height(), 14);
        let pc = d.column("province_code").unwrap().str().unwrap();
        let cc = d.column("city_code").unwrap().str().unwrap();
        assert_eq!(pc.get(0), Some("37"));
        assert_eq!(cc.get(2), Some("4208"));
        assert_eq!(pc.get(4), Some(""));
        let year = d.column("year").unwrap().i32().unwrap();
        assert_eq!(year.get(4), None);
        let label = d.column("period_label").unwrap().str().unwrap();
        assert_eq!(label.get(3), Some("2018-H2"));
        // The damaged fact's parser value (0) never becomes a value.
        let value = f.column("value").unwrap().f64().unwrap();
        assert_eq!(value.get(3), None);
        assert_eq!(value.get(0), Some(66.0));
    }

    #[test]
    fn write_then_load_round_trips_and_is_reproducible() {
        let (mut d, mut f) = frames();
        let dir = tempfile::tempdir().unwrap();
        write_dataset(&mut d, &mut f, dir.path()).unwrap();
        let first = std::fs::read(dir.path().join("facts.parquet")).unwrap();
        write_dataset(&mut d, &mut f, dir.path()).unwrap();
        assert_eq!(
            first,
            std::fs::read(dir.path().join("facts.parquet")).unwrap()
        );
        let ds = load(dir.path()).unwrap();
        assert_eq!(ds.themes, vec!["high_tech_enterprise", "patent"]);
        assert!(ds.documents.clone().collect().unwrap().equals_missing(&d));
        assert!(ds.facts.clone().collect().unwrap().equals_missing(&f));
        let csv = std::fs::read_to_string(dir.path().join("documents.csv")).unwrap();
        assert!(csv.starts_with("doc_id,path,title,"));
        assert!(csv.contains("寿光市"));
        // No temporary file is left behind.
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
    }

    #[test]
    fn missing_folder_and_files_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let gone = dir.path().join("nope");
        let err = load(&gone).unwrap_err().to_string();
        assert!(err.contains("nope") && err.contains("not found"), "{err}");
        let err = load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("documents.parquet"), "{err}");
    }

    #[test]
    fn missing_column_is_named_with_the_file() {
        let (d, _) = frames();
        let mut d = d.drop("region_code").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("documents.parquet");
        write_parquet(&mut d, &path).unwrap();
        let err = read_documents(&path).unwrap_err();
        assert!(
            matches!(&err, AggregateError::MissingColumn { column, file } if column == "region_code" && file == &path),
            "{err}"
        );
        assert!(err.to_string().contains("documents.parquet"));
    }

    #[test]
    fn mistyped_column_is_named_with_the_file() {
        let (_, f) = frames();
        let mut f = f
            .lazy()
            .with_column(col("start").cast(DataType::Int64))
            .collect()
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("facts.parquet");
        write_parquet(&mut f, &path).unwrap();
        let err = read_facts(&path).unwrap_err().to_string();
        assert!(err.contains("facts.parquet"), "{err}");
        assert!(
            err.contains("`start`") && err.contains("i64") && err.contains("u64"),
            "{err}"
        );
        // A mentions column of the wrong type is caught too.
        let (d, _) = frames();
        let mut d = d
            .lazy()
            .with_column(col("mentions_patent").cast(DataType::Float64))
            .collect()
            .unwrap();
        let path = dir.path().join("documents.parquet");
        write_parquet(&mut d, &path).unwrap();
        let err = read_documents(&path).unwrap_err().to_string();
        assert!(err.contains("mentions_patent"), "{err}");
    }

    #[test]
    fn a_file_that_is_not_parquet_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("documents.parquet");
        std::fs::write(&path, "doc_id,path\n").unwrap();
        let err = read_documents(&path).unwrap_err().to_string();
        assert!(err.contains("documents.parquet"), "{err}");
    }
}
