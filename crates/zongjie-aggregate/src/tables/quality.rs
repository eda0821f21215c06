//! Quality: how much of each region × period could be read — documents, facts,
//! masked and damaged numbers, documents whose region or period is unknown.

use polars::prelude::*;

use super::{collect, documents_keyed, sorted, By, Filters};
use crate::error::Result;
use crate::io::Dataset;

/// The quality table: region_code, region_name, province, city, period_label,
/// documents, facts, masked, damaged, unknown_region (documents with
/// region_level unknown), unknown_period (documents with an empty period),
/// all u32. Fact counts honour the theme, indicator and role filters.
pub fn quality(ds: &Dataset, f: &Filters, by: By) -> Result<DataFrame> {
    let facts = super::fact_filters(ds.facts.clone(), f);
    let per_doc = facts.group_by([col("path")]).agg([
        len().cast(DataType::UInt32).alias("_facts"),
        col("masked").cast(DataType::UInt32).sum().alias("_masked"),
        col("damaged")
            .cast(DataType::UInt32)
            .sum()
            .alias("_damaged"),
    ]);
    // Read the raw region level and period before the display keys replace them.
    let docs = ds.documents.clone().with_columns([
        col("region_level")
            .eq(lit("unknown"))
            .cast(DataType::UInt32)
            .alias("_unknown_region"),
        col("period")
            .eq(lit(""))
            .cast(DataType::UInt32)
            .alias("_unknown_period"),
    ]);
    let ds2 = crate::io::Dataset {
        documents: docs,
        ..ds.clone()
    };
    let joined = documents_keyed(&ds2, f, by)?.join(
        per_doc,
        [col("path")],
        [col("path")],
        JoinArgs::new(JoinType::Left),
    );
    let grouped = joined
        .group_by([col("region_code"), col("period_label")])
        .agg([
            col("region_name").first(),
            col("province").first(),
            col("city").first(),
            len().cast(DataType::UInt32).alias("documents"),
            col("_facts")
                .fill_null(lit(0u32))
                .sum()
                .cast(DataType::UInt32)
                .alias("facts"),
            col("_masked")
                .fill_null(lit(0u32))
                .sum()
                .cast(DataType::UInt32)
                .alias("masked"),
            col("_damaged")
                .fill_null(lit(0u32))
                .sum()
                .cast(DataType::UInt32)
                .alias("damaged"),
            col("_unknown_region")
                .sum()
                .cast(DataType::UInt32)
                .alias("unknown_region"),
            col("_unknown_period")
                .sum()
                .cast(DataType::UInt32)
                .alias("unknown_period"),
        ]);
    let out = sorted(grouped, &["region_code", "period_label"]).select([
        col("region_code"),
        col("region_name"),
        col("province"),
        col("city"),
        col("period_label"),
        col("documents"),
        col("facts"),
        col("masked"),
        col("damaged"),
        col("unknown_region"),
        col("unknown_period"),
    ]);
    collect(out, "quality")
}
