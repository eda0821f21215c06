//! `zongjie inspect FILE`: one report as the parser sees it, so a researcher
//! can check why it was read as it was.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use zongjie_parse::Document;

use crate::batch;
use crate::cli::Global;

/// Arguments of `zongjie inspect`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Shows encoding, script, title, what cleaning removed, the section tree with
each section's role (achievement / plan / problem / other) and first sentence,
the region and period with the evidence that decided them, and every fact with
its sentence and character offsets.

Examples:
  zongjie inspect notebooks-data/sample-corpus/shouguang-2023-h1.txt
  zongjie inspect report.txt --text      # the whole cleaned text
  zongjie inspect report.txt --json      # everything as JSON")]
pub struct InspectArgs {
    /// The report to inspect.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Print the whole cleaned text instead of the summary.
    #[arg(long, conflicts_with = "json")]
    pub text: bool,
    /// Print the parsed document as JSON (cleaned text included).
    #[arg(long)]
    pub json: bool,
    /// A lexicon TOML file that adds themes or overrides built-in ones.
    #[arg(long, value_name = "FILE")]
    pub lexicon: Option<PathBuf>,
}

/// Run the command.
pub fn run(args: &InspectArgs, _global: &Global) -> anyhow::Result<ExitCode> {
    let parser = batch::build_parser(args.lexicon.as_deref())?;
    let bytes = std::fs::read(&args.file)
        .with_context(|| format!("{}: cannot read", args.file.display()))?;
    let shown = args.file.display().to_string();
    let doc = parser
        .parse(&shown, &bytes)
        .with_context(|| format!("{shown}: {}", "cannot parse"))?;
    let out = if args.json {
        let mut json = serde_json::to_string_pretty(&doc)?;
        json.push('\n');
        json
    } else if args.text {
        let mut text = doc.text.clone();
        if !text.ends_with('\n') {
            text.push('\n');
        }
        text
    } else {
        render(&doc)
    };
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

/// The human-readable view of a parsed document.
pub fn render(doc: &Document) -> String {
    let mut s = String::new();
    // Writing into a String cannot fail; results are ignored below.
    let _ = writeln!(s, "file      {}", doc.path);
    let _ = writeln!(s, "doc_id    {}", doc.doc_id);
    let _ = writeln!(
        s,
        "format    {}   encoding {}   script {}   chars {}",
        doc.format.as_str(),
        doc.encoding,
        doc.script.as_str(),
        doc.chars()
    );
    let _ = writeln!(s, "title     {}", doc.title);
    let c = &doc.cleaning;
    let _ = writeln!(
        s,
        "cleaning  {} wrapper lines removed, {} page fragments rejoined, {} pinyin annotations stripped",
        c.removed_lines.len(),
        c.fragments_joined,
        c.pinyin_removed
    );
    for (rule, line) in c.removed_lines.iter().take(12) {
        let _ = writeln!(s, "          - [{rule}] {}", clip(line, 60));
    }
    if c.removed_lines.len() > 12 {
        let _ = writeln!(s, "          … {} more", c.removed_lines.len() - 12);
    }

    let r = &doc.region;
    let place = [r.province.as_str(), r.city.as_str(), r.county.as_str()]
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    let _ = writeln!(
        s,
        "region    {} {} ({}; {}) confidence {:.2}",
        if r.code.is_empty() { "-" } else { &r.code },
        if r.name.is_empty() {
            "unknown"
        } else {
            &r.name
        },
        r.level.as_str(),
        if place.is_empty() { "-" } else { &place },
        r.confidence
    );
    for ev in r.evidence.iter().take(10) {
        let _ = writeln!(
            s,
            "          {:+6.2} {:<22} {} {} @{}",
            ev.weight, ev.reason, ev.mention, ev.code, ev.offset
        );
    }
    let p = &doc.period;
    let label = p.label();
    let _ = writeln!(
        s,
        "period    {} (year {})",
        if label.is_empty() { "unknown" } else { &label },
        p.year_trust.as_str()
    );
    for ev in &p.evidence {
        let _ = writeln!(s, "          {ev}");
    }

    let _ = writeln!(s, "mentions  {}", mentions_line(doc));
    let _ = writeln!(s, "sections");
    for (i, sec) in doc.structure.sections.iter().enumerate() {
        let indent = "  ".repeat(sec.level as usize + 1);
        let heading = if sec.level == 0 {
            "(document)".to_string()
        } else {
            format!("{}{}", sec.marker, sec.heading)
        };
        let _ = writeln!(s, "{indent}[{}] {}", sec.role.as_str(), clip(&heading, 50));
        if let Some(first) = doc.structure.sentences.iter().find(|st| st.section == i) {
            let text = doc.text.get(first.span.clone()).unwrap_or("");
            let _ = writeln!(s, "{indent}    “{}”", clip(text.trim(), 60));
        }
    }
    let _ = writeln!(s, "facts     {}", doc.facts.len());
    for f in &doc.facts {
        let value = match f.value {
            Some(v) => crate::export::format_float(v),
            None if f.masked => "masked".into(),
            None if f.damaged => "damaged".into(),
            None => "-".into(),
        };
        let mut flags = vec![f.role.as_str()];
        if f.qualifier != zongjie_parse::Qualifier::Exact {
            flags.push(f.qualifier.as_str());
        }
        if f.damaged && f.value.is_some() {
            flags.push("damaged");
        }
        let _ = writeln!(
            s,
            "  {}/{} = {} {}  raw “{}”  [{}]  chars {}..{}",
            f.theme,
            f.indicator,
            value,
            f.unit,
            f.raw,
            flags.join(", "),
            f.start,
            f.end
        );
        let _ = writeln!(s, "      {}", clip(&f.sentence, 80));
    }
    s
}

fn mentions_line(doc: &Document) -> String {
    let parts: Vec<String> = doc
        .mentions
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(theme, n)| format!("{theme} {n}"))
        .collect();
    if parts.is_empty() {
        "none".into()
    } else {
        parts.join(", ")
    }
}

/// At most `max` characters, with an ellipsis when cut.
pub fn clip(text: &str, max: usize) -> String {
    let mut out: String = text.chars().take(max).collect();
    if text.chars().count() > max {
        out.push('…');
    }
    out.replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_counts_characters() {
        assert_eq!(clip("高新技术企业", 4), "高新技术…");
        assert_eq!(clip("专利", 4), "专利");
    }
}
