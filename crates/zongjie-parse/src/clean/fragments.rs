//! Step 4 of cleaning: page-fragment markers.
//!
//! Sharing sites cut the body into preview chunks and start each chunk on a new
//! line with "1、", "2、", "3、" …, wherever the page ended: mid-sentence
//! ("…示范农科驿站\n\n2、;蔬菜集团…") or mid-word ("积极\n\n7、性"). Left alone,
//! the markers break words and numbers ("提高到\n2、x.xx%") and pose as the
//! report's own numbered items.
//!
//! Recognition: the chunk markers form one sequence 1, 2, 3 … at line starts
//! that runs through the whole document, ignoring the report's own headings,
//! and most chunks before a marker end mid-sentence (a long line without
//! 。！？；： or a closing quote). The report's own items ("1、理论学习强素质。")
//! restart under each heading and follow finished sentences, so they fail the
//! test. When the sequence is accepted, every marker is removed and each chunk
//! is appended to the previous one with nothing in between. A one-page preview
//! (a lone "1、" opening a page-long line, no heading above it, no other
//! numbered line) loses its marker too.

use std::sync::LazyLock;

use regex::Regex;

static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    // A constant pattern: compiles (checked by the tests).
    Regex::new(r"^\s*(\d{1,3})、").unwrap()
});

/// Characters that end a finished sentence or clause group.
const FINAL: &[char] = &[
    '。', '！', '？', '!', '?', '；', ';', '：', ':', '”', '’', '"', '」', '』', '…',
];
/// A lone "1、" line at least this long (in characters) is a one-page preview.
const SINGLE_CHUNK_CHARS: usize = 200;

static HEADING_LINE: LazyLock<Regex> = LazyLock::new(|| {
    // A constant pattern: compiles (checked by the tests).
    Regex::new(r"^([一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])").unwrap()
});

/// A chunk shorter than this (in characters) is not a preview page.
const MIN_CHUNK_LINE: usize = 40;

/// One line-start marker: line index and number.
#[derive(Debug, Clone, Copy)]
struct Marker {
    line: usize,
    number: u32,
    /// The previous non-blank line looks cut off mid-sentence.
    cut_before: bool,
}

/// The number of the chunk marker `line` starts with, if any.
///
/// Only a line whose first visible character is an ASCII digit can hold a
/// marker that reads as a number (`\s` is White_Space, as for `trim_start`;
/// other digits match `\d` but never parse): the rest, nearly every line,
/// skip the capturing search.
fn marker_number(line: &str) -> Option<u32> {
    let first = line.trim_start().as_bytes().first()?;
    if !first.is_ascii_digit() {
        return None;
    }
    MARKER.captures(line)?[1].parse().ok()
}

/// Remove page-fragment markers and rejoin the chunks; returns the text and
/// how many markers were removed (the first chunk's "1、" included).
pub fn rejoin_fragments(text: &str) -> (String, usize) {
    let lines: Vec<&str> = crate::lines::split_newlines(text).collect();
    let mut markers = Vec::new();
    let mut last_text: Option<&str> = None;
    for (i, line) in lines.iter().enumerate() {
        if let Some(number) = marker_number(line) {
            let cut_before = last_text.is_some_and(|prev: &str| {
                let prev = prev.trim_end();
                prev.chars().count() >= MIN_CHUNK_LINE && !prev.ends_with(FINAL)
            });
            markers.push(Marker {
                line: i,
                number,
                cut_before,
            });
        }
        if !line.trim().is_empty() {
            last_text = Some(line);
        }
    }
    let Some(chain) = best_chain(&markers).or_else(|| single_chunk(&markers, &lines)) else {
        return (text.to_string(), 0);
    };

    let chain_lines: Vec<usize> = chain.iter().map(|m| m.line).collect();
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut pending_blanks = 0usize;
    for (i, line) in lines.iter().enumerate() {
        if chain_lines.contains(&i) {
            let rest = MARKER.replace(line, "").into_owned();
            if i == chain_lines[0] || out.is_empty() {
                for _ in 0..pending_blanks {
                    out.push(String::new());
                }
                out.push(rest);
            } else {
                // Blank lines between the chunks were page breaks: drop them.
                if let Some(last) = out.last_mut() {
                    let trimmed = last.trim_end().len();
                    last.truncate(trimmed);
                    last.push_str(&rest);
                }
            }
            pending_blanks = 0;
            continue;
        }
        if line.trim().is_empty() {
            pending_blanks += 1;
            continue;
        }
        for _ in 0..pending_blanks {
            out.push(String::new());
        }
        pending_blanks = 0;
        out.push((*line).to_string());
    }
    for _ in 0..pending_blanks {
        out.push(String::new());
    }
    (out.join("\n"), chain.len())
}

/// A preview of one page only: a lone "1、" starting a page-long line, no other
/// numbered line anywhere, and no heading line right above it.
fn single_chunk(markers: &[Marker], lines: &[&str]) -> Option<Vec<Marker>> {
    let [only] = markers else { return None };
    let long = lines[only.line].chars().count() >= SINGLE_CHUNK_CHARS;
    let above = lines[..only.line]
        .iter()
        .rev()
        .find(|l| !l.trim().is_empty());
    let under_heading = above.is_some_and(|l| HEADING_LINE.is_match(l.trim_start()));
    (only.number == 1 && long && !under_heading).then(|| vec![*only])
}

/// The marker chain 1, 2, 3 … most supported by cut chunk ends, if it is
/// convincing: at least two markers, and at least half of the markers after
/// the first follow a cut-off chunk.
fn best_chain(markers: &[Marker]) -> Option<Vec<Marker>> {
    let mut best: Option<(usize, Vec<Marker>)> = None;
    for (start, m) in markers.iter().enumerate() {
        if m.number != 1 {
            continue;
        }
        let mut chain = vec![*m];
        let mut at = start;
        loop {
            let want = chain.len() as u32 + 1;
            let candidates: Vec<(usize, &Marker)> = markers
                .iter()
                .enumerate()
                .skip(at + 1)
                .filter(|(_, x)| x.number == want)
                .collect();
            let pick = candidates
                .iter()
                .find(|(_, x)| x.cut_before)
                .or_else(|| candidates.first());
            match pick {
                Some((i, x)) => {
                    chain.push(**x);
                    at = *i;
                }
                None => break,
            }
        }
        let support = chain[1..].iter().filter(|x| x.cut_before).count();
        if chain.len() >= 2
            && support * 2 >= chain.len() - 1
            && best.as_ref().is_none_or(|(s, _)| support > *s)
        {
            best = Some((support, chain));
        }
    }
    best.map(|(_, chain)| chain)
}

#[cfg(test)]
mod tests {
    use super::{marker_number, rejoin_fragments, MARKER};

    proptest::proptest! {
        #[test]
        fn marker_number_equals_the_capturing_search(
            line in "[ \t\u{3000}\u{a0}]{0,2}[0-9０-９٣x科、.]{0,5}[、 科]{0,2}"
        ) {
            let reference = MARKER.captures(&line).and_then(|c| c[1].parse::<u32>().ok());
            proptest::prop_assert_eq!(marker_number(&line), reference);
        }
    }

    const FILLER: &str =
        "围绕新能源汽车、生物化工、新材料、现代农业等国家重点扶持产业领域,狠抓科技计划项目申报实施";

    #[test]
    fn rejoins_words_cut_by_chunk_markers() {
        let text = format!(
            "标题\n\n1、今年以来,{FILLER}。为调动小微企业升级为高新技术企业的积极\n\n2、性,组织企业申报,{FILLER},推荐三木种苗申报潍坊市示范农科驿站\n\n3、;蔬菜集团获批山东省科技教育基地,{FILLER}占GDP比重提高到\n3、x.xx%。"
        );
        let (out, n) = rejoin_fragments(&text);
        assert_eq!(n, 3);
        assert!(out.contains("积极性,组织企业申报"), "{out}");
        assert!(out.contains("示范农科驿站;蔬菜集团"), "{out}");
        assert!(out.starts_with("标题\n\n今年以来"), "{out}");
        // The third "3、" is not part of the chain (the chain wants 4 next).
        assert!(out.contains("提高到\n3、x.xx%"), "{out}");
    }

    #[test]
    fn continues_across_the_report_headings() {
        let text = format!(
            "1、{FILLER}。一、工作总结(一)实施工程。一是推荐省级工程技术研究中心4家,推荐企业申报\n2、{FILLER},省级众创空间\n\n3、备案。二、下步工作打算"
        );
        let (out, n) = rejoin_fragments(&text);
        assert_eq!(n, 3);
        assert!(out.contains("推荐企业申报") && out.contains("申报围绕新能源汽车"));
        assert!(out.contains("省级众创空间备案。二、下步工作打算"));
        assert!(!out.contains("1、") && !out.contains("2、") && !out.contains("3、"));
    }

    #[test]
    fn the_reports_own_numbered_items_stay() {
        let text = format!(
            "一、提升素质,精心组织扎实开展“三个活动”\n1、理论学习强素质。{FILLER}。\n2、“两整”活动强素质。{FILLER}。\n3、宣教月活动强素质。{FILLER}。\n二、立足本职,稳步推进“四大工程”\n1、高新技术产业发展工程。{FILLER}。\n2、科技成果大转化工程。{FILLER}。"
        );
        assert_eq!(rejoin_fragments(&text), (text.clone(), 0));
    }

    #[test]
    fn a_single_preview_page() {
        let body = FILLER.repeat(5);
        let text = format!("标题\n\n1、今年以来,{body}。\n");
        let (out, n) = rejoin_fragments(&text);
        assert_eq!(n, 1);
        assert!(out.starts_with("标题\n\n今年以来"));
        // Under a heading, a lone long "1、" item is the report's own.
        let own = format!("一、工作总结\n1、今年以来,{body}。");
        assert_eq!(rejoin_fragments(&own), (own.clone(), 0));
        // A short lone item stays too.
        let short = "标题\n1、今年以来,成效明显。";
        assert_eq!(rejoin_fragments(short), (short.to_string(), 0));
    }

    #[test]
    fn short_list_items_without_full_stops_stay() {
        let text = "三、下一步工作\n1、加强产学研合作\n2、创新平台建设\n3、加大科技型企业培育";
        assert_eq!(rejoin_fragments(text), (text.to_string(), 0));
    }
}
