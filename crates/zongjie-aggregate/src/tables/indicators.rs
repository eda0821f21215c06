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

use super::indicator_groups::{IndicatorGroups, COMBINATION_KEYS};
use super::places::{Places, PLACE_COLUMNS};
use super::{collect, fact_filters, By, Filters};
use crate::error::{frame_err, Result};
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

/// The fact columns the indicator rows are built from.
const FACT_INPUTS: &[&str] = &[
    "path",
    "theme",
    "indicator",
    "role",
    "unit",
    "value",
    "masked",
    "damaged",
    "qualifier",
    "doc_id",
    "sentence",
    "start",
];

/// The columns taken from the fact a row's value is cited from.
const CITED_COLUMNS: &[&str] = &["qualifier", "doc_id", "path", "sentence", "start"];

/// The indicator rows in table order (region, period, theme, indicator, role,
/// unit): every column of [`COLUMNS`], plus `year` and `period`, which
/// [`super::change`] needs. The facts are grouped in one pass
/// ([`IndicatorGroups`]); the place and the cited fact's columns are then
/// gathered once per row.
pub(crate) fn indicator_rows(ds: &Dataset, f: &Filters, by: By) -> Result<LazyFrame> {
    let places = Places::of(ds, f, by)?;
    let facts = fact_filters(ds.facts.clone(), f)
        .select(FACT_INPUTS.iter().map(|c| col(*c)).collect::<Vec<_>>());
    let facts = collect(facts, "indicators")?;
    let groups = IndicatorGroups::collect(&facts, &places)?;

    let err = frame_err("indicators table");
    let gather = |from: &DataFrame, rows: Vec<IdxSize>, names: &[&str]| {
        let rows = IdxCa::from_vec(PlSmallStr::EMPTY, rows);
        from.select(names.iter().copied())
            .and_then(|picked| picked.take(&rows))
            .map(DataFrame::into_columns)
            .map_err(&err)
    };
    let height = groups.len();
    let mut columns = gather(&places.table, groups.place, PLACE_COLUMNS)?;
    columns.extend(gather(
        &groups.combinations,
        groups.combination,
        &COMBINATION_KEYS,
    )?);
    columns.extend(gather(&facts, groups.cited, CITED_COLUMNS)?);
    columns.extend([
        Column::new("value".into(), groups.value),
        Column::new("facts".into(), groups.facts),
        Column::new("masked".into(), groups.masked),
        Column::new("damaged".into(), groups.damaged),
        Column::new(
            "choice".into(),
            groups.choice.iter().map(|c| c.label()).collect::<Vec<_>>(),
        ),
    ]);
    let rows = DataFrame::new(height, columns).map_err(&err)?;
    Ok(rows.lazy())
}

/// The indicators table: see the module doc for how values are chosen.
/// Columns: [`COLUMNS`]; `facts`, `masked`, `damaged` are u32, `start` u64.
/// Plans, problems and achievements are separate rows (`role`). Sorted by
/// region, period, theme, indicator, role, unit.
pub fn indicators(ds: &Dataset, f: &Filters, by: By) -> Result<DataFrame> {
    let out =
        indicator_rows(ds, f, by)?.select(COLUMNS.iter().map(|c| col(*c)).collect::<Vec<_>>());
    collect(out, "indicators")
}
