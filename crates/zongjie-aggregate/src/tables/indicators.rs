//! Indicators: one value per region × period × theme × indicator × role × unit,
//! chosen among the facts that state it, with the fact it was taken from.
//!
//! How the value is chosen (`choice`) when several clean facts state it:
//! - `single`: one clean fact, or all clean facts agree;
//! - `total over part`: the largest value is at least the sum of the others,
//!   so the others read as parts of it ("共有高企66家，其中新认定20家") — the
//!   total is taken;
//! - `largest`: the values do not add up as parts of one total (repeated or
//!   cumulative statements) — the largest, i.e. the latest cumulative, is taken.
//!
//! Masked and damaged facts never become a value: they are counted in
//! `masked` / `damaged` and `facts`, and a row whose facts are all masked or
//! damaged has a null value and an empty `choice`.

use polars::prelude::*;

use super::{collect, facts_by_place, sorted, By, Filters};
use crate::error::Result;
use crate::io::Dataset;

/// The output columns of [`indicators`], in order.
pub const COLUMNS: &[&str] = &[
    "region_code",
    "region_name",
    "province",
    "city",
    "period_label",
    "theme",
    "indicator",
    "role",
    "value",
    "unit",
    "qualifier",
    "facts",
    "masked",
    "damaged",
    "choice",
    "doc_id",
    "path",
    "sentence",
    "start",
];

/// The grouped indicator rows, with `year` and `period` kept for
/// [`super::change`] and `_place` (region × period in order) for sorting.
pub(crate) fn indicator_rows(ds: &Dataset, f: &Filters, by: By) -> Result<LazyFrame> {
    let clean = col("value")
        .is_not_null()
        .and(col("masked").not())
        .and(col("damaged").not());
    // The fact a group's value is taken from: the first of its largest clean
    // values, or, when no fact of the group is clean, its first fact. `arg_max`
    // returns the first index of the maximum, and unclean facts rank below
    // every clean one; one vectorised pass, no sort of the facts.
    let (facts, places) = facts_by_place(ds, f, by)?;
    let facts = facts.with_columns([
        when(clean.clone())
            .then(col("value"))
            .otherwise(lit(NULL).cast(DataType::Float64))
            .alias("_clean_value"),
        when(clean)
            .then(col("value"))
            .otherwise(lit(f64::NEG_INFINITY))
            .alias("_rank_key"),
    ]);
    let chosen = col("_rank_key").arg_max();
    let cite = |name: &str| col(name).get(chosen.clone(), true).alias(name);
    // Null where the fact is not clean: the aggregations below skip nulls.
    let values = col("_clean_value");
    let grouped = facts
        .group_by([
            col("_place"),
            col("theme"),
            col("indicator"),
            col("role"),
            col("unit"),
        ])
        .agg([
            len().cast(DataType::UInt32).alias("facts"),
            col("masked").cast(DataType::UInt32).sum().alias("masked"),
            col("damaged").cast(DataType::UInt32).sum().alias("damaged"),
            values.clone().max().alias("value"),
            values.clone().min().alias("_min"),
            values.clone().sum().alias("_sum"),
            values.count().alias("_n"),
            cite("qualifier"),
            cite("doc_id"),
            cite("path"),
            cite("sentence"),
            cite("start"),
        ]);
    let has_value = col("_n").gt(lit(0));
    // Tolerate float rounding when comparing a total with the sum of its parts
    // (values are counts, yuan and percents: 1e-6 is far below any real difference).
    let others = col("_sum") - col("value");
    let choice = when(has_value.not())
        .then(lit(""))
        .when(col("_min").eq(col("value")))
        .then(lit("single"))
        .when(col("value").gt_eq(others - lit(1e-6)))
        .then(lit("total over part"))
        .otherwise(lit("largest"))
        .alias("choice");
    let mut args = JoinArgs::new(JoinType::Inner);
    args.maintain_order = MaintainOrderJoin::Left;
    Ok(grouped
        .with_columns([choice])
        .join(places, [col("_place")], [col("_place")], args))
}

/// The indicators table: see the module doc for how values are chosen.
/// Columns: [`COLUMNS`]; `facts`, `masked`, `damaged` are u32, `start` u64.
/// Plans, problems and achievements are separate rows (`role`). Sorted by
/// region, period, theme, indicator, role, unit.
pub fn indicators(ds: &Dataset, f: &Filters, by: By) -> Result<DataFrame> {
    let rows = indicator_rows(ds, f, by)?;
    // `_place` numbers region × period in order.
    let out = sorted(rows, &["_place", "theme", "indicator", "role", "unit"])
        .select(COLUMNS.iter().map(|c| col(*c)).collect::<Vec<_>>());
    collect(out, "indicators")
}
