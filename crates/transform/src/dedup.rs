//! Deduplication of officials (spec `model.md` §3): rules first, then evidence.
//!
//! - The same valid national ID is the same person; two different valid IDs are never the
//!   same person, and nothing joins them through a third row (cannot-link).
//! - Otherwise each candidate pair gets Fellegi–Sunter-style log₂ weights, one per field
//!   and comparison level (name, birth date, gender, unit, positions), with the name's
//!   weight adjusted by how common the name is in the month: "Nguyễn Văn Hùng" agreeing
//!   says less than a rare name agreeing. The weights are fixed below, documented and
//!   deterministic; two thresholds split merge, review and distinct.
//! - Candidate pairs come from blocks (same plain full name; same plain given name and
//!   birth year; same family name and birth date; same ID), so the work grows with the month, not with its square; blocks
//!   are scored in parallel.
//! - Clusters are built from the strongest pairs down, and two clusters are joined only if
//!   no scored pair between them says "distinct" and they do not carry two IDs: weak links
//!   do not chain into one person.
//! - A merged person keeps every source row; the newest source's values win and every
//!   disagreement is listed.

use std::collections::HashSet;

use rayon::prelude::*;
use tonghop_model::record::{BirthDate, NationalId, Official, SourceRow};

use crate::names::NameKeys;

pub use tonghop_model::month::{
    Conflict, Evidence, MERGE_THRESHOLD, MergeGroup, MergeReason, REVIEW_THRESHOLD, ReviewPair,
};

/// Rows of one block beyond this many are not paired (a block that large means a key
/// shared by unrelated rows, such as a placeholder ID).
const MAX_BLOCK: usize = 200;

/// Distinct people, the merges that made them and the pairs left for review.
#[derive(Debug, Clone, Default)]
pub struct Deduplicated {
    /// One official per person, in a stable order.
    pub people: Vec<Official>,
    /// Groups of more than one row.
    pub merges: Vec<MergeGroup>,
    /// Pairs between review and merge weight, in different people.
    pub review: Vec<ReviewPair>,
}

/// What is compared of one row.
struct Keys {
    name: NameKeys,
    /// The hash of the plain name, for the name frequencies.
    name_hash: u64,
    birth: Option<BirthDate>,
    id: Option<NationalId>,
}

/// A scored pair.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score {
    /// Sum of the weights.
    pub weight: f64,
    /// The evidence, as a set of [`Evidence`] bits.
    evidence: u32,
}

impl Score {
    /// Whether two rows so scored may not end in one person through others: too weak to be
    /// asked, or disagreeing on what does not change (without one ID between them).
    fn keeps_apart(&self) -> bool {
        let has = |e: Evidence| self.evidence & (1 << e as u32) != 0;
        let unchangeable = [
            Evidence::EthnicityDifferent,
            Evidence::GenderDifferent,
            Evidence::BirthDifferent,
            Evidence::BirthSameMonth,
        ]
        .into_iter()
        .any(has);
        self.weight < REVIEW_THRESHOLD || (unchangeable && !has(Evidence::SameId))
    }

    /// The evidence, in the order of [`Evidence`].
    pub fn evidence(&self) -> Vec<Evidence> {
        ALL_EVIDENCE.iter().copied().filter(|e| self.evidence & (1 << *e as u32) != 0).collect()
    }
}

const ALL_EVIDENCE: [Evidence; 25] = [
    Evidence::SameId,
    Evidence::DifferentId,
    Evidence::NameExact,
    Evidence::NameTonePlacement,
    Evidence::NameAccentFree,
    Evidence::NameVeryClose,
    Evidence::NameClose,
    Evidence::NameDifferent,
    Evidence::BirthExact,
    Evidence::BirthSwapped,
    Evidence::BirthSameMonth,
    Evidence::BirthYearOnly,
    Evidence::BirthSameYear,
    Evidence::BirthDifferent,
    Evidence::GenderSame,
    Evidence::GenderDifferent,
    Evidence::UnitSame,
    Evidence::UnitDifferent,
    Evidence::PositionShared,
    Evidence::EthnicityDifferent,
    Evidence::AttributesAgree,
    Evidence::AttributesDiffer,
    Evidence::OnlyTypoName,
    Evidence::OnlyOneDiffers,
    Evidence::Decided,
];

/// How common each plain full name is in the month: the share of rows that carry it.
struct NameFrequencies {
    /// Rows by the hash of their plain name: a country's names are not copied as strings.
    counts: rustc_hash::FxHashMap<u64, usize>,
    total: usize,
}

impl NameFrequencies {
    fn new<'a>(keys: impl IntoIterator<Item = &'a Keys>) -> Self {
        let mut counts = rustc_hash::FxHashMap::default();
        let mut total = 0;
        for k in keys {
            *counts.entry(k.name_hash).or_default() += 1;
            total += 1;
        }
        Self { counts, total }
    }

    fn share(&self, k: &Keys) -> f64 {
        let n = self.counts.get(&k.name_hash).copied().unwrap_or(1).max(1);
        n as f64 / self.total.max(1) as f64
    }
}

/// Compares two rows. `frequency` is the share of the month's rows with the same plain
/// name (the term-frequency adjustment).
fn score(first: &Official, ka: &Keys, second: &Official, kb: &Keys, names: &NameFrequencies) -> Score {
    score_with(first, ka, second, kb, names, &mut |_, _| {})
}

/// Each piece of evidence of a pair with its weight, in the order they were weighed: what
/// the Trùng lặp sheet shows of a review pair. A cap on the total is given with its own
/// weight (the amount it took off).
fn explain(first: &Official, ka: &Keys, second: &Official, kb: &Keys, names: &NameFrequencies) -> Vec<(Evidence, f64)> {
    let mut parts = Vec::new();
    score_with(first, ka, second, kb, names, &mut |e, w| parts.push((e, w)));
    parts
}

// Long on purpose: one pass over the evidence in a fixed order, each weight beside its reason; the
// caps at the end need all of it, and the waterfall records it in this order.
fn score_with(
    first: &Official,
    ka: &Keys,
    second: &Official,
    kb: &Keys,
    names: &NameFrequencies,
    record: &mut impl FnMut(Evidence, f64),
) -> Score {
    let mut weight = 0.0;
    let mut evidence = 0_u32;
    // The names match only as a typo variant (see the end).
    let mut typo_name = false;
    let mut add = |e: Evidence, w: f64| {
        weight += w;
        evidence |= 1 << e as u32;
        record(e, w);
    };
    match (&ka.id, &kb.id) {
        (Some(x), Some(y)) if x == y => add(Evidence::SameId, 40.0),
        // Two IDs: never one person, whatever else agrees (all of it weighs under 30), so
        // the rest is not worked out. Deduplication does not even pair such rows; linking
        // two months or the learners still meets them here.
        (Some(_), Some(_)) => {
            add(Evidence::DifferentId, -1000.0);
            return Score { weight, evidence };
        }
        _ => {}
    }
    // Name: an agreement is worth log2(m / u), with u the share of rows with this name,
    // capped so that a rare name alone never outweighs the birth date and the unit.
    let share = names.share(ka).max(names.share(kb)).max(1e-6);
    let agreement = (0.9 / share).log2().min(10.0);
    if ka.name.exact == kb.name.exact {
        add(Evidence::NameExact, agreement);
    } else if ka.name.tone == kb.name.tone {
        add(Evidence::NameTonePlacement, agreement);
    } else if ka.name.plain == kb.name.plain {
        add(Evidence::NameAccentFree, agreement - 3.0);
    } else {
        // Vietnamese names share family and middle names widely ("Nguyễn Đức Phong" and
        // "Nguyễn Đức Hải"), so a slip is judged on the part that differs.
        // Each similarity is worked out only when the decision gets to it (half a million
        // pairs are scored for a country).
        fn rest(k: &NameKeys) -> &str {
            k.plain.rsplit_once(' ').map_or("", |(r, _)| r)
        }
        let same_rest = rest(&ka.name) == rest(&kb.name);
        let mut whole = None;
        let mut whole_jw = || *whole.get_or_insert_with(|| strsim::jaro_winkler(&ka.name.plain, &kb.name.plain));
        // One letter off in a given name of three letters or more, same gender: a slip.
        let one_letter = || {
            first.gender.is_some()
                && first.gender == second.gender
                && ka.name.given.chars().count() >= 3
                && strsim::levenshtein(&ka.name.given, &kb.name.given) == 1
        };
        let very_close = (same_rest && (strsim::jaro_winkler(&ka.name.given, &kb.name.given) >= 0.85 || one_letter()))
            || (ka.name.given == kb.name.given && whole_jw() >= 0.95);
        if very_close {
            typo_name = true;
            add(Evidence::NameVeryClose, 4.5);
        } else if whole_jw() >= 0.93 {
            // Close as a whole but not a slip of one part: never a merge on its own.
            typo_name = true;
            add(Evidence::NameClose, -4.0);
        } else {
            // Two names: the birth date, gender and unit agreeing do not make a review.
            add(Evidence::NameDifferent, -10.0);
        }
    }
    if let (Some(x), Some(y)) = (ka.birth, kb.birth) {
        let full = |d: BirthDate| d.month.is_some() && d.day.is_some();
        if x == y {
            add(
                Evidence::BirthExact,
                if full(x) {
                    12.0
                } else if x.month.is_some() {
                    6.0
                } else {
                    3.5
                },
            );
        } else if x.year != y.year {
            add(Evidence::BirthDifferent, -10.0);
        } else if full(x) && full(y) && x.day == y.month && x.month == y.day {
            add(Evidence::BirthSwapped, 6.0);
        } else if full(x) && full(y) && x.month == y.month {
            add(Evidence::BirthSameMonth, -8.0);
        } else if full(x) != full(y) && (x.month.is_none() || y.month.is_none()) {
            add(Evidence::BirthYearOnly, 3.0);
        } else if full(x) && full(y) {
            add(Evidence::BirthDifferent, -8.0);
        } else {
            add(Evidence::BirthSameYear, 1.0);
        }
    }
    match (first.gender, second.gender) {
        (Some(x), Some(y)) if x == y => add(Evidence::GenderSame, 0.5),
        (Some(_), Some(_)) => add(Evidence::GenderDifferent, -12.0),
        _ => {}
    }
    match (first.unit, second.unit) {
        (Some(x), Some(y)) if x == y => add(Evidence::UnitSame, 2.0),
        // A transfer between units is merged on its ID; without one, two units keep two
        // people apart unless everything else is overwhelming.
        (Some(_), Some(_)) => add(Evidence::UnitDifferent, -12.0),
        _ => {}
    }
    if first.positions.iter().any(|p| second.positions.contains(p)) {
        add(Evidence::PositionShared, 1.0);
    }
    // What does not change, or changes only by a correction, weighs against: two
    // ethnicities are two people. Levels and category of one month's rows agree or not.
    let (mut agree, mut differ) = (0, 0);
    match (first.ethnicity, second.ethnicity) {
        (Some(x), Some(y)) if x == y => agree += 1,
        (Some(_), Some(_)) => add(Evidence::EthnicityDifferent, -12.0),
        _ => {}
    }
    let mut compare = |same: Option<bool>| match same {
        Some(true) => agree += 1,
        Some(false) => differ += 1,
        None => {}
    };
    // Two levels agree only as levels: "none" is also what a blank cell says, and agreeing
    // on nothing recorded corroborates nothing.
    fn both<T: PartialEq + Copy>(a: Option<T>, b: Option<T>, none: Option<T>) -> Option<bool> {
        a.zip(b).filter(|(a, b)| !(a == b && Some(*a) == none)).map(|(a, b)| a == b)
    }
    use tonghop_model::codes::{PoliticalTheory, Professional, StateManagement};
    compare(both(first.political_theory, second.political_theory, Some(PoliticalTheory::Khong)));
    compare(both(first.state_management, second.state_management, Some(StateManagement::Khong)));
    compare(both(first.category, second.category, None));
    compare(both(first.professional, second.professional, Some(Professional::ChuaQuaDaoTao)));
    if differ > 0 {
        add(Evidence::AttributesDiffer, -3.0 * f64::from(differ));
    }
    // Two or more recorded attributes agreeing, none differing, corroborate: what a
    // year-only birth date against a full one, or a name that is a typo variant, needs.
    let corroborated = agree >= 2 && differ == 0;
    if corroborated {
        add(Evidence::AttributesAgree, 1.5);
    }
    let same_id = evidence & (1 << Evidence::SameId as u32) != 0;
    // Moves the total to `at` (up or down, as `raise` says) with the evidence that did it.
    let mut set = |e: Evidence, at: f64, raise: bool, weight: &mut f64, evidence: &mut u32| {
        if (raise && *weight < at) || (!raise && *weight > at) {
            record(e, at - *weight);
            *weight = at;
            *evidence |= 1 << e as u32;
        }
    };
    // What does not change disagreeing (two ethnicities, two genders, two full birth
    // dates, day and month swapped aside) is never merged unless one ID joins them (a
    // correction) or the clerk decides. One such disagreement against everything else
    // agreeing (the name, the unit, the recorded levels) is asked: a slip in one column is
    // as likely as two such people. More is two people, not asked.
    let has = |e: Evidence| evidence & (1 << e as u32) != 0;
    let unchangeable: Vec<Evidence> =
        [Evidence::EthnicityDifferent, Evidence::GenderDifferent, Evidence::BirthDifferent, Evidence::BirthSameMonth]
            .into_iter()
            .filter(|e| has(*e))
            .collect();
    if let Some(&e) = unchangeable.first()
        && !same_id
    {
        let all_else_agrees = unchangeable.len() == 1
            && (has(Evidence::NameExact) || has(Evidence::NameTonePlacement))
            && has(Evidence::UnitSame)
            && corroborated;
        if all_else_agrees {
            set(Evidence::OnlyOneDiffers, REVIEW_THRESHOLD, true, &mut weight, &mut evidence);
            set(e, MERGE_THRESHOLD - 0.5, false, &mut weight, &mut evidence);
        } else {
            set(e, REVIEW_THRESHOLD - 1.0, false, &mut weight, &mut evidence);
        }
    }
    // A name that matches only as a typo variant never merges on the birth date and the
    // unit alone: two recorded attributes must agree too (a review pair otherwise).
    if typo_name && !corroborated && !same_id {
        set(Evidence::OnlyTypoName, MERGE_THRESHOLD - 0.5, false, &mut weight, &mut evidence);
    }
    Score { weight, evidence }
}

struct Clusters {
    parent: Vec<usize>,
    members: Vec<Vec<usize>>,
    /// The members that differ from one another (one row of each set of identical rows):
    /// only these are compared before two clusters join.
    distinct: Vec<Vec<usize>>,
    id: Vec<Option<NationalId>>,
    reasons: Vec<Vec<Evidence>>,
    weakest: Vec<f64>,
}

impl Clusters {
    /// Whether a decision keeps the clusters of `ri` and `rj` apart.
    fn kept_apart(&mut self, apart: &[(usize, usize)], ri: usize, rj: usize) -> bool {
        apart.iter().any(|&(a, b)| {
            let (x, y) = (self.find(a), self.find(b));
            (x == ri && y == rj) || (x == rj && y == ri)
        })
    }

    /// Joins two clusters (by their roots) on `evidence` of `weight`.
    fn join(&mut self, ri: usize, rj: usize, evidence: &[Evidence], weight: f64) {
        let (keep, gone) = if ri < rj { (ri, rj) } else { (rj, ri) };
        self.parent[gone] = keep;
        let moved = std::mem::take(&mut self.members[gone]);
        self.members[keep].extend(moved);
        let moved = std::mem::take(&mut self.distinct[gone]);
        self.distinct[keep].extend(moved);
        if self.id[keep].is_none() {
            self.id[keep] = self.id[gone].take();
        }
        let moved = std::mem::take(&mut self.reasons[gone]);
        self.reasons[keep].extend(moved);
        for &e in evidence {
            if !self.reasons[keep].contains(&e) && is_reason(e) {
                self.reasons[keep].push(e);
            }
        }
        self.weakest[keep] = self.weakest[keep].min(self.weakest[gone]).min(weight);
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }
}

/// The hash of a blocking key (fixed, so the same rows give the same blocks on every run).
fn block_key(key: &impl std::hash::Hash) -> u64 {
    use std::hash::BuildHasher as _;
    rustc_hash::FxBuildHasher.hash_one(key)
}

/// The comparison keys of every row (both cores).
fn keys_of(rows: &[Official]) -> Vec<Keys> {
    rows.par_iter()
        .map(|o| {
            let name = NameKeys::new(&o.full_name);
            Keys { name_hash: block_key(&name.plain), name, birth: o.birth_date, id: o.national_id.clone() }
        })
        .collect()
}

/// The blocks a row belongs to, as hashes of their keys: same ID; same plain full name and
/// birth year; same plain given name and birth date; same family name and birth date. Each
/// block holds a handful of rows even for a country: the work grows with the rows, not
/// with their square. Two keys with the same hash only put a few more pairs to the scoring.
fn block_keys(k: &Keys) -> [Option<u64>; 4] {
    let id = k.id.as_ref().map(|id| block_key(&('i', &id.0)));
    if k.name.plain.is_empty() {
        return [id, None, None, None];
    }
    let year = k.birth.map(|b| b.year);
    [
        id,
        Some(block_key(&('n', &k.name.plain, year))),
        // A slip in the family or the given name: the rest and the birth date agree.
        k.birth.map(|b| block_key(&('g', &k.name.given, b))),
        k.birth.map(|b| block_key(&('f', &k.name.family, b))),
    ]
}

/// Every row's blocks as (key, row), sorted: the rows of a block are neighbours. Sorting a
/// flat list is several times faster than a map of lists at a country's million keys.
/// Only the rows `indexed` says are indexed (one of each set of identical rows).
fn block_index(keys: &[Keys], indexed: impl Fn(usize) -> bool + Sync) -> Vec<(u64, usize)> {
    let mut index: Vec<(u64, usize)> = keys
        .par_iter()
        .enumerate()
        .filter(|(i, _)| indexed(*i))
        .flat_map_iter(|(i, k)| block_keys(k).into_iter().flatten().map(move |key| (key, i)))
        .collect();
    index.par_sort_unstable();
    index
}

/// The rows of the block `key` in a sorted index, at most [`MAX_BLOCK`].
fn block_members(index: &[(u64, usize)], key: u64) -> impl Iterator<Item = usize> + '_ {
    let start = index.partition_point(|e| e.0 < key);
    index[start..].iter().take_while(move |e| e.0 == key).take(MAX_BLOCK).map(|e| e.1)
}

/// For every row, the first row identical to it in everything but its source (itself when
/// none is). A row copied a thousand times, or one person on a thousand sheets, is one
/// set however large it is: blocks compare at most [`MAX_BLOCK`] rows, so copies must not
/// depend on them.
fn identical_rows(rows: &[Official], keys: &[Keys]) -> Vec<usize> {
    let content_hash: Vec<u64> = rows
        .par_iter()
        .zip(keys)
        .map(|(o, k)| block_key(&(&k.name.exact, k.birth, &k.id, o.unit, &o.positions_text, o.gender)))
        .collect();
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.par_sort_unstable_by_key(|&i| (content_hash[i], i));
    let mut first_of: Vec<usize> = (0..rows.len()).collect();
    let without_source = |o: &Official| Official { sources: Vec::new(), ..o.clone() };
    for run in order.chunk_by(|&a, &b| content_hash[a] == content_hash[b]).filter(|run| run.len() > 1) {
        // The run's distinct contents, each with its first row (rows are in index order).
        let mut firsts: Vec<(usize, Official)> = Vec::new();
        for &i in run {
            let content = without_source(&rows[i]);
            match firsts.iter().find(|(_, c)| *c == content) {
                Some(&(first, _)) => first_of[i] = first,
                None => firsts.push((i, content)),
            }
        }
    }
    first_of
}

/// Deduplicates the rows of a month. `recency(source)` orders sources from oldest to
/// newest; the newest row's values win.
pub fn deduplicate<R: Ord>(rows: Vec<Official>, recency: impl Fn(&SourceRow) -> R) -> Deduplicated {
    deduplicate_with(rows, recency, &[])
}

/// A decision of the clerk's on a pair, by the rows of each side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decided {
    /// The same person (must-link) or two people (cannot-link).
    pub same: bool,
    /// The rows the decision's first person names.
    pub a: Vec<usize>,
    /// The rows its second person names.
    pub b: Vec<usize>,
}

/// Deduplicates like [`deduplicate`], with the clerk's decisions: rows decided apart are
/// never in one person, rows decided the same are one person (unless two IDs or another
/// decision keep them apart), and decided pairs are not asked for review again.
pub fn deduplicate_with<R: Ord>(
    rows: Vec<Official>,
    recency: impl Fn(&SourceRow) -> R,
    decided: &[Decided],
) -> Deduplicated {
    let mut steps = tonghop_model::steps::Steps::start("deduplicate");
    let keys = keys_of(&rows);
    let Sets { first_of, identical_score, names } = identical_sets(&rows, &keys);
    steps.lap("keys");
    let (pairs, blocks) = candidate_pairs(&keys, &first_of);
    steps.lap(&format!("{blocks} blocks, {} pairs", pairs.len()));
    let (scored, contributions) = score_pairs(&rows, &keys, &names, pairs);
    steps.lap("score");
    let mut clusters = cluster(&rows, &keys, &names, &first_of, &identical_score, &scored, decided);
    steps.lap("clusters");
    // The keys are done with: a quarter of a million rows of strings, freed on every worker.
    keys.into_par_iter().for_each(drop);
    let first_source: Vec<SourceRow> = rows.par_iter().map(|o| o.sources[0].clone()).collect();
    let (mut out, person_of) = people_of_clusters(rows, &mut clusters, recency);
    steps.lap("combine");
    out.review = review_pairs(&scored, contributions, &person_of, &first_source, decided);
    out
}

/// A pair of rows and its score.
type ScoredPair = ((usize, usize), Score);

/// Each piece of evidence of a pair with its weight.
type Contributions = Vec<(Evidence, f64)>;

/// Every row's first identical row (see [`identical_rows`]), kept only where two copies
/// would merge, the score of each set, and the month's name frequencies (copies counted once).
struct Sets {
    first_of: Vec<usize>,
    identical_score: Vec<Option<Score>>,
    names: NameFrequencies,
}

fn identical_sets(rows: &[Official], keys: &[Keys]) -> Sets {
    let mut first_of = identical_rows(rows, keys);
    // Copies of one row are one person's: a name's frequency counts them once.
    let names = NameFrequencies::new(keys.iter().enumerate().filter(|(i, _)| first_of[*i] == *i).map(|(_, k)| k));
    // Identical rows are one person when two of them would merge; otherwise (a name and
    // nothing else) they stay apart like any such pair, each compared in its blocks.
    let identical_score: Vec<Option<Score>> = (0..rows.len())
        .into_par_iter()
        .map(|i| (first_of[i] == i).then(|| score(&rows[i], &keys[i], &rows[i], &keys[i], &names)))
        .collect();
    for (i, first) in first_of.iter_mut().enumerate() {
        if *first != i && identical_score[*first].is_none_or(|s| s.weight < MERGE_THRESHOLD) {
            *first = i;
        }
    }
    let names = NameFrequencies::new(keys.iter().enumerate().filter(|(i, _)| first_of[*i] == *i).map(|(_, k)| k));
    Sets { first_of, identical_score, names }
}

/// The pairs of rows that share a block (one row of each identical set), without the pairs
/// two different IDs keep apart, and how many blocks there were.
fn candidate_pairs(keys: &[Keys], first_of: &[usize]) -> (Vec<(usize, usize)>, usize) {
    let index = block_index(keys, |i| first_of[i] == i);
    let blocks: Vec<&[(u64, usize)]> = index.chunk_by(|a, b| a.0 == b.0).filter(|b| b.len() > 1).collect();
    // Two rows with two different IDs are never one person, whatever else they share (see
    // `score`): such pairs are not made. In a country where every row has its ID that is
    // nearly every pair of a name-and-birth-date block. Hashes that differ are different
    // IDs; the rare equal hash of two different IDs is scored and kept apart there.
    let id_hashes: Vec<Option<u64>> = keys.par_iter().map(|k| k.id.as_ref().map(|id| block_key(&id.0))).collect();
    let apart = |i: usize, j: usize| matches!((id_hashes[i], id_hashes[j]), (Some(a), Some(b)) if a != b);
    let mut pairs: Vec<(usize, usize)> = blocks
        .par_iter()
        .flat_map_iter(|block| {
            let members = &block[..block.len().min(MAX_BLOCK)];
            let mut out = Vec::new();
            for (x, &(_, i)) in members.iter().enumerate() {
                for &(_, j) in &members[x + 1..] {
                    // Two keys of one row may share a hash.
                    if i != j && !apart(i, j) {
                        out.push((i.min(j), i.max(j)));
                    }
                }
            }
            out
        })
        .collect();
    pairs.par_sort_unstable();
    pairs.dedup();
    (pairs, blocks.len())
}

/// The pairs that may merge or deserve review, scored, and why each that may be left for
/// review scored what it did (a few thousand of a country's pairs), worked out while the
/// rows and keys are at hand.
fn score_pairs(
    rows: &[Official],
    keys: &[Keys],
    names: &NameFrequencies,
    pairs: Vec<(usize, usize)>,
) -> (Vec<ScoredPair>, Vec<Contributions>) {
    // Only pairs that may merge or deserve review are kept.
    let scored: Vec<((usize, usize), Score)> = pairs
        .into_par_iter()
        .map(|(i, j)| ((i, j), score(&rows[i], &keys[i], &rows[j], &keys[j], names)))
        .filter(|(_, s)| s.weight >= REVIEW_THRESHOLD)
        .collect();

    let contributions: Vec<Vec<(Evidence, f64)>> = scored
        .par_iter()
        .map(|((i, j), s)| {
            if s.weight < MERGE_THRESHOLD {
                explain(&rows[*i], &keys[*i], &rows[*j], &keys[*j], names)
            } else {
                Vec::new()
            }
        })
        .collect();
    (scored, contributions)
}

/// Clusters from the strongest pairs down, without chaining, and the clerk's decisions.
fn cluster(
    rows: &[Official],
    keys: &[Keys],
    names: &NameFrequencies,
    first_of: &[usize],
    identical_score: &[Option<Score>],
    scored: &[ScoredPair],
    decided: &[Decided],
) -> Clusters {
    // Clusters from the strongest pairs down.
    let n = rows.len();
    let mut clusters = Clusters {
        parent: first_of.to_vec(),
        members: (0..n).into_par_iter().map(|i| if first_of[i] == i { vec![i] } else { Vec::new() }).collect(),
        distinct: (0..n).into_par_iter().map(|i| if first_of[i] == i { vec![i] } else { Vec::new() }).collect(),
        id: keys.par_iter().map(|k| k.id.clone()).collect(),
        reasons: vec![Vec::new(); n],
        weakest: vec![f64::INFINITY; n],
    };
    for (i, &first) in first_of.iter().enumerate().filter(|(i, first)| *i != **first) {
        clusters.members[first].push(i);
        if let Some(s) = identical_score[first] {
            clusters.weakest[first] = s.weight;
            if clusters.reasons[first].is_empty() {
                clusters.reasons[first] = s.evidence().into_iter().filter(|e| is_reason(*e)).collect();
            }
        }
    }
    // Rows the clerk decided are two people.
    let apart: Vec<(usize, usize)> = decided
        .iter()
        .filter(|d| !d.same)
        .flat_map(|d| d.a.iter().flat_map(|&a| d.b.iter().map(move |&b| (a, b))))
        .collect();
    let mut strong: Vec<&((usize, usize), Score)> =
        scored.iter().filter(|(_, s)| s.weight >= MERGE_THRESHOLD).collect();
    strong.sort_by(|a, b| b.1.weight.total_cmp(&a.1.weight).then(a.0.cmp(&b.0)));
    for ((i, j), s) in strong {
        let (ri, rj) = (clusters.find(*i), clusters.find(*j));
        if ri == rj {
            continue;
        }
        if let (Some(x), Some(y)) = (&clusters.id[ri], &clusters.id[rj])
            && x != y
        {
            continue;
        }
        // No chaining: every row of one cluster must be at least a review pair with every
        // row of the other.
        let contradicted = clusters.distinct[ri].iter().any(|&a| {
            clusters.distinct[rj].iter().any(|&b| score(&rows[a], &keys[a], &rows[b], &keys[b], names).keeps_apart())
        });
        if contradicted || clusters.kept_apart(&apart, ri, rj) {
            continue;
        }
        clusters.join(ri, rj, &s.evidence(), s.weight);
    }
    // Rows the clerk decided are one person: joined, unless two IDs or a decision keeps
    // them apart.
    for d in decided.iter().filter(|d| d.same) {
        for &row in d.a.iter().chain(&d.b).skip(1) {
            let first = d.a.first().or(d.b.first()).copied().unwrap_or(row);
            let (ri, rj) = (clusters.find(first), clusters.find(row));
            if ri == rj || clusters.kept_apart(&apart, ri, rj) {
                continue;
            }
            if let (Some(x), Some(y)) = (&clusters.id[ri], &clusters.id[rj])
                && x != y
            {
                continue;
            }
            clusters.join(ri, rj, &[Evidence::Decided], f64::INFINITY);
        }
    }
    clusters
}

/// The people, in order of their first row, each cluster of several rows combined (a
/// merge group), and the person of every row.
fn people_of_clusters<R: Ord>(
    rows: Vec<Official>,
    clusters: &mut Clusters,
    recency: impl Fn(&SourceRow) -> R,
) -> (Deduplicated, Vec<usize>) {
    let n = rows.len();
    // People, in order of their first row, made in place in the rows' own list: a cluster's
    // root is its first row (a merge keeps the smaller root), so by the time a root is
    // reached every earlier slot is either an earlier person or a row already taken into
    // one, and the person goes into the first free slot. Most people are one row: they
    // move once, and no second list of a quarter of a million people is made.
    let mut person_of = vec![0; n];
    let mut people = rows;
    let mut out = Deduplicated::default();
    let mut written = 0;
    for root in 0..n {
        if clusters.find(root) != root {
            continue;
        }
        let person = if let [only] = clusters.members[root][..] {
            person_of[only] = written;
            std::mem::take(&mut people[only])
        } else {
            let mut idx = clusters.members[root].clone();
            idx.sort_by(|a, b| {
                let (sa, sb) = (&people[*a].sources[0], &people[*b].sources[0]);
                recency(sb).cmp(&recency(sa)).then_with(|| sb.cmp(sa))
            });
            for &i in &idx {
                person_of[i] = written;
            }
            let group: Vec<Official> = idx.iter().map(|i| std::mem::take(&mut people[*i])).collect();
            // `combine` keeps the sources in the group's order: each row's keys, in that order.
            let row_keys: Vec<tonghop_model::month::RowKeys> = group
                .iter()
                .flat_map(|o| {
                    let keys = tonghop_model::month::RowKeys {
                        name: o.full_name.clone(),
                        birth: o.birth_date,
                        unit: o.unit,
                        id: o.national_id.clone(),
                    };
                    std::iter::repeat_n(keys, o.sources.len())
                })
                .collect();
            let (person, conflicts) = combine(group);
            debug_assert_eq!(row_keys.len(), person.sources.len(), "one key per source row");
            let mut reasons = clusters.reasons[root].clone();
            reasons.sort();
            out.merges.push(MergeGroup {
                person: written,
                rows: person.sources.clone(),
                reasons,
                weight: clusters.weakest[root],
                conflicts,
                row_keys,
            });
            person
        };
        // The slot is free: a row already taken (a real row always has its source).
        debug_assert!(people[written].sources.is_empty(), "person {written} would overwrite a row");
        people[written] = person;
        written += 1;
    }
    people.truncate(written);
    out.people = people;
    (out, person_of)
}

/// Pairs between review and merge weight that ended in two people, once per two people,
/// those the clerk decided left out, the likeliest first.
fn review_pairs(
    scored: &[ScoredPair],
    mut contributions: Vec<Contributions>,
    person_of: &[usize],
    first_source: &[SourceRow],
    decided: &[Decided],
) -> Vec<ReviewPair> {
    let mut review = Vec::new();
    // Pairs the clerk decided are not asked again.
    let decided_people: HashSet<(usize, usize)> = decided
        .iter()
        .flat_map(|d| d.a.iter().flat_map(|&a| d.b.iter().map(move |&b| (a, b))))
        .map(|(a, b)| (person_of[a].min(person_of[b]), person_of[a].max(person_of[b])))
        .collect();
    let mut seen: HashSet<(usize, usize)> = decided_people;
    for (k, ((i, j), s)) in scored.iter().enumerate() {
        let (pi, pj) = (person_of[*i], person_of[*j]);
        if pi != pj
            && s.weight >= REVIEW_THRESHOLD
            && s.weight < MERGE_THRESHOLD
            && seen.insert((pi.min(pj), pi.max(pj)))
        {
            // Each row beside its own person, the lower-numbered person first.
            let (i, j, pi, pj) = if pi < pj { (*i, *j, pi, pj) } else { (*j, *i, pj, pi) };
            review.push(ReviewPair {
                people: (pi, pj),
                rows: (first_source[i].clone(), first_source[j].clone()),
                reasons: s.evidence(),
                weight: s.weight,
                contributions: std::mem::take(&mut contributions[k]),
            });
        }
    }
    // The likeliest first: a clerk who stops half way has seen the pairs that matter.
    review.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.people.cmp(&b.people)));
    review
}

/// Links the people of `right` to the people of `left` (the learners of the training
/// register to the roster; one month's people to the previous month's) with the same
/// evidence and weights as the deduplication: for each `right` row, the `left` row scoring
/// at least `threshold` with it, one to one, strongest pairs first. A row with two equally
/// strong candidates, or none at the threshold, is not linked.
///
/// With `right_ids`, the right rows' national IDs are compared as that hasher hashes them:
/// the left rows are a history's, which keeps IDs only as hashes.
pub fn link(
    left: &[Official],
    right: &[Official],
    threshold: f64,
    right_ids: Option<&tonghop_model::ids::IdHasher>,
) -> Vec<Option<usize>> {
    let mut steps = tonghop_model::steps::Steps::start("link");
    let (kl, mut kr) = (keys_of(left), keys_of(right));
    if let Some(hasher) = right_ids {
        kr.par_iter_mut().for_each(|k| k.id = k.id.as_ref().map(|id| hasher.hash(id)));
    }
    let names = NameFrequencies::new(kl.iter().chain(&kr));
    let index = block_index(&kl, |_| true);
    steps.lap("keys and blocks");
    let mut scored: Vec<(f64, usize, usize)> = kr
        .par_iter()
        .enumerate()
        .flat_map_iter(|(j, k)| {
            let mut candidates: Vec<usize> =
                block_keys(k).into_iter().flatten().flat_map(|key| block_members(&index, key)).collect();
            candidates.sort_unstable();
            candidates.dedup();
            candidates.truncate(MAX_BLOCK);
            let scores: Vec<(f64, usize)> = candidates
                .into_iter()
                .map(|i| (score(&left[i], &kl[i], &right[j], k, &names).weight, i))
                .filter(|(w, _)| *w >= threshold)
                .collect();
            // Two candidates equally strong: not guessed.
            let best = scores.iter().map(|s| s.0).fold(f64::NEG_INFINITY, f64::max);
            let tied = scores.iter().filter(|s| (s.0 - best).abs() < 1e-9).count() > 1;
            scores.into_iter().filter(move |_| !tied).map(move |(w, i)| (w, i, j))
        })
        .collect();
    steps.lap(&format!("{} candidate links scored", scored.len()));
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut out = vec![None; right.len()];
    let mut taken = vec![false; left.len()];
    for (_, i, j) in scored {
        if out[j].is_none() && !taken[i] {
            out[j] = Some(i);
            taken[i] = true;
        }
    }
    out
}

/// Evidence worth naming as a reason for a merge (agreements, not disagreements).
fn is_reason(e: Evidence) -> bool {
    !matches!(
        e,
        Evidence::DifferentId
            | Evidence::NameDifferent
            | Evidence::BirthDifferent
            | Evidence::GenderDifferent
            | Evidence::GenderSame
            | Evidence::EthnicityDifferent
            | Evidence::AttributesDiffer
    )
}

/// Combines a group ordered newest first.
fn combine(group: Vec<Official>) -> (Official, Vec<Conflict>) {
    let mut iter = group.into_iter();
    let mut kept = iter.next().expect("a group has a row");
    let mut conflicts: Vec<Conflict> = Vec::new();
    for other in iter {
        let source = other.sources[0].clone();
        macro_rules! fill {
            ($field:ident, $label:literal, $show:expr) => {
                match (&kept.$field, &other.$field) {
                    (None, Some(_)) => kept.$field = other.$field.clone(),
                    (Some(a), Some(b)) if a != b => {
                        let show = $show;
                        let kept_text = show(a);
                        let other_text = show(b);
                        match conflicts.iter_mut().find(|c| c.field == $label) {
                            Some(c) => c.others.push((other_text, source.clone())),
                            None => conflicts.push(Conflict {
                                field: $label,
                                kept: kept_text,
                                others: vec![(other_text, source.clone())],
                            }),
                        }
                    }
                    _ => {}
                }
            };
        }
        fill!(birth_date, "Ngày sinh", |v: &tonghop_model::record::BirthDate| v.to_string());
        fill!(gender, "Giới tính", |v: &tonghop_model::codes::Gender| v.label().to_owned());
        fill!(ethnicity, "Dân tộc", |v: &tonghop_model::codes::Ethnicity| v.label().to_owned());
        fill!(religion, "Tôn giáo", |v: &String| v.clone());
        fill!(national_id, "Số CCCD/CMND", |v: &NationalId| v.0.clone());
        fill!(party_member, "Đảng viên", |v: &bool| if *v { "có" } else { "không" }.to_owned());
        fill!(party_join_date, "Ngày vào Đảng", |v: &chrono::NaiveDate| v.format("%d/%m/%Y").to_string());
        fill!(category, "Phân loại", |v: &tonghop_model::codes::Category| v.label().to_owned());
        fill!(general_education, "GDPT", |v: &tonghop_model::codes::GeneralEducation| v.label().to_owned());
        fill!(professional, "Chuyên môn", |v: &tonghop_model::codes::Professional| v.label().to_owned());
        fill!(professional_field, "Chuyên ngành", |v: &String| v.clone());
        fill!(political_theory, "Lý luận chính trị", |v: &tonghop_model::codes::PoliticalTheory| v
            .label()
            .to_owned());
        fill!(political_theory_studying, "Đang học LLCT", |v: &tonghop_model::codes::PoliticalTheory| v
            .label()
            .to_owned());
        fill!(state_management, "QLNN", |v: &tonghop_model::codes::StateManagement| v.label().to_owned());
        fill!(it, "Tin học", |v: &String| v.clone());
        fill!(foreign_language, "Ngoại ngữ", |v: &String| v.clone());
        fill!(ethnic_language, "Tiếng dân tộc", |v: &String| v.clone());
        // Rosters split by role list different positions of one person: keep them all.
        for p in other.positions {
            if !kept.positions.contains(&p) {
                kept.positions.push(p);
            }
        }
        if !other.positions_text.is_empty() && !kept.positions_text.contains(&other.positions_text) {
            kept.positions_text = if kept.positions_text.is_empty() {
                other.positions_text
            } else {
                format!("{}; {}", kept.positions_text, other.positions_text)
            };
        }
        kept.committee = kept.committee.max(other.committee);
        for p in other.planning {
            if !kept.planning.contains(&p) {
                kept.planning.push(p);
            }
        }
        for t in other.trainings {
            if !kept.trainings.contains(&t) {
                kept.trainings.push(t);
            }
        }
        kept.sources.extend(other.sources);
    }
    (kept, conflicts)
}

#[cfg(test)]
mod tests;
