//! Cleaning: from decoded text to the text every later stage and every offset
//! refers to.
//!
//! [`Cleaner::clean`] runs six steps, each a plain function in its own module
//! with its own tests. The order matters:
//!
//! 1. [`normalise`]: full-width digits, letters and number signs to ASCII, line
//!    ends to `\n`, odd spaces to a space. First, so every later pattern deals
//!    with one form of "2018", "62.5%" and line breaks.
//! 2. [`pinyin`]: strip "總結(jié)"-style readings. Before script conversion and
//!    wrapper matching, because the readings split words ("相關(guān)推薦") that
//!    the converter and the wrapper rules must see whole.
//! 3. [`script`]: record traditional/simplified, convert to simplified. Before
//!    the wrapper rules, so one simplified rule table covers sites that publish
//!    in traditional characters ("相關推薦" → "相关推荐").
//! 4. [`wrappers`]: drop sharing-site lines by the rule table. Before fragment
//!    rejoining, because wrapper lines sit between chunks and around them.
//! 5. [`fragments`]: remove "1、 2、 …" page-chunk markers and rejoin the
//!    halves of words and sentences they cut.
//! 6. [`tidy`]: trim lines, collapse blank runs; last, because every earlier
//!    step leaves blank lines or spaces behind.
//!
//! Main types: [`Cleaner`] (compiled once, `Send + Sync`) and [`Cleaned`].

pub mod fragments;
pub mod normalise;
pub mod pinyin;
pub(crate) mod regex_shape;
pub mod script;
pub mod tidy;
pub mod wrappers;

use crate::error::ParseError;
use crate::model::{CleaningReport, Script};

pub use wrappers::WrapperRules;

/// The built-in wrapper rule table.
pub const BUILTIN_RULES: &str = include_str!("../../data/boilerplate.toml");

/// The cleaning stage with its compiled rule table; build once, share across threads.
#[derive(Debug)]
pub struct Cleaner {
    rules: WrapperRules,
}

/// Cleaned text, the script it was written in, and what cleaning changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Cleaned {
    /// The cleaned text in simplified characters; all offsets point into it.
    pub text: String,
    /// The script of the text before conversion.
    pub script: Script,
    /// Removed wrapper lines, rejoined fragments, stripped pinyin.
    pub report: CleaningReport,
}

impl Cleaner {
    /// A cleaner with the built-in rule table (`data/boilerplate.toml`).
    pub fn builtin() -> Result<Cleaner, ParseError> {
        Cleaner::from_toml(BUILTIN_RULES)
    }

    /// A cleaner with a rule table in the `boilerplate.toml` format.
    pub fn from_toml(text: &str) -> Result<Cleaner, ParseError> {
        Ok(Cleaner {
            rules: WrapperRules::from_toml(text)?,
        })
    }

    /// Run the six cleaning steps in order (see the module doc).
    pub fn clean(&self, text: &str) -> Cleaned {
        let (text, witnessed) = normalise::normalise_noting(text, script::conversion_witnesses());
        let (text, pinyin_removed) = pinyin::strip_pinyin(&text);
        // Stripping pinyin only removes characters: a text that held no
        // witness of the conversion before it holds none after.
        let (text, script) = script::simplified_with_script(text, witnessed);
        let (text, removed_lines) = wrappers::strip_wrappers(&text, &self.rules);
        let (text, fragments_joined) = fragments::rejoin_fragments(&text);
        let text = tidy::tidy(&text);
        Cleaned {
            text,
            script,
            report: CleaningReport {
                removed_lines,
                fragments_joined,
                pinyin_removed,
            },
        }
    }
}

/// CJK unified ideographs (basic block, extensions A to G, compatibility
/// block): the characters pinyin readings follow and script conversion counts.
pub(crate) fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}'
        | '\u{20000}'..='\u{3134f}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleaner_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Cleaner>();
    }

    #[test]
    fn builtin_table_loads() {
        let c = Cleaner::builtin().unwrap();
        assert!(c.rules.len() >= 20);
    }

    #[test]
    fn steps_run_in_order() {
        let text = "- 科技局第一季度工作總結(jié) 推薦度:\r\n- 相關(guān)推薦\r\n２０１８年科技局第一季度工作總結(jié)\r\n\r\n\r\n一、主要工作進(jìn)展情況\r\n";
        let c = Cleaner::builtin().unwrap().clean(text);
        assert_eq!(
            c.text,
            "2018年科技局第一季度工作总结\n\n一、主要工作进展情况"
        );
        assert_eq!(c.script, Script::Traditional);
        assert_eq!(c.report.pinyin_removed, 4);
        let ids: Vec<&str> = c
            .report
            .removed_lines
            .iter()
            .map(|(id, _)| id.as_str())
            .collect();
        assert_eq!(ids, ["recommend_score", "related_caption"]);
    }
}
