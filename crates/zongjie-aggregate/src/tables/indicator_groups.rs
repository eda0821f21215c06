//! Indicator groups: the facts of each place × theme × indicator × role × unit,
//! accumulated in one pass over the fact table.
//!
//! [`IndicatorGroups::collect`] walks the facts once, in table order, and keeps
//! per group what the indicators table reports: how many facts, how many
//! masked or damaged, the largest, smallest and summed clean value, and the
//! fact the value is cited from. The groups come out in table order (region,
//! period, theme, indicator, role, unit).
//!
//! Why not a polars `group_by`: a fact table holds millions of small groups
//! (one report per region × period, a few facts per indicator), and polars
//! pays a fixed cost per group and aggregation that dominated the table — 6 s
//! on the 10-million-fact benchmark, most of it in hashing five keys (four of
//! them strings) per row and in per-group gathers, even on sorted keys. Here a
//! fact costs a comparison with the previous fact's path and keys (facts of
//! one report are contiguous) and an index into the report's running groups;
//! the few distinct theme × indicator × role × unit combinations are numbered
//! once and ranked once.

use polars::prelude::*;

use super::places::Places;
use crate::error::{frame_err, Result};

/// The string keys that, with the place, make an indicator group.
pub(crate) const COMBINATION_KEYS: [&str; 4] = ["theme", "indicator", "role", "unit"];

/// A theme × indicator × role × unit combination (a null key is `None`).
type Combination<'a> = [Option<&'a str>; 4];

/// The sort key of a combination: strings by bytes, nulls last, as the tables sort.
fn table_order<'a>(combination: &Combination<'a>) -> [(bool, &'a str); 4] {
    combination.map(|key| (key.is_none(), key.unwrap_or("")))
}

/// The combinations as a frame with columns [`COMBINATION_KEYS`], one row each.
fn combination_table<'a>(
    combinations: impl Iterator<Item = Combination<'a>> + Clone,
) -> Result<DataFrame> {
    let columns: Vec<Column> = COMBINATION_KEYS
        .iter()
        .enumerate()
        .map(|(k, name)| {
            let values: Vec<Option<&str>> = combinations.clone().map(|c| c[k]).collect();
            Column::new((*name).into(), values)
        })
        .collect();
    let height = combinations.count();
    DataFrame::new(height, columns).map_err(frame_err("indicator combinations"))
}

/// How a group's value was chosen among its clean facts (see the indicators
/// module doc).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Choice {
    /// No clean fact: the value is null.
    None,
    /// One clean fact, or all clean facts agree.
    Single,
    /// The largest value is at least the sum of the others: a total and its parts.
    TotalOverPart,
    /// The values do not add up as parts of one total: the largest is taken.
    Largest,
}

impl Choice {
    /// The label shown in the `choice` column.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Choice::None => "",
            Choice::Single => "single",
            Choice::TotalOverPart => "total over part",
            Choice::Largest => "largest",
        }
    }
}

/// What one group has seen so far.
#[derive(Debug, Clone, Copy)]
struct Accumulator {
    facts: u32,
    masked: u32,
    damaged: u32,
    clean: u32,
    max: f64,
    min: f64,
    sum: f64,
    /// The row of the fact the value is cited from: the first fact with the
    /// largest clean value (`max`), or the first fact when none is clean.
    cited: IdxSize,
}

impl Accumulator {
    fn new(row: IdxSize) -> Self {
        Accumulator {
            facts: 0,
            masked: 0,
            damaged: 0,
            clean: 0,
            max: f64::NEG_INFINITY,
            min: f64::INFINITY,
            sum: 0.0,
            cited: row,
        }
    }

    fn add(&mut self, row: IdxSize, value: Option<f64>, masked: bool, damaged: bool) {
        self.facts += 1;
        self.masked += u32::from(masked);
        self.damaged += u32::from(damaged);
        let Some(value) = value.filter(|_| !masked && !damaged) else {
            return;
        };
        // Strictly greater: the first of equal largest values stays cited.
        if self.clean == 0 || value > self.max {
            self.cited = row;
        }
        self.clean += 1;
        self.max = self.max.max(value);
        self.min = self.min.min(value);
        self.sum += value;
    }

    /// Add a later accumulator of the same group (all its facts come after
    /// this one's).
    fn merge(&mut self, later: &Accumulator) {
        self.facts += later.facts;
        self.masked += later.masked;
        self.damaged += later.damaged;
        if later.clean > 0 && (self.clean == 0 || later.max > self.max) {
            self.cited = later.cited;
        }
        self.clean += later.clean;
        self.max = self.max.max(later.max);
        self.min = self.min.min(later.min);
        self.sum += later.sum;
    }

    fn value(&self) -> Option<f64> {
        (self.clean > 0).then_some(self.max)
    }

    fn choice(&self) -> Choice {
        if self.clean == 0 {
            Choice::None
        } else if self.min == self.max {
            Choice::Single
        } else if self.max >= self.sum - self.max - 1e-6 {
            // Tolerate float rounding when comparing a total with the sum of
            // its parts (values are counts, yuan and percents: 1e-6 is far
            // below any real difference).
            Choice::TotalOverPart
        } else {
            Choice::Largest
        }
    }
}

/// Below this many facts per thread, one thread reads them all.
const MIN_ROWS_PER_THREAD: usize = 1 << 20;

/// The partial groups of one stretch of the fact table, with the
/// combinations numbered in the order this stretch first saw them.
#[derive(Debug, Default)]
struct Stretch {
    combinations: Vec<[Option<String>; 4]>,
    partials: Vec<Partial>,
}

impl Stretch {
    /// Read rows `start..end`: one partial group per run of facts with the
    /// same path (a report) and combination, in fact order.
    fn read(columns: &FactColumns<'_>, start: usize, end: usize, places: &Places) -> Self {
        let mut stretch = Stretch::default();
        let (offset, len) = (start as i64, end - start);
        let [theme, indicator, role, unit] = columns.keys.map(|k| k.slice(offset, len));
        let (path, value) = (
            columns.path.slice(offset, len),
            columns.value.slice(offset, len),
        );
        let masked = columns.masked.slice(offset, len);
        let damaged = columns.damaged.slice(offset, len);

        let mut combination_ids: PlHashMap<Combination, u32> = PlHashMap::default();
        // The partial of each combination in the current run, valid when its
        // run number is the current one.
        let mut in_run: Vec<(u32, u32)> = Vec::new();
        let mut run = 0u32;
        let mut last_path: Option<(Option<&str>, Option<IdxSize>)> = None;
        let mut last_combination: Option<(Combination, u32)> = None;
        let rows = path
            .iter()
            .zip(theme.iter().zip(indicator.iter()))
            .zip(role.iter().zip(unit.iter()))
            .zip(value.iter())
            .zip(masked.iter().zip(damaged.iter()));
        for (row, ((((path, (t, i)), (r, u)), value), (masked, damaged))) in rows.enumerate() {
            let place = match last_path {
                Some((p, place)) if p == path => place,
                _ => {
                    let place = path.and_then(|p| places.of_path(p));
                    last_path = Some((path, place));
                    run += 1;
                    place
                }
            };
            let Some(place) = place else { continue };
            let combination = [t, i, r, u];
            let combination_id = match last_combination {
                Some((c, id)) if c == combination => id,
                _ => {
                    let id = *combination_ids.entry(combination).or_insert_with(|| {
                        stretch
                            .combinations
                            .push(combination.map(|k| k.map(str::to_string)));
                        in_run.push((0, 0));
                        (stretch.combinations.len() - 1) as u32
                    });
                    last_combination = Some((combination, id));
                    id
                }
            };
            let row = (start + row) as IdxSize;
            let slot = &mut in_run[combination_id as usize];
            if slot.0 != run {
                *slot = (run, stretch.partials.len() as u32);
                stretch.partials.push(Partial {
                    place,
                    combination: combination_id,
                    acc: Accumulator::new(row),
                });
            }
            stretch.partials[slot.1 as usize].acc.add(
                row,
                value,
                masked.unwrap_or(false),
                damaged.unwrap_or(false),
            );
        }
        stretch
    }
}

/// The facts of one group within one run of a report's facts.
#[derive(Debug, Clone, Copy)]
struct Partial {
    place: IdxSize,
    combination: u32,
    acc: Accumulator,
}

/// The indicator groups of a fact table, in table order, one entry per group
/// in each vector.
#[derive(Debug, PartialEq)]
pub(crate) struct IndicatorGroups {
    /// The group's place: a row of [`Places::table`].
    pub(crate) place: Vec<IdxSize>,
    /// The group's combination: a row of `combinations`.
    pub(crate) combination: Vec<IdxSize>,
    /// The combinations found, in table order: columns [`COMBINATION_KEYS`].
    pub(crate) combinations: DataFrame,
    /// The row of the fact the group's value is cited from.
    pub(crate) cited: Vec<IdxSize>,
    /// Facts in the group.
    pub(crate) facts: Vec<u32>,
    /// Masked facts in the group.
    pub(crate) masked: Vec<u32>,
    /// Damaged facts in the group.
    pub(crate) damaged: Vec<u32>,
    /// The chosen value: the largest clean value, null when none is clean.
    pub(crate) value: Vec<Option<f64>>,
    /// How the value was chosen.
    pub(crate) choice: Vec<Choice>,
}

/// Borrowed typed views of the fact columns the groups are built from.
struct FactColumns<'a> {
    path: &'a StringChunked,
    keys: [&'a StringChunked; 4],
    value: &'a Float64Chunked,
    masked: &'a BooleanChunked,
    damaged: &'a BooleanChunked,
}

impl<'a> FactColumns<'a> {
    fn of(facts: &'a DataFrame) -> Result<Self> {
        let err = frame_err("indicators table");
        let column = |name: &str| facts.column(name).map_err(&err);
        let string = |name: &str| column(name)?.str().map_err(&err);
        let boolean = |name: &str| column(name)?.bool().map_err(&err);
        Ok(FactColumns {
            path: string("path")?,
            keys: [
                string(COMBINATION_KEYS[0])?,
                string(COMBINATION_KEYS[1])?,
                string(COMBINATION_KEYS[2])?,
                string(COMBINATION_KEYS[3])?,
            ],
            value: column("value")?.f64().map_err(&err)?,
            masked: boolean("masked")?,
            damaged: boolean("damaged")?,
        })
    }
}

impl IndicatorGroups {
    /// Group `facts` (columns `path`, [`COMBINATION_KEYS`], `value`, `masked`,
    /// `damaged`) by the place of their document and their combination. Facts
    /// whose document has no place (filtered out) are skipped.
    ///
    /// The facts are cut into one stretch per core, each read into partial
    /// groups on its own thread; the partials are then ordered by place
    /// (a counting sort: places are numbered), by combination rank within a
    /// place, and by fact order, and merged.
    pub(crate) fn collect(facts: &DataFrame, places: &Places) -> Result<Self> {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        Self::collect_in(
            facts,
            places,
            threads.min(facts.height() / MIN_ROWS_PER_THREAD + 1),
        )
    }

    /// [`IndicatorGroups::collect`] with the facts cut into `stretches`
    /// stretches (at least one); the result does not depend on how many.
    pub(crate) fn collect_in(facts: &DataFrame, places: &Places, stretches: usize) -> Result<Self> {
        let columns = FactColumns::of(facts)?;
        let rows = facts.height();
        let stretches = stretches.max(1);
        let size = rows.div_ceil(stretches);
        let stretches: Vec<Stretch> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..stretches)
                .map(|k| {
                    let columns = &columns;
                    let start = (k * size).min(rows);
                    let end = ((k + 1) * size).min(rows);
                    scope.spawn(move || Stretch::read(columns, start, end, places))
                })
                .collect();
            workers
                .into_iter()
                // A worker only panics if reading a stretch panics, which
                // would be a bug here: pass it on rather than hide it.
                .map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        });

        // One numbering of combinations for all stretches, ranked in table
        // order; each stretch's partials renumbered, then appended in order.
        let mut combination_ids: PlHashMap<Combination, u32> = PlHashMap::default();
        let mut combinations: Vec<Combination> = Vec::new();
        let mut partials: Vec<Partial> = Vec::new();
        for stretch in &stretches {
            let ids: Vec<u32> = stretch
                .combinations
                .iter()
                .map(|c| {
                    let c = c.each_ref().map(Option::as_deref);
                    *combination_ids.entry(c).or_insert_with(|| {
                        combinations.push(c);
                        (combinations.len() - 1) as u32
                    })
                })
                .collect();
            partials.extend(stretch.partials.iter().map(|&p| Partial {
                combination: ids[p.combination as usize],
                ..p
            }));
        }
        let mut by_rank: Vec<u32> = (0..combinations.len() as u32).collect();
        by_rank.sort_by_key(|&id| table_order(&combinations[id as usize]));
        let mut rank = vec![0u32; combinations.len()];
        for (position, &id) in by_rank.iter().enumerate() {
            rank[id as usize] = position as u32;
        }

        // Counting sort by place, keeping fact order within a place.
        let mut starts = vec![0usize; places.table.height() + 1];
        for p in &partials {
            starts[p.place as usize + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut order = vec![0u32; partials.len()];
        let mut next = starts.clone();
        for (i, p) in partials.iter().enumerate() {
            order[next[p.place as usize]] = i as u32;
            next[p.place as usize] += 1;
        }
        // Within a place: by combination rank, then fact order.
        for bounds in starts.windows(2) {
            order[bounds[0]..bounds[1]]
                .sort_unstable_by_key(|&i| (rank[partials[i as usize].combination as usize], i));
        }

        let table = combination_table(by_rank.iter().map(|&id| combinations[id as usize]))?;
        let mut groups = IndicatorGroups::with_capacity(order.len(), table);
        let mut order = order.into_iter().map(|i| &partials[i as usize]).peekable();
        while let Some(first) = order.next() {
            let mut acc = first.acc;
            while let Some(next) =
                order.next_if(|p| p.place == first.place && p.combination == first.combination)
            {
                acc.merge(&next.acc);
            }
            groups.push(first.place, rank[first.combination as usize], &acc);
        }
        Ok(groups)
    }

    fn push(&mut self, place: IdxSize, combination: IdxSize, acc: &Accumulator) {
        self.place.push(place);
        self.combination.push(combination);
        self.cited.push(acc.cited);
        self.facts.push(acc.facts);
        self.masked.push(acc.masked);
        self.damaged.push(acc.damaged);
        self.value.push(acc.value());
        self.choice.push(acc.choice());
    }

    fn with_capacity(n: usize, combinations: DataFrame) -> Self {
        IndicatorGroups {
            place: Vec::with_capacity(n),
            combination: Vec::with_capacity(n),
            combinations,
            cited: Vec::with_capacity(n),
            facts: Vec::with_capacity(n),
            masked: Vec::with_capacity(n),
            damaged: Vec::with_capacity(n),
            value: Vec::with_capacity(n),
            choice: Vec::with_capacity(n),
        }
    }

    /// How many groups there are.
    pub(crate) fn len(&self) -> usize {
        self.place.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acc(facts: &[(Option<f64>, bool, bool)]) -> Accumulator {
        let mut a = Accumulator::new(0);
        for (row, &(value, masked, damaged)) in facts.iter().enumerate() {
            a.add(row as IdxSize, value, masked, damaged);
        }
        a
    }

    /// An accumulator of clean facts with these values, in order.
    fn clean(values: &[f64]) -> Accumulator {
        let facts: Vec<_> = values.iter().map(|&v| (Some(v), false, false)).collect();
        acc(&facts)
    }

    #[test]
    fn a_total_and_its_parts_cite_the_total() {
        let a = clean(&[20.0, 66.0, 46.0]);
        assert_eq!(a.value(), Some(66.0));
        assert_eq!(a.choice(), Choice::TotalOverPart);
        assert_eq!(a.cited, 1);
    }

    #[test]
    fn repeated_largest_cites_the_first_and_cumulative_statements_take_the_largest() {
        let a = clean(&[5.0, 9.0, 9.0, 8.0]);
        assert_eq!(a.cited, 1);
        assert_eq!(a.choice(), Choice::Largest);
        let same = clean(&[3.0, 3.0]);
        assert_eq!((same.choice(), same.cited), (Choice::Single, 0));
    }

    #[test]
    fn masked_and_damaged_facts_count_but_never_give_the_value() {
        let a = acc(&[
            (Some(900.0), true, false),
            (None, false, true),
            (Some(7.0), false, false),
        ]);
        assert_eq!((a.facts, a.masked, a.damaged), (3, 1, 1));
        assert_eq!(a.value(), Some(7.0));
        assert_eq!(a.cited, 2);
        let none = acc(&[(None, true, false), (Some(4.0), false, true)]);
        assert_eq!(
            (none.value(), none.choice(), none.cited),
            (None, Choice::None, 0)
        );
    }

    #[test]
    fn combinations_order_as_the_tables_sort_with_nulls_last() {
        let mut c = [
            [Some("patent"), Some("grants"), Some("plan"), None],
            [Some("patent"), Some("grants"), Some("plan"), Some("件")],
            [
                Some("patent"),
                Some("applications"),
                Some("plan"),
                Some("件"),
            ],
        ];
        c.sort_by_key(table_order);
        assert_eq!(c[0][1], Some("applications"));
        assert_eq!(c[1][3], Some("件"));
        assert_eq!(c[2][3], None);
    }
}
