//! `zongjie chart KIND --data DIR`: draw one SVG chart of the comparison tables.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use polars::prelude::{DataFrame, ParquetReader, SerReader};

use zongjie_aggregate::tables::{self, By, Filters};

use crate::chart::{self, adapt, adapt::Filter, ChartKind};
use crate::cli::Global;
use crate::fsutil::write_atomic;

/// Arguments of `zongjie chart`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
DIR is a `zongjie extract` output folder (documents.parquet, facts.parquet),
or a `zongjie compare` output folder holding the table the chart needs
(coverage, indicators or quality as .parquet). Without --period the latest
period with data is drawn; without --indicator, the indicator reported by the
most regions.

Examples:
  zongjie chart coverage-heatmap --data reports-out/extract
  zongjie chart indicator-bars --data reports-out/extract --period 2023-FY \\
      --theme high_tech_enterprise --out hte-2023.svg
  zongjie chart quality --data reports-out/extract")]
pub struct ChartArgs {
    /// Which chart to draw.
    #[arg(value_enum)]
    pub kind: ChartKind,
    /// Folder with the extracted data (or the comparison tables).
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// Period label to draw, e.g. 2023-FY (default: the latest with data).
    #[arg(long, value_name = "LABEL")]
    pub period: Option<String>,
    /// Only this theme, e.g. patent.
    #[arg(long, value_name = "T")]
    pub theme: Option<String>,
    /// The indicator to draw (bars and trend).
    #[arg(long, value_name = "I")]
    pub indicator: Option<String>,
    /// Only this region (six-digit code).
    #[arg(long, value_name = "CODE")]
    pub region: Option<String>,
    /// Output SVG file (default: reports-out/charts/<kind>.svg).
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

impl ChartArgs {
    fn filter(&self) -> Filter {
        Filter {
            period: self.period.clone(),
            theme: self.theme.clone(),
            indicator: self.indicator.clone(),
            region: self.region.clone(),
        }
    }
}

/// The comparison table a chart kind is drawn from.
pub fn table_name(kind: ChartKind) -> &'static str {
    match kind {
        ChartKind::CoverageHeatmap | ChartKind::CoverageGrid => "coverage",
        ChartKind::IndicatorBars | ChartKind::IndicatorTrend => "indicators",
        ChartKind::Quality => "quality",
    }
}

/// Load the table `kind` needs from `dir`: a precomputed `<table>.parquet`
/// (a `compare` output folder) if present, else computed from the extracted
/// documents and facts.
pub fn load_table(kind: ChartKind, dir: &Path, filter: &Filter) -> anyhow::Result<DataFrame> {
    let name = table_name(kind);
    let precomputed = dir.join(format!("{name}.parquet"));
    if precomputed.is_file() {
        let file = std::fs::File::open(&precomputed)
            .with_context(|| format!("{}: cannot open", precomputed.display()))?;
        return ParquetReader::new(file)
            .finish()
            .with_context(|| format!("{}: cannot read", precomputed.display()));
    }
    // Narrow by theme, indicator and region in the query; periods stay
    // unfiltered, the chart needs them to find the latest one or a trend.
    let filters = Filters {
        theme: filter.theme.clone(),
        indicator: filter.indicator.clone(),
        region_code: filter.region.clone(),
        ..Filters::default()
    };
    let dataset = zongjie_aggregate::io::load(dir)?;
    tables::table(name, &dataset, &filters, By::default())
        .with_context(|| format!("{}: cannot compute the {name} table", dir.display()))
}

/// Draw `kind` from `df` with `filter`.
pub fn render(
    kind: ChartKind,
    df: &DataFrame,
    filter: &Filter,
) -> Result<String, chart::ChartError> {
    match kind {
        ChartKind::CoverageHeatmap => chart::heatmap::render(&adapt::coverage_heatmap(df, filter)?),
        ChartKind::CoverageGrid => chart::grid::render(&adapt::coverage_grid(df, filter)?),
        ChartKind::IndicatorBars => chart::bars::render(&adapt::indicator_bars(df, filter)?),
        ChartKind::IndicatorTrend => chart::trend::render(&adapt::indicator_trend(df, filter)?),
        ChartKind::Quality => chart::quality::render(&adapt::quality(df, filter)?),
    }
}

/// Run the command.
pub fn run(args: &ChartArgs, global: &Global) -> anyhow::Result<ExitCode> {
    let filter = args.filter();
    let df = load_table(args.kind, &args.data, &filter)?;
    let svg = render(args.kind, &df, &filter)
        .with_context(|| format!("{}: cannot draw {}", args.data.display(), args.kind.name()))?;
    let out = args.out.clone().unwrap_or_else(|| {
        PathBuf::from("reports-out/charts").join(format!("{}.svg", args.kind.name()))
    });
    write_atomic(&out, svg.as_bytes())?;
    if !global.quiet {
        eprintln!("wrote {}", out.display());
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use polars::df;
    use polars::prelude::*;

    #[test]
    fn chart_from_precomputed_table_writes_svg() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut q = df!(
            "region_code" => ["420881", ""],
            "region_name" => ["钟祥市", ""],
            "province" => ["湖北省", ""],
            "city" => ["荆门市", ""],
            "period_label" => ["2023-FY", ""],
            "documents" => [3u32, 1],
            "facts" => [10u32, 0],
            "masked" => [0u32, 0],
            "damaged" => [0u32, 0],
            "unknown_region" => [0u32, 1],
            "unknown_period" => [0u32, 1]
        )
        .expect("valid frame");
        let file = std::fs::File::create(dir.path().join("quality.parquet")).expect("create");
        ParquetWriter::new(file)
            .finish(&mut q)
            .expect("write parquet");
        let out = dir.path().join("charts/q.svg");
        let args = ChartArgs {
            kind: ChartKind::Quality,
            data: dir.path().to_path_buf(),
            period: None,
            theme: None,
            indicator: None,
            region: None,
            out: Some(out.clone()),
        };
        run(&args, &Global { quiet: true }).expect("runs");
        let svg = std::fs::read_to_string(&out).expect("written");
        assert!(
            svg.starts_with("<svg") && svg.contains("钟祥市") && svg.contains("unknown region")
        );
    }

    #[test]
    fn missing_data_folder_is_an_error_naming_it() {
        let err = load_table(
            ChartKind::Quality,
            Path::new("/nonexistent/zj"),
            &Filter::default(),
        )
        .expect_err("fails");
        assert!(format!("{err:#}").contains("/nonexistent/zj"), "{err:#}");
    }
}
