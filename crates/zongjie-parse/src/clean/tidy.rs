//! Step 6 of cleaning: whitespace tidying.
//!
//! Earlier steps leave blank lines where wrapper lines were and spaces where
//! indentation was. This step trims every line, collapses runs of blank lines
//! to one, and drops blank lines at both ends. A line of punctuation only (a
//! stray "." left at the end of a scraped page) counts as blank. Line breaks
//! are kept: they separate headings from text.

/// Trim lines, keep at most one blank line in a row, none at the ends.
pub fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = false;
    for line in crate::lines::lines(text) {
        let line = line.trim();
        if !line.chars().any(char::is_alphanumeric) {
            blank_run = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
            if blank_run {
                out.push('\n');
            }
        }
        blank_run = false;
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::tidy;

    #[test]
    fn collapses_blank_runs_and_trims() {
        assert_eq!(
            tidy("\n\n 标题 \n\n\n\n一、工作总结  \n正文。\n\n"),
            "标题\n\n一、工作总结\n正文。"
        );
    }

    #[test]
    fn keeps_single_breaks() {
        assert_eq!(tidy("a\nb\n\nc"), "a\nb\n\nc");
        assert_eq!(tidy("  \n \t\n"), "");
        assert_eq!(tidy("正文。\n.\n"), "正文。");
    }
}
