//! Structure: a cleaned report's title, heading tree and sentences.
//!
//! Work reports follow a fixed outline: 一、 / （一） / 1、 / 1. / （1） / 一是…
//! Headings sit on their own line in tidy documents, or run inline in one long
//! line in scraped ones ("一、工作总结(一)实施科技平台支撑工程,…增强。一是大力…").
//! [`analyze`] finds every heading at a sentence boundary, checks its number
//! continues the sequence of its kind (so "5、6月份" is not a heading), cuts its
//! text at the first 。 or line break, or earlier at an inline sub-heading
//! ("工作总结(一)…") or a space ("下一步工作打算 下一步,我们…"), and builds the
//! tree by marker rank.
//!
//! Each section gets a [`Role`] from its heading words (table in
//! `data/roles.toml`: 下半年工作打算 → plan, 存在问题 → problem), or from a
//! lead-in sentence before a list ("…重点抓好以下工作:" then "1、…"), or from
//! its parent; the root is an achievement. Sentences end at 。！？；!?; or a line
//! break, and at every heading; each points to its innermost section.
//!
//! Main items: [`analyze`] (returns the shared [`Structure`] model type).

use std::collections::BTreeSet;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

use crate::model::{Role, Section, Sentence, Structure};
use crate::word_automata::OverlappingWords;

/// The built-in role keyword table.
pub const BUILTIN_ROLES: &str = include_str!("../data/roles.toml");

#[derive(Debug, Deserialize)]
struct RoleRow {
    role: Role,
    heading: Vec<String>,
    #[serde(default)]
    lead_in: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct RoleTable {
    role: Vec<RoleRow>,
}

/// One list of role keywords (all rows' heading words, or all lead-in words)
/// in one automaton, each word with the first row that lists it.
struct RoleWords {
    /// Every word once, all occurrences (overlapping ones too).
    automaton: OverlappingWords,
    /// For pattern `i`, the index of the first row listing it.
    row: Vec<usize>,
}

impl RoleWords {
    /// The words of one list (`list`) of every row of `table`.
    fn new(table: &RoleTable, list: fn(&RoleRow) -> &[String]) -> RoleWords {
        let mut words: Vec<&str> = Vec::new();
        let mut row = Vec::new();
        for (index, r) in table.role.iter().enumerate() {
            for w in list(r).iter().filter(|w| !w.is_empty()) {
                if !words.contains(&w.as_str()) {
                    words.push(w);
                    row.push(index);
                }
            }
        }
        // A few hundred plain words at most: within every automaton limit.
        let automaton = OverlappingWords::new(&words).expect("role keywords compile");
        RoleWords { automaton, row }
    }

    /// The first row (in table order) with a word in `text`.
    fn first_row(&self, text: &str) -> Option<usize> {
        self.automaton.find(text).map(|m| self.row[m.word]).min()
    }
}

/// The role table with its keyword automata.
struct Roles {
    table: RoleTable,
    heading: RoleWords,
    lead_in: RoleWords,
}

static ROLES: LazyLock<Roles> = LazyLock::new(|| {
    // The table is compiled in; `builtin_roles_parse` tests that it parses.
    let table: RoleTable = toml::from_str(BUILTIN_ROLES).expect("data/roles.toml parses");
    let heading = RoleWords::new(&table, |r| &r.heading);
    let lead_in = RoleWords::new(&table, |r| &r.lead_in);
    Roles {
        table,
        heading,
        lead_in,
    }
});

/// The kinds of heading marker, from the top of the outline down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// 一、
    Chinese = 0,
    /// （一） or (一)
    ParenChinese = 1,
    /// 1、
    Digit = 2,
    /// 1. or 1．
    DigitDot = 3,
    /// （1） or (1)
    ParenDigit = 4,
    /// 一是
    Shi = 5,
}

/// Whether `c` is a Chinese numeral of a heading marker (一 to 十).
fn is_chinese_numeral(c: char) -> bool {
    matches!(
        c,
        '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
    )
}

/// The longest prefix of `s` made of characters for which `keep` holds.
fn run(s: &str, keep: impl Fn(char) -> bool) -> &str {
    let end = s.find(|c: char| !keep(c)).unwrap_or(s.len());
    &s[..end]
}

/// The marker syntax at the start of `s`, by kind (one kind at most can
/// match: the kinds differ in their first or closing character):
///
/// | kind | form |
/// |---|---|
/// | `Chinese` | 1–3 of 一…十, then 、 |
/// | `ParenChinese` | ( or （, 1–3 of 一…十, ) or ） |
/// | `Digit` | 1–2 digits, then 、 |
/// | `DigitDot` | 1–2 digits, then . or ． |
/// | `ParenDigit` | ( or （, 1–2 digits, ) or ） |
/// | `Shi` | 1–2 of 一…十, then 是 |
///
/// Returns the kind, the numeral and the marker's byte length.
fn marker_syntax(s: &str) -> Option<(Kind, &str, usize)> {
    // Every form starts with a bracket, a digit or a numeral; most places
    // a heading may start (after every comma and space) hold none.
    let first = s.chars().next()?;
    if !(matches!(first, '(' | '（') || first.is_ascii_digit() || is_chinese_numeral(first)) {
        return None;
    }
    let count = |t: &str| t.chars().count();
    if let Some(inner) = s.strip_prefix(['(', '（']) {
        let open = s.len() - inner.len();
        let digits = run(inner, |c| c.is_ascii_digit());
        let (kind, raw) = if !digits.is_empty() {
            (Kind::ParenDigit, digits)
        } else {
            (Kind::ParenChinese, run(inner, is_chinese_numeral))
        };
        let max = if kind == Kind::ParenDigit { 2 } else { 3 };
        if raw.is_empty() || count(raw) > max {
            return None;
        }
        let close = inner[raw.len()..].chars().next()?;
        return matches!(close, ')' | '）')
            .then(|| (kind, raw, open + raw.len() + close.len_utf8()));
    }
    let digits = run(s, |c| c.is_ascii_digit());
    if !digits.is_empty() {
        let next = s[digits.len()..].chars().next()?;
        let kind = match next {
            '、' => Kind::Digit,
            '.' | '．' => Kind::DigitDot,
            _ => return None,
        };
        return (digits.len() <= 2).then(|| (kind, digits, digits.len() + next.len_utf8()));
    }
    let numerals = run(s, is_chinese_numeral);
    let next = s[numerals.len()..].chars().next()?;
    let (kind, max) = match next {
        '、' => (Kind::Chinese, 3),
        '是' => (Kind::Shi, 2),
        _ => return None,
    };
    (!numerals.is_empty() && count(numerals) <= max)
        .then(|| (kind, numerals, numerals.len() + next.len_utf8()))
}

static YEAR_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    // A constant pattern.
    Regex::new(r"^\d{2,4}年").unwrap()
});

/// Words that make a short line look like a report title.
const TITLE_WORDS: [&str; 10] = [
    "总结", "工作", "汇报", "报告", "要点", "计划", "打算", "思路", "述职", "情况",
];
/// File extensions sharing sites leave on titles.
const FILE_SUFFIXES: [&str; 6] = [".docx", ".doc", ".pdf", ".wps", ".txt", ".pptx"];
/// Characters after which a heading may start.
const BOUNDARY_BEFORE: &[char] = &[
    '\n', '。', '！', '？', '；', '!', '?', ';', '：', ':', ' ', '\t',
];
/// Characters that end a heading's text.
const HEADING_END: &[char] = &['。', '！', '？', '；', '!', '?', ';', '\n'];
/// Characters that end a sentence (kept in it).
const SENTENCE_END: &[char] = &['。', '！', '？', '；', '!', '?', ';'];
/// Where sentences break: their ends and line breaks.
const SENTENCE_BREAKS: &[char] = &['。', '！', '？', '；', '!', '?', ';', '\n'];

/// The characters of one set, found in a text with aho-corasick's SIMD
/// search of several short strings (Teddy): most of a report is Han text
/// with no break for a dozen characters, and the search passes over it many
/// bytes at a time rather than one. The packed searcher is used on its own:
/// breaks come every few dozen bytes, and the full `AhoCorasick` prepares
/// each search at a cost close to that of the search itself.
///
/// The set is searched in parts, one per length of its characters in UTF-8.
/// Teddy tells candidates apart by as many leading bytes as its shortest
/// pattern has: searched with `\n` and `;`, the full-width `。` and `；` are
/// known by their first byte only, which every full-width comma, colon and
/// bracket shares, and each of those would be checked by hand. Searched on
/// their own, they are known by all three bytes.
struct CharFinder {
    /// One searcher per length of the set's characters, shortest first.
    parts: Vec<Part>,
}

/// The characters of one length of a [`CharFinder`]'s set, with their searcher.
struct Part {
    /// The characters as patterns, in the set's order.
    searcher: Searcher,
    /// The characters, indexed by pattern.
    chars: Vec<char>,
}

/// Teddy on its own where the CPU has the SIMD instructions it needs (every
/// x86-64 CPU of the last fifteen years, and ARM's NEON); the full automaton
/// elsewhere.
enum Searcher {
    Packed(aho_corasick::packed::Searcher),
    Automaton(aho_corasick::AhoCorasick),
}

impl CharFinder {
    /// The finder of `chars`, a short set of characters.
    fn new(chars: &[char]) -> CharFinder {
        CharFinder::by_length(chars, Part::new)
    }

    /// The finder of `chars` through the full automaton.
    #[cfg(test)]
    fn with_automaton(chars: &[char]) -> CharFinder {
        CharFinder::by_length(chars, Part::with_automaton)
    }

    /// `chars` split by their length in UTF-8, each part built by `part`.
    fn by_length(chars: &[char], part: fn(Vec<char>) -> Part) -> CharFinder {
        let mut lengths: Vec<usize> = chars.iter().map(|c| c.len_utf8()).collect();
        lengths.sort_unstable();
        lengths.dedup();
        let parts = lengths
            .into_iter()
            .map(|len| {
                part(
                    chars
                        .iter()
                        .copied()
                        .filter(|c| c.len_utf8() == len)
                        .collect(),
                )
            })
            .collect();
        CharFinder { parts }
    }
}

impl Part {
    /// Teddy for `chars` when it can be built, else the full automaton.
    fn new(chars: Vec<char>) -> Part {
        let patterns: Vec<String> = chars.iter().map(char::to_string).collect();
        let packed = aho_corasick::packed::Config::new()
            .match_kind(aho_corasick::packed::MatchKind::LeftmostFirst)
            .builder()
            .extend(&patterns)
            .build();
        match packed {
            Some(searcher) => Part {
                searcher: Searcher::Packed(searcher),
                chars,
            },
            None => Part::with_automaton(chars),
        }
    }

    /// The full automaton for `chars`.
    fn with_automaton(chars: Vec<char>) -> Part {
        let patterns: Vec<String> = chars.iter().map(char::to_string).collect();
        let automaton = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostFirst)
            .build(&patterns)
            // A dozen one-character patterns are far below every limit of
            // the builder, and the sets are constants.
            .expect("a short set of characters always builds");
        Part {
            searcher: Searcher::Automaton(automaton),
            chars,
        }
    }

    /// The first character of the part in `text[at..]`: its byte offset and
    /// the offset after it.
    fn find_at(&self, text: &str, at: usize) -> Option<(usize, usize, char)> {
        let span = at..text.len();
        let (start, end, pattern) = match &self.searcher {
            Searcher::Packed(searcher) => searcher
                .find_in(text, span.into())
                .map(|m| (m.start(), m.end(), m.pattern()))?,
            Searcher::Automaton(automaton) => automaton
                .find(aho_corasick::Input::new(text).span(span))
                .map(|m| (m.start(), m.end(), m.pattern()))?,
        };
        // One pattern per character of the part, in its order.
        Some((start, end, self.chars[pattern.as_usize()]))
    }
}

/// The characters of `finder`'s set in `text` with their byte offsets, in
/// order: `text.char_indices().filter(|(_, c)| set.contains(c))`. The
/// characters are distinct whole characters, so matches never overlap and
/// each starts on a character boundary; the parts' matches, each part
/// searched on from its own last match, are merged by offset.
fn chars_of<'a>(text: &'a str, finder: &'a CharFinder) -> impl Iterator<Item = (usize, char)> + 'a {
    let mut next: Vec<Option<(usize, usize, char)>> = finder
        .parts
        .iter()
        .map(|part| part.find_at(text, 0))
        .collect();
    std::iter::from_fn(move || {
        let (k, (start, end, c)) = next
            .iter()
            .enumerate()
            .filter_map(|(k, found)| Some((k, (*found)?)))
            .min_by_key(|(_, (start, _, _))| *start)?;
        next[k] = finder.parts[k].find_at(text, end);
        Some((start, c))
    })
}

/// The finder of [`BOUNDARY_BEFORE`].
static BOUNDARY_FINDER: std::sync::LazyLock<CharFinder> =
    std::sync::LazyLock::new(|| CharFinder::new(BOUNDARY_BEFORE));

/// The [`BOUNDARY_BEFORE`] characters of `text` with their byte offsets, in
/// order: where headings may start, and (those of [`SENTENCE_BREAKS`], a
/// subset) where sentences end. One search serves both.
fn boundaries(text: &str) -> Vec<(usize, char)> {
    chars_of(text, &BOUNDARY_FINDER).collect()
}

/// Where a heading may start by what precedes it: 0, then every offset right
/// after one of `boundaries` (see [`boundaries`]) that is not the end of `text`.
fn boundary_starts<'a>(
    text: &'a str,
    boundaries: &'a [(usize, char)],
) -> impl Iterator<Item = usize> + 'a {
    std::iter::once(0).chain(
        boundaries
            .iter()
            .map(|&(i, c)| i + c.len_utf8())
            .filter(|&i| i < text.len()),
    )
}

/// The value of a Chinese numeral from 一 to 九十九.
fn chinese_number(s: &str) -> Option<u32> {
    let digit = |c: char| "一二三四五六七八九".find(c).map(|i| i as u32 / 3 + 1);
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        [c] if *c == '十' => Some(10),
        [c] => digit(*c),
        ['十', u] => digit(*u).map(|u| 10 + u),
        [t, '十'] => digit(*t).map(|t| t * 10),
        [t, '十', u] => Some(digit(*t)? * 10 + digit(*u)?),
        _ => None,
    }
}

/// "2023年…": four digits and 年, a year that may open a heading.
fn starts_with_year(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 7 && b[..4].iter().all(u8::is_ascii_digit) && s[4..].starts_with('年')
}

/// A marker at the very start of `s`: kind, number, byte length.
fn marker_at(s: &str) -> Option<(Kind, u32, usize)> {
    let (kind, raw, len) = marker_syntax(s)?;
    let number = match kind {
        Kind::Chinese | Kind::ParenChinese | Kind::Shi => chinese_number(raw)?,
        _ => raw.parse().ok()?,
    };
    let next = s[len..].chars().next();
    // "一、二季度", "1、2月", "4.2世界知识产权日", "1.5万元" are not headings;
    // "三、2023年工作打算" is.
    let bad_next = match kind {
        Kind::Chinese | Kind::Digit => {
            next.is_some_and(|n| n.is_ascii_digit() || is_chinese_numeral(n))
                && !starts_with_year(&s[len..])
        }
        Kind::DigitDot => next.is_none_or(|n| n.is_ascii_alphanumeric() || n == '%'),
        _ => false,
    };
    if bad_next || number == 0 {
        return None;
    }
    Some((kind, number, len))
}

/// The role a heading's words give it, if any.
fn heading_role(heading: &str) -> Option<Role> {
    let row = ROLES.heading.first_row(heading)?;
    Some(ROLES.table.role[row].role)
}

/// The role a lead-in sentence ending in a colon right before `at` gives a list.
fn lead_in_role(text: &str, at: usize) -> Option<Role> {
    let before = text[..at].trim_end();
    if !(before.ends_with(':') || before.ends_with('：')) {
        return None;
    }
    let start = before
        .rfind(|c: char| SENTENCE_END.contains(&c) || c == '\n')
        .map_or(0, |i| {
            i + before[i..].chars().next().map_or(1, char::len_utf8)
        });
    let sentence = &before[start..];
    let row = ROLES.lead_in.first_row(sentence)?;
    Some(ROLES.table.role[row].role)
}

/// Where a heading's text ends, and whether it ends at an inline sub-heading.
fn heading_end(text: &str, from: usize, kind: Kind) -> (usize, bool) {
    let rest = &text[from..];
    let hard = rest.find(HEADING_END).map_or(text.len(), |i| from + i);
    if kind == Kind::Shi {
        return (hard, false);
    }
    let mut cut = hard;
    let mut at_marker = false;
    let mut prev: Option<char> = None;
    for (i, c) in text[from..hard].char_indices() {
        let pos = from + i;
        if i > 0 && (c == ' ' || c == '\t') && text[from..pos].chars().count() >= 2 {
            cut = pos;
            break;
        }
        if i > 0 {
            if let Some((k, n, _)) = marker_at(&text[pos..]) {
                let after_digit = prev.is_some_and(|p| p.is_ascii_digit() || p == '.');
                let shi_ok = k != Kind::Shi || matches!(prev, Some(':' | '：' | ',' | '，'));
                if k > kind && n == 1 && !after_digit && shi_ok {
                    cut = pos;
                    at_marker = true;
                    break;
                }
            }
        }
        prev = Some(c);
    }
    (cut, at_marker)
}

/// Candidate title from one line: the line itself, or its first
/// space-separated segment when the line runs on into the body.
fn title_like(s: &str) -> Option<String> {
    let mut t = s.trim();
    for suffix in FILE_SUFFIXES {
        // The suffixes are lower-case ASCII, so the cut falls on a character
        // boundary; compared in place, not on a lower-cased copy of the line.
        let cut = t.len().saturating_sub(suffix.len());
        if cut > 0 && t.as_bytes()[cut..].eq_ignore_ascii_case(suffix.as_bytes()) {
            t = &t[..cut];
            break;
        }
    }
    let n = t.chars().count();
    let ok = (4..=60).contains(&n)
        && TITLE_WORDS.iter().any(|w| t.contains(w))
        && !t.contains(['。', ',', '，', ';', '；', ':', '：'])
        && marker_at(t).is_none();
    ok.then(|| t.trim().to_string())
}

/// The report's title: the first title-like line among the leading lines,
/// replaced by a later title-like line that repeats it more fully or more
/// plainly ("年上半年科技工作总结" → "2018年上半年科技工作总结"; a site's
/// "2023年…报告.docx" → the body's own "…报告").
fn find_title(text: &str) -> String {
    let mut candidates: Vec<String> = Vec::new();
    for line in crate::lines::lines(text)
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(8)
    {
        if marker_at(line).is_some_and(|(k, _, _)| k <= Kind::ParenChinese) {
            break;
        }
        if let Some(t) = title_like(line) {
            candidates.push(t);
            continue;
        }
        let body = line.contains(['。', ',', '，']) || line.chars().count() > 60;
        if body {
            if let Some((first, rest)) = line.split_once([' ', '\t']) {
                if !rest.trim().is_empty() {
                    if let Some(t) = title_like(first) {
                        candidates.push(t);
                    }
                }
            }
            break;
        }
    }
    let Some(first) = candidates.first() else {
        return String::new();
    };
    let core = |s: &str| {
        YEAR_PREFIX
            .replace(s, "")
            .trim_start_matches('年')
            .to_string()
    };
    let mut title = first.clone();
    for c in &candidates[1..] {
        let (a, b) = (core(first), core(c));
        if !a.is_empty() && !b.is_empty() && (a.contains(&b) || b.contains(&a)) {
            title = c.clone();
        }
    }
    title
}

/// One accepted heading before the tree is built.
struct Heading {
    start: usize,
    kind: Kind,
    marker: String,
    text: String,
    lead: Option<Role>,
}

/// A top-level heading that ran on into its body without a full stop
/// ("下步工作打算下半年,科技局将继续…") ends right after a role keyword found
/// near its start ("下步工作打算") when a comma follows the keyword.
fn shorten_run_on(heading: String) -> String {
    const LONG: usize = 15;
    const NEAR: usize = 20;
    if heading.chars().count() <= LONG {
        return heading;
    }
    let near = heading
        .char_indices()
        .nth(NEAR)
        .map_or(heading.len(), |(i, _)| i);
    // The end of each keyword's first occurrence, if it starts near the
    // start; the furthest such end.
    let words = &ROLES.heading;
    let mut seen = vec![false; words.row.len()];
    let end = words
        .automaton
        .find(&heading)
        .filter(|m| !std::mem::replace(&mut seen[m.word], true))
        .filter(|m| m.start < near)
        .map(|m| m.end)
        .max();
    match end {
        Some(end) if heading[end..].contains([',', '，']) => heading[..end].to_string(),
        _ => heading,
    }
}

/// The state of a heading search: the headings found so far and what the
/// next candidate is judged against.
struct HeadingSearch<'a> {
    text: &'a str,
    out: Vec<Heading>,
    /// Offsets where an inline sub-heading cut a heading short: a heading may
    /// start there whatever precedes it. Always ahead of the scan.
    forced: BTreeSet<usize>,
    last_num: [u32; 6],
    lead: [Option<Role>; 6],
    skip_until: usize,
}

impl<'a> HeadingSearch<'a> {
    fn new(text: &'a str) -> Self {
        HeadingSearch {
            text,
            out: Vec::new(),
            forced: BTreeSet::new(),
            last_num: [0; 6],
            lead: [None; 6],
            skip_until: 0,
        }
    }

    /// Take the heading starting at `i`, a place a heading may start, if
    /// there is one that continues its list.
    fn try_at(&mut self, i: usize) {
        let text = self.text;
        let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
            return;
        };
        let line_start = i == 0 || text.as_bytes()[i - 1] == b'\n';
        if i < self.skip_until {
            return;
        }
        let digit_items = self.last_num[Kind::Digit as usize];
        let found = marker_at(&text[i..]).or_else(|| {
            // "、进一步抓好…" at a line start inside a 1、 2、 list: the digit was
            // lost in the source; the item still continues the list.
            let lost = line_start
                && digit_items > 0
                && c == '、'
                && text[i + c.len_utf8()..]
                    .chars()
                    .next()
                    .is_some_and(|n| !n.is_ascii_digit() && !n.is_whitespace());
            lost.then_some((Kind::Digit, digit_items + 1, c.len_utf8()))
        });
        let Some((kind, n, len)) = found else {
            return;
        };
        let r = kind as usize;
        let last = self.last_num[r];
        let continues = n == 1 || (last > 0 && n > last && n <= last + 2);
        if !continues {
            return;
        }
        self.last_num[r] = n;
        for k in r + 1..6 {
            self.last_num[k] = 0;
            self.lead[k] = None;
        }
        if n == 1 {
            self.lead[r] = lead_in_role(text, i);
        }
        let body_start = i + len;
        let (end, at_marker) = heading_end(text, body_start, kind);
        if at_marker {
            self.forced.insert(end);
        }
        let mut heading = text[body_start..end]
            .trim()
            .trim_end_matches([',', '，', ':', '：', '、'])
            .to_string();
        if kind <= Kind::ParenChinese {
            heading = shorten_run_on(heading);
        }
        self.out.push(Heading {
            start: i,
            kind,
            marker: text[i..body_start].to_string(),
            text: heading,
            lead: self.lead[r],
        });
        self.skip_until = body_start;
    }
}

/// Find every heading in document order, given the text's [`boundaries`].
fn find_headings(text: &str, boundaries: &[(usize, char)]) -> Vec<Heading> {
    let mut search = HeadingSearch::new(text);
    let mut natural = boundary_starts(text, boundaries).peekable();
    loop {
        // The next place a heading may start: after a boundary character, or
        // where an inline sub-heading cut the previous heading short.
        let i = match (natural.peek().copied(), search.forced.first().copied()) {
            (None, None) => break,
            (Some(a), f) if f.is_none_or(|f| a <= f) => {
                natural.next();
                if f == Some(a) {
                    search.forced.pop_first();
                }
                a
            }
            _ => match search.forced.pop_first() {
                Some(f) => f,
                None => break,
            },
        };
        search.try_at(i);
    }
    search.out
}

/// Analyse cleaned text: title, section tree with roles, sentences.
///
/// Section 0 is the root (level 0, marker "", heading = title, span = the
/// whole text, role achievement). Spans are byte ranges into `text`.
pub fn analyze(text: &str) -> Structure {
    let title = find_title(text);
    let boundaries = boundaries(text);
    let headings = find_headings(text, &boundaries);
    let mut sections = Vec::with_capacity(headings.len() + 1);
    sections.push(Section {
        heading: title.clone(),
        marker: String::new(),
        level: 0,
        parent: None,
        role: Role::Achievement,
        span: 0..text.len(),
    });
    // Stack of open sections: (kind, index).
    let mut stack: Vec<(Kind, usize)> = Vec::new();
    for h in headings {
        while stack.last().is_some_and(|(k, _)| *k >= h.kind) {
            stack.pop();
        }
        let parent = stack.last().map_or(0, |(_, i)| *i);
        let level = stack.len() + 1;
        let own = if level <= 2 {
            heading_role(&h.text)
        } else {
            None
        };
        let role = own.or(h.lead).unwrap_or(sections[parent].role);
        sections.push(Section {
            heading: h.text,
            marker: h.marker,
            level: u8::try_from(level).unwrap_or(u8::MAX),
            parent: Some(parent),
            role,
            span: h.start..text.len(),
        });
        stack.push((h.kind, sections.len() - 1));
    }
    close_sections(&mut sections);
    let sentences = split_sentences(text, &sections, &boundaries);
    Structure {
        title,
        sections,
        sentences,
    }
}

/// End every section where the next section of the same or a higher level
/// starts (the last ones run to the end of the text). One pass with a stack of
/// open sections, whose levels rise from bottom to top: a new section closes
/// exactly the open ones at its level or deeper.
fn close_sections(sections: &mut [Section]) {
    let mut open: Vec<usize> = Vec::new();
    for i in 1..sections.len() {
        let (level, start) = (sections[i].level, sections[i].span.start);
        while let Some(&top) = open.last() {
            if sections[top].level < level {
                break;
            }
            sections[top].span.end = start;
            open.pop();
        }
        open.push(i);
    }
}

/// Heading starts in order, without repeats, for a scan that consumes them as
/// it passes them (one comparison per character instead of a set lookup).
fn heading_starts(sections: &[Section]) -> Vec<usize> {
    let mut starts: Vec<usize> = sections[1..].iter().map(|s| s.span.start).collect();
    starts.sort_unstable();
    starts.dedup();
    starts
}

/// Add the sentence in `piece` of `text`, trimmed, with its innermost section;
/// nothing when it holds no letter or digit.
fn push_sentence(text: &str, sections: &[Section], piece: Range<usize>, out: &mut Vec<Sentence>) {
    let from = piece.start;
    let piece = &text[piece];
    let after_lead = piece.trim_start();
    let lead = piece.len() - after_lead.len();
    let trimmed = after_lead.trim_end();
    // A sentence nearly always opens with a Han character of the basic
    // block, every one of them a letter: no look-up in Unicode's tables.
    let opens_with_han = trimmed
        .chars()
        .next()
        .is_some_and(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    if !opens_with_han && !trimmed.chars().any(char::is_alphanumeric) {
        return;
    }
    let span = from + lead..from + lead + trimmed.len();
    let section = innermost_section(sections, span.start);
    out.push(Sentence { span, section });
}

/// The innermost section holding byte `at`: the last one that starts at or
/// before it and has not ended (a section of no length holds its start).
/// Sections come in order of their starts, so the search begins at the last
/// one starting at or before `at` and walks back only past closed ones.
fn innermost_section(sections: &[Section], at: usize) -> usize {
    let started = sections.partition_point(|s| s.span.start <= at);
    sections[..started]
        .iter()
        .rposition(|s| at < s.span.end.max(s.span.start + 1))
        .unwrap_or(0)
}

/// Split into sentences at 。！？；!?; (kept), line breaks and heading starts,
/// given the text's [`boundaries`].
fn split_sentences(
    text: &str,
    sections: &[Section],
    boundaries: &[(usize, char)],
) -> Vec<Sentence> {
    let mut starts = heading_starts(sections).into_iter().peekable();
    // Room for a sentence every 64 bytes (about 21 Han characters), so a
    // report's list seldom grows.
    let mut out = Vec::with_capacity(text.len() / 64 + 1);
    let mut begin = 0usize;
    let push = |from: usize, to: usize, out: &mut Vec<Sentence>| {
        push_sentence(text, sections, from..to, out)
    };
    let breaks = boundaries
        .iter()
        .copied()
        .filter(|(_, c)| SENTENCE_BREAKS.contains(c));
    for (i, c) in breaks {
        // Heading starts up to this break cut the sentence too.
        while let Some(start) = starts.next_if(|&start| start <= i) {
            if start > begin {
                push(begin, start, &mut out);
                begin = start;
            }
        }
        if c == '\n' {
            push(begin, i, &mut out);
            begin = i + 1;
        } else {
            let end = i + c.len_utf8();
            push(begin, end, &mut out);
            begin = end;
        }
    }
    for start in starts {
        if start > begin && start < text.len() {
            push(begin, start, &mut out);
            begin = start;
        }
    }
    if begin < text.len() {
        push(begin, text.len(), &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The marker forms as regular expressions, in kind order: the reference
    /// [`marker_syntax`] is held to.
    fn reference_syntax(s: &str) -> Option<(Kind, &str, usize)> {
        const KINDS: [(Kind, &str); 6] = [
            (Kind::Chinese, r"^([一二三四五六七八九十]{1,3})、"),
            (
                Kind::ParenChinese,
                r"^[(（]([一二三四五六七八九十]{1,3})[)）]",
            ),
            (Kind::Digit, r"^([0-9]{1,2})、"),
            (Kind::DigitDot, r"^([0-9]{1,2})[.．]"),
            (Kind::ParenDigit, r"^[(（]([0-9]{1,2})[)）]"),
            (Kind::Shi, r"^([一二三四五六七八九十]{1,2})是"),
        ];
        KINDS.iter().find_map(|(kind, pattern)| {
            let c = Regex::new(pattern).unwrap().captures(s)?;
            Some((*kind, c.get(1)?.as_str(), c.get(0)?.len()))
        })
    }

    proptest::proptest! {
        #[test]
        fn marker_syntax_equals_the_patterns(s in "[(（)）一二三十0-9、.．是x ]{0,6}") {
            proptest::prop_assert_eq!(marker_syntax(&s), reference_syntax(&s));
        }
    }

    #[test]
    fn marker_syntax_on_every_kind() {
        for s in [
            "一、",
            "十二、x",
            "（三）",
            "(十一)",
            "3、",
            "12.",
            "1．",
            "（2）",
            "(10)",
            "二是",
            "一二三四、",
            "123、",
            "（1",
            "一是",
            "十一是",
            "一二三是",
            "1 、",
            "(a)",
        ] {
            assert_eq!(marker_syntax(s), reference_syntax(s), "{s}");
        }
    }

    fn headings(s: &Structure) -> Vec<(u8, &str, &str, Role)> {
        s.sections[1..]
            .iter()
            .map(|x| (x.level, x.marker.as_str(), x.heading.as_str(), x.role))
            .collect()
    }

    #[test]
    fn role_automata_agree_with_a_search_per_keyword() {
        let table = &ROLES.table;
        let reference_role = |text: &str, list: fn(&RoleRow) -> &Vec<String>| {
            table
                .role
                .iter()
                .find(|row| list(row).iter().any(|k| text.contains(k.as_str())))
                .map(|row| row.role)
        };
        let reference_shorten = |heading: &str| {
            let near = heading
                .char_indices()
                .nth(20)
                .map_or(heading.len(), |(i, _)| i);
            let end = table
                .role
                .iter()
                .flat_map(|row| row.heading.iter())
                .filter_map(|k| {
                    heading
                        .find(k.as_str())
                        .filter(|&at| at < near)
                        .map(|at| at + k.len())
                })
                .max();
            match end {
                Some(end)
                    if heading.chars().count() > 15 && heading[end..].contains([',', '，']) =>
                {
                    heading[..end].to_string()
                }
                _ => heading.to_string(),
            }
        };
        let mut texts: Vec<String> = vec![
            "下步工作打算下半年,科技局将继续推进下一步工作".into(),
            "存在问题及下一步打算".into(),
            "下半年,市科技局将重点抓好以下工作".into(),
            "工作建议".into(),
            "二、存在的问题和不足".into(),
            "今后工作思路".into(),
        ];
        texts.extend(crate::test_lines::seed_lines());
        let mut roles = 0;
        for text in &texts {
            let want = reference_role(text, |r| &r.heading);
            assert_eq!(heading_role(text), want, "{text}");
            roles += usize::from(want.is_some());
            assert_eq!(
                ROLES.lead_in.first_row(text).map(|r| table.role[r].role),
                reference_role(text, |r| &r.lead_in),
                "{text}"
            );
            assert_eq!(
                shorten_run_on(text.clone()),
                reference_shorten(text),
                "{text}"
            );
        }
        // The hand-made lines alone give five (the seeds may be absent).
        assert!(roles >= 5, "{roles}");
    }

    #[test]
    fn builtin_roles_parse() {
        let table: RoleTable = toml::from_str(BUILTIN_ROLES).unwrap();
        assert!(table.role.iter().any(|r| r.role == Role::Plan));
        assert!(table.role.iter().any(|r| r.role == Role::Problem));
    }

    #[test]
    fn chinese_numbers() {
        assert_eq!(chinese_number("一"), Some(1));
        assert_eq!(chinese_number("十"), Some(10));
        assert_eq!(chinese_number("十二"), Some(12));
        assert_eq!(chinese_number("二十"), Some(20));
        assert_eq!(chinese_number("二十三"), Some(23));
        assert_eq!(chinese_number("十十"), None);
    }

    #[test]
    fn headings_on_their_own_lines() {
        let text = "2018年科技局第一季度工作总结\n一、主要工作进展情况\n(一)加强企业创新能力建设,积极培育高新技术企业。\n年初,我局走访企业。截止至2月底,培育入库高企1家。\n(二)引导企业开展科研项目申报。\n支持企业申报市级科研项目3项。\n二、存在问题\n财政没有安排扶持资金。\n三、第二季度工作安排\n1、继续走访企业。\n2、开展科技活动周活动。组织企业参加展览。";
        let s = analyze(text);
        assert_eq!(s.title, "2018年科技局第一季度工作总结");
        assert_eq!(
            headings(&s),
            vec![
                (1, "一、", "主要工作进展情况", Role::Achievement),
                (
                    2,
                    "(一)",
                    "加强企业创新能力建设,积极培育高新技术企业",
                    Role::Achievement
                ),
                (2, "(二)", "引导企业开展科研项目申报", Role::Achievement),
                (1, "二、", "存在问题", Role::Problem),
                (1, "三、", "第二季度工作安排", Role::Plan),
                (2, "1、", "继续走访企业", Role::Plan),
                (2, "2、", "开展科技活动周活动", Role::Plan),
            ]
        );
        assert_eq!(s.sections[2].parent, Some(1));
        assert_eq!(s.sections[6].parent, Some(5));
        // Spans nest: 一、 covers (一) and (二) and stops at 二、.
        assert_eq!(s.sections[1].span.end, s.sections[4].span.start);
        assert!(text[s.sections[2].span.clone()].ends_with("培育入库高企1家。\n"));
        // Every sentence points to its innermost section.
        let find = |needle: &str| {
            s.sentences
                .iter()
                .find(|x| text[x.span.clone()].contains(needle))
                .map(|x| x.section)
                .unwrap()
        };
        assert_eq!(find("培育入库高企1家"), 2);
        assert_eq!(find("财政没有安排"), 4);
        assert_eq!(find("组织企业参加展览"), 7);
        assert_eq!(find("2018年科技局第一季度工作总结"), 0);
        assert_eq!(
            s.section_path(7),
            "三、第二季度工作安排 / 2、开展科技活动周活动"
        );
    }

    #[test]
    fn inline_headings_in_one_long_line() {
        let text = "2018年上半年工作总结及下半年工作打算\n今年以来,科技局认真落实部署。一、工作总结(一)实施科技平台支撑工程,科技创新能力进一步增强。一是大力拓展高层次平台建设。推荐省级工程技术研究中心4家。二是扎实推进国家高新区升建工作。(二)实施科技项目扶持工程,产业升级能力进一步提高。一是狠抓项目申报实施。二、下步工作打算下半年,科技局将继续围绕中心工作。(一)扎实做好一区一园三中心建设。一是继续推进。";
        let s = analyze(text);
        assert_eq!(s.title, "2018年上半年工作总结及下半年工作打算");
        let h = headings(&s);
        assert_eq!(h[0], (1, "一、", "工作总结", Role::Achievement));
        assert_eq!(
            h[1],
            (
                2,
                "(一)",
                "实施科技平台支撑工程,科技创新能力进一步增强",
                Role::Achievement
            )
        );
        assert_eq!(
            h[2],
            (3, "一是", "大力拓展高层次平台建设", Role::Achievement)
        );
        assert_eq!(
            h[3],
            (3, "二是", "扎实推进国家高新区升建工作", Role::Achievement)
        );
        assert_eq!(h[4].1, "(二)");
        assert_eq!(h[5], (3, "一是", "狠抓项目申报实施", Role::Achievement));
        assert_eq!(h[6], (1, "二、", "下步工作打算", Role::Plan));
        assert_eq!((h[7].0, h[7].1, h[7].3), (2, "(一)", Role::Plan));
        assert_eq!((h[8].0, h[8].1, h[8].3), (3, "一是", Role::Plan));
        assert_eq!(h.len(), 9);
        let four = s
            .sentences
            .iter()
            .find(|x| text[x.span.clone()].contains("4家"))
            .unwrap();
        assert_eq!(s.sections[four.section].heading, "大力拓展高层次平台建设");
    }

    #[test]
    fn space_separated_inline_headings_and_sub_markers() {
        let text = "市区科技局上半年工作总结报告 今年以来,区科技局围绕中心工作。 一、主要工作开展情况 (一)高新技术产业快速开展。围绕石油装备等产业。 二、下一步工作打算 下一步,我们将做好以下工作。 (一)加强产学研合作。三、打造大格局,科技各项工作齐头并进1、牵头抓好高新产业发展。加强摸排。2、着力抓好重点项目进展。";
        let s = analyze(text);
        assert_eq!(s.title, "市区科技局上半年工作总结报告");
        let h = headings(&s);
        assert_eq!(h[0], (1, "一、", "主要工作开展情况", Role::Achievement));
        assert_eq!(h[1], (2, "(一)", "高新技术产业快速开展", Role::Achievement));
        assert_eq!(h[2], (1, "二、", "下一步工作打算", Role::Plan));
        assert_eq!(h[3], (2, "(一)", "加强产学研合作", Role::Plan));
        assert_eq!(
            h[4],
            (
                1,
                "三、",
                "打造大格局,科技各项工作齐头并进",
                Role::Achievement
            )
        );
        assert_eq!(h[5], (2, "1、", "牵头抓好高新产业发展", Role::Achievement));
        assert_eq!(h[6], (2, "2、", "着力抓好重点项目进展", Role::Achievement));
    }

    #[test]
    fn run_on_headings_end_after_their_role_keyword() {
        assert_eq!(
            shorten_run_on("下步工作打算下半年,科技局将继续围绕中心工作".into()),
            "下步工作打算"
        );
        assert_eq!(
            shorten_run_on("明年工作重点和主要措施安排".into()),
            "明年工作重点和主要措施安排"
        );
        assert_eq!(
            shorten_run_on("存在问题及下一步工作打算".into()),
            "存在问题及下一步工作打算"
        );
        let long = "实施科技平台支撑工程,科技创新能力进一步增强";
        assert_eq!(shorten_run_on(long.into()), long);
    }

    #[test]
    fn headings_may_open_with_a_year() {
        let s = analyze("河口区科技局工作总结\n一、2022年工作开展情况\n全年专利申请量612件。\n二、存在问题\n人才不足。\n三、2023年工作打算\n力争新增高新技术企业15家。\n");
        let roles: Vec<_> = s
            .sections
            .iter()
            .skip(1)
            .map(|x| (x.marker.as_str(), x.role))
            .collect();
        assert_eq!(
            roles,
            [
                ("一、", Role::Achievement),
                ("二、", Role::Problem),
                ("三、", Role::Plan)
            ]
        );
    }

    #[test]
    fn numbers_that_are_not_headings() {
        let text = "总结\n今年5、6月份完成验收。围绕4.2世界知识产权日开展活动。\n一、二季度完成投资1.5亿元。\n5、6月份开展培训。\n3.5万元到位。";
        let s = analyze(text);
        assert_eq!(s.sections.len(), 1, "{:?}", headings(&s));
    }

    #[test]
    fn all_marker_kinds_nest_in_rank_order() {
        let text = "一、总体情况\n（一）平台建设\n1、孵化器\n1. 省级孵化器\n（1）新增2家。\n（2）在建1家。\n一是完成备案；二是开展培训。\n2. 众创空间\n二、存在的问题和不足\n资金不足。";
        let s = analyze(text);
        let h = headings(&s);
        let levels: Vec<(u8, &str)> = h.iter().map(|x| (x.0, x.1)).collect();
        assert_eq!(
            levels,
            vec![
                (1, "一、"),
                (2, "（一）"),
                (3, "1、"),
                (4, "1."),
                (5, "（1）"),
                (5, "（2）"),
                (6, "一是"),
                (6, "二是"),
                (4, "2."),
                (1, "二、")
            ]
        );
        assert_eq!(h[4].2, "新增2家");
        assert_eq!(h[9].3, Role::Problem);
    }

    #[test]
    fn lead_in_sentence_gives_a_list_its_role() {
        let text = "总结\n一、围绕中心开展服务\n1、扎实开展扶贫工作。选派科技特派员。\n2、积极争取项目资金。\n上半年取得了一定成效,但还存在短板。下半年,市科技局将针对短板问题,重点抓好以下工作:\n1、进一步加大知识产权工作力度。力争完成任务。\n2、进一步抓好防震减灾工作。";
        let s = analyze(text);
        let h = headings(&s);
        assert_eq!(h[1].3, Role::Achievement);
        assert_eq!(h[2].3, Role::Achievement);
        assert_eq!((h[3].1, h[3].3), ("1、", Role::Plan));
        assert_eq!((h[4].1, h[4].3), ("2、", Role::Plan));
    }

    #[test]
    fn list_item_with_a_lost_digit_continues_the_list() {
        let text = "总结\n一、重点工作\n1、扎实开展扶贫工作。\n2、积极开展科技培训。\n、积极兑现科技创新奖补政策。根据文件精神兑现。\n、进一步抓好防震减灾工作。";
        let s = analyze(text);
        let h = headings(&s);
        assert_eq!(h.len(), 5, "{h:?}");
        assert_eq!(
            (h[3].0, h[3].1, h[3].2),
            (2, "、", "积极兑现科技创新奖补政策")
        );
        assert_eq!((h[4].0, h[4].1), (2, "、"));
        // Not at a line start, or outside a list: no heading.
        assert_eq!(analyze("总结\n甲、乙、丙。\n、开头").sections.len(), 1);
    }

    #[test]
    fn title_rules() {
        assert_eq!(find_title("年上半年科技工作总结\n2018年上半年科技工作总结\n上半年,市科技局全面实施创新驱动发展战略。"), "2018年上半年科技工作总结");
        assert_eq!(find_title("2023年市区科技局上半年工作总结报告.docx\n市区科技局上半年工作总结报告 今年以来,区科技局围绕中心工作。"), "市区科技局上半年工作总结报告");
        assert_eq!(
            find_title("区科技局平台建设工作总结和下一年工作思路.docx\n正文开始,没有标题。"),
            "区科技局平台建设工作总结和下一年工作思路"
        );
        // The file suffix in any case, and only at the end.
        assert_eq!(
            title_like("2019年县科技局工作总结.DOCX").as_deref(),
            Some("2019年县科技局工作总结")
        );
        assert_eq!(
            title_like("2019年县科技局工作总结.Pdf").as_deref(),
            Some("2019年县科技局工作总结")
        );
        assert_eq!(
            title_like("2019年.docx县科技局工作总结").as_deref(),
            Some("2019年.docx县科技局工作总结")
        );
        assert_eq!(find_title("今年以来,我局认真落实各项部署。"), "");
        assert_eq!(find_title(""), "");
        // A date or issuer line between the title and the body does not matter.
        assert_eq!(
            find_title("某县科技局2019年工作总结\n某县科技局\n今年以来,我局认真落实。"),
            "某县科技局2019年工作总结"
        );
    }

    #[test]
    fn sentences_cover_text_and_are_trimmed() {
        let text = "标题总结\n第一句。第二句！ 第三句;第四句\n\n最后";
        let s = analyze(text);
        let got: Vec<&str> = s.sentences.iter().map(|x| &text[x.span.clone()]).collect();
        assert_eq!(
            got,
            [
                "标题总结",
                "第一句。",
                "第二句！",
                "第三句;",
                "第四句",
                "最后"
            ]
        );
        assert!(analyze("").sentences.is_empty());
        assert_eq!(analyze("").sections.len(), 1);
    }
}

#[cfg(test)]
mod seed_tests {
    //! All five real seed reports through decode → clean → analyze.

    use super::*;
    use crate::clean::Cleaner;
    use crate::ingest::decode;
    use crate::model::Script;

    const SEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/seeds");

    struct Seed {
        name: String,
        text: String,
        script: Script,
        structure: Structure,
        encoding: String,
        fragments: usize,
        removed: usize,
    }

    fn seeds() -> Option<Vec<Seed>> {
        let Ok(dir) = std::fs::read_dir(SEEDS) else {
            println!("note: {SEEDS} missing, seed tests skipped");
            return None;
        };
        let mut paths: Vec<_> = dir.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        let cleaner = Cleaner::builtin().unwrap();
        let out: Vec<Seed> = paths
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .map(|p| {
                let bytes = std::fs::read(p).unwrap();
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                let d = decode(&bytes, &name).unwrap();
                let c = cleaner.clean(&d.text);
                let structure = analyze(&c.text);
                Seed {
                    name,
                    script: c.script,
                    structure,
                    encoding: d.encoding,
                    fragments: c.report.fragments_joined,
                    removed: c.report.removed_lines.len(),
                    text: c.text,
                }
            })
            .collect();
        assert_eq!(out.len(), 5, "five seeds expected");
        Some(out)
    }

    fn seed<'a>(all: &'a [Seed], prefix: &str) -> &'a Seed {
        all.iter().find(|s| s.name.starts_with(prefix)).unwrap()
    }

    #[test]
    fn titles_encodings_scripts() {
        let Some(all) = seeds() else { return };
        let expected = [
            ("000", "2018年上半年工作总结及下半年工作打算"),
            ("001", "2018年上半年科技工作总结"),
            ("002", "2018年科技局第一季度工作总结"),
            ("003", "市区科技局上半年工作总结报告"),
            ("004", "区科技局平台建设工作总结和下一年工作思路"),
        ];
        for (prefix, title) in expected {
            let s = seed(&all, prefix);
            assert_eq!(s.structure.title, title, "{}", s.name);
            assert_eq!(s.encoding, "UTF-8");
            let script = if prefix == "002" {
                Script::Traditional
            } else {
                Script::Simplified
            };
            assert_eq!(s.script, script, "{}", s.name);
        }
    }

    #[test]
    fn seeds_in_other_encodings_decode_the_same() {
        let Some(all) = seeds() else { return };
        let cleaner = Cleaner::builtin().unwrap();
        for s in &all {
            let raw = std::fs::read(format!("{SEEDS}/{}", s.name)).unwrap();
            let original = String::from_utf8(raw).unwrap();
            let (gb, _, unmappable) = encoding_rs::GB18030.encode(&original);
            assert!(!unmappable);
            let d = decode(&gb, &s.name).unwrap();
            assert_eq!(d.encoding, "GB18030", "{}", s.name);
            assert_eq!(d.text, original, "{}", s.name);
            let utf16: Vec<u8> = original.encode_utf16().flat_map(u16::to_le_bytes).collect();
            let d = decode(&utf16, &s.name).unwrap();
            assert_eq!(d.encoding, "UTF-16LE", "{}", s.name);
            assert_eq!(cleaner.clean(&d.text).text, s.text, "{}", s.name);
        }
        // The traditional seed in Big5 (its lines with characters outside Big5,
        // debris of an earlier mis-conversion, left out).
        let s = seed(&all, "002");
        let original = std::fs::read_to_string(format!("{SEEDS}/{}", s.name)).unwrap();
        // Pinyin tone letters are not in Big5 either: a Big5 page has none.
        let (original, _) = crate::clean::pinyin::strip_pinyin(&original);
        let lines: Vec<&str> = original
            .lines()
            .filter(|l| !encoding_rs::BIG5.encode(l).2)
            .collect();
        assert!(lines.len() >= 20);
        let text = lines.join("\n");
        let (big5, _, _) = encoding_rs::BIG5.encode(&text);
        let d = decode(&big5, &s.name).unwrap();
        assert_eq!(d.encoding, "Big5");
        assert_eq!(d.text, text);
        let cleaned = cleaner.clean(&d.text);
        assert_eq!(cleaned.script, Script::Traditional);
        assert!(cleaned.text.contains("科技特派员"));
    }

    #[test]
    fn no_wrapper_line_survives() {
        let Some(all) = seeds() else { return };
        for s in &all {
            for bad in [
                "ID:",
                "大小:",
                "页数:",
                "_第",
                "温馨提示",
                "网站客服",
                "由会员",
                "下载文档",
                "资源描述",
                "推荐度",
                "相关推荐",
                "相关文章",
                "当前文档最多预览",
                "此文档下载收益",
                "分享赚钱",
                "你可能关注",
                "配套讲稿",
                "关 键 词",
                "共7页",
                "部分包含数学公式",
            ] {
                assert!(!s.text.contains(bad), "{}: {bad:?} survived", s.name);
            }
            assert!(
                s.text
                    .lines()
                    .all(|l| l != "分享" && l != "收起" && l != "展开"),
                "{}",
                s.name
            );
        }
        assert!(seed(&all, "000").removed >= 15);
        assert!(seed(&all, "003").removed >= 15);
    }

    #[test]
    fn fragments_rejoined_and_own_items_kept() {
        let Some(all) = seeds() else { return };
        let s000 = seed(&all, "000");
        assert_eq!(s000.fragments, 7);
        for whole in [
            "示范农科驿站;蔬菜集团",
            "制定了《升建国家高新区工作基本程序》",
            "高比能耐低温锂离子动力电池",
            "积极性,组织条件符合的企业",
            "许明然、丁俊洋",
            "10项。(三)实施科技开放合作工程",
        ] {
            assert!(s000.text.contains(whole), "000 lacks {whole}");
        }
        let s004 = seed(&all, "004");
        assert_eq!(s004.fragments, 11);
        for whole in [
            "占GDP比重提高到x.xx%",
            "目前x建设职业技术学院",
            "大力扶持创业创新载体",
            "了解技术需求xx余项",
            "引导科技资源汇合",
        ] {
            assert!(s004.text.contains(whole), "004 lacks {whole}");
        }
        // 001's own numbered items are untouched.
        let s001 = seed(&all, "001");
        assert_eq!(s001.fragments, 0);
        assert!(s001.text.contains("\n1、理论学习强素质。"));
        assert!(s001.text.contains("\n4、专利量质提升工程。"));
    }

    #[test]
    fn traditional_seed_reads_simplified() {
        let Some(all) = seeds() else { return };
        let s = seed(&all, "002");
        for word in [
            "科技局第一季度工作总结",
            "高新技术企业",
            "科技特派员",
            "存在问题",
            "第二季度工作安排",
        ] {
            assert!(s.text.contains(word), "002 lacks {word}");
        }
        assert!(!s.text.contains("(jié)") && !s.text.contains("總"));
    }

    #[test]
    fn sections_and_roles() {
        let Some(all) = seeds() else { return };
        let role_of = |s: &Seed, needle: &str| {
            let st = &s.structure;
            let sent = st
                .sentences
                .iter()
                .find(|x| s.text[x.span.clone()].contains(needle))
                .unwrap_or_else(|| panic!("{}: no sentence with {needle}", s.name));
            st.sections[sent.section].role
        };
        let s000 = seed(&all, "000");
        assert_eq!(role_of(s000, "全市共有高新技术企业66家"), Role::Achievement);
        assert_eq!(role_of(s000, "推荐省优秀科技特派员6名"), Role::Achievement);
        assert_eq!(role_of(s000, "扎实做好一区一园三中心建设"), Role::Plan);
        let s002 = seed(&all, "002");
        assert_eq!(role_of(s002, "培训246人次"), Role::Achievement);
        assert_eq!(role_of(s002, "财政没有安排"), Role::Problem);
        assert_eq!(role_of(s002, "继续走访企业"), Role::Plan);
        let s003 = seed(&all, "003");
        assert_eq!(
            role_of(s003, "全区完成创造专利申请量26件"),
            Role::Achievement
        );
        assert_eq!(role_of(s003, "聘请局部专家教授"), Role::Plan);
        let s001 = seed(&all, "001");
        assert_eq!(role_of(s001, "授权量300件"), Role::Achievement);
        assert_eq!(role_of(s001, "推动专利质押融资取得突破"), Role::Plan);
        let s004 = seed(&all, "004");
        assert_eq!(role_of(s004, "全年新增高新技术企业xx家"), Role::Achievement);
        for s in &all {
            let st = &s.structure;
            assert!(
                st.sections.len() >= 5,
                "{}: {} sections",
                s.name,
                st.sections.len()
            );
            assert_eq!(st.sections[0].span, 0..s.text.len());
            // Sentences are in order, inside the text, inside their section.
            let mut last = 0;
            for x in &st.sentences {
                assert!(x.span.start >= last && x.span.end <= s.text.len());
                last = x.span.end;
                let sec = &st.sections[x.section].span;
                assert!(
                    sec.start <= x.span.start && x.span.start < sec.end,
                    "{}",
                    s.name
                );
            }
        }
    }
}

#[cfg(test)]
mod properties {
    //! Arbitrary text built from the pieces reports are made of: the cleaner
    //! and the analyser never panic, and every span is well formed.

    use super::*;
    use crate::clean::Cleaner;
    use proptest::prelude::*;

    const PIECES: [&str; 24] = [
        "一、",
        "二、",
        "(一)",
        "（二）",
        "1、",
        "2、",
        "1.",
        "(1)",
        "一是",
        "二是",
        "、",
        "。",
        "；",
        "\n",
        " ",
        "工作总结",
        "下一步工作打算",
        "存在问题",
        "高新技术企业66家",
        "x.xx%",
        "總結(jié)",
        "ID:123",
        "温馨提示:",
        "：",
    ];

    fn report() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(PIECES.to_vec()), 0..60).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn spans_are_well_formed(text in report()) {
            let cleaned = Cleaner::builtin().unwrap().clean(&text);
            let t = cleaned.text.as_str();
            let s = analyze(t);
            prop_assert_eq!(s.sections[0].span.clone(), 0..t.len());
            for (i, sec) in s.sections.iter().enumerate().skip(1) {
                prop_assert!(t.is_char_boundary(sec.span.start) && t.is_char_boundary(sec.span.end));
                let parent = &s.sections[sec.parent.unwrap()];
                prop_assert!(parent.span.start <= sec.span.start && sec.span.end <= parent.span.end, "section {} escapes its parent", i);
                prop_assert_eq!(sec.level, parent.level + 1);
            }
            let mut last = 0;
            for x in &s.sentences {
                prop_assert!(t.is_char_boundary(x.span.start) && t.is_char_boundary(x.span.end));
                prop_assert!(last <= x.span.start && x.span.start < x.span.end);
                last = x.span.end;
                prop_assert!(x.section < s.sections.len());
            }
        }
    }

    /// The character-by-character walk over candidate heading starts that the
    /// byte scan replaced; each candidate is judged as in [`find_headings`].
    fn reference_headings(text: &str) -> Vec<Heading> {
        let mut search = HeadingSearch::new(text);
        let mut prev: Option<char> = None;
        for (i, c) in text.char_indices() {
            while search.forced.first().is_some_and(|&f| f < i) {
                search.forced.pop_first();
            }
            let boundary = i == 0
                || prev.is_some_and(|p| BOUNDARY_BEFORE.contains(&p))
                || search.forced.first() == Some(&i);
            prev = Some(c);
            if boundary {
                search.try_at(i);
            }
        }
        search.out
    }

    /// The character-by-character sentence split the byte scan replaced.
    fn reference_sentences(text: &str, sections: &[Section]) -> Vec<Sentence> {
        let mut starts = heading_starts(sections).into_iter().peekable();
        let mut out = Vec::new();
        let mut begin = 0usize;
        let push = |from: usize, to: usize, out: &mut Vec<Sentence>| {
            push_sentence(text, sections, from..to, out)
        };
        for (i, c) in text.char_indices() {
            while starts.next_if(|&start| start < i).is_some() {}
            if starts.next_if_eq(&i).is_some() && i > begin {
                push(begin, i, &mut out);
                begin = i;
            }
            if c == '\n' {
                push(begin, i, &mut out);
                begin = i + 1;
            } else if SENTENCE_END.contains(&c) {
                let end = i + c.len_utf8();
                push(begin, end, &mut out);
                begin = end;
            }
        }
        if begin < text.len() {
            push(begin, text.len(), &mut out);
        }
        out
    }

    /// What a heading search found, comparable.
    fn heading_keys(headings: &[Heading]) -> Vec<(usize, Kind, String, String, Option<Role>)> {
        headings
            .iter()
            .map(|h| (h.start, h.kind, h.marker.clone(), h.text.clone(), h.lead))
            .collect()
    }

    /// [`PIECES`] and the rarer boundary characters and markers.
    fn rich_report() -> impl Strategy<Value = String> {
        let mut pieces = PIECES.to_vec();
        pieces.extend([
            "!", "?", ";", ":", "\t", "！", "？", "(2)", "3、", "2.", "三是", "2023年",
        ]);
        prop::collection::vec(prop::sample::select(pieces), 0..80).prop_map(|v| v.concat())
    }

    #[test]
    fn sentence_breaks_are_boundaries() {
        // What `split_sentences` takes for granted: it picks the sentence
        // breaks out of the boundaries.
        assert!(SENTENCE_BREAKS.iter().all(|c| BOUNDARY_BEFORE.contains(c)));
    }

    #[test]
    fn every_basic_han_character_is_a_letter() {
        // What `push_sentence` takes for granted.
        assert!(('\u{4e00}'..='\u{9fff}').all(char::is_alphanumeric));
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn boundaries_are_found_with_teddy_on_x86_64() {
        let finder = &*BOUNDARY_FINDER;
        assert_eq!(finder.parts.len(), 2, "ASCII and full-width characters");
        for part in &finder.parts {
            assert!(matches!(part.searcher, Searcher::Packed(_)));
        }
    }

    proptest! {
        #[test]
        fn byte_scans_equal_the_character_loops(text in rich_report()) {
            let cleaned = Cleaner::builtin().unwrap().clean(&text);
            let t = cleaned.text.as_str();
            let b = boundaries(t);
            prop_assert_eq!(heading_keys(&find_headings(t, &b)), heading_keys(&reference_headings(t)));
            let s = analyze(t);
            prop_assert_eq!(
                split_sentences(t, &s.sections, &b),
                reference_sentences(t, &s.sections)
            );
        }

        #[test]
        fn section_bounds_equal_their_definitions(text in rich_report()) {
            let cleaned = Cleaner::builtin().unwrap().clean(&text);
            let t = cleaned.text.as_str();
            let s = analyze(t);
            // A section ends where the next one of the same or a higher level starts.
            for (i, sec) in s.sections.iter().enumerate().skip(1) {
                let end = s.sections[i + 1..]
                    .iter()
                    .find(|n| n.level <= sec.level)
                    .map_or(t.len(), |n| n.span.start);
                prop_assert_eq!(sec.span.end, end, "end of section {}", i);
            }
            // A sentence sits in the last section that starts at or before it
            // and has not ended.
            for x in &s.sentences {
                let at = x.span.start;
                let innermost = s.sections
                    .iter()
                    .rposition(|c| c.span.start <= at && at < c.span.end.max(c.span.start + 1))
                    .unwrap_or(0);
                prop_assert_eq!(x.section, innermost);
            }
        }

        #[test]
        fn chars_of_equals_a_character_filter(text in "[一。！？；!?;：: \t\n，,a0é€😀]{0,80}") {
            // Long enough texts for Teddy, short ones for its fallback.
            for (set, finder) in [
                (SENTENCE_BREAKS, &CharFinder::new(SENTENCE_BREAKS)),
                (BOUNDARY_BEFORE, &*BOUNDARY_FINDER),
                (SENTENCE_BREAKS, &CharFinder::with_automaton(SENTENCE_BREAKS)),
                (BOUNDARY_BEFORE, &CharFinder::with_automaton(BOUNDARY_BEFORE)),
            ] {
                let got: Vec<(usize, char)> = chars_of(&text, finder).collect();
                let expected: Vec<(usize, char)> =
                    text.char_indices().filter(|(_, c)| set.contains(c)).collect();
                prop_assert_eq!(got, expected);
            }
        }
    }
}
