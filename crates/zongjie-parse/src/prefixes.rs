//! [`Prefixes`]: a fixed list of words, asked for the longest of them that a
//! text starts with.
//!
//! The number scanner asks this after every numeral (is it followed by a
//! unit, a date word?). Walking the whole list compared each word in turn, a
//! comparison per word per numeral; grouping the words by their first
//! character leaves one lookup and a comparison or two.

/// Words grouped by first character, each group longest first.
#[derive(Debug, Clone)]
pub(crate) struct Prefixes {
    /// Sorted by character; no two entries share one.
    by_first: Vec<(char, Vec<&'static str>)>,
}

impl Prefixes {
    /// The lookup of `words`. Empty words are left out: they would begin
    /// every text and name nothing.
    pub(crate) fn new(words: &[&'static str]) -> Prefixes {
        let mut by_first: Vec<(char, Vec<&'static str>)> = Vec::new();
        for &word in words {
            let Some(first) = word.chars().next() else {
                continue;
            };
            match by_first.binary_search_by_key(&first, |(c, _)| *c) {
                Ok(i) => by_first[i].1.push(word),
                Err(i) => by_first.insert(i, (first, vec![word])),
            }
        }
        for (_, group) in &mut by_first {
            // Stable: of two equal words the first listed comes first.
            group.sort_by_key(|w| std::cmp::Reverse(w.len()));
        }
        Prefixes { by_first }
    }

    /// The longest word of the list that `text` starts with.
    pub(crate) fn longest(&self, text: &str) -> Option<&'static str> {
        let first = text.chars().next()?;
        let i = self
            .by_first
            .binary_search_by_key(&first, |(c, _)| *c)
            .ok()?;
        self.by_first[i]
            .1
            .iter()
            .copied()
            .find(|w| text.starts_with(w))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const WORDS: &[&str] = &[
        "个百分点",
        "人次",
        "人",
        "个",
        "元",
        "万元",
        "%",
        "％",
        "次",
        "",
    ];

    /// The walk through the whole list that [`Prefixes::longest`] replaces.
    fn reference(text: &str, words: &[&'static str]) -> Option<&'static str> {
        words
            .iter()
            .copied()
            .filter(|w| !w.is_empty() && text.starts_with(w))
            .max_by_key(|w| w.len())
    }

    #[test]
    fn takes_the_longest_word_with_a_shared_start() {
        let p = Prefixes::new(WORDS);
        assert_eq!(p.longest("人次以上"), Some("人次"));
        assert_eq!(p.longest("人参与"), Some("人"));
        assert_eq!(p.longest("个百分点"), Some("个百分点"));
        assert_eq!(p.longest("个百分"), Some("个"));
        assert_eq!(p.longest("％"), Some("％"));
        assert_eq!(p.longest("年"), None);
        assert_eq!(p.longest(""), None);
    }

    proptest! {
        #[test]
        fn equals_the_walk_through_the_list(text in "[个百分点人次元万%％年 a]{0,6}") {
            let p = Prefixes::new(WORDS);
            prop_assert_eq!(p.longest(&text), reference(&text, WORDS));
        }
    }
}
