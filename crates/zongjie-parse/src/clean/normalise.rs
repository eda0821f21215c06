//! Step 1 of cleaning: character normalisation.
//!
//! Later steps match digits, letters and markers in one form only, so this step
//! maps full-width digits and letters (０-９, Ａ-Ｚ, ａ-ｚ) and the full-width
//! signs numbers use (％ ． ＋ －) to ASCII. Chinese punctuation (，。；：、（）)
//! is kept: it marks clauses and headings. Line ends become `\n`; NBSP, the
//! ideographic space and other wide spaces become a plain space; zero-width
//! characters go; the 〝〞 quotes that GB-to-Big5 round trips leave become “”.

use crate::char_bits::CharBits;

/// First bytes of every character this step may change: `\r`, and the UTF-8
/// lead bytes of U+00A0 (`C2`), U+2002–U+2060 (`E2`), U+3000 and 〝〞 (`E3`),
/// and the full-width forms and the BOM (`EF`). None of them is a
/// continuation byte, so each marks a character boundary; the Han characters
/// that make up most of a report (lead bytes `E4`–`E9`) never stop the scan.
const MAY_CHANGE: [bool; 256] = {
    let mut table = [false; 256];
    table[b'\r' as usize] = true;
    table[0xc2] = true;
    table[0xe2] = true;
    table[0xe3] = true;
    table[0xef] = true;
    table
};

/// Lead bytes of three-byte characters this step never changes (`E0`–`EF`
/// but those of [`MAY_CHANGE`]): every Han character's. Derivable from
/// [`MAY_CHANGE`], but looked up first, on its own, for every character:
/// one branch for all three-byte characters (the lead's range, then
/// [`MAY_CHANGE`]) cost 33 M more instructions over 3,000 generated
/// reports (normalising 159.9 → 192.6 M).
const THREE_BYTES_KEPT: [bool; 256] = {
    let mut table = [false; 256];
    let mut lead = 0xe0;
    while lead <= 0xef {
        table[lead] = !MAY_CHANGE[lead];
        lead += 1;
    }
    table
};

/// What becomes of one character: `None` keeps it, `Some(None)` drops it,
/// `Some(Some(r))` puts `r` in its place (`\r` is handled by the caller).
fn replacement(c: char) -> Option<Option<char>> {
    let r = match c {
        '\u{ff10}'..='\u{ff19}' | '\u{ff21}'..='\u{ff3a}' | '\u{ff41}'..='\u{ff5a}' => {
            // Full-width forms sit exactly 0xFEE0 above their ASCII twins.
            char::from_u32(c as u32 - 0xfee0)
        }
        '％' => Some('%'),
        '．' => Some('.'),
        '＋' => Some('+'),
        '－' => Some('-'),
        '\u{a0}' | '\u{3000}' | '\u{2002}'..='\u{200a}' | '\u{202f}' | '\u{205f}' => Some(' '),
        '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' => None,
        '〝' => Some('“'),
        '〞' => Some('”'),
        _ => return None,
    };
    Some(r)
}

/// Normalise characters as described in the module doc; returns a new string.
pub fn normalise(text: &str) -> String {
    /// Nothing to watch for, built once: a set is an 8 KB table.
    static NOTHING: std::sync::LazyLock<CharBits> = std::sync::LazyLock::new(CharBits::default);
    normalise_noting(text, &NOTHING).0
}

/// [`normalise`] `text`, and say whether a character of `watch` occurs in
/// it (before normalising): the one walk through the text serves a later
/// step that needs to know (script conversion, which a text holding none of
/// its witnesses skips).
///
/// The walk goes a character at a time, reading each from its bytes: a
/// three-byte one (every Han character, the Chinese punctuation and the
/// full-width forms) is tested against `watch` as [`CharBits::find_from`]
/// does, and decoded only when its lead byte is one of [`MAY_CHANGE`]; an
/// ASCII one is its byte; only the rare two- and four-byte characters go
/// through the standard library's decoding. Runs of characters that stay
/// are copied whole.
pub(crate) fn normalise_noting(text: &str, watch: &CharBits) -> (String, bool) {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut seen = false;
    // text[..copied] has been handled.
    let mut copied = 0;
    let mut i = 0;
    while let Some(&lead) = bytes.get(i) {
        if THREE_BYTES_KEPT[usize::from(lead)] {
            // A run of three-byte characters that stay (every Han one), in
            // a loop of its own: each is tested against `watch` until one
            // is in it, and after that only its lead byte is read. (The
            // first character tested before the loop, not in it: 12 M
            // fewer instructions over 3,000 generated reports.)
            i += 3;
            if !seen {
                seen = watch.holds_three_bytes(&bytes[i - 3..]);
                while !seen {
                    match bytes.get(i..i + 3) {
                        Some(&[lead, second, third]) if THREE_BYTES_KEPT[usize::from(lead)] => {
                            seen = watch.holds_three_byte_char(lead, second, third);
                            i += 3;
                        }
                        _ => break,
                    }
                }
            }
            while let Some(&lead) = bytes.get(i) {
                if !THREE_BYTES_KEPT[usize::from(lead)] {
                    break;
                }
                i += 3;
            }
            continue;
        }
        if lead.is_ascii() {
            if lead == b'\r' {
                out.push_str(&text[copied..i]);
                out.push('\n');
                i += if bytes.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
                copied = i;
                continue;
            }
            if !seen {
                seen = watch.contains(char::from(lead));
            }
            i += 1;
            continue;
        }
        let len = if let [0xe0..=0xef, second, third, ..] = bytes[i..] {
            if !seen {
                seen = watch.holds_three_bytes(&bytes[i..]);
            }
            // The text is UTF-8, so these are a lead byte and two
            // continuation bytes: the code point from their payload bits.
            let code = u32::from(lead & 0x0f) << 12
                | u32::from(second & 0x3f) << 6
                | u32::from(third & 0x3f);
            let Some(new) = char::from_u32(code).and_then(replacement) else {
                // Most characters behind these lead bytes stay (，：（） are
                // EF…): they join the run being copied.
                i += 3;
                continue;
            };
            out.push_str(&text[copied..i]);
            if let Some(r) = new {
                out.push(r);
            }
            3
        } else {
            // A two- or four-byte character. `i` is a character boundary:
            // it moves by whole characters.
            let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
                break;
            };
            if !seen {
                seen = watch.contains(c);
            }
            let Some(new) = MAY_CHANGE[usize::from(lead)]
                .then(|| replacement(c))
                .flatten()
            else {
                i += c.len_utf8();
                continue;
            };
            out.push_str(&text[copied..i]);
            if let Some(r) = new {
                out.push(r);
            }
            c.len_utf8()
        };
        i += len;
        copied = i;
    }
    out.push_str(&text[copied..]);
    (out, seen)
}

#[cfg(test)]
mod tests {
    use super::{normalise, normalise_noting, replacement, MAY_CHANGE};
    use crate::char_bits::CharBits;

    /// The step one character at a time, with no run copied whole: what
    /// [`normalise`] must equal.
    fn reference(text: &str) -> String {
        let mut out = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\r' {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
                continue;
            }
            match replacement(c) {
                None => out.push(c),
                Some(Some(r)) => out.push(r),
                Some(None) => {}
            }
        }
        out
    }

    #[test]
    fn every_changed_character_starts_with_a_scanned_byte() {
        let mut changed = 0;
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            if replacement(c).is_some() || c == '\r' {
                changed += 1;
                let mut buf = [0; 4];
                let lead = c.encode_utf8(&mut buf).as_bytes()[0];
                assert!(MAY_CHANGE[lead as usize], "{c:?} is never looked at");
            }
        }
        assert!(changed > 60, "only {changed} characters change");
    }

    #[test]
    fn no_replacement_is_a_witness_of_script_conversion() {
        // Cleaning watches for the witnesses in the text before it is
        // normalised: what normalising puts in must never be one.
        let witnesses = crate::clean::script::conversion_witnesses();
        assert!(witnesses.count() > 1000);
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            if let Some(Some(r)) = replacement(c) {
                assert!(!witnesses.contains(r), "{c:?} becomes the witness {r:?}");
            }
        }
        assert!(!witnesses.contains('\n'));
    }

    proptest::proptest! {
        #[test]
        fn noting_equals_normalising_then_searching(
            members in "[a-z，。年科局總發ü©𠮶\u{3000}]{0,5}",
            text in "[\r\n a0-9，。、（）％．＋－０-９Ａ-Ｚａ-ｚ\u{a0}\u{3000}\u{2002}-\u{2060}\u{feff}〝〞科技局總結發展ü©é𠮶]{0,40}"
        ) {
            let watch = CharBits::new(members.chars());
            let seen = watch.find_from(&text, 0).is_some();
            proptest::prop_assert_eq!(normalise_noting(&text, &watch), (normalise(&text), seen));
        }

        #[test]
        fn runs_copied_whole_equal_the_character_loop(
            text in "[\r\n a0-9，。、（）％．＋－０-９Ａ-Ｚａ-ｚ\u{a0}\u{3000}\u{2002}-\u{2060}\u{feff}〝〞科技局¥©é]{0,40}"
        ) {
            proptest::prop_assert_eq!(normalise(&text), reference(&text));
        }
    }

    #[test]
    fn full_width_digits_letters_and_signs() {
        assert_eq!(
            normalise("增长６２．５％，达ＧＤＰ的１３％"),
            "增长62.5%，达GDP的13%"
        );
        assert_eq!(normalise("Ｒ＆Ｄ经费＋１０"), "R＆D经费+10");
        assert_eq!(normalise("同比－１４．２９"), "同比-14.29");
    }

    #[test]
    fn chinese_punctuation_is_kept() {
        let s = "一、工作总结（一）实施工程，能力增强；二是：完成。";
        assert_eq!(normalise(s), s);
    }

    #[test]
    fn line_ends_spaces_and_quotes() {
        assert_eq!(
            normalise("第一行\r\n第二行\r第三行"),
            "第一行\n第二行\n第三行"
        );
        assert_eq!(
            normalise("\u{3000}\u{3000}今年以来\u{a0}区\u{200b}科技局"),
            "  今年以来 区科技局"
        );
        assert_eq!(normalise("〝科技创新调研〞活动"), "“科技创新调研”活动");
    }
}
