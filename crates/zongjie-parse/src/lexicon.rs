//! The theme lexicon: which themes a report can speak of, the words naming
//! each theme, and the words telling which indicator a number measures.
//!
//! The built-in lexicon is `data/lexicon.toml` (its header documents the
//! format); users add or replace themes with a file of the same format
//! through [`Lexicon::with_overrides`]. All theme terms, stop words and rival
//! subjects are compiled once into one leftmost-longest Aho-Corasick
//! automaton, so a longer word (高新区, 科技型中小企业) hides a shorter term
//! inside it.

use serde::{Deserialize, Serialize};

use crate::word_automata::{LeftmostWords, OverlappingWords, WordMatch};
use crate::ParseError;

const BUILTIN: &str = include_str!("../data/lexicon.toml");

/// One indicator of a theme: an id and the words that signal it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Indicator {
    /// Indicator id ("certified", "applications", ...).
    pub id: String,
    /// Words near a number that mean this indicator.
    #[serde(default)]
    pub words: Vec<String>,
    /// Units this indicator is for ("%", "元"); empty means any unit. An
    /// indicator restricted to the number's unit wins over a generic one.
    #[serde(default)]
    pub units: Vec<String>,
    /// A narrower measure named before the number ("其中发明专利申请612件",
    /// "万人有效发明专利拥有量"): when one of its words stands before the
    /// number in the clause it wins over nearer, more general words; among
    /// several such indicators the nearest wins.
    #[serde(default)]
    pub subset: bool,
}

/// One theme as written in the lexicon file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Theme {
    /// Theme id (`high_tech_enterprise`, ...), unique.
    pub id: String,
    /// Display name in Chinese.
    #[serde(default)]
    pub label: String,
    /// Words naming the theme.
    #[serde(default)]
    pub terms: Vec<String>,
    /// Longer words containing a term that do not name the theme.
    #[serde(default)]
    pub stop: Vec<String>,
    /// Other subjects often next to this theme's terms; numbers closest to one are not facts.
    #[serde(default)]
    pub rivals: Vec<String>,
    /// Indicators in priority order.
    #[serde(default, rename = "indicator")]
    pub indicators: Vec<Indicator>,
}

/// Lists that keep numerals inside names and words from becoming facts.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Filters {
    /// Names and slogans containing numerals (十三五, 三送).
    #[serde(default)]
    pub slogans: Vec<String>,
    /// Text that, right after a measure word, shows the numeral is part of a word (一次性).
    #[serde(default)]
    pub after_unit: Vec<String>,
    /// Nouns opening a new subject: a clause with one and no theme term does not inherit a theme.
    #[serde(default)]
    pub new_subjects: Vec<String>,
}

/// Words before a percentage that make it a change rate.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Changes {
    /// Increase words (同比增长).
    #[serde(default)]
    pub up: Vec<String>,
    /// Decrease words (下降): the value becomes negative.
    #[serde(default)]
    pub down: Vec<String>,
}

/// The file format: filters, change words and themes.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
struct LexiconFile {
    #[serde(default)]
    filters: Filters,
    #[serde(default)]
    changes: Changes,
    #[serde(default, rename = "theme")]
    themes: Vec<Theme>,
}

/// What a match of the term automaton stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermKind {
    /// A term of the theme with this index in [`Lexicon::themes`].
    Theme(usize),
    /// A rival subject: closest to a number, it keeps the number from any theme.
    Rival,
    /// A stop word: matched only to hide the shorter terms inside it.
    Stop,
}

/// One term found in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermMatch {
    /// Byte offset of the start.
    pub start: usize,
    /// Byte offset one past the end.
    pub end: usize,
    /// What the term stands for.
    pub kind: TermKind,
}

/// The terms found in each of a list of spans of one text, from
/// [`Lexicon::find_terms_in_spans`]: one flat list, cut by span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpanTerms {
    /// Every span's matches, span after span, offsets relative to the span.
    matches: Vec<TermMatch>,
    /// Where each span's matches start in `matches`, and where the last ends.
    bounds: Vec<usize>,
}

impl SpanTerms {
    /// Room for the matches of `spans` spans.
    fn with_spans(spans: usize) -> SpanTerms {
        let mut bounds = Vec::with_capacity(spans + 1);
        bounds.push(0);
        SpanTerms {
            matches: Vec::new(),
            bounds,
        }
    }

    /// Close the current span: the matches pushed since the last call are its own.
    fn end_span(&mut self) {
        self.bounds.push(self.matches.len());
    }

    /// The matches of span `i` (empty past the last span).
    pub fn of(&self, i: usize) -> &[TermMatch] {
        match (self.bounds.get(i), self.bounds.get(i + 1)) {
            (Some(&start), Some(&end)) => &self.matches[start..end],
            _ => &[],
        }
    }
}

/// One theme's indicator words in one automaton, each listed once with the
/// indicators that name it.
#[derive(Debug, Clone)]
struct IndicatorWords {
    /// Every word, all occurrences (overlapping ones too).
    automaton: OverlappingWords,
    /// For pattern `i`, the indices (in the theme's list) of the indicators
    /// listing that word.
    owners: Vec<Vec<usize>>,
}

impl IndicatorWords {
    fn new(theme: &Theme, origin: &str) -> Result<IndicatorWords, ParseError> {
        let mut words: Vec<&str> = Vec::new();
        let mut owners: Vec<Vec<usize>> = Vec::new();
        for (index, indicator) in theme.indicators.iter().enumerate() {
            for w in &indicator.words {
                match words.iter().position(|x| x == w) {
                    Some(p) => owners[p].push(index),
                    None => {
                        words.push(w);
                        owners.push(vec![index]);
                    }
                }
            }
        }
        let automaton = OverlappingWords::new(&words).map_err(|e| cannot_compile(origin, &e))?;
        Ok(IndicatorWords { automaton, owners })
    }
}

/// One occurrence of an indicator word in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndicatorWord {
    /// Index of the indicator in its theme's list ([`Theme::indicators`]).
    pub indicator: usize,
    /// Byte offset of the word's start.
    pub start: usize,
    /// Byte offset one past the word's end.
    pub end: usize,
}

/// The compiled lexicon: themes, their indicators, and one automaton over all
/// terms. Built once and shared by all threads (it is `Send + Sync`).
#[derive(Debug, Clone)]
pub struct Lexicon {
    file: LexiconFile,
    /// Every term, rival and stop word, once each: the words of `automaton`.
    terms: Vec<String>,
    automaton: LeftmostWords,
    kinds: Vec<TermKind>,
    slogans: LeftmostWords,
    /// Per theme, all its indicators' words (see [`Lexicon::has_indicator_word`]
    /// and [`Lexicon::indicator_words_in`]).
    indicator_words: Vec<IndicatorWords>,
    /// The filters' new-subject nouns (see [`Lexicon::has_new_subject`]).
    new_subjects: OverlappingWords,
    version: String,
}

impl Lexicon {
    /// The built-in lexicon (`data/lexicon.toml`).
    pub fn builtin() -> Result<Lexicon, ParseError> {
        let file = parse_file(BUILTIN, "builtin")?;
        Lexicon::compile(file, BUILTIN, "builtin")
    }

    /// The lexicon with a user file applied: themes with a known id replace
    /// the built-in theme, new ids are appended, filter and change lists are
    /// extended. Errors name `origin` with the line and column of the problem.
    pub fn with_overrides(self, toml_text: &str, origin: &str) -> Result<Lexicon, ParseError> {
        let user = parse_file(toml_text, origin)?;
        // Check the user file on its own first, so errors point into it.
        validate(&user, toml_text, origin)?;
        let mut file = self.file;
        for theme in user.themes {
            match file.themes.iter_mut().find(|t| t.id == theme.id) {
                Some(slot) => *slot = theme,
                None => file.themes.push(theme),
            }
        }
        extend_unique(&mut file.filters.slogans, user.filters.slogans);
        extend_unique(&mut file.filters.after_unit, user.filters.after_unit);
        extend_unique(&mut file.filters.new_subjects, user.filters.new_subjects);
        extend_unique(&mut file.changes.up, user.changes.up);
        extend_unique(&mut file.changes.down, user.changes.down);
        Lexicon::compile(file, toml_text, origin)
    }

    /// Theme ids in file order (built-in themes first, then user additions).
    pub fn theme_ids(&self) -> Vec<&str> {
        self.file.themes.iter().map(|t| t.id.as_str()).collect()
    }

    /// The themes in file order.
    pub fn themes(&self) -> &[Theme] {
        &self.file.themes
    }

    /// The numeral filters (slogans, words after a unit).
    pub fn filters(&self) -> &Filters {
        &self.file.filters
    }

    /// Whether `text` holds a word of any indicator of the theme with index
    /// `theme` (one automaton pass instead of a substring search per word).
    pub fn has_indicator_word(&self, theme: usize, text: &str) -> bool {
        self.indicator_words
            .get(theme)
            .is_some_and(|words| words.automaton.is_match(text))
    }

    /// Every occurrence of a word of the theme with index `theme`'s
    /// indicators in `text`, once per indicator listing the word, in order of
    /// their end. Occurrences of one word do not overlap (as
    /// `str::match_indices` finds them); different words may. One automaton
    /// pass instead of a substring search per word.
    pub fn indicator_words_in(&self, theme: usize, text: &str) -> Vec<IndicatorWord> {
        let Some(words) = self.indicator_words.get(theme) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        // Where the last kept occurrence of each word ends.
        let mut last_end = vec![0usize; words.owners.len()];
        for m in words.automaton.find(text) {
            if m.start < last_end[m.word] {
                continue;
            }
            last_end[m.word] = m.end;
            out.extend(words.owners[m.word].iter().map(|&indicator| IndicatorWord {
                indicator,
                start: m.start,
                end: m.end,
            }));
        }
        out
    }

    /// Whether `text` holds one of the filters' new-subject nouns.
    pub fn has_new_subject(&self, text: &str) -> bool {
        self.new_subjects.is_match(text)
    }

    /// The change words for percentages.
    pub fn changes(&self) -> &Changes {
        &self.file.changes
    }

    /// A short hash of the effective lexicon, so caches notice a changed lexicon.
    pub fn version(&self) -> String {
        self.version.clone()
    }

    /// All theme terms, rivals and stop words in `text`, leftmost-longest, in order.
    pub fn find_terms(&self, text: &str) -> Vec<TermMatch> {
        self.automaton
            .find(text)
            .into_iter()
            .map(|m| TermMatch {
                start: m.start,
                end: m.end,
                kind: self.kinds[m.word],
            })
            .collect()
    }

    /// The terms of each of `spans` (byte ranges of `text`), offsets relative
    /// to the span's start: for every span, what [`Lexicon::find_terms`] finds
    /// in the span's text.
    ///
    /// One search of the whole text instead of one per span (a report has a
    /// few dozen sentences, and each search has a fixed cost): leftmost-longest
    /// matches over the whole text equal those of each span wherever no match
    /// crosses a span's edge, since the search then stands at or before every
    /// span's start when it reaches it and no match it takes inside a span
    /// runs past the span's end. Where one does cross an edge, or the spans
    /// are not in order and disjoint, each span is searched on its own.
    ///
    /// ```
    /// let lex = zongjie_parse::lexicon::Lexicon::builtin().unwrap();
    /// let text = "全市高新技术企业66家。申请专利120件。";
    /// let spans = [0..text.find('。').unwrap(), text.find('申').unwrap()..text.len()];
    /// let terms = lex.find_terms_in_spans(text, &spans);
    /// for (i, span) in spans.iter().enumerate() {
    ///     assert_eq!(terms.of(i), lex.find_terms(&text[span.clone()]).as_slice());
    /// }
    /// ```
    pub fn find_terms_in_spans(&self, text: &str, spans: &[std::ops::Range<usize>]) -> SpanTerms {
        self.terms_in_spans_from(text, spans, || self.automaton.find(text))
    }

    /// Every term, rival and stop word of the lexicon, once each, in the
    /// order of [`Lexicon::terms_in_spans_given`]'s word indices.
    pub(crate) fn term_words(&self) -> &[String] {
        &self.terms
    }

    /// [`Lexicon::find_terms_in_spans`] from the leftmost-longest terms of
    /// the whole `text`, found by a search of the caller's over
    /// [`Lexicon::term_words`] (word `i` is `term_words()[i]`): the parser
    /// finds them in the same pass as the place names.
    pub(crate) fn terms_in_spans_given(
        &self,
        text: &str,
        spans: &[std::ops::Range<usize>],
        whole_text: Vec<WordMatch>,
    ) -> SpanTerms {
        self.terms_in_spans_from(text, spans, || whole_text)
    }

    /// The terms of each span: cut from the whole text's terms (computed by
    /// `whole_text` only when the spans allow it) or searched span by span.
    fn terms_in_spans_from(
        &self,
        text: &str,
        spans: &[std::ops::Range<usize>],
        whole_text: impl FnOnce() -> Vec<WordMatch>,
    ) -> SpanTerms {
        let ordered = spans.windows(2).all(|w| w[0].end <= w[1].start)
            && spans.iter().all(|s| text.get(s.clone()).is_some());
        if ordered {
            if let Some(terms) = self.terms_of_whole_text(&whole_text(), spans) {
                return terms;
            }
        }
        let mut terms = SpanTerms::with_spans(spans.len());
        for span in spans {
            if let Some(s) = text.get(span.clone()) {
                terms.matches.extend(self.find_terms(s));
            }
            terms.end_span();
        }
        terms
    }

    /// [`Lexicon::find_terms_in_spans`] from the leftmost-longest terms of
    /// the whole text, or `None` when a match crosses the edge of one of
    /// `spans` (in order, disjoint).
    fn terms_of_whole_text(
        &self,
        whole_text: &[WordMatch],
        spans: &[std::ops::Range<usize>],
    ) -> Option<SpanTerms> {
        let mut terms = SpanTerms::with_spans(spans.len());
        let mut span = 0;
        for m in whole_text {
            // Close the spans that end before this match starts.
            while span < spans.len() && spans[span].end <= m.start {
                terms.end_span();
                span += 1;
            }
            let Some(current) = spans.get(span) else {
                break;
            };
            if m.end <= current.start {
                // Between spans: no span's search sees it.
                continue;
            }
            if m.start < current.start || m.end > current.end {
                return None;
            }
            terms.matches.push(TermMatch {
                start: m.start - current.start,
                end: m.end - current.start,
                kind: self.kinds[m.word],
            });
        }
        for _ in span..spans.len() {
            terms.end_span();
        }
        Some(terms)
    }

    /// Byte ranges of slogans and names with numerals (十三五, 三送) in `text`.
    pub fn find_slogans(&self, text: &str) -> Vec<std::ops::Range<usize>> {
        self.slogans
            .find(text)
            .into_iter()
            .map(|m| m.start..m.end)
            .collect()
    }

    fn compile(file: LexiconFile, source: &str, origin: &str) -> Result<Lexicon, ParseError> {
        validate(&file, source, origin)?;
        let mut patterns: Vec<&str> = Vec::new();
        let mut kinds = Vec::new();
        let mut seen = std::collections::HashSet::new();
        // Stop words and rivals first, so that an identical word listed as a
        // term elsewhere keeps its blocking meaning.
        for theme in &file.themes {
            for w in &theme.stop {
                if seen.insert(w.as_str()) {
                    patterns.push(w);
                    kinds.push(TermKind::Stop);
                }
            }
            for w in &theme.rivals {
                if seen.insert(w.as_str()) {
                    patterns.push(w);
                    kinds.push(TermKind::Rival);
                }
            }
        }
        for (i, theme) in file.themes.iter().enumerate() {
            for w in &theme.terms {
                if seen.insert(w.as_str()) {
                    patterns.push(w);
                    kinds.push(TermKind::Theme(i));
                }
            }
        }
        let automaton = LeftmostWords::new(&patterns).map_err(|e| cannot_compile(origin, &e))?;
        let slogans =
            LeftmostWords::new(&file.filters.slogans).map_err(|e| cannot_compile(origin, &e))?;
        let indicator_words = file
            .themes
            .iter()
            .map(|theme| IndicatorWords::new(theme, origin))
            .collect::<Result<Vec<_>, _>>()?;
        let new_subjects = OverlappingWords::new(&file.filters.new_subjects)
            .map_err(|e| cannot_compile(origin, &e))?;
        let canonical = serde_json::to_string(&file)
            .map_err(|e| lexicon_error(origin, 0, 0, &e.to_string()))?;
        let hash = blake3::hash(canonical.as_bytes()).to_hex();
        let terms = patterns.iter().map(|w| w.to_string()).collect();
        Ok(Lexicon {
            terms,
            automaton,
            kinds,
            slogans,
            indicator_words,
            new_subjects,
            version: hash.as_str()[..12].to_string(),
            file,
        })
    }
}

/// The error of a word list that cannot be compiled into an automaton.
fn cannot_compile(origin: &str, reason: &str) -> ParseError {
    lexicon_error(origin, 0, 0, &format!("cannot compile terms: {reason}"))
}

fn extend_unique(into: &mut Vec<String>, more: Vec<String>) {
    for w in more {
        if !into.contains(&w) {
            into.push(w);
        }
    }
}

fn lexicon_error(origin: &str, line: usize, column: usize, message: &str) -> ParseError {
    ParseError::Lexicon {
        origin: origin.to_string(),
        line,
        column,
        message: message.to_string(),
    }
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Line and column of the first occurrence of `needle` (quoted) in `source`, or 0:0.
fn locate(source: &str, needle: &str) -> (usize, usize) {
    let quoted = format!("\"{needle}\"");
    match source.find(&quoted) {
        Some(at) => line_col(source, at),
        None => (0, 0),
    }
}

fn parse_file(text: &str, origin: &str) -> Result<LexiconFile, ParseError> {
    toml::from_str::<LexiconFile>(text).map_err(|e| {
        let (line, column) = e.span().map_or((0, 0), |s| line_col(text, s.start));
        lexicon_error(origin, line, column, e.message())
    })
}

fn validate(file: &LexiconFile, source: &str, origin: &str) -> Result<(), ParseError> {
    let mut ids = std::collections::HashSet::new();
    for theme in &file.themes {
        let (line, column) = locate(source, &theme.id);
        let bad = |msg: String| Err(lexicon_error(origin, line, column, &msg));
        let id_ok = !theme.id.is_empty()
            && theme
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !id_ok {
            return bad(format!(
                "theme id {:?} must be non-empty snake_case ASCII",
                theme.id
            ));
        }
        if !ids.insert(theme.id.as_str()) {
            return bad(format!("theme id {:?} appears twice", theme.id));
        }
        if theme.terms.is_empty() {
            return bad(format!("theme {:?} has no terms", theme.id));
        }
        let words = theme
            .terms
            .iter()
            .chain(&theme.stop)
            .chain(&theme.rivals)
            .chain(theme.indicators.iter().flat_map(|i| i.words.iter()));
        for w in words {
            if w.trim().is_empty() {
                return bad(format!("theme {:?} lists an empty word", theme.id));
            }
        }
        for ind in &theme.indicators {
            if ind.id.is_empty() {
                return bad(format!("theme {:?} has an indicator with no id", theme.id));
            }
        }
    }
    if file
        .filters
        .slogans
        .iter()
        .chain(&file.filters.after_unit)
        .chain(&file.filters.new_subjects)
        .chain(&file.changes.up)
        .chain(&file.changes.down)
        .any(|w| w.trim().is_empty())
    {
        return Err(lexicon_error(
            origin,
            0,
            0,
            "an empty word in [filters] or [changes]",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The automata answer exactly what a substring search per word answers,
    /// on every line of the seed reports (when present) and on hand-made text.
    #[test]
    fn word_automata_agree_with_a_search_per_word() {
        let lex = Lexicon::builtin().unwrap();
        // Hand-made lines holding a word of each list, so the test has hits
        // even without the seeds.
        let first_indicator_word = lex.themes()[0].indicators[0].words[0].clone();
        let first_new_subject = lex.filters().new_subjects[0].clone();
        let mut texts: Vec<String> = vec![
            String::new(),
            "全年专利申请量达到120件，授权量80件".into(),
            format!("全县{first_indicator_word}66家"),
            format!("{first_new_subject}增加5个"),
        ];
        texts.extend(crate::test_lines::seed_lines());
        let (mut indicator_hits, mut subject_hits) = (0, 0);
        for text in &texts {
            for (t, theme) in lex.themes().iter().enumerate() {
                let expected = theme
                    .indicators
                    .iter()
                    .flat_map(|i| &i.words)
                    .any(|w| text.contains(w.as_str()));
                assert_eq!(lex.has_indicator_word(t, text), expected, "{t}: {text}");
                indicator_hits += usize::from(expected);
                // Every occurrence, per indicator, as a search per word finds them.
                let mut want: Vec<(usize, usize, usize)> = Vec::new();
                for (i, indicator) in theme.indicators.iter().enumerate() {
                    for w in &indicator.words {
                        want.extend(
                            text.match_indices(w.as_str())
                                .map(|(at, _)| (i, at, at + w.len())),
                        );
                    }
                }
                let mut got: Vec<(usize, usize, usize)> = lex
                    .indicator_words_in(t, text)
                    .into_iter()
                    .map(|w| (w.indicator, w.start, w.end))
                    .collect();
                want.sort_unstable();
                want.dedup();
                got.sort_unstable();
                assert_eq!(got, want, "{t}: {text}");
            }
            let expected = lex
                .filters()
                .new_subjects
                .iter()
                .any(|w| text.contains(w.as_str()));
            assert_eq!(lex.has_new_subject(text), expected, "{text}");
            subject_hits += usize::from(expected);
        }
        assert!(indicator_hits >= 2, "{indicator_hits}");
        assert!(subject_hits >= 1, "{subject_hits}");
        assert!(!lex.has_indicator_word(lex.themes().len(), "授权量80件"));
        println!(
            "{} texts, {indicator_hits} indicator hits, {subject_hits} new-subject hits",
            texts.len()
        );
    }

    #[test]
    fn builtin_has_the_headline_themes_in_order() {
        let lex = Lexicon::builtin().expect("builtin lexicon parses");
        let ids = lex.theme_ids();
        assert_eq!(
            &ids[..4],
            &[
                "high_tech_enterprise",
                "patent",
                "science_envoy",
                "earthquake_preparedness"
            ]
        );
        for more in [
            "incubator",
            "rd_spending",
            "tech_contract",
            "talent",
            "project_funding",
        ] {
            assert!(ids.contains(&more), "{more} missing");
        }
        assert_eq!(lex.version().len(), 12);
    }

    #[test]
    fn longer_words_hide_terms() {
        let lex = Lexicon::builtin().unwrap();
        let kinds: Vec<TermKind> = lex
            .find_terms("升建国家高新区，培育科技型中小企业，防艾宣传，独创专利")
            .into_iter()
            .map(|m| m.kind)
            .collect();
        assert_eq!(
            kinds,
            vec![
                TermKind::Stop,
                TermKind::Rival,
                TermKind::Rival,
                TermKind::Theme(1)
            ]
        );
    }

    #[test]
    fn common_words_are_not_terms() {
        let lex = Lexicon::builtin().unwrap();
        let themes: Vec<TermKind> = lex
            .find_terms("着力提高企事业单位意识,成立金融特派员队伍")
            .into_iter()
            .map(|m| m.kind)
            .filter(|k| matches!(k, TermKind::Theme(_)))
            .collect();
        assert!(themes.is_empty(), "{themes:?}");
        fn shared<T: Send + Sync>(_: &T) {}
        shared(&lex);
    }

    #[test]
    fn overrides_replace_and_add_themes_and_change_version() {
        let lex = Lexicon::builtin().unwrap();
        let before = lex.version();
        let user = "[[theme]]\nid = \"patent\"\nterms = [\"专利\"]\n\n[[theme]]\nid = \"agri_park\"\nterms = [\"农业科技园\"]\n";
        let lex = lex.with_overrides(user, "user.toml").unwrap();
        assert_ne!(lex.version(), before);
        let ids = lex.theme_ids();
        assert_eq!(ids.last(), Some(&"agri_park"));
        assert_eq!(ids.iter().filter(|i| **i == "patent").count(), 1);
        let p = lex.themes().iter().find(|t| t.id == "patent").unwrap();
        assert!(p.indicators.is_empty());
        let found = lex.find_terms("筹备规划农业科技园");
        assert_eq!(found.len(), 1);
    }

    #[test]
    fn override_errors_carry_line_and_column() {
        let lex = Lexicon::builtin().unwrap();
        let err = lex
            .clone()
            .with_overrides("[[theme]]\nid = \"x\"\nterms = [\"a\"\n", "bad.toml")
            .unwrap_err();
        match err {
            ParseError::Lexicon {
                origin,
                line,
                column,
                ..
            } => {
                assert_eq!(origin, "bad.toml");
                assert!(line >= 3, "line {line}");
                assert!(column >= 1);
            }
            other => panic!("unexpected {other:?}"),
        }
        let err = lex
            .with_overrides("\n[[theme]]\nid = \"empty_one\"\nterms = []\n", "u.toml")
            .unwrap_err();
        assert!(
            matches!(
                err,
                ParseError::Lexicon {
                    line: 3,
                    column: 6,
                    ..
                }
            ),
            "{err:?}"
        );
        let twice =
            "[[theme]]\nid = \"a\"\nterms = [\"甲\"]\n[[theme]]\nid = \"a\"\nterms = [\"乙\"]\n";
        let err = Lexicon::builtin()
            .unwrap()
            .with_overrides(twice, "twice.toml")
            .unwrap_err();
        assert!(err.to_string().contains("appears twice"), "{err}");
    }

    /// Text made of lexicon words (terms, stop words, rivals, and their
    /// halves, so matches overlap and get cut) and filler, cut into spans at
    /// the chosen characters, some of them left out.
    fn words_and_spans(
        pieces: &[usize],
        cuts: &[bool],
        kept: &[bool],
    ) -> (String, Vec<std::ops::Range<usize>>) {
        let lex = Lexicon::builtin().unwrap();
        let mut words: Vec<String> = vec!["。".into(), "，".into(), "全市".into(), "66家".into()];
        for theme in lex.themes() {
            for w in theme.terms.iter().chain(&theme.stop).chain(&theme.rivals) {
                words.push(w.clone());
                let half: String = w.chars().take(w.chars().count() / 2).collect();
                words.push(half);
            }
        }
        let text: String = pieces
            .iter()
            .map(|&p| words[p % words.len()].as_str())
            .collect();
        let mut bounds: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .zip(cuts.iter().cycle())
            .filter(|(_, cut)| **cut)
            .map(|(i, _)| i)
            .collect();
        bounds.push(text.len());
        let mut spans = Vec::new();
        let mut start = 0;
        for (k, end) in bounds.into_iter().enumerate() {
            if kept.get(k).copied().unwrap_or(true) {
                spans.push(start..end);
            }
            start = end;
        }
        (text, spans)
    }

    proptest::proptest! {
        #[test]
        fn terms_in_spans_equal_a_search_per_span(
            pieces in proptest::collection::vec(0usize..10_000, 0..40),
            cuts in proptest::collection::vec(proptest::bool::weighted(0.15), 1..60),
            kept in proptest::collection::vec(proptest::bool::weighted(0.8), 0..20),
        ) {
            let lex = Lexicon::builtin().unwrap();
            let (text, spans) = words_and_spans(&pieces, &cuts, &kept);
            let got = lex.find_terms_in_spans(&text, &spans);
            for (i, span) in spans.iter().enumerate() {
                let want = lex.find_terms(&text[span.clone()]);
                proptest::prop_assert_eq!(got.of(i), want.as_slice(), "span {} {:?} of {:?}", i, span, text);
            }
            proptest::prop_assert!(got.of(spans.len()).is_empty());
        }
    }

    /// Both ways to the answer are taken: one search of the whole text when
    /// the spans are sentences, a search per span when a span's edge cuts a
    /// term or the spans are out of order.
    #[test]
    fn terms_in_spans_take_both_paths() {
        let lex = Lexicon::builtin().unwrap();
        let text = "全市高新技术企业66家。申请专利120件。";
        let whole = lex.automaton.find(text);
        let second = text.find('申').unwrap();
        let sentences = [0..second, second..text.len()];
        assert!(lex.terms_of_whole_text(&whole, &sentences).is_some());
        let cut = text.find('技').unwrap();
        let through_a_term = [0..cut, cut..text.len()];
        assert!(lex.terms_of_whole_text(&whole, &through_a_term).is_none());
        // A term between two spans (高新技术企业) is no span's, and the
        // whole-text search steps over it.
        let around_a_term = [
            0..text.find('高').unwrap(),
            text.find('6').unwrap()..text.len(),
        ];
        assert!(lex.terms_of_whole_text(&whole, &around_a_term).is_some());
        let reversed = [second..text.len(), 0..second];
        for spans in [
            &sentences[..],
            &through_a_term[..],
            &around_a_term[..],
            &reversed[..],
        ] {
            let got = lex.find_terms_in_spans(text, spans);
            for (i, span) in spans.iter().enumerate() {
                assert_eq!(got.of(i), lex.find_terms(&text[span.clone()]).as_slice());
            }
        }
        assert!(!lex.find_terms_in_spans(text, &sentences).of(0).is_empty());
    }
}
