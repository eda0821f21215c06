//! What a regex's syntax tree ([`Hir`], parsed once per pattern by the
//! caller) tells before the regex is run, so the wrapper rules can rule a
//! line or a whole text out without running their regexes on it.
//!
//! - [`anchored_at_start`]: whether every match starts at the haystack's start.
//! - [`LineStarts`]: the characters a match of such patterns can start with, so
//!   a line starting with any other character is known to match none of them.
//! - [`without_looks`]: the pattern with its look-around assertions (`^`, `$`,
//!   `\b` …) dropped; it matches wherever the original does, and more, so a
//!   text it does not match holds no line the original matches.
//! - [`required_literals`]: strings every match contains, so a text missing
//!   one of them (found with a substring search) cannot match;
//!   [`RequiredStrings`] applies that to a group of patterns.
//! - [`without_padding`]: the pattern with the parts around its ends that
//!   may match nothing (`\s*`) dropped; it matches somewhere exactly when
//!   the original does, and often starts with a literal a search can skip to.

use regex_syntax::hir::{Class, Hir, HirKind, Look};

use crate::char_bits::CharBits;

/// Whether every match of `hir` must start at the start of the haystack.
pub(crate) fn anchored_at_start(hir: &Hir) -> bool {
    hir.properties().look_set_prefix().contains(Look::Start)
}

/// The characters that non-empty matches of some patterns anchored at the
/// haystack's start can begin with: a haystack starting with another
/// character matches none of them.
#[derive(Debug, Default)]
pub(crate) struct LineStarts {
    /// First characters in the Basic Multilingual Plane.
    bmp: CharBits,
    /// Whether some first character lies above the Basic Multilingual Plane.
    beyond_bmp: bool,
    /// Whether some pattern can match the empty string or could not be
    /// analysed: every haystack may match then.
    any: bool,
}

impl LineStarts {
    /// The first characters of `patterns` (each anchored at the start; an
    /// unanchored one may match anywhere, so it makes the filter pass all).
    pub(crate) fn of<'a>(patterns: impl IntoIterator<Item = &'a Hir>) -> LineStarts {
        let mut ranges = Vec::new();
        let mut any = false;
        for hir in patterns {
            let known = if anchored_at_start(hir) {
                first_chars(hir, &mut ranges)
            } else {
                None
            };
            // Nullable (`Some(true)`) or not analysable (`None`).
            any |= known != Some(false);
        }
        LineStarts {
            bmp: CharBits::new(
                ranges
                    .iter()
                    .filter(|&&(start, _)| start <= '\u{ffff}')
                    .flat_map(|&(start, end)| start..=end.min('\u{ffff}')),
            ),
            beyond_bmp: ranges.iter().any(|&(_, end)| end > '\u{ffff}'),
            any,
        }
    }

    /// How many characters a match can start with (`usize::MAX` when any
    /// haystack may match): a filter over thousands of characters (every Han
    /// character) rules out few lines.
    pub(crate) fn breadth(&self) -> usize {
        if self.any || self.beyond_bmp {
            usize::MAX
        } else {
            self.bmp.count()
        }
    }

    /// Whether a haystack starting with `haystack`'s first character may
    /// match one of the patterns; false for the empty haystack unless some
    /// pattern matches the empty string.
    pub(crate) fn may_match(&self, haystack: &str) -> bool {
        if self.any {
            return true;
        }
        match haystack.chars().next() {
            Some(c) if c > '\u{ffff}' => self.beyond_bmp,
            Some(c) => self.bmp.contains(c),
            None => false,
        }
    }
}

/// Adds to `out` the character ranges a match of `hir` can start with.
/// Returns whether `hir` can match the empty string (`Some(true)`: the
/// characters after it may come first too), or `None` for a byte-oriented
/// pattern this does not analyse.
fn first_chars(hir: &Hir, out: &mut Vec<(char, char)>) -> Option<bool> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Some(true),
        HirKind::Literal(literal) => match std::str::from_utf8(&literal.0).ok()?.chars().next() {
            Some(c) => {
                out.push((c, c));
                Some(false)
            }
            None => Some(true),
        },
        HirKind::Class(Class::Unicode(class)) => {
            out.extend(class.ranges().iter().map(|r| (r.start(), r.end())));
            Some(false)
        }
        HirKind::Class(Class::Bytes(_)) => None,
        HirKind::Repetition(repetition) => {
            Some(first_chars(&repetition.sub, out)? || repetition.min == 0)
        }
        HirKind::Capture(capture) => first_chars(&capture.sub, out),
        HirKind::Concat(subs) => {
            for sub in subs {
                if !first_chars(sub, out)? {
                    return Some(false);
                }
            }
            Some(true)
        }
        HirKind::Alternation(subs) => {
            let mut nullable = false;
            for sub in subs {
                nullable |= first_chars(sub, out)?;
            }
            Some(nullable)
        }
    }
}

/// Strings that every match of `hir` contains: the literal pieces that the
/// pattern cannot skip (not inside an alternation or an optional part).
/// Empty when there are none.
pub(crate) fn required_literals(hir: &Hir) -> Vec<String> {
    let mut out = Vec::new();
    collect_required(hir, &mut out);
    out
}

/// The strings that the matches of some patterns must contain, ready to be
/// searched for: a haystack that lacks, for every pattern, one of its
/// strings matches none of them.
#[derive(Debug)]
pub(crate) struct RequiredStrings {
    /// Per pattern, a finder for each string its matches contain; `None`
    /// when some pattern has no such string, so that any haystack may match.
    per_pattern: Option<Vec<Vec<memchr::memmem::Finder<'static>>>>,
}

impl RequiredStrings {
    /// The required strings of each of `patterns`.
    pub(crate) fn of<'a>(patterns: impl IntoIterator<Item = &'a Hir>) -> RequiredStrings {
        let per_pattern = patterns
            .into_iter()
            .map(|hir| {
                let literals = required_literals(hir);
                (!literals.is_empty()).then(|| {
                    literals
                        .iter()
                        .map(|literal| memchr::memmem::Finder::new(literal).into_owned())
                        .collect()
                })
            })
            .collect();
        RequiredStrings { per_pattern }
    }

    /// Whether `haystack` holds every required string of some pattern.
    pub(crate) fn may_match(&self, haystack: &str) -> bool {
        self.per_pattern.as_ref().is_none_or(|patterns| {
            patterns.iter().any(|required| {
                required
                    .iter()
                    .all(|finder| finder.find(haystack.as_bytes()).is_some())
            })
        })
    }
}

/// The walk behind [`required_literals`].
fn collect_required(hir: &Hir, out: &mut Vec<String>) {
    match hir.kind() {
        HirKind::Literal(literal) => {
            if let Ok(text) = std::str::from_utf8(&literal.0) {
                if !text.is_empty() && !out.iter().any(|seen| seen == text) {
                    out.push(text.to_string());
                }
            }
        }
        HirKind::Capture(capture) => collect_required(&capture.sub, out),
        HirKind::Repetition(repetition) if repetition.min > 0 => {
            collect_required(&repetition.sub, out);
        }
        HirKind::Concat(subs) => subs.iter().for_each(|sub| collect_required(sub, out)),
        _ => {}
    }
}

/// `hir` with every look-around assertion replaced by the empty pattern,
/// written out as a pattern: it matches every substring the original
/// matches in any haystack (an assertion only ever removes matches), so a
/// text it does not match holds no line the original matches.
pub(crate) fn without_looks(hir: &Hir) -> String {
    drop_looks(hir.clone()).to_string()
}

/// The rewrite behind [`without_looks`].
fn drop_looks(hir: Hir) -> Hir {
    match hir.into_kind() {
        HirKind::Look(_) => Hir::empty(),
        HirKind::Repetition(mut repetition) => {
            repetition.sub = Box::new(drop_looks(*repetition.sub));
            Hir::repetition(repetition)
        }
        HirKind::Capture(mut capture) => {
            capture.sub = Box::new(drop_looks(*capture.sub));
            Hir::capture(capture)
        }
        HirKind::Concat(subs) => Hir::concat(subs.into_iter().map(drop_looks).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.into_iter().map(drop_looks).collect()),
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(literal) => Hir::literal(literal.0),
        HirKind::Class(class) => Hir::class(class),
    }
}

/// `hir` without the leading and trailing items of its top-level
/// concatenation that can match the empty string and hold no look-around
/// assertion, written out as a pattern: `\s*第\s*\d+\s*页\s*` becomes
/// `第\s*\d+\s*页`. A haystack holds a match of one exactly when it holds
/// a match of the other (such an item matches the empty string anywhere,
/// and a match of the whole contains one of the rest), so the result
/// answers "does it match anywhere". It is also the faster question to put
/// to the regex engine: a pattern that may start with any of the thousands
/// of whitespace characters gives it no literal to skip ahead to, and it
/// then runs its automaton over every byte of the text.
pub(crate) fn without_padding(hir: &Hir) -> String {
    let HirKind::Concat(subs) = hir.kind() else {
        return hir.to_string();
    };
    let padding = |sub: &Hir| {
        sub.properties().minimum_len() == Some(0) && sub.properties().look_set().is_empty()
    };
    let start = subs.iter().position(|sub| !padding(sub));
    let end = subs.iter().rposition(|sub| !padding(sub));
    match (start, end) {
        (Some(start), Some(end)) => Hir::concat(subs[start..=end].to_vec()).to_string(),
        // Every item may match nothing: so may the whole, anywhere.
        _ => Hir::empty().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::Strategy;
    use regex::Regex;

    /// The syntax tree of a pattern known to be valid.
    fn hir(pattern: &str) -> Hir {
        regex_syntax::parse(pattern).unwrap()
    }

    /// The syntax trees of valid patterns.
    fn hirs<const N: usize>(patterns: [&str; N]) -> [Hir; N] {
        patterns.map(hir)
    }

    #[test]
    fn anchored_patterns_are_told_apart() {
        assert!(anchored_at_start(&hir(r"^ID[:：]\s*\d+$")));
        assert!(anchored_at_start(&hir(r"(?i)^大小[:：]")));
        assert!(anchored_at_start(&hir(r"^(上传)?时间[:：]")));
        assert!(!anchored_at_start(&hir(r"_第\d+页$")));
        assert!(!anchored_at_start(&hir(r"(本文档由用户上传|如有侵权)")));
        assert!(!anchored_at_start(&hir(r"^a|b")));
    }

    #[test]
    fn first_characters_follow_optional_parts() {
        let starts = LineStarts::of(&hirs([
            r"^[-•·*]?\s*关\s*键\s*词[:：]",
            r"^(上传)?时间[:：]",
        ]));
        for line in [
            "关键词:科技",
            "- 关键词",
            "• 关 键 词",
            "上传时间:",
            "时间:2019",
        ] {
            assert!(starts.may_match(line), "{line}");
        }
        for line in ["今年以来", "键", "传", "", "𠮶"] {
            assert!(!starts.may_match(line), "{line}");
        }
        // Case-insensitive letters: both cases.
        let starts = LineStarts::of(&hirs([r"(?i)^id[:：]"]));
        assert!(starts.may_match("ID:1") && starts.may_match("id:1") && !starts.may_match("x"));
        assert_eq!(starts.breadth(), 2);
        assert!(LineStarts::of(&hirs([r"^[-•·*]?\s*[\p{Han}]{2}"])).breadth() > 20_000);
    }

    #[test]
    fn patterns_that_may_match_anywhere_pass_every_line() {
        // Empty-matching and unanchored patterns: no filtering.
        for pattern in [r"^(收起)?$", r"^\s*", r"相关", r"^a|b"] {
            let starts = LineStarts::of(&hirs([pattern]));
            assert!(
                starts.may_match("今年以来") && starts.may_match(""),
                "{pattern}"
            );
            assert_eq!(starts.breadth(), usize::MAX);
        }
        // A class reaching beyond the Basic Multilingual Plane.
        let starts = LineStarts::of(&hirs([r"^[^》]"]));
        assert!(starts.may_match("𠮶") && starts.may_match("今") && !starts.may_match("》"));
        assert!(!LineStarts::default().may_match("今"));
    }

    #[test]
    fn required_literals_skip_optional_and_alternative_parts() {
        let required = |pattern| required_literals(&hir(pattern));
        assert_eq!(
            required(r"\s*第\s*\d+\s*页\s*[,，/]?\s*共\s*\d+\s*页\s*"),
            ["第", "页", "共"]
        );
        assert_eq!(required(r"^(上传)?时间[:：]"), ["时间"]);
        assert_eq!(required(r"(?:相关)+推荐"), ["相关", "推荐"]);
        assert!(required(r"收起|展开").is_empty());
        assert!(required(r"(?i)id").is_empty());
    }

    #[test]
    fn required_strings_of_a_group() {
        let group = RequiredStrings::of(&hirs([r"^(?:\w{1,8} +){3,}\w+$", r"第\d+页共"]));
        assert!(group.may_match("a b c d") && group.may_match("第3页共"));
        assert!(!group.may_match("今年以来") && !group.may_match("第3页"));
        // A pattern with no required string: anything may match.
        assert!(RequiredStrings::of(&hirs([r"第\d+页", r"收起|展开"])).may_match("今年"));
        // No patterns: nothing matches.
        assert!(!RequiredStrings::of([]).may_match("今年"));
    }

    #[test]
    fn looks_are_dropped_and_the_rest_kept() {
        let re = Regex::new(&without_looks(&hir(r"^第\s*\d+\s*页$"))).unwrap();
        assert!(re.is_match("树立形象。第7页\n下一行"));
        assert!(!re.is_match("第页"));
    }

    #[test]
    fn padding_is_dropped_from_the_ends_only() {
        let core = |pattern: &str| without_padding(&hir(pattern));
        let stamp = Regex::new(&core(r"\s*第\s*\d+\s*页\s*[,，/]?\s*共\s*\d+\s*页\s*")).unwrap();
        assert!(stamp.is_match("树立形象。第7页 共7页"));
        assert!(!stamp.is_match("第7页"));
        assert_eq!(
            stamp.find("  第7页 共7页  ").unwrap().as_str(),
            "第7页 共7页"
        );
        // Looks are not padding: `^` and `$` still bind the rest.
        let anchored = Regex::new(&core(r"^\s*第\d+页$")).unwrap();
        assert!(anchored.is_match("第3页") && !anchored.is_match("见第3页"));
        // A pattern that is all padding matches anywhere, as before.
        assert!(Regex::new(&core(r"\s*x*")).unwrap().is_match("今年"));
        assert!(Regex::new(&core(r"收起|展开")).unwrap().is_match("展开"));
    }

    /// Pieces of the test patterns' matches and of ordinary text.
    const TOKENS: [&str; 24] = [
        "ID", "id", ":", "：", "7", "2019", " ", "关", "键", "词", "时间", "上传", "_第", "页",
        "共", "第", ",", "-", "•", "大小", "KB", "格式", "PDF", "今年",
    ];

    proptest::proptest! {
        /// On lines made of the rules' own characters, a line whose first
        /// character the filter rules out matches none of the patterns, and
        /// the look-free pattern matches every text holding a matching line.
        #[test]
        fn filters_never_rule_out_a_match(
            lines in proptest::collection::vec(
                proptest::collection::vec(proptest::sample::select(&TOKENS[..]), 0..8)
                    .prop_map(|tokens| tokens.concat()),
                1..6,
            ),
        ) {
            let patterns = [
                r"^ID[:：]\s*\d+$",
                r"(?i)^大小[:：]\s*[\d.,]+\s*[KMG]?B$",
                r"^[-•·*]?\s*关\s*键\s*词[:：]",
                r"^(上传)?时间[:：]\s*\d{4}",
                r"(?i)^格式[:：]\s*(DOCX?|PDF)$",
                r"^第\s*\d+\s*页\s*[,，/ ]?\s*共\s*\d+\s*页$",
                r"_第\d+页$",
                r"\s*第\s*\d+\s*页\s*[,，/]?\s*共\s*\d+\s*页\s*",
            ];
            let text = lines.join("\n");
            for pattern in patterns {
                let re = Regex::new(pattern).unwrap();
                let syntax = hir(pattern);
                let starts = LineStarts::of([&syntax]);
                let bare = Regex::new(&without_looks(&syntax)).unwrap();
                let core = Regex::new(&without_padding(&syntax)).unwrap();
                proptest::prop_assert_eq!(core.is_match(&text), re.is_match(&text), "{} {:?}", pattern, text);
                let required = required_literals(&syntax);
                let group = RequiredStrings::of([&syntax]);
                for line in &lines {
                    let line = line.trim();
                    if re.is_match(line) {
                        proptest::prop_assert!(group.may_match(line), "{} {:?}", pattern, line);
                        for literal in &required {
                            proptest::prop_assert!(line.contains(literal.as_str()), "{} {:?}", pattern, line);
                        }
                        proptest::prop_assert!(starts.may_match(line), "{} {:?}", pattern, line);
                        proptest::prop_assert!(bare.is_match(&text), "{} {:?}", pattern, text);
                    }
                }
            }
        }
    }
}
