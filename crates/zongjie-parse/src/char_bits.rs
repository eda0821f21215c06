//! [`CharBits`]: a set of characters tested with one bit lookup, for scans
//! that ask "is this character in the set" of every character of a text.

/// A set of characters: a bit per code point of the Basic Multilingual Plane
/// (8 KB), and a sorted list for the rare characters above it. Read from a
/// data file as one string of its members ("。；！？，,;!?\n").
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(from = "String")]
pub(crate) struct CharBits {
    /// Bit `code % 64` of word `code / 64` for each member `code` below
    /// U+10000; a fixed length, so an index known to be below it needs no
    /// check.
    bmp: Box<[u64; BMP_WORDS]>,
    astral: Vec<char>,
}

/// Words of the Basic Multilingual Plane's bits.
const BMP_WORDS: usize = 0x1_0000 / 64;

impl CharBits {
    /// The set of `chars`.
    pub(crate) fn new(chars: impl IntoIterator<Item = char>) -> CharBits {
        let mut set = CharBits {
            bmp: Box::new([0; BMP_WORDS]),
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

    /// The first character of the set in `text` at or after byte `at`, with
    /// its byte offset: `text[at..].char_indices().find(..)` with `contains`,
    /// shifted by `at`. `None` as well when `at` is not a character boundary.
    ///
    /// A report is mostly three-byte characters (every Han one): those are
    /// tested straight from their bytes ([`CharBits::holds_three_bytes`]),
    /// and only a character found is decoded; an ASCII one is its byte. With the set {，。},
    /// "科技，局。" from 0 gives (6, '，') and from 9 gives (12, '。').
    pub(crate) fn find_from(&self, text: &str, at: usize) -> Option<(usize, char)> {
        text.get(at..)?;
        let bytes = text.as_bytes();
        let mut i = at;
        while let Some(&lead) = bytes.get(i) {
            if lead & 0xf0 == 0xe0 {
                if self.holds_three_bytes(&bytes[i..]) {
                    return text.get(i..)?.chars().next().map(|c| (i, c));
                }
                i += 3;
                continue;
            }
            if lead.is_ascii() {
                // An ASCII character is its byte.
                let c = char::from(lead);
                if self.contains(c) {
                    return Some((i, c));
                }
                i += 1;
                continue;
            }
            // Two- and four-byte characters: decoded. `i` moves by whole
            // characters from a boundary, so it is one.
            let c = text.get(i..)?.chars().next()?;
            if self.contains(c) {
                return Some((i, c));
            }
            i += c.len_utf8();
        }
        None
    }

    /// Whether the three-byte character `bytes` starts with is in the set,
    /// read from its bytes without decoding it: the lead byte's low four
    /// bits and the next byte's low six pick the word, the last byte's low
    /// six the bit. `bytes` must start with a three-byte character (lead
    /// byte `E0`–`EF` of UTF-8 text); shorter input is not in the set.
    #[inline]
    pub(crate) fn holds_three_bytes(&self, bytes: &[u8]) -> bool {
        let [lead, second, third, ..] = *bytes else {
            return false;
        };
        self.holds_three_byte_char(lead, second, third)
    }

    /// [`CharBits::holds_three_bytes`] for the character of the three bytes
    /// given, one by one.
    #[inline]
    pub(crate) fn holds_three_byte_char(&self, lead: u8, second: u8, third: u8) -> bool {
        // Four bits then six: below 1024, the length of `bmp`.
        let word = self.bmp[usize::from(lead & 0x0f) << 6 | usize::from(second & 0x3f)];
        word >> (third & 0x3f) & 1 != 0
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

    #[test]
    fn finds_from_a_boundary_only() {
        let breaks = CharBits::new("，。".chars());
        assert_eq!(breaks.find_from("科技，局。", 0), Some((6, '，')));
        assert_eq!(breaks.find_from("科技，局。", 9), Some((12, '。')));
        assert_eq!(breaks.find_from("科技，局。", 15), None);
        assert_eq!(breaks.find_from("科技，局。", 16), None);
        // Inside 科: not a boundary.
        assert_eq!(breaks.find_from("科技，局。", 1), None);
    }

    proptest::proptest! {
        #[test]
        fn find_from_equals_the_character_walk(
            members in "[a-z0-9，。、年月科技局ü©𠮶\u{ffff}\u{800}\u{10ffff}]{0,6}",
            text in "[a-z0-9，。、年月科技局工作ü©é𠮶𡈽\u{ffff}\u{800}\u{7ff}\u{10ffff}\n ]{0,30}",
            skip in 0usize..8,
        ) {
            let set = CharBits::new(members.chars());
            let at = text.char_indices().nth(skip).map_or(text.len(), |(i, _)| i);
            let walk = text[at..]
                .char_indices()
                .find(|&(_, c)| set.contains(c))
                .map(|(i, c)| (at + i, c));
            proptest::prop_assert_eq!(set.find_from(&text, at), walk);
        }
    }
}
