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
                export::write_atomic(&path, &bytes)?;
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
                    let mut obj = serde_json::Map::new();
                    for (name, df) in &built {
                        obj.insert(name.to_string(), export::json_records(df)?);
                    }
                    let mut b = serde_json::to_vec_pretty(&obj)?;
                    b.push(b'\n');
                    b
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
                    export::write_atomic(path, &bytes)?;
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
        ExportFormat::Json => {
            let mut b = serde_json::to_vec_pretty(&export::json_records(df)?)?;
            b.push(b'\n');
            b
        }
    })
}

fn note(global: &Global, path: &Path) {
    if !global.quiet {
        eprintln!("zongjie compare: wrote {}", path.display());
    }
}
