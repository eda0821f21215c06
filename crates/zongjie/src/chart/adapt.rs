//! Adapters from the comparison tables (polars DataFrames produced by
//! `zongjie-aggregate`) to chart inputs.
//!
//! Columns are read by name and cast to the type the chart needs, so a table
//! with `documents` as `u32` or `i64` works the same. Rows are ordered
//! deterministically: regions by code (unknown last), periods chronologically,
//! themes by name.

use std::collections::{BTreeMap, BTreeSet};

use polars::prelude::{DataFrame, DataType};

use super::{
    source_note, Bar, BarValue, BarsInput, ChartError, GridInput, HeatmapInput, QualityInput,
    Series, TrendInput,
};

/// How the comparison tables label an unresolved region name or period.
const TABLE_UNKNOWN: &str = "(unknown)";

/// Label of rows whose region could not be resolved.
pub const UNKNOWN_REGION: &str = "unknown region";
/// Label of columns whose period could not be resolved.
pub const UNKNOWN_PERIOD: &str = "unknown period";

/// What to chart: each field narrows the table; `None` means the default
/// (latest period with data, all themes, the most widely reported indicator,
/// all regions).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Period label such as `2023-FY`.
    pub period: Option<String>,
    /// Theme id such as `patent`.
    pub theme: Option<String>,
    /// Indicator name.
    pub indicator: Option<String>,
    /// Six-digit region code.
    pub region: Option<String>,
}

fn table_err(name: &str, e: impl std::fmt::Display) -> ChartError {
    ChartError::Table(format!("column `{name}`: {e}"))
}

fn strings(df: &DataFrame, name: &str) -> Result<Vec<String>, ChartError> {
    let col = df
        .column(name)
        .map_err(|e| table_err(name, e))?
        .cast(&DataType::String)
        .map_err(|e| table_err(name, e))?;
    let ca = col.str().map_err(|e| table_err(name, e))?;
    Ok(ca
        .iter()
        .map(|v| v.unwrap_or("").trim().to_string())
        .collect())
}

fn floats(df: &DataFrame, name: &str) -> Result<Vec<Option<f64>>, ChartError> {
    let col = df
        .column(name)
        .map_err(|e| table_err(name, e))?
        .cast(&DataType::Float64)
        .map_err(|e| table_err(name, e))?;
    let ca = col.f64().map_err(|e| table_err(name, e))?;
    Ok(ca.iter().map(|v| v.filter(|x| x.is_finite())).collect())
}

/// Chronological sort key of a period label (`2023-Q1`, `2023-H1`, `2023-FY`,
/// `2023-other`): year, then the month the period ends, then shorter spans
/// first; labels that do not parse sort first, by text.
pub fn period_key(label: &str) -> (i32, u8, u8, String) {
    let (year, part) = label.split_once('-').unwrap_or((label, ""));
    let Ok(year) = year.trim().parse::<i32>() else {
        return (i32::MIN, 0, 0, label.to_string());
    };
    let (end, span) = match part.trim().to_ascii_uppercase().as_str() {
        "Q1" => (3, 1),
        "Q2" => (6, 1),
        "H1" => (6, 2),
        "Q3" => (9, 1),
        "Q4" => (12, 1),
        "H2" => (12, 2),
        "FY" | "" => (12, 3),
        _ => (13, 0),
    };
    (year, end, span, label.to_string())
}

/// Distinct non-empty period labels in chronological order.
fn sorted_periods<'a>(labels: impl IntoIterator<Item = &'a String>) -> Vec<String> {
    let set: BTreeSet<&String> = labels.into_iter().filter(|p| !p.is_empty()).collect();
    let mut v: Vec<String> = set.into_iter().cloned().collect();
    v.sort_by_key(|p| period_key(p));
    v
}

/// The latest period label present in `df` (column `period_label`), ignoring
/// rows with an unknown period.
pub fn latest_period(df: &DataFrame) -> Result<Option<String>, ChartError> {
    let labels = strings(df, "period_label")?;
    Ok(sorted_periods(labels.iter().filter(|p| p.as_str() != TABLE_UNKNOWN)).pop())
}

/// A region as it appears in the tables: code (possibly empty) and name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct RegionKey {
    unknown: bool,
    code: String,
    name: String,
}

impl RegionKey {
    fn new(code: &str, name: &str) -> Self {
        RegionKey {
            unknown: code.is_empty() && name.is_empty(),
            code: code.to_string(),
            name: name.to_string(),
        }
    }
}

/// Display labels for sorted region keys: the name, or the code, or
/// "unknown region"; a name shared by two codes gets its code appended.
fn region_labels(keys: &[RegionKey]) -> Vec<String> {
    let base: Vec<String> = keys
        .iter()
        .map(|k| {
            if k.unknown {
                UNKNOWN_REGION.to_string()
            } else if k.name.is_empty() {
                k.code.clone()
            } else {
                k.name.clone()
            }
        })
        .collect();
    base.iter()
        .zip(keys)
        .map(|(b, k)| {
            if base.iter().filter(|x| *x == b).count() > 1 && !k.code.is_empty() {
                format!("{b} ({})", k.code)
            } else {
                b.clone()
            }
        })
        .collect()
}

/// Columns shared by the region-level tables.
struct Common {
    code: Vec<String>,
    name: Vec<String>,
    period: Vec<String>,
}

impl Common {
    /// Read the region and period columns; the tables' "(unknown)" label
    /// for an unresolved region or period becomes the empty string here.
    fn read(df: &DataFrame) -> Result<Self, ChartError> {
        let code = strings(df, "region_code")?;
        let mut name = strings(df, "region_name")?;
        for (n, c) in name.iter_mut().zip(&code) {
            if c.is_empty() && n == TABLE_UNKNOWN {
                n.clear();
            }
        }
        let mut period = strings(df, "period_label")?;
        for p in &mut period {
            if p == TABLE_UNKNOWN {
                p.clear();
            }
        }
        Ok(Common { code, name, period })
    }
    fn key(&self, i: usize) -> RegionKey {
        RegionKey::new(&self.code[i], &self.name[i])
    }
    fn region_ok(&self, i: usize, f: &Filter) -> bool {
        f.region.as_ref().is_none_or(|r| &self.code[i] == r)
    }
}

fn choose_period(periods: &[String], f: &Filter, what: &str) -> Result<String, ChartError> {
    match &f.period {
        Some(p) if periods.contains(p) => Ok(p.clone()),
        Some(p) => Err(ChartError::Empty(format!(
            "no {what} for period {p} (periods with data: {})",
            periods.join(", ")
        ))),
        None => sorted_periods(periods)
            .pop()
            .ok_or_else(|| ChartError::Empty(format!("no {what} with a known period"))),
    }
}

/// Coverage heatmap for one period (the filter's, else the latest) from the
/// `coverage` table: regions × themes, cell = `share`.
pub fn coverage_heatmap(df: &DataFrame, f: &Filter) -> Result<HeatmapInput, ChartError> {
    let c = Common::read(df)?;
    let theme = strings(df, "theme")?;
    let share = floats(df, "share")?;
    let docs = floats(df, "documents")?;
    let period = choose_period(&c.period, f, "coverage")?;
    let mut cells: BTreeMap<RegionKey, BTreeMap<String, f64>> = BTreeMap::new();
    let mut themes = BTreeSet::new();
    let mut region_docs: BTreeMap<RegionKey, f64> = BTreeMap::new();
    for i in 0..df.height() {
        let theme_ok = f.theme.as_ref().is_none_or(|t| &theme[i] == t);
        if c.period[i] != period || !theme_ok || !c.region_ok(i, f) || theme[i].is_empty() {
            continue;
        }
        let key = c.key(i);
        themes.insert(theme[i].clone());
        let d = region_docs.entry(key.clone()).or_insert(0.0);
        *d = d.max(docs[i].unwrap_or(0.0));
        if let Some(s) = share[i] {
            cells.entry(key).or_default().insert(theme[i].clone(), s);
        } else {
            cells.entry(key).or_default();
        }
    }
    if cells.is_empty() {
        return Err(ChartError::Empty(format!("no coverage rows for {period}")));
    }
    let themes: Vec<String> = themes.into_iter().collect();
    let keys: Vec<RegionKey> = cells.keys().cloned().collect();
    let documents: f64 = region_docs.values().sum();
    Ok(HeatmapInput {
        title: format!("Theme coverage by region, {period}"),
        row_labels: region_labels(&keys),
        cells: keys
            .iter()
            .map(|k| themes.iter().map(|t| cells[k].get(t).copied()).collect())
            .collect(),
        col_labels: themes,
        row_title: "region".into(),
        col_title: "theme (cell: share of the region's sentences that mention it)".into(),
        source_note: source_note(documents as u64, std::slice::from_ref(&period)),
    })
}

/// Coverage grid from the `coverage` table: for every region, period and
/// theme, whether the theme is mentioned (`mentions` > 0 or `share` > 0).
pub fn coverage_grid(df: &DataFrame, f: &Filter) -> Result<GridInput, ChartError> {
    let c = Common::read(df)?;
    let theme = strings(df, "theme")?;
    let share = floats(df, "share")?;
    let mentions = floats(df, "mentions")?;
    let mut hits: BTreeSet<(RegionKey, String, String)> = BTreeSet::new();
    let mut keys = BTreeSet::new();
    let mut themes = BTreeSet::new();
    let mut periods = Vec::new();
    for i in 0..df.height() {
        let theme_ok = f.theme.as_ref().is_none_or(|t| &theme[i] == t);
        if !theme_ok || !c.region_ok(i, f) || theme[i].is_empty() || c.period[i].is_empty() {
            continue;
        }
        keys.insert(c.key(i));
        themes.insert(theme[i].clone());
        periods.push(c.period[i].clone());
        if mentions[i].unwrap_or(0.0) > 0.0 || share[i].unwrap_or(0.0) > 0.0 {
            hits.insert((c.key(i), c.period[i].clone(), theme[i].clone()));
        }
    }
    if keys.is_empty() {
        return Err(ChartError::Empty(
            "no coverage rows with a known period".into(),
        ));
    }
    let periods = sorted_periods(&periods);
    let themes: Vec<String> = themes.into_iter().collect();
    let keys: Vec<RegionKey> = keys.into_iter().collect();
    let reported = keys
        .iter()
        .map(|k| {
            periods
                .iter()
                .map(|p| {
                    themes
                        .iter()
                        .map(|t| hits.contains(&(k.clone(), p.clone(), t.clone())))
                        .collect()
                })
                .collect()
        })
        .collect();
    Ok(GridInput {
        title: "Which themes each region reports, by period".into(),
        regions: region_labels(&keys),
        source_note: format!(
            "Source: zongjie extraction; {} regions; {}.",
            keys.len(),
            period_range(&periods)
        ),
        periods,
        themes,
        reported,
    })
}

fn period_range(periods: &[String]) -> String {
    match (periods.first(), periods.last()) {
        (Some(a), Some(b)) if a != b => format!("periods {a} – {b}"),
        (Some(a), _) => format!("period {a}"),
        _ => "no period".into(),
    }
}

/// What one chart axis measures.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Measure {
    theme: String,
    indicator: String,
    unit: String,
}

impl Measure {
    fn name(&self) -> String {
        format!("{} · {}", self.theme, self.indicator)
    }
    fn axis_title(&self) -> String {
        if self.unit.is_empty() {
            self.name()
        } else {
            format!("{} ({})", self.name(), self.unit)
        }
    }
}

/// The `indicators` table read into rows.
struct IndicatorRows {
    c: Common,
    theme: Vec<String>,
    indicator: Vec<String>,
    role: Vec<String>,
    value: Vec<Option<f64>>,
    unit: Vec<String>,
    masked: Vec<Option<f64>>,
    damaged: Vec<Option<f64>>,
    doc_id: Vec<String>,
}

impl IndicatorRows {
    fn read(df: &DataFrame) -> Result<Self, ChartError> {
        Ok(IndicatorRows {
            c: Common::read(df)?,
            theme: strings(df, "theme")?,
            indicator: strings(df, "indicator")?,
            role: strings(df, "role")?,
            value: floats(df, "value")?,
            unit: strings(df, "unit")?,
            masked: floats(df, "masked")?,
            damaged: floats(df, "damaged")?,
            doc_id: strings(df, "doc_id")?,
        })
    }
    fn len(&self) -> usize {
        self.indicator.len()
    }
    /// Rows matching the filter (theme, indicator, region) and, if given,
    /// the measure (theme, indicator and unit; rows without a unit, such as
    /// masked numbers, go with any unit).
    fn matching(&self, f: &Filter, m: Option<&Measure>) -> Vec<usize> {
        (0..self.len())
            .filter(|&i| {
                f.theme.as_ref().is_none_or(|t| &self.theme[i] == t)
                    && f.indicator.as_ref().is_none_or(|t| &self.indicator[i] == t)
                    && self.c.region_ok(i, f)
                    && !self.indicator[i].is_empty()
                    && m.is_none_or(|m| {
                        self.theme[i] == m.theme
                            && self.indicator[i] == m.indicator
                            && (self.unit[i] == m.unit || self.unit[i].is_empty())
                    })
            })
            .collect()
    }
    /// The measure reported by the most regions among `rows` (ties by
    /// theme, indicator, unit): indicator ids repeat across themes and one
    /// indicator may come in several units, which must not share an axis.
    fn choose_measure(&self, rows: &[usize]) -> Result<Measure, ChartError> {
        let mut regions: BTreeMap<Measure, BTreeSet<RegionKey>> = BTreeMap::new();
        for &i in rows {
            let m = Measure {
                theme: self.theme[i].clone(),
                indicator: self.indicator[i].clone(),
                unit: self.unit[i].clone(),
            };
            regions.entry(m).or_default().insert(self.c.key(i));
        }
        regions
            .into_iter()
            .max_by(|a, b| a.1.len().cmp(&b.1.len()).then_with(|| b.0.cmp(&a.0)))
            .map(|(m, _)| m)
            .ok_or_else(|| ChartError::Empty("no indicator rows match".into()))
    }
    /// The value of a group of rows (one region, one period): the first
    /// readable value of an achievement row, else of any row; else masked or
    /// damaged if any fact was; else nothing.
    fn value(&self, rows: &[usize]) -> Option<BarValue> {
        let first = |pred: &dyn Fn(usize) -> bool| {
            rows.iter()
                .copied()
                .filter(|&i| pred(i))
                .find_map(|i| self.value[i])
        };
        if let Some(v) = first(&|i| self.role[i] == "achievement").or_else(|| first(&|_| true)) {
            return Some(BarValue::Value(v));
        }
        if rows.iter().any(|&i| self.masked[i].unwrap_or(0.0) > 0.0) {
            return Some(BarValue::Masked);
        }
        if rows.iter().any(|&i| self.damaged[i].unwrap_or(0.0) > 0.0) {
            return Some(BarValue::Damaged);
        }
        None
    }
    fn documents(&self, rows: &[usize]) -> u64 {
        let docs: BTreeSet<&str> = rows
            .iter()
            .map(|&i| self.doc_id[i].as_str())
            .filter(|d| !d.is_empty())
            .collect();
        docs.len() as u64
    }
}

/// Indicator bars for one period from the `indicators` table: one bar per
/// region; masked/damaged facts without a readable value become marked bars.
pub fn indicator_bars(df: &DataFrame, f: &Filter) -> Result<BarsInput, ChartError> {
    let t = IndicatorRows::read(df)?;
    let candidates = t.matching(f, None);
    let period_pool: Vec<usize> = match &f.period {
        Some(p) => candidates
            .iter()
            .copied()
            .filter(|&i| &t.c.period[i] == p)
            .collect(),
        None => candidates.clone(),
    };
    if period_pool.is_empty() {
        let known: Vec<String> = candidates.iter().map(|&i| t.c.period[i].clone()).collect();
        choose_period(&sorted_periods(&known), f, "indicator values")?;
    }
    let m = t.choose_measure(&period_pool)?;
    let indicator = m.name();
    let rows = t.matching(f, Some(&m));
    let periods: Vec<String> = rows.iter().map(|&i| t.c.period[i].clone()).collect();
    let period = choose_period(&periods, f, &format!("values of {indicator}"))?;
    let rows: Vec<usize> = rows
        .into_iter()
        .filter(|&i| t.c.period[i] == period)
        .collect();
    let mut groups: BTreeMap<RegionKey, Vec<usize>> = BTreeMap::new();
    for &i in &rows {
        groups.entry(t.c.key(i)).or_default().push(i);
    }
    let keys: Vec<RegionKey> = groups.keys().cloned().collect();
    let labels = region_labels(&keys);
    let bars: Vec<Bar> = keys
        .iter()
        .zip(labels)
        .filter_map(|(k, label)| t.value(&groups[k]).map(|value| Bar { label, value }))
        .collect();
    if bars.is_empty() {
        return Err(ChartError::Empty(format!(
            "no values of {indicator} for {period}"
        )));
    }
    Ok(BarsInput {
        title: format!("{indicator} by region, {period}"),
        value_title: m.axis_title(),
        category_title: "region".into(),
        bars,
        source_note: source_note(t.documents(&rows), std::slice::from_ref(&period)),
    })
}

/// Indicator trend from the `indicators` table: one series per region over
/// every known period.
pub fn indicator_trend(df: &DataFrame, f: &Filter) -> Result<TrendInput, ChartError> {
    let t = IndicatorRows::read(df)?;
    let candidates = t.matching(f, None);
    let m = t.choose_measure(&candidates)?;
    let indicator = m.name();
    let rows: Vec<usize> = t
        .matching(f, Some(&m))
        .into_iter()
        .filter(|&i| !t.c.period[i].is_empty())
        .collect();
    let periods = sorted_periods(rows.iter().map(|&i| &t.c.period[i]));
    let mut groups: BTreeMap<RegionKey, BTreeMap<&str, Vec<usize>>> = BTreeMap::new();
    for &i in &rows {
        groups
            .entry(t.c.key(i))
            .or_default()
            .entry(t.c.period[i].as_str())
            .or_default()
            .push(i);
    }
    let keys: Vec<RegionKey> = groups.keys().cloned().collect();
    let series: Vec<Series> = keys
        .iter()
        .zip(region_labels(&keys))
        .map(|(k, label)| Series {
            label,
            values: periods
                .iter()
                .map(
                    |p| match groups[k].get(p.as_str()).and_then(|r| t.value(r)) {
                        Some(BarValue::Value(v)) => Some(v),
                        _ => None,
                    },
                )
                .collect(),
        })
        .filter(|s| s.values.iter().any(Option::is_some))
        .collect();
    if series.is_empty() {
        return Err(ChartError::Empty(format!(
            "no readable values of {indicator}"
        )));
    }
    Ok(TrendInput {
        title: format!("{indicator} over time"),
        value_title: m.axis_title(),
        period_title: "period".into(),
        source_note: source_note(t.documents(&rows), &periods),
        periods,
        series,
    })
}

/// Data-quality matrix from the `quality` table: documents per region ×
/// period; the empty region code and the empty period label become the
/// highlighted "unknown" row and column.
pub fn quality(df: &DataFrame, f: &Filter) -> Result<QualityInput, ChartError> {
    let c = Common::read(df)?;
    let docs = floats(df, "documents")?;
    let mut cells: BTreeMap<(RegionKey, String), f64> = BTreeMap::new();
    let mut keys = BTreeSet::new();
    let mut periods = Vec::new();
    let mut unknown_period = false;
    for (i, n) in docs.iter().enumerate() {
        if !c.region_ok(i, f) || f.period.as_ref().is_some_and(|p| &c.period[i] != p) {
            continue;
        }
        let mut key = c.key(i);
        if key.code.is_empty() {
            // Every document without a resolved region lands in one row.
            key = RegionKey::new("", "");
        }
        keys.insert(key.clone());
        if c.period[i].is_empty() {
            unknown_period = true;
        } else {
            periods.push(c.period[i].clone());
        }
        *cells.entry((key, c.period[i].clone())).or_insert(0.0) += n.unwrap_or(0.0);
    }
    if keys.is_empty() {
        return Err(ChartError::Empty("no quality rows".into()));
    }
    let periods = sorted_periods(&periods);
    let mut cols = periods.clone();
    if unknown_period {
        cols.push(String::new());
    }
    let keys: Vec<RegionKey> = keys.into_iter().collect();
    let documents: Vec<Vec<u32>> = keys
        .iter()
        .map(|k| {
            cols.iter()
                .map(|p| {
                    let n = cells.get(&(k.clone(), p.clone())).copied().unwrap_or(0.0);
                    // Document counts are small non-negative integers.
                    n.clamp(0.0, f64::from(u32::MAX)) as u32
                })
                .collect()
        })
        .collect();
    let total: u64 = documents.iter().flatten().map(|&n| u64::from(n)).sum();
    Ok(QualityInput {
        title: "Documents per region and period".into(),
        unknown_rows: keys
            .iter()
            .map(|k| k.unknown || k.code.is_empty())
            .collect(),
        unknown_cols: cols.iter().map(String::is_empty).collect(),
        row_labels: region_labels(&keys),
        col_labels: cols
            .iter()
            .map(|p| {
                if p.is_empty() {
                    UNKNOWN_PERIOD.to_string()
                } else {
                    p.clone()
                }
            })
            .collect(),
        documents,
        source_note: source_note(total, &periods),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use polars::df;
    use polars::prelude::Column;

    fn coverage_df() -> DataFrame {
        df!(
            "region_code" => ["420881", "420881", "420882", "420881", ""],
            "region_name" => ["钟祥市", "钟祥市", "京山市", "钟祥市", ""],
            "province" => ["湖北省"; 5],
            "city" => ["荆门市"; 5],
            "period_label" => ["2023-FY", "2023-FY", "2023-FY", "2022-FY", "2023-FY"],
            "theme" => ["patent", "science_envoy", "patent", "patent", "patent"],
            "documents" => [2u32, 1, 1, 1, 1],
            "sentences" => [3u32, 1, 2, 1, 1],
            "mentions" => [3u32, 1, 2, 0, 1],
            "share" => [1.0, 0.5, 1.0, 0.0, 1.0]
        )
        .expect("valid frame")
    }

    fn indicators_df() -> DataFrame {
        let n = 7;
        df!(
            "region_code" => ["420881", "420881", "420882", "420804", "420881", "420882", "420822"],
            "region_name" => ["钟祥市", "钟祥市", "京山市", "掇刀区", "钟祥市", "京山市", "沙洋县"],
            "province" => vec!["湖北省"; n],
            "city" => vec!["荆门市"; n],
            "period_label" => ["2023-FY", "2023-FY", "2023-FY", "2023-FY", "2022-FY", "2022-FY", "2023-FY"],
            "theme" => vec!["high_tech_enterprise"; n],
            "indicator" => vec!["高新技术企业"; n],
            "role" => ["plan", "achievement", "achievement", "achievement", "achievement", "achievement", "achievement"],
            "value" => [Some(200.0), Some(120.0), Some(35.0), None, Some(100.0), Some(30.0), None],
            "unit" => vec!["家"; n],
            "qualifier" => vec!["exact"; n],
            "facts" => vec![1u32; n],
            "masked" => [0u32, 0, 0, 1, 0, 0, 0],
            "damaged" => [0u32, 0, 0, 0, 0, 0, 1],
            "choice" => vec!["first"; n],
            "doc_id" => ["a", "a", "b", "c", "d", "e", "f"],
            "path" => vec!["x.txt"; n],
            "sentence" => vec!["s"; n],
            "start" => vec![0u64; n]
        )
        .expect("valid frame")
    }

    #[test]
    fn periods_sort_chronologically() {
        let labels: Vec<String> = ["2023-FY", "2023-Q1", "2022-H2", "2023-H1", "2023-Q2", ""]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            sorted_periods(&labels),
            ["2022-H2", "2023-Q1", "2023-Q2", "2023-H1", "2023-FY"]
        );
    }

    #[test]
    fn heatmap_from_coverage_uses_latest_period() {
        let h = coverage_heatmap(&coverage_df(), &Filter::default()).expect("adapts");
        assert_eq!(h.title, "Theme coverage by region, 2023-FY");
        assert_eq!(h.row_labels, ["钟祥市", "京山市", UNKNOWN_REGION]);
        assert_eq!(h.col_labels, ["patent", "science_envoy"]);
        assert_eq!(h.cells[0], [Some(1.0), Some(0.5)]);
        assert_eq!(h.cells[1], [Some(1.0), None]);
        let f = Filter {
            period: Some("2022-FY".into()),
            ..Filter::default()
        };
        let h = coverage_heatmap(&coverage_df(), &f).expect("adapts");
        assert_eq!(h.cells, [[Some(0.0)]]);
        let f = Filter {
            period: Some("1999-FY".into()),
            ..Filter::default()
        };
        assert!(matches!(
            coverage_heatmap(&coverage_df(), &f),
            Err(ChartError::Empty(_))
        ));
        let err = indicator_bars(&indicators_df(), &f).expect_err("no such period");
        assert!(
            err.to_string().contains("1999-FY") && err.to_string().contains("2023-FY"),
            "{err}"
        );
    }

    #[test]
    fn grid_from_coverage_marks_mentions() {
        let g = coverage_grid(&coverage_df(), &Filter::default()).expect("adapts");
        assert_eq!(g.periods, ["2022-FY", "2023-FY"]);
        assert_eq!(g.regions[0], "钟祥市");
        assert_eq!(g.reported[0], [[false, false], [true, true]]);
    }

    #[test]
    fn bars_from_indicators_prefer_achievements_and_mark_masked() {
        let b = indicator_bars(&indicators_df(), &Filter::default()).expect("adapts");
        assert_eq!(
            b.title,
            "high_tech_enterprise · 高新技术企业 by region, 2023-FY"
        );
        assert_eq!(b.value_title, "high_tech_enterprise · 高新技术企业 (家)");
        let find = |l: &str| b.bars.iter().find(|x| x.label == l).map(|x| x.value);
        assert_eq!(
            find("钟祥市"),
            Some(BarValue::Value(120.0)),
            "the plan value is not used"
        );
        assert_eq!(find("京山市"), Some(BarValue::Value(35.0)));
        assert_eq!(find("掇刀区"), Some(BarValue::Masked));
        assert_eq!(find("沙洋县"), Some(BarValue::Damaged));
        assert!(b.source_note.contains("4 documents"));
    }

    #[test]
    fn trend_from_indicators_spans_periods() {
        let t = indicator_trend(&indicators_df(), &Filter::default()).expect("adapts");
        assert_eq!(t.periods, ["2022-FY", "2023-FY"]);
        let zx = t
            .series
            .iter()
            .find(|s| s.label == "钟祥市")
            .expect("series");
        assert_eq!(zx.values, [Some(100.0), Some(120.0)]);
        assert!(
            !t.series.iter().any(|s| s.label == "掇刀区"),
            "no readable value"
        );
    }

    #[test]
    fn quality_collects_unknowns() {
        let df = df!(
            "region_code" => ["420881", "", "420881"],
            "region_name" => ["钟祥市", "", "钟祥市"],
            "province" => ["湖北省", "", "湖北省"],
            "city" => ["荆门市", "", "荆门市"],
            "period_label" => ["2023-FY", "2023-FY", ""],
            "documents" => [3u32, 2, 1],
            "facts" => [10u32, 4, 1],
            "masked" => [0u32, 0, 0],
            "damaged" => [0u32, 0, 0],
            "unknown_region" => [0u32, 2, 0],
            "unknown_period" => [0u32, 0, 1]
        )
        .expect("valid frame");
        let q = quality(&df, &Filter::default()).expect("adapts");
        assert_eq!(q.row_labels, ["钟祥市", UNKNOWN_REGION]);
        assert_eq!(q.col_labels, ["2023-FY", UNKNOWN_PERIOD]);
        assert_eq!(q.documents, [[3, 1], [2, 0]]);
        assert_eq!(q.unknown_rows, [false, true]);
        assert_eq!(q.unknown_cols, [false, true]);
        assert!(q.source_note.contains("6 documents"));
    }

    #[test]
    fn table_unknown_labels_become_unknown_row_and_column() {
        let df = df!(
            "region_code" => ["420881", ""],
            "region_name" => ["钟祥市", "(unknown)"],
            "province" => ["湖北省", ""],
            "city" => ["荆门市", ""],
            "period_label" => ["(unknown)", "2023-FY"],
            "documents" => [1u32, 2],
            "facts" => [0u32, 0],
            "masked" => [0u32, 0],
            "damaged" => [0u32, 0],
            "unknown_region" => [0u32, 2],
            "unknown_period" => [1u32, 0]
        )
        .expect("valid frame");
        let q = quality(&df, &Filter::default()).expect("adapts");
        assert_eq!(q.row_labels, ["钟祥市", UNKNOWN_REGION]);
        assert_eq!(q.col_labels, ["2023-FY", UNKNOWN_PERIOD]);
        assert_eq!(q.unknown_rows, [false, true]);
        assert_eq!(
            latest_period(&df).expect("reads"),
            Some("2023-FY".to_string())
        );
    }

    #[test]
    fn same_indicator_id_in_two_themes_is_not_mixed() {
        let mut df = indicators_df();
        let theme = Column::new(
            "theme".into(),
            [
                "patent",
                "patent",
                "patent",
                "patent",
                "patent",
                "patent",
                "high_tech_enterprise",
            ],
        );
        df.with_column(theme).expect("replace");
        let b = indicator_bars(&df, &Filter::default()).expect("adapts");
        assert!(b.title.starts_with("patent · "), "{}", b.title);
        assert!(
            !b.bars.iter().any(|x| x.label == "沙洋县"),
            "other theme's row left out"
        );
    }

    #[test]
    fn missing_column_is_a_clear_error() {
        let df = df!("region_code" => ["1"]).expect("valid frame");
        let err = coverage_heatmap(&df, &Filter::default()).expect_err("fails");
        assert!(err.to_string().contains("region_name"), "{err}");
    }

    #[test]
    fn duplicate_names_get_codes() {
        let keys = vec![RegionKey::new("1", "城关镇"), RegionKey::new("2", "城关镇")];
        assert_eq!(region_labels(&keys), ["城关镇 (1)", "城关镇 (2)"]);
    }
}
