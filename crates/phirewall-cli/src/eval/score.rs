//! Comparing findings with gold.
//!
//! Metrics, over all documents:
//! - span recall: required gold spans touched by at least one finding (of any kind);
//! - leak-free recall: required gold spans whose every letter and digit is covered by findings,
//!   i.e. nothing of the identifier would survive redaction;
//! - token precision and recall over word tokens (maximal runs of letters and digits): a token is
//!   gold when it overlaps a required gold span and predicted when it overlaps a finding. Tokens
//!   inside neutral gold only count for neither.
//!
//! Recall ignores the finding's kind (a name found as a place is still redacted), and so does
//! precision: a predicted token is correct when it is gold of any type. The per-kind table adds
//! "same-kind recall", the spans touched by a finding of the kind the gold maps to.
//!
//! Gold is required or neutral as [`mapping::classify`] decides.

use phirewall::{Finding, Kind};

use super::mapping::{self, Verdict};
use super::report::{KindScore, Report};
use super::GoldDoc;

/// A gold span that is not leak-free.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Miss {
    /// Index into [`GoldDoc::spans`].
    pub gold: usize,
    /// Whether some finding touches it (then it is partly covered).
    pub touched: bool,
    /// The kind its type maps to (`None`: unmapped).
    pub kind: Option<Kind>,
}

/// A finding that covers tokens outside required gold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FalsePositive {
    /// Index into the document's findings.
    pub finding: usize,
    /// Its tokens that are not gold (and not neutral).
    pub tokens: usize,
    /// Whether it also overlaps gold (required or neutral): it runs past an identifier rather
    /// than standing alone.
    pub overlaps_gold: bool,
}

/// What went wrong in one document, for the review file.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Required gold spans not leak-free, in gold order.
    pub misses: Vec<Miss>,
    /// Findings with false-positive tokens, in finding order.
    pub false_positives: Vec<FalsePositive>,
}

/// Scores the findings `found` (one list per document, as [`phirewall::Engine::detect_batch`]
/// returns them) against `docs`. Returns the report and, per document, its misses and false
/// positives.
pub fn evaluate(
    docs: &[GoldDoc],
    found: &[Vec<Finding>],
    safe_harbor: bool,
) -> (Report, Vec<Outcome>) {
    let mut r = Report::new(docs.len(), safe_harbor);
    let none = Vec::new();
    let outcomes = docs
        .iter()
        .enumerate()
        .map(|(i, doc)| score_doc(doc, found.get(i).unwrap_or(&none), safe_harbor, &mut r))
        .collect();
    r.finish();
    (r, outcomes)
}

/// Marks in the per-byte gold map: no gold, neutral gold, or required gold `i` as `i + 2`.
const NO_GOLD: u32 = 0;
const NEUTRAL: u32 = 1;

fn score_doc(doc: &GoldDoc, found: &[Finding], safe_harbor: bool, r: &mut Report) -> Outcome {
    let text = doc.text.as_str();
    let len = text.len();
    // Which finding covers each byte (index + 1; 0 = none). Spans are clamped so that a
    // finding can never index out of range, whatever its origin.
    let mut cover = vec![0u32; len];
    for (i, f) in found.iter().enumerate() {
        let (s, e) = (f.span.start.min(len), f.span.end.min(len));
        for b in cover.get_mut(s..e).unwrap_or_default() {
            *b = u32::try_from(i + 1).unwrap_or(u32::MAX);
        }
    }
    let verdicts: Vec<Verdict> = doc
        .spans
        .iter()
        .map(|g| mapping::classify(&g.gold_type, &g.text(text), safe_harbor))
        .collect();
    // Neutral first, so that required gold wins where the two overlap.
    let mut gold = vec![NO_GOLD; len];
    for required in [false, true] {
        for (i, (g, v)) in doc.spans.iter().zip(&verdicts).enumerate() {
            if matches!(v, Verdict::Required(_)) != required {
                continue;
            }
            let mark = if required {
                u32::try_from(i + 2).unwrap_or(u32::MAX)
            } else {
                NEUTRAL
            };
            for part in g.parts() {
                for b in gold.get_mut(part.range()).unwrap_or_default() {
                    *b = mark;
                }
            }
        }
    }
    let mut outcome = Outcome::default();
    for (i, (g, v)) in doc.spans.iter().zip(&verdicts).enumerate() {
        let kind = match *v {
            Verdict::Neutral(_) => {
                r.neutral_spans += 1;
                *r.neutral_by_type.entry(g.gold_type.clone()).or_default() += 1;
                continue;
            }
            Verdict::Required(kind) => kind,
        };
        let parts = g.parts();
        let covering = |b: usize| cover.get(b).copied().unwrap_or(0);
        let bytes = || parts.iter().flat_map(|p| p.range());
        let touched = bytes().any(|b| covering(b) != 0);
        let clean = parts.iter().all(|p| {
            text.get(p.range())
                .unwrap_or_default()
                .char_indices()
                .all(|(o, c)| !c.is_alphanumeric() || covering(p.start + o) != 0)
        });
        let same_kind = kind.is_some_and(|k| {
            bytes().any(|b| {
                let c = covering(b) as usize;
                c != 0 && found.get(c - 1).is_some_and(|f| f.kind == k)
            })
        });
        r.gold_spans += 1;
        r.found_spans += usize::from(touched);
        r.leak_free_spans += usize::from(clean);
        let ts = r.per_type.entry(g.gold_type.clone()).or_default();
        ts.kind = kind.map(|k| k.as_str().to_owned());
        ts.spans += 1;
        ts.found += usize::from(touched);
        ts.leak_free += usize::from(clean);
        match kind {
            Some(k) => {
                let ks = r.kind_mut(k);
                ks.gold_spans += 1;
                ks.found += usize::from(touched);
                ks.leak_free += usize::from(clean);
                ks.same_kind += usize::from(same_kind);
            }
            None => *r.unmapped_types.entry(g.gold_type.clone()).or_default() += 1,
        }
        if !clean {
            *r.misses_by_shape
                .entry(format!("{} {}", g.gold_type, shape(&g.text(text))))
                .or_default() += 1;
            outcome.misses.push(Miss {
                gold: i,
                touched,
                kind,
            });
        }
    }
    let mut fp_tokens = vec![0usize; found.len()];
    for tok in word_tokens(text) {
        let marks = gold.get(tok.clone()).unwrap_or_default();
        let gold_index = marks
            .iter()
            .find(|&&m| m > NEUTRAL)
            .map(|&m| m as usize - 2);
        let neutral = marks.contains(&NEUTRAL);
        let predicted = cover
            .get(tok)
            .unwrap_or_default()
            .iter()
            .find(|&&c| c != 0)
            .map(|&c| c as usize - 1);
        let predicted_kind = predicted.and_then(|p| found.get(p)).map(|f| f.kind);
        match (gold_index, neutral) {
            (Some(gi), _) => {
                let (Some(g), Some(&v)) = (doc.spans.get(gi), verdicts.get(gi)) else {
                    continue;
                };
                let ts = r.per_type.entry(g.gold_type.clone()).or_default();
                ts.tokens += 1;
                ts.tokens_found += usize::from(predicted.is_some());
                if let Verdict::Required(Some(k)) = v {
                    let ks = r.kind_mut(k);
                    ks.gold_tokens += 1;
                    ks.gold_tokens_found += usize::from(predicted.is_some());
                }
                if let Some(pk) = predicted_kind {
                    r.token_tp += 1;
                    let ks = r.kind_mut(pk);
                    ks.predicted_tokens += 1;
                    ks.predicted_tokens_gold += 1;
                } else {
                    r.token_fn += 1;
                }
            }
            (None, true) => {}
            (None, false) => {
                if let (Some(p), Some(pk)) = (predicted, predicted_kind) {
                    r.token_fp += 1;
                    *r.false_positives_by_kind
                        .entry(pk.as_str().to_owned())
                        .or_default() += 1;
                    r.kind_mut(pk).predicted_tokens += 1;
                    if let Some(n) = fp_tokens.get_mut(p) {
                        *n += 1;
                    }
                }
            }
        }
    }
    for (i, (&tokens, f)) in fp_tokens.iter().zip(found).enumerate() {
        if tokens == 0 {
            continue;
        }
        let span = f.span;
        let overlaps_gold = gold
            .get(span.start.min(len)..span.end.min(len))
            .unwrap_or_default()
            .iter()
            .any(|&m| m != NO_GOLD);
        outcome.false_positives.push(FalsePositive {
            finding: i,
            tokens,
            overlaps_gold,
        });
    }
    outcome
}

impl Report {
    fn kind_mut(&mut self, kind: Kind) -> &mut KindScore {
        self.per_kind.entry(kind.as_str().to_owned()).or_default()
    }
}

/// The shape of a text: letters become `X`/`x`, digits `d`, runs collapsed; other characters kept.
/// It says what kind of string was missed without saying which.
pub fn shape(s: &str) -> String {
    let mut out = String::new();
    let mut last = None;
    for c in s.chars() {
        let m = if c.is_uppercase() {
            'X'
        } else if c.is_alphabetic() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else if c.is_whitespace() {
            ' '
        } else {
            c
        };
        if Some(m) != last || !matches!(m, 'X' | 'x' | 'd' | ' ') {
            out.push(m);
        }
        last = Some(m);
    }
    out
}

/// Word tokens for scoring: maximal runs of letters and digits, as byte ranges.
fn word_tokens(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(s..text.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::GoldSpan;
    use super::*;
    use phirewall::{Engine, Span};

    fn doc(text: &str, spans: &[(&str, &str)]) -> GoldDoc {
        let spans = spans
            .iter()
            .map(|(t, ty)| {
                let s = text.find(t).expect("gold text is in the document");
                GoldSpan::new(s, s + t.len(), *ty)
            })
            .collect();
        GoldDoc {
            id: "d".into(),
            text: text.into(),
            spans,
        }
    }

    fn finding(text: &str, what: &str, kind: Kind) -> Finding {
        let s = text.find(what).expect("finding text is in the document");
        Finding {
            kind,
            span: Span::new(s, s + what.len()),
            score: 0.9,
            detector: "test",
        }
    }

    #[test]
    fn shapes_hide_content() {
        assert_eq!(shape("Hartwell Hospital"), "Xx Xx");
        assert_eq!(shape("7/22"), "d/d");
        assert_eq!(shape("O'Neil"), "X'Xx");
    }

    #[test]
    fn tokens_are_letter_and_digit_runs() {
        let text = "Dr. O'Neil, 3/4\u{e9}";
        let toks: Vec<&str> = word_tokens(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(toks, ["Dr", "O", "Neil", "3", "4\u{e9}"]);
    }

    #[test]
    fn counts_recall_leaks_and_false_positives_per_kind() {
        let text = "Ana Kowal seen 3/4/2069 by Bo Tenn at Elm Clinic, a nurse.";
        let d = doc(
            text,
            &[
                ("Ana Kowal", "PATIENT"),
                ("3/4/2069", "DATE"),
                ("Bo Tenn", "DOCTOR"),
                ("Elm Clinic", "HOSPITAL"),
                ("nurse", "PROFESSION"),
            ],
        );
        let found = vec![
            // Only "Kowal": touched but leaky.
            finding(text, "Kowal", Kind::Name),
            finding(text, "3/4/2069", Kind::Date),
            // Found, but as another kind, and running one token past the gold.
            finding(text, "Bo Tenn at", Kind::Location),
            // A finding on neutral gold is no false positive.
            finding(text, "nurse", Kind::Name),
            // A false positive on its own.
            finding(text, "seen", Kind::City),
        ];
        let (r, outcomes) = evaluate(&[d], &[found], false);
        assert_eq!(r.gold_spans, 4);
        assert_eq!(r.neutral_spans, 1);
        assert_eq!(r.found_spans, 3);
        assert_eq!(r.leak_free_spans, 2);
        assert!((r.span_recall - 0.75).abs() < 1e-9);
        assert!((r.leak_free_recall - 0.5).abs() < 1e-9);
        // Gold tokens: Ana Kowal 3 4 2069 Bo Tenn Elm Clinic = 9; found: Kowal 3 4 2069 Bo Tenn.
        assert_eq!((r.token_tp, r.token_fn, r.token_fp), (6, 3, 2));
        let name = &r.per_kind["NAME"];
        assert_eq!((name.gold_spans, name.found, name.leak_free), (2, 2, 1));
        assert_eq!(name.same_kind, 1);
        assert_eq!((name.gold_tokens, name.gold_tokens_found), (4, 3));
        // NAME findings: "Kowal" (gold); "nurse" is neutral and not counted.
        assert_eq!((name.predicted_tokens, name.predicted_tokens_gold), (1, 1));
        let loc = &r.per_kind["LOCATION"];
        assert_eq!((loc.gold_spans, loc.found, loc.same_kind), (1, 0, 0));
        assert_eq!((loc.predicted_tokens, loc.predicted_tokens_gold), (3, 2));
        assert_eq!(loc.token_precision, Some(2.0 / 3.0));
        assert_eq!(r.per_kind["CITY"].token_precision, Some(0.0));
        assert_eq!(r.per_kind["CITY"].span_recall, None);
        assert_eq!(r.false_positives_by_kind["CITY"], 1);
        assert_eq!(r.neutral_by_type["PROFESSION"], 1);

        let o = &outcomes[0];
        assert_eq!(
            o.misses,
            [
                Miss {
                    gold: 0,
                    touched: true,
                    kind: Some(Kind::Name)
                },
                Miss {
                    gold: 3,
                    touched: false,
                    kind: Some(Kind::Location)
                }
            ]
        );
        assert_eq!(
            o.false_positives,
            [
                FalsePositive {
                    finding: 2,
                    tokens: 1,
                    overlaps_gold: true
                },
                FalsePositive {
                    finding: 4,
                    tokens: 1,
                    overlaps_gold: false
                }
            ]
        );
    }

    #[test]
    fn discontinuous_gold_scores_only_its_pieces() {
        let text = "Drs. Ana and Bo Tenn";
        let d = GoldDoc {
            id: "d".into(),
            text: text.into(),
            spans: vec![GoldSpan {
                start: 5,
                end: 20,
                gold_type: "DOCTOR".into(),
                fragments: vec![Span::new(5, 8), Span::new(16, 20)],
            }],
        };
        // "Ana" and "Tenn" covered; "and Bo" between the pieces is not gold.
        let found = vec![
            finding(text, "Ana", Kind::Name),
            finding(text, "Tenn", Kind::Name),
        ];
        let (r, _) = evaluate(std::slice::from_ref(&d), &[found], false);
        assert_eq!((r.gold_spans, r.leak_free_spans), (1, 1));
        assert_eq!((r.token_tp, r.token_fn, r.token_fp), (2, 0, 0));
        // A finding on "and" is a false positive: it is between the pieces.
        let found = vec![finding(text, "Ana and", Kind::Name)];
        let (r, _) = evaluate(&[d], &[found], false);
        assert_eq!((r.found_spans, r.leak_free_spans), (1, 0));
        assert_eq!((r.token_tp, r.token_fn, r.token_fp), (1, 1, 1));
    }

    #[test]
    fn safe_harbor_view_makes_years_and_young_ages_neutral() {
        let engine = Engine::new().expect("engine");
        let text = "Pt 92 yo, sister 67 yo, year 1990, seen by team.";
        let d = doc(text, &[("92", "Age"), ("67", "AGE"), ("1990", "DateYear")]);
        let found = engine.detect_batch(&[text]);
        let (strict, _) = evaluate(std::slice::from_ref(&d), &found, false);
        assert_eq!(strict.gold_spans, 3);
        assert_eq!(strict.per_type["Age"].leak_free, 1);
        let (sh, _) = evaluate(&[d], &found, true);
        assert_eq!(sh.gold_spans, 1);
        assert_eq!(sh.neutral_spans, 2);
        assert!((sh.leak_free_recall - 1.0).abs() < 1e-9);
        assert_eq!(sh.token_fp, 0);
    }

    #[test]
    fn unmapped_types_count_as_phi_and_are_listed() {
        let text = "Given Zorvex daily.";
        let d = doc(text, &[("Zorvex", "Drug")]);
        let (r, o) = evaluate(&[d], &[Vec::new()], true);
        assert_eq!(r.gold_spans, 1);
        assert_eq!(r.unmapped_types["Drug"], 1);
        assert_eq!(o[0].misses[0].kind, None);
    }
}
