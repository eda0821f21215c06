//! Step 1 of cleaning: character normalisation.
//!
//! Later steps match digits, letters and markers in one form only, so this step
//! maps full-width digits and letters (０-９, Ａ-Ｚ, ａ-ｚ) and the full-width
//! signs numbers use (％ ． ＋ －) to ASCII. Chinese punctuation (，。；：、（）)
//! is kept: it marks clauses and headings. Line ends become `\n`; NBSP, the
//! ideographic space and other wide spaces become a plain space; zero-width
//! characters go; the 〝〞 quotes that GB-to-Big5 round trips leave become “”.

/// Normalise characters as described in the module doc; returns a new string.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\u{ff10}'..='\u{ff19}' | '\u{ff21}'..='\u{ff3a}' | '\u{ff41}'..='\u{ff5a}' => {
                // Full-width forms sit exactly 0xFEE0 above their ASCII twins.
                out.push(char::from_u32(c as u32 - 0xfee0).unwrap_or(c));
            }
            '％' => out.push('%'),
            '．' => out.push('.'),
            '＋' => out.push('+'),
            '－' => out.push('-'),
            '\u{a0}' | '\u{3000}' | '\u{2002}'..='\u{200a}' | '\u{202f}' | '\u{205f}' => {
                out.push(' ')
            }
            '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' => {}
            '〝' => out.push('“'),
            '〞' => out.push('”'),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::normalise;

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
