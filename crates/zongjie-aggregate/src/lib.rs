//! zongjie-aggregate: parsed reports as polars frames, on disk as Parquet and
//! CSV, and the comparison tables researchers read.
//!
//! - [`schema`]: the documents and facts schemas ([`schema::DOCUMENT_COLUMNS`],
//!   [`schema::FACT_COLUMNS`]), defined once, and the check run on every read.
//! - [`frames`]: [`frames::documents_frame`] and [`frames::facts_frame`] turn
//!   [`zongjie_parse::Document`]s, or the [`frames::DocumentRow`]s that keep
//!   only what the tables hold, into `DataFrame`s.
//! - [`io`]: atomic, reproducible Parquet/CSV writing; [`io::load`] opens an
//!   `extract` folder as a [`io::Dataset`] of lazy scans.
//! - [`tables`]: the comparison tables (coverage, indicators, change, ranking,
//!   quality) as lazy polars queries, narrowed by [`tables::Filters`].
//! - [`error`]: [`AggregateError`], whose messages name the file and column.

pub mod error;
pub mod frames;
pub mod io;
pub mod schema;
pub mod tables;

pub use error::{AggregateError, Result};
pub use io::{load, Dataset};

#[cfg(test)]
mod testutil;
