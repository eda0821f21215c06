//! zongjie-parse: the bytes of one Chinese science-and-technology bureau work
//! report (科技局工作总结) in, one structured [`Document`] out.
//!
//! The stages run in order, each a plain function of its input:
//!
//! - [`ingest`]: sniff the format (text, HTML, .docx) and decode the bytes.
//! - [`clean`]: drop document-sharing-site wrappers, rejoin page fragments,
//!   strip pinyin annotations, convert to simplified characters and half-width forms.
//! - [`structure`]: title, heading tree with each section's [`Role`], sentences.
//! - [`region`] and [`period`]: who issued the report and which period it covers.
//! - [`facts`]: every number the report gives about a [`lexicon`] theme.
//!
//! [`Parser`] holds the compiled tables (boilerplate rules, gazetteer, lexicon),
//! is built once and shared by all threads; it does no file-system or network I/O.

pub mod clean;
pub mod error;
pub mod facts;
pub mod gazetteer;
pub mod ingest;
pub mod lexicon;
pub mod model;
pub mod numbers;
pub mod period;
pub mod pipeline;
pub mod region;
pub mod structure;

pub use error::{ParseError, Status};
pub use model::*;
pub use pipeline::Parser;
