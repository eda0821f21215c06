//! The error type of this crate: every message names the file (and the column
//! when one is at fault), so a user can tell which input to fix.

use std::path::PathBuf;

use polars::prelude::PolarsError;

/// Everything that can go wrong building, writing, reading or querying tables.
#[derive(Debug, thiserror::Error)]
pub enum AggregateError {
    /// The data folder does not exist or is not a folder.
    #[error("{dir}: data folder not found (run `zongjie extract` first)")]
    MissingDir {
        /// The folder that was asked for.
        dir: PathBuf,
    },
    /// A table file the data folder must hold is absent.
    #[error("{file}: file not found (is this a `zongjie extract` output folder?)")]
    MissingFile {
        /// The expected file.
        file: PathBuf,
    },
    /// A column of the schema is absent from a file.
    #[error("{file}: missing column `{column}`")]
    MissingColumn {
        /// The file read.
        file: PathBuf,
        /// The column that should be there.
        column: String,
    },
    /// A column is present with another type than the schema says.
    #[error("{file}: column `{column}` has type {found}, expected {expected}")]
    WrongType {
        /// The file read.
        file: PathBuf,
        /// The column at fault.
        column: String,
        /// The type the schema requires.
        expected: String,
        /// The type found in the file.
        found: String,
    },
    /// Reading or writing a file failed at the operating-system level.
    #[error("{file}: {source}")]
    Io {
        /// The file involved.
        file: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// Polars failed while reading or writing a file.
    #[error("{file}: {source}")]
    File {
        /// The file involved.
        file: PathBuf,
        /// The underlying error.
        #[source]
        source: PolarsError,
    },
    /// Polars failed while building or querying a table (no file involved).
    #[error("{context}: {source}")]
    Frame {
        /// What was being built ("documents frame", "coverage table").
        context: String,
        /// The underlying error.
        #[source]
        source: PolarsError,
    },
    /// A filter value cannot be understood (a malformed period label).
    #[error("invalid filter: {0}")]
    Filter(String),
}

/// Result alias for this crate.
pub type Result<T, E = AggregateError> = std::result::Result<T, E>;

/// Attach a context to a polars error (used with `map_err`).
pub(crate) fn frame_err(context: &str) -> impl Fn(PolarsError) -> AggregateError + '_ {
    move |source| AggregateError::Frame {
        context: context.to_string(),
        source,
    }
}
