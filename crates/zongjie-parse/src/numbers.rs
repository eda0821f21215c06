//! Numerals and quantities: pure functions that read Arabic, Chinese and mixed
//! numerals ("66", "1,234", "241.8万", "一百二十", "两") and find number + unit
//! tokens in a clause, with their qualifiers (余, 约, 不到 …), masked values
//! (xx家, xx.xx亿元) and damaged ones (00件, 13.%, a pasted year).

use crate::char_bits::CharBits;
use crate::prefixes::Prefixes;
use crate::Qualifier;

/// Measure words and other units a quantity may carry, in any order (the
/// scanner takes the longest that matches, see [`UNIT_WORDS`]).
const UNITS: &[&str] = &[
    "个百分点",
    "人次",
    "场次",
    "批次",
    "户次",
    "元",
    "%",
    "家",
    "件",
    "名",
    "人",
    "次",
    "期",
    "项",
    "个",
    "场",
    "户",
    "所",
    "篇",
    "台",
    "套",
    "座",
    "处",
    "种",
    "类",
    "部",
    "份",
    "株",
    "亩",
    "支",
    "队",
    "起",
];

/// Measure words that count things: a bare 0 with one of these is damaged.
const COUNT_UNITS: &[&str] = &[
    "人次", "场次", "批次", "户次", "家", "件", "名", "人", "次", "期", "项", "个", "场", "户",
    "所", "篇", "台", "套", "座", "处", "种", "类", "部", "份", "支", "队", "起",
];

/// Words right after a number that make it a date or year, not a quantity.
const DATE_SUFFIXES: &[&str] = &["年", "月", "日", "号", "时", "点", "周年", "世纪"];

/// Characters that, right before a Chinese numeral, make it part of a word
/// (每一个, 唯一, 统一, 之一, 另一家) rather than a count.
const WORD_BEFORE_CHINESE: &[char] = &[
    '每', '同', '唯', '统', '逐', '之', '任', '某', '这', '那', '另', '其', '万', '千', '百', '周',
];

/// Qualifiers written before a number.
const PRE_QUALIFIERS: &[(&str, Qualifier)] = &[
    ("超过", Qualifier::AtLeast),
    ("不低于", Qualifier::AtLeast),
    ("不少于", Qualifier::AtLeast),
    ("突破", Qualifier::AtLeast),
    ("高于", Qualifier::AtLeast),
    ("多于", Qualifier::AtLeast),
    ("不超过", Qualifier::AtMost),
    ("低于", Qualifier::AtMost),
    ("少于", Qualifier::AtMost),
    ("逾", Qualifier::AtLeast),
    ("不到", Qualifier::AtMost),
    ("不足", Qualifier::AtMost),
    ("大约", Qualifier::Approx),
    ("约", Qualifier::Approx),
    ("近", Qualifier::Approx),
];

/// Qualifiers written after the unit.
const POST_QUALIFIERS: &[(&str, Qualifier)] = &[
    ("以上", Qualifier::AtLeast),
    ("多", Qualifier::AtLeast),
    ("左右", Qualifier::Approx),
    ("以下", Qualifier::AtMost),
];

/// Parse a numeral: Arabic with optional thousands commas and decimals
/// ("1,234", "241.8"), Chinese ("十五", "一百二十", "两", "二〇一八"), or
/// mixed with a Chinese multiplier ("1.2万", "3千"). `None` when it is not one.
pub fn parse_number(s: &str) -> Option<f64> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let (neg, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let v = parse_unsigned(body)?;
    Some(if neg { -v } else { v })
}

fn parse_unsigned(s: &str) -> Option<f64> {
    let first = s.chars().next()?;
    if first.is_ascii_digit() {
        // Split off a trailing run of Chinese multipliers (万, 亿, 千, 百).
        let arabic_end = s
            .char_indices()
            .find(|(_, c)| !(c.is_ascii_digit() || *c == '.' || *c == ','))
            .map_or(s.len(), |(i, _)| i);
        let base = parse_arabic(&s[..arabic_end])?;
        let mut scale = 1.0;
        for c in s[arabic_end..].chars() {
            scale *= multiplier(c)?;
        }
        Some(base * scale)
    } else {
        parse_chinese(s)
    }
}

fn parse_arabic(s: &str) -> Option<f64> {
    if s.is_empty() || s.starts_with(',') || s.ends_with(',') || s.ends_with('.') {
        return None;
    }
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    if let Some(f) = frac {
        if f.is_empty() || !f.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
    }
    if int.contains(',') {
        let groups: Vec<&str> = int.split(',').collect();
        let first_ok = (1..=3).contains(&groups[0].len());
        if !first_ok || groups[1..].iter().any(|g| g.len() != 3) {
            return None;
        }
    }
    let digits: String = int.chars().filter(|c| *c != ',').collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let joined = match frac {
        Some(f) => format!("{digits}.{f}"),
        None => digits,
    };
    joined.parse().ok()
}

fn multiplier(c: char) -> Option<f64> {
    match c {
        '十' => Some(10.0),
        '百' => Some(100.0),
        '千' => Some(1e3),
        '万' => Some(1e4),
        '亿' => Some(1e8),
        _ => None,
    }
}

fn digit(c: char) -> Option<u64> {
    match c {
        '零' | '〇' => Some(0),
        '一' | '壹' => Some(1),
        '二' | '两' | '贰' => Some(2),
        '三' | '叁' => Some(3),
        '四' | '肆' => Some(4),
        '五' | '伍' => Some(5),
        '六' | '陆' => Some(6),
        '七' | '柒' => Some(7),
        '八' | '捌' => Some(8),
        '九' | '玖' => Some(9),
        _ => None,
    }
}

/// Is `c` part of a Chinese numeral?
pub fn is_chinese_numeral(c: char) -> bool {
    digit(c).is_some() || matches!(c, '十' | '拾' | '百' | '佰' | '千' | '仟' | '万' | '亿')
}

fn parse_chinese(s: &str) -> Option<f64> {
    let chars: Vec<char> = s.chars().collect();
    if chars.iter().any(|c| !is_chinese_numeral(*c)) {
        return None;
    }
    let has_unit = chars.iter().any(|c| digit(*c).is_none());
    if !has_unit {
        // "二〇一八": positional digits, only with a zero sign or a single digit.
        if chars.len() == 1 {
            return digit(chars[0]).map(|d| d as f64);
        }
        if !chars.iter().any(|c| matches!(c, '〇' | '零')) {
            return None;
        }
        let mut v: u64 = 0;
        for c in chars {
            v = v.checked_mul(10)?.checked_add(digit(c)?)?;
        }
        return Some(v as f64);
    }
    // Standard form: sections separated by 亿 and 万, each below 10000.
    let mut total: u64 = 0; // completed 亿 part
    let mut wan: u64 = 0; // completed 万 part
    let mut section: u64 = 0; // current section below 10000
    let mut pending: Option<u64> = None; // a digit waiting for its unit
    let mut last_small_unit: u64 = 10_000;
    for c in chars {
        if let Some(d) = digit(c) {
            if pending.is_some() && d != 0 {
                return None; // two digits in a row ("一一")
            }
            pending = if d == 0 { pending.or(None) } else { Some(d) };
            continue;
        }
        let unit = match c {
            '十' | '拾' => 10,
            '百' | '佰' => 100,
            '千' | '仟' => 1000,
            '万' => 10_000,
            _ => 100_000_000, // 亿
        };
        if unit < 10_000 {
            if unit >= last_small_unit {
                return None; // "十百"
            }
            let d = pending.take().unwrap_or(if unit == 10 { 1 } else { 0 });
            if d == 0 {
                return None; // "百" with no digit
            }
            section += d * unit;
            last_small_unit = unit;
        } else {
            section += pending.take().unwrap_or(0);
            if unit == 10_000 {
                if section == 0 && wan == 0 && total == 0 {
                    return None;
                }
                wan = (wan + section).checked_mul(10_000)?;
            } else {
                total = (total + wan + section).checked_mul(100_000_000)?;
                wan = 0;
            }
            section = 0;
            last_small_unit = 10_000;
        }
    }
    section += pending.unwrap_or(0);
    Some((total + wan + section) as f64)
}

/// What a token found by [`scan`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A number with a unit ("66家", "241.8万元", "xx家").
    Quantity,
    /// An explicit rank ("第2位"): unit "位".
    Rank,
    /// A signed number with no unit ("-14.29"), meaningful only right after another value.
    Bare,
}

/// A number (with its unit) found in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// Byte offset of the first character of the raw text.
    pub start: usize,
    /// Byte offset one past the raw text.
    pub end: usize,
    /// Byte offset one past any trailing qualifier (以上, 左右), for context checks.
    pub tail: usize,
    /// What kind of token.
    pub kind: TokenKind,
    /// The value: money in yuan, shares in percent; `None` when masked or damaged.
    pub value: Option<f64>,
    /// Unit: the measure word, "元" for money, "%" for shares, "位" for ranks, "" for bare numbers.
    pub unit: String,
    /// Approximate, at least, at most, exact.
    pub qualifier: Qualifier,
    /// The digits were replaced by x/X/× placeholders.
    pub masked: bool,
    /// The digits look lost or altered.
    pub damaged: bool,
    /// The numeral is written in Chinese characters ("三家").
    pub chinese: bool,
}

/// [`UNITS`] by first character, for the longest unit a text starts with.
static UNIT_WORDS: std::sync::LazyLock<Prefixes> =
    std::sync::LazyLock::new(|| Prefixes::new(UNITS));

/// [`DATE_SUFFIXES`] by first character.
static DATE_WORDS: std::sync::LazyLock<Prefixes> =
    std::sync::LazyLock::new(|| Prefixes::new(DATE_SUFFIXES));

fn is_mask_char(c: char) -> bool {
    matches!(c, 'x' | 'X' | '×' | 'х' | 'Ｘ' | 'ｘ')
}

/// Whether `c` may begin a token: a rank (第), a digit, a mask, a minus
/// sign, a Chinese digit or ten. [`scan`] reads anything further only from
/// these characters.
fn may_start_token(c: char) -> bool {
    c == '第'
        || c.is_ascii_digit()
        || is_mask_char(c)
        || c == '-'
        || digit(c).is_some()
        || matches!(c, '十' | '拾')
}

/// The characters for which [`may_start_token`] holds (all of them in the
/// Basic Multilingual Plane), as a bit set: one bit test per character of
/// the text instead of the chain of comparisons.
static TOKEN_STARTS: std::sync::LazyLock<CharBits> =
    std::sync::LazyLock::new(|| CharBits::new(('\0'..='\u{ffff}').filter(|&c| may_start_token(c))));

/// Find number + unit tokens in `s`. `year` is the document's year: a number
/// whose digits contain it (and whose unit is not 年) is taken as a year
/// pasted over a value by a hosting site and flagged damaged.
///
/// Skipped: years and dates (2018年, 5月14日), ordinals (第一批), numbers with
/// no unit, and a lone Chinese multiplier (千人, 万人).
pub fn scan(s: &str, year: Option<i32>) -> Vec<Token> {
    let mut out = Vec::new();
    let token_starts: &CharBits = &TOKEN_STARTS;
    let mut i = 0;
    // `i` always sits on a character boundary: it moves to a found
    // character or past a read token.
    while let Some((at, c)) = token_starts.find_from(s, i) {
        i = at;
        let rest = &s[i..];
        if c == '第' {
            let j = i + c.len_utf8();
            match read_numeral(s, j) {
                Some(n) => {
                    let rank_unit = ['位', '名']
                        .into_iter()
                        .find(|u| s[n.end..].starts_with(*u));
                    match rank_unit {
                        Some(u) if n.value.is_some() || n.masked => {
                            let end = n.end + u.len_utf8();
                            out.push(Token {
                                start: i,
                                end,
                                tail: end,
                                kind: TokenKind::Rank,
                                value: if n.masked { None } else { n.value },
                                unit: u.to_string(),
                                qualifier: Qualifier::Exact,
                                masked: n.masked,
                                damaged: false,
                                chinese: n.chinese,
                            });
                            i = end;
                        }
                        _ => i = n.end.max(j),
                    }
                }
                None => i = j,
            }
            continue;
        }
        let starts_number = c.is_ascii_digit()
            || is_mask_char(c)
            || (c == '-' && rest[1..].starts_with(|d: char| d.is_ascii_digit()))
            || digit(c).is_some()
            || (matches!(c, '十' | '拾')
                && rest[c.len_utf8()..]
                    .starts_with(|d: char| digit(d).is_some() || d == '余' || d == '多'))
            || (matches!(c, '十' | '拾') && UNIT_WORDS.longest(&rest[c.len_utf8()..]).is_some());
        if !starts_number {
            i += c.len_utf8();
            continue;
        }
        // Only now the character before: most characters start no number.
        let glued = s[..i].chars().next_back().is_some_and(|p| {
            p.is_ascii_alphanumeric()
                || p == '.'
                || p == '-'
                || p == '_'
                || (!c.is_ascii() && !is_mask_char(c) && WORD_BEFORE_CHINESE.contains(&p))
        });
        if glued {
            i += c.len_utf8();
            continue;
        }
        let Some(n) = read_numeral(s, i) else {
            i += c.len_utf8();
            continue;
        };
        if let Some(tok) = finish(s, i, &n, year) {
            i = tok.tail.max(n.end);
            out.push(tok);
        } else {
            i = n.end.max(i + c.len_utf8());
        }
    }
    out
}

/// A numeral read at some position, before its unit.
struct Numeral {
    end: usize,
    value: Option<f64>,
    masked: bool,
    damaged: bool,
    chinese: bool,
    negative: bool,
    text: String,
}

fn read_numeral(s: &str, start: usize) -> Option<Numeral> {
    let rest = &s[start..];
    let first = rest.chars().next()?;
    if is_mask_char(first) {
        let mut end = start;
        for (k, c) in rest.char_indices() {
            if is_mask_char(c) || (c == '.' && k > 0) {
                end = start + k + c.len_utf8();
            } else {
                break;
            }
        }
        // Do not take a trailing dot.
        while s[start..end].ends_with('.') {
            end -= 1;
        }
        let end = take_multipliers(s, end);
        return Some(Numeral {
            end,
            value: None,
            masked: true,
            damaged: false,
            chinese: false,
            negative: false,
            text: s[start..end].to_string(),
        });
    }
    if first.is_ascii_digit() || first == '-' {
        let negative = first == '-';
        let body = if negative { start + 1 } else { start };
        let mut end = body;
        let b = s.as_bytes();
        while end < s.len() && b[end].is_ascii_digit() {
            end += 1;
        }
        // Thousands groups: ",ddd" not followed by another digit, after 1-3 digits.
        let first_group = end - body;
        while (1..=3).contains(&first_group)
            && end + 4 <= s.len()
            && b[end] == b','
            && b[end + 1..end + 4].iter().all(u8::is_ascii_digit)
            && !(end + 4 < s.len() && b[end + 4].is_ascii_digit())
        {
            end += 4;
        }
        let mut damaged = false;
        if end < s.len() && b[end] == b'.' {
            let mut k = end + 1;
            while k < s.len() && b[k].is_ascii_digit() {
                k += 1;
            }
            if k > end + 1 {
                end = k;
            } else {
                // "13.%": a dot with the decimals lost, if a unit follows.
                let after = &s[end + 1..];
                let after_mult = after.trim_start_matches(['万', '亿', '千']);
                if UNIT_WORDS.longest(after_mult).is_some() {
                    damaged = true;
                    end += 1;
                }
            }
        }
        let digits_end = end;
        let end = take_multipliers(s, end);
        let digits = s[body..digits_end].trim_end_matches('.');
        if digits.len() > 1 && digits.starts_with('0') && !digits.starts_with("0.") {
            damaged = true;
        }
        let text = s[body..end].to_string();
        let value = if damaged {
            None
        } else {
            parse_number(&text).map(|v| if negative { -v } else { v })
        };
        return Some(Numeral {
            end,
            value,
            masked: false,
            damaged,
            chinese: false,
            negative,
            text,
        });
    }
    // Chinese numeral run.
    let mut end = start;
    for (k, c) in rest.char_indices() {
        if is_chinese_numeral(c) {
            end = start + k + c.len_utf8();
        } else {
            break;
        }
    }
    if end == start {
        return None;
    }
    let text = &s[start..end];
    // A lone multiplier (千人, 万人) is a word, not a number.
    if text
        .chars()
        .next()
        .is_some_and(|c| matches!(c, '百' | '佰' | '千' | '仟' | '万' | '亿'))
    {
        return None;
    }
    let value = parse_chinese(text)?;
    Some(Numeral {
        end,
        value: Some(value),
        masked: false,
        damaged: false,
        chinese: true,
        negative: false,
        text: text.to_string(),
    })
}

/// Extend `end` over Chinese multipliers (万, 亿, 千) written after digits.
fn take_multipliers(s: &str, mut end: usize) -> usize {
    while let Some(c) = s[end..].chars().next() {
        if matches!(c, '万' | '亿' | '千') {
            end += c.len_utf8();
        } else {
            break;
        }
    }
    end
}

fn finish(s: &str, start: usize, n: &Numeral, year: Option<i32>) -> Option<Token> {
    let after = &s[n.end..];
    if DATE_WORDS.longest(after).is_some() {
        return None;
    }
    let mut pos = n.end;
    let mut qualifier = Qualifier::Exact;
    // Inner qualifier: "20余项", "200多名".
    if let Some(q) = ['余', '多'].into_iter().find(|q| s[pos..].starts_with(*q)) {
        let unit_after = UNIT_WORDS.longest(&s[pos + q.len_utf8()..]);
        if unit_after.is_some() {
            qualifier = Qualifier::AtLeast;
            pos += q.len_utf8();
        }
    }
    let Some(unit) = UNIT_WORDS.longest(&s[pos..]) else {
        if n.negative && n.value.is_some() {
            return Some(Token {
                start,
                end: n.end,
                tail: n.end,
                kind: TokenKind::Bare,
                value: n.value,
                unit: String::new(),
                qualifier: Qualifier::Exact,
                masked: false,
                damaged: false,
                chinese: false,
            });
        }
        return None;
    };
    let end = pos + unit.len();
    let unit = if unit == "％" { "%" } else { unit };
    let mut tail = end;
    if let Some((w, q)) = POST_QUALIFIERS
        .iter()
        .find(|(w, _)| s[end..].starts_with(w))
    {
        if qualifier == Qualifier::Exact {
            qualifier = *q;
        }
        tail = end + w.len();
    }
    if qualifier == Qualifier::Exact {
        let before = &s[..start];
        // Longest match, so 不超过 is not read as 超过.
        let pre = PRE_QUALIFIERS
            .iter()
            .filter(|(w, _)| before.ends_with(w))
            .max_by_key(|(w, _)| w.len());
        if let Some((_, q)) = pre {
            qualifier = *q;
        }
    }
    let mut damaged = n.damaged;
    let mut value = n.value;
    if !n.masked && !n.chinese {
        if let Some(y) = year {
            let ys = y.to_string();
            let digits: String = n.text.chars().filter(|c| c.is_ascii_digit()).collect();
            if digits.contains(&ys) {
                damaged = true;
            }
        }
        if value == Some(0.0) && COUNT_UNITS.contains(&unit) {
            damaged = true;
        }
    }
    if damaged || n.masked {
        value = None;
    }
    Some(Token {
        start,
        end,
        tail,
        kind: TokenKind::Quantity,
        value,
        unit: unit.to_string(),
        qualifier,
        masked: n.masked,
        damaged,
        chinese: n.chinese,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_numerals() {
        let cases: &[(&str, f64)] = &[
            ("66", 66.0),
            ("0.9", 0.9),
            ("1,234", 1234.0),
            ("241.8", 241.8),
            ("三", 3.0),
            ("两", 2.0),
            ("十五", 15.0),
            ("一百二十", 120.0),
            ("1.2万", 12000.0),
            ("二〇一八", 2018.0),
            ("一千零五", 1005.0),
            ("三万五千", 35000.0),
            ("-14.29", -14.29),
        ];
        for (s, v) in cases {
            assert_eq!(parse_number(s), Some(*v), "{s}");
        }
        for bad in ["", "一一", "百", "1,23", "13.", "abc", "十百"] {
            assert_eq!(parse_number(bad), None, "{bad}");
        }
    }

    fn one(s: &str) -> Token {
        let t = scan(s, Some(2023));
        assert_eq!(t.len(), 1, "{s}: {t:?}");
        t.into_iter().next().unwrap()
    }

    #[test]
    fn scans_units_money_and_qualifiers() {
        let t = one("技术合同交易额241.8万元");
        assert_eq!((t.value, t.unit.as_str()), (Some(2_418_000.0), "元"));
        assert_eq!(one("共1.2亿元").value, Some(1.2e8));
        assert_eq!(one("举办了一期培训").value, Some(1.0));
        assert_eq!(one("十五个乡镇").value, Some(15.0));
        let t = one("200多名代表");
        assert_eq!(
            (t.value, t.qualifier, t.unit.as_str()),
            (Some(200.0), Qualifier::AtLeast, "名")
        );
        assert_eq!(one("近30家").qualifier, Qualifier::Approx);
        assert_eq!(one("500人以上").qualifier, Qualifier::AtLeast);
        assert_eq!(one("不足10项").qualifier, Qualifier::AtMost);
        assert_eq!(one("不超过10项").qualifier, Qualifier::AtMost);
        assert_eq!(one("不低于5000万元").qualifier, Qualifier::AtLeast);
        assert_eq!(one("增长3个百分点").unit, "个百分点");
        let t = one("比重达49.64%");
        assert_eq!((t.value, t.unit.as_str()), (Some(49.64), "%"));
    }

    #[test]
    fn masked_and_damaged() {
        for s in [
            "新增高新技术企业xx家",
            "xx.xx亿元",
            "申请专利xxx项",
            "x项",
            "××家",
            "XX件",
        ] {
            let t = one(s);
            assert!(t.masked && t.value.is_none(), "{s}: {t:?}");
        }
        for s in [
            "申请量00件",
            "比重达到13.%",
            "选派0名",
            "产值达12023亿元",
            "协议2023项",
            "11.万元",
            "000万元",
        ] {
            let t = one(s);
            assert!(t.damaged && t.value.is_none(), "{s}: {t:?}");
        }
        assert_eq!(one("拥有量0.9件").value, Some(0.9));
    }

    #[test]
    fn skips_dates_ordinals_and_words() {
        for s in [
            "2018年上半年",
            "2017年度",
            "5月14日",
            "4.2世界知识产权日",
            "1-3月",
            "第一批",
            "第十九个",
            "每一个",
            "另一家",
            "统一个",
            "之一项",
            "千人计划",
            "万人有效",
            "十九大",
            "唯一一",
            "ID:37879714",
            "low-e节能",
        ] {
            assert!(
                scan(s, Some(2018)).is_empty(),
                "{s}: {:?}",
                scan(s, Some(2018))
            );
        }
        let t = one("全市第2位");
        assert_eq!(
            (t.kind, t.value, t.unit.as_str()),
            (TokenKind::Rank, Some(2.0), "位")
        );
        let t = scan("授权量6件,-14.29,全市", None);
        assert_eq!(t.len(), 2);
        assert_eq!((t[1].kind, t[1].value), (TokenKind::Bare, Some(-14.29)));
    }

    /// Render `n` (< 10^12) the way Chinese reports write it.
    fn render(n: u64) -> String {
        const D: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
        fn below_10k(n: u64, leading: bool) -> String {
            let mut out = String::new();
            let parts = [(1000, '千'), (100, '百'), (10, '十'), (1, ' ')];
            let mut zero = false;
            let mut started = false;
            for (p, u) in parts {
                let d = (n / p) % 10;
                if d == 0 {
                    if started {
                        zero = true;
                    }
                    continue;
                }
                if zero || (!started && !leading && p < 1000) {
                    out.push('零');
                }
                zero = false;
                if !(d == 1 && p == 10 && !started && leading) {
                    out.push(D[d as usize]);
                }
                if u != ' ' {
                    out.push(u);
                }
                started = true;
            }
            out
        }
        if n == 0 {
            return "零".into();
        }
        let yi = n / 100_000_000;
        let wan = (n / 10_000) % 10_000;
        let low = n % 10_000;
        let mut out = String::new();
        let mut leading = true;
        for (part, suffix) in [(yi, "亿"), (wan, "万"), (low, "")] {
            if part == 0 {
                continue;
            }
            out.push_str(&below_10k(part, leading));
            out.push_str(suffix);
            leading = false;
        }
        out
    }

    #[test]
    fn token_starts_hold_exactly_the_characters_that_may_start_a_token() {
        for c in '\0'..=char::MAX {
            assert_eq!(TOKEN_STARTS.contains(c), may_start_token(c), "{c:?}");
        }
        assert!(TOKEN_STARTS.contains('第') && TOKEN_STARTS.contains('两'));
        assert!(!TOKEN_STARTS.contains('年') && !TOKEN_STARTS.contains('，'));
    }

    proptest! {
        #[test]
        fn scanning_never_panics(s in "[0-9xX×.,%％第位名万亿千百十一二两三〇零家件元年月余多约近以上 ，。a-z高企专利-]{0,40}", year in proptest::option::of(1990i32..2030)) {
            for t in scan(&s, year) {
                prop_assert!(t.start < t.end && t.end <= t.tail && t.tail <= s.len());
                prop_assert!(s.is_char_boundary(t.start) && s.is_char_boundary(t.end));
                prop_assert!(!(t.masked || t.damaged) || t.value.is_none());
            }
        }

        #[test]
        fn chinese_numerals_round_trip(n in 1u64..1_000_000_000_000) {
            let s = render(n);
            prop_assert_eq!(parse_number(&s), Some(n as f64), "{}", s);
        }

        #[test]
        fn small_chinese_numerals_round_trip(n in 1u64..100_000) {
            let s = render(n);
            prop_assert_eq!(parse_number(&s), Some(n as f64), "{}", s);
        }

        #[test]
        fn money_scales_to_yuan(int in 0u32..100_000, frac in 0u32..100, mult in 0usize..3) {
            let (suffix, factor) = [("元", 1.0), ("万元", 1e4), ("亿元", 1e8)][mult];
            let text = format!("资金{}.{:02}{}", int + 1, frac, suffix);
            let toks = scan(&text, None);
            prop_assert_eq!(toks.len(), 1);
            let expect = (f64::from(int + 1) + f64::from(frac) / 100.0) * factor;
            let got = toks[0].value.unwrap();
            prop_assert!((got - expect).abs() <= expect * 1e-12, "{} {} {}", text, got, expect);
            prop_assert_eq!(toks[0].unit.as_str(), "元");
        }
    }
}
