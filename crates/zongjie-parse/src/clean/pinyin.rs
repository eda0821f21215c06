//! Step 2 of cleaning: pinyin annotations.
//!
//! Some sites insert the reading of a character after it, in brackets:
//! "總結(jié)", "區(qū)", "申報(bào)", sometimes broken across a line: "區(q\nū)".
//! Those annotations split words ("總結(jié)" is not "总结" to a matcher), so they
//! go. An annotation is a bracketed run of lowercase latin letters, possibly
//! with line breaks inside, directly after a Han character, that either
//! carries a tone mark or has the shape of one pinyin syllable. "(R&D)",
//! "(low-e)" and "(2018)" have neither and survive.

use std::sync::LazyLock;

use regex::Regex;

use super::is_han;

/// Letters pinyin is written with (tone-marked vowels included).
const TONED: &str = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ";

/// A bracketed run of pinyin letters, at the start of the text searched.
static ANNOTATION: LazyLock<Regex> = LazyLock::new(|| {
    // The pattern is a constant: it compiles (checked by the tests).
    Regex::new(r"^[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ\n]{1,16}[)）]").unwrap()
});

static SYLLABLE: LazyLock<Regex> = LazyLock::new(|| {
    // A constant pattern: compiles (checked by the tests).
    Regex::new(
        r"^(zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(iang|iong|uang|ueng|ang|eng|ing|ong|uai|uan|üan|ian|iao|ai|ei|ao|ou|an|en|in|un|ün|ia|ie|iu|ua|uo|ui|ue|üe|er|a|o|e|i|u|ü|ng|n)$",
    )
    .unwrap()
});

/// Is `inner` (line breaks removed) a plausible pinyin reading?
fn is_pinyin(inner: &str) -> bool {
    if inner.is_empty() {
        return false;
    }
    inner.chars().any(|c| TONED.contains(c)) || SYLLABLE.is_match(inner)
}

/// Strip pinyin annotations after Han characters; returns the text and how
/// many annotations were removed.
pub fn strip_pinyin(text: &str) -> (String, usize) {
    let mut removed = 0usize;
    let mut out = String::new();
    let mut copied = 0usize;
    // An annotation starts at an opening bracket; the brackets of a report
    // ("（一）", "（2018）") are found with memchr and memmem, and the
    // anchored pattern tried only at those after a Han character. A match
    // holds no opening bracket but its first, so trying each bracket in
    // order finds the matches an unanchored search would.
    let mut brackets: Vec<usize> = memchr::memchr_iter(b'(', text.as_bytes())
        .chain(memchr::memmem::find_iter(text.as_bytes(), "（"))
        .collect();
    brackets.sort_unstable();
    for start in brackets {
        // `start < copied` cannot be (see above); skipping it keeps slicing safe.
        if start < copied || !text[..start].chars().next_back().is_some_and(is_han) {
            continue;
        }
        // A match is a bracket, the letters, a bracket: the letters are the
        // match without its first and last character (no capture groups
        // needed, which would take the slower capturing engine).
        let Some(all) = ANNOTATION.find(&text[start..]) else {
            continue;
        };
        let mut chars = all.as_str().chars();
        let (Some(_), Some(_)) = (chars.next(), chars.next_back()) else {
            continue;
        };
        let letters = chars.as_str();
        let inner: String = letters.chars().filter(|&c| c != '\n').collect();
        if is_pinyin(&inner) {
            if out.is_empty() {
                out.reserve(text.len());
            }
            out.push_str(&text[copied..start]);
            copied = start + all.end();
            removed += 1;
        }
    }
    if removed == 0 {
        return (text.to_string(), 0);
    }
    out.push_str(&text[copied..]);
    (out, removed)
}

#[cfg(test)]
mod tests {
    use super::{is_han, is_pinyin, strip_pinyin};

    /// The step as one unanchored search through the text: what trying the
    /// pattern at each bracket must equal.
    fn reference(text: &str) -> (String, usize) {
        let annotation =
            regex::Regex::new(&super::ANNOTATION.as_str().replacen('^', "", 1)).unwrap();
        let (mut out, mut copied, mut removed) = (String::new(), 0, 0);
        for all in annotation.find_iter(text) {
            let letters = &all.as_str()[all.as_str().chars().next().unwrap().len_utf8()
                ..all.len() - all.as_str().chars().next_back().unwrap().len_utf8()];
            let inner: String = letters.chars().filter(|&c| c != '\n').collect();
            if text[..all.start()].chars().next_back().is_some_and(is_han) && is_pinyin(&inner) {
                out.push_str(&text[copied..all.start()]);
                copied = all.end();
                removed += 1;
            }
        }
        out.push_str(&text[copied..]);
        (out, removed)
    }

    proptest::proptest! {
        #[test]
        fn trying_each_bracket_equals_one_search(
            text in "([(（)）]|[a-z]{1,3}|jié|ü|\n|總|区|R&D|2018| ){0,16}"
        ) {
            proptest::prop_assert_eq!(strip_pinyin(&text), reference(&text));
        }
    }

    #[test]
    fn strips_toned_annotations() {
        let (s, n) = strip_pinyin("科技局第一季度工作總結(jié) 根據(jù)區(qū)發(fā)改局申報(bào)");
        assert_eq!(s, "科技局第一季度工作總結 根據區發改局申報");
        assert_eq!(n, 5);
    }

    #[test]
    fn strips_across_a_line_break() {
        let (s, n) = strip_pinyin("促進我區(q\nū)產業");
        assert_eq!((s.as_str(), n), ("促進我區產業", 1));
        let (s, n) = strip_pinyin("相關(guān\n)推薦");
        assert_eq!((s.as_str(), n), ("相關推薦", 1));
    }

    #[test]
    fn plain_syllables_without_tone_marks() {
        let (s, n) = strip_pinyin("總結(jie)和區(qu)");
        assert_eq!((s.as_str(), n), ("總結和區", 2));
    }

    #[test]
    fn latin_that_is_not_pinyin_survives() {
        for s in [
            "全区(R&D)经费",
            "开发(low-e)节能玻璃",
            "开发(lowe)节能玻璃",
            "规划(2018)年",
            "系统(app)上线",
            "软件(software)",
        ] {
            assert_eq!(strip_pinyin(s), (s.to_string(), 0), "{s}");
        }
        // Not after a Han character.
        assert_eq!(strip_pinyin("word (jié)"), ("word (jié)".to_string(), 0));
    }
}
