//! `zongjie compare`: comparison tables over an `extract` output folder.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use polars::prelude::DataFrame;
use zongjie_aggregate::tables::{self, By, Filters, TABLE_NAMES};

use crate::cli::Global;
use crate::export::{self, ExportFormat};

/// Which table to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TableChoice {
    /// Per region × period × theme: documents, sentences, mentions, share.
    Coverage,
    /// One value per region × period × theme × indicator × role, with its citation.
    Indicators,
    /// Achievement values between comparable consecutive periods.
    Change,
    /// Regions ranked per period × theme × indicator (and coverage share).
    Ranking,
    /// Documents, facts, masked/damaged numbers, unknown regions/periods.
    Quality,
    /// Every table.
    All,
}

/// A dimension tables keep apart (`--by`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Dimension {
    /// Keep regions apart.
    Region,
    /// Keep periods apart.
    Period,
}

const EXAMPLES: &str = "\
Examples:
  zongjie compare --data reports-out/run1
  zongjie compare --data reports-out/run1 --table indicators --theme patent --province 37
  zongjie compare --data reports-out/run1 --table change --from 2018 --to 2020-FY --format csv --excel --out change.csv
  zongjie compare --data reports-out/run1 --table all --out tables.xlsx

Periods for --from/--to: a year (2018) or a label (2018-H1, 2019-Q3, 2020-FY), ordered by
year then by the month the period ends in. --by region pools periods; --by period pools regions.";

/// Arguments of `zongjie compare`.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct CompareArgs {
    /// Folder written by `zongjie extract` (documents.parquet, facts.parquet).
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// The table to build.
    #[arg(long, value_enum, default_value = "coverage")]
    pub table: TableChoice,
    /// Dimensions kept apart, comma-separated (coverage, indicators, quality).
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "region,period"
    )]
    pub by: Vec<Dimension>,
    /// Only this theme id (high_tech_enterprise, patent, science_envoy, ...).
    #[arg(long, value_name = "T")]
    pub theme: Option<String>,
    /// Only this indicator id (certified, applications, ...).
    #[arg(long, value_name = "I")]
    pub indicator: Option<String>,
    /// Only this province: two-digit code (37).
    #[arg(long, value_name = "CODE")]
    pub province: Option<String>,
    /// Only this city: four-digit code (3707).
    #[arg(long, value_name = "CODE")]
    pub city: Option<String>,
    /// Only this region: six-digit code (370783).
    #[arg(long, value_name = "CODE")]
    pub region: Option<String>,
    /// First period kept: 2018 or 2018-H1.
    #[arg(long, value_name = "LABEL")]
    pub from: Option<String>,
    /// Last period kept: 2020 or 2020-FY.
    #[arg(long, value_name = "LABEL")]
    pub to: Option<String>,
    /// Only facts of this role.
    #[arg(long, value_name = "R", value_parser = ["achievement", "plan", "problem", "other"])]
    pub role: Option<String>,
    /// Output format [default: md, or csv with --excel, or from the --out extension].
    #[arg(long, value_enum)]
    pub format: Option<ExportFormat>,
    /// CSV for Excel: prefix a UTF-8 byte-order mark so Chinese text opens correctly.
    #[arg(long)]
    pub excel: bool,
    /// Write here (atomically) instead of standard output; a folder for
    /// `--table all` with csv or parquet.
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
}

impl CompareArgs {
    fn filters(&self) -> Filters {
        Filters {
            theme: self.theme.clone(),
            indicator: self.indicator.clone(),
            province_code: self.province.clone(),
            city_code: self.city.clone(),
            region_code: self.region.clone(),
            period_from: self.from.clone(),
            period_to: self.to.clone(),
            role: self.role.clone(),
        }
    }

    fn format(&self) -> ExportFormat {
        if let Some(f) = self.format {
            return f;
        }
        let from_ext = self
            .out
            .as_ref()
            .and_then(|p| p.extension())
            .and_then(|e| e.to_str())
            .and_then(|e| match e.to_ascii_lowercase().as_str() {
                "md" | "markdown" => Some(ExportFormat::Md),
                "csv" => Some(ExportFormat::Csv),
                "xlsx" => Some(ExportFormat::Xlsx),
                "parquet" => Some(ExportFormat::Parquet),
                "json" => Some(ExportFormat::Json),
                _ => None,
            });
        match from_ext {
            Some(f) => f,
            None if self.excel => ExportFormat::Csv,
            None => ExportFormat::Md,
        }
    }
}

fn usage(message: &str) -> ExitCode {
    eprintln!("zongjie compare: {message}");
    ExitCode::from(2)
}

/// Run the command: load the folder, build the tables, render, write.
pub fn run(args: &CompareArgs, global: &Global) -> anyhow::Result<ExitCode> {
    let format = args.format();
    let names: Vec<&str> = match args.table {
        TableChoice::All => TABLE_NAMES.to_vec(),
        TableChoice::Coverage => vec!["coverage"],
        TableChoice::Indicators => vec!["indicators"],
        TableChoice::Change => vec!["change"],
        TableChoice::Ranking => vec!["ranking"],
        TableChoice::Quality => vec!["quality"],
    };
    let several = names.len() > 1;
    if args.out.is_none() && matches!(format, ExportFormat::Xlsx | ExportFormat::Parquet) {
        return Ok(usage("xlsx and parquet output need --out PATH"));
    }
    if several && args.out.is_none() && format == ExportFormat::Csv {
        return Ok(usage(
            "--table all with csv needs --out DIR (one file per table)",
        ));
    }
    let by = By {
        region: args.by.contains(&Dimension::Region),
        period: args.by.contains(&Dimension::Period),
    };
    // The error names the folder or file and what is wrong with it.
    let data = zongjie_aggregate::load(&args.data)?;
    let filters = args.filters();
    let mut built: Vec<(&str, DataFrame)> = Vec::with_capacity(names.len());
    for name in names {
        let df = tables::table(name, &data, &filters, by)
            .with_context(|| format!("building the {name} table"))?;
        if df.height() == 0 && !global.quiet {
            eprintln!("zongjie compare: the {name} table has no rows for these filters");
        }
        built.push((name, df));
    }

    match (format, several) {
        (ExportFormat::Csv | ExportFormat::Parquet, true) => {
            // Checked above: --out is set.
            let dir = args.out.as_deref().unwrap_or(Path::new("."));
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
            for (name, df) in &built {
                let bytes = render_one(format, df, args.excel)?;
                let path = dir.join(format!("{name}.{}", format.extension()));
                crate::fsutil::write_atomic(&path, &bytes)?;
                note(global, &path);
            }
        }
        _ => {
            let bytes = match format {
                ExportFormat::Md => {
                    let mut text = String::new();
                    for (name, df) in &built {
                        if several {
                            text.push_str(&format!("## {name}\n\n"));
                        }
                        text.push_str(&export::markdown(df)?);
                        if several {
                            text.push('\n');
                        }
                    }
                    text.into_bytes()
                }
                ExportFormat::Json if several => {
                    let mut text = String::from("{");
                    for (i, (name, df)) in built.iter().enumerate() {
                        text.push_str(if i == 0 { "\n" } else { ",\n" });
                        text.push_str(&serde_json::to_string(name)?);
                        text.push_str(": ");
                        text.push_str(export::json_text(df)?.trim_end());
                    }
                    text.push_str("\n}\n");
                    text.into_bytes()
                }
                ExportFormat::Xlsx => {
                    let sheets: Vec<(&str, &DataFrame)> =
                        built.iter().map(|(n, df)| (*n, df)).collect();
                    export::xlsx(&sheets)?
                }
                _ => render_one(format, &built[0].1, args.excel)?,
            };
            match &args.out {
                Some(path) => {
                    crate::fsutil::write_atomic(path, &bytes)?;
                    note(global, path);
                }
                None => {
                    let mut stdout = std::io::stdout().lock();
                    stdout
                        .write_all(&bytes)
                        .context("writing to standard output")?;
                    stdout.flush().context("writing to standard output")?;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn render_one(format: ExportFormat, df: &DataFrame, excel: bool) -> anyhow::Result<Vec<u8>> {
    Ok(match format {
        ExportFormat::Md => export::markdown(df)?.into_bytes(),
        ExportFormat::Csv => export::csv(df, excel)?,
        ExportFormat::Parquet => export::parquet(df)?,
        ExportFormat::Xlsx => export::xlsx(&[("table", df)])?,
        ExportFormat::Json => export::json_text(df)?.into_bytes(),
    })
}

fn note(global: &Global, path: &Path) {
    if !global.quiet {
        eprintln!("zongjie compare: wrote {}", path.display());
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use zongjie_aggregate::frames::{documents_frame, facts_frame};
    use zongjie_aggregate::io::write_dataset;
    use zongjie_parse::model::*;

    use super::*;

    fn doc(path: &str, year: i32, value: f64) -> Document {
        Document {
            doc_id: format!("id-{path}"),
            path: path.into(),
            format: Format::Text,
            encoding: "UTF-8".into(),
            script: Script::Simplified,
            title: "寿光市科技局工作总结".into(),
            text: "全市共有高新技术企业66家。".into(),
            structure: Structure {
                title: String::new(),
                sections: Vec::new(),
                sentences: vec![Sentence {
                    span: 0..39,
                    section: 0,
                }],
            },
            region: Region {
                code: "370783".into(),
                level: RegionLevel::County,
                name: "寿光市".into(),
                province: "山东省".into(),
                city: "潍坊市".into(),
                county: "寿光市".into(),
                confidence: 0.9,
                evidence: Vec::new(),
            },
            period: Period {
                year: Some(year),
                kind: Some(PeriodKind::H1),
                year_trust: YearTrust::Sure,
                evidence: Vec::new(),
            },
            mentions: BTreeMap::from([("high_tech_enterprise".to_string(), 1)]),
            facts: vec![Fact {
                theme: "high_tech_enterprise".into(),
                indicator: "total".into(),
                value: Some(value),
                unit: "家".into(),
                raw: format!("{value}家"),
                qualifier: Qualifier::Exact,
                masked: false,
                damaged: false,
                role: Role::Achievement,
                section: String::new(),
                sentence: "全市共有高新技术企业66家。".into(),
                start: 10,
                end: 13,
            }],
            cleaning: CleaningReport::default(),
        }
    }

    /// A fresh folder under the system temp dir, unique per test.
    fn fresh_dir(tag: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("zongjie-compare-{}-{tag}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn data_dir(tag: &str) -> PathBuf {
        let docs = vec![doc("a.txt", 2018, 66.0), doc("b.txt", 2019, 90.0)];
        let mut d = documents_frame(&docs, &["high_tech_enterprise"]).unwrap();
        let mut f = facts_frame(&docs).unwrap();
        let dir = fresh_dir(tag);
        write_dataset(&mut d, &mut f, &dir).unwrap();
        dir
    }

    fn args(data: &Path, table: TableChoice, out: Option<PathBuf>) -> CompareArgs {
        CompareArgs {
            data: data.to_path_buf(),
            table,
            by: vec![Dimension::Region, Dimension::Period],
            theme: None,
            indicator: None,
            province: None,
            city: None,
            region: None,
            from: None,
            to: None,
            role: None,
            format: None,
            excel: false,
            out,
        }
    }

    const QUIET: Global = Global { quiet: true };

    #[test]
    fn writes_every_format() {
        let data = data_dir("formats");
        let out = fresh_dir("formats-out");

        let md = out.join("change.md");
        let code = run(&args(&data, TableChoice::Change, Some(md.clone())), &QUIET).unwrap();
        assert_eq!(code, ExitCode::SUCCESS);
        let text = std::fs::read_to_string(&md).unwrap();
        assert!(text.contains("| 370783"), "{text}");
        assert!(
            text.contains("2018-H1") && text.contains("2019-H1") && text.contains("24"),
            "{text}"
        );

        let xlsx = out.join("all.xlsx");
        run(&args(&data, TableChoice::All, Some(xlsx.clone())), &QUIET).unwrap();
        assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));

        let dir = out.join("csv");
        let mut a = args(&data, TableChoice::All, Some(dir.clone()));
        a.format = Some(ExportFormat::Csv);
        a.excel = true;
        run(&a, &QUIET).unwrap();
        for name in TABLE_NAMES {
            let bytes = std::fs::read(dir.join(format!("{name}.csv"))).unwrap();
            assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "{name}");
        }

        let json = out.join("q.json");
        let mut a = args(&data, TableChoice::Quality, Some(json.clone()));
        a.from = Some("2019".into());
        run(&a, &QUIET).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
        assert_eq!(v.as_array().unwrap().len(), 1);
        assert_eq!(v[0]["period_label"], "2019-H1");
        let _ = std::fs::remove_dir_all(&data);
        let _ = std::fs::remove_dir_all(&out);
    }

    #[test]
    fn binary_formats_need_out() {
        let data = data_dir("binary");
        let mut a = args(&data, TableChoice::Coverage, None);
        a.format = Some(ExportFormat::Parquet);
        assert_eq!(run(&a, &QUIET).unwrap(), ExitCode::from(2));
        let _ = std::fs::remove_dir_all(&data);
    }

    #[test]
    fn folders_of_another_schema_are_refused_by_name() {
        let data = data_dir("schema");
        let facts = &data.join("facts.parquet");
        let mut wrong = polars::prelude::df!("doc_id" => ["x"]).unwrap();
        zongjie_aggregate::io::write_parquet(&mut wrong, facts.as_path()).unwrap();
        let err = run(&args(&data, TableChoice::Coverage, None), &QUIET)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("facts.parquet") && err.contains("`path`"),
            "{err}"
        );
        let _ = std::fs::remove_dir_all(&data);
    }
}
