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

/// A bracketed run of pinyin letters. The pattern starts with a bracket, so
/// the search skips ahead to brackets; the Han character before it is checked
/// by hand.
static ANNOTATION: LazyLock<Regex> = LazyLock::new(|| {
    // The pattern is a constant: it compiles (checked by the tests).
    Regex::new(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ\n]{1,16}[)）]").unwrap()
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
    // A match is a bracket, the letters, a bracket: the letters are the
    // match without its first and last character (no capture groups needed,
    // which would take the slower capturing engine).
    for all in ANNOTATION.find_iter(text) {
        let mut chars = all.as_str().chars();
        let (Some(_), Some(_)) = (chars.next(), chars.next_back()) else {
            continue;
        };
        let letters = chars.as_str();
        if !text[..all.start()].chars().next_back().is_some_and(is_han) {
            continue;
        }
        let inner: String = letters.chars().filter(|&c| c != '\n').collect();
        if is_pinyin(&inner) {
            if out.is_empty() {
                out.reserve(text.len());
            }
            out.push_str(&text[copied..all.start()]);
            copied = all.end();
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
    use super::strip_pinyin;

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
