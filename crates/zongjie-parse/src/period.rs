//! Which period a report covers: the year and the kind of span (quarter, half
//! year, full year), read from the title and, failing that, the opening lines.
//!
//! Site headers ("时间:2019-06-01") are skipped even if cleaning left them in:
//! they date the upload, not the report. A year that also shows up pasted into
//! values ("12023亿元", "2023项") is marked suspect; a masked year ("xxxx年")
//! or none at all leaves the year unknown.

use std::borrow::Cow;
use std::sync::OnceLock;

use regex::Regex;

use crate::clean::regex_shape::LineStarts;
use crate::model::{Period, PeriodKind, Structure, YearTrust};

/// How many characters of the text count as its opening lines.
const OPENING_CHARS: usize = 300;

struct Patterns {
    /// A year with 年 ("2018年", "2018 年度").
    year: Regex,
    /// A bare year in a title ("2023 市区科技局…"), not followed by a digit or unit.
    bare_year: Regex,
    /// A masked year ("xxxx年", "20xx年").
    masked_year: Regex,
    /// Site header lines that date the upload, not the report.
    header: Regex,
    /// Month ranges ("1-3月", "1—6月", "1至10月").
    months: Regex,
    /// Quarters, halves and full-year words.
    kind: Regex,
    /// A number token followed by a unit ([`VALUE`]), for pasted-year
    /// detection, anchored at the start of the text searched.
    value_here: Regex,
    /// A multi-year span ("十三五", "2016-2020年").
    multi_year: Regex,
    /// The characters a [`Patterns::header`] line can start with: nearly
    /// every line starts with another and is not searched.
    header_starts: LineStarts,
}

impl Patterns {
    /// Whether `line` is a site-header line.
    fn is_header(&self, line: &str) -> bool {
        self.header_starts.may_match(line) && self.header.is_match(line)
    }
}

/// A number and its unit ("12023亿元", "2023项").
const VALUE: &str =
    r"(\d+(?:\.\d+)?)\s*(?:余|多)?\s*(?:亿|万|元|项|家|个|件|人|名|次|台|套|篇|期|株|亩|吨|%)";

/// A site-header line ("发布时间：…", "大小：…").
const HEADER: &str =
    r"^\s*(?:时间|日期|发布时间|上传时间|更新时间|发布日期|ID|大小|页数|格式)\s*[:：]";

fn patterns() -> &'static Patterns {
    static CELL: OnceLock<Patterns> = OnceLock::new();
    CELL.get_or_init(|| {
        // These are fixed literals checked by the tests in this module; they always compile.
        let re = |s: &str| Regex::new(s).expect("period pattern is a valid literal");
        Patterns {
            year: re(r"((?:19|20)\d{2})\s*年"),
            bare_year: re(r"(?:^|[^\d.])((?:19|20)\d{2})(?:\s+|[^\d.%亿万元项家个件人名次台套篇期株亩吨月日号])"),
            masked_year: {
                let mask: String = MASK_CHARS.iter().collect();
                re(&format!(r"(?:[{mask}]{{4}}|(?:19|20)[{mask}]{{2}})\s*年"))
            },
            header: re(HEADER),
            header_starts: LineStarts::of([
                &regex_syntax::parse(HEADER).expect("period pattern is a valid literal")
            ]),
            months: re(r"(\d{1,2})\s*(?:月份?)?\s*[-—–~～至到]\s*(\d{1,2})\s*月"),
            kind: re(concat!(
                r"前三季度|(?:第一|一|1|首)季度|(?:第二|二|2)季度|(?:第三|三|3)季度|(?:第四|四|4)季度",
                r"|上半年|下半年|全年|年度|一年来|年工作总结|年科技工作总结|下一年|明年",
            )),
            value_here: re(&format!("^(?:{VALUE})")),
            multi_year: re(r"十[一二三四五]五|(?:19|20)\d{2}\s*年?\s*[-—–~～至到]\s*(?:19|20)\d{2}\s*年"),
        }
    })
}

/// Words after 下半年 that make it a plan rather than the period reported on.
const PLAN_AFTER: [&str; 8] = [
    "工作打算",
    "工作计划",
    "工作安排",
    "工作思路",
    "工作重点",
    "打算",
    "计划",
    "重点工作",
];

/// Text without site-header lines, its lines joined by `\n`; most texts
/// have none, and one with no `\r` and no final line break is then not copied.
fn without_headers(text: &str) -> Cow<'_, str> {
    let p = patterns();
    if !text.ends_with('\n')
        && memchr::memchr(b'\r', text.as_bytes()).is_none()
        && !crate::lines::lines(text).any(|l| p.is_header(l))
    {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        crate::lines::lines(text)
            .filter(|l| !p.is_header(l))
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// The characters a masked year is written with (`masked_year` needs two
/// or four of them in a row).
const MASK_CHARS: [char; 5] = ['x', 'X', '×', '＊', '*'];

/// Whether `s` holds one of [`MASK_CHARS`]: most openings hold none, and
/// three byte searches rule the masked-year pattern out faster than its
/// automaton walks the 300 characters (that pattern has no literal of its
/// own to skip ahead with: every year starts with 19 or 20).
fn may_hold_mask(s: &str) -> bool {
    let bytes = s.as_bytes();
    memchr::memchr3(b'x', b'X', b'*', bytes).is_some()
        || memchr::memmem::find(bytes, "×".as_bytes()).is_some()
        || memchr::memmem::find(bytes, "＊".as_bytes()).is_some()
}

/// The first `n` characters of `s`.
fn prefix(s: &str, n: usize) -> &str {
    s.char_indices().nth(n).map_or(s, |(i, _)| &s[..i])
}

/// The kind stated in `s`, with the matched words; the earliest statement wins.
fn find_kind(s: &str) -> Option<(PeriodKind, String)> {
    let p = patterns();
    let mut found: Vec<(usize, PeriodKind, String)> = Vec::new();
    for c in p.months.captures_iter(s) {
        let (Some(all), Some(a), Some(b)) = (c.get(0), c.get(1), c.get(2)) else {
            continue;
        };
        let (Ok(a), Ok(b)) = (a.as_str().parse::<u32>(), b.as_str().parse::<u32>()) else {
            continue;
        };
        let kind = match (a, b) {
            (1, 3) => PeriodKind::Q1,
            (4, 6) => PeriodKind::Q2,
            (7, 9) => PeriodKind::Q3,
            (10, 12) => PeriodKind::Q4,
            (1, 6) => PeriodKind::H1,
            (7, 12) => PeriodKind::H2,
            (1, 12) => PeriodKind::FY,
            (a, b) if a < b && b <= 12 => PeriodKind::Other,
            _ => continue,
        };
        found.push((all.start(), kind, all.as_str().to_string()));
    }
    let mut seen_first_half = false;
    for m in p.kind.find_iter(s) {
        let w = m.as_str();
        let kind = if w == "前三季度" {
            PeriodKind::Other
        } else if w.ends_with("季度") {
            match w.trim_start_matches('第').chars().next() {
                Some('一' | '1' | '首') => PeriodKind::Q1,
                Some('二' | '2') => PeriodKind::Q2,
                Some('三' | '3') => PeriodKind::Q3,
                _ => PeriodKind::Q4,
            }
        } else if w == "上半年" {
            seen_first_half = true;
            PeriodKind::H1
        } else if w == "下半年" {
            let after = &s[m.end()..];
            if seen_first_half || PLAN_AFTER.iter().any(|x| after.starts_with(x)) {
                continue;
            }
            PeriodKind::H2
        } else if w == "下一年" || w == "明年" {
            // "工作总结和下一年工作思路": a year's report with next year's plan.
            if !s[..m.start()].contains("总结") {
                continue;
            }
            PeriodKind::FY
        } else {
            PeriodKind::FY
        };
        found.push((m.start(), kind, w.to_string()));
    }
    found.sort_by_key(|f| f.0);
    found.into_iter().next().map(|(_, k, w)| (k, w))
}

/// The stated year in `s` (with 年; bare years too when `title`).
fn find_year(s: &str, title: bool) -> Option<i32> {
    let p = patterns();
    // A year followed by a period statement ("2018年上半年", "2017年度", "2018年科技工作总结").
    // In a title any year will do; in the opening lines only such a stated year,
    // since the opening also compares with earlier years ("比2017年增长").
    let years: Vec<(i32, usize)> = p
        .year
        .captures_iter(s)
        .filter_map(|c| Some((c.get(1)?.as_str().parse().ok()?, c.get(1)?.end())))
        .collect();
    let stated = years.iter().find(|(_, end)| {
        let next = prefix(&s[*end..], 9);
        find_kind(next).is_some() || next.contains("工作") || next.contains("总结")
    });
    if let Some(&(y, _)) = stated.or(years.first().filter(|_| title)) {
        return Some(y);
    }
    if title {
        let c = p.bare_year.captures(s)?;
        return c.get(1)?.as_str().parse().ok();
    }
    None
}

/// Whether the number of a `value` match (its leading run of digits and
/// points; the unit words that follow are neither) holds `year`.
fn number_holds(value: &str, year: &str) -> bool {
    let end = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(value.len());
    value[..end].contains(year)
}

/// Does `year` look pasted over values somewhere in the text ("12023亿元", "2023项")?
fn pasted_year(text: &str, year: i32) -> Option<String> {
    let y = year.to_string();
    // A match whose number holds the year starts in the run of digits and
    // points around one of the year's occurrences, and no match starting
    // before that run reaches into it (its unit comes first), so the value
    // pattern runs only from those runs, in text order, not over every
    // number of the text.
    let is_number = |b: u8| b.is_ascii_digit() || b == b'.';
    let bytes = text.as_bytes();
    let mut searched_to = 0;
    // The year's occurrences, non-overlapping as `str::match_indices` gives
    // them, with the memchr crate's SIMD search: it runs over the whole text.
    for at in memchr::memmem::find_iter(bytes, y.as_bytes()) {
        let run_start = bytes[..at]
            .iter()
            .rposition(|&b| !is_number(b))
            .map_or(0, |i| i + 1);
        let run_end = bytes[at..]
            .iter()
            .position(|&b| !is_number(b))
            .map_or(text.len(), |i| at + i);
        if run_start < searched_to {
            continue;
        }
        searched_to = run_end;
        if let Some(found) =
            values_starting_in(text, run_start..run_end).find(|value| number_holds(value, &y))
        {
            return Some(found.to_string());
        }
    }
    None
}

/// The matches of [`VALUE`] that an unanchored search of
/// `text[run.start..]` finds starting inside `run`, a run of ASCII digits
/// and points: the pattern anchored at each byte of the run in turn,
/// going on after each match. An unanchored search would go on past the
/// run to the next value anywhere in the text before it could tell.
fn values_starting_in(text: &str, run: std::ops::Range<usize>) -> impl Iterator<Item = &str> {
    let value_here = &patterns().value_here;
    let mut at = run.start;
    std::iter::from_fn(move || {
        while at < run.end {
            // Every byte of the run is ASCII, so `at` is a character boundary.
            match text.get(at..).and_then(|rest| value_here.find(rest)) {
                Some(m) => {
                    let value = &text[at..at + m.end()];
                    at += m.end();
                    return Some(value);
                }
                None => at += 1,
            }
        }
        None
    })
}

/// Resolve the period a report covers from its cleaned text and structure.
pub fn resolve_period(text: &str, structure: &Structure) -> Period {
    let p = patterns();
    let title = without_headers(structure.title.trim());
    let body = without_headers(text);
    let opening = prefix(&body, OPENING_CHARS);
    let mut evidence = Vec::new();

    let mut year = find_year(&title, true).map(|y| (y, "title"));
    let mut kind = None;
    // A five-year-plan or year-range title covers several years: no single year.
    if let Some(m) = p.multi_year.find(&title) {
        year = None;
        kind = Some((PeriodKind::Other, m.as_str().to_string(), "title"));
    }
    if year.is_none() && kind.is_none() {
        year = find_year(opening, false).map(|y| (y, "opening"));
    }
    if kind.is_none() {
        kind = find_kind(&title).map(|(k, w)| (k, w, "title"));
    }
    if kind.is_none() {
        kind = find_kind(opening).map(|(k, w)| (k, w, "opening"));
    }
    if let Some((y, from)) = year {
        evidence.push(format!("{from}: year {y}"));
    }
    if let Some((k, w, from)) = &kind {
        evidence.push(format!("{from}: {w} → {}", k.as_str()));
    }
    let masked = [title.as_ref(), opening]
        .into_iter()
        .any(|s| may_hold_mask(s) && p.masked_year.is_match(s));
    let year_trust = match year {
        None => {
            if masked {
                evidence.push("year masked".to_string());
            }
            YearTrust::Unknown
        }
        Some((y, _)) => match pasted_year(&body, y) {
            Some(v) => {
                evidence.push(format!("year pasted into a value: {v}"));
                YearTrust::Suspect
            }
            None => YearTrust::Sure,
        },
    };
    Period {
        year: year.map(|(y, _)| y),
        kind: kind.map(|(k, _, _)| k),
        year_trust,
        evidence,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn period(title: &str, text: &str) -> (Option<i32>, Option<PeriodKind>, YearTrust) {
        let s = Structure {
            title: title.to_string(),
            ..Structure::default()
        };
        let p = resolve_period(text, &s);
        (p.year, p.kind, p.year_trust)
    }

    #[test]
    fn halves() {
        use PeriodKind::*;
        assert_eq!(
            period("2018年上半年工作总结及下半年工作打算", ""),
            (Some(2018), Some(H1), YearTrust::Sure)
        );
        assert_eq!(period("2019年1-6月科技工作总结", "").1, Some(H1));
        assert_eq!(period("2019年下半年科技工作总结", "").1, Some(H2));
        // 下半年 as a plan only: not the period.
        assert_eq!(period("下半年工作打算", "").1, None);
    }

    #[test]
    fn quarters() {
        use PeriodKind::*;
        assert_eq!(
            period("2018年科技局第一季度工作总结", ""),
            (Some(2018), Some(Q1), YearTrust::Sure)
        );
        assert_eq!(period("2020年一季度工作总结", "").1, Some(Q1));
        assert_eq!(period("2020年1—3月工作总结", "").1, Some(Q1));
        assert_eq!(period("2020年1-3月工作总结", "").1, Some(Q1));
        assert_eq!(period("2020年二季度工作总结", "").1, Some(Q2));
        assert_eq!(period("2020年第三季度工作总结", "").1, Some(Q3));
        assert_eq!(period("2020年四季度工作总结", "").1, Some(Q4));
        assert_eq!(period("2020年前三季度工作总结", "").1, Some(Other));
        assert_eq!(period("2020年1-10月工作总结", "").1, Some(Other));
    }

    #[test]
    fn full_year() {
        use PeriodKind::*;
        assert_eq!(period("2017年度科技工作总结", "").1, Some(FY));
        assert_eq!(period("2017年科技工作总结", "").1, Some(FY));
        assert_eq!(period("科技局工作总结", "一年来，我局……").1, Some(FY));
        assert_eq!(
            period("科技局工作总结", "今年以来，我局全年共完成……").1,
            Some(FY)
        );
        let p = period(
            "区科技局平台建设工作总结和下一年工作思路",
            "全区xxxx年度R&D经费支出达xx.xx亿元",
        );
        assert_eq!(p, (None, Some(FY), YearTrust::Unknown));
        // 十三五 is not a year; a five-year or year-range report is "other".
        assert_eq!(
            period("十三五科技工作总结", ""),
            (None, Some(Other), YearTrust::Unknown)
        );
        assert_eq!(period("2016-2020年科技工作总结", "").0, None);
        assert_eq!(period("2016-2020年科技工作总结", "").1, Some(Other));
        assert_eq!(period("2019年工作总结暨2020年工作计划", "").0, Some(2019));
        assert_eq!(period("2019年工作总结暨2020年工作计划", "").1, Some(FY));
    }

    #[test]
    fn year_from_opening_and_headers_ignored() {
        use PeriodKind::*;
        let text = "时间:2019-06-01\n年上半年科技工作总结\n2018年上半年科技工作总结\n上半年，市科技局全面实施创新驱动发展战略。";
        assert_eq!(
            period("年上半年科技工作总结", text),
            (Some(2018), Some(H1), YearTrust::Sure)
        );
        // 今年以来 alone gives no year.
        assert_eq!(period("科技局工作总结", "今年以来，我局认真落实。").0, None);
        // A comparison year in the opening is not the report's year.
        assert_eq!(
            period("科技局工作总结", "今年以来，全市高企数量比2017年增长20%。").0,
            None
        );
        assert_eq!(
            period(
                "科技局工作总结",
                "现将我局2018年第一季度工作总结如下：与2017年相比有所增长。"
            )
            .0,
            Some(2018)
        );
        // An upload date is not the report's year.
        assert_eq!(
            period(
                "科技局工作总结",
                "发布时间：2019年6月1日\n今年以来，我局认真落实。"
            )
            .0,
            None
        );
    }

    #[test]
    fn every_mask_character_writes_a_masked_year() {
        for c in MASK_CHARS {
            let text = format!("{c}{c}{c}{c}年科技工作总结");
            assert!(patterns().masked_year.is_match(&text), "{text}");
            assert!(may_hold_mask(&text), "{text}");
        }
        assert!(!may_hold_mask("2023年科技工作总结，同比增长12%"));
    }

    /// The value pattern over the whole text: what the search from the
    /// year's runs must equal.
    fn pasted_year_reference(text: &str, year: i32) -> Option<String> {
        let y = year.to_string();
        Regex::new(VALUE)
            .unwrap()
            .find_iter(text)
            .find(|m| number_holds(m.as_str(), &y))
            .map(|m| m.as_str().to_string())
    }

    proptest::proptest! {
        #[test]
        fn pasted_year_equals_a_whole_text_search(text in "(2023|20|23|1|\\.| |年|万|项|余|个|%|，|x){0,16}") {
            proptest::prop_assert_eq!(pasted_year(&text, 2023), pasted_year_reference(&text, 2023));
        }

        /// A text the masked-year pattern matches holds a mask character,
        /// so the byte search before it never turns a masked year away.
        #[test]
        fn a_masked_year_holds_a_mask_character(
            text in "(19|20|2023|x|X|×|＊|\\*|ｘ|年| |科技){0,12}",
        ) {
            if patterns().masked_year.is_match(&text) {
                proptest::prop_assert!(may_hold_mask(&text));
            }
            let has_mask = text.contains(&MASK_CHARS[..]);
            proptest::prop_assert_eq!(may_hold_mask(&text), has_mask);
        }

        /// The text is copied only when it must be: otherwise it equals a
        /// line-by-line filter joined again.
        #[test]
        fn without_headers_equals_a_line_filter(
            text in "(时间|日期|ID|格式|发布时间|大小|:|：| |\u{3000}|\n|\r|\t|2019-06-01|总结|科技局){0,14}",
        ) {
            let reference = text
                .lines()
                .filter(|l| !patterns().header.is_match(l))
                .collect::<Vec<_>>()
                .join("\n");
            let filtered = without_headers(&text);
            proptest::prop_assert_eq!(filtered.as_ref(), reference.as_str());
        }
    }

    #[test]
    fn pasted_year_finds_the_first_value_holding_the_year() {
        for text in [
            "实现产值12023亿元，签订合作协议2023项。",
            "2023年6月，新增12家。",
            "2023.5万元，2023个",
            "共1.2023万元",
            "2023 2023年 20235 项",
        ] {
            assert_eq!(
                pasted_year(text, 2023),
                pasted_year_reference(text, 2023),
                "{text}"
            );
        }
        assert_eq!(
            pasted_year("产值12023亿元", 2023).as_deref(),
            Some("12023亿")
        );
    }

    #[test]
    fn pasted_year_is_suspect() {
        let text = "2023 市区 科技局 上半年 工作总结 报告\n实现产值12023亿元，签订合作协议2023项。";
        let p = period("2023 市区 科技局 上半年 工作总结 报告", text);
        assert_eq!(p, (Some(2023), Some(PeriodKind::H1), YearTrust::Suspect));
        // The same year used as a date only is sure.
        let p = period("2023年上半年工作总结", "2023年6月底，全市新增高企12家。");
        assert_eq!(p.2, YearTrust::Sure);
    }
}
