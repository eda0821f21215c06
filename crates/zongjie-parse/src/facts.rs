//! Facts: every number a report gives about a lexicon theme, with its
//! indicator, unit, qualifier, flags and the sentence to cite.
//!
//! Each sentence is cut into clauses at ，,；;：:. A number belongs to the
//! theme term (or rival subject) nearest to it in its clause; a clause that
//! names no subject continues the subject of the clause before it in the same
//! sentence (or, when it opens the sentence, of the next clause). Numbers
//! closest to a rival subject (科技型中小企业 next to 高新技术企业), numbers
//! about a whole enumeration of themes (高新技术企业、专利补贴…等10项), slogans
//! (十三五, 三送) and quoted names ("五项服务") are not facts.

use std::collections::BTreeMap;

use crate::lexicon::{Lexicon, SpanTerms, TermKind, TermMatch};
use crate::numbers::{self, Token, TokenKind};
use crate::word_automata::WordMatch;
use crate::{Fact, Period, Role, Structure};

/// What [`extract`] finds in one document.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Extraction {
    /// The numbers, in text order.
    pub facts: Vec<Fact>,
    /// For every lexicon theme id (all present, 0 allowed): how many sentences speak of it.
    pub mentions: BTreeMap<String, u32>,
}

const CLAUSE_SEPARATORS: &[char] = &['，', ',', '；', ';', '：', ':'];

/// The [`CLAUSE_SEPARATORS`] of `s` as byte ranges (start, end), in order.
///
/// Two vector searches instead of a walk through every character: one for
/// the ASCII separators, which Chinese text seldom holds, and one for the
/// byte `EF` that leads every full-width form (，；： and the brackets, ！
/// and ？ that share it), each then told by its next two bytes. `EF` is
/// never a continuation byte, so every hit starts a character.
fn clause_separators(s: &str) -> Vec<(usize, usize)> {
    let bytes = s.as_bytes();
    let mut found: Vec<(usize, usize)> = memchr::memchr3_iter(b',', b';', b':', bytes)
        .map(|i| (i, i + 1))
        .collect();
    let ascii = found.len();
    found.extend(
        memchr::memchr_iter(0xef, bytes)
            // '，' U+FF0C, '；' U+FF1B, '：' U+FF1A.
            .filter(|&i| matches!(bytes.get(i + 1..i + 3), Some([0xbc, 0x8c | 0x9b | 0x9a])))
            .map(|i| (i, i + 3)),
    );
    if ascii > 0 && found.len() > ascii {
        found.sort_unstable();
    }
    found
}

const QUOTE_OPEN: &[char] = &['“', '〝', '「', '『', '"'];
const QUOTE_CLOSE: &[char] = &['”', '〞', '」', '』', '"'];

/// Find the theme facts and theme mentions in `text`, sentence by sentence,
/// using the sentences and section roles of `structure`. `period.year` lets
/// the number scanner flag a year pasted over values.
pub fn extract(
    lexicon: &Lexicon,
    text: &str,
    structure: &Structure,
    period: &Period,
) -> Extraction {
    let spans = sentence_spans(structure);
    let terms = lexicon.find_terms_in_spans(text, &spans);
    extract_with_terms(lexicon, text, structure, period, &terms)
}

/// [`extract`] given the leftmost-longest lexicon terms of the whole text,
/// word `i` being [`Lexicon::term_words`]`[i]` (the parser finds them in the
/// same pass as the place names).
pub(crate) fn extract_given_terms(
    lexicon: &Lexicon,
    text: &str,
    structure: &Structure,
    period: &Period,
    whole_text_terms: Vec<WordMatch>,
) -> Extraction {
    let spans = sentence_spans(structure);
    let terms = lexicon.terms_in_spans_given(text, &spans, whole_text_terms);
    extract_with_terms(lexicon, text, structure, period, &terms)
}

/// The byte ranges of the sentences of `structure`, in order.
fn sentence_spans(structure: &Structure) -> Vec<std::ops::Range<usize>> {
    structure.sentences.iter().map(|s| s.span.clone()).collect()
}

/// [`extract`] with the terms of each sentence already found.
fn extract_with_terms(
    lexicon: &Lexicon,
    text: &str,
    structure: &Structure,
    period: &Period,
    terms_by_sentence: &SpanTerms,
) -> Extraction {
    let themes = lexicon.themes();
    let mut counts = vec![0u32; themes.len()];
    // The sentence (by its start) in which each theme was last counted.
    let mut last_counted: Vec<Option<usize>> = vec![None; themes.len()];
    let mut found: Vec<(usize, usize, Fact)> = Vec::new();
    // Theme carried over a sentence that ends in ；(a list of results), with its section.
    let mut carry: Option<(usize, usize)> = None;
    // Each section's heading path, built the first time a fact cites it.
    let mut paths: Vec<Option<String>> = vec![None; structure.sections.len()];
    for (i, sentence) in structure.sentences.iter().enumerate() {
        let Some(s) = text.get(sentence.span.clone()) else {
            carry = None;
            continue;
        };
        let carried = carry
            .take()
            .filter(|(_, sec)| *sec == sentence.section)
            .map(|(t, _)| t);
        let continues = s.trim_end().ends_with(['；', ';']);
        let base = sentence.span.start;
        let terms = terms_by_sentence.of(i);
        // Each theme named in the sentence counts once, however often named.
        let mut spoken = false;
        for m in terms {
            if let TermKind::Theme(t) = m.kind {
                if last_counted[t] != Some(sentence.span.start) {
                    last_counted[t] = Some(sentence.span.start);
                    counts[t] += 1;
                }
                spoken = true;
            }
        }
        if !spoken && carried.is_none() {
            continue;
        }
        let tokens = keep_tokens(lexicon, s, numbers::scan(s, period.year));
        let (bound, last) = bind(lexicon, s, terms, &tokens, carried);
        if continues {
            carry = last.map(|t| (t, sentence.section));
        }
        if bound.is_empty() {
            continue;
        }
        let (role, section) = match structure.sections.get(sentence.section) {
            Some(sec) => (
                sec.role,
                paths[sentence.section]
                    .get_or_insert_with(|| structure.section_path(sentence.section))
                    .clone(),
            ),
            None => (Role::Other, String::new()),
        };
        for (tok, theme) in bound {
            let th = &themes[theme];
            let mut value = tok.value;
            let mut unit = tok.unit.clone();
            let indicator = match tok.kind {
                TokenKind::Rank => "rank".to_string(),
                TokenKind::Bare => {
                    unit = "%".into();
                    "growth_rate".to_string()
                }
                TokenKind::Quantity => match change(lexicon, s, &tok) {
                    Some(sign) => {
                        value = value.map(|v| v * sign);
                        "growth_rate".to_string()
                    }
                    None => indicator(lexicon, theme, s, &tok),
                },
            };
            found.push((
                base + tok.start,
                base + tok.end,
                Fact {
                    theme: th.id.clone(),
                    indicator,
                    value,
                    unit,
                    raw: s[tok.start..tok.end].to_string(),
                    qualifier: tok.qualifier,
                    masked: tok.masked,
                    damaged: tok.damaged,
                    role,
                    section: section.clone(),
                    sentence: s.trim().to_string(),
                    start: 0,
                    end: 0,
                },
            ));
        }
    }
    // Byte offsets to character offsets, walking the text once in order.
    found.sort_by_key(|(start, end, _)| (*start, *end));
    let mut facts = Vec::with_capacity(found.len());
    let (mut at_byte, mut at_char) = (0usize, 0usize);
    for (start, end, mut fact) in found {
        if start < at_byte {
            // Overlapping sentences: recount from the beginning for this one.
            at_byte = 0;
            at_char = 0;
        }
        at_char += text[at_byte..start].chars().count();
        at_byte = start;
        fact.start = at_char;
        fact.end = at_char + text[start..end].chars().count();
        facts.push(fact);
    }
    let mentions = themes
        .iter()
        .zip(counts)
        .map(|(t, n)| (t.id.clone(), n))
        .collect();
    Extraction { facts, mentions }
}

/// Drop tokens that sit in slogans, quoted names, or words like 一次性.
fn keep_tokens(lexicon: &Lexicon, s: &str, tokens: Vec<Token>) -> Vec<Token> {
    // Most sentences hold no number: nothing to drop, no slogan search.
    if tokens.is_empty() {
        return tokens;
    }
    let slogans = lexicon.find_slogans(s);
    let after_unit = &lexicon.filters().after_unit;
    tokens
        .into_iter()
        .filter(|t| {
            let in_slogan = slogans.iter().any(|r| r.start < t.end && t.start < r.end);
            let glued_word = t.kind == TokenKind::Quantity
                && after_unit
                    .iter()
                    .any(|w| s[t.end..].starts_with(w.as_str()));
            let quoted = t.chinese && in_short_quote(s, t.start, t.end);
            !(in_slogan || glued_word || quoted)
        })
        .collect()
}

/// Is `start..end` inside a short quotation (“五项服务”)?
fn in_short_quote(s: &str, start: usize, end: usize) -> bool {
    let before = &s[..start];
    let open = before.rfind(QUOTE_OPEN);
    let close = before.rfind(QUOTE_CLOSE);
    let Some(open) = open else { return false };
    if close.is_some_and(|c| c > open) && !before[open..].starts_with('"') {
        return false;
    }
    match s[end..].find(QUOTE_CLOSE) {
        Some(k) => s[open..end + k].chars().count() <= 16,
        None => false,
    }
}

/// A subject named in a clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Subject {
    Theme(usize),
    Rival,
}

fn subject(kind: TermKind) -> Option<Subject> {
    match kind {
        TermKind::Theme(t) => Some(Subject::Theme(t)),
        // A stop word names something else (高新区): for binding it is a rival.
        TermKind::Rival | TermKind::Stop => Some(Subject::Rival),
    }
}

/// Pair each token with the theme it speaks of; tokens with none are dropped.
/// `carried` is the theme of the previous sentence when that one ended in ；:
/// it applies to opening clauses that use one of its indicator words
/// ("授权量80件"). Also returns the theme in force at the end of the sentence.
fn bind(
    lexicon: &Lexicon,
    s: &str,
    terms: &[TermMatch],
    tokens: &[Token],
    carried: Option<usize>,
) -> (Vec<(Token, usize)>, Option<usize>) {
    let mut seen_subject = false;
    // Clauses: from one separator outside the tokens to the next.
    let mut clauses: Vec<(usize, usize)> = Vec::new();
    let mut clause_start = 0;
    for (i, end) in clause_separators(s) {
        if !tokens.iter().any(|t| t.start <= i && i < t.end) {
            clauses.push((clause_start, end));
            clause_start = end;
        }
    }
    clauses.push((clause_start, s.len()));
    let in_clause = |pos: usize, c: (usize, usize)| c.0 <= pos && pos < c.1.max(c.0 + 1);
    let mut out: Vec<(Token, usize)> = Vec::new();
    let mut context: Option<Subject> = None;
    // The end and theme of the last value kept.
    let mut last_kept: Option<(usize, usize)> = None;
    // A clause's subject terms and tokens, in buffers the clauses share.
    let mut subs: Vec<&TermMatch> = Vec::new();
    let mut toks: Vec<&Token> = Vec::new();
    for (ci, &clause) in clauses.iter().enumerate() {
        subs.clear();
        subs.extend(
            terms
                .iter()
                .filter(|m| subject(m.kind).is_some() && in_clause(m.start, clause)),
        );
        toks.clear();
        toks.extend(tokens.iter().filter(|t| in_clause(t.start, clause)));
        // Whether the clause names two themes or more (a list of them).
        let several_themes = {
            let mut first = None;
            subs.iter()
                .filter_map(|m| match m.kind {
                    TermKind::Theme(t) => Some(t),
                    _ => None,
                })
                .any(|t| *first.get_or_insert(t) != t)
        };
        for &tok in &toks {
            if tok.kind == TokenKind::Bare {
                // A change rate right after another value: "授权量6件,-14.29".
                if let Some((tail, theme)) = last_kept {
                    let gap = s.get(tail..tok.start).unwrap_or("x");
                    if gap
                        .chars()
                        .all(|c| CLAUSE_SEPARATORS.contains(&c) || c.is_whitespace())
                    {
                        out.push((tok.clone(), theme));
                        last_kept = Some((tok.end, theme));
                    }
                }
                continue;
            }
            let chosen = if subs.is_empty() {
                let text = &s[clause.0..clause.1];
                let new_subject = lexicon.has_new_subject(text);
                if new_subject {
                    None
                } else if context.is_some() {
                    context
                } else if let Some(t) =
                    carried.filter(|t| !seen_subject && lexicon.has_indicator_word(*t, text))
                {
                    Some(Subject::Theme(t))
                } else {
                    // Opening clause with no subject, followed by one that names the
                    // theme this clause's words measure: "55个贫困村,全部选派有科技特派员".
                    clauses.get(ci + 1).and_then(|next| {
                        if tokens.iter().any(|t| in_clause(t.start, *next)) {
                            return None;
                        }
                        let m = terms.iter().find(|m| in_clause(m.start, *next))?;
                        let TermKind::Theme(t) = m.kind else {
                            return None;
                        };
                        lexicon
                            .has_indicator_word(t, text)
                            .then_some(Subject::Theme(t))
                    })
                }
            } else {
                let nearest = subs
                    .iter()
                    .min_by_key(|m| {
                        if m.end <= tok.start {
                            (tok.start - m.end, 0)
                        } else if m.start >= tok.end {
                            (m.start - tok.end, 1)
                        } else {
                            (0, 0)
                        }
                    })
                    .copied();
                match nearest {
                    Some(m) if several_themes && in_enumeration(s, m) => None,
                    Some(m) => subject(m.kind),
                    None => None,
                }
            };
            if let Some(Subject::Theme(t)) = chosen {
                out.push((tok.clone(), t));
                last_kept = Some((tok.end, t));
            } else {
                last_kept = None;
            }
        }
        if let Some(last) = subs.last() {
            seen_subject = true;
            // After a list of several themes (高新技术企业、专利补贴…), no single theme carries on.
            context = if several_themes && in_enumeration(s, last) {
                None
            } else {
                subject(last.kind)
            };
        }
    }
    let last = match context {
        Some(Subject::Theme(t)) => Some(t),
        Some(Subject::Rival) => None,
        None if !seen_subject => carried,
        None => None,
    };
    (out, last)
}

/// Is the term one item of a list joined by 、 (高新技术企业、专利补贴…)?
fn in_enumeration(s: &str, m: &TermMatch) -> bool {
    let after = s[m.end..].trim_start_matches(|c: char| c != '、' && !is_break(c));
    let before_list = s[..m.start]
        .rfind('、')
        .is_some_and(|i| !s[i..m.start].chars().any(is_break));
    after.starts_with('、') && !s[m.end..].starts_with(|c: char| c.is_ascii_digit()) || before_list
}

fn is_break(c: char) -> bool {
    CLAUSE_SEPARATORS.contains(&c)
        || c.is_ascii_digit()
        || numbers::is_chinese_numeral(c)
        || c == '等'
}

/// For a percentage right after a change word: +1 for growth, -1 for decline.
fn change(lexicon: &Lexicon, s: &str, tok: &Token) -> Option<f64> {
    if tok.unit != "%" && tok.unit != "个百分点" {
        return None;
    }
    let before = s[..tok.start].trim_end_matches(['了', '达', '到', '为', ' ']);
    let ch = lexicon.changes();
    if ch.down.iter().any(|w| before.ends_with(w.as_str())) {
        return Some(-1.0);
    }
    if ch.up.iter().any(|w| before.ends_with(w.as_str())) {
        return Some(1.0);
    }
    None
}

/// The indicator whose words sit nearest the number in its clause (words
/// before the number preferred); indicators restricted to the number's unit
/// win over generic ones; "other" when none occurs.
fn indicator(lexicon: &Lexicon, theme: usize, s: &str, tok: &Token) -> String {
    let Some(th) = lexicon.themes().get(theme) else {
        return "other".to_string();
    };
    let start = s[..tok.start]
        .rfind(CLAUSE_SEPARATORS)
        .map_or(0, |i| i + s[i..].chars().next().map_or(1, char::len_utf8));
    let end = s[tok.end..]
        .find(CLAUSE_SEPARATORS)
        .map_or(s.len(), |i| tok.end + i);
    let clause = &s[start..end];
    let (ts, te) = (tok.start - start, tok.end - start);
    // (not a subset named before, generic, distance, order): smallest wins.
    let mut best: Option<(bool, bool, usize, usize)> = None;
    let mut best_id = None;
    for word in lexicon.indicator_words_in(theme, clause) {
        let order = word.indicator;
        let ind = &th.indicators[order];
        let specific = !ind.units.is_empty();
        if specific && !ind.units.contains(&tok.unit) {
            continue;
        }
        let (before, dist) = if word.end <= ts {
            (true, ts - word.end)
        } else if word.start >= te {
            (false, word.start - te + 30)
        } else {
            continue;
        };
        let key = (!(ind.subset && before), !specific, dist, order);
        if best.is_none_or(|b| key < b) {
            best = Some(key);
            best_id = Some(ind.id.as_str());
        }
    }
    best_id.unwrap_or("other").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::test_support::{period, prepare, structure};

    fn run(text: &str, year: Option<i32>) -> Extraction {
        let lex = Lexicon::builtin().unwrap();
        let text = prepare(text);
        extract(&lex, &text, &structure(&text), &period(year))
    }

    fn brief(e: &Extraction) -> Vec<(String, String, Option<f64>, String)> {
        e.facts
            .iter()
            .map(|f| {
                (
                    f.theme.clone(),
                    f.indicator.clone(),
                    f.value,
                    f.unit.clone(),
                )
            })
            .collect()
    }

    fn tuple(
        theme: &str,
        ind: &str,
        v: Option<f64>,
        unit: &str,
    ) -> (String, String, Option<f64>, String) {
        (theme.into(), ind.into(), v, unit.into())
    }

    #[test]
    fn binds_numbers_to_themes_and_indicators() {
        let e = run(
            "目前,全市共有高新技术企业66家。推荐9家企业申报了2018年第一批高新技术企业。",
            Some(2018),
        );
        assert_eq!(
            brief(&e),
            vec![
                tuple("high_tech_enterprise", "total", Some(66.0), "家"),
                tuple("high_tech_enterprise", "applied", Some(9.0), "家"),
            ]
        );
        assert_eq!(e.mentions["high_tech_enterprise"], 2);
        assert_eq!(e.mentions["earthquake_preparedness"], 0);
        let f = &e.facts[0];
        assert_eq!(f.raw, "66家");
        let text = "目前,全市共有高新技术企业66家。";
        assert_eq!(
            text.chars()
                .skip(f.start)
                .take(f.end - f.start)
                .collect::<String>(),
            "66家"
        );
        assert_eq!(f.role, Role::Achievement);
    }

    #[test]
    fn clauses_continue_the_subject() {
        let e = run(
            "今年1-2月,各科技特派员共开展技术指导64次,科技培训9期,培训246人次,解决关键技术8项。",
            Some(2018),
        );
        assert_eq!(
            brief(&e),
            vec![
                tuple("science_envoy", "guidance", Some(64.0), "次"),
                tuple("science_envoy", "trainings", Some(9.0), "期"),
                tuple("science_envoy", "trainees", Some(246.0), "人次"),
                tuple("science_envoy", "technologies", Some(8.0), "项"),
            ]
        );
        let e = run("今年1-5月份,全区完成创造专利申请量26件,同比增长62.5%,全市第2位;授权量6件,-14.29,全市第3位。", None);
        assert_eq!(
            brief(&e),
            vec![
                // 创造专利 is the spun 发明专利: invention-patent applications.
                tuple("patent", "invention", Some(26.0), "件"),
                tuple("patent", "growth_rate", Some(62.5), "%"),
                tuple("patent", "rank", Some(2.0), "位"),
                tuple("patent", "grants", Some(6.0), "件"),
                tuple("patent", "growth_rate", Some(-14.29), "%"),
                tuple("patent", "rank", Some(3.0), "位"),
            ]
        );
    }

    #[test]
    fn tricky_inputs() {
        let e = run("举办了一期高新技术企业认定管理培训班,两项专利获得授权,专利申请1,234件,约500人次参加防震减灾宣传。", Some(2018));
        assert_eq!(
            brief(&e),
            vec![
                tuple("high_tech_enterprise", "training", Some(1.0), "期"),
                tuple("patent", "grants", Some(2.0), "项"),
                tuple("patent", "applications", Some(1234.0), "件"),
                tuple("earthquake_preparedness", "publicity", Some(500.0), "人次"),
            ]
        );
        assert_eq!(e.facts[3].qualifier, crate::Qualifier::Approx);
        let e = run("开展知识产权执法专项行动3次,新增高企5家。", Some(2018));
        assert_eq!(
            brief(&e),
            vec![
                tuple("patent", "enforcement", Some(3.0), "次"),
                tuple("high_tech_enterprise", "new", Some(5.0), "家"),
            ]
        );
        // A unit with no number is skipped; a zero count is damaged.
        let e = run(
            "向荆门市推荐名科技特派员,选派0名科技特派员到贫困村。",
            Some(2018),
        );
        assert_eq!(e.facts.len(), 1);
        assert!(e.facts[0].damaged && e.facts[0].value.is_none() && e.facts[0].raw == "0名");
        // The document's year pasted over a value, only when it is that year.
        let text = "达成专利合作协议2023项。";
        assert!(run(text, Some(2023)).facts[0].damaged);
        assert_eq!(run(text, Some(2018)).facts[0].value, Some(2023.0));
        // Names, slogans, ordinals and dates are not facts.
        let e = run(
            "开展第十九个知识产权宣传周,完成“双随机一公开”专利执法,实施“十百千”高企培育和四大工程,\
             2018年第一批高新技术企业,5月14日召开地震工作会议,4.2世界知识产权日,国家高新区3个。",
            Some(2018),
        );
        assert!(e.facts.is_empty(), "{:?}", brief(&e));
        // Plan sections give plan facts.
        let e = run("一、工作总结\n全市共有高新技术企业66家。\n二、下半年工作打算\n力争新增高新技术企业10家。", Some(2018));
        let roles: Vec<Role> = e.facts.iter().map(|f| f.role).collect();
        assert_eq!(roles, vec![Role::Achievement, Role::Plan]);
        assert_eq!(e.facts[1].section, "二、工作打算");
    }

    #[test]
    fn a_typical_annual_report() {
        let text = "一、2019年工作完成情况\n（一）创新主体不断壮大。全年新认定国家高新技术企业35家，总数达到128家，同比增长37.6%；\
            高新技术产业增加值占规上工业增加值比重达45.2%，较去年提高3.1个百分点。新增科技型中小企业入库210家。\n\
            （二）知识产权工作成效明显。专利授权量1389件，同比下降4.2%；每万人有效发明专利拥有量达到12.35件，居全市第一。\
            完成专利质押融资1.2亿元。开展知识产权执法检查15次，查处假冒专利案件3起。\n\
            （三）科技特派员工作扎实推进。全年选派科技特派员86名，覆盖全县42个贫困村，举办培训班23期，培训农民3500余人次。\n\
            （四）防震减灾。组织地震应急演练12场次；完成建设工程抗震设防要求审查36项。\n\
            二、2020年工作打算\n力争新增高新技术企业20家以上，争取省级以上科技项目资金不低于5000万元。\n";
        let e = run(text, Some(2019));
        let got: Vec<String> = e
            .facts
            .iter()
            .map(|f| {
                let v = f.value.map_or("-".to_string(), |v| v.to_string());
                format!(
                    "{} {} {} {} {} {}",
                    f.theme,
                    f.indicator,
                    v,
                    f.unit,
                    f.qualifier.as_str(),
                    f.role.as_str()
                )
            })
            .collect();
        let want = [
            "high_tech_enterprise new 35 家 exact achievement",
            "high_tech_enterprise total 128 家 exact achievement",
            "high_tech_enterprise growth_rate 37.6 % exact achievement",
            "high_tech_enterprise output_share 45.2 % exact achievement",
            "high_tech_enterprise growth_rate 3.1 个百分点 exact achievement",
            "patent grants 1389 件 exact achievement",
            "patent growth_rate -4.2 % exact achievement",
            "patent per_10k 12.35 件 exact achievement",
            "patent pledge 120000000 元 exact achievement",
            "patent enforcement 15 次 exact achievement",
            "patent enforcement 3 起 exact achievement",
            "science_envoy selected 86 名 exact achievement",
            "science_envoy villages 42 个 exact achievement",
            "science_envoy trainings 23 期 exact achievement",
            "science_envoy trainees 3500 人次 at_least achievement",
            "earthquake_preparedness drills 12 场次 exact achievement",
            "earthquake_preparedness fortification 36 项 exact achievement",
            "high_tech_enterprise new 20 家 at_least plan",
            "project_funding funding 50000000 元 at_least plan",
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn semicolon_lists_carry_the_theme() {
        let e = run(
            "全市专利申请量120件；授权量80件；举办讲座3场次。全市授权量9件。",
            None,
        );
        assert_eq!(
            brief(&e),
            vec![
                tuple("patent", "applications", Some(120.0), "件"),
                tuple("patent", "grants", Some(80.0), "件"),
                tuple("patent", "training", Some(3.0), "场次"),
            ]
        );
    }

    #[test]
    fn guards_rivals_slogans_and_lookalikes() {
        let e = run(
            "培育科技型中小企业48家,升建国家高新区2个;开展“三送”活动,组织防艾宣传3场。",
            None,
        );
        assert!(e.facts.is_empty(), "{:?}", brief(&e));
        let e = run(
            "山东常青树化工等28家市级科技型企业和山东汇海医药等5家省级高新技术企业开展势头强劲。",
            None,
        );
        assert_eq!(
            brief(&e),
            vec![tuple("high_tech_enterprise", "other", Some(5.0), "家")]
        );
        let e = run(
            "兑现高新技术企业、专利补贴、授权发明专利奖励等涉及科技创新政策10项。",
            None,
        );
        assert!(e.facts.is_empty(), "{:?}", brief(&e));
        let e = run(
            "高新技术产业产值下降3.1%,高新技术产业增加值占GDP的比重达到13.%",
            None,
        );
        assert_eq!(e.facts.len(), 2);
        assert_eq!(
            (e.facts[0].indicator.as_str(), e.facts[0].value),
            ("growth_rate", Some(-3.1))
        );
        assert!(e.facts[1].damaged && e.facts[1].value.is_none());
        assert_eq!(e.facts[1].indicator, "output_share");
    }

    #[test]
    fn masked_values_are_flagged_not_zero() {
        let e = run(
            "全年新认定高新技术企业xx家,有效高新技术企业达到xxx家,申请专利xxx项。",
            None,
        );
        assert_eq!(e.facts.len(), 3);
        assert!(e.facts.iter().all(|f| f.masked && f.value.is_none()));
        assert_eq!(e.facts[0].indicator, "new");
    }

    #[test]
    fn clause_separators_are_found_by_their_bytes() {
        let all: String = CLAUSE_SEPARATORS.iter().collect();
        let found: Vec<(usize, usize)> = clause_separators(&all);
        let expected: Vec<(usize, usize)> = all
            .char_indices()
            .map(|(i, c)| (i, i + c.len_utf8()))
            .collect();
        assert_eq!(found, expected);
        // Full-width forms that share the lead byte are not separators;
        // ASCII and full-width ones together come in text order.
        assert!(clause_separators("（一）！？＂").is_empty());
        assert_eq!(clause_separators("a：b,"), [(1, 4), (5, 6)]);
    }

    proptest::proptest! {
        #[test]
        fn clause_separators_equal_a_character_filter(
            text in "[，,；;：:（）！？、。 a0é€😀高新]{0,40}"
        ) {
            let expected: Vec<(usize, usize)> = text
                .char_indices()
                .filter(|(_, c)| CLAUSE_SEPARATORS.contains(c))
                .map(|(i, c)| (i, i + c.len_utf8()))
                .collect();
            proptest::prop_assert_eq!(clause_separators(&text), expected);
        }

        #[test]
        fn extraction_never_panics_and_cites_exactly(
            text in "[0-9xX.,%第位万亿十一二三两家件名元年；。，、“”高新技术企业专利科技特派员地震演练型中小\n-]{0,80}"
        ) {
            let lex = Lexicon::builtin().unwrap();
            let e = extract(&lex, &text, &structure(&text), &period(Some(2023)));
            for f in &e.facts {
                let cited: String = text.chars().skip(f.start).take(f.end - f.start).collect();
                proptest::prop_assert_eq!(&cited, &f.raw);
                proptest::prop_assert!(!(f.masked || f.damaged) || f.value.is_none());
            }
        }
    }

    // ---- seeds against gold ----

    fn seeds_dir() -> Option<std::path::PathBuf> {
        let dir = std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared"));
        if dir.join("seeds").is_dir() && dir.join("gold/seeds.json").is_file() {
            Some(dir)
        } else {
            println!("note: {} missing, seed test skipped", dir.display());
            None
        }
    }

    const HEADLINE: [&str; 4] = [
        "high_tech_enterprise",
        "patent",
        "science_envoy",
        "earthquake_preparedness",
    ];

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * a.abs().max(1.0)
    }

    #[test]
    fn seeds_match_gold() {
        let Some(dir) = seeds_dir() else { return };
        let gold: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("gold/seeds.json")).unwrap())
                .unwrap();
        let lex = Lexicon::builtin().unwrap();
        let mut problems = Vec::new();
        let (mut correct, mut reported) = (0usize, 0usize);
        println!(
            "{:<28} {:>5} {:>6} {:>6} {:>5}",
            "seed", "found", "missed", "extra", "facts"
        );
        for doc in gold.as_array().unwrap() {
            let file = doc["file"].as_str().unwrap();
            let raw = std::fs::read_to_string(dir.join("seeds").join(file)).unwrap();
            let text = prepare(&raw);
            let year = doc["period"]["year"].as_i64().map(|y| y as i32);
            let e = extract(&lex, &text, &structure(&text), &period(year));
            let gold_facts = doc["facts"].as_array().unwrap();
            let matches = |f: &Fact, g: &serde_json::Value| {
                g["theme"] == f.theme.as_str()
                    && g["unit"] == f.unit.as_str()
                    && f.value
                        .is_some_and(|v| close(v, g["value"].as_f64().unwrap()))
            };
            let flagged: Vec<(&str, &str)> = ["damaged", "masked"]
                .iter()
                .flat_map(|k| doc[*k].as_array().unwrap())
                .map(|g| (g["theme"].as_str().unwrap(), g["raw"].as_str().unwrap()))
                .collect();
            let (mut found, mut missed) = (0, 0);
            for g in gold_facts.iter().filter(|g| g["core"] == true) {
                if e.facts.iter().any(|f| matches(f, g)) {
                    found += 1;
                } else {
                    missed += 1;
                    problems.push(format!("{file}: missed core {g}"));
                }
            }
            let mut extra = 0;
            for f in e
                .facts
                .iter()
                .filter(|f| HEADLINE.contains(&f.theme.as_str()) && f.value.is_some())
            {
                reported += 1;
                if gold_facts.iter().any(|g| matches(f, g)) {
                    correct += 1;
                } else {
                    extra += 1;
                    println!(
                        "  extra {file}: {} {} {:?} {} [{}] {}",
                        f.theme,
                        f.indicator,
                        f.value,
                        f.unit,
                        f.raw,
                        f.sentence.trim()
                    );
                }
            }
            for (theme, r) in &flagged {
                let hit = e
                    .facts
                    .iter()
                    .any(|f| f.theme == *theme && f.value.is_none() && r.ends_with(&f.raw));
                if !hit {
                    problems.push(format!(
                        "{file}: gold flagged {theme} {r} not found as a flagged fact"
                    ));
                }
            }
            for (_, r) in &flagged {
                for f in &e.facts {
                    if f.value.is_some() && r.ends_with(&f.raw) {
                        problems.push(format!("{file}: {r} reported as clean value {:?}", f.value));
                    }
                }
            }
            for (theme, spoken) in doc["themes"].as_object().unwrap() {
                if spoken == false && e.facts.iter().any(|f| f.theme == *theme) {
                    problems.push(format!("{file}: facts for theme {theme} marked absent"));
                }
                let n = e.mentions.get(theme).copied();
                if n.is_none() || (spoken == true) != (n > Some(0)) {
                    problems.push(format!(
                        "{file}: theme {theme} spoken={spoken} but mentions {n:?}"
                    ));
                }
            }
            assert_eq!(e.mentions.len(), lex.theme_ids().len());
            for f in &e.facts {
                let cited: String = text.chars().skip(f.start).take(f.end - f.start).collect();
                assert_eq!(cited, f.raw, "{file}: offsets of {f:?}");
                assert!(f.sentence.contains(&f.raw));
            }
            if std::env::var_os("ZONGJIE_DUMP_FACTS").is_some() {
                for f in &e.facts {
                    println!(
                        "    {} {} {:?} {} [{}] {:?} m={} d={} {:?}",
                        f.theme,
                        f.indicator,
                        f.value,
                        f.unit,
                        f.raw,
                        f.qualifier,
                        f.masked,
                        f.damaged,
                        f.role
                    );
                }
            }
            println!(
                "{:<28} {:>5} {:>6} {:>6} {:>5}",
                file,
                found,
                missed,
                extra,
                e.facts.len()
            );
        }
        let precision = correct as f64 / reported.max(1) as f64;
        println!("headline precision {correct}/{reported} = {precision:.3}");
        for p in &problems {
            println!("PROBLEM {p}");
        }
        assert!(problems.is_empty(), "{} problems", problems.len());
        assert!(precision >= 0.9, "precision {precision:.3}");
    }
}

/// Test-only stand-ins for the clean and structure stages.
#[cfg(test)]
mod test_support {
    use crate::{Period, Role, Section, Sentence, Structure, YearTrust};

    /// Test-only text preparation: traditional → simplified, pinyin removed.
    /// One place, so the real cleaning stage can replace it.
    pub fn prepare(raw: &str) -> String {
        let simplified = zhconv::zhconv(raw, zhconv::Variant::ZhHans);
        let pinyin = regex::Regex::new(r"\([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü\s]{1,12}\)").unwrap();
        pinyin.replace_all(&simplified, "").into_owned()
    }

    /// Test-only structure: sentences split on 。；\n, a root section with the
    /// achievement role and, from the first plan heading on, a plan section.
    pub fn structure(text: &str) -> Structure {
        let plan_at =
            regex::Regex::new(r"[一二三四五六七八九十]、[^。\n]{0,8}(打算|安排|下一步|下步|思路)")
                .unwrap()
                .find(text)
                .map(|m| m.start());
        let mut sections = vec![Section {
            heading: String::new(),
            marker: String::new(),
            level: 0,
            parent: None,
            role: Role::Achievement,
            span: 0..text.len(),
        }];
        if let Some(p) = plan_at {
            sections.push(Section {
                heading: "工作打算".into(),
                marker: "二、".into(),
                level: 1,
                parent: Some(0),
                role: Role::Plan,
                span: p..text.len(),
            });
        }
        let mut sentences = Vec::new();
        let mut start = 0;
        for (i, c) in text.char_indices() {
            if matches!(c, '。' | '；' | '\n') {
                let end = i + c.len_utf8();
                if !text[start..end].trim().is_empty() {
                    let section = usize::from(plan_at.is_some_and(|p| start >= p));
                    sentences.push(Sentence {
                        span: start..end,
                        section,
                    });
                }
                start = end;
            }
        }
        if start < text.len() {
            let section = usize::from(plan_at.is_some_and(|p| start >= p));
            sentences.push(Sentence {
                span: start..text.len(),
                section,
            });
        }
        Structure {
            title: String::new(),
            sections,
            sentences,
        }
    }

    pub fn period(year: Option<i32>) -> Period {
        Period {
            year,
            kind: None,
            year_trust: YearTrust::Sure,
            evidence: vec![],
        }
    }
}
