//! The comparison tables, each a lazy polars query over a [`Dataset`]:
//!
//! - [`coverage()`]: how much each region × period speaks of each theme;
//! - [`indicators()`]: one value per region × period × theme × indicator × role,
//!   with the fact it was taken from;
//! - [`change()`]: achievement values between comparable consecutive periods;
//! - [`ranking()`]: regions ranked per period × theme × indicator (and coverage);
//! - [`quality()`]: documents, facts, masked/damaged numbers, unknown regions/periods.
//!
//! [`Filters`] narrow the rows before grouping; [`By`] chooses whether regions
//! and periods are kept apart or pooled. Unknown regions group under
//! region_code "" named "(unknown)", unknown periods under "(unknown)".

mod change;
mod coverage;
mod indicator_groups;
mod indicators;
mod places;
mod quality;
mod ranking;

pub use change::change;
pub use coverage::coverage;
pub use indicators::indicators;
pub use quality::quality;
pub use ranking::ranking;

use polars::prelude::*;

use crate::error::{AggregateError, Result};
use crate::io::Dataset;

/// The label unknown regions and periods are shown under.
pub const UNKNOWN: &str = "(unknown)";
/// The label a pooled dimension is shown under (see [`By`]).
pub const ALL: &str = "(all)";

/// The tables this module builds, by name (for `--table`).
pub const TABLE_NAMES: &[&str] = &["coverage", "indicators", "change", "ranking", "quality"];

/// Which rows enter a table; every set field must match (equality).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Theme id (`patent`).
    pub theme: Option<String>,
    /// Indicator id within the theme (`applications`).
    pub indicator: Option<String>,
    /// Two-digit province code (`37`).
    pub province_code: Option<String>,
    /// Four-digit city code (`3707`).
    pub city_code: Option<String>,
    /// Six-digit region code (`370783`).
    pub region_code: Option<String>,
    /// First period kept: a year (`2018`) or a label (`2018-H1`); periods are
    /// ordered by year, then by the month they end in.
    pub period_from: Option<String>,
    /// Last period kept, like `period_from`.
    pub period_to: Option<String>,
    /// Fact role (`achievement`, `plan`, `problem`, `other`).
    pub role: Option<String>,
}

/// Which dimensions stay apart. Pooling regions shows every row under region
/// "(all)"; pooling periods shows every row under period "(all)".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct By {
    /// Keep regions apart.
    pub region: bool,
    /// Keep periods apart.
    pub period: bool,
}

impl Default for By {
    fn default() -> Self {
        By {
            region: true,
            period: true,
        }
    }
}

/// The month a period kind ends in (FY, H2 and Q4 end in December).
fn end_month(kind: &str) -> Option<i32> {
    Some(match kind {
        "Q1" => 3,
        "Q2" | "H1" => 6,
        "Q3" => 9,
        "Q4" | "H2" | "FY" => 12,
        _ => return None,
    })
}

/// `year * 100 + end month` of each document's period (month 12 when the kind is
/// unknown or "other"); null when the year is unknown.
fn period_key() -> Expr {
    let month = when(col("period").eq(lit("Q1")))
        .then(lit(3i32))
        .when(col("period").eq(lit("Q2")).or(col("period").eq(lit("H1"))))
        .then(lit(6i32))
        .when(col("period").eq(lit("Q3")))
        .then(lit(9i32))
        .otherwise(lit(12i32));
    col("year") * lit(100i32) + month
}

/// Parse a `--from`/`--to` bound: `2018` or `2018-H1`.
fn parse_bound(label: &str) -> Result<(i32, Option<i32>)> {
    let bad = || {
        AggregateError::Filter(format!(
            "period `{label}`: expected a year (2018) or a label such as 2018-H1, 2018-Q3, 2018-FY"
        ))
    };
    let (year, kind) = match label.split_once('-') {
        Some((y, k)) => (y, Some(k)),
        None => (label, None),
    };
    let year: i32 = year.trim().parse().map_err(|_| bad())?;
    match kind {
        None => Ok((year, None)),
        Some(k) => Ok((year, Some(end_month(k.trim()).ok_or_else(bad)?))),
    }
}

/// Keep the rows whose `column` equals the given value, for every filter that is set.
pub(crate) fn where_equal<'a>(
    mut lf: LazyFrame,
    filters: impl IntoIterator<Item = (&'a str, &'a Option<String>)>,
) -> LazyFrame {
    for (column, value) in filters {
        if let Some(v) = value {
            lf = lf.filter(col(column).eq(lit(v.as_str())));
        }
    }
    lf
}

/// The theme, indicator and role filters, which apply to facts.
pub(crate) fn fact_filters(facts: LazyFrame, f: &Filters) -> LazyFrame {
    where_equal(
        facts,
        [
            ("theme", &f.theme),
            ("indicator", &f.indicator),
            ("role", &f.role),
        ],
    )
}

/// The documents with the filters applied and the display keys set:
/// `region_code`, `region_name`, `province`, `city`, `period_label` as tables
/// show them (unknown / pooled labels filled in); all other columns kept.
pub(crate) fn documents_keyed(ds: &Dataset, f: &Filters, by: By) -> Result<LazyFrame> {
    let mut lf = where_equal(
        ds.documents.clone(),
        [
            ("province_code", &f.province_code),
            ("city_code", &f.city_code),
            ("region_code", &f.region_code),
        ],
    );
    if let Some(from) = &f.period_from {
        lf = lf.filter(match parse_bound(from)? {
            (y, None) => col("year").gt_eq(lit(y)),
            (y, Some(m)) => period_key().gt_eq(lit(y * 100 + m)),
        });
    }
    if let Some(to) = &f.period_to {
        lf = lf.filter(match parse_bound(to)? {
            (y, None) => col("year").lt_eq(lit(y)),
            (y, Some(m)) => period_key().lt_eq(lit(y * 100 + m)),
        });
    }
    let unknown_region = col("region_code").eq(lit(""));
    let region = if by.region {
        vec![when(unknown_region)
            .then(lit(UNKNOWN))
            .otherwise(col("region_name"))
            .alias("region_name")]
    } else {
        vec![
            lit("").alias("region_code"),
            lit(ALL).alias("region_name"),
            lit("").alias("province"),
            lit("").alias("city"),
        ]
    };
    let period = if by.period {
        vec![when(col("period_label").eq(lit("")))
            .then(lit(UNKNOWN))
            .otherwise(col("period_label"))
            .alias("period_label")]
    } else {
        vec![
            lit(ALL).alias("period_label"),
            lit(NULL).cast(DataType::Int32).alias("year"),
            lit("").alias("period"),
        ]
    };
    Ok(lf.with_columns([region, period].concat()))
}

/// Sort options: ascending, nulls last, stable (so ties keep input order).
pub(crate) fn sort_opts(n: usize) -> SortMultipleOptions {
    SortMultipleOptions::default()
        .with_order_descending_multi(vec![false; n])
        .with_nulls_last(true)
        .with_maintain_order(true)
}

/// Sort a lazy frame ascending by `keys`.
pub(crate) fn sorted(lf: LazyFrame, keys: &[&str]) -> LazyFrame {
    lf.sort(
        keys.iter()
            .map(|k| PlSmallStr::from(*k))
            .collect::<Vec<_>>(),
        sort_opts(keys.len()),
    )
}

/// Collect a table query, naming the table in errors.
pub(crate) fn collect(lf: LazyFrame, table: &str) -> Result<DataFrame> {
    lf.collect().map_err(|source| AggregateError::Frame {
        context: format!("{table} table"),
        source,
    })
}

/// Build the table called `name` (one of [`TABLE_NAMES`]).
pub fn table(name: &str, ds: &Dataset, filters: &Filters, by: By) -> Result<DataFrame> {
    match name {
        "coverage" => coverage(ds, filters, by),
        "indicators" => indicators(ds, filters, by),
        "change" => change(ds, filters),
        "ranking" => ranking(ds, filters),
        "quality" => quality(ds, filters, by),
        other => Err(AggregateError::Filter(format!(
            "unknown table `{other}` (expected one of {})",
            TABLE_NAMES.join(", ")
        ))),
    }
}

#[cfg(test)]
mod tests;
