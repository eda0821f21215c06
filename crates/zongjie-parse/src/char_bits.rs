//! [`CharBits`]: a set of characters tested with one bit lookup, for scans
//! that ask "is this character in the set" of every character of a text.

/// A set of characters: a bit per code point of the Basic Multilingual Plane
/// (8 KB), and a sorted list for the rare characters above it. Read from a
/// data file as one string of its members ("。；！？，,;!?\n").
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(from = "String")]
pub(crate) struct CharBits {
    bmp: Vec<u64>,
    astral: Vec<char>,
}

impl CharBits {
    /// The set of `chars`.
    pub(crate) fn new(chars: impl IntoIterator<Item = char>) -> CharBits {
        let mut set = CharBits {
            bmp: vec![0; 0x1_0000 / 64],
            astral: Vec::new(),
        };
        for c in chars {
            let code = c as usize;
            match set.bmp.get_mut(code / 64) {
                Some(word) => *word |= 1 << (code % 64),
                None => set.astral.push(c),
            }
        }
        set.astral.sort_unstable();
        set.astral.dedup();
        set
    }

    /// How many characters the set holds.
    pub(crate) fn count(&self) -> usize {
        let bmp: u32 = self.bmp.iter().map(|word| word.count_ones()).sum();
        bmp as usize + self.astral.len()
    }

    /// Whether `c` is in the set.
    #[inline]
    pub(crate) fn contains(&self, c: char) -> bool {
        let code = c as usize;
        match self.bmp.get(code / 64) {
            Some(word) => word & (1 << (code % 64)) != 0,
            None => self.astral.binary_search(&c).is_ok(),
        }
    }
}

impl Default for CharBits {
    /// The empty set.
    fn default() -> CharBits {
        CharBits::new([])
    }
}

impl From<String> for CharBits {
    /// The set of the characters of `chars`.
    fn from(chars: String) -> CharBits {
        CharBits::new(chars.chars())
    }
}

#[cfg(test)]
mod tests {
    use super::CharBits;

    #[test]
    fn holds_exactly_its_characters() {
        let members = ['\0', 'a', '\u{ffff}', '年', '𠮶', '\u{10ffff}', '年'];
        let set = CharBits::new(members);
        for c in members {
            assert!(set.contains(c), "{c:?}");
        }
        for c in ['b', '\u{fffe}', '月', '\u{20bb7}', '\u{10fffe}'] {
            assert!(!set.contains(c), "{c:?}");
        }
        assert_eq!(set.count(), 6);
        let empty = CharBits::new([]);
        assert!(!empty.contains('a') && !empty.contains('𠮶'));
    }
}
