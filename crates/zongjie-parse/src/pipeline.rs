//! [`Parser`]: the whole chain from raw bytes to a [`Document`], with the
//! compiled tables built once and shared by all threads.

use crate::clean::Cleaner;
use crate::gazetteer::{Gazetteer, Survey};
use crate::lexicon::Lexicon;
use crate::model::Document;
use crate::word_automata::{leftmost_longest, OverlappingWords, WordMatch};
use crate::{bail, facts, ingest, parser_words, period, region, structure, ParseError};

/// The automaton of the built-in gazetteer's and lexicon's words, built by
/// `build.rs` (see [`crate::parser_words`]).
static BUILT_IN_WORDS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/parser_words.bin"));

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
    /// The gazetteer's words (place names, cue words), then the lexicon's
    /// terms, in one automaton: the region and fact stages' word searches
    /// are one pass over the text (see [`Parser::words_of`]).
    words: OverlappingWords,
}

impl Parser {
    /// A parser with the built-in lexicon.
    pub fn new() -> Result<Self, ParseError> {
        Self::with_lexicon(Lexicon::builtin()?)
    }

    /// A parser with the given lexicon (built-in plus user overrides, say).
    pub fn with_lexicon(lexicon: Lexicon) -> Result<Self, ParseError> {
        let (gazetteer, cleaner) = gazetteer_and_cleaner();
        let words = parser_words::words(gazetteer, &lexicon);
        let words = match parser_words::from_bytes(BUILT_IN_WORDS, &words) {
            Some(automaton) => automaton,
            None => parser_words::build(&words).map_err(|reason| ParseError::Lexicon {
                origin: "lexicon".into(),
                line: 0,
                column: 0,
                message: format!("cannot compile its terms with the place names: {reason}"),
            })?,
        };
        Ok(Parser {
            cleaner: cleaner?,
            lexicon,
            gazetteer,
            words,
        })
    }

    /// Every occurrence in `text` of the gazetteer's words, and the
    /// leftmost-longest lexicon terms (word `i` the lexicon's `i`-th), from
    /// one pass: the two searches it replaces each walked the whole text.
    // Out of line, so an instruction profile names the stage
    // (scripts/bench-instructions.sh); one call a document.
    #[inline(never)]
    fn words_of(&self, text: &str) -> (Vec<WordMatch>, Vec<WordMatch>) {
        let places = self.gazetteer.word_count();
        // Sized for the densest reports: place-name and cue-word matches
        // come every 37–93 bytes of real and generated reports, lexicon terms
        // every 120–200, so the lists seldom grow.
        let mut gazetteer = Vec::with_capacity(text.len() / 32);
        let mut terms = Vec::with_capacity(text.len() / 64);
        for m in self.words.find(text) {
            match m.word.checked_sub(places) {
                None => gazetteer.push(m),
                Some(word) => terms.push(WordMatch { word, ..m }),
            }
        }
        (gazetteer, leftmost_longest(terms))
    }

    /// The gazetteer's survey of `text` through the parser's automaton (its
    /// lexicon terms left aside).
    fn survey(&self, text: &str) -> Survey {
        let places = self.gazetteer.word_count();
        self.gazetteer
            .survey_of(self.words.find(text).filter(|m| m.word < places))
    }

    /// The lexicon in use: its theme ids name the `mentions_<theme>` columns.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// Parse one report. `path` is recorded as given and used only as a
    /// format hint; no file is opened.
    pub fn parse(&self, path: &str, bytes: &[u8]) -> Result<Document, ParseError> {
        self.parse_named(path, bytes, || doc_id(bytes))
    }

    /// [`Parser::parse`] for bytes whose [`doc_id`] the caller already has,
    /// as a cache that looks documents up by it before parsing does: the
    /// bytes are not hashed a second time. `id` becomes the document's id
    /// as given, so it must be `doc_id(bytes)`.
    ///
    /// ```
    /// use zongjie_parse::{pipeline::doc_id, Parser};
    /// let parser = Parser::new().unwrap();
    /// let bytes = "寿光市科技局2018年工作总结\n全市共有高新技术企业66家。".as_bytes();
    /// let doc = parser.parse_with_id("a.txt", bytes, doc_id(bytes)).unwrap();
    /// assert_eq!(doc, parser.parse("a.txt", bytes).unwrap());
    /// ```
    pub fn parse_with_id(
        &self,
        path: &str,
        bytes: &[u8],
        id: String,
    ) -> Result<Document, ParseError> {
        debug_assert_eq!(id, doc_id(bytes), "the id given is not the bytes' hash");
        self.parse_named(path, bytes, || id)
    }

    /// Parse, naming the document with `id()`, called only once the bytes
    /// have parsed: a file that fails costs no hash.
    fn parse_named(
        &self,
        path: &str,
        bytes: &[u8],
        id: impl FnOnce() -> String,
    ) -> Result<Document, ParseError> {
        if bytes.is_empty() {
            bail!(Empty, "the file has 0 bytes");
        }
        let decoded = ingest::decode(bytes, path)?;
        let cleaned = self.cleaner.clean(&decoded.text);
        if cleaned.text.trim().is_empty() {
            bail!(Empty, "no text left after removing site wrappers");
        }
        let structure = structure::analyze(&cleaned.text);
        let (places, terms) = self.words_of(&cleaned.text);
        let region = region::resolve_surveyed(
            self.gazetteer,
            &cleaned.text,
            &structure,
            self.gazetteer.survey_of(places),
            |title| self.survey(title),
        );
        let period = period::resolve_period(&cleaned.text, &structure);
        let extraction =
            facts::extract_given_terms(&self.lexicon, &cleaned.text, &structure, &period, terms);
        Ok(Document {
            doc_id: id(),
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

/// The built-in gazetteer and boilerplate rules, made side by side: loading
/// the gazetteer and compiling the rules' patterns are the two largest parts
/// of starting a parser, and the run's cores are idle while it starts. On a
/// machine that cannot start a thread they are made one after the other.
fn gazetteer_and_cleaner() -> (&'static Gazetteer, Result<Cleaner, ParseError>) {
    std::thread::scope(|scope| {
        let cleaner = std::thread::Builder::new()
            .name("zongjie-start".into())
            .spawn_scoped(scope, Cleaner::builtin);
        let gazetteer = Gazetteer::builtin();
        let cleaner = match cleaner {
            Ok(thread) => thread
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => Cleaner::builtin(),
        };
        (gazetteer, cleaner)
    })
}

/// The content hash that names a document: the first 16 hex digits of BLAKE3.
pub fn doc_id(bytes: &[u8]) -> String {
    let hash = blake3::hash(bytes);
    hash.to_hex()[..16].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The parser's one pass over the place names, cue words and lexicon
    /// terms gives what the region and fact stages find with searches of
    /// their own, on every real file (a `.txt` name: the HTML and `.docx`
    /// files are read as text, with their markup).
    #[test]
    fn one_pass_equals_each_stage_searching_alone() {
        let parser = Parser::new().unwrap();
        let mut compared = 0;
        for bytes in crate::test_lines::real_files() {
            let Ok(doc) = parser.parse("report.txt", &bytes) else {
                continue;
            };
            let region = region::resolve_region(parser.gazetteer, &doc.text, &doc.structure);
            assert_eq!(doc.region, region, "{}", doc.title);
            let alone = facts::extract(&parser.lexicon, &doc.text, &doc.structure, &doc.period);
            assert_eq!(doc.facts, alone.facts, "{}", doc.title);
            assert_eq!(doc.mentions, alone.mentions, "{}", doc.title);
            compared += 1;
        }
        // The sample corpus is part of the repository.
        assert!(compared >= 14, "only {compared} files parsed");
    }

    /// The automaton `build.rs` embeds is, byte for byte, the one the
    /// built-in tables' words build, and a parser with them loads it; a
    /// lexicon with one more term gets an automaton of its own, which finds it.
    #[test]
    fn the_embedded_automaton_is_the_one_the_built_in_words_build() {
        let lexicon = Lexicon::builtin().unwrap();
        let words = parser_words::words(Gazetteer::builtin(), &lexicon);
        let built = parser_words::build(&words).unwrap();
        assert_eq!(
            BUILT_IN_WORDS,
            parser_words::to_bytes(&words, &built).as_slice()
        );
        assert!(parser_words::from_bytes(BUILT_IN_WORDS, &words).is_some());

        let user = "[[theme]]\nid = \"engineering_centre\"\nlabel = \"工程技术研究中心\"\n\
                    terms = [\"工程技术研究中心\"]\n\n[[theme.indicator]]\nid = \"new\"\n\
                    words = [\"新增\"]\nunits = [\"家\"]\n";
        let lexicon = Lexicon::builtin()
            .unwrap()
            .with_overrides(user, "centres.toml")
            .unwrap();
        let words = parser_words::words(Gazetteer::builtin(), &lexicon);
        assert!(parser_words::from_bytes(BUILT_IN_WORDS, &words).is_none());
        let parser = Parser::with_lexicon(lexicon).unwrap();
        let doc = parser
            .parse(
                "a.txt",
                "寿光市科技局2022年工作总结\n全市新增工程技术研究中心3家。".as_bytes(),
            )
            .unwrap();
        assert!(
            doc.facts
                .iter()
                .any(|f| f.theme == "engineering_centre" && f.value == Some(3.0)),
            "{:?}",
            doc.facts
        );
    }
}
