//! [`Parser`]: the whole chain from raw bytes to a [`Document`], with the
//! compiled tables built once and shared by all threads.

use crate::clean::Cleaner;
use crate::gazetteer::Gazetteer;
use crate::lexicon::Lexicon;
use crate::model::Document;
use crate::{bail, facts, ingest, period, region, structure, ParseError};

/// Parses reports. Build one with [`Parser::new`] and share it (`&Parser` is
/// `Sync`): the boilerplate rules, gazetteer and lexicon automata are compiled
/// once here, never per document.
///
/// ```
/// let parser = zongjie_parse::Parser::new().unwrap();
/// let text = "寿光市科技局2018年上半年工作总结\n一、工作总结\n全市共有高新技术企业66家。";
/// let doc = parser.parse("example.txt", text.as_bytes()).unwrap();
/// assert_eq!(doc.period.label(), "2018-H1");
/// assert_eq!(doc.region.code, "370783");
/// assert!(doc.facts.iter().any(|f| f.theme == "high_tech_enterprise" && f.value == Some(66.0)));
/// ```
#[derive(Debug)]
pub struct Parser {
    cleaner: Cleaner,
    lexicon: Lexicon,
    gazetteer: &'static Gazetteer,
}

impl Parser {
    /// A parser with the built-in lexicon.
    pub fn new() -> Result<Self, ParseError> {
        Self::with_lexicon(Lexicon::builtin()?)
    }

    /// A parser with the given lexicon (built-in plus user overrides, say).
    pub fn with_lexicon(lexicon: Lexicon) -> Result<Self, ParseError> {
        Ok(Parser {
            cleaner: Cleaner::builtin()?,
            lexicon,
            gazetteer: Gazetteer::builtin(),
        })
    }

    /// The lexicon in use: its theme ids name the `mentions_<theme>` columns.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// Parse one report. `path` is recorded as given and used only as a
    /// format hint; no file is opened.
    pub fn parse(&self, path: &str, bytes: &[u8]) -> Result<Document, ParseError> {
        if bytes.is_empty() {
            bail!(Empty, "the file has 0 bytes");
        }
        let decoded = ingest::decode(bytes, path)?;
        let cleaned = self.cleaner.clean(&decoded.text);
        if cleaned.text.trim().is_empty() {
            bail!(Empty, "no text left after removing site wrappers");
        }
        let structure = structure::analyze(&cleaned.text);
        let region = region::resolve_region(self.gazetteer, &cleaned.text, &structure);
        let period = period::resolve_period(&cleaned.text, &structure);
        let extraction = facts::extract(&self.lexicon, &cleaned.text, &structure, &period);
        Ok(Document {
            doc_id: doc_id(bytes),
            path: path.to_string(),
            format: decoded.format,
            encoding: decoded.encoding,
            script: cleaned.script,
            title: structure.title.clone(),
            text: cleaned.text,
            structure,
            region,
            period,
            mentions: extraction.mentions,
            facts: extraction.facts,
            cleaning: cleaned.report,
        })
    }
}

/// The content hash that names a document: the first 16 hex digits of BLAKE3.
pub fn doc_id(bytes: &[u8]) -> String {
    let hash = blake3::hash(bytes);
    hash.to_hex()[..16].to_string()
}
