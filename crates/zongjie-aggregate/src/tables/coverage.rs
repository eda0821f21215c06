//! Coverage: per region × period × theme, how many documents, sentences and
//! sentences mentioning the theme, and their share.

use polars::prelude::*;

use super::{collect, documents_keyed, sorted, By, Filters};
use crate::error::{frame_err, Result};
use crate::io::Dataset;
use crate::schema::mentions_column;

/// The coverage table: region_code, region_name, province, city, period_label,
/// theme, documents (u32), sentences (u32), mentions (u32), share (f64:
/// mentions / sentences, 0 when there are no sentences). Sorted by region,
/// period, then theme in lexicon order. Filters on theme (one theme), region
/// and period apply; indicator and role filters do not concern coverage.
pub fn coverage(ds: &Dataset, f: &Filters, by: By) -> Result<DataFrame> {
    let docs = documents_keyed(ds, f, by)?;
    let themes: Vec<(usize, &String)> = ds
        .themes
        .iter()
        .enumerate()
        .filter(|(_, t)| f.theme.as_ref().is_none_or(|want| want == *t))
        .collect();
    let keys = [
        col("region_code"),
        col("region_name"),
        col("province"),
        col("city"),
        col("period_label"),
    ];
    let parts: Vec<LazyFrame> = themes
        .iter()
        .map(|(order, theme)| {
            let mut exprs = keys.to_vec();
            exprs.extend([
                lit(theme.as_str()).alias("theme"),
                lit(*order as u32).alias("_order"),
                col("sentences").cast(DataType::UInt64).alias("sentences"),
                col(mentions_column(theme).as_str())
                    .cast(DataType::UInt64)
                    .alias("mentions"),
            ]);
            docs.clone().select(exprs)
        })
        .collect();
    if parts.is_empty() {
        return Ok(DataFrame::empty_with_schema(&coverage_schema()));
    }
    let long = concat(parts, UnionArgs::default()).map_err(frame_err("coverage table"))?;
    let grouped = long
        .group_by([
            col("region_code"),
            col("period_label"),
            col("theme"),
            col("_order"),
        ])
        .agg([
            col("region_name").first(),
            col("province").first(),
            col("city").first(),
            len().cast(DataType::UInt32).alias("documents"),
            col("sentences").sum().cast(DataType::UInt32),
            col("mentions").sum().cast(DataType::UInt32),
        ])
        .with_column(
            when(col("sentences").eq(lit(0u32)))
                .then(lit(0.0f64))
                .otherwise(
                    col("mentions").cast(DataType::Float64)
                        / col("sentences").cast(DataType::Float64),
                )
                .alias("share"),
        );
    let out = sorted(grouped, &["region_code", "period_label", "_order"]).select([
        col("region_code"),
        col("region_name"),
        col("province"),
        col("city"),
        col("period_label"),
        col("theme"),
        col("documents"),
        col("sentences"),
        col("mentions"),
        col("share"),
    ]);
    collect(out, "coverage")
}

/// The coverage table's schema (for empty results).
fn coverage_schema() -> Schema {
    use DataType::*;
    [
        ("region_code", String),
        ("region_name", String),
        ("province", String),
        ("city", String),
        ("period_label", String),
        ("theme", String),
        ("documents", UInt32),
        ("sentences", UInt32),
        ("mentions", UInt32),
        ("share", Float64),
    ]
    .into_iter()
    .map(|(n, t)| (n.into(), t))
    .collect()
}
