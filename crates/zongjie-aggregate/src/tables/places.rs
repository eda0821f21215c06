//! Places: the region × period pairs a table reports on, numbered in table
//! order, and the place of every document.

use polars::prelude::*;

use super::{collect, documents_keyed, sort_opts, By, Filters};
use crate::error::{frame_err, Result};
use crate::io::Dataset;

/// The columns of [`Places::table`], in order.
pub(crate) const PLACE_COLUMNS: &[&str] = &[
    "region_code",
    "period_label",
    "region_name",
    "province",
    "city",
    "year",
    "period",
];

/// The region × period pairs of the documents that pass the filters (with
/// the display keys of [`documents_keyed`]), sorted by region then period,
/// so row `i` is place `i`; and the place of each document by path.
#[derive(Debug)]
pub(crate) struct Places {
    /// One row per place: [`PLACE_COLUMNS`].
    pub(crate) table: DataFrame,
    of_path: PlHashMap<String, IdxSize>,
}

impl Places {
    /// The places of the documents of `ds` that pass `f`, pooled as `by` says.
    pub(crate) fn of(ds: &Dataset, f: &Filters, by: By) -> Result<Self> {
        let docs = documents_keyed(ds, f, by)?;
        let table = docs
            .clone()
            .group_by([col("region_code"), col("period_label")])
            .agg(
                PLACE_COLUMNS[2..]
                    .iter()
                    .map(|c| col(*c).first())
                    .collect::<Vec<_>>(),
            )
            .sort(["region_code", "period_label"], sort_opts(2));
        let table = collect(table, "places")?;
        let numbered = table
            .clone()
            .lazy()
            .select([col("region_code"), col("period_label")])
            .with_row_index("_place", None);
        let place_of_doc = docs
            .select([col("path"), col("region_code"), col("period_label")])
            .join(
                numbered,
                [col("region_code"), col("period_label")],
                [col("region_code"), col("period_label")],
                JoinArgs::new(JoinType::Inner),
            )
            .select([col("path"), col("_place")]);
        let place_of_doc = collect(place_of_doc, "places")?;
        let err = frame_err("places");
        let paths = place_of_doc
            .column("path")
            .and_then(|c| c.str())
            .map_err(&err)?;
        let numbers = place_of_doc
            .column("_place")
            .and_then(|c| c.idx())
            .map_err(&err)?;
        let of_path = paths
            .iter()
            .zip(numbers.iter())
            .filter_map(|(path, place)| Some((path?.to_string(), place?)))
            .collect();
        Ok(Places { table, of_path })
    }

    /// The place of the document at `path`, if it passed the filters.
    pub(crate) fn of_path(&self, path: &str) -> Option<IdxSize> {
        self.of_path.get(path).copied()
    }
}
