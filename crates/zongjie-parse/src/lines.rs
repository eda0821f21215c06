//! [`lines`] and [`split_newlines`]: the lines of a text, as `str::lines`
//! and `str::split('\n')` give them, found with the memchr crate's SIMD
//! search.
//!
//! Every stage walks the text line by line (wrappers, fragments, tidying,
//! titles, site headers), and report lines run to hundreds of bytes. The
//! standard library looks for `\n` a machine word at a time; the memchr
//! crate looks 32 bytes at a time where the processor allows it, which took
//! the search for line ends from about 3 % of a run's instructions to a
//! fraction of that.

/// The lines of `text` exactly as [`str::lines`] gives them: split at `\n`,
/// a `\r` right before it dropped, no empty line after a final `\n`.
pub(crate) fn lines(text: &str) -> Lines<'_> {
    Lines { rest: text }
}

/// The pieces of `text` between `\n`s exactly as `str::split('\n')` gives
/// them: a `\r` stays, and a final `\n` is followed by an empty piece.
pub(crate) fn split_newlines(text: &str) -> SplitNewlines<'_> {
    SplitNewlines { rest: Some(text) }
}

/// Iterator of [`lines`].
#[derive(Debug, Clone)]
pub(crate) struct Lines<'a> {
    /// The text after the lines given so far.
    rest: &'a str,
}

impl<'a> Iterator for Lines<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.rest.is_empty() {
            return None;
        }
        match first_piece(self.rest) {
            // A `\r` goes only with the `\n` after it.
            (line, Some(rest)) => {
                self.rest = rest;
                Some(line.strip_suffix('\r').unwrap_or(line))
            }
            (line, None) => {
                self.rest = "";
                Some(line)
            }
        }
    }
}

/// The text before the first `\n`, and the text after it (`None` when there
/// is no `\n`). `\n` is one byte and never inside a character: both cuts fall
/// on character boundaries.
fn first_piece(text: &str) -> (&str, Option<&str>) {
    match memchr::memchr(b'\n', text.as_bytes()) {
        Some(end) => (&text[..end], Some(&text[end + 1..])),
        None => (text, None),
    }
}

/// Iterator of [`split_newlines`].
#[derive(Debug, Clone)]
pub(crate) struct SplitNewlines<'a> {
    /// The text after the pieces given so far; `None` after the last piece.
    rest: Option<&'a str>,
}

impl<'a> Iterator for SplitNewlines<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let (piece, rest) = first_piece(self.rest?);
        self.rest = rest;
        Some(piece)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ends_of_lines_as_the_standard_library_cuts_them() {
        let found: Vec<&str> = lines("一、总结\r\n正文\n").collect();
        assert_eq!(found, ["一、总结", "正文"]);
        assert_eq!(lines("").count(), 0);
        assert_eq!(lines("\n").collect::<Vec<_>>(), [""]);
        // A `\r` ends no line, and stays at the end of the last one.
        assert_eq!(lines("a\rb\r").collect::<Vec<_>>(), ["a\rb\r"]);
        assert_eq!(split_newlines("").collect::<Vec<_>>(), [""]);
        assert_eq!(
            split_newlines("a\r\nb\n").collect::<Vec<_>>(),
            ["a\r", "b", ""]
        );
    }

    /// The files of the repository's sample corpus and of the seeds, as text.
    fn real_texts() -> Vec<String> {
        crate::test_lines::real_files()
            .iter()
            .map(|bytes| String::from_utf8_lossy(bytes).into_owned())
            .collect()
    }

    #[test]
    fn real_reports_split_as_the_standard_library_splits_them() {
        let texts = real_texts();
        // The sample corpus is part of the repository: never an empty check.
        assert!(texts.len() >= 16, "only {} files read", texts.len());
        assert!(texts.iter().any(|t| t.contains("\r\n")));
        for text in &texts {
            assert!(lines(text).eq(text.lines()));
            assert!(split_newlines(text).eq(text.split('\n')));
        }
    }

    proptest! {
        #[test]
        fn equal_to_the_standard_library(text in "(\n|\r|\r\n| |a|总结|，|。){0,40}") {
            prop_assert_eq!(lines(&text).collect::<Vec<_>>(), text.lines().collect::<Vec<_>>());
            prop_assert_eq!(
                split_newlines(&text).collect::<Vec<_>>(),
                text.split('\n').collect::<Vec<_>>()
            );
        }
    }
}
