//! [`LeftmostWords`] and [`OverlappingWords`]: word lists as character-wise
//! automata (the gazetteer's place names and cue words, the lexicon's lists,
//! the structure's role keywords).
//!
//! Report text is CJK, three bytes a character, so an automaton that steps a
//! character at a time (daachorse's double array) walks a third of the
//! states a byte-wise one does; its prefilter skips stretches of text that
//! hold no two-character start of any word. The two types keep the two
//! search semantics apart, so a search can never be asked of an automaton
//! built for the other one.

use daachorse::{CharwiseDoubleArrayAhoCorasick, CharwiseDoubleArrayAhoCorasickBuilder, MatchKind};

/// One occurrence of a word: byte offsets and the word's index in its list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct WordMatch {
    /// Byte offset of the word's start.
    pub start: usize,
    /// Byte offset one past the word's end.
    pub end: usize,
    /// The word's index in the list the automaton was built from.
    pub word: usize,
}

impl From<daachorse::Match<u32>> for WordMatch {
    fn from(m: daachorse::Match<u32>) -> WordMatch {
        WordMatch {
            start: m.start(),
            end: m.end(),
            word: m.value() as usize,
        }
    }
}

/// Words found leftmost-longest: non-overlapping, at each position the
/// longest word that starts there.
///
/// Searched as every overlapping occurrence, then thinned by
/// [`leftmost_longest`]: daachorse's own leftmost-longest search took more
/// instructions than an overlapping pass and a sort of its few dozen
/// matches (on 300 generated reports, 7 % more of the region stage over the
/// place names, 2 % more of the fact stage over the lexicon's terms).
#[derive(Clone)]
pub(crate) struct LeftmostWords(CharwiseDoubleArrayAhoCorasick<u32>);

/// Words found with all their overlapping occurrences.
#[derive(Clone)]
pub(crate) struct OverlappingWords(CharwiseDoubleArrayAhoCorasick<u32>);

/// The automaton of `words` with `kind`, with daachorse's two-character
/// prefilter or without; a match's value is the word's index. Empty words
/// are left out (they would match everywhere and name nothing).
fn build(
    words: &[impl AsRef<str>],
    kind: MatchKind,
    prefilter: bool,
) -> Result<CharwiseDoubleArrayAhoCorasick<u32>, String> {
    let patvals = words
        .iter()
        .enumerate()
        .filter(|(_, w)| !w.as_ref().is_empty())
        .map(|(i, w)| {
            u32::try_from(i)
                .map(|i| (w.as_ref(), i))
                .map_err(|_| format!("{} words are too many for one automaton", words.len()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    CharwiseDoubleArrayAhoCorasickBuilder::new()
        .match_kind(kind)
        .use_prefilter(prefilter)
        .build_with_values(patvals)
        .map_err(|e| e.to_string())
}

/// The leftmost-longest matches among `matches` (all occurrences, in any
/// order), in text order: the match that starts first, of those the longest
/// (the first word listed on a tie), then the same after its end.
pub(crate) fn leftmost_longest(mut matches: Vec<WordMatch>) -> Vec<WordMatch> {
    matches.sort_unstable_by_key(|m| (m.start, std::cmp::Reverse(m.end), m.word));
    let mut free = 0;
    matches.retain(|m| {
        let kept = m.start >= free;
        if kept {
            free = m.end;
        }
        kept
    });
    matches
}

impl LeftmostWords {
    /// The automaton of `words`; an error says why it cannot be built.
    pub(crate) fn new(words: &[impl AsRef<str>]) -> Result<LeftmostWords, String> {
        build(words, MatchKind::Standard, true).map(LeftmostWords)
    }

    /// The words in `text`, leftmost-longest, in text order.
    pub(crate) fn find(&self, text: &str) -> Vec<WordMatch> {
        // Built Standard (see `new`), the kind an overlapping search requires.
        leftmost_longest(
            self.0
                .find_overlapping_iter(text)
                .map(WordMatch::from)
                .collect(),
        )
    }
}

impl OverlappingWords {
    /// The automaton of `words`; an error says why it cannot be built.
    pub(crate) fn new(words: &[impl AsRef<str>]) -> Result<OverlappingWords, String> {
        build(words, MatchKind::Standard, true).map(OverlappingWords)
    }

    /// The automaton of `words` without the prefilter, for lists whose
    /// words start nearly everywhere in report text (the gazetteer's place
    /// names: with the prefilter the region stage took 1 % more
    /// instructions and the build 3 % more).
    pub(crate) fn without_prefilter(words: &[impl AsRef<str>]) -> Result<OverlappingWords, String> {
        build(words, MatchKind::Standard, false).map(OverlappingWords)
    }

    /// Every occurrence of every word in `text`, overlapping ones included,
    /// in order of their end.
    pub(crate) fn find<'a>(&'a self, text: &'a str) -> impl Iterator<Item = WordMatch> + 'a {
        // Built Standard (see `new`), the kind this search requires.
        self.0.find_overlapping_iter(text).map(WordMatch::from)
    }

    /// Whether `text` holds any of the words.
    pub(crate) fn is_match(&self, text: &str) -> bool {
        self.0.find_iter(text).next().is_some()
    }

    /// The automaton as bytes, for [`OverlappingWords::from_bytes`].
    // Called by the build script and the tests, not by the library.
    #[allow(dead_code)]
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        self.0.serialize()
    }

    /// The automaton [`OverlappingWords::to_bytes`] gave, checked as daachorse
    /// reads it (every state and output in range); `None` for bytes that are
    /// not a whole automaton.
    pub(crate) fn from_bytes(bytes: &[u8]) -> Option<OverlappingWords> {
        match CharwiseDoubleArrayAhoCorasick::deserialize(bytes) {
            Ok((automaton, [])) => Some(OverlappingWords(automaton)),
            _ => None,
        }
    }
}

impl std::fmt::Debug for LeftmostWords {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LeftmostWords")
            .field("states", &self.0.num_states())
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for OverlappingWords {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OverlappingWords")
            .field("states", &self.0.num_states())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::AhoCorasick;
    use proptest::prelude::*;

    /// With an empty word and a word listed twice, which the automata take
    /// in their stride.
    const WORDS: &[&str] = &[
        "高新",
        "高新技术企业",
        "技术",
        "企业",
        "专利",
        "专利申请",
        "R&D",
        "",
        "企业",
    ];

    fn aho(kind: aho_corasick::MatchKind) -> AhoCorasick {
        let words: Vec<&str> = WORDS.iter().copied().filter(|w| !w.is_empty()).collect();
        AhoCorasick::builder()
            .match_kind(kind)
            .build(words)
            .unwrap()
    }

    /// Matches as (start, end, word), the index mapped back to `WORDS`.
    fn reference(
        kind: aho_corasick::MatchKind,
        text: &str,
        overlapping: bool,
    ) -> Vec<(usize, usize, String)> {
        let ac = aho(kind);
        let matches: Vec<aho_corasick::Match> = if overlapping {
            ac.find_overlapping_iter(text).collect()
        } else {
            ac.find_iter(text).collect()
        };
        let words: Vec<&str> = WORDS.iter().copied().filter(|w| !w.is_empty()).collect();
        let mut out: Vec<_> = matches
            .iter()
            .map(|m| {
                (
                    m.start(),
                    m.end(),
                    words[m.pattern().as_usize()].to_string(),
                )
            })
            .collect();
        out.sort();
        out
    }

    fn ours(matches: impl Iterator<Item = WordMatch>) -> Vec<(usize, usize, String)> {
        let mut out: Vec<_> = matches
            .map(|m| (m.start, m.end, WORDS[m.word].to_string()))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn leftmost_longest_takes_the_longer_word() {
        let w = LeftmostWords::new(WORDS).unwrap();
        let found: Vec<&str> = w
            .find("全市高新技术企业66家,专利申请")
            .iter()
            .map(|m| WORDS[m.word])
            .collect();
        assert_eq!(found, ["高新技术企业", "专利申请"]);
    }

    #[test]
    fn overlapping_finds_every_occurrence() {
        let w = OverlappingWords::new(WORDS).unwrap();
        let found = ours(w.find("高新技术企业"));
        let words: Vec<&str> = found.iter().map(|(_, _, w)| w.as_str()).collect();
        // 企业 is listed twice: found once for each entry.
        assert_eq!(words, ["高新", "高新技术企业", "技术", "企业", "企业"]);
        assert!(w.is_match("R&D投入"));
        assert!(!w.is_match("科技局"));
    }

    proptest! {
        #[test]
        fn equal_to_the_byte_wise_automaton(text in "[高新技术企业专利申请R&D,。 ]{0,24}") {
            let left = LeftmostWords::new(WORDS).unwrap();
            prop_assert_eq!(
                ours(left.find(&text).into_iter()),
                reference(aho_corasick::MatchKind::LeftmostLongest, &text, false)
            );
            let all = OverlappingWords::new(WORDS).unwrap();
            prop_assert_eq!(
                ours(all.find(&text)),
                reference(aho_corasick::MatchKind::Standard, &text, true)
            );
            prop_assert_eq!(all.is_match(&text), aho(aho_corasick::MatchKind::Standard).is_match(&text));
        }
    }
}
