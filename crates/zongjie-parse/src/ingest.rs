//! Ingest: recognise what a file's bytes are and decode them to text.
//!
//! Reports arrive as plain text in several encodings (UTF-8 with or without
//! BOM, UTF-16, GB18030/GBK, Big5), as HTML pages saved from portals, or as
//! Word 2007+ `.docx` archives. Everything else (images, PDFs, other archives,
//! executables) is refused with a reason that names the format, so the
//! manifest can say why an input was skipped.
//!
//! Order of decisions in [`decode`]:
//!
//! 1. zero bytes or only whitespace → [`ParseError::Empty`];
//! 2. magic bytes: known binary formats → [`ParseError::Unsupported`]; a zip is
//!    read as `.docx` when it holds `word/document.xml`;
//! 3. a `.docx` path whose bytes are not a zip → [`ParseError::Docx`];
//! 4. text decoding: BOM, then valid UTF-8, then BOM-less UTF-16 (NUL bytes in
//!    alternate positions), then GB18030 versus Big5: whichever decoding of
//!    the first 2 KB yields more of the commonest characters, chardetng on the
//!    whole file when that is not clear-cut;
//! 5. binary junk (NUL bytes, many control or undecodable characters) is refused;
//! 6. HTML is recognised on the decoded text and reduced to its visible text.
//!
//! Main items: [`decode`] and its result [`Decoded`]. No file-system I/O: the
//! caller reads the bytes, `path_hint` is only used for its extension.

use std::io::Read;

use encoding_rs::{Encoding, BIG5, GB18030, UTF_16BE, UTF_16LE};
use quick_xml::events::Event;

use crate::common_han;
use crate::error::ParseError;
use crate::model::Format;

/// The text of one input and how it was obtained.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// The decoded text (for HTML and .docx: the visible text, one paragraph a line).
    pub text: String,
    /// Encoding name: "UTF-8", "UTF-16LE", "UTF-16BE", "GB18030" or "Big5".
    pub encoding: String,
    /// The container format the bytes were recognised as.
    pub format: Format,
}

/// Largest uncompressed size accepted for any entry of a .docx archive.
const MAX_ENTRY_BYTES: u64 = 64 * 1024 * 1024;
/// Largest compression ratio accepted for a large .docx entry (zip bombs exceed it).
const MAX_RATIO: u64 = 200;
/// Entries below this size are never considered bombs, whatever their ratio.
const RATIO_FLOOR: u64 = 1024 * 1024;
/// Share of control or replacement characters above which text is junk.
const MAX_JUNK_SHARE: f64 = 0.05;

/// Sniff the format of `bytes` and decode them to text.
///
/// `path_hint` is the caller's file name; only its extension is used, as a hint
/// (`.docx` bytes that are not a zip give [`ParseError::Docx`]). Errors:
/// [`ParseError::Empty`] for no content, [`ParseError::Unsupported`] for a
/// format zongjie does not read (the reason names it), [`ParseError::Decode`]
/// for text in no supported encoding, [`ParseError::Docx`] for a broken or
/// oversized Word archive.
pub fn decode(bytes: &[u8], path_hint: &str) -> Result<Decoded, ParseError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        crate::bail!(Empty, "no content ({} bytes of whitespace)", bytes.len());
    }
    let ext = extension(path_hint);
    if let Some(name) = binary_format(bytes) {
        if name == "ZIP archive" {
            return read_zip(bytes);
        }
        crate::bail!(Unsupported, "{name}");
    }
    if ext == "docx" {
        crate::bail!(Docx, "not a zip archive");
    }
    let (text, encoding) = decode_text(bytes)?;
    let html_hint = matches!(ext.as_str(), "html" | "htm" | "xhtml" | "shtml");
    let (text, format) = if looks_like_html(&text, html_hint) {
        (html_to_text(&text), Format::Html)
    } else {
        (text, Format::Text)
    };
    if is_blank(&text) {
        crate::bail!(Empty, "no visible text");
    }
    Ok(Decoded {
        text,
        encoding: encoding.to_string(),
        format,
    })
}

/// Lowercase extension of a path hint, "" when none.
fn extension(path: &str) -> String {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext.to_ascii_lowercase(),
        _ => String::new(),
    }
}

/// True when the text holds nothing but whitespace (including U+3000 and a BOM).
fn is_blank(text: &str) -> bool {
    text.chars().all(|c| c.is_whitespace() || c == '\u{feff}')
}

/// Name of a binary format recognised by its magic bytes, or `None` for text.
fn binary_format(b: &[u8]) -> Option<&'static str> {
    let starts = |m: &[u8]| b.starts_with(m);
    let name = if starts(b"\x89PNG\r\n\x1a\n") {
        "PNG image"
    } else if starts(b"\xff\xd8\xff") {
        "JPEG image"
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        "GIF image"
    } else if b.len() >= 12 && starts(b"RIFF") && &b[8..12] == b"WEBP" {
        "WebP image"
    } else if starts(b"II*\0") || starts(b"MM\0*") {
        "TIFF image"
    } else if starts(b"%PDF") {
        "PDF document"
    } else if starts(b"PK\x03\x04") || starts(b"PK\x05\x06") {
        "ZIP archive"
    } else if starts(b"\x1f\x8b") {
        "gzip archive"
    } else if starts(b"7z\xbc\xaf\x27\x1c") {
        "7z archive"
    } else if starts(b"Rar!\x1a\x07") {
        "RAR archive"
    } else if starts(b"BZh") && b.len() >= 10 && &b[4..10] == b"1AY&SY" {
        "bzip2 archive"
    } else if starts(b"\xfd7zXZ\0") {
        "xz archive"
    } else if starts(b"\x28\xb5\x2f\xfd") {
        "zstd archive"
    } else if starts(b"\x7fELF") {
        "ELF executable"
    } else if starts(b"MZ") && b.len() >= 64 && b[..64].contains(&0) {
        "Windows executable"
    } else if starts(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") {
        "legacy Office (OLE2, .doc/.xls) document"
    } else if starts(b"{\\rtf") {
        "RTF document"
    } else if b.len() >= 12 && &b[4..8] == b"ftyp" {
        "MP4/QuickTime media"
    } else {
        return None;
    };
    Some(name)
}

/// Read a zip: a .docx gives its paragraphs, any other zip is unsupported.
fn read_zip(bytes: &[u8]) -> Result<Decoded, ParseError> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| ParseError::Docx(format!("unreadable zip archive: {e}")))?;
    let names: Vec<String> = archive.file_names().map(str::to_string).collect();
    let has = |n: &str| names.iter().any(|x| x == n);
    if !has("word/document.xml") {
        let kind = if has("xl/workbook.xml") {
            "Excel workbook (.xlsx)"
        } else if has("ppt/presentation.xml") {
            "PowerPoint presentation (.pptx)"
        } else if has("mimetype") && has("content.xml") {
            "OpenDocument file"
        } else {
            "ZIP archive (not a .docx)"
        };
        crate::bail!(Unsupported, "{kind}");
    }
    for i in 0..archive.len() {
        let entry = archive
            .by_index_raw(i)
            .map_err(|e| ParseError::Docx(format!("bad zip entry: {e}")))?;
        check_entry_size(entry.name(), entry.size(), entry.compressed_size())?;
    }
    let entry = archive
        .by_name("word/document.xml")
        .map_err(|e| ParseError::Docx(format!("cannot open word/document.xml: {e}")))?;
    let mut xml = Vec::new();
    // The declared size may lie: never read more than the limit.
    entry
        .take(MAX_ENTRY_BYTES + 1)
        .read_to_end(&mut xml)
        .map_err(|e| ParseError::Docx(format!("cannot inflate word/document.xml: {e}")))?;
    if xml.len() as u64 > MAX_ENTRY_BYTES {
        crate::bail!(Docx, "word/document.xml inflates beyond 64 MB");
    }
    let text = docx_text(&xml)?;
    if is_blank(&text) {
        crate::bail!(Empty, ".docx without text");
    }
    Ok(Decoded {
        text,
        encoding: "UTF-8".to_string(),
        format: Format::Docx,
    })
}

/// Refuse an absurd archive entry (too large, or a compression-ratio bomb).
fn check_entry_size(name: &str, size: u64, compressed: u64) -> Result<(), ParseError> {
    if size > MAX_ENTRY_BYTES {
        crate::bail!(
            Docx,
            "entry {name} is {size} bytes uncompressed (limit 64 MB)"
        );
    }
    if size > RATIO_FLOOR && size / compressed.max(1) > MAX_RATIO {
        crate::bail!(
            Docx,
            "entry {name} compresses {}:1 (zip bomb?)",
            size / compressed.max(1)
        );
    }
    Ok(())
}

/// The paragraphs of `word/document.xml`: `w:p` ends a line, `w:t` is text,
/// `w:tab` a tab, `w:br`/`w:cr` a line break.
fn docx_text(xml: &[u8]) -> Result<String, ParseError> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut out = String::new();
    let mut in_text = false;
    // Depth inside <mc:Fallback>: text boxes are stored twice (a modern
    // <mc:Choice> and a legacy fallback); only the first copy is read.
    let mut fallback = 0usize;
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| ParseError::Docx(format!("bad XML in word/document.xml: {e}")))?;
        match &event {
            Event::Start(e) if e.local_name().as_ref() == b"Fallback" => fallback += 1,
            Event::End(e) if e.local_name().as_ref() == b"Fallback" => {
                fallback = fallback.saturating_sub(1)
            }
            Event::Eof => break,
            _ => {}
        }
        if fallback > 0 {
            buf.clear();
            continue;
        }
        match event {
            Event::Start(e) if e.local_name().as_ref() == b"t" => in_text = true,
            Event::End(e) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                b"p" => out.push('\n'),
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                b"tab" => out.push('\t'),
                b"br" | b"cr" => out.push('\n'),
                b"p" => out.push('\n'),
                _ => {}
            },
            Event::Text(t) if in_text => {
                let s = t
                    .unescape()
                    .map_err(|e| ParseError::Docx(format!("bad text in word/document.xml: {e}")))?;
                out.push_str(&s);
            }
            Event::CData(t) if in_text => {
                out.push_str(&String::from_utf8_lossy(&t));
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

/// How many leading bytes of a non-UTF-8 file decide between GB18030 and Big5.
const DETECTION_SAMPLE: usize = 2 * 1024;

/// GB18030 or Big5, decided by which decoding of `sample` yields more common
/// characters; `None` when neither is clearly ahead (little Chinese text).
fn gb_or_big5(sample: &[u8]) -> Option<(&'static Encoding, &'static str)> {
    let gb = common_han::GB18030_PAIRS.count(sample);
    let big5 = common_han::BIG5_PAIRS.count(sample);
    if gb >= 8 && gb > 2 * big5 {
        Some((GB18030, "GB18030"))
    } else if big5 >= 8 && big5 > 2 * gb {
        Some((BIG5, "Big5"))
    } else {
        None
    }
}

/// GB18030 or Big5 as chardetng guesses from the whole file; when it thinks of
/// another script, whichever of the two decodes with fewer errors.
fn detect_with_chardetng(bytes: &[u8]) -> (&'static Encoding, &'static str) {
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let guess = detector.guess(None, true);
    if guess == BIG5 {
        (BIG5, "Big5")
    } else if guess == GB18030 || guess == encoding_rs::GBK {
        (GB18030, "GB18030")
    } else {
        let gb = decode_with(GB18030, bytes);
        let big5 = decode_with(BIG5, bytes);
        if replacement_count(&big5) < replacement_count(&gb) {
            (BIG5, "Big5")
        } else {
            (GB18030, "GB18030")
        }
    }
}

/// Decode text bytes: BOM, UTF-8, BOM-less UTF-16, then GB18030 or Big5.
fn decode_text(bytes: &[u8]) -> Result<(String, &'static str), ParseError> {
    if let Some(rest) = bytes.strip_prefix(b"\xef\xbb\xbf") {
        return finish(decode_with(encoding_rs::UTF_8, rest), "UTF-8");
    }
    if let Some(rest) = bytes.strip_prefix(b"\xff\xfe") {
        return finish(decode_with(UTF_16LE, rest), "UTF-16LE");
    }
    if let Some(rest) = bytes.strip_prefix(b"\xfe\xff") {
        return finish(decode_with(UTF_16BE, rest), "UTF-16BE");
    }
    if let Some(le) = utf16_without_bom(bytes) {
        let (enc, name) = if le {
            (UTF_16LE, "UTF-16LE")
        } else {
            (UTF_16BE, "UTF-16BE")
        };
        return finish(decode_with(enc, bytes), name);
    }
    // Some editors pad files with trailing NUL bytes.
    let bytes = match bytes.iter().rposition(|&b| b != 0) {
        Some(last) => &bytes[..=last],
        None => crate::bail!(Unsupported, "binary data (only NUL bytes)"),
    };
    if memchr::memchr(0, bytes).is_some() {
        crate::bail!(
            Unsupported,
            "binary data (NUL bytes in a file that is not UTF-16)"
        );
    }
    // The same check as `std::str::from_utf8`, with SIMD: most inputs are
    // UTF-8 and this is the first full pass over their bytes.
    if let Ok(s) = simdutf8::basic::from_utf8(bytes) {
        return finish(s.to_string(), "UTF-8");
    }
    let (enc, name) = gb_or_big5(&bytes[..bytes.len().min(DETECTION_SAMPLE)])
        .unwrap_or_else(|| detect_with_chardetng(bytes));
    finish(decode_with(enc, bytes), name)
}

/// Decode without BOM sniffing (the caller already handled BOMs).
fn decode_with(enc: &'static Encoding, bytes: &[u8]) -> String {
    enc.decode_without_bom_handling(bytes).0.into_owned()
}

fn replacement_count(s: &str) -> usize {
    s.chars().filter(|&c| c == '\u{fffd}').count()
}

/// Refuse decoded text that is mostly control or undecodable characters.
fn finish(text: String, name: &'static str) -> Result<(String, &'static str), ParseError> {
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    if is_blank(&text) {
        crate::bail!(Empty, "no content after decoding as {name}");
    }
    if !may_hold_junk(&text) {
        return Ok((text, name));
    }
    let mut total = 0usize;
    let mut junk = 0usize;
    for c in text.chars() {
        if c.is_whitespace() {
            continue;
        }
        total += 1;
        if c == '\u{fffd}' || (c.is_control() && c != '\u{feff}') {
            junk += 1;
        }
    }
    // One bad character (a cut multibyte sequence at the end) is always tolerated.
    if junk > 1 && junk as f64 > MAX_JUNK_SHARE * total as f64 {
        crate::bail!(
            Decode,
            "{junk} of {total} characters are control or undecodable as {name}: binary data or an unsupported encoding"
        );
    }
    Ok((text, name))
}

/// Whether `text` may hold a control or undecodable character: a C0 control
/// byte other than tab and line ends, DEL, the lead byte `C2` of the C1
/// controls (U+0080–U+009F), or U+FFFD. A byte scan, so the character count
/// of [`finish`] runs only for the rare text that fails it.
fn may_hold_junk(text: &str) -> bool {
    // Branch-free per byte and in blocks, so the compiler vectorises it.
    let flagged = |b: u8| {
        ((b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r')) | (b == 0x7f) | (b == 0xc2)
    };
    text.as_bytes()
        .chunks(64)
        .any(|block| block.iter().fold(false, |any, &b| any | flagged(b)))
        || memchr::memmem::find(text.as_bytes(), "\u{fffd}".as_bytes()).is_some()
}

/// BOM-less UTF-16: `Some(true)` for little-endian, `Some(false)` for big-endian.
///
/// Chinese text in UTF-16 has NUL high bytes for every ASCII character (digits,
/// punctuation, line breaks): NULs cluster in odd positions (LE) or even ones
/// (BE), while other encodings have none.
fn utf16_without_bom(bytes: &[u8]) -> Option<bool> {
    // Text in any other encoding has no NUL at all: one vectorised search decides.
    if bytes.len() < 4 || memchr::memchr(0, bytes).is_none() {
        return None;
    }
    let units = bytes.len() / 2;
    let even = bytes.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd = bytes.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    let min_nuls = (units / 50).max(1);
    if odd >= min_nuls && even * 3 <= odd {
        Some(true)
    } else if even >= min_nuls && odd * 3 <= even {
        Some(false)
    } else {
        None
    }
}

/// Does decoded text look like an HTML page?
fn looks_like_html(text: &str, hint: bool) -> bool {
    /// The characters at the start of a text that tell HTML from text.
    const HEAD_CHARS: usize = 1024;
    let start = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    // Every test below needs a `<` in the head, the first 1024 characters;
    // plain text has none. They lie within 4096 bytes: one SIMD search
    // there, and a count of the characters before the `<` found, spare
    // walking to the 1024th character and eight searches of a lowercased
    // copy.
    let bytes = start.as_bytes();
    let Some(first_angle) = memchr::memchr(b'<', &bytes[..bytes.len().min(4 * HEAD_CHARS)]) else {
        return false;
    };
    if start[..first_angle].chars().count() >= HEAD_CHARS {
        return false;
    }
    // The head, cut by byte offset rather than collected.
    let end = start
        .char_indices()
        .nth(HEAD_CHARS)
        .map_or(start.len(), |(i, _)| i);
    let head = start[..end].to_ascii_lowercase();
    if head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || head.starts_with("<?xml") && head.contains("<html")
    {
        return true;
    }
    let tags = [
        "<html", "<body", "<p>", "<p ", "<div", "<br", "<head", "<meta",
    ];
    let found = tags.iter().filter(|t| head.contains(*t)).count();
    (head.starts_with('<') && found >= 1) || found >= 2 || (hint && head.contains('<'))
}

/// Elements whose content is never visible text.
const SKIPPED_ELEMENTS: [&str; 6] = ["script", "style", "head", "noscript", "template", "svg"];
/// Elements that start or end a line.
const BLOCK_ELEMENTS: [&str; 22] = [
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "table",
    "ul",
    "ol",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "pre",
    "hr",
    "title",
];

/// Visible text of an HTML page: scripts, styles and head dropped, entities
/// decoded, block elements turned into line breaks.
pub(crate) fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let lower = html.to_ascii_lowercase();
    let mut i = 0;
    let bytes = html.as_bytes();
    while i < html.len() {
        if bytes[i] != b'<' {
            let next = html[i..].find('<').map_or(html.len(), |n| i + n);
            out.push_str(&decode_entities(&html[i..next]));
            i = next;
            continue;
        }
        if lower[i..].starts_with("<!--") {
            i = lower[i..].find("-->").map_or(html.len(), |n| i + n + 3);
            continue;
        }
        // `gt` is the byte of '>' (or the end of an unterminated tag).
        let gt = lower[i..].find('>').map_or(html.len(), |n| i + n);
        let close = (gt + 1).min(html.len());
        let tag = &lower[i + 1..gt];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        i = close;
        if !closing && SKIPPED_ELEMENTS.contains(&name.as_str()) && !tag.ends_with('/') {
            let end_tag = format!("</{name}");
            i = match lower[i..].find(&end_tag) {
                Some(n) => {
                    let at = i + n;
                    lower[at..].find('>').map_or(html.len(), |m| at + m + 1)
                }
                // An unclosed <head> ends where the body starts.
                None if name == "head" => lower[i..].find("<body").map_or(html.len(), |n| i + n),
                None => html.len(),
            };
            continue;
        }
        if BLOCK_ELEMENTS.contains(&name.as_str()) && !out.ends_with('\n') && !out.is_empty() {
            out.push('\n');
        } else if name == "td" || name == "th" {
            out.push(' ');
        }
    }
    // Collapse the whitespace soup of markup: spaces within lines, blank runs.
    let mut lines: Vec<String> = Vec::new();
    for line in crate::lines::lines(&out) {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if !line.is_empty() {
            lines.push(line);
        }
    }
    lines.join("\n")
}

/// Named entities common in Chinese portal pages.
const ENTITIES: [(&str, &str); 20] = [
    ("nbsp", "\u{a0}"),
    ("amp", "&"),
    ("lt", "<"),
    ("gt", ">"),
    ("quot", "\""),
    ("apos", "'"),
    ("ldquo", "“"),
    ("rdquo", "”"),
    ("lsquo", "‘"),
    ("rsquo", "’"),
    ("mdash", "—"),
    ("ndash", "–"),
    ("hellip", "…"),
    ("middot", "·"),
    ("bull", "•"),
    ("times", "×"),
    ("divide", "÷"),
    ("deg", "°"),
    ("ensp", " "),
    ("emsp", "\u{3000}"),
];

/// Decode `&name;`, `&#NNN;` and `&#xHH;`; unknown entities stay as written.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest[1..]
            .find(|c: char| c == ';' || c == '&' || c.is_whitespace())
            .map(|n| n + 1);
        let decoded = match end {
            Some(e) if rest.as_bytes().get(e) == Some(&b';') && e <= 12 => {
                let body = &rest[1..e];
                let ch = if let Some(hex) =
                    body.strip_prefix("#x").or_else(|| body.strip_prefix("#X"))
                {
                    u32::from_str_radix(hex, 16)
                        .ok()
                        .and_then(char::from_u32)
                        .map(String::from)
                } else if let Some(dec) = body.strip_prefix('#') {
                    dec.parse::<u32>()
                        .ok()
                        .and_then(char::from_u32)
                        .map(String::from)
                } else {
                    ENTITIES
                        .iter()
                        .find(|(n, _)| *n == body)
                        .map(|(_, v)| (*v).to_string())
                };
                ch.map(|c| (c, e + 1))
            }
            _ => None,
        };
        match decoded {
            Some((c, len)) => {
                out.push_str(&c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const SAMPLE: &str = "2018年科技局第一季度工作总结\n一、主要工作进展情况\n培育入库高企1家,科技特派员共开展技术指导64次。";

    #[test]
    fn empty_and_whitespace_are_empty() {
        assert!(matches!(decode(b"", "a.txt"), Err(ParseError::Empty(_))));
        assert!(matches!(
            decode(b" \n\t\r\n", "a.txt"),
            Err(ParseError::Empty(_))
        ));
        // A BOM and ideographic spaces only.
        let bytes = "\u{feff}\u{3000}\n".as_bytes();
        assert!(matches!(decode(bytes, "a.txt"), Err(ParseError::Empty(_))));
    }

    #[test]
    fn utf8_plain_and_bom() {
        let d = decode(SAMPLE.as_bytes(), "x.txt").unwrap();
        assert_eq!((d.encoding.as_str(), d.format), ("UTF-8", Format::Text));
        assert_eq!(d.text, SAMPLE);
        let mut bom = b"\xef\xbb\xbf".to_vec();
        bom.extend_from_slice(SAMPLE.as_bytes());
        let d = decode(&bom, "x.txt").unwrap();
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(d.text, SAMPLE, "the BOM is not part of the text");
    }

    #[test]
    fn gb18030_round_trip() {
        let (bytes, _, _) = GB18030.encode(SAMPLE);
        let d = decode(&bytes, "x.txt").unwrap();
        assert_eq!(d.encoding, "GB18030");
        assert_eq!(d.text, SAMPLE);
    }

    #[test]
    fn truncated_gb18030_still_decodes() {
        let (bytes, _, _) = GB18030.encode(SAMPLE);
        // Drop the last byte: the final "。" (two bytes in GBK) is cut in half.
        let cut = &bytes[..bytes.len() - 1];
        let d = decode(cut, "x.txt").unwrap();
        assert_eq!(d.encoding, "GB18030");
        assert!(d.text.starts_with("2018年科技局第一季度工作总结"));
        assert!(d.text.matches('\u{fffd}').count() <= 1);
    }

    #[test]
    fn big5_round_trip() {
        let trad = "2018年科技局第一季度工作總結\n一、主要工作進展情況\n鼓勵和引導企業申報高新技術企業,各科技特派員共開展技術指導64次。";
        let (bytes, _, had_errors) = BIG5.encode(trad);
        assert!(!had_errors);
        let d = decode(&bytes, "x.txt").unwrap();
        assert_eq!(d.encoding, "Big5");
        assert_eq!(d.text, trad);
    }

    #[test]
    fn common_characters_tell_gb_from_big5() {
        let simp = "全市科技工作取得新成效，新认定高新技术企业12家，组织企业开展技术攻关，推进创新平台建设。";
        let trad = "全市科技工作取得新成效，新認定高新技術企業12家，組織企業開展技術攻關，推進創新平台建設。";
        let gb = GB18030.encode(simp).0;
        let big5 = BIG5.encode(trad).0;
        assert_eq!(gb_or_big5(&gb).map(|e| e.1), Some("GB18030"));
        assert_eq!(gb_or_big5(&big5).map(|e| e.1), Some("Big5"));
        // Too little Chinese text to tell: left to chardetng.
        assert_eq!(gb_or_big5(&GB18030.encode("科技").0), None);
        assert_eq!(decode(&big5, "x.txt").unwrap().text, trad);
    }

    fn utf16(text: &str, le: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        if bom {
            out.extend_from_slice(if le { b"\xff\xfe" } else { b"\xfe\xff" });
        }
        for u in text.encode_utf16() {
            out.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        out
    }

    #[test]
    fn utf16_with_and_without_bom() {
        for (le, name) in [(true, "UTF-16LE"), (false, "UTF-16BE")] {
            for bom in [true, false] {
                let d = decode(&utf16(SAMPLE, le, bom), "x.txt").unwrap();
                assert_eq!(d.encoding, name, "bom={bom}");
                assert_eq!(d.text, SAMPLE);
            }
        }
    }

    #[test]
    fn magic_bytes_name_the_format() {
        let cases: [(&[u8], &str); 6] = [
            (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "PNG image"),
            (b"\xff\xd8\xff\xe0\0\x10JFIF", "JPEG image"),
            (b"GIF89a\x01\0\x01\0", "GIF image"),
            (b"%PDF-1.7\n%\xe2\xe3", "PDF document"),
            (b"\x1f\x8b\x08\0\0\0\0\0", "gzip archive"),
            (b"\x7fELF\x02\x01\x01\0", "ELF executable"),
        ];
        for (bytes, name) in cases {
            // The extension does not fool the sniffer.
            match decode(bytes, "report.txt") {
                Err(ParseError::Unsupported(reason)) => assert!(reason.contains(name), "{reason}"),
                other => panic!("{name}: {other:?}"),
            }
        }
        assert!(
            matches!(decode(b"7z\xbc\xaf\x27\x1c\0\x04", "a"), Err(ParseError::Unsupported(r)) if r.contains("7z"))
        );
        assert!(
            matches!(decode(b"Rar!\x1a\x07\x01\0", "a"), Err(ParseError::Unsupported(r)) if r.contains("RAR"))
        );
    }

    #[test]
    fn binary_junk_is_refused() {
        let mut junk: Vec<u8> = (0u8..=255).cycle().take(4096).collect();
        junk[0] = b'a';
        assert!(decode(&junk, "x.bin").is_err());
        // Control characters without NULs.
        let ctrl: Vec<u8> = b"abc\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x11".repeat(20);
        assert!(matches!(decode(&ctrl, "x.txt"), Err(ParseError::Decode(_))));
        // NUL bytes scattered, not in a UTF-16 pattern.
        let nul = b"\0\0ab\0\0\0c\0\0\0\0d".repeat(10);
        assert!(decode(&nul, "x.txt").is_err());
    }

    fn make_docx(document_xml: &str) -> Vec<u8> {
        let mut cursor = std::io::Cursor::new(Vec::new());
        {
            let mut w = zip::ZipWriter::new(&mut cursor);
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            w.start_file("[Content_Types].xml", opts).unwrap();
            w.write_all(b"<?xml version=\"1.0\"?><Types/>").unwrap();
            w.start_file("word/document.xml", opts).unwrap();
            w.write_all(document_xml.as_bytes()).unwrap();
            w.finish().unwrap();
        }
        cursor.into_inner()
    }

    #[test]
    fn docx_paragraphs_tabs_and_breaks() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:r><w:t>2018年上半年科技工作总结</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">一、工作</w:t></w:r><w:r><w:t>总结</w:t></w:r></w:p>
<w:p><w:r><w:t>专利申请</w:t><w:tab/><w:t>26件&amp;授权</w:t><w:br/><w:t>6件。</w:t></w:r></w:p>
<w:p><w:r><w:instrText>PAGE</w:instrText></w:r></w:p>
<w:p><w:r><mc:AlternateContent xmlns:mc="m"><mc:Choice><w:txbxContent><w:p><w:r><w:t>框内</w:t></w:r></w:p></w:txbxContent></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>框内</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>
</w:body></w:document>"#;
        let d = decode(&make_docx(xml), "report.docx").unwrap();
        assert_eq!(d.format, Format::Docx);
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(
            d.text,
            "2018年上半年科技工作总结\n一、工作总结\n专利申请\t26件&授权\n6件。\n\n框内\n\n"
        );
    }

    #[test]
    fn docx_problems() {
        assert_eq!(
            decode("一、工作总结".as_bytes(), "a.docx"),
            Err(ParseError::Docx("not a zip archive".into()))
        );
        // A zip without word/document.xml is not a .docx.
        let mut cursor = std::io::Cursor::new(Vec::new());
        {
            let mut w = zip::ZipWriter::new(&mut cursor);
            w.start_file("xl/workbook.xml", zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(b"<workbook/>").unwrap();
            w.finish().unwrap();
        }
        assert!(
            matches!(decode(&cursor.into_inner(), "a.docx"), Err(ParseError::Unsupported(r)) if r.contains("Excel"))
        );
        // Size limits.
        assert!(
            check_entry_size("word/document.xml", MAX_ENTRY_BYTES + 1, MAX_ENTRY_BYTES).is_err()
        );
        assert!(check_entry_size("word/document.xml", 50 * 1024 * 1024, 1000).is_err());
        assert!(check_entry_size("word/document.xml", 100_000, 10).is_ok());
        // A real highly compressible document.xml (40 MB of one letter) is refused as a bomb.
        let big = format!(
            "<w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:body></w:document>",
            "a".repeat(40 * 1024 * 1024)
        );
        assert!(matches!(
            decode(&make_docx(&big), "a.docx"),
            Err(ParseError::Docx(_))
        ));
        // A truncated zip.
        let docx = make_docx("<w:document/>");
        assert!(decode(&docx[..docx.len() / 2], "a.docx").is_err());
    }

    #[test]
    fn html_drops_scripts_and_decodes_entities() {
        let html = "<!DOCTYPE html><html><head><title>t</title><style>p{color:red}</style></head>\n<body><script>var a = '<p>不要</p>';</script>\n<h1>2018年上半年科技工作总结</h1><div>一、工作&nbsp;总结</div><p>授权量300件&amp;申请&#x91CF;&#26032;增<br>第二行</p><!-- 注释 --><ul><li>甲</li><li>乙</li></ul></body></html>";
        let d = decode(html.as_bytes(), "page.htm").unwrap();
        assert_eq!(d.format, Format::Html);
        assert_eq!(
            d.text,
            "2018年上半年科技工作总结\n一、工作 总结\n授权量300件&申请量新增\n第二行\n甲\n乙"
        );
        assert!(!d.text.contains("不要"));
        assert!(!d.text.contains("color"));
    }

    #[test]
    fn html_in_gb18030() {
        let html = "<html><body><p>科技特派员</p><p>高新技术企业</p></body></html>";
        let (bytes, _, _) = GB18030.encode(html);
        let d = decode(&bytes, "a.html").unwrap();
        assert_eq!((d.encoding.as_str(), d.format), ("GB18030", Format::Html));
        assert_eq!(d.text, "科技特派员\n高新技术企业");
    }

    #[test]
    fn unclosed_head_and_nul_padding() {
        let html =
            "<html><head><meta charset=utf-8><title>x</title><body><p>科技特派员</p></body></html>";
        assert_eq!(
            decode(html.as_bytes(), "a.html").unwrap().text,
            "科技特派员"
        );
        let mut padded = SAMPLE.as_bytes().to_vec();
        padded.extend_from_slice(&[0, 0, 0]);
        assert_eq!(decode(&padded, "a.txt").unwrap().text, SAMPLE);
    }

    proptest::proptest! {
        #[test]
        fn junk_scan_flags_every_junk_character(text in "[a一\t\n\r\u{0}-\u{1f}\u{7f}-\u{a0}\u{fffd}\u{feff}é]{0,80}") {
            let junk = text
                .chars()
                .any(|c| c == '\u{fffd}' || (c.is_control() && !matches!(c, '\t' | '\n' | '\r')));
            // The scan may flag more (any U+0080–U+00BF character starts
            // with 0xC2) but never less.
            if junk {
                proptest::prop_assert!(may_hold_junk(&text));
            }
            let reference = text.bytes().any(|b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7f || b == 0xc2)
                || text.contains('\u{fffd}');
            proptest::prop_assert_eq!(may_hold_junk(&text), reference);
        }
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..512), ext in "(txt|docx|html|)") {
            let _ = decode(&bytes, &format!("x.{ext}"));
            // Valid zip magic in front of garbage.
            let mut zipish = b"PK\x03\x04".to_vec();
            zipish.extend_from_slice(&bytes);
            proptest::prop_assert!(decode(&zipish, "x.docx").is_err());
        }
    }

    #[test]
    fn unterminated_tag_at_the_end() {
        assert_eq!(html_to_text("<p>科技特派员</p><br 注"), "科技特派员");
    }

    #[test]
    fn plain_text_with_a_less_than_sign_is_not_html() {
        let d = decode("增长率<5%的企业\n第二行".as_bytes(), "a.txt").unwrap();
        assert_eq!(d.format, Format::Text);
    }

    #[test]
    fn html_needs_a_tag_in_the_head() {
        // No `<` at all: text, even from a file named .html.
        assert!(!looks_like_html(SAMPLE, true));
        assert!(!looks_like_html(SAMPLE, false));
        // A `<` in a page's head: HTML when the name says so or tags show it.
        assert!(looks_like_html("\u{feff} <P>正文</P>", false));
        assert!(looks_like_html("标题<div>正文<BR>", false));
        assert!(looks_like_html("标题 a<b", true));
        assert!(!looks_like_html("标题 a<b", false));
        // A tag only after the first 1024 characters is not looked at.
        let late = format!("{}<html><body>", "字".repeat(1024));
        assert!(!looks_like_html(&late, false));
        assert!(looks_like_html(&format!("<p>{late}"), false));
        // The head ends after its 1024th character, whatever its bytes.
        for (filler, bytes) in [("a", 1), ("é", 2), ("字", 3), ("𠮶", 4)] {
            let last = format!("{}<b", filler.repeat(1023));
            assert!(looks_like_html(&last, true), "{bytes}-byte filler");
            let beyond = format!("{}<b", filler.repeat(1024));
            assert!(!looks_like_html(&beyond, true), "{bytes}-byte filler");
        }
    }
}
