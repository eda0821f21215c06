//! The plain data types every stage produces and every later crate consumes.
//!
//! Offsets: [`Section::span`] and [`Sentence::span`] are **byte** ranges into
//! the cleaned text (cheap to slice); [`Fact::start`] / [`Fact::end`] are
//! **character** offsets, because that is what a researcher citing the text
//! counts (see DESIGN.md, "Outputs").

use std::collections::BTreeMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};

/// The container format the bytes were recognised as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text in any supported encoding.
    Text,
    /// An HTML page; scripts and styles dropped, entities decoded.
    Html,
    /// A Word 2007+ document (`word/document.xml` inside a zip).
    Docx,
}

impl Format {
    /// The lowercase name used in tables and manifests.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Html => "html",
            Format::Docx => "docx",
        }
    }
}

/// The writing system of the original text, before conversion to simplified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Script {
    /// Simplified Chinese characters (mainland usage).
    Simplified,
    /// Traditional Chinese characters; converted to simplified for analysis.
    Traditional,
}

impl Script {
    /// The lowercase name used in tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Script::Simplified => "simplified",
            Script::Traditional => "traditional",
        }
    }
}

/// What a section (and every fact inside it) reports: a result, a target, a
/// shortcoming, or something else (a preface, a title block).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Work done in the period: the default for a report's body.
    Achievement,
    /// Targets and intentions: 下半年工作打算, 下一步, 工作安排, 工作思路.
    Plan,
    /// Shortcomings: 存在问题, 短板, 不足.
    Problem,
    /// Anything else.
    Other,
}

impl Role {
    /// The lowercase name used in tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Achievement => "achievement",
            Role::Plan => "plan",
            Role::Problem => "problem",
            Role::Other => "other",
        }
    }
}

/// One heading and the text it governs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// The heading text without its marker ("工作总结" for "一、工作总结").
    pub heading: String,
    /// The marker as written: "一、", "（一）", "1、", "1.", "(1)", "一是", or "" for the root.
    pub marker: String,
    /// Depth in the tree: 0 is the whole document, 1 is "一、" and so on.
    pub level: u8,
    /// Index of the enclosing section in [`Structure::sections`]; `None` for the root.
    pub parent: Option<usize>,
    /// Role, from this heading's words or else inherited from the parent.
    pub role: Role,
    /// Byte range of the heading and body in the cleaned text.
    pub span: Range<usize>,
}

/// One sentence (ended by 。！？；or a line break) and the section it sits in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sentence {
    /// Byte range in the cleaned text.
    pub span: Range<usize>,
    /// Index into [`Structure::sections`] of the innermost section holding it.
    pub section: usize,
}

/// The document's shape: its title, section tree and sentences.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Structure {
    /// The report's title ("2018年上半年工作总结及下半年工作打算"), or "" when none is found.
    pub title: String,
    /// Sections in document order; index 0 is always the root (whole text).
    pub sections: Vec<Section>,
    /// Sentences in document order.
    pub sentences: Vec<Sentence>,
}

impl Structure {
    /// "一、工作总结 / (一)实施科技平台支撑工程" — the headings from the root down to `index`.
    pub fn section_path(&self, index: usize) -> String {
        // The headed sections from `index` up to the root (a heading depth
        // is a handful), then written root first into one string.
        let mut chain: Vec<&Section> = Vec::new();
        let mut at = Some(index);
        while let Some(i) = at {
            let Some(section) = self.sections.get(i) else {
                break;
            };
            if section.level > 0 {
                chain.push(section);
            }
            at = section.parent;
        }
        let separators = " / ".len() * chain.len().saturating_sub(1);
        let length = chain
            .iter()
            .map(|s| s.marker.len() + s.heading.len())
            .sum::<usize>();
        let mut path = String::with_capacity(length + separators);
        for (i, section) in chain.iter().rev().enumerate() {
            if i > 0 {
                path.push_str(" / ");
            }
            path.push_str(&section.marker);
            path.push_str(&section.heading);
        }
        path
    }
}

/// How finely the issuing region was resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RegionLevel {
    /// A county-level unit (县, 县级市, 区, 旗).
    County,
    /// A prefecture-level city (地级市, 州, 盟).
    City,
    /// A province-level unit.
    Province,
    /// Nothing the text supports.
    Unknown,
}

impl RegionLevel {
    /// The lowercase name used in tables.
    pub fn as_str(self) -> &'static str {
        match self {
            RegionLevel::County => "county",
            RegionLevel::City => "city",
            RegionLevel::Province => "province",
            RegionLevel::Unknown => "unknown",
        }
    }
}

/// One piece of evidence for or against a candidate region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionEvidence {
    /// The text that was matched ("寿光市科技局", "洋梓镇", "我市").
    pub mention: String,
    /// The six-digit code it points to.
    pub code: String,
    /// Signed weight it contributed (distractors are negative or discounted).
    pub weight: f32,
    /// Why: "title", "issuer", "town", "parent-city", "distractor: 考察" ...
    pub reason: String,
    /// Byte offset of the mention in the cleaned text.
    pub offset: usize,
}

/// The issuing region, resolved to the finest level the text supports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Region {
    /// Six-digit code at the finest level resolved (`370783`, `370700`, `370000`); "" when unknown.
    pub code: String,
    /// The level of `code`.
    pub level: RegionLevel,
    /// Name at that level ("寿光市").
    pub name: String,
    /// Province name, "" when unknown.
    pub province: String,
    /// City name, "" when unknown or not applicable.
    pub city: String,
    /// County name, "" when not resolved to a county.
    pub county: String,
    /// 0–1: how strongly the evidence favours this answer over the runner-up.
    pub confidence: f32,
    /// The mentions that decided it, strongest first.
    pub evidence: Vec<RegionEvidence>,
}

impl Region {
    /// The answer when the text names no place.
    pub fn unknown() -> Self {
        Region {
            code: String::new(),
            level: RegionLevel::Unknown,
            name: String::new(),
            province: String::new(),
            city: String::new(),
            county: String::new(),
            confidence: 0.0,
            evidence: Vec::new(),
        }
    }
}

/// The kind of period a report covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum PeriodKind {
    /// First quarter (第一季度, 一季度, 1-3月).
    Q1,
    /// Second quarter.
    Q2,
    /// Third quarter.
    Q3,
    /// Fourth quarter.
    Q4,
    /// First half year (上半年, 1-6月).
    H1,
    /// Second half year (下半年 as the period reported on).
    H2,
    /// Full year (全年, 年度, 一年来).
    FY,
    /// Any other span (前三季度, 1-10月, a multi-year plan period).
    #[serde(rename = "other")]
    Other,
}

impl PeriodKind {
    /// The name used in tables: `Q1`..`Q4`, `H1`, `H2`, `FY`, `other`.
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodKind::Q1 => "Q1",
            PeriodKind::Q2 => "Q2",
            PeriodKind::Q3 => "Q3",
            PeriodKind::Q4 => "Q4",
            PeriodKind::H1 => "H1",
            PeriodKind::H2 => "H2",
            PeriodKind::FY => "FY",
            PeriodKind::Other => "other",
        }
    }
}

/// How far the stated year can be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum YearTrust {
    /// Stated plainly and not contradicted.
    Sure,
    /// Stated, but the same year also appears pasted into values (a hosting site's stamp).
    Suspect,
    /// Not stated, or masked ("xxxx年").
    Unknown,
}

impl YearTrust {
    /// The lowercase name used in tables.
    pub fn as_str(self) -> &'static str {
        match self {
            YearTrust::Sure => "sure",
            YearTrust::Suspect => "suspect",
            YearTrust::Unknown => "unknown",
        }
    }
}

/// The period a report covers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Period {
    /// The year, when stated and not masked.
    pub year: Option<i32>,
    /// The kind, when stated.
    pub kind: Option<PeriodKind>,
    /// How far `year` can be trusted.
    pub year_trust: YearTrust,
    /// Short notes on what decided it ("title: 2018年上半年").
    pub evidence: Vec<String>,
}

impl Period {
    /// "2018-H1", "2018", "H1", or "" — the label tables group by.
    pub fn label(&self) -> String {
        match (self.year, self.kind) {
            (Some(y), Some(k)) => format!("{y}-{}", k.as_str()),
            (Some(y), None) => y.to_string(),
            (None, Some(k)) => k.as_str().to_string(),
            (None, None) => String::new(),
        }
    }
}

/// How a stated number relates to the true value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    /// As stated.
    Exact,
    /// 约, 近, 左右.
    Approx,
    /// 余, 多, 超过, 以上.
    AtLeast,
    /// 不到, 以下, 不足.
    AtMost,
}

impl Qualifier {
    /// The snake_case name used in tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Qualifier::Exact => "exact",
            Qualifier::Approx => "approx",
            Qualifier::AtLeast => "at_least",
            Qualifier::AtMost => "at_most",
        }
    }
}

/// One number a report gives about a theme, with everything needed to cite it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fact {
    /// Lexicon theme id (`high_tech_enterprise`, `patent`, ...).
    pub theme: String,
    /// Indicator id within the theme (`certified`, `applications`, ...), or "other".
    pub indicator: String,
    /// The value; `None` when masked or damaged. Money in yuan, shares in percent.
    pub value: Option<f64>,
    /// Measure word in simplified characters ("家", "件"), "元" for money, "%" for shares.
    pub unit: String,
    /// The number and unit as written in the cleaned text ("241.8万元", "xx家").
    pub raw: String,
    /// Exact, approximate, at least, at most.
    pub qualifier: Qualifier,
    /// The value was replaced by x/X placeholders.
    pub masked: bool,
    /// The digits look lost or altered ("00件", "13.%", a pasted year).
    pub damaged: bool,
    /// Role of the section the fact sits in.
    pub role: Role,
    /// Section path ("一、工作总结 / (一)…").
    #[serde(deserialize_with = "han_text_from_bytes")]
    pub section: String,
    /// The whole sentence, as cleaned.
    #[serde(deserialize_with = "han_text_from_bytes")]
    pub sentence: String,
    /// Character offset of `raw` in the cleaned text.
    pub start: usize,
    /// Character offset one past the end of `raw`.
    pub end: usize,
}

/// One parsed report: what it is, where and when it is from, what it says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Content hash (first 16 hex digits of BLAKE3 of the raw bytes).
    pub doc_id: String,
    /// The path as given by the caller.
    pub path: String,
    /// Container format.
    pub format: Format,
    /// Encoding the bytes were decoded with ("UTF-8", "GB18030", "Big5", "UTF-16LE" ...).
    pub encoding: String,
    /// Script of the original text.
    pub script: Script,
    /// Title, in simplified characters.
    pub title: String,
    /// The cleaned, normalised text every offset points into.
    #[serde(deserialize_with = "han_text_from_bytes")]
    pub text: String,
    /// Section tree and sentences.
    pub structure: Structure,
    /// Issuing region.
    pub region: Region,
    /// Period covered.
    pub period: Period,
    /// Per theme id: how many sentences speak of it (every lexicon theme is present).
    pub mentions: BTreeMap<String, u32>,
    /// The numbers, in text order.
    pub facts: Vec<Fact>,
    /// What cleaning removed or repaired, for `inspect`.
    pub cleaning: CleaningReport,
}

/// A long Han text (a document's text, a fact's sentence and section) read
/// back from its serialized form (a cache entry) as bytes checked with
/// simdutf8, not as a string checked by the standard library, which goes a
/// byte at a time through Han text: these texts are most of an entry, and
/// that check was a fifth of a rerun from the cache. JSON hands over its
/// strings' bytes the same way; a format that hands over a string instead
/// is served too.
fn han_text_from_bytes<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<String, D::Error> {
    struct Text;
    impl serde::de::Visitor<'_> for Text {
        type Value = String;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a UTF-8 text")
        }

        fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<String, E> {
            Ok(text.to_owned())
        }

        fn visit_string<E: serde::de::Error>(self, text: String) -> Result<String, E> {
            Ok(text)
        }

        fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<String, E> {
            simdutf8::basic::from_utf8(bytes)
                .map(str::to_owned)
                .map_err(|_| E::invalid_value(serde::de::Unexpected::Bytes(bytes), &self))
        }
    }
    deserializer.deserialize_bytes(Text)
}

impl Document {
    /// Length of the cleaned text in characters.
    pub fn chars(&self) -> usize {
        self.text.chars().count()
    }
}

/// What the cleaning stage did, so `inspect` can show why the text reads as it does.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CleaningReport {
    /// Wrapper lines removed, with the rule that removed each: (rule id, line).
    pub removed_lines: Vec<(String, String)>,
    /// How many page-fragment markers were removed and their halves rejoined.
    pub fragments_joined: usize,
    /// How many pinyin annotations were stripped.
    pub pinyin_removed: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_reads_back_from_json_with_its_text_checked() {
        let parser = crate::Parser::new().unwrap();
        let text = "寿光市科技局2018年上半年工作总结\n一、工作总结\n\
            全市共有高新技术企业66家，新增“发明专利”授权120件。\n";
        let doc = parser.parse("寿光.txt", text.as_bytes()).unwrap();
        let json = serde_json::to_vec(&doc).unwrap();
        let back: Document = serde_json::from_slice(&json).unwrap();
        assert_eq!(back, doc);
        // A byte that is not UTF-8 in the text is refused, not let through.
        let key = json.windows(8).position(|w| w == b"\"text\":\"").unwrap();
        let mut broken = json.clone();
        broken[key + 8] = 0xff;
        assert!(serde_json::from_slice::<Document>(&broken).is_err());
    }
}
