//! The words of a [`crate::Parser`]'s one automaton (the gazetteer's place
//! names and cue words, then the lexicon's terms) and the automaton built
//! ahead of time for the built-in tables.
//!
//! Building the automaton over the ~100 000 words is half of what it costs
//! to start a parser (206 M of 378 M instructions, ~45 ms), paid by every
//! process — a one-file run, each partition a batch engine pipes through
//! `--stdin-jsonl`, the one core that works alone before a parallel run's
//! first document. So the build script (`build.rs`, which compiles this
//! module with the gazetteer, lexicon and automaton modules) builds it for
//! the built-in gazetteer and lexicon and stores it with the words it was
//! built from ([`to_bytes`]); a parser whose words are exactly those loads
//! it ([`from_bytes`]: a copy and daachorse's validating read), and any
//! other parser, one with a user lexicon, builds its own ([`build`]).

use crate::gazetteer::Gazetteer;
use crate::lexicon::Lexicon;
use crate::word_automata::OverlappingWords;

/// The parser's words in automaton order: [`Gazetteer::words`] (word `i` is
/// the gazetteer's `i`-th), then the lexicon's terms.
pub(crate) fn words<'a>(gazetteer: &'a Gazetteer, lexicon: &'a Lexicon) -> Vec<&'a str> {
    gazetteer
        .words()
        .chain(lexicon.term_words().iter().map(String::as_str))
        .collect()
}

/// The automaton of `words`; an error says why it cannot be built.
pub(crate) fn build(words: &[&str]) -> Result<OverlappingWords, String> {
    // Report text is full of place-name starts: no prefilter.
    OverlappingWords::without_prefilter(words)
}

/// `automaton`, built from `words`, as bytes for [`from_bytes`]: the number
/// of words, each word's length and bytes, then the automaton.
// Called by the build script and the tests, not by the library.
#[allow(dead_code)]
pub(crate) fn to_bytes(words: &[&str], automaton: &OverlappingWords) -> Vec<u8> {
    let mut bytes = Vec::new();
    bytes.extend_from_slice(&(words.len() as u64).to_le_bytes());
    for word in words {
        bytes.extend_from_slice(&(word.len() as u64).to_le_bytes());
        bytes.extend_from_slice(word.as_bytes());
    }
    bytes.extend_from_slice(&automaton.to_bytes());
    bytes
}

/// The automaton stored in `bytes` by [`to_bytes`] when it was built from
/// exactly `words`, in order; `None` when the words differ or the bytes are
/// not such a record.
pub(crate) fn from_bytes(bytes: &[u8], words: &[&str]) -> Option<OverlappingWords> {
    let (count, mut rest) = take_u64(bytes)?;
    if count != words.len() as u64 {
        return None;
    }
    for word in words {
        let (len, after) = take_u64(rest)?;
        let stored = after.get(..usize::try_from(len).ok()?)?;
        if stored != word.as_bytes() {
            return None;
        }
        rest = &after[stored.len()..];
    }
    OverlappingWords::from_bytes(rest)
}

/// A little-endian `u64` off the front of `bytes`, and the rest.
fn take_u64(bytes: &[u8]) -> Option<(u64, &[u8])> {
    let (head, rest) = bytes.split_first_chunk::<8>()?;
    Some((u64::from_le_bytes(*head), rest))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::word_automata::WordMatch;
    use proptest::prelude::*;

    const WORDS: &[&str] = &["寿光", "寿光市", "科技局", "高新技术企业", "企业"];
    const TEXT: &str = "寿光市科技局:全市高新技术企业66家。";

    fn matches(automaton: &OverlappingWords) -> Vec<WordMatch> {
        automaton.find(TEXT).collect()
    }

    /// Loaded for the words it was built from, it finds what a fresh build does.
    #[test]
    fn an_automaton_loads_for_the_words_it_was_built_from() {
        let built = build(WORDS).unwrap();
        let loaded = from_bytes(&to_bytes(WORDS, &built), WORDS).unwrap();
        assert_eq!(matches(&loaded), matches(&built));
        assert_eq!(matches(&loaded).len(), 5);
    }

    /// Any other list of words, a word changed, added, dropped or moved, is
    /// refused: its matches would carry the wrong word indices.
    #[test]
    fn other_words_are_refused() {
        let bytes = to_bytes(WORDS, &build(WORDS).unwrap());
        let changed = ["寿光", "寿光市", "科技厅", "高新技术企业", "企业"];
        let added = ["寿光", "寿光市", "科技局", "高新技术企业", "企业", "专利"];
        let moved = ["寿光市", "寿光", "科技局", "高新技术企业", "企业"];
        for other in [&changed[..], &added[..], &WORDS[..4], &moved[..], &[]] {
            assert!(from_bytes(&bytes, other).is_none(), "{other:?}");
        }
    }

    /// Bytes cut anywhere, or with anything after the automaton, are refused.
    #[test]
    fn damaged_bytes_are_refused() {
        let bytes = to_bytes(WORDS, &build(WORDS).unwrap());
        for cut in [0, 7, 8, 20, bytes.len() / 2, bytes.len() - 1] {
            assert!(from_bytes(&bytes[..cut], WORDS).is_none(), "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(from_bytes(&longer, WORDS).is_none());
    }

    proptest! {
        /// Whatever follows the right words, reading it never panics, and
        /// an automaton it gives can be searched.
        #[test]
        fn any_bytes_after_the_words_read_without_panic(
            tail in proptest::collection::vec(any::<u8>(), 0..400),
            flip in 0usize..4096,
        ) {
            let automaton = build(WORDS).unwrap();
            let mut bytes = to_bytes(WORDS, &automaton);
            let words_end = bytes.len() - automaton.to_bytes().len();
            let at = words_end + flip % (bytes.len() - words_end);
            bytes[at] ^= 0x5a;
            for bytes in [&bytes[..], &[&bytes[..words_end], &tail[..]].concat()] {
                if let Some(automaton) = from_bytes(bytes, WORDS) {
                    let _ = automaton.find(TEXT).count();
                }
            }
        }
    }
}
