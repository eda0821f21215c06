//! Who issued the report: weigh every place-name mention in the title and text
//! and resolve the issuing region to the finest level the text supports.
//!
//! Evidence, in rough order of strength: a place name followed by an issuer
//! word (寿光市科技局) in the title or opening lines; the same name repeated in
//! the body; the county's towns and its parent city mentioned together;
//! self-references (我市, 全区) pointing back to named places of that kind.
//! Discounted: places visited (赴…考察), partners (与…合作), universities and
//! institutes named after other places, and local companies (weak evidence).
//! Short two-character forms count only when a related place supports them.
//! When the evidence is weak or split, the answer is a coarser level or unknown.

use std::collections::BTreeMap;
use std::ops::Range;

use crate::char_bits::CharBits;
use crate::gazetteer::{cue, Candidate, CueHits, Cues, Gazetteer, Mention, PlaceLevel, Survey};
use crate::model::{Region, RegionEvidence, RegionLevel, Structure};

/// How the words around a mention qualify it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    Plain,
    Issuer,
    Company,
    Institution,
    Visit,
    Partner,
}

impl Context {
    /// How the evidence of a mention in this context says so ("" when plain).
    fn reason(self) -> &'static str {
        match self {
            Context::Plain => "",
            Context::Issuer => "issuer",
            Context::Company => "company name",
            Context::Institution => "distractor: institution",
            Context::Visit => "distractor: visited",
            Context::Partner => "distractor: partner",
        }
    }

    fn is_distractor(self) -> bool {
        matches!(
            self,
            Context::Institution | Context::Visit | Context::Partner
        )
    }
}

/// One mention with its position and context.
#[derive(Debug, Clone, Copy)]
struct Observation {
    mention: Mention,
    /// Offset in the cleaned text (0 for a title not found in the text).
    offset: usize,
    position: Position,
    context: Context,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Position {
    Title,
    Opening,
    Body,
}

impl Position {
    /// How the evidence of a mention here says so.
    fn reason(self) -> &'static str {
        match self {
            Position::Title => "title",
            Position::Opening => "opening",
            Position::Body => "body",
        }
    }
}

/// The byte range of up to `n` characters before `at`, stopping at a clause break.
fn clause_before(text: &str, at: usize, n: usize, breaks: &CharBits) -> Range<usize> {
    let mut start = at;
    for (count, (i, c)) in text[..at].char_indices().rev().enumerate() {
        if count >= n || breaks.contains(c) {
            break;
        }
        start = i;
    }
    start..at
}

/// The byte ranges of up to `windows[k]` characters after `at`, stopping at
/// a clause break, for every `k` in one pass over the characters.
fn clauses_after<const K: usize>(
    text: &str,
    at: usize,
    windows: [usize; K],
    breaks: &CharBits,
) -> [Range<usize>; K] {
    let longest = windows.iter().copied().max().unwrap_or(0);
    let mut ends = [at; K];
    for (count, (i, c)) in text[at..].char_indices().enumerate() {
        if count >= longest || breaks.contains(c) {
            break;
        }
        let end = at + i + c.len_utf8();
        for (k, window) in windows.iter().enumerate() {
            if count < *window {
                ends[k] = end;
            }
        }
    }
    ends.map(|end| at..end)
}

/// How many characters after a place name a visit word (考察, 调研) may start.
const VISIT_WINDOW: usize = 6;

/// What a place mention is doing in its sentence, from the cue words around it.
fn classify(g: &Gazetteer, text: &str, hits: &CueHits, m: &Mention) -> Context {
    let cues = &g.rules.cues;
    if hits.any_at(m.end, cue::ISSUER_AFTER) {
        return Context::Issuer;
    }
    // Every clause [`context_in_clauses`] reads lies within four bytes a
    // character of the mention: with no cue of any kind there (most
    // mentions), none of them holds one, and the walks through the
    // characters are spared.
    let reach_after = 4 * windows_after(cues).into_iter().max().unwrap_or(0);
    let near = m.start.saturating_sub(4 * cues.window)..m.end.saturating_add(reach_after);
    if !hits.any_within(near, u8::MAX) {
        return Context::Plain;
    }
    context_in_clauses(g, text, hits, m)
}

/// The windows, in characters, of the clauses after a mention that
/// [`context_in_clauses`] reads: cue words, institutions, visits, companies.
fn windows_after(cues: &Cues) -> [usize; 4] {
    [
        cues.window,
        cues.institution_window,
        VISIT_WINDOW,
        cues.company_window,
    ]
}

/// What a mention that no issuer word follows is doing, by the cue words in
/// the clauses around it, however far they are.
fn context_in_clauses(g: &Gazetteer, text: &str, hits: &CueHits, m: &Mention) -> Context {
    let cues = &g.rules.cues;
    let breaks = &cues.clause_breaks;
    let before = clause_before(text, m.start, cues.window, breaks);
    let [after, near_after, visit_after, company_after] =
        clauses_after(text, m.end, windows_after(cues), breaks);
    if hits.any_within(near_after, cue::INSTITUTION_AFTER) {
        return Context::Institution;
    }
    if hits.any_within(before.clone(), cue::VISIT_BEFORE)
        || hits.any_within(visit_after, cue::VISIT_AFTER)
    {
        return Context::Visit;
    }
    if hits.any_within(before, cue::PARTNER_BEFORE) && hits.any_within(after, cue::PARTNER_AFTER) {
        return Context::Partner;
    }
    if hits.any_within(company_after, cue::COMPANY_AFTER) {
        return Context::Company;
    }
    Context::Plain
}

/// The places a mention's candidate stands for, itself first, then up the tree.
fn chain(g: &Gazetteer, index: u32) -> impl Iterator<Item = u32> + '_ {
    std::iter::successors(Some(index), move |&i| g.parent_index(i))
}

/// One weighted contribution to a county, city or province.
#[derive(Debug, Clone)]
struct Contribution {
    /// Province, city or county index that receives the weight.
    target: u32,
    weight: f32,
    /// Where its evidence points in the cleaned text.
    offset: usize,
    /// Its evidence's reason names a distractor: shown even off the answer's chain.
    distractor: bool,
    why: Why,
}

/// What a [`Contribution`]'s evidence says: most contributions are never
/// shown (a report names its county dozens of times, and at most
/// [`MAX_EVIDENCE`] are kept), so an observation's evidence is written out
/// only for those that are.
#[derive(Debug, Clone)]
enum Why {
    /// From `observations[observation]`, through a candidate that is a town
    /// or not, a short form or not, kept with `shared_by - 1` others.
    Observed {
        observation: usize,
        town: bool,
        short: bool,
        shared_by: f32,
    },
    /// Written out already (self-references: a few a report).
    Written(RegionEvidence),
}

/// The index in `surfaces` (sorted by pattern, without repeats) of the
/// surface of `pattern`, which is among them.
fn surface_of(surfaces: &[Surface], pattern: u32) -> usize {
    surfaces.partition_point(|s| s.pattern < pattern)
}

/// The most evidence a [`Region`] keeps, strongest first.
const MAX_EVIDENCE: usize = 40;

/// One distinct surface form among a report's place mentions.
struct Surface {
    /// Its index ([`Mention::pattern`]).
    pattern: u32,
    /// Two characters or fewer: a bare short form, too often an ordinary word.
    weak: bool,
    /// Some mention of it is no distractor, and it stands for three places
    /// at most: it vouches for its places and their parents.
    vouches: bool,
    /// The indices in its candidates of those another surface supports.
    backed: Vec<usize>,
}

/// Resolve the issuing region of a report from its cleaned text and structure.
pub fn resolve_region(gazetteer: &Gazetteer, text: &str, structure: &Structure) -> Region {
    resolve_surveyed(
        gazetteer,
        text,
        structure,
        gazetteer.survey(text),
        |title| gazetteer.survey(title),
    )
}

/// [`resolve_region`] given the survey of `text` and a way to survey the
/// title (called only when the title is not the text's first line): the
/// parser finds the place names with the lexicon's terms in one pass.
// Out of line, so an instruction profile names the stage
// (scripts/bench-instructions.sh); one call a document.
#[inline(never)]
pub(crate) fn resolve_surveyed(
    gazetteer: &Gazetteer,
    text: &str,
    structure: &Structure,
    text_survey: Survey,
    survey_title: impl FnOnce(&str) -> Survey,
) -> Region {
    let g = gazetteer;
    let w = &g.rules.weights;
    let opening_end = text
        .char_indices()
        .nth(w.opening_chars)
        .map_or(text.len(), |(i, _)| i);

    // Observations: the title (where it is not the text's own first line) and the text.
    let mut observations: Vec<Observation> = Vec::with_capacity(text_survey.mentions.len());
    let title = structure.title.trim();
    let title_at = (!title.is_empty())
        .then(|| text.find(title))
        .flatten()
        .filter(|&p| p < opening_end);
    if let (false, None) = (title.is_empty(), title_at) {
        let survey = survey_title(title);
        let hits = survey.context.cues;
        for m in survey.mentions {
            observations.push(Observation {
                mention: m,
                offset: 0,
                position: Position::Title,
                context: classify(g, title, &hits, &m),
            });
        }
    }
    let context = text_survey.context;
    let hits = &context.cues;
    for m in text_survey.mentions {
        let position = match title_at {
            Some(p) if m.start >= p && m.end <= p + title.len() => Position::Title,
            _ if m.start < opening_end => Position::Opening,
            _ => Position::Body,
        };
        observations.push(Observation {
            mention: m,
            offset: m.start,
            position,
            context: classify(g, text, hits, &m),
        });
    }

    // The surfaces the observations match, each worked out once however
    // often the report repeats it (its own county, dozens of times): sorted,
    // without repeats, so an observation finds its own by a binary search.
    let mut patterns: Vec<u32> = observations.iter().map(|o| o.mention.pattern).collect();
    patterns.sort_unstable();
    patterns.dedup();
    let mut surfaces: Vec<Surface> = patterns
        .into_iter()
        .map(|pattern| Surface {
            pattern,
            weak: g.pattern(pattern).chars().count() <= 2,
            vouches: false,
            backed: Vec::new(),
        })
        .collect();
    // A name shared by many places (城关镇) vouches for none of them.
    for o in &observations {
        if !o.context.is_distractor() && g.candidates(&o.mention).len() <= 3 {
            let k = surface_of(&surfaces, o.mention.pattern);
            surfaces[k].vouches = true;
        }
    }

    // Which places are covered (as themselves or through a descendant) by which
    // surfaces, and which are named directly by a surface that is not a bare
    // two-character town form (those are too often ordinary words): (place,
    // pattern) pairs, sorted and without repeats, so a place's patterns are
    // one stretch found by a binary search (a map of lists cost a list, an
    // allocation, a place). They depend on the surface alone, so each
    // vouching surface adds its pairs once.
    // Room for a place and its three levels above (province, city, county)
    // for each surface.
    let mut covered: Vec<(u32, u32)> = Vec::with_capacity(4 * surfaces.len());
    let mut named: Vec<(u32, u32)> = Vec::with_capacity(surfaces.len());
    for s in surfaces.iter().filter(|s| s.vouches) {
        for c in g.candidates_of(s.pattern) {
            let town_short = s.weak && g.place(c.place).level == PlaceLevel::Town;
            if !town_short {
                named.push((c.place, s.pattern));
            }
            for a in chain(g, c.place) {
                if town_short && a != c.place {
                    continue;
                }
                covered.push((a, s.pattern));
            }
        }
    }
    for pairs in [&mut covered, &mut named] {
        pairs.sort_unstable();
        pairs.dedup();
    }
    let supported = |place: u32, pattern: u32, weak: bool| -> bool {
        // Whether a pattern other than `pattern` covers (or names) place `i`.
        let other = |pairs: &[(u32, u32)], i: u32| {
            let from = pairs.partition_point(|&(p, _)| p < i);
            pairs[from..]
                .iter()
                .take_while(|&&(p, _)| p == i)
                .any(|&(_, x)| x != pattern)
        };
        let p = g.place(place);
        // A bare two-character town form needs its county or city named outright.
        if weak && p.level == PlaceLevel::Town {
            return chain(g, place)
                .skip(1)
                .filter(|&a| g.place(a).level != PlaceLevel::Province)
                .any(|a| other(&named, a));
        }
        if other(&covered, place) {
            return true;
        }
        let mut up = g.parent_index(place);
        while let Some(a) = up {
            let al = g.place(a).level;
            // A province alone does not vouch for a county or town under a city.
            let relevant = match p.level {
                PlaceLevel::Town => al != PlaceLevel::Province,
                PlaceLevel::County => al == PlaceLevel::City || g.parent_index(place) == Some(a),
                _ => true,
            };
            if relevant && other(&covered, a) {
                return true;
            }
            up = g.parent_index(a);
        }
        false
    };
    // The candidates another surface supports, once per surface.
    for s in &mut surfaces {
        s.backed = g
            .candidates_of(s.pattern)
            .iter()
            .enumerate()
            .filter(|(_, c)| supported(c.place, s.pattern, s.weak))
            .map(|(k, _)| k)
            .collect();
    }

    // Contributions; their evidence is written out only for the few kept.
    let mut contributions: Vec<Contribution> = Vec::with_capacity(observations.len());
    for (observation, o) in observations.iter().enumerate() {
        let s = &surfaces[surface_of(&surfaces, o.mention.pattern)];
        let cands = g.candidates(&o.mention);
        let kept: Vec<&Candidate> = if !s.backed.is_empty() {
            s.backed.iter().map(|&k| &cands[k]).collect()
        } else {
            // An issuer word vouches for a name on its own, but towns issue no reports.
            let issuing: Vec<&Candidate> = cands
                .iter()
                .filter(|c| {
                    o.context == Context::Issuer && g.place(c.place).level != PlaceLevel::Town
                })
                .collect();
            if !issuing.is_empty() {
                issuing
            } else if s.weak
                || cands
                    .iter()
                    .all(|c| g.place(c.place).level == PlaceLevel::Town)
            {
                // Bare short forms and towns count only next to a related place.
                continue;
            } else {
                cands.iter().collect()
            }
        };
        let n = kept.len() as f32;
        let pos_mult = match o.position {
            Position::Title => w.title,
            Position::Opening => w.opening,
            Position::Body => 1.0,
        };
        let ctx_mult = match o.context {
            Context::Plain | Context::Issuer => 1.0,
            Context::Company => w.company,
            Context::Institution => w.institution,
            Context::Visit => w.visit,
            Context::Partner => w.partner,
        };
        for c in kept {
            let place = g.place(c.place);
            let base = match (place.level, c.short) {
                (PlaceLevel::Town, false) => w.town,
                (PlaceLevel::Town, true) => w.town_short,
                (_, false) => w.full,
                (_, true) => w.short,
            };
            let issuer = if o.context == Context::Issuer {
                w.issuer
            } else {
                0.0
            };
            let weight = (base + issuer) * pos_mult * ctx_mult / n;
            let town = place.level == PlaceLevel::Town;
            let target = if town {
                g.parent_index(c.place).unwrap_or(c.place)
            } else {
                c.place
            };
            contributions.push(Contribution {
                target,
                weight,
                offset: o.offset,
                distractor: o.context.is_distractor(),
                why: Why::Observed {
                    observation,
                    town,
                    short: c.short,
                    shared_by: n,
                },
            });
        }
    }

    // Direct scores.
    let mut direct: BTreeMap<u32, f32> = BTreeMap::new();
    for c in &contributions {
        *direct.entry(c.target).or_default() += c.weight;
    }
    // Self-references point back to named places of that kind.
    let mut self_bonus: Vec<Contribution> = Vec::new();
    let self_refs = &context.self_refs;
    for (group, sr) in g.rules.cues.self_ref.iter().enumerate() {
        let count = self_refs.counts[group];
        if count == 0 {
            continue;
        }
        let bonus = w.self_ref * count.min(w.self_ref_cap) as f32;
        for (&i, &score) in &direct {
            let p = g.place(i);
            if score >= w.full
                && p.level != PlaceLevel::Province
                && p.name.ends_with(sr.suffix.as_str())
            {
                let evidence = RegionEvidence {
                    mention: format!("{}×{count}", sr.words.first().map_or("", String::as_str)),
                    code: p.code.clone(),
                    weight: bonus,
                    reason: format!("self-reference to a {}", sr.suffix),
                    offset: self_refs.first_word_at[group].unwrap_or(0),
                };
                self_bonus.push(Contribution {
                    target: i,
                    weight: bonus,
                    offset: evidence.offset,
                    distractor: evidence.reason.contains("distractor"),
                    why: Why::Written(evidence),
                });
            }
        }
    }
    for c in &self_bonus {
        *direct.entry(c.target).or_default() += c.weight;
    }
    contributions.extend(self_bonus);

    // Roll up: county -> city -> province.
    let mut total: BTreeMap<u32, f32> = BTreeMap::new();
    for (&i, &s) in &direct {
        for a in chain(g, i) {
            *total.entry(a).or_default() += s;
        }
    }
    let best_two = |level: PlaceLevel, parent: Option<u32>| -> Option<(u32, f32, f32)> {
        let mut items: Vec<(u32, f32)> = total
            .iter()
            .filter(|(&i, _)| {
                g.place(i).level == level && parent.is_none_or(|p| g.parent_index(i) == Some(p))
            })
            .map(|(&i, &s)| (i, s))
            .collect();
        items.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let first = items.first()?;
        Some((first.0, first.1, items.get(1).map_or(0.0, |x| x.1)))
    };
    let margin = |best: f32, second: f32| {
        if best > 0.0 {
            (best - second) / best
        } else {
            0.0
        }
    };

    let Some((prov, p_best, p_second)) = best_two(PlaceLevel::Province, None) else {
        return Region::unknown();
    };
    let p_margin = margin(p_best, p_second);
    if p_best < w.province_min || p_margin < w.margin_min {
        return Region::unknown();
    }
    let mut chosen = prov;
    let mut chosen_margin = p_margin;
    let mut chosen_score = p_best;
    // Cities and counties directly under the province compete at the next level.
    let city = best_two(PlaceLevel::City, Some(prov));
    let direct_county = best_two(PlaceLevel::County, Some(prov));
    let next = match (city, direct_county) {
        (Some(c), Some(d)) if d.1 > c.1 => Some((d.0, d.1, d.2.max(c.1))),
        (Some(c), Some(d)) => Some((c.0, c.1, c.2.max(d.1))),
        (c, d) => c.or(d),
    };
    if let Some((unit, best, second)) = next {
        let m = margin(best, second);
        let min = if g.place(unit).level == PlaceLevel::County {
            w.county_min
        } else {
            w.city_min
        };
        if best >= min && m >= w.margin_min {
            chosen = unit;
            chosen_margin = m;
            chosen_score = best;
            if g.place(unit).level == PlaceLevel::City {
                if let Some((county, best, second)) = best_two(PlaceLevel::County, Some(unit)) {
                    let m = margin(best, second);
                    let city_own = direct.get(&unit).copied().unwrap_or(0.0);
                    if best >= w.county_min
                        && m >= w.margin_min
                        && best >= w.county_vs_city * city_own
                    {
                        chosen = county;
                        chosen_margin = m;
                        chosen_score = best;
                    }
                }
            }
        }
    }

    // Build the answer.
    let place = g.place(chosen);
    let mut region = Region::unknown();
    region.code = place.code.clone();
    region.name = place.name.clone();
    region.level = match place.level {
        PlaceLevel::Province => RegionLevel::Province,
        PlaceLevel::City => RegionLevel::City,
        _ => RegionLevel::County,
    };
    let path: Vec<u32> = chain(g, chosen).collect();
    for &i in &path {
        let p = g.place(i);
        match p.level {
            PlaceLevel::Province => region.province = p.name.clone(),
            PlaceLevel::City => region.city = p.name.clone(),
            PlaceLevel::County => region.county = p.name.clone(),
            PlaceLevel::Town => {}
        }
    }
    let saturation = chosen_score / (chosen_score + 3.0);
    region.confidence = (chosen_margin.min(p_margin) * saturation).clamp(0.0, 1.0);
    // Evidence: what points at the answer's chain or below it, plus the discounted.
    let mut shown: Vec<Contribution> = contributions
        .into_iter()
        .filter(|c| {
            let on_path = chain(g, c.target).any(|a| a == chosen) || path.contains(&c.target);
            on_path || c.distractor
        })
        .collect();
    // Stable: contributions of one weight and offset keep their order.
    shown.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.offset.cmp(&b.offset)));
    shown.truncate(MAX_EVIDENCE);
    region.evidence = shown
        .into_iter()
        .map(|c| match c.why {
            Why::Written(evidence) => evidence,
            Why::Observed {
                observation,
                town,
                short,
                shared_by,
            } => {
                let o = &observations[observation];
                let mut reason = String::from(o.position.reason());
                if town {
                    reason.push_str(", town");
                }
                if short {
                    reason.push_str(", short form");
                }
                let context = o.context.reason();
                if !context.is_empty() {
                    reason.push_str(", ");
                    reason.push_str(context);
                }
                if shared_by > 1.0 {
                    reason.push_str(&format!(", shared by {shared_by}"));
                }
                let seen_in = if o.position == Position::Title && title_at.is_none() {
                    title
                } else {
                    text
                };
                RegionEvidence {
                    mention: o.mention.text(seen_in).to_string(),
                    code: g.place(c.target).code.clone(),
                    weight: c.weight,
                    reason,
                    offset: o.offset,
                }
            }
        })
        .collect();
    region
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Role, Section, Sentence};
    use proptest::strategy::Strategy;

    /// One window at a time, the loop [`clauses_after`] shares between windows.
    fn clause_after(text: &str, at: usize, n: usize, breaks: &CharBits) -> Range<usize> {
        let mut end = at;
        for (count, (i, c)) in text[at..].char_indices().enumerate() {
            if count >= n || breaks.contains(c) {
                break;
            }
            end = at + i + c.len_utf8();
        }
        at..end
    }

    #[test]
    fn a_mention_with_no_cue_nearby_is_plain_by_its_clauses_too() {
        let parser = crate::Parser::new().unwrap();
        let g = Gazetteer::builtin();
        let (mut mentions, mut cued) = (0, 0);
        for bytes in crate::test_lines::real_files() {
            let Ok(doc) = parser.parse("report.txt", &bytes) else {
                continue;
            };
            let survey = g.survey(&doc.text);
            let hits = &survey.context.cues;
            for m in &survey.mentions {
                let context = classify(g, &doc.text, hits, m);
                if context != Context::Issuer {
                    assert_eq!(context, context_in_clauses(g, &doc.text, hits, m));
                }
                mentions += 1;
                cued += usize::from(context != Context::Plain);
            }
        }
        // The sample corpus is part of the repository.
        assert!(
            mentions > 100 && cued > 10,
            "{mentions} mentions, {cued} with a cue"
        );
    }

    proptest::proptest! {
        #[test]
        fn clauses_after_equal_one_window_at_a_time(
            text in "[寿光市科技局,，。 a1]{0,30}",
            at in 0usize..30,
            windows in proptest::array::uniform4(0usize..12),
        ) {
            let breaks = CharBits::from("。，,".to_string());
            let at = (0..=at.min(text.len())).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
            let got = clauses_after(&text, at, windows, &breaks);
            for (k, window) in windows.iter().enumerate() {
                proptest::prop_assert_eq!(got[k].clone(), clause_after(&text, at, *window, &breaks));
            }
        }
    }

    /// A hand-built structure: title, one root section, sentences split on 。.
    pub(crate) fn structure(title: &str, text: &str) -> Structure {
        let mut sentences = Vec::new();
        let mut start = 0;
        for (i, c) in text.char_indices() {
            if c == '。' || c == '\n' {
                let end = i + c.len_utf8();
                if end > start {
                    sentences.push(Sentence {
                        span: start..end,
                        section: 0,
                    });
                }
                start = end;
            }
        }
        if start < text.len() {
            sentences.push(Sentence {
                span: start..text.len(),
                section: 0,
            });
        }
        Structure {
            title: title.to_string(),
            sections: vec![Section {
                heading: String::new(),
                marker: String::new(),
                level: 0,
                parent: None,
                role: Role::Other,
                span: 0..text.len(),
            }],
            sentences,
        }
    }

    fn resolve(title: &str, text: &str) -> Region {
        resolve_region(Gazetteer::builtin(), text, &structure(title, text))
    }

    #[test]
    fn issuer_in_title_line_wins() {
        let text = "2018年上半年工作总结寿光市科技局\n今年以来，寿光市科技局认真落实市委部署，赴北京、济南考察学习。推荐企业申报潍坊市示范驿站。品质寿光建设。全市共有高新技术企业66家。";
        let r = resolve("2018年上半年工作总结", text);
        assert_eq!(r.code, "370783", "{r:#?}");
        assert_eq!(r.level, RegionLevel::County);
        assert_eq!(
            (r.province.as_str(), r.city.as_str(), r.county.as_str()),
            ("山东省", "潍坊市", "寿光市")
        );
        assert!(r.confidence > 0.5, "{}", r.confidence);
        assert!(
            r.evidence[0].reason.contains("issuer"),
            "{:?}",
            r.evidence[0]
        );
        // Visited places are recorded as distractors.
        assert!(
            r.evidence
                .iter()
                .any(|e| e.mention == "济南" && e.reason.contains("distractor")),
            "{:#?}",
            r.evidence
        );
    }

    #[test]
    fn evidence_keeps_the_strongest_forty_with_their_reasons() {
        // A report naming its county sixty times: forty pieces of evidence,
        // strongest first, each citing its mention where it stands.
        let title = "寿光市科技局2018年工作总结";
        let mut text = format!("{title}\n");
        for _ in 0..60 {
            text.push_str("全力推进寿光市创新发展。");
        }
        let r = resolve(title, &text);
        assert_eq!(r.code, "370783", "{r:#?}");
        assert_eq!(r.evidence.len(), MAX_EVIDENCE);
        for pair in r.evidence.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            assert!(
                a.weight > b.weight || (a.weight == b.weight && a.offset < b.offset),
                "{a:?} before {b:?}"
            );
        }
        for e in &r.evidence {
            assert_eq!(
                text.get(e.offset..e.offset + e.mention.len()),
                Some(e.mention.as_str())
            );
            assert_eq!((e.mention.as_str(), e.code.as_str()), ("寿光市", "370783"));
        }
        let reasons: Vec<&str> = r.evidence.iter().map(|e| e.reason.as_str()).collect();
        assert_eq!(reasons[0], "title, issuer", "{reasons:?}");
        assert_eq!(reasons.last(), Some(&"body"), "{reasons:?}");
        // The body mentions kept are the first ones: equal weights, by offset.
        let last = r.evidence.last().map_or(0, |e| e.offset);
        let body_mentions_before = text[..last].matches("寿光市").count();
        assert!(
            body_mentions_before < MAX_EVIDENCE,
            "{body_mentions_before}"
        );
    }

    #[test]
    fn towns_point_to_their_county() {
        // Two towns of 钟祥市 in short form plus its parent city: 钟祥市, not 荆门市.
        let text = "上半年，市科技局深入企业开展调研。在洋梓、胡集等4个乡镇开展服务。钟祥磷化工产业发展良好。向荆门市推荐科技特派员。我市出台方案。";
        let r = resolve("2018年上半年科技工作总结", text);
        assert_eq!(r.code, "420881", "{r:#?}");
        assert!(r
            .evidence
            .iter()
            .any(|e| e.reason.contains("town") && e.code == "420881"));
    }

    #[test]
    fn ambiguous_town_follows_parent_city() {
        // 新户镇 exists in 东营市河口区 and in Xinjiang; 东营 decides.
        let text = "区科技局组织东营裕丰生态农业依托新户镇开展示范。东营企业积极申报。走进河口、走进企业。全区科技工作稳步推进。";
        let r = resolve("区科技局上半年工作总结", text);
        assert_eq!(r.code, "370503", "{r:#?}");
        assert_eq!(r.city, "东营市");
    }

    #[test]
    fn distractors_are_discounted() {
        // Only visited and partner places: nothing about the issuer.
        let text = "组织企业赴深圳市、杭州市考察学习。学习考察日照和湖北仙桃、陕西安康等地。与浙江大学合作。";
        let r = resolve("科技局工作总结", text);
        assert_eq!(r.level, RegionLevel::Unknown, "{r:#?}");
        // A distractor next to a clear issuer does not change the answer.
        let text = "钟祥市科技局上半年工作总结。学习考察日照和湖北仙桃、陕西安康等地。与武汉大学合作。钟祥市企业发展。";
        let r = resolve("钟祥市科技局上半年工作总结", text);
        assert_eq!(r.code, "420881", "{r:#?}");
        assert!(r.evidence.iter().any(|e| e.reason.contains("distractor")));
    }

    #[test]
    fn city_and_province_issuers_stay_at_their_level() {
        // A city bureau naming its counties is still the city.
        let text = "潍坊市科技局2019年工作总结。全市新增高企120家，其中寿光市15家、青州市10家、诸城市12家。";
        let r = resolve("潍坊市科技局2019年工作总结", text);
        assert_eq!(
            (r.code.as_str(), r.level),
            ("370700", RegionLevel::City),
            "{r:#?}"
        );
        let text =
            "山东省科技厅2019年工作总结。全省科技工作取得新进展，济南、青岛两市创新能力突出。";
        let r = resolve("山东省科技厅2019年工作总结", text);
        assert_eq!(
            (r.code.as_str(), r.level),
            ("370000", RegionLevel::Province),
            "{r:#?}"
        );
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_confidence_is_bounded(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::string::string_regex("[\\PC]{0,12}").expect("valid regex"),
                    proptest::sample::select(vec![
                        "寿光市", "科技局", "我市", "赴", "考察", "大学", "洋梓", "钟祥", "。", "，",
                        "东营", "河口", "XX区", "公司", "与", "合作", "\n",
                    ]).prop_map(String::from),
                ],
                0..30,
            )
        ) {
            let text: String = parts.concat();
            let title: String = text.chars().take(10).collect();
            let r = resolve(&title, &text);
            proptest::prop_assert!((0.0..=1.0).contains(&r.confidence));
            proptest::prop_assert_eq!(r.code.is_empty(), r.level == RegionLevel::Unknown);
            let p = crate::period::resolve_period(&text, &structure(&title, &text));
            proptest::prop_assert!(p.year.is_some() || p.year_trust == crate::model::YearTrust::Unknown);
        }
    }

    #[test]
    fn lone_common_town_names_are_not_evidence() {
        // 城关镇 and 开发区-type names exist in hundreds of counties.
        let text = "城关镇企业积极申报项目。城关镇新增科技型企业5家。";
        let r = resolve("科技工作总结", text);
        assert_eq!(r.level, RegionLevel::Unknown, "{r:#?}");
    }

    #[test]
    fn shared_county_names_follow_their_city() {
        // 朝阳区 is in 北京 and in 长春: the issuer word alone cannot choose.
        let r = resolve(
            "朝阳区科技局工作总结",
            "北京市朝阳区科技局认真落实。全区新增企业。",
        );
        assert_eq!(r.code, "110105", "{r:#?}");
        let r = resolve(
            "朝阳区科技局工作总结",
            "长春市朝阳区科技局认真落实。全区新增企业。",
        );
        assert_eq!(
            (r.code.as_str(), r.city.as_str()),
            ("220104", "长春市"),
            "{r:#?}"
        );
        let r = resolve(
            "朝阳区科技局工作总结",
            "朝阳区科技局认真落实。全区新增企业。",
        );
        assert_eq!(r.level, RegionLevel::Unknown, "{r:#?}");
        // A two-character county name (城区) with its city in the title.
        let r = resolve(
            "晋城市城区科技局工作总结",
            "城区科技局全面推进。全区新增企业。",
        );
        assert_eq!(r.code, "140502", "{r:#?}");
        // Autonomous prefecture written the everyday way.
        let r = resolve(
            "恩施州科技局工作总结",
            "恩施州科技局全面推进，全州新增企业。",
        );
        assert_eq!(
            (r.code.as_str(), r.level),
            ("422800", RegionLevel::City),
            "{r:#?}"
        );
    }

    #[test]
    fn sibling_towns_alone_name_the_county() {
        // No county or city name at all: three towns of one county, named in full.
        let text = "我市在洋梓镇、胡集镇和长寿镇建设农业科技示范基地。全市新增高企10家。";
        let r = resolve("科技局上半年工作总结", text);
        assert_eq!(r.code, "420881", "{r:#?}");
    }

    #[test]
    fn host_of_a_visit_is_not_a_distractor() {
        let text = "邀请北京专家来寿光考察。寿光市科技局组织座谈。";
        let r = resolve("寿光市科技局工作总结", text);
        assert_eq!(r.code, "370783", "{r:#?}");
        assert!(r
            .evidence
            .iter()
            .all(|e| !(e.mention == "寿光" && e.reason.contains("distractor"))));
    }

    #[test]
    fn anonymised_issuer_resolves_to_city() {
        let text = "现将我局2018年第一季度工作总结如下。支持钦州市鸿韵坭兴陶艺有限责任公司、钦州市新天地信息工程有限公司和XX区青华种养殖合作社申报市级科研项目。向自治区科技厅提交2018年度广西创新驱动发展专项。";
        let r = resolve("2018年科技局第一季度工作总结", text);
        assert_eq!(r.code, "450700", "{r:#?}");
        assert_eq!(r.level, RegionLevel::City);
        assert_eq!(r.county, "");
    }

    #[test]
    fn no_place_means_unknown() {
        let r = resolve(
            "科技局工作总结",
            "今年以来，我局认真落实各项工作。全年新认定高新技术企业xx家。",
        );
        assert_eq!(r, Region::unknown());
        // A bare common two-character word is not a place.
        let r = resolve("工作总结", "加强光明建设，推动和平发展，建设城关新区。");
        assert_eq!(r.level, RegionLevel::Unknown, "{r:#?}");
    }
}
