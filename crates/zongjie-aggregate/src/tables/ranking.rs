//! Ranking: regions ranked per period × theme × indicator, on achievement
//! values, and per period × theme on coverage share (indicator "coverage").

use polars::prelude::*;

use super::indicators::indicator_rows;
use super::{collect, coverage, sorted, By, Filters};
use crate::error::{frame_err, Result};
use crate::io::Dataset;

/// The ranking table: period_label, theme, indicator, unit, rank (u32, 1 =
/// highest; ties share the rank and the next rank skips: 1, 1, 3),
/// region_code, region_name, value. Known regions only. Values of different
/// units (件 and 项, say) are ranked separately, each list under its unit;
/// coverage ranks carry the unit `share`. Sorted by period, theme, indicator,
/// unit, rank, region_code.
pub fn ranking(ds: &Dataset, f: &Filters) -> Result<DataFrame> {
    let filters = Filters {
        role: Some("achievement".into()),
        ..f.clone()
    };
    let values = indicator_rows(ds, &filters, By::default())?
        .filter(col("value").is_not_null())
        .select([
            col("period_label"),
            col("theme"),
            col("indicator"),
            col("unit"),
            col("region_code"),
            col("region_name"),
            col("value"),
        ]);
    let mut parts = vec![values];
    if f.indicator.is_none() || f.indicator.as_deref() == Some("coverage") {
        let cov = coverage(ds, f, By::default())?.lazy().select([
            col("period_label"),
            col("theme"),
            lit("coverage").alias("indicator"),
            lit("share").alias("unit"),
            col("region_code"),
            col("region_name"),
            col("share").alias("value"),
        ]);
        parts.push(cov);
    }
    let all = concat(parts, UnionArgs::default())
        .map_err(frame_err("ranking table"))?
        .filter(col("region_code").neq(lit("")));
    let ordered = all.sort(
        [
            "period_label",
            "theme",
            "indicator",
            "unit",
            "value",
            "region_code",
        ],
        SortMultipleOptions::default()
            .with_order_descending_multi([false, false, false, false, true, false])
            .with_maintain_order(true),
    );
    let mut df = collect(ordered, "ranking")?;
    let ranks = rank_column(&df).map_err(frame_err("ranking table"))?;
    df.with_column(Column::new("rank".into(), ranks))
        .map_err(frame_err("ranking table"))?;
    let out = sorted(
        df.lazy(),
        &[
            "period_label",
            "theme",
            "indicator",
            "unit",
            "rank",
            "region_code",
        ],
    )
    .select([
        col("period_label"),
        col("theme"),
        col("indicator"),
        col("unit"),
        col("rank"),
        col("region_code"),
        col("region_name"),
        col("value"),
    ]);
    collect(out, "ranking")
}

/// Competition ranks ("1224") over a frame sorted by group then value descending.
fn rank_column(df: &DataFrame) -> PolarsResult<Vec<u32>> {
    let keys: Vec<&StringChunked> = ["period_label", "theme", "indicator", "unit"]
        .iter()
        .map(|k| df.column(k).and_then(|c| c.str()))
        .collect::<PolarsResult<_>>()?;
    let value = df.column("value")?.f64()?;
    let mut ranks = Vec::with_capacity(df.height());
    let mut in_group = 0u32;
    let mut rank = 0u32;
    for i in 0..df.height() {
        let same_group = i > 0 && keys.iter().all(|k| k.get(i) == k.get(i - 1));
        if !same_group {
            in_group = 0;
        }
        in_group += 1;
        if !(same_group && value.get(i) == value.get(i - 1)) {
            rank = in_group;
        }
        ranks.push(rank);
    }
    Ok(ranks)
}
