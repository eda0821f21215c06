//! The one error type of the crate: every way an input can fail to become a
//! [`crate::Document`], each mapped to a manifest status by [`ParseError::status`].

use thiserror::Error;

/// Why a report (or a data file the parser loads) could not be used.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum ParseError {
    /// Zero bytes, or nothing but whitespace after decoding and cleaning.
    #[error("empty: {0}")]
    Empty(String),
    /// A format zongjie does not read (image, PDF, archive, executable …).
    #[error("unsupported: {0}")]
    Unsupported(String),
    /// The bytes could not be decoded as text in any supported encoding.
    #[error("cannot decode text: {0}")]
    Decode(String),
    /// A .docx that is not a valid, reasonably sized Word archive.
    #[error("bad .docx: {0}")]
    Docx(String),
    /// A lexicon file that does not parse or does not make sense.
    #[error("lexicon {origin}:{line}:{column}: {message}")]
    Lexicon {
        /// File name or "builtin".
        origin: String,
        /// 1-based line of the problem (0 when not tied to a line).
        line: usize,
        /// 1-based column of the problem (0 when not tied to a column).
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A built-in data table (boilerplate rules, gazetteer) that does not load.
    #[error("data table {table}: {message}")]
    Data {
        /// Which table.
        table: String,
        /// What is wrong.
        message: String,
    },
}

/// The manifest status an input ends with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// Parsed into a document.
    Ok,
    /// No content.
    Empty,
    /// A format zongjie does not read.
    Unsupported,
    /// Readable in principle but broken.
    Failed,
}

impl Status {
    /// The lowercase name used in `manifest.json`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Empty => "empty",
            Status::Unsupported => "unsupported",
            Status::Failed => "failed",
        }
    }
}

impl ParseError {
    /// The manifest status this error gives its input.
    pub fn status(&self) -> Status {
        match self {
            ParseError::Empty(_) => Status::Empty,
            ParseError::Unsupported(_) => Status::Unsupported,
            _ => Status::Failed,
        }
    }
}

/// Return early with a [`ParseError`] variant built from a format string.
///
/// ```
/// use zongjie_parse::{bail, ParseError};
/// fn check(n: usize) -> Result<(), ParseError> {
///     if n == 0 {
///         bail!(Empty, "{n} bytes");
///     }
///     Ok(())
/// }
/// assert_eq!(check(0), Err(ParseError::Empty("0 bytes".into())));
/// ```
#[macro_export]
macro_rules! bail {
    ($variant:ident, $($arg:tt)*) => {
        return Err($crate::ParseError::$variant(format!($($arg)*)))
    };
}
