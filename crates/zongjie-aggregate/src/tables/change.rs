//! Change: achievement values between comparable consecutive periods of the
//! same region, theme, indicator and unit.
//!
//! Comparable means the same kind in consecutive years (2018-H1 → 2019-H1,
//! 2022-FY → 2023-FY, 2018-Q3 → 2019-Q3) or consecutive quarters of one year
//! (Q1 → Q2 → Q3 → Q4). H1 → H2 is not comparable (a half-year report often
//! covers the year to date), nor are periods with a gap between them.

use polars::prelude::*;

use super::indicators::indicator_rows;
use super::{collect, sorted, By, Filters};
use crate::error::Result;
use crate::io::Dataset;

/// The change table: region_code, region_name, theme, indicator, unit,
/// from_period, to_period, from_value, to_value, abs_change (to − from),
/// rel_change (abs_change / from_value, null when from_value is 0).
/// Achievement facts only, known regions only; the role filter is ignored.
pub fn change(ds: &Dataset, f: &Filters) -> Result<DataFrame> {
    let filters = Filters {
        role: Some("achievement".into()),
        ..f.clone()
    };
    let rows = indicator_rows(ds, &filters, By::default())?
        .filter(
            col("value")
                .is_not_null()
                .and(col("year").is_not_null())
                .and(col("region_code").neq(lit(""))),
        )
        .select([
            col("region_code"),
            col("region_name"),
            col("theme"),
            col("indicator"),
            col("unit"),
            col("year"),
            col("period"),
            col("period_label"),
            col("value"),
        ]);
    let comparable = col("period")
        .neq(lit(""))
        .and(col("period").neq(lit("other")));
    let next_year = rows.clone().filter(comparable).with_columns([
        (col("year") + lit(1i32))
            .cast(DataType::Int32)
            .alias("_next_year"),
        col("period").alias("_next_period"),
    ]);
    let next_quarter = when(col("period").eq(lit("Q1")))
        .then(lit("Q2"))
        .when(col("period").eq(lit("Q2")))
        .then(lit("Q3"))
        .when(col("period").eq(lit("Q3")))
        .then(lit("Q4"))
        .otherwise(lit(""));
    let next_q = rows
        .clone()
        .with_columns([
            col("year").cast(DataType::Int32).alias("_next_year"),
            next_quarter.alias("_next_period"),
        ])
        .filter(col("_next_period").neq(lit("")));
    let later = rows.select([
        col("region_code"),
        col("theme"),
        col("indicator"),
        col("unit"),
        col("year").cast(DataType::Int32).alias("_next_year"),
        col("period").alias("_next_period"),
        col("period_label").alias("to_period"),
        col("value").alias("to_value"),
    ]);
    let on = [
        col("region_code"),
        col("theme"),
        col("indicator"),
        col("unit"),
        col("_next_year"),
        col("_next_period"),
    ];
    let pairs: Vec<LazyFrame> = [next_year, next_q]
        .into_iter()
        .map(|left| {
            left.join(
                later.clone(),
                on.clone(),
                on.clone(),
                JoinArgs::new(JoinType::Inner),
            )
        })
        .collect();
    let all = concat(pairs, UnionArgs::default())
        .map_err(crate::error::frame_err("change table"))?
        .with_columns([
            col("period_label").alias("from_period"),
            col("value").alias("from_value"),
            (col("to_value") - col("value")).alias("abs_change"),
        ])
        .with_column(
            when(col("from_value").eq(lit(0.0f64)))
                .then(lit(NULL).cast(DataType::Float64))
                .otherwise(col("abs_change") / col("from_value"))
                .alias("rel_change"),
        );
    let out = sorted(
        all,
        &[
            "region_code",
            "theme",
            "indicator",
            "unit",
            "from_period",
            "to_period",
        ],
    )
    .select([
        col("region_code"),
        col("region_name"),
        col("theme"),
        col("indicator"),
        col("unit"),
        col("from_period"),
        col("to_period"),
        col("from_value"),
        col("to_value"),
        col("abs_change"),
        col("rel_change"),
    ]);
    collect(out, "change")
}
