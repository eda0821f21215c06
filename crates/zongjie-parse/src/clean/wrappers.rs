//! Step 3 of cleaning: document-sharing-site wrappers.
//!
//! Reports scraped from sharing sites carry the site's furniture: upload id,
//! size, page count and upload date, "_第N页" preview captions, 资源描述, the
//! "《…》由会员上传分享" line, 温馨提示 notices, download and share buttons,
//! keyword lines and related-article lists at the end. None of it is the
//! report, and some of it misleads later stages (an upload date is not the
//! report's period). The rules live in `data/boilerplate.toml`, one row per
//! phenomenon, so a new site is one more row, not new code.
//!
//! Main types: [`WrapperRules`] (the compiled table) and [`strip_wrappers`].

use regex::{Regex, RegexSet};
use regex_syntax::hir::Hir;
use serde::Deserialize;

use super::regex_shape::{
    anchored_at_start, without_looks, without_padding, LineStarts, RequiredStrings,
};
use crate::error::ParseError;

/// One rule as written in the TOML table.
#[derive(Debug, Deserialize)]
struct RuleSpec {
    id: String,
    kind: String,
    pattern: String,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    end: Option<String>,
    #[serde(default)]
    max_lines: Option<usize>,
    #[serde(default)]
    max_chars: Option<usize>,
    #[serde(default)]
    max_line_chars: Option<usize>,
    #[serde(default)]
    #[allow(dead_code)]
    description: String,
}

#[derive(Debug, Deserialize)]
struct TableSpec {
    #[serde(default)]
    rule: Vec<RuleSpec>,
}

/// How a compiled rule matches.
#[derive(Debug)]
enum Matcher {
    Prefix(String),
    Contains(memchr::memmem::Finder<'static>),
    Line(Regex),
    Block {
        start: Regex,
        body: Option<Regex>,
        end: Option<Regex>,
        max_lines: usize,
    },
    Tail {
        start: Regex,
        max_chars: usize,
        max_line_chars: usize,
    },
    Inline {
        regex: Regex,
        /// `regex` without its padding ([`without_padding`]): whether a
        /// text or line holds a match, asked of every text that holds the
        /// `required` strings, many times faster than `regex` answers it.
        somewhere: Regex,
        /// Strings every match contains: a text missing one is not searched.
        required: RequiredStrings,
    },
}

/// One compiled wrapper rule.
#[derive(Debug)]
struct Rule {
    id: String,
    matcher: Matcher,
}

/// The compiled wrapper rule table; built once, shared by all threads.
#[derive(Debug)]
pub struct WrapperRules {
    rules: Vec<Rule>,
    /// Every whole-line regex of the table (line rules, block starts, tail
    /// starts) in three sets, so a line is scanned at most three times for
    /// all of them instead of once per rule (see [`LineGroup`]).
    line_sets: [LineSet; 3],
    /// The characters a line can start with to match a pattern of the
    /// [`LineGroup::Keyed`] set: a line starting with another (nearly every
    /// line of a report) is not searched with that set.
    keyed_starts: LineStarts,
    /// The strings the [`LineGroup::Anchored`] patterns' matches contain (the
    /// keyword line's spaces): a line lacking them is not searched with that set.
    anchored_required: RequiredStrings,
    /// The patterns of the [`LineGroup::Unanchored`] set with their `^`/`$`
    /// assertions dropped, as one regex searched once per text: a text it
    /// does not match (nearly every report) holds no line the set could
    /// match. `None` when the set is empty.
    others_in_text: Option<Regex>,
    /// The rules that test a line's plain text (prefix, contains), in table
    /// order: the only ones that can remove a line no whole-line regex
    /// matched, so such a line (nearly every one) is tried against these alone.
    plain_rules: Vec<usize>,
}

/// How a whole-line pattern is searched; the sets are split so that each
/// can be ruled out, or given up, early.
#[derive(Debug, Clone, Copy)]
enum LineGroup {
    /// Anchored at the line start, starting with one of a few characters
    /// (资源描述, 温馨提示): searched only in lines starting with one of them.
    Keyed = 0,
    /// Anchored, but may start with many characters (a keyword line starts
    /// with any Han character): searched in the lines holding the strings
    /// its matches must contain (the keyword line's spaces), and given up
    /// after a few characters of an ordinary one.
    Anchored = 1,
    /// Not anchored (…_第3页): searched only in texts where its pattern
    /// without assertions occurs, which a search for its literals mostly
    /// rules out.
    Unanchored = 2,
}

/// Most first characters a [`LineGroup::Keyed`] pattern may have.
const MAX_KEYS: usize = 256;

impl LineGroup {
    /// The group of a pattern, given its syntax tree.
    fn of(hir: &Hir) -> LineGroup {
        if !anchored_at_start(hir) {
            LineGroup::Unanchored
        } else if LineStarts::of([hir]).breadth() <= MAX_KEYS {
            LineGroup::Keyed
        } else {
            LineGroup::Anchored
        }
    }
}

/// Some whole-line regexes of the table as one set, with the rule each stands for.
#[derive(Debug)]
struct LineSet {
    set: RegexSet,
    /// `rule[i]` is the index in `rules` of the set's pattern `i`.
    rule: Vec<usize>,
}

/// Which rules' whole-line regexes one line matches, by rule index: `None`
/// when it matches none of them, as nearly every line of a report does.
type LineHits = Option<Vec<bool>>;

/// The syntax tree of rule `id`'s `pattern`; called once the pattern has
/// compiled as a regex, so it parses.
fn syntax_tree(id: &str, pattern: &str) -> Result<Hir, ParseError> {
    regex_syntax::parse(pattern).map_err(|e| data_error(format!("rule {id}: bad regex: {e}")))
}

fn data_error(message: String) -> ParseError {
    ParseError::Data {
        table: "boilerplate".to_string(),
        message,
    }
}

impl WrapperRules {
    /// Parse and compile a rule table (see `data/boilerplate.toml` for the format).
    pub fn from_toml(text: &str) -> Result<WrapperRules, ParseError> {
        let spec: TableSpec = toml::from_str(text).map_err(|e| data_error(e.to_string()))?;
        let mut rules = Vec::with_capacity(spec.rule.len());
        for r in spec.rule {
            let regex = |p: &str| {
                Regex::new(p).map_err(|e| data_error(format!("rule {}: bad regex: {e}", r.id)))
            };
            let matcher = match r.kind.as_str() {
                "line_prefix" => Matcher::Prefix(r.pattern.clone()),
                // Built once: `str::contains` would set up its searcher
                // again for every line.
                "line_contains" => {
                    Matcher::Contains(memchr::memmem::Finder::new(&r.pattern).into_owned())
                }
                "line_regex" => Matcher::Line(regex(&r.pattern)?),
                "inline_regex" => {
                    let syntax = syntax_tree(&r.id, &r.pattern)?;
                    Matcher::Inline {
                        regex: regex(&r.pattern)?,
                        somewhere: regex(&without_padding(&syntax))?,
                        required: RequiredStrings::of([&syntax]),
                    }
                }
                "block" => Matcher::Block {
                    start: regex(&r.pattern)?,
                    body: r.body.as_deref().map(regex).transpose()?,
                    end: r.end.as_deref().map(regex).transpose()?,
                    max_lines: r.max_lines.unwrap_or(8),
                },
                "tail" => Matcher::Tail {
                    start: regex(&r.pattern)?,
                    max_chars: r.max_chars.unwrap_or(3000),
                    max_line_chars: r.max_line_chars.unwrap_or(120),
                },
                other => return Err(data_error(format!("rule {}: unknown kind {other:?}", r.id))),
            };
            if r.pattern.is_empty() {
                return Err(data_error(format!("rule {}: empty pattern", r.id)));
            }
            rules.push(Rule { id: r.id, matcher });
        }
        // (patterns, their syntax trees, rule indices) by `LineGroup`.
        let mut groups: [(Vec<&str>, Vec<Hir>, Vec<usize>); 3] = Default::default();
        for (index, r) in rules.iter().enumerate() {
            let line_regex = match &r.matcher {
                Matcher::Line(re)
                | Matcher::Block { start: re, .. }
                | Matcher::Tail { start: re, .. } => re,
                _ => continue,
            };
            let hir = syntax_tree(&r.id, line_regex.as_str())?;
            let group = &mut groups[LineGroup::of(&hir) as usize];
            group.0.push(line_regex.as_str());
            group.1.push(hir);
            group.2.push(index);
        }
        // Every pattern compiled on its own above, so only size limits can fail here.
        let line_set = |(patterns, rule): (Vec<&str>, Vec<usize>)| {
            RegexSet::new(patterns)
                .map(|set| LineSet { set, rule })
                .map_err(|e| data_error(format!("the rules' regexes together: {e}")))
        };
        let keyed_starts = LineStarts::of(&groups[LineGroup::Keyed as usize].1);
        let anchored_required = RequiredStrings::of(&groups[LineGroup::Anchored as usize].1);
        let others_in_text = match groups[LineGroup::Unanchored as usize].1.as_slice() {
            [] => None,
            others => {
                let bare: Vec<String> = others
                    .iter()
                    .map(|hir| format!("(?:{})", without_looks(hir)))
                    .collect();
                Some(Regex::new(&bare.join("|")).map_err(|e| {
                    data_error(format!("the unanchored rules' regexes together: {e}"))
                })?)
            }
        };
        let [keyed, anchored, other] = groups.map(|(patterns, _, rule)| (patterns, rule));
        let line_sets = [line_set(keyed)?, line_set(anchored)?, line_set(other)?];
        let plain_rules = rules
            .iter()
            .enumerate()
            .filter(|(_, r)| matches!(r.matcher, Matcher::Prefix(_) | Matcher::Contains(_)))
            .map(|(index, _)| index)
            .collect();
        Ok(WrapperRules {
            rules,
            line_sets,
            keyed_starts,
            anchored_required,
            others_in_text,
            plain_rules,
        })
    }

    /// Whether some line of `text` may match a [`LineGroup::Unanchored`] pattern.
    fn others_may_match(&self, text: &str) -> bool {
        self.others_in_text
            .as_ref()
            .is_some_and(|re| re.is_match(text))
    }

    /// Which whole-line regexes `line` matches; `others_possible` says
    /// whether the [`LineGroup::Unanchored`] set can match any line of this text.
    fn line_hits(&self, line: &str, others_possible: bool) -> LineHits {
        let mut hits: LineHits = None;
        if line.is_empty() {
            return hits;
        }
        let possible = [
            self.keyed_starts.may_match(line),
            self.anchored_required.may_match(line),
            others_possible,
        ];
        for (LineSet { set, rule }, possible) in self.line_sets.iter().zip(possible) {
            if possible && set.is_match(line) {
                let hits = hits.get_or_insert_with(|| vec![false; self.rules.len()]);
                for i in set.matches(line).iter() {
                    hits[rule[i]] = true;
                }
            }
        }
        hits
    }

    /// Whether rule `index`'s whole-line regex matched, given the line's hits.
    fn regex_hit(&self, index: usize, hits: &LineHits) -> bool {
        hits.as_ref().is_some_and(|hits| hits[index])
    }

    /// Number of rules in the table.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// True when the table has no rules.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Which rules' plain-text patterns occur in `text` at all, by rule
    /// index (true for the other rules): a line of a text without the
    /// pattern cannot contain it, so one search of the whole text spares a
    /// search of every line.
    fn contained_in(&self, text: &str) -> Vec<bool> {
        self.rules
            .iter()
            .map(|r| match &r.matcher {
                Matcher::Contains(finder) => finder.find(text.as_bytes()).is_some(),
                _ => true,
            })
            .collect()
    }

    /// The id of the first single-line rule that removes `line` (trimmed),
    /// given the line's regex hits and [`WrapperRules::contained_in`] of its text.
    fn line_rule(&self, line: &str, hits: &LineHits, contained: &[bool]) -> Option<&str> {
        let plain_hit = |index: usize| match &self.rules[index].matcher {
            Matcher::Prefix(p) => line.starts_with(p.as_str()),
            Matcher::Contains(finder) => contained[index] && finder.find(line.as_bytes()).is_some(),
            _ => false,
        };
        let index = if hits.is_none() {
            // No whole-line regex matched: the first plain-text rule that does.
            self.plain_rules
                .iter()
                .copied()
                .find(|&index| plain_hit(index))
        } else {
            (0..self.rules.len()).find(|&index| match &self.rules[index].matcher {
                Matcher::Line(_) => self.regex_hit(index, hits),
                _ => plain_hit(index),
            })
        }?;
        Some(self.rules[index].id.as_str())
    }
}

/// Remove wrapper lines; returns the text and every removed line with the id
/// of the rule that removed it (inline cuts are recorded with the cut text).
///
/// Removed lines leave nothing behind (not even a blank line); blank lines of
/// the text are kept for the tidy step.
pub fn strip_wrappers(text: &str, rules: &WrapperRules) -> (String, Vec<(String, String)>) {
    let lines: Vec<&str> = crate::lines::lines(text).collect();
    let mut keep = vec![true; lines.len()];
    let mut removed: Vec<(usize, String, String)> = Vec::new();
    let trimmed: Vec<&str> = lines.iter().map(|l| l.trim()).collect();
    let others_possible = rules.others_may_match(text);
    let contained = rules.contained_in(text);
    let hits: Vec<LineHits> = trimmed
        .iter()
        .map(|l| rules.line_hits(l, others_possible))
        .collect();

    // Footers first: from the first tail start whose remainder is short, to the end.
    let mut cut_from = lines.len();
    'tails: for (i, line_hits) in hits.iter().enumerate() {
        if line_hits.is_none() {
            continue;
        }
        for (index, r) in rules.rules.iter().enumerate() {
            if let Matcher::Tail {
                max_chars,
                max_line_chars,
                ..
            } = &r.matcher
            {
                if !rules.regex_hit(index, line_hits) {
                    continue;
                }
                let rest = &trimmed[i..];
                let chars: usize = rest.iter().map(|l| l.chars().count()).sum();
                let longest = rest.iter().map(|l| l.chars().count()).max().unwrap_or(0);
                if chars <= *max_chars && longest <= *max_line_chars {
                    cut_from = i;
                    for (j, l) in rest.iter().enumerate() {
                        if !l.is_empty() {
                            removed.push((i + j, r.id.clone(), (*l).to_string()));
                        }
                        keep[i + j] = false;
                    }
                    break 'tails;
                }
            }
        }
    }

    let mut i = 0;
    while i < cut_from {
        let line = trimmed[i];
        if line.is_empty() {
            i += 1;
            continue;
        }
        // Blocks: a start line and the lines that belong to it (a block
        // starts on a line its start regex matched, so only on a line with hits).
        let block = hits[i].as_ref().and_then(|_| {
            rules
                .rules
                .iter()
                .enumerate()
                .find_map(|(index, r)| match &r.matcher {
                    Matcher::Block {
                        body,
                        end,
                        max_lines,
                        ..
                    } if rules.regex_hit(index, &hits[i]) => Some((r, body, end, *max_lines)),
                    _ => None,
                })
        });
        if let Some((rule, body, end, max_lines)) = block {
            keep[i] = false;
            removed.push((i, rule.id.clone(), line.to_string()));
            let mut j = i + 1;
            let mut taken = 0;
            while j < cut_from && taken < max_lines {
                let l = trimmed[j];
                if l.is_empty() {
                    j += 1;
                    continue;
                }
                let is_end = end.as_ref().is_some_and(|e| e.is_match(l));
                let is_body = body.as_ref().is_some_and(|b| b.is_match(l));
                if !(is_end || is_body) {
                    break;
                }
                keep[j] = false;
                removed.push((j, rule.id.clone(), l.to_string()));
                taken += 1;
                j += 1;
                if is_end {
                    break;
                }
            }
            i = j;
            continue;
        }
        if let Some(id) = rules.line_rule(line, &hits[i], &contained) {
            keep[i] = false;
            removed.push((i, id.to_string(), line.to_string()));
        }
        i += 1;
    }

    // Inline rules that match nowhere in the text (nearly always) match no
    // line of it either: one search of the whole text rules them out, and a
    // substring search for the strings every match holds, most often, that one.
    let inline: Vec<(&Rule, &Regex, &Regex)> = rules
        .rules
        .iter()
        .filter_map(|r| match &r.matcher {
            Matcher::Inline {
                regex,
                somewhere,
                required,
            } if required.may_match(text) && somewhere.is_match(text) => {
                Some((r, regex, somewhere))
            }
            _ => None,
        })
        .collect();
    let mut out = String::with_capacity(text.len());
    let mut first = true;
    for (i, line) in lines.iter().enumerate() {
        if !keep[i] {
            continue;
        }
        if !first {
            out.push('\n');
        }
        first = false;
        // A line no inline rule touches (nearly all) is copied without a
        // copy of its own.
        let mut line = std::borrow::Cow::Borrowed(*line);
        for (r, re, somewhere) in &inline {
            if somewhere.is_match(&line) {
                for m in re.find_iter(&line) {
                    removed.push((i, r.id.clone(), m.as_str().trim().to_string()));
                }
                line = std::borrow::Cow::Owned(re.replace_all(&line, "").into_owned());
            }
        }
        out.push_str(&line);
    }
    removed.sort_by_key(|(i, _, _)| *i);
    let removed = removed.into_iter().map(|(_, id, l)| (id, l)).collect();
    (out, removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin() -> WrapperRules {
        WrapperRules::from_toml(include_str!("../../data/boilerplate.toml")).unwrap()
    }

    #[test]
    fn header_lines_go_with_their_rule_ids() {
        let text = "2018年上半年工作总结\n\nID:37879714\n\n大小:36.50 KB\n\n页数:6页\n\n时间:2019-06-01\n格式:DOCX\n\n2018年上半年工作总结_第1页\n2018年上半年工作总结_第2页\n资源描述:\n\n《2018年上半年工作总结》由会员上传分享,免费在线阅读,更多相关内容在应用文档-天天文库\n\n1、今年以来,科技局认真落实。";
        let (out, removed) = strip_wrappers(text, &builtin());
        assert_eq!(
            out.split('\n')
                .filter(|l| !l.trim().is_empty())
                .collect::<Vec<_>>(),
            ["2018年上半年工作总结", "1、今年以来,科技局认真落实。"]
        );
        let ids: Vec<&str> = removed.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "upload_id",
                "file_size",
                "page_count",
                "upload_time",
                "file_format",
                "page_preview",
                "page_preview",
                "resource_description",
                "member_upload"
            ]
        );
        assert_eq!(removed[0].1, "ID:37879714");
    }

    #[test]
    fn notice_block_takes_its_numbered_lines_only() {
        let text = "温馨提示:\n1. 部分包含数学公式或PPT动画的文件,查看预览时可能会显示错乱或异常。\n2. 本文档由用户上传,版权归属用户。\n网站客服:3074922707\n2023 市区 科技局 上半年 工作总结 报告\n市区科技局上半年工作总结报告 今年以来,区科技局围绕中心工作。\n1、理论学习强素质。";
        let (out, removed) = strip_wrappers(text, &builtin());
        assert_eq!(
            out,
            "市区科技局上半年工作总结报告 今年以来,区科技局围绕中心工作。\n1、理论学习强素质。"
        );
        let ids: Vec<&str> = removed.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "kind_reminder",
                "kind_reminder",
                "kind_reminder",
                "customer_service",
                "keyword_line"
            ]
        );
    }

    #[test]
    fn numbered_report_lines_are_not_notices() {
        // Without 温馨提示 above them, numbered lines are the report's own.
        let text = "三、第二季度工作安排\n1. 继续走访企业。\n2. 开展科技活动周活动。";
        let (out, removed) = strip_wrappers(text, &builtin());
        assert_eq!(out, text);
        assert!(removed.is_empty());
    }

    #[test]
    fn related_article_tail_goes_only_when_short() {
        let text = "四、工作建议\n建议区政府安排科技奖励扶持经费。\n【科技局第一季度工作总结】相关文章:\n科技局第一季度工作总结范文03-09\n第一季度工作总结12-31";
        let (out, removed) = strip_wrappers(text, &builtin());
        assert_eq!(out, "四、工作建议\n建议区政府安排科技奖励扶持经费。");
        assert_eq!(removed.len(), 3);
        assert!(removed.iter().all(|(id, _)| id == "related_articles"));
        // A "相关文章" caption followed by a long body is not a footer.
        let long = format!("相关文章\n{}", "科技工作取得成效。".repeat(40));
        let (out, _) = strip_wrappers(&long, &builtin());
        assert!(out.contains("科技工作取得成效"));
    }

    #[test]
    fn inline_page_stamp_and_buttons() {
        let text = "分享\n下载文档\n收藏 分享赚钱\n树立良好形象。 第7页 共7页\n此文档下载收益归作者所有\n当前文档最多预览五页,下载文档查看全文";
        let (out, removed) = strip_wrappers(text, &builtin());
        assert_eq!(out, "树立良好形象。");
        assert_eq!(removed.len(), 6);
        assert!(removed
            .iter()
            .any(|(id, l)| id == "page_stamp" && l == "第7页 共7页"));
    }

    #[test]
    fn other_common_site_lines() {
        let text = "文档格式:.doc 文档大小:36K\n上一篇:科技局工作计划\nhttps://www.example.com/doc/123.html\n本文档由用户提供并上传,如有侵权请联系删除。\n首页 > 范文大全 > 工作总结\n当前位置:首页>工作总结\n阅读次数:1024\n点击下载文档\n展开阅读全文\n来源:寿光市科技局\n正文。";
        let (out, removed) = strip_wrappers(text, &builtin());
        assert_eq!(out, "来源:寿光市科技局\n正文。");
        assert_eq!(removed.len(), 9);
    }

    #[test]
    fn table_rows_are_not_keyword_lines() {
        // A .docx table row comes out tab-separated; keyword lines use spaces.
        let text = "指标\t2018\t2017\t增长\n- 科技局 平台 建设 工作总结 一年 工作思路";
        let (out, removed) = strip_wrappers(text, &builtin());
        assert_eq!(out, "指标\t2018\t2017\t增长");
        assert_eq!(removed[0].0, "keyword_line");
    }

    #[test]
    fn a_new_site_is_one_more_row() {
        let toml = "[[rule]]\nid = \"newsite\"\nkind = \"line_prefix\"\npattern = \"本文来源:某某文库\"\ndescription = \"x\"\n";
        let rules = WrapperRules::from_toml(toml).unwrap();
        let (out, removed) = strip_wrappers("本文来源:某某文库 www\n正文。", &rules);
        assert_eq!(out, "正文。");
        assert_eq!(
            removed,
            vec![("newsite".to_string(), "本文来源:某某文库 www".to_string())]
        );
    }

    #[test]
    fn the_first_rule_in_table_order_removes_a_line_whatever_its_kind() {
        let rule = |id: &str, kind: &str, pattern: &str| {
            format!("[[rule]]\nid = \"{id}\"\nkind = \"{kind}\"\npattern = \"{pattern}\"\ndescription = \"x\"\n")
        };
        // A regex rule listed before the plain-text rules that also match its
        // line, and plain-text rules alone for the lines no regex matches.
        let toml = [
            rule("stamp", "line_regex", "^来源：某某网$"),
            rule("source", "line_contains", "某某网"),
            rule("prefix", "line_prefix", "来源："),
            rule("mirror", "line_contains", "镜像"),
        ]
        .concat();
        let rules = WrapperRules::from_toml(&toml).unwrap();
        let text = "来源：某某网\n来源：某某网 转载\n本页为某某网镜像\n来源：本局\n正文。";
        let (out, removed) = strip_wrappers(text, &rules);
        assert_eq!(out, "正文。");
        let ids: Vec<&str> = removed.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["stamp", "source", "source", "prefix"]);
        // Without the contains rules, 镜像 is left and the prefix rule takes
        // the lines it starts.
        let toml = [
            rule("stamp", "line_regex", "^来源：某某网$"),
            rule("prefix", "line_prefix", "来源："),
        ]
        .concat();
        let (out, removed) = strip_wrappers(text, &WrapperRules::from_toml(&toml).unwrap());
        assert_eq!(out, "本页为某某网镜像\n正文。");
        let ids: Vec<&str> = removed.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["stamp", "prefix", "prefix"]);
    }

    /// Every whole-line regex `line` matches, by rule index, with no filter.
    fn unfiltered_hits(rules: &WrapperRules, line: &str) -> Vec<bool> {
        let mut hits = vec![false; rules.len()];
        for LineSet { set, rule } in &rules.line_sets {
            for i in set.matches(line).iter() {
                hits[rule[i]] = true;
            }
        }
        hits
    }

    #[test]
    fn filtered_line_hits_equal_unfiltered_ones_on_real_lines() {
        let rules = builtin();
        let lines = crate::test_lines::seed_lines();
        let (mut hit, mut searched) = (0, 0);
        for line in &lines {
            let line = line.trim();
            let filtered = rules.line_hits(line, rules.others_may_match(line));
            let expected = unfiltered_hits(&rules, line);
            assert_eq!(
                filtered.clone().unwrap_or_else(|| vec![false; rules.len()]),
                expected,
                "{line:?}"
            );
            hit += usize::from(filtered.is_some());
            searched += usize::from(rules.keyed_starts.may_match(line));
        }
        if !lines.is_empty() {
            // The seeds carry site furniture, and most lines are ruled out.
            assert!(hit >= 10, "{hit} lines hit");
            assert!(
                searched * 2 < lines.len(),
                "{searched} of {} searched",
                lines.len()
            );
        }
    }

    #[test]
    fn the_builtin_rules_fall_into_all_three_sets() {
        let rules = builtin();
        let [keyed, anchored, other] = &rules.line_sets;
        assert!(keyed.rule.len() > 20 && !anchored.rule.is_empty() && !other.rule.is_empty());
        let keyword_line = rules.rules.iter().position(|r| r.id == "keyword_line");
        assert!(anchored.rule.iter().any(|&i| Some(i) == keyword_line));
    }

    #[test]
    fn bad_tables_are_data_errors() {
        assert!(matches!(
            WrapperRules::from_toml("[[rule]]\nid=1"),
            Err(ParseError::Data { .. })
        ));
        let bad_regex = "[[rule]]\nid = \"x\"\nkind = \"line_regex\"\npattern = \"(\"\n";
        assert!(matches!(
            WrapperRules::from_toml(bad_regex),
            Err(ParseError::Data { .. })
        ));
        let bad_kind = "[[rule]]\nid = \"x\"\nkind = \"paragraph\"\npattern = \"a\"\n";
        assert!(matches!(
            WrapperRules::from_toml(bad_kind),
            Err(ParseError::Data { .. })
        ));
    }
}
