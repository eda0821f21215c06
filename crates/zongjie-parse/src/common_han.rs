//! Counting common Han characters in GB18030 or Big5 bytes without decoding
//! them: the test that tells the two encodings apart.
//!
//! Correctly decoded report text is a fifth or more made of the characters of
//! [`COMMON_HAN`]; GB18030 bytes read as Big5 (or the reverse) give scattered
//! rare characters. Decoding a sample twice and counting costs about 45
//! instructions a byte. Every common character is one lead byte and one
//! trail byte in either encoding, so [`CommonPairs`] keeps, per encoding, the
//! byte pairs that decode to one, and [`CommonPairs::count`] steps through
//! the bytes as the encoding's WHATWG decoder (encoding_rs) does, a lead byte
//! and its trail at a time, testing each pair with one bit lookup. The count
//! equals decoding then counting; a property test holds it to that.

use std::sync::LazyLock;

use encoding_rs::{Encoding, BIG5, GB18030};

use crate::char_bits::CharBits;

/// Very common characters written the same way in simplified and traditional
/// Chinese.
const COMMON_HAN: &str = "的一是在不了有和人中大上我以要用生到作地出就分成可主年同工也能下子方多\
定行所民得十三之等部度家力如水化高自二理起小物加都制使本去性好合其些然前外天四日社事平形相全表\
重新正心明看原比但第向道此只情者最立想已提直展五果科技企服推建局市月共完培育";

/// The characters of [`COMMON_HAN`] as a bit set.
static COMMON_SET: LazyLock<CharBits> = LazyLock::new(|| CharBits::new(COMMON_HAN.chars()));

/// The byte pairs of GB18030 that decode to a common character.
pub(crate) static GB18030_PAIRS: LazyLock<CommonPairs> =
    LazyLock::new(|| CommonPairs::new(GB18030));

/// The byte pairs of Big5 that decode to a common character.
pub(crate) static BIG5_PAIRS: LazyLock<CommonPairs> = LazyLock::new(|| CommonPairs::new(BIG5));

/// Lead bytes of a two-byte character in both encodings.
const LEADS: std::ops::RangeInclusive<u8> = 0x81..=0xfe;

/// Every trail byte either encoding maps a character from.
const TRAILS: std::ops::RangeInclusive<u8> = 0x40..=0xfe;

/// For one encoding, a bit per (lead, trail) byte pair: set when the pair
/// decodes to a character of [`COMMON_HAN`].
#[derive(Debug)]
pub(crate) struct CommonPairs {
    bits: Vec<u64>,
}

impl CommonPairs {
    /// The pairs of `encoding` (GB18030 or Big5). GB18030 gives each
    /// character one pair: each common character encoded. Big5 gives some
    /// two (十 is 0xA2 0xCC and 0xA4 0x51; the Hong Kong rows, lead bytes
    /// 0x81–0xA0, repeat others), so its pairs are found by decoding every
    /// pair with a trail byte Big5 maps from. A test decodes every pair of
    /// both encodings to check the table.
    fn new(encoding: &'static Encoding) -> CommonPairs {
        let mut table = CommonPairs {
            bits: vec![0u64; 0x1_0000 / 64],
        };
        if encoding == BIG5 {
            let trails = |trail: &u8| !(0x7f..=0xa0).contains(trail);
            for (lead, trail) in decoded_common_pairs(BIG5, trails) {
                table.insert(lead, trail);
            }
            return table;
        }
        let mut buffer = [0u8; 4];
        for c in COMMON_HAN.chars() {
            let (bytes, _, unmappable) = encoding.encode(c.encode_utf8(&mut buffer));
            if let (false, [lead, trail]) = (unmappable, &*bytes) {
                table.insert(*lead, *trail);
            }
        }
        table
    }

    fn insert(&mut self, lead: u8, trail: u8) {
        let index = usize::from(lead) << 8 | usize::from(trail);
        self.bits[index / 64] |= 1 << (index % 64);
    }

    /// Whether `lead` then `trail` decodes to a common character.
    fn holds(&self, lead: u8, trail: u8) -> bool {
        let index = usize::from(lead) << 8 | usize::from(trail);
        self.bits[index / 64] & (1 << (index % 64)) != 0
    }

    /// How many common characters decoding `bytes` (as one whole input, no
    /// byte-order mark) would give.
    ///
    /// The decoder's steps that matter for the count: a byte outside the
    /// lead range is one character or an error on its own; a lead byte
    /// takes the next byte as its trail, and when the pair is an error an
    /// ASCII trail is read again, as an ASCII character, which leaves the
    /// decoder where taking it would have. GB18030's four-byte sequences (a
    /// lead byte, a digit, a lead byte, a digit) are never a common
    /// character, and read two bytes at a time they make two pairs with a
    /// digit for trail, which no common pair has: the same count, and the
    /// same place to go on from, whether the sequence is whole or cut short.
    pub(crate) fn count(&self, bytes: &[u8]) -> usize {
        let mut count = 0;
        let mut i = 0;
        while let Some(&lead) = bytes.get(i) {
            if !LEADS.contains(&lead) {
                i += 1;
                continue;
            }
            let Some(&trail) = bytes.get(i + 1) else {
                break;
            };
            count += usize::from(self.holds(lead, trail));
            i += 2;
        }
        count
    }
}

/// The pairs of any lead byte and a trail byte kept by `trails` that
/// `encoding` decodes to a common character, found by decoding each of them.
fn decoded_common_pairs(
    encoding: &'static Encoding,
    trails: impl Fn(&u8) -> bool,
) -> Vec<(u8, u8)> {
    let pairs: Vec<(u8, u8)> = LEADS
        .flat_map(|lead| TRAILS.map(move |trail| (lead, trail)))
        .filter(|(_, trail)| trails(trail))
        .collect();
    // Each pair then a newline: an ASCII byte that ends whatever the pair
    // left unfinished and is never a trail byte, so the decoded text splits
    // back into one piece per pair.
    let bytes: Vec<u8> = pairs
        .iter()
        .flat_map(|&(lead, trail)| [lead, trail, b'\n'])
        .collect();
    let (text, _) = encoding.decode_without_bom_handling(&bytes);
    pairs
        .into_iter()
        .zip(text.split('\n'))
        .filter(|(_, piece)| {
            let mut chars = piece.chars();
            matches!((chars.next(), chars.next()), (Some(c), None) if COMMON_SET.contains(c))
        })
        .map(|(pair, _)| pair)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decode, then count: what [`CommonPairs::count`] must equal.
    fn reference(encoding: &'static Encoding, bytes: &[u8]) -> usize {
        let (text, _) = encoding.decode_without_bom_handling(bytes);
        text.chars().filter(|&c| COMMON_SET.contains(c)).count()
    }

    #[test]
    fn common_set_holds_exactly_the_common_characters() {
        let listed: std::collections::BTreeSet<char> = COMMON_HAN.chars().collect();
        let in_set: std::collections::BTreeSet<char> = (0..=0x10ffffu32)
            .filter_map(char::from_u32)
            .filter(|&c| COMMON_SET.contains(c))
            .collect();
        assert_eq!(in_set, listed);
    }

    #[test]
    fn every_common_character_is_one_pair_in_both_encodings() {
        for (encoding, pairs) in [(GB18030, &*GB18030_PAIRS), (BIG5, &*BIG5_PAIRS)] {
            for c in COMMON_HAN.chars() {
                let text = c.to_string();
                let (bytes, _, unmappable) = encoding.encode(&text);
                assert!(!unmappable, "{c} in {}", encoding.name());
                assert_eq!(bytes.len(), 2, "{c} in {}", encoding.name());
                assert!(
                    pairs.holds(bytes[0], bytes[1]),
                    "{c} in {}",
                    encoding.name()
                );
            }
        }
    }

    #[test]
    fn the_table_holds_every_pair_that_decodes_to_a_common_character() {
        for (encoding, table) in [(GB18030, &*GB18030_PAIRS), (BIG5, &*BIG5_PAIRS)] {
            let decoded = decoded_common_pairs(encoding, |_| true);
            let held: Vec<(u8, u8)> = LEADS
                .flat_map(|lead| TRAILS.map(move |trail| (lead, trail)))
                .filter(|&(lead, trail)| table.holds(lead, trail))
                .collect();
            assert_eq!(held, decoded, "{}", encoding.name());
            assert!(decoded.len() >= COMMON_HAN.chars().count());
        }
        // Big5's doubles, as the table's build says.
        for pair in [[0xa2, 0xcc], [0xa4, 0x51]] {
            assert_eq!(BIG5.decode_without_bom_handling(&pair).0, "十");
        }
    }

    #[test]
    fn no_four_byte_sequence_is_a_common_character() {
        let mut bytes = Vec::new();
        for a in LEADS {
            for b in b'0'..=b'9' {
                for c in LEADS {
                    for d in b'0'..=b'9' {
                        bytes.extend([a, b, c, d]);
                    }
                }
            }
        }
        assert_eq!(reference(GB18030, &bytes), 0);
    }

    #[test]
    fn counts_real_text_as_decoding_does() {
        let simp = "全市科技工作取得新成效，新认定高新技术企业12家，组织企业开展技术攻关。";
        let trad = "全市科技工作取得新成效，新認定高新技術企業12家，組織企業開展技術攻關。";
        for text in [simp, trad] {
            for encoding in [GB18030, BIG5] {
                let bytes = encoding.encode(text).0;
                for (reader, pairs) in [(GB18030, &*GB18030_PAIRS), (BIG5, &*BIG5_PAIRS)] {
                    assert_eq!(
                        pairs.count(&bytes),
                        reference(reader, &bytes),
                        "{text} in {} read as {}",
                        encoding.name(),
                        reader.name()
                    );
                }
            }
        }
        let gb = GB18030.encode(simp).0;
        assert!(GB18030_PAIRS.count(&gb) >= 15);
        assert!(BIG5_PAIRS.count(&gb) <= 2);
    }

    #[test]
    fn counts_real_files_as_decoding_does() {
        let files = crate::test_lines::real_files();
        // The sample corpus is part of the repository: never an empty check.
        assert!(files.len() >= 16, "only {} files read", files.len());
        let not_utf8 = files
            .iter()
            .filter(|f| std::str::from_utf8(f).is_err())
            .count();
        assert!(not_utf8 >= 3, "only {not_utf8} files are not UTF-8");
        for bytes in &files {
            for sample in [&bytes[..bytes.len().min(2048)], &bytes[..]] {
                assert_eq!(GB18030_PAIRS.count(sample), reference(GB18030, sample));
                assert_eq!(BIG5_PAIRS.count(sample), reference(BIG5, sample));
            }
        }
    }

    /// Bytes that reach every branch of both decoders: ASCII, digits, lead
    /// bytes, lead bytes before a digit, 0x80 and 0xFF, and pieces of real
    /// encoded text.
    fn mixed_bytes() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
        use proptest::prelude::*;
        let piece = prop_oneof![
            any::<u8>().prop_map(|b| vec![b]),
            (b'0'..=b'9').prop_map(|b| vec![b]),
            (0x81u8..=0xfe).prop_map(|b| vec![b]),
            // The start of a four-byte sequence, cut short by what follows.
            (0x81u8..=0xfe, b'0'..=b'9').prop_map(|(lead, digit)| vec![lead, digit]),
            Just(vec![0x80]),
            Just(vec![0xff]),
            "[科技企业服务的一是在市局月年高新]{1,4}"
                .prop_map(|s| GB18030.encode(&s).0.into_owned()),
            "[科技企業服務的一是在市局月年高新]{1,4}".prop_map(|s| BIG5.encode(&s).0.into_owned()),
        ];
        proptest::collection::vec(piece, 0..64).prop_map(|pieces| pieces.concat())
    }

    proptest::proptest! {
        #[test]
        fn count_equals_decoding_then_counting(bytes in mixed_bytes()) {
            proptest::prop_assert_eq!(GB18030_PAIRS.count(&bytes), reference(GB18030, &bytes));
            proptest::prop_assert_eq!(BIG5_PAIRS.count(&bytes), reference(BIG5, &bytes));
        }
    }
}
