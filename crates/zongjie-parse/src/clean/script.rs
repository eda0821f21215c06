//! Step 5 of cleaning: traditional versus simplified characters.
//!
//! Reports from some sites come in traditional characters (seed 002), and
//! every lexicon, gazetteer and rule of zongjie is written in simplified ones.
//! This step records which script the text was written in and converts it to
//! simplified characters with zhconv's OpenCC-compatible tables (phrase-level,
//! so 發展 → 发展 and 頭髮 → 头发 both come out right).

use zhconv::{zhconv, Variant};

use super::is_han;
use crate::char_bits::CharBits;
use crate::model::Script;

/// The script of `text` by zhconv's own test: traditional when more of its
/// characters would change on conversion to simplified than on conversion to
/// traditional. Two conversion passes, so cleaning uses
/// [`script_of_conversion`]; the tests hold it to this reference.
#[cfg(test)]
fn detect_script(text: &str) -> Script {
    let confidence = zhconv::is_hans_confidence(text);
    // NaN (no convertible characters) counts as simplified.
    if confidence < 0.5 {
        Script::Traditional
    } else {
        Script::Simplified
    }
}

/// Share of Han characters that must change on conversion to simplified for a
/// text to count as traditional. Simplified reports change a handful of
/// characters at most (variants, a pasted traditional word); traditional ones
/// a fifth or more.
const TRADITIONAL_SHARE: usize = 20;

/// The script of `original`, given its conversion to simplified characters:
/// traditional when more than one Han character in [`TRADITIONAL_SHARE`]
/// changed.
pub fn script_of_conversion(original: &str, simplified: &str) -> Script {
    // Most reports are simplified already: nothing changed, nothing to count.
    if original == simplified {
        return Script::Simplified;
    }
    let mut han = 0usize;
    let mut changed = 0usize;
    for (a, b) in original.chars().zip(simplified.chars()) {
        if is_han(a) {
            han += 1;
            changed += usize::from(a != b);
        }
    }
    if changed > 0 && changed * TRADITIONAL_SHARE > han {
        Script::Traditional
    } else {
        Script::Simplified
    }
}

/// Convert `text` to simplified characters.
pub fn to_simplified(text: &str) -> String {
    if CONVERSION_WITNESSES.find_from(text, 0).is_some() {
        zhconv(text, Variant::ZhHans)
    } else {
        text.to_string()
    }
}

/// `text` in simplified characters with the script it was written in,
/// given whether it may hold a character of [`conversion_witnesses`]
/// (false only when it holds none, which cleaning learns while
/// normalising). A text without one comes out of conversion as it went in,
/// so it is returned as it is, simplified, without a walk through the
/// conversion automaton, a copy or a comparison.
pub(crate) fn simplified_with_script(text: String, witnessed: bool) -> (String, Script) {
    if !witnessed {
        return (text, Script::Simplified);
    }
    let simplified = zhconv(&text, Variant::ZhHans);
    let script = script_of_conversion(&text, &simplified);
    (simplified, script)
}

/// The characters without which a text comes out of conversion as it went
/// in (see [`CONVERSION_WITNESSES`]).
pub(crate) fn conversion_witnesses() -> &'static CharBits {
    &CONVERSION_WITNESSES
}

/// For every rule of the conversion table that changes its text (發展 →
/// 发展, 反覆 → 反复), one character of its source, preferring the first
/// that the rule changes (發, 覆). A text the conversion changes holds a
/// whole source, hence its witness; a text with no witness comes out as it
/// went in. Simplified text rarely holds one.
static CONVERSION_WITNESSES: std::sync::LazyLock<CharBits> = std::sync::LazyLock::new(|| {
    let rules = zhconv::get_builtin_tables(Variant::ZhHans)
        .iter()
        .flat_map(|table| zhconv::tables::expand_table(*table));
    CharBits::new(
        rules
            .filter(|(from, to)| from != to)
            .filter_map(|(from, to)| {
                from.chars()
                    .zip(to.chars())
                    .find(|(a, b)| a != b)
                    .map(|(a, _)| a)
                    .or_else(|| from.chars().next())
            }),
    )
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_and_converts_traditional() {
        let trad =
            "2018年科技局第一季度工作總結 積極培育高新技術企業,安排科技特派員對應開展科技服務。";
        assert_eq!(detect_script(trad), Script::Traditional);
        assert_eq!(
            script_of_conversion(trad, &to_simplified(trad)),
            Script::Traditional
        );
        assert_eq!(
            to_simplified(trad),
            "2018年科技局第一季度工作总结 积极培育高新技术企业,安排科技特派员对应开展科技服务。"
        );
    }

    #[test]
    fn simplified_text_skips_the_conversion() {
        // The fast path must be the common one: no witness in plain
        // simplified report text.
        let simp = "今年以来,寿光市科技局认真落实市委、市政府总体部署要求,全社会创新活力明显增强。\
                    全市共有高新技术企业66家,申请专利120件,选派科技特派员30名。";
        let witness: Vec<char> = simp
            .chars()
            .filter(|&c| CONVERSION_WITNESSES.contains(c))
            .collect();
        assert!(witness.is_empty(), "{witness:?}");
        // And every character the conversion changes on its own is a witness.
        for c in "發總結積極覆瞭藉".chars() {
            assert!(CONVERSION_WITNESSES.contains(c), "{c}");
        }
    }

    proptest::proptest! {
        #[test]
        fn skipping_never_changes_the_result(
            text in "(發展|发展|反覆|反复|打坏|破坏|年曆|年历|一目瞭然|科技|工作|總結|总结|藉口|借口|乾隆|干部|[a-z0-9，。])*",
        ) {
            let converted = zhconv(&text, Variant::ZhHans);
            proptest::prop_assert_eq!(&to_simplified(&text), &converted);
            // Cleaning's path: the witness test as normalising makes it.
            let witnessed = CONVERSION_WITNESSES.find_from(&text, 0).is_some();
            let script = script_of_conversion(&text, &converted);
            proptest::prop_assert_eq!(
                simplified_with_script(text, witnessed),
                (converted, script)
            );
        }
    }

    #[test]
    fn simplified_stays_simplified() {
        let simp = "今年以来,寿光市科技局认真落实市委、市政府总体部署要求,全社会创新活力明显增强。";
        assert_eq!(detect_script(simp), Script::Simplified);
        assert_eq!(script_of_conversion(simp, simp), Script::Simplified);
        assert_eq!(to_simplified(simp), simp);
        assert_eq!(detect_script("2018 ABC"), Script::Simplified);
    }
}

#[cfg(test)]
mod seed_checks {
    use super::*;

    #[test]
    fn conversion_leaves_simplified_seeds_alone() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/seeds");
        let Ok(entries) = std::fs::read_dir(dir) else {
            println!("note: {dir} missing, skipped");
            return;
        };
        for e in entries.flatten() {
            let text = std::fs::read_to_string(e.path()).unwrap();
            let converted = to_simplified(&text);
            assert_eq!(
                script_of_conversion(&text, &converted),
                detect_script(&text),
                "{:?}",
                e.file_name()
            );
            if detect_script(&text) == Script::Traditional {
                continue;
            }
            let changed: Vec<(char, char)> = text
                .chars()
                .zip(converted.chars())
                .filter(|(a, b)| a != b)
                .collect();
            println!("{:?}: {changed:?}", e.file_name());
            assert_eq!(text.chars().count(), converted.chars().count());
            assert!(changed.len() <= 3, "{:?}: {changed:?}", e.file_name());
        }
    }
}
