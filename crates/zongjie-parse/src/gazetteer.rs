//! The gazetteer: every province, city, county and town of China with its
//! statistical division code, and one Aho-Corasick automaton that finds their
//! names (full and safe short forms) in a text ([`Gazetteer::scan`]),
//! together with the region rules' cue words and self-references.
//!
//! The automaton is a character-wise double-array automaton (`daachorse`):
//! place names are CJK, so stepping one character at a time instead of one
//! byte, through a double array instead of sparse NFA states, scans several
//! times faster and builds in a fraction of the time of a byte-wise
//! automaton over the same ~100 000 forms. Names and context words share it,
//! so a text is walked once for both. It is built on first use: a
//! [`crate::Parser`] builds its own over the same words and the lexicon's
//! terms.
//!
//! The table (`data/gazetteer.tsv`, see `data/GAZETTEER-SOURCE.md`) and the
//! short-form rules (`data/region_rules.toml`) are compiled in; nothing is read
//! from disk or network at run time.

use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::char_bits::CharBits;
use crate::error::ParseError;
use crate::word_automata::{leftmost_longest, OverlappingWords, WordMatch};

const TABLE: &str = include_str!("../data/gazetteer.tsv");
const RULES: &str = include_str!("../data/region_rules.toml");

/// The administrative level of a [`Place`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum PlaceLevel {
    /// Province, autonomous region or municipality (`370000`).
    Province,
    /// Prefecture-level city, prefecture, league or autonomous prefecture (`370700`).
    City,
    /// County-level unit: county, county-level city, district, banner (`370783`).
    County,
    /// Township-level unit: town, township, subdistrict (nine-digit code).
    Town,
}

/// One administrative unit of the table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    /// Six-digit code (province, city, county) or nine-digit code (town).
    pub code: String,
    /// Official name ("寿光市").
    pub name: String,
    /// Administrative level.
    pub level: PlaceLevel,
    /// Code of the enclosing unit (county for a town, city or province for a
    /// county, province for a city); `None` for a province.
    pub parent: Option<String>,
    /// The safe short form ("寿光"), when the name has one.
    pub short: Option<String>,
    /// Index of the parent in the gazetteer, for cheap walks up the tree.
    parent_index: Option<u32>,
}

/// One way a matched surface string can be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    /// Index of the place ([`Gazetteer::place`]).
    pub place: u32,
    /// The surface is the place's short form rather than its full name.
    pub short: bool,
}

/// One place-name match in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    /// Byte offset of the first byte of the match.
    pub start: usize,
    /// Byte offset one past the match.
    pub end: usize,
    /// Index of the matched surface form ([`Gazetteer::candidates`]).
    pub pattern: u32,
}

impl Mention {
    /// The matched text.
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.start..self.end).unwrap_or("")
    }
}

/// Short-form rules from `region_rules.toml`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct ShortFormRules {
    pub min_chars: usize,
    pub province: Vec<String>,
    pub city: Vec<String>,
    pub county: Vec<String>,
    pub town: Vec<String>,
    pub ethnic: Vec<String>,
    pub max_town_short_ambiguity: usize,
    pub stop: Vec<String>,
    pub autonomous: Vec<Autonomous>,
}

/// The everyday abbreviation of an autonomous unit: short form + one character.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Autonomous {
    pub suffix: String,
    pub abbrev: String,
}

/// Evidence weights from `region_rules.toml`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Weights {
    pub full: f32,
    pub short: f32,
    pub town: f32,
    pub town_short: f32,
    pub title: f32,
    pub opening: f32,
    pub opening_chars: usize,
    pub issuer: f32,
    pub company: f32,
    pub institution: f32,
    pub visit: f32,
    pub partner: f32,
    pub self_ref: f32,
    pub self_ref_cap: usize,
    pub province_min: f32,
    pub city_min: f32,
    pub county_min: f32,
    pub county_vs_city: f32,
    pub margin_min: f32,
}

/// Self-reference words ("我市") and the name suffix they refer back to.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct SelfRef {
    pub suffix: String,
    pub words: Vec<String>,
}

/// Context cue words from `region_rules.toml`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Cues {
    pub issuer_after: Vec<String>,
    pub window: usize,
    pub visit_before: Vec<String>,
    pub visit_after: Vec<String>,
    pub partner_before: Vec<String>,
    pub partner_after: Vec<String>,
    pub institution_after: Vec<String>,
    pub institution_window: usize,
    pub company_after: Vec<String>,
    pub company_window: usize,
    pub clause_breaks: CharBits,
    pub self_ref: Vec<SelfRef>,
}

/// All of `region_rules.toml`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct RegionRules {
    pub short_forms: ShortFormRules,
    pub weights: Weights,
    pub cues: Cues,
}

/// The place table and its name automaton; build once, share everywhere.
pub struct Gazetteer {
    places: Vec<Place>,
    by_code: FxHashMap<String, u32>,
    patterns: Vec<String>,
    candidates: Vec<Vec<Candidate>>,
    /// The automaton of [`Gazetteer::words`], all occurrences, built the
    /// first time [`Gazetteer::scan`] needs it: a [`crate::Parser`] finds
    /// the same words with its own automaton, which has the lexicon's too.
    /// One pass over a text finds names and context words; a second
    /// automaton for the context words took a quarter of the region stage's
    /// instructions on its own.
    automaton: OnceLock<OverlappingWords>,
    pub(crate) rules: RegionRules,
    /// The context words of the rules, once each, after the forms in
    /// [`Gazetteer::words`].
    context_keys: Vec<String>,
    /// What each of `context_keys` is.
    context_words: Vec<ContextWord>,
}

/// What one pass of the gazetteer's automaton finds in a text.
#[derive(Debug, Clone)]
pub(crate) struct Survey {
    /// The place names, leftmost-longest, in text order ([`Gazetteer::scan`]).
    pub mentions: Vec<Mention>,
    /// The cue words and self-references.
    pub context: TextContext,
}

/// What a context word of the region rules stands for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
struct ContextWord {
    /// The [`cue`] kinds it belongs to (0 for none).
    kinds: u8,
    /// For a self-reference word (我市, 全县 …): its group in
    /// `rules.cues.self_ref` and whether it is the group's first word (the
    /// one cited as evidence). A word listed in two groups counts for the first.
    self_ref: Option<(usize, bool)>,
}

/// The context words found in one text: cue words and self-references.
#[derive(Debug, Clone)]
pub(crate) struct TextContext {
    /// Where the cue words are.
    pub cues: CueHits,
    /// How often each group of self-reference words occurs.
    pub self_refs: SelfRefCounts,
}

/// How often each group of self-reference words (`[[cues.self_ref]]`) occurs
/// in a text, and where the group's first word first occurs.
#[derive(Debug, Clone)]
pub(crate) struct SelfRefCounts {
    /// Occurrences per group, in rule order.
    pub counts: Vec<usize>,
    /// Offset of the first occurrence of each group's first word.
    pub first_word_at: Vec<Option<usize>>,
}

/// Bit flags naming the lists of `[cues]` a cue word belongs to.
pub(crate) mod cue {
    /// Right after a place: the issuer (市科技局, 县委).
    pub const ISSUER_AFTER: u8 = 1;
    /// Before a place: a visit (赴, 到…考察).
    pub const VISIT_BEFORE: u8 = 2;
    /// After a place: a visit.
    pub const VISIT_AFTER: u8 = 4;
    /// Before a place: a partnership.
    pub const PARTNER_BEFORE: u8 = 8;
    /// After a place: a partnership.
    pub const PARTNER_AFTER: u8 = 16;
    /// After a place: an institution (大学, 研究院).
    pub const INSTITUTION_AFTER: u8 = 32;
    /// After a place: a company.
    pub const COMPANY_AFTER: u8 = 64;
}

/// Where the cue words of the region rules occur in one text, sorted by start,
/// so the context of every place mention is a binary search instead of a
/// substring search per cue word.
#[derive(Debug, Clone, Default)]
pub(crate) struct CueHits {
    /// (start, end, kinds) of every overlapping cue match.
    hits: Vec<(usize, usize, u8)>,
}

impl CueHits {
    /// Whether a cue of one of `kinds` lies wholly inside `range`.
    pub fn any_within(&self, range: std::ops::Range<usize>, kinds: u8) -> bool {
        let from = self.hits.partition_point(|h| h.0 < range.start);
        self.hits[from..]
            .iter()
            .take_while(|h| h.0 < range.end)
            .any(|h| h.1 <= range.end && h.2 & kinds != 0)
    }

    /// Whether a cue of one of `kinds` starts exactly at `at`.
    pub fn any_at(&self, at: usize, kinds: u8) -> bool {
        let from = self.hits.partition_point(|h| h.0 < at);
        self.hits[from..]
            .iter()
            .take_while(|h| h.0 == at)
            .any(|h| h.2 & kinds != 0)
    }
}

impl std::fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gazetteer")
            .field("places", &self.places.len())
            .field("patterns", &self.patterns.len())
            .finish()
    }
}

fn data_error(message: impl Into<String>) -> ParseError {
    ParseError::Data {
        table: "gazetteer".into(),
        message: message.into(),
    }
}

/// The surface forms of the places, in the order they were first added, each
/// with every place it can stand for; the gazetteer's patterns are built from
/// them. First-added order is as deterministic as a sorted one and needs no
/// sort of a hundred thousand strings.
struct SurfaceForms {
    /// Each form's index in `patterns`.
    index: FxHashMap<String, u32>,
    patterns: Vec<String>,
    /// The candidates of `patterns[i]`, in the order added.
    candidates: Vec<Vec<Candidate>>,
}

impl SurfaceForms {
    fn with_capacity(n: usize) -> Self {
        SurfaceForms {
            index: FxHashMap::with_capacity_and_hasher(n, Default::default()),
            patterns: Vec::with_capacity(n),
            candidates: Vec::with_capacity(n),
        }
    }

    /// Record that `form` can stand for `candidate`.
    fn add(&mut self, form: &str, candidate: Candidate) {
        if let Some(&i) = self.index.get(form) {
            self.candidates[i as usize].push(candidate);
            return;
        }
        self.index
            .insert(form.to_string(), self.patterns.len() as u32);
        self.patterns.push(form.to_string());
        self.candidates.push(vec![candidate]);
    }
}

/// Strip the first matching suffix (list order) and then trailing ethnic names;
/// `None` when nothing was stripped or the rest is too short.
pub(crate) fn short_form(
    name: &str,
    suffixes: &[String],
    rules: &ShortFormRules,
) -> Option<String> {
    let stem = suffixes
        .iter()
        .filter(|s| name.ends_with(s.as_str()))
        .max_by_key(|s| s.len())
        .map(|s| &name[..name.len() - s.len()])?;
    let mut stem = stem.to_string();
    while let Some(rest) = stem.strip_suffix('族') {
        let longest = rules
            .ethnic
            .iter()
            .filter(|e| rest.ends_with(e.as_str()))
            .max_by_key(|e| e.len());
        match longest {
            Some(e) => stem = rest[..rest.len() - e.len()].to_string(),
            None => break,
        }
    }
    (stem.chars().count() >= rules.min_chars).then_some(stem)
}

impl Gazetteer {
    /// The gazetteer of the embedded table and rules, made on first use.
    ///
    /// The build script reads the table once and stores what it derives
    /// ([`Gazetteer::to_bytes`]): loading that takes 96 M instructions
    /// where reading the table's 48,000 places and making their 100,000
    /// surface forms again took 133 M in every process. Where nothing is
    /// stored (in the build script itself) the table is read.
    pub fn builtin() -> &'static Gazetteer {
        static CELL: OnceLock<Gazetteer> = OnceLock::new();
        CELL.get_or_init(|| {
            // Its automaton is built on first use (a parser has its own).
            Gazetteer::from_bytes(crate::BUILT_IN_GAZETTEER, RULES).unwrap_or_else(|| {
                // The embedded table and rules are fixed at compile time and the
                // test `builtin_table_loads` proves they parse, so this cannot
                // fail at run time.
                Gazetteer::read_sources(TABLE, RULES).expect("embedded gazetteer is valid")
            })
        })
    }

    /// The gazetteer of the embedded table and rules, read from them: what
    /// the build script stores.
    // Called by the build script and the tests, not by the library.
    #[allow(dead_code)]
    pub(crate) fn read_builtin() -> Result<Gazetteer, ParseError> {
        Gazetteer::read_sources(TABLE, RULES)
    }

    /// What [`Gazetteer::read_sources`] derives from the table (places,
    /// surface forms and their candidates, context words), as bytes for
    /// [`Gazetteer::from_bytes`]. The rules are not stored: they are read
    /// again, and the index by code is rebuilt.
    // Called by the build script and the tests, not by the library.
    #[allow(dead_code)]
    pub(crate) fn to_bytes(&self) -> Result<Vec<u8>, ParseError> {
        let stored = (
            &self.places,
            &self.patterns,
            &self.candidates,
            &self.context_keys,
            &self.context_words,
        );
        postcard::to_allocvec(&stored).map_err(|e| data_error(format!("cannot store: {e}")))
    }

    /// The gazetteer [`Gazetteer::to_bytes`] stored, with `rules` (the
    /// rules it was made with); `None` when the bytes are not such a record
    /// or point outside it (a place or parent index past the places, lists
    /// of different lengths).
    fn from_bytes(bytes: &[u8], rules: &str) -> Option<Gazetteer> {
        type Stored = (
            Vec<Place>,
            Vec<String>,
            Vec<Vec<Candidate>>,
            Vec<String>,
            Vec<ContextWord>,
        );
        let (places, patterns, candidates, context_keys, context_words): Stored =
            postcard::from_bytes(bytes).ok()?;
        let rules: RegionRules = toml::from_str(rules).ok()?;
        let n = places.len();
        let in_range = |i: u32| (i as usize) < n;
        let whole = patterns.len() == candidates.len()
            && context_keys.len() == context_words.len()
            && places.iter().all(|p| p.parent_index.is_none_or(in_range))
            && candidates.iter().flatten().all(|c| in_range(c.place))
            && context_words.iter().all(|w| {
                w.self_ref
                    .is_none_or(|(group, _)| group < rules.cues.self_ref.len())
            });
        if !whole {
            return None;
        }
        let mut by_code = FxHashMap::with_capacity_and_hasher(n, Default::default());
        for (i, place) in places.iter().enumerate() {
            by_code.insert(place.code.clone(), i as u32);
        }
        Some(Gazetteer {
            places,
            by_code,
            patterns,
            candidates,
            automaton: OnceLock::new(),
            rules,
            context_keys,
            context_words,
        })
    }

    /// Build from a table in the `gazetteer.tsv` format and rules in the
    /// `region_rules.toml` format.
    pub fn from_sources(table: &str, rules: &str) -> Result<Gazetteer, ParseError> {
        let gazetteer = Gazetteer::read_sources(table, rules)?;
        let automaton = gazetteer.build_automaton()?;
        // Just made: the cell is empty.
        let _ = gazetteer.automaton.set(automaton);
        Ok(gazetteer)
    }

    /// The tables of [`Gazetteer::from_sources`], the automaton left to be
    /// built on first use.
    fn read_sources(table: &str, rules: &str) -> Result<Gazetteer, ParseError> {
        let rules: RegionRules =
            toml::from_str(rules).map_err(|e| data_error(format!("rules: {e}")))?;
        let mut places: Vec<Place> = Vec::with_capacity(48_000);
        let mut by_code: FxHashMap<String, u32> =
            FxHashMap::with_capacity_and_hasher(48_000, Default::default());
        let mut push = |places: &mut Vec<Place>, code: String, name: &str, level: PlaceLevel| {
            by_code.insert(code.clone(), places.len() as u32);
            places.push(Place {
                code,
                name: name.to_string(),
                level,
                parent: None,
                short: None,
                parent_index: None,
            });
        };
        for (n, line) in table.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let mut cols = line.splitn(3, '\t');
            let (Some(kind), Some(code), Some(rest)) = (cols.next(), cols.next(), cols.next())
            else {
                return Err(data_error(format!(
                    "line {}: expected three columns",
                    n + 1
                )));
            };
            if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
                return Err(data_error(format!("line {}: bad code {code:?}", n + 1)));
            }
            match kind {
                "P" => push(&mut places, code.to_string(), rest, PlaceLevel::Province),
                "C" => push(&mut places, code.to_string(), rest, PlaceLevel::City),
                "A" => push(&mut places, code.to_string(), rest, PlaceLevel::County),
                "T" => {
                    for item in rest.split(',') {
                        let Some((suffix, name)) = item.split_once(':') else {
                            return Err(data_error(format!("line {}: bad town {item:?}", n + 1)));
                        };
                        push(&mut places, [code, suffix].concat(), name, PlaceLevel::Town);
                    }
                }
                other => {
                    return Err(data_error(format!(
                        "line {}: unknown level {other:?}",
                        n + 1
                    )))
                }
            }
        }
        // Parents: town -> county; county -> city, else province; city -> province.
        for place in &mut places {
            // Codes are ASCII digits (checked above), so these cuts fall on
            // character boundaries.
            let code = place.code.as_str();
            let (first, second) = match place.level {
                PlaceLevel::Province => (None, None),
                PlaceLevel::City => (Some([&code[..2], "0000"].concat()), None),
                PlaceLevel::County => (
                    Some([&code[..4], "00"].concat()),
                    Some([&code[..2], "0000"].concat()),
                ),
                PlaceLevel::Town => (Some(code[..6].to_string()), None),
            };
            // A unit never parents itself (a county whose code ends in 00
            // would otherwise find its own code among the city tries).
            let parent = [first, second]
                .into_iter()
                .flatten()
                .filter(|c| c != code)
                .find_map(|c| by_code.get(&c).map(|&i| (c, i)));
            if let Some((pcode, pidx)) = parent {
                place.parent = Some(pcode);
                place.parent_index = Some(pidx);
            } else if place.level != PlaceLevel::Province {
                return Err(data_error(format!("{} {} has no parent", code, place.name)));
            }
        }
        // Surface forms.
        let sf = &rules.short_forms;
        let stop: FxHashSet<&str> = sf.stop.iter().map(String::as_str).collect();
        let mut forms = SurfaceForms::with_capacity(100_000);
        for (i, place) in places.iter_mut().enumerate() {
            let full = Candidate {
                place: i as u32,
                short: false,
            };
            forms.add(&place.name, full);
            let suffixes = match place.level {
                PlaceLevel::Province => &sf.province,
                PlaceLevel::City => &sf.city,
                PlaceLevel::County => &sf.county,
                PlaceLevel::Town => &sf.town,
            };
            let Some(short) = short_form(&place.name, suffixes, sf) else {
                continue;
            };
            let guarded = matches!(place.level, PlaceLevel::County | PlaceLevel::Town);
            if guarded && stop.contains(short.as_str()) {
                continue;
            }
            // "恩施州" for 恩施土家族苗族自治州, "长阳县" for 长阳土家族自治县: as good as the full name.
            if let Some(abbrev) = sf
                .autonomous
                .iter()
                .find(|a| place.name.ends_with(a.suffix.as_str()))
            {
                forms.add(&[short.as_str(), &abbrev.abbrev].concat(), full);
            }
            forms.add(
                &short,
                Candidate {
                    place: i as u32,
                    short: true,
                },
            );
            place.short = Some(short);
        }
        // Drop town short forms that are too common to be names, and a county's
        // short form when it equals its own city's ("东营" is 东营市, not 东营区).
        for cands in &mut forms.candidates {
            let shadowed: Vec<u32> = cands
                .iter()
                .filter(|k| k.short && places[k.place as usize].level == PlaceLevel::County)
                .filter(|k| {
                    cands.iter().any(|c| {
                        c.short
                            && Some(c.place) == places[k.place as usize].parent_index
                            && places[c.place as usize].level == PlaceLevel::City
                    })
                })
                .map(|k| k.place)
                .collect();
            cands.retain(|c| !shadowed.contains(&c.place));
            let town_shorts = cands
                .iter()
                .filter(|c| c.short && places[c.place as usize].level == PlaceLevel::Town)
                .count();
            if town_shorts > sf.max_town_short_ambiguity {
                cands.retain(|c| !(c.short && places[c.place as usize].level == PlaceLevel::Town));
            }
            cands.dedup();
        }
        // An empty name (a damaged table row) is no surface form.
        let (patterns, candidates): (Vec<String>, Vec<Vec<Candidate>>) = forms
            .patterns
            .into_iter()
            .zip(forms.candidates)
            .filter(|(form, c)| !form.is_empty() && !c.is_empty())
            .unzip();
        let (context_keys, context_words) = context_words(&rules.cues);
        let context_keys: Vec<String> = context_keys.into_iter().map(str::to_string).collect();
        Ok(Gazetteer {
            places,
            by_code,
            patterns,
            candidates,
            automaton: OnceLock::new(),
            rules,
            context_keys,
            context_words,
        })
    }

    /// Every word the region stage looks for: the surface forms (word `i` is
    /// pattern `i`), then the context words of the rules. Distinct forms,
    /// none empty; a context word may also be a form.
    pub(crate) fn words(&self) -> impl Iterator<Item = &str> {
        self.patterns
            .iter()
            .chain(&self.context_keys)
            .map(String::as_str)
    }

    /// How many [`Gazetteer::words`] there are.
    pub(crate) fn word_count(&self) -> usize {
        self.patterns.len() + self.context_keys.len()
    }

    /// The automaton of [`Gazetteer::words`].
    fn build_automaton(&self) -> Result<OverlappingWords, ParseError> {
        let words: Vec<&str> = self.words().collect();
        // Report text is full of place-name starts: no prefilter.
        OverlappingWords::without_prefilter(&words)
            .map_err(|e| data_error(format!("automaton: {e}")))
    }

    /// The automaton of [`Gazetteer::words`]: built by
    /// [`Gazetteer::from_sources`], or for the built-in table on first use.
    fn automaton(&self) -> &OverlappingWords {
        self.automaton.get_or_init(|| {
            // Only the built-in table reaches here unbuilt, and the test
            // `builtin_table_loads` builds its automaton.
            self.build_automaton()
                .expect("the embedded gazetteer's words build")
        })
    }

    /// The place with this six-digit (or nine-digit town) code.
    pub fn get(&self, code: &str) -> Option<&Place> {
        self.by_code.get(code).map(|&i| &self.places[i as usize])
    }

    /// The place at an index taken from a [`Candidate`].
    pub fn place(&self, index: u32) -> &Place {
        &self.places[index as usize]
    }

    /// Index of a place by code.
    pub fn index_of(&self, code: &str) -> Option<u32> {
        self.by_code.get(code).copied()
    }

    /// Index of the enclosing place.
    pub fn parent_index(&self, index: u32) -> Option<u32> {
        self.places[index as usize].parent_index
    }

    /// Every place, in table order (provinces, then each one's cities,
    /// counties and towns); index `i` is [`Gazetteer::place`]`(i)`.
    pub fn places(&self) -> &[Place] {
        &self.places
    }

    /// Number of places in the table.
    pub fn len(&self) -> usize {
        self.places.len()
    }

    /// Whether the table is empty (never for the built-in table).
    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    /// Every surface form the automaton finds (full names and safe short
    /// forms), indexed by [`Mention::pattern`], in the order the place table
    /// first gives each (a place's full name, then its short forms).
    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }

    /// The surface string of a pattern.
    pub fn pattern(&self, pattern: u32) -> &str {
        &self.patterns[pattern as usize]
    }

    /// Every place a matched surface can stand for.
    pub fn candidates(&self, mention: &Mention) -> &[Candidate] {
        self.candidates_of(mention.pattern)
    }

    /// Every place surface form `pattern` ([`Mention::pattern`]) can stand for.
    pub fn candidates_of(&self, pattern: u32) -> &[Candidate] {
        &self.candidates[pattern as usize]
    }

    /// The first ancestor (or the place itself) at `level`.
    pub fn ancestor_at(&self, index: u32, level: PlaceLevel) -> Option<u32> {
        let mut at = Some(index);
        // Four levels at most: the walk ends even if the table were cyclic.
        for _ in 0..4 {
            let i = at?;
            let p = &self.places[i as usize];
            if p.level == level {
                return Some(i);
            }
            if p.level < level {
                return None;
            }
            at = p.parent_index;
        }
        None
    }

    /// The place names of `text` ([`Gazetteer::scan`]) and every cue word
    /// and self-reference of the region rules in it, overlapping ones
    /// included, in one pass.
    pub(crate) fn survey(&self, text: &str) -> Survey {
        self.survey_of(self.automaton().find(text))
    }

    /// [`Gazetteer::survey`] from every occurrence in a text of
    /// [`Gazetteer::words`] (word `i` is the `i`-th), in any order, found by
    /// a search of the caller's.
    pub(crate) fn survey_of(&self, matches: impl IntoIterator<Item = WordMatch>) -> Survey {
        let groups = self.rules.cues.self_ref.len();
        let forms = self.patterns.len();
        let matches = matches.into_iter();
        // Most matches are place names: room for all of them.
        let mut names: Vec<WordMatch> = Vec::with_capacity(matches.size_hint().0);
        let mut hits = Vec::new();
        let mut self_refs = SelfRefCounts {
            counts: vec![0; groups],
            first_word_at: vec![None; groups],
        };
        for m in matches {
            let Some(context) = m.word.checked_sub(forms) else {
                names.push(m);
                continue;
            };
            // Past the words: not the gazetteer's.
            let Some(&word) = self.context_words.get(context) else {
                continue;
            };
            if word.kinds != 0 {
                hits.push((m.start, m.end, word.kinds));
            }
            if let Some((group, first)) = word.self_ref {
                self_refs.counts[group] += 1;
                if first {
                    let at = &mut self_refs.first_word_at[group];
                    *at = Some(at.map_or(m.start, |at| at.min(m.start)));
                }
            }
        }
        hits.sort_unstable();
        let mentions = leftmost_longest(names)
            .into_iter()
            .map(|m| Mention {
                start: m.start,
                end: m.end,
                // A form's index: an automaton holds at most u32::MAX words
                // (`word_automata` checks it).
                pattern: m.word as u32,
            })
            .collect();
        Survey {
            mentions,
            context: TextContext {
                cues: CueHits { hits },
                self_refs,
            },
        }
    }

    /// All non-overlapping place-name matches, leftmost-longest (at each
    /// position the longest name that starts there), in text order.
    pub fn scan(&self, text: &str) -> Vec<Mention> {
        self.survey(text).mentions
    }
}

/// Every context word of the rules, once each in order, with what each
/// stands for.
fn context_words(cues: &Cues) -> (Vec<&str>, Vec<ContextWord>) {
    let lists = [
        (&cues.issuer_after, cue::ISSUER_AFTER),
        (&cues.visit_before, cue::VISIT_BEFORE),
        (&cues.visit_after, cue::VISIT_AFTER),
        (&cues.partner_before, cue::PARTNER_BEFORE),
        (&cues.partner_after, cue::PARTNER_AFTER),
        (&cues.institution_after, cue::INSTITUTION_AFTER),
        (&cues.company_after, cue::COMPANY_AFTER),
    ];
    let mut words: std::collections::BTreeMap<&str, ContextWord> =
        std::collections::BTreeMap::new();
    for (list, kind) in lists {
        for w in list.iter().filter(|w| !w.is_empty()) {
            words.entry(w.as_str()).or_default().kinds |= kind;
        }
    }
    for (group, sr) in cues.self_ref.iter().enumerate() {
        for (i, w) in sr.words.iter().enumerate().filter(|(_, w)| !w.is_empty()) {
            let word = words.entry(w.as_str()).or_default();
            word.self_ref.get_or_insert((group, i == 0));
        }
    }
    words.into_iter().unzip()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_set_holds_exactly_its_characters() {
        let breaks = CharBits::from("。；！？，,;!?\n".to_string());
        for c in "。；！？，,;!?\n".chars() {
            assert!(breaks.contains(c), "{c:?}");
        }
        for c in "科技局、：:. a\u{7f}\0".chars() {
            assert!(!breaks.contains(c), "{c:?}");
        }
        assert!(!CharBits::default().contains('\n'));
    }

    #[test]
    fn every_place_walks_up_to_a_province() {
        let g = Gazetteer::builtin();
        for i in 0..g.len() as u32 {
            let place = g.place(i);
            assert_ne!(g.parent_index(i), Some(i), "{} parents itself", place.code);
            if place.level != PlaceLevel::Province {
                let province = g.ancestor_at(i, PlaceLevel::Province);
                assert!(
                    province.is_some(),
                    "{} {} has no province",
                    place.code,
                    place.name
                );
            }
        }
        // Cities without counties (东莞, 中山, 儋州) sit under their province.
        let dongguan = g.index_of("441900").unwrap();
        assert_eq!(g.place(g.parent_index(dongguan).unwrap()).code, "440000");
    }

    fn names<'g>(g: &'g Gazetteer, text: &str) -> Vec<(String, Vec<&'g str>)> {
        g.scan(text)
            .into_iter()
            .map(|m| {
                let codes = g
                    .candidates(&m)
                    .iter()
                    .map(|c| g.place(c.place).code.as_str())
                    .collect();
                (m.text(text).to_string(), codes)
            })
            .collect()
    }

    #[test]
    fn builtin_table_loads() {
        let g = Gazetteer::builtin();
        assert!(g.len() > 40_000, "{}", g.len());
        let p = g.get("370783").expect("寿光市");
        assert_eq!(p.name, "寿光市");
        assert_eq!(p.level, PlaceLevel::County);
        assert_eq!(p.parent.as_deref(), Some("370700"));
        assert_eq!(p.short.as_deref(), Some("寿光"));
        assert_eq!(g.get("370700").map(|p| p.name.as_str()), Some("潍坊市"));
        assert_eq!(
            g.get("370000").map(|p| p.short.as_deref()),
            Some(Some("山东"))
        );
        // Counties of a placeholder city hang under the province.
        assert_eq!(
            g.get("429004").and_then(|p| p.parent.as_deref()),
            Some("420000")
        );
        // Towns keep their nine-digit code and point to their county.
        let town = g.get("370503103").expect("新户镇 in 河口区");
        assert_eq!(town.name, "新户镇");
        assert_eq!(town.level, PlaceLevel::Town);
        assert_eq!(town.parent.as_deref(), Some("370503"));
        assert_eq!(g.get("110000").map(|p| p.name.as_str()), Some("北京市"));
        // Its automaton, built on first use, builds (and finds a name).
        assert!(g.build_automaton().is_ok());
        assert_eq!(g.scan("寿光市科技局").len(), 1);
    }

    /// What the build stored loads as exactly what reading the table
    /// gives, and the built-in gazetteer is the stored one.
    #[test]
    fn the_stored_gazetteer_is_the_table_read_again() {
        let read = Gazetteer::read_builtin().unwrap();
        let stored = Gazetteer::from_bytes(crate::BUILT_IN_GAZETTEER, RULES)
            .expect("the build stored the gazetteer");
        assert_eq!(stored.places, read.places);
        assert_eq!(stored.by_code, read.by_code);
        assert_eq!(stored.patterns, read.patterns);
        assert_eq!(stored.candidates, read.candidates);
        assert_eq!(stored.context_keys, read.context_keys);
        assert_eq!(stored.context_words, read.context_words);
        assert_eq!(format!("{:?}", stored.rules), format!("{:?}", read.rules));
        assert_eq!(read.to_bytes().unwrap(), crate::BUILT_IN_GAZETTEER);
        assert_eq!(Gazetteer::builtin().places.len(), read.places.len());
    }

    /// Stored bytes that are cut, or whose indices point past the places,
    /// or rules that do not parse, are refused rather than loaded.
    #[test]
    fn damaged_stored_bytes_are_refused() {
        let table = "P\t370000\t山东省\nC\t370700\t潍坊市\nA\t370783\t寿光市\n";
        let mut g = Gazetteer::from_sources(table, RULES).unwrap();
        let bytes = g.to_bytes().unwrap();
        let loaded = Gazetteer::from_bytes(&bytes, RULES).unwrap();
        assert_eq!(loaded.get("370783"), g.get("370783"));
        assert_eq!(loaded.scan("寿光市科技局").len(), 1);
        for cut in [0, 1, bytes.len() / 2, bytes.len() - 1] {
            assert!(
                Gazetteer::from_bytes(&bytes[..cut], RULES).is_none(),
                "{cut}"
            );
        }
        assert!(Gazetteer::from_bytes(&bytes, "not = [toml").is_none());
        g.candidates[0][0].place = 3;
        assert!(Gazetteer::from_bytes(&g.to_bytes().unwrap(), RULES).is_none());
        g.candidates[0][0].place = 0;
        g.places[2].parent_index = Some(9);
        assert!(Gazetteer::from_bytes(&g.to_bytes().unwrap(), RULES).is_none());
        g.places[2].parent_index = Some(1);
        g.candidates.pop();
        assert!(Gazetteer::from_bytes(&g.to_bytes().unwrap(), RULES).is_none());
    }

    #[test]
    fn a_table_read_from_sources_has_its_automaton_built() {
        let table = "P\t370000\t山东省\nC\t370700\t潍坊市\nA\t370783\t寿光市\n";
        let g = Gazetteer::from_sources(table, RULES).unwrap();
        assert!(g.automaton.get().is_some());
        let names: Vec<&str> = g
            .scan("寿光市科技局，潍坊市")
            .iter()
            .map(|m| g.pattern(m.pattern))
            .collect();
        assert_eq!(names, ["寿光市", "潍坊市"]);
    }

    #[test]
    fn surface_forms_are_distinct_and_keep_their_candidates_in_order() {
        let g = Gazetteer::builtin();
        let mut seen = std::collections::HashSet::new();
        for (i, form) in g.patterns().iter().enumerate() {
            assert!(!form.is_empty(), "pattern {i} is empty");
            assert!(seen.insert(form.as_str()), "{form} twice");
            assert!(!g.candidates[i].is_empty(), "{form} stands for nothing");
        }
        // 寿光 is the short form of 寿光市 alone; its pattern lists it once.
        let shouguang = g.patterns().iter().position(|p| p == "寿光").expect("寿光");
        let places: Vec<&str> = g.candidates[shouguang]
            .iter()
            .map(|c| g.place(c.place).code.as_str())
            .collect();
        assert_eq!(places, ["370783"]);
        // A form added for several places keeps them in table order.
        let mut forms = SurfaceForms::with_capacity(4);
        let cand = |place, short| Candidate { place, short };
        forms.add("城关镇", cand(7, false));
        forms.add("城关", cand(7, true));
        forms.add("城关镇", cand(9, false));
        assert_eq!(forms.patterns, ["城关镇", "城关"]);
        assert_eq!(forms.candidates[0], [cand(7, false), cand(9, false)]);
        assert_eq!(forms.candidates[1], [cand(7, true)]);
    }

    #[test]
    fn suffixes_are_stripped_safely() {
        let g = Gazetteer::builtin();
        let rules = &g.rules.short_forms;
        let s = |n: &str, list: &[String]| short_form(n, list, rules);
        assert_eq!(
            s("恩施土家族苗族自治州", &rules.city).as_deref(),
            Some("恩施")
        );
        assert_eq!(
            s("长阳土家族自治县", &rules.county).as_deref(),
            Some("长阳")
        );
        assert_eq!(
            s("广西壮族自治区", &rules.province).as_deref(),
            Some("广西")
        );
        assert_eq!(s("浦东新区", &rules.county).as_deref(), Some("浦东"));
        assert_eq!(s("洋梓镇", &rules.town).as_deref(), Some("洋梓"));
        // A one-character remainder is not a short form.
        assert_eq!(s("沙市区", &rules.county).as_deref(), Some("沙市"));
        assert_eq!(s("和县", &rules.county), None);
        // Autonomous units are commonly written short form + 州/县/旗.
        assert_eq!(names(g, "恩施州")[0].1, ["422800"]);
        // A seat district sharing its city's short form yields to the city.
        let dongying: Vec<&str> = names(g, "东营").into_iter().flat_map(|(_, c)| c).collect();
        assert_eq!(dongying, ["370500"]);
        let pudong = g.get("310115").expect("浦东新区");
        assert_eq!(pudong.short.as_deref(), Some("浦东"));
    }

    #[test]
    fn scan_prefers_longest_and_knows_ambiguity() {
        let g = Gazetteer::builtin();
        let found = names(g, "寿光市科技局，品质寿光，东营市河口区新户镇");
        let texts: Vec<&str> = found.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(texts, ["寿光市", "寿光", "东营市", "河口区", "新户镇"]);
        // 河口区 exists only in 东营; 新户镇 in more than one county.
        assert_eq!(found[3].1, ["370503"]);
        assert!(found[4].1.len() >= 2, "{:?}", found[4].1);
        // 城关镇 is everywhere.
        let chengguan = names(g, "城关镇");
        assert!(chengguan[0].1.len() > 20);
    }

    /// Pieces of report text: names that overlap and nest (full, short and
    /// town forms), cue words and self-references, and plain text.
    const PIECES: &[&str] = &[
        "寿光市",
        "寿光",
        "潍坊市",
        "潍坊",
        "东营市",
        "东营",
        "河口区",
        "河口",
        "新户镇",
        "城关镇",
        "城关",
        "科技局",
        "市科技局",
        "县委",
        "我市",
        "全县",
        "赴",
        "考察",
        "大学",
        "，",
        "。",
        "年",
        "新认定",
        "高新技术企业",
        "市",
        "县",
        "区",
        "镇",
        "光",
        "营",
    ];

    /// One pass of the shared automaton against a search of its own for each
    /// list: aho-corasick's leftmost-longest over every surface form, and
    /// all occurrences of every context word.
    fn separate_searches(g: &Gazetteer, text: &str) -> (Vec<Mention>, CueHits, SelfRefCounts) {
        static NAMES: OnceLock<aho_corasick::AhoCorasick> = OnceLock::new();
        let names = NAMES.get_or_init(|| {
            aho_corasick::AhoCorasick::builder()
                .match_kind(aho_corasick::MatchKind::LeftmostLongest)
                .build(g.patterns())
                .unwrap()
        });
        let mentions = names
            .find_iter(text)
            .map(|m| Mention {
                start: m.start(),
                end: m.end(),
                pattern: m.pattern().as_u32(),
            })
            .collect();
        let (keys, words) = context_words(&g.rules.cues);
        let context = aho_corasick::AhoCorasick::new(&keys).unwrap();
        let groups = g.rules.cues.self_ref.len();
        let mut hits = Vec::new();
        let mut self_refs = SelfRefCounts {
            counts: vec![0; groups],
            first_word_at: vec![None; groups],
        };
        for m in context.find_overlapping_iter(text) {
            let word = words[m.pattern().as_usize()];
            if word.kinds != 0 {
                hits.push((m.start(), m.end(), word.kinds));
            }
            if let Some((group, first)) = word.self_ref {
                self_refs.counts[group] += 1;
                if first {
                    let at = &mut self_refs.first_word_at[group];
                    *at = Some(at.map_or(m.start(), |at| at.min(m.start())));
                }
            }
        }
        hits.sort_unstable();
        (mentions, CueHits { hits }, self_refs)
    }

    proptest::proptest! {
        #[test]
        fn one_pass_finds_what_separate_searches_find(
            picks in proptest::collection::vec(0..PIECES.len(), 0..16),
            forms in proptest::collection::vec(0..100_000usize, 0..4),
        ) {
            let g = Gazetteer::builtin();
            let mut text: String = picks.iter().map(|&i| PIECES[i]).collect();
            // Any surface forms of the table, between the pieces.
            for f in forms {
                text.push_str(g.pattern((f % g.patterns().len()) as u32));
                text.push_str(PIECES[f % PIECES.len()]);
            }
            let survey = g.survey(&text);
            let (mentions, hits, self_refs) = separate_searches(g, &text);
            proptest::prop_assert_eq!(survey.mentions, mentions);
            proptest::prop_assert_eq!(survey.context.cues.hits, hits.hits);
            proptest::prop_assert_eq!(survey.context.self_refs.counts, self_refs.counts);
            proptest::prop_assert_eq!(
                survey.context.self_refs.first_word_at,
                self_refs.first_word_at
            );
        }
    }
}
