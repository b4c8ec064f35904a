//! The compiled scanner: one multi-pattern regex, one cue automaton, and overlap resolution.
//!
//! Every pattern-shaped detector contributes [`Pattern`]s, and all of them are compiled into a
//! single `regex_automata::meta::Regex` so the text is scanned once, not once per detector. A
//! pattern's `PatternID` leads back to its kind, base score and validator ([`Check`]). Cue phrases
//! ("fax", "MRN", "BP", ...) from every family go into one ASCII case-insensitive Aho-Corasick
//! automaton, scanned once; validators ask the [`Context`] whether a cue is near a match.
//!
//! # Writing patterns
//! Patterns are compiled with Unicode mode off: `\d`, `\w`, `\b` and `(?i)` are ASCII-only, which
//! keeps the lazy DFA on its fast path. Detectors see the [folded](crate::text::Normalized) text,
//! where full-width digits and look-alike letters are already ASCII. Character classes must not
//! match non-ASCII bytes (`[^\s]` would), or the set fails to compile. A pattern may name one
//! capture group `v`: the finding then covers only that group (the value after a cue), and only
//! such patterns pay for a capture search.

use regex_automata::meta::Regex;
use regex_automata::util::syntax;
use regex_automata::Input;

use crate::error::{Error, ErrorKind};
use crate::{Finding, Kind, Span};

pub(crate) mod checksum;
mod context;
mod cues;
mod terms;

mod ages;
mod calendar;
mod contact;
mod dates;
mod geo;
mod ids;
pub(crate) mod names;
mod other_ids;
pub(crate) mod places;
pub(crate) mod words;

pub(crate) use context::Context;
use cues::Cues;

/// A validator: given a raw match, accept it (possibly changing kind, span or score) or reject it.
pub(crate) type Check = fn(&Context<'_>, Hit) -> Option<Finding>;

/// One regex detector.
pub(crate) struct Pattern {
    /// The regex source (Unicode mode off; see the module docs).
    pub(crate) regex: String,
    /// The kind reported when the check does not change it.
    pub(crate) kind: Kind,
    /// Stable rule name, reported in [`Finding::detector`].
    pub(crate) detector: &'static str,
    /// Base score before the check adjusts it.
    pub(crate) score: f32,
    /// The validator.
    pub(crate) check: Check,
}

impl Pattern {
    /// A pattern whose matches are accepted as they are, unless `check` says otherwise.
    pub(crate) fn new(
        detector: &'static str,
        kind: Kind,
        score: f32,
        regex: impl Into<String>,
        check: Check,
    ) -> Pattern {
        Pattern {
            regex: regex.into(),
            kind,
            detector,
            score,
            check,
        }
    }
}

/// A raw regex match handed to a [`Check`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct Hit {
    /// The whole match, including any cue before the value.
    pub(crate) whole: Span,
    /// The proposed finding: the pattern's kind, detector and score, spanning group `v` if the
    /// pattern has one, else the whole match.
    pub(crate) found: Finding,
}

/// A check that accepts every match as proposed.
pub(crate) fn accept(_: &Context<'_>, hit: Hit) -> Option<Finding> {
    Some(hit.found)
}

/// Classes of cue phrases. Validators ask whether a cue of some class is near a match.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Cue {
    /// "fax", "facsimile", "f:".
    Fax,
    /// "phone", "tel", "call", "pager", "cell", "beeper".
    Phone,
    /// "SSN", "social security".
    Ssn,
    /// "routing", "ABA", "RTN".
    Routing,
    /// "NPI".
    Npi,
    /// "zip", "zip code", "postal code".
    Zip,
    /// "version", "v", "ver": numbers after it are not addresses.
    Version,
    /// "DEA", "DEA #", "DEA registration".
    Dea,
}

/// The compiled scanner shared by all engine clones.
pub(crate) struct Scanner {
    /// All patterns, leftmost-first: the scan.
    regex: Regex,
    /// The same patterns with `MatchKind::All`: after a rejection, which other patterns also
    /// match at that position.
    every: Regex,
    patterns: Vec<Pattern>,
    /// For each pattern with a `v` group, that pattern alone, compiled with its group index.
    values: Vec<Option<ValueRegex>>,
    cues: Cues,
}

/// One pattern compiled on its own, to find where its `v` group lies inside a match.
///
/// Asking the combined regex for captures ran its bounded backtracker over the NFA of every
/// pattern, and clearing that backtracker's visited set (NFA states x match length) cost a
/// quarter of the scan. A single pattern's NFA is a few hundred states.
struct ValueRegex {
    regex: Regex,
    group: usize,
}

impl std::fmt::Debug for Scanner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scanner")
            .field("patterns", &self.patterns.len())
            .field("cues", &self.cues)
            .finish()
    }
}

/// Every family's patterns, in priority order: earlier patterns win ties at the same position.
fn all_patterns() -> Vec<Pattern> {
    let mut p = Vec::new();
    p.extend(contact::patterns());
    p.extend(ids::patterns());
    p.extend(other_ids::patterns());
    p.extend(geo::patterns());
    p.extend(dates::patterns());
    p.extend(ages::patterns());
    p
}

/// Every family's cue phrases.
fn all_cues() -> Vec<(&'static str, Cue)> {
    let mut c = Vec::new();
    for family in [
        contact::CUES,
        ids::CUES,
        other_ids::CUES,
        geo::CUES,
        dates::CUES,
        ages::CUES,
    ] {
        c.extend_from_slice(family);
    }
    c
}

impl Scanner {
    /// Compiles every family's patterns and cues.
    pub(crate) fn new() -> Result<Scanner, Error> {
        Scanner::from_parts(all_patterns(), &all_cues())
    }

    /// Compiles the given patterns (in priority order) and cue phrases.
    fn from_parts(patterns: Vec<Pattern>, cue_list: &[(&str, Cue)]) -> Result<Scanner, Error> {
        const BUILD: Error = Error::new(ErrorKind::Build, "a built-in detector failed to compile");
        const CACHE: usize = 8 << 20;
        let sources: Vec<&str> = patterns.iter().map(|p| p.regex.as_str()).collect();
        let syntax = syntax::Config::new().unicode(false).utf8(true);
        let regex = Regex::builder()
            .syntax(syntax)
            .configure(
                Regex::config()
                    .hybrid_cache_capacity(CACHE)
                    .auto_prefilter(false),
            )
            .build_many(&sources)
            .map_err(|_| BUILD)?;
        let every = Regex::builder()
            .syntax(syntax)
            .configure(
                Regex::config()
                    .match_kind(regex_automata::MatchKind::All)
                    .hybrid_cache_capacity(CACHE)
                    .auto_prefilter(false),
            )
            .build_many(&sources)
            .map_err(|_| BUILD)?;
        let mut values = Vec::with_capacity(patterns.len());
        for p in &patterns {
            values.push(ValueRegex::new(&p.regex, syntax).map_err(|_| BUILD)?);
        }
        let cues = Cues::new(cue_list).map_err(|_| BUILD)?;
        Ok(Scanner {
            regex,
            every,
            patterns,
            values,
            cues,
        })
    }

    /// Runs every pattern over `text` (already folded) and returns validated, non-overlapping
    /// findings sorted by position.
    ///
    /// At each position the leftmost-first match is checked. When its check rejects it, the other
    /// patterns that also match at that position are tried in priority order, so a rejected shape
    /// (a bare number that is no phone) does not hide another detector's valid one (an NPI). Only
    /// when none is accepted does the scan move on, one character later.
    pub(crate) fn scan(&self, text: &str) -> Vec<Finding> {
        let ctx = Context::new(text, &self.cues);
        let mut found = Vec::new();
        // Scratch, allocated only when first needed: most notes have no match with a value
        // group and no rejected match, and allocating both per note showed up as a seventh of
        // the scan (malloc, free and memset).
        let mut scratch = Scratch::default();
        let mut at = 0;
        while at < text.len() {
            let Some(m) = self.regex.search(&Input::new(text).range(at..)) else {
                break;
            };
            let accepted = self
                .check(&ctx, m, &mut scratch)
                .or_else(|| self.check_others(&ctx, m, &mut scratch));
            match accepted {
                Some((f, end)) => {
                    found.push(f);
                    at = end.max(f.span.end).max(m.start() + 1);
                }
                None => at = next_char_boundary(text, m.start() + 1),
            }
        }
        resolve(found)
    }

    /// Runs the check of the pattern that produced `m`; on acceptance returns the finding and
    /// where the whole match ends.
    fn check(
        &self,
        ctx: &Context<'_>,
        m: regex_automata::Match,
        scratch: &mut Scratch,
    ) -> Option<(Finding, usize)> {
        let pid = m.pattern().as_usize();
        let pattern = &self.patterns[pid];
        let whole = Span::new(m.start(), m.end());
        let mut value = whole;
        if let Some(v) = &self.values[pid] {
            if let Some(g) = v.find(ctx.text(), m.range(), &mut scratch.slots) {
                value = g;
            }
        }
        let hit = Hit {
            whole,
            found: Finding {
                kind: pattern.kind,
                span: value,
                score: pattern.score,
                detector: pattern.detector,
            },
        };
        (pattern.check)(ctx, hit)
            .filter(|f| !f.span.is_empty() && f.span.end <= ctx.text().len())
            .map(|f| (f, whole.end))
    }

    /// After `rejected` was refused, tries the lower-priority patterns that match at its start.
    fn check_others(
        &self,
        ctx: &Context<'_>,
        rejected: regex_automata::Match,
        scratch: &mut Scratch,
    ) -> Option<(Finding, usize)> {
        let text = ctx.text();
        let start = rejected.start();
        let mut set = scratch
            .set
            .take()
            .unwrap_or_else(|| regex_automata::PatternSet::new(self.patterns.len()));
        set.clear();
        let input = Input::new(text)
            .range(start..)
            .anchored(regex_automata::Anchored::Yes);
        self.every.which_overlapping_matches(&input, &mut set);
        // Usually the rejected pattern is the only one matching here; iterating the set
        // visits every pattern, so skip that.
        if set.len() < 2 {
            scratch.set = Some(set);
            return None;
        }
        let accepted = set
            .iter()
            .filter(|pid| *pid > rejected.pattern())
            .find_map(|pid| {
                let input = Input::new(text)
                    .range(start..)
                    .anchored(regex_automata::Anchored::Pattern(pid));
                let m = self.regex.search(&input)?;
                self.check(ctx, m, scratch)
            });
        scratch.set = Some(set);
        accepted
    }
}

/// Per-scan buffers, each allocated the first time a scan needs it.
#[derive(Default)]
struct Scratch {
    /// Capture slots, for patterns with a value group.
    slots: Vec<Option<regex_automata::util::primitives::NonMaxUsize>>,
    /// Which patterns match at a position, after a rejection.
    set: Option<regex_automata::PatternSet>,
}

impl ValueRegex {
    /// Compiles `source` alone if it has a `v` group; `Ok(None)` if it has none.
    fn new(source: &str, syntax: syntax::Config) -> Result<Option<ValueRegex>, Error> {
        const BUILD: Error = Error::new(ErrorKind::Build, "a built-in detector failed to compile");
        // Searches are anchored and a match long: no DFA (their construction would double the
        // engine's build time), only the one-pass DFA or the bounded backtracker.
        let config = Regex::config()
            .dfa(false)
            .hybrid(false)
            .auto_prefilter(false);
        let regex = Regex::builder()
            .syntax(syntax)
            .configure(config)
            .build(source)
            .map_err(|_| BUILD)?;
        let group = regex
            .group_info()
            .to_index(regex_automata::PatternID::ZERO, "v");
        Ok(group.map(|group| ValueRegex { regex, group }))
    }

    /// Where group `v` lies in the match at `range`, if it took part in the match.
    fn find(
        &self,
        text: &str,
        range: std::ops::Range<usize>,
        slots: &mut Vec<Option<regex_automata::util::primitives::NonMaxUsize>>,
    ) -> Option<Span> {
        let input = Input::new(text)
            .range(range)
            .anchored(regex_automata::Anchored::Yes);
        slots.clear();
        slots.resize(2 * (self.group + 1), None);
        self.regex.search_slots(&input, slots)?;
        let start = slots.get(2 * self.group).copied().flatten()?;
        let end = slots.get(2 * self.group + 1).copied().flatten()?;
        Some(Span::new(start.get(), end.get()))
    }
}

fn next_char_boundary(text: &str, mut i: usize) -> usize {
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Turns candidates into sorted, non-overlapping findings.
///
/// Where candidates overlap, the higher score wins, then the longer span, then the earlier one.
/// Candidates are considered best first, so a weak candidate never displaces a strong one.
pub(crate) fn resolve(mut candidates: Vec<Finding>) -> Vec<Finding> {
    // The scan produces its findings in order and without overlaps; nothing to resolve then.
    let in_order = candidates
        .windows(2)
        .all(|w| w[0].span.end <= w[1].span.start && w[0].span.start < w[1].span.start);
    if in_order {
        return candidates;
    }
    candidates.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(b.span.len().cmp(&a.span.len()))
            .then(a.span.start.cmp(&b.span.start))
    });
    if candidates.len() <= SORTED_VEC_MAX {
        keep_in_vec(candidates)
    } else {
        keep_in_map(candidates)
    }
}

/// Up to this many candidates, [`keep_in_vec`]; above, [`keep_in_map`].
const SORTED_VEC_MAX: usize = 256;

/// The candidates (best first) that clash with no better one, ordered by start.
///
/// Kept findings never overlap, so only the nearest kept finding starting before a candidate
/// and the nearest starting at or after it can clash with it. A note has a handful of
/// findings: a sorted vector with binary search beats a map, which allocates a node per
/// finding, but each insertion moves the findings after it, so a long document goes to
/// [`keep_in_map`].
fn keep_in_vec(candidates: Vec<Finding>) -> Vec<Finding> {
    let mut kept: Vec<Finding> = Vec::with_capacity(candidates.len());
    for c in candidates {
        let at = kept.partition_point(|k| k.span.start < c.span.start);
        let clash_prev = at
            .checked_sub(1)
            .and_then(|p| kept.get(p))
            .is_some_and(|k| k.span.overlaps(c.span));
        let next = kept.get_mut(at);
        let clash_next = next.as_ref().is_some_and(|k| k.span.overlaps(c.span));
        if clash_prev || clash_next {
            continue;
        }
        match next {
            // Only an empty span can start where a kept finding starts without clashing: it
            // takes that place, as in the map keyed by start of `keep_in_map`.
            Some(k) if k.span.start == c.span.start => *k = c,
            _ => kept.insert(at, c),
        }
    }
    kept
}

/// [`keep_in_vec`] for many candidates: kept findings in a map by start, O(log n) a candidate.
fn keep_in_map(candidates: Vec<Finding>) -> Vec<Finding> {
    let mut kept: std::collections::BTreeMap<usize, Finding> = std::collections::BTreeMap::new();
    for c in candidates {
        let clash_prev = kept
            .range(..c.span.start)
            .next_back()
            .is_some_and(|(_, k)| k.span.overlaps(c.span));
        let clash_next = kept
            .range(c.span.start..)
            .next()
            .is_some_and(|(_, k)| k.span.overlaps(c.span));
        if !clash_prev && !clash_next {
            kept.insert(c.span.start, c);
        }
    }
    kept.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(start: usize, end: usize, score: f32) -> Finding {
        Finding {
            kind: Kind::Date,
            span: Span::new(start, end),
            score,
            detector: "t",
        }
    }

    #[test]
    fn the_vector_and_the_map_keep_the_same_findings() {
        // Overlapping candidates of varied scores and lengths, in the order resolve sorts them
        // into; a simple generator keeps the test deterministic.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n) as usize
        };
        for round in 0..50 {
            let count = 1 + round * 20;
            let mut candidates: Vec<Finding> = (0..count)
                .map(|_| {
                    let start = next(2_000);
                    let score = [0.5, 0.7, 0.9][next(3)];
                    f(start, start + 1 + next(12), score)
                })
                .collect();
            candidates.sort_by(|a, b| {
                b.score
                    .total_cmp(&a.score)
                    .then(b.span.len().cmp(&a.span.len()))
                    .then(a.span.start.cmp(&b.span.start))
            });
            let by_vec = keep_in_vec(candidates.clone());
            assert_eq!(by_vec, keep_in_map(candidates), "{count} candidates");
            assert!(by_vec.windows(2).all(|w| w[0].span.end <= w[1].span.start));
        }
    }

    #[test]
    fn resolve_keeps_best_and_sorts() {
        let out = resolve(vec![
            f(10, 20, 0.5),
            f(0, 5, 0.9),
            f(15, 30, 0.9),
            f(4, 12, 0.1),
        ]);
        let spans: Vec<_> = out.iter().map(|f| (f.span.start, f.span.end)).collect();
        assert_eq!(spans, [(0, 5), (15, 30)]);
    }

    #[test]
    fn resolve_prefers_longer_on_equal_score() {
        let out = resolve(vec![f(0, 5, 0.8), f(0, 9, 0.8)]);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].span, Span::new(0, 9));
    }

    fn reject(_: &Context<'_>, _: Hit) -> Option<Finding> {
        None
    }

    #[test]
    fn a_rejected_match_does_not_hide_later_patterns_at_its_start() {
        let patterns = vec![
            Pattern::new("t.greedy", Kind::Phone, 0.9, r"\d+", reject),
            Pattern::new("t.three", Kind::Date, 0.5, r"\d{3}", accept),
        ];
        let scanner = Scanner::from_parts(patterns, &[]).expect("compiles");
        let found = scanner.scan("x 12345 y");
        let got: Vec<_> = found.iter().map(|f| (f.detector, f.span)).collect();
        assert_eq!(got, [("t.three", Span::new(2, 5))]);
    }

    #[test]
    fn value_group_narrows_the_finding() {
        let patterns = vec![Pattern::new(
            "t.cue",
            Kind::Mrn,
            0.9,
            r"(?i)mrn:?\s*(?P<v>\d+)",
            accept,
        )];
        let scanner = Scanner::from_parts(patterns, &[]).expect("compiles");
        let found = scanner.scan("MRN: 4417 ok");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].span, Span::new(5, 9));
    }

    #[test]
    fn scanner_compiles() {
        let s = Scanner::new().expect("built-in patterns compile");
        assert_eq!(s.values.len(), s.patterns.len());
        assert!(s.values.iter().any(Option::is_some));
    }
}
