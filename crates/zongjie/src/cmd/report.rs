//! `zongjie report [INPUT...]`: one run from raw reports to a report folder —
//! the dataset, the comparison tables, the charts, and an HTML and Markdown
//! report with an evidence page that cites every number.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use polars::prelude::{AnyValue, DataFrame};
use zongjie_aggregate::io;
use zongjie_aggregate::tables::{self, By, Filters};

use crate::chart::adapt::Filter;
use crate::chart::ChartKind;
use crate::cli::Global;
use crate::cmd::extract::{self, RunArgs};
use crate::report_html::{
    self, CorpusSummary, Evidence, ReportChart, ReportInput, ReportTable, UnreadInput,
};

/// The comparison tables every report holds, in reading order.
pub const TABLES: [&str; 5] = ["coverage", "indicators", "change", "ranking", "quality"];

/// Arguments of `zongjie report`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Writes into --out: index.html (self-contained: inline SVG, no scripts, no
network), evidence.html (every fact with its sentence, file and offset),
summary.md, charts/*.svg, tables/ (CSV, Parquet and one XLSX workbook) and
data/ (documents, facts, manifest as from `zongjie extract`).

With no INPUT, runs on the embedded sample corpus (notebooks-data/sample-corpus).

Examples:
  zongjie report
  zongjie report ~/reports/shandong --out reports-out/shandong --title '山东省县级科技局 2023'")]
pub struct ReportArgs {
    /// Report files or folders; default: the embedded sample corpus.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Output folder.
    #[arg(long, short, default_value = "reports-out/report", value_name = "DIR")]
    pub out: PathBuf,
    /// Title of the report.
    #[arg(long, default_value = "科技局工作总结 benchmarking report")]
    pub title: String,
    /// Options shared with `extract`.
    #[command(flatten)]
    pub run: RunArgs,
}

/// The sample corpus: under the working folder when run from a checkout,
/// else where the source tree was when the binary was built.
pub fn sample_corpus() -> PathBuf {
    let local = PathBuf::from("notebooks-data/sample-corpus");
    if local.is_dir() {
        return local;
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../notebooks-data/sample-corpus")
}

/// Run the command.
pub fn run(args: &ReportArgs, global: &Global) -> anyhow::Result<ExitCode> {
    let inputs = if args.inputs.is_empty() {
        vec![sample_corpus()]
    } else {
        args.inputs.clone()
    };
    let data = args.out.join("data");
    let summary = extract::extract(&inputs, &data, &args.run, global.quiet)?;
    let input = build(&data, &args.out, &args.title, &summary.manifest)?;
    report_html::write_report(&args.out, &input)?;
    if !global.quiet {
        eprintln!(
            "zongjie: report written to {}",
            args.out.join("index.html").display()
        );
    }
    Ok(extract::exit_code(&summary.manifest, args.run.strict))
}

/// Compute tables and charts from the dataset in `data` and write the tables
/// under `out/tables`; returns what the HTML and Markdown pages show.
pub fn build(
    data: &Path,
    out: &Path,
    title: &str,
    manifest: &crate::manifest::Manifest,
) -> anyhow::Result<ReportInput> {
    let ds = io::load(data)?;
    let by = By {
        region: true,
        period: true,
    };
    let mut frames = BTreeMap::new();
    for name in TABLES {
        let df = tables::table(name, &ds, &Filters::default(), by)
            .with_context(|| format!("computing the {name} table"))?;
        frames.insert(name, df);
    }
    let table_dir = out.join("tables");
    for (name, df) in &frames {
        let mut df = df.clone();
        io::write_table(&mut df, &table_dir, name)?;
    }
    let sheets: Vec<(&str, &DataFrame)> = TABLES.iter().map(|n| (*n, &frames[n])).collect();
    crate::fsutil::write_atomic(
        &table_dir.join("tables.xlsx"),
        &crate::export::xlsx(&sheets)?,
    )?;

    let documents = ds.documents.clone().collect()?;
    let corpus = corpus_summary(&documents, manifest)?;
    let tables_out = TABLES
        .iter()
        .map(|name| -> anyhow::Result<ReportTable> {
            let (headers, rows) = string_rows(&frames[name]);
            let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
            Ok(ReportTable {
                name: name.to_string(),
                markdown: crate::export::markdown(&frames[name])?,
                html: report_html::html_table(&headers, &rows),
            })
        })
        .collect::<anyhow::Result<_>>()?;
    let charts = charts(&frames)?;
    let evidence = evidence(&ds.facts.clone().collect()?, &documents)?;
    Ok(ReportInput {
        title: title.to_string(),
        corpus,
        tables: tables_out,
        charts,
        evidence,
    })
}

fn corpus_summary(
    documents: &DataFrame,
    manifest: &crate::manifest::Manifest,
) -> anyhow::Result<CorpusSummary> {
    let codes = documents.column("region_code")?.str()?;
    let periods = documents.column("period_label")?.str()?;
    let regions: BTreeSet<&str> = codes.iter().flatten().filter(|c| !c.is_empty()).collect();
    // Periods with a year, in year order; a label without one ("H1" of a
    // report whose year is masked) says nothing about the range covered.
    let periods: BTreeSet<String> = periods
        .iter()
        .flatten()
        .filter(|p| p.starts_with(|c: char| c.is_ascii_digit()))
        .map(str::to_string)
        .collect();
    Ok(CorpusSummary {
        documents: documents.height() as u64,
        regions: regions.len() as u64,
        periods: periods.into_iter().collect(),
        unread: manifest
            .unread
            .iter()
            .map(|e| UnreadInput {
                path: e.path.clone(),
                status: e.status.clone(),
                reason: e.reason.clone(),
            })
            .collect(),
    })
}

/// Every cell of a frame as display text: nulls empty, numbers without noise.
pub fn string_rows(df: &DataFrame) -> (Vec<String>, Vec<Vec<String>>) {
    let headers = df
        .get_column_names()
        .iter()
        .map(|s| s.to_string())
        .collect();
    let rows = (0..df.height())
        .map(|i| {
            df.columns()
                .iter()
                .map(|c| crate::export::cell_text(&c.get(i).unwrap_or(AnyValue::Null)))
                .collect()
        })
        .collect();
    (headers, rows)
}

/// The (theme, indicator, period) combinations with the most regions
/// reporting an achieved value: what is worth a bar chart.
fn busiest_indicators(
    indicators: &DataFrame,
) -> anyhow::Result<Vec<(String, String, String, usize)>> {
    let theme = indicators.column("theme")?.str()?;
    let indicator = indicators.column("indicator")?.str()?;
    let period = indicators.column("period_label")?.str()?;
    let role = indicators.column("role")?.str()?;
    let value = indicators.column("value")?.f64()?;
    let mut counts: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    for i in 0..indicators.height() {
        if role.get(i) != Some("achievement") || value.get(i).is_none() {
            continue;
        }
        let key = (
            theme.get(i).unwrap_or("").to_string(),
            indicator.get(i).unwrap_or("").to_string(),
            period.get(i).unwrap_or("").to_string(),
        );
        *counts.entry(key).or_default() += 1;
    }
    let mut ranked: Vec<_> = counts
        .into_iter()
        .map(|((t, i, p), n)| (t, i, p, n))
        .collect();
    ranked.sort_by(|a, b| b.3.cmp(&a.3).then_with(|| a.cmp(b)));
    Ok(ranked)
}

fn charts(frames: &BTreeMap<&str, DataFrame>) -> anyhow::Result<Vec<ReportChart>> {
    let mut plan: Vec<(ChartKind, Filter, String)> = vec![
        (
            ChartKind::CoverageHeatmap,
            Filter::default(),
            "coverage-heatmap.svg".into(),
        ),
        (
            ChartKind::CoverageGrid,
            Filter::default(),
            "coverage-grid.svg".into(),
        ),
        (ChartKind::Quality, Filter::default(), "quality.svg".into()),
    ];
    let busiest = busiest_indicators(&frames["indicators"])?;
    let mut drawn = BTreeSet::new();
    for (theme, indicator, period, _) in busiest.iter().filter(|b| b.0 != "other") {
        if drawn.len() == 3 {
            break;
        }
        if !drawn.insert((theme.clone(), indicator.clone())) {
            continue;
        }
        let filter = Filter {
            period: Some(period.clone()),
            theme: Some(theme.clone()),
            indicator: Some(indicator.clone()),
            region: None,
        };
        plan.push((
            ChartKind::IndicatorBars,
            filter.clone(),
            format!("bars-{theme}-{indicator}-{period}.svg"),
        ));
        plan.push((
            ChartKind::IndicatorTrend,
            Filter {
                period: None,
                ..filter
            },
            format!("trend-{theme}-{indicator}.svg"),
        ));
    }
    let mut charts = Vec::new();
    for (kind, filter, file_name) in plan {
        let table = crate::cmd::chart::table_name(kind);
        // A chart with nothing to draw (say, a trend with a single period) is
        // left out of the report rather than drawn empty.
        match crate::cmd::chart::render(kind, &frames[table], &filter) {
            Ok(svg) => charts.push(ReportChart {
                title: chart_title(&svg).unwrap_or_else(|| kind.name().to_string()),
                file_name: file_name.replace(['/', '\\'], "_"),
                svg,
            }),
            Err(crate::chart::ChartError::Empty(_)) => {}
            Err(e) => return Err(e).with_context(|| format!("drawing {file_name}")),
        }
    }
    Ok(charts)
}

/// The text of the first `<text>` element, which every chart uses for its title.
fn chart_title(svg: &str) -> Option<String> {
    let start = svg.find("<text")?;
    let open_end = svg[start..].find('>')? + start + 1;
    let close = svg[open_end..].find("</text>")? + open_end;
    let raw = &svg[open_end..close];
    Some(
        raw.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&apos;", "'")
            .replace("&amp;", "&"),
    )
}

fn evidence(facts: &DataFrame, documents: &DataFrame) -> anyhow::Result<Vec<Evidence>> {
    let doc_ids = documents.column("doc_id")?.str()?;
    let names = documents.column("region_name")?.str()?;
    let mut region_of = BTreeMap::new();
    for i in 0..documents.height() {
        if let (Some(id), Some(name)) = (doc_ids.get(i), names.get(i)) {
            region_of.insert(id.to_string(), name.to_string());
        }
    }
    let col = |name: &str| -> anyhow::Result<_> { Ok(facts.column(name)?.str()?.clone()) };
    let (doc_id, period, theme, indicator, unit, raw, sentence, path) = (
        col("doc_id")?,
        col("period_label")?,
        col("theme")?,
        col("indicator")?,
        col("unit")?,
        col("raw")?,
        col("sentence")?,
        col("path")?,
    );
    let value = facts.column("value")?.f64()?.clone();
    let start = facts.column("start")?.u64()?.clone();
    let text = |c: &polars::prelude::StringChunked, i: usize| c.get(i).unwrap_or("").to_string();
    Ok((0..facts.height())
        .map(|i| Evidence {
            region: region_of
                .get(doc_id.get(i).unwrap_or(""))
                .cloned()
                .unwrap_or_default(),
            period: text(&period, i),
            theme: text(&theme, i),
            indicator: text(&indicator, i),
            value: value.get(i),
            unit: text(&unit, i),
            raw: text(&raw, i),
            sentence: text(&sentence, i),
            path: text(&path, i),
            start: start.get(i).unwrap_or(0),
        })
        .collect())
}
