//! The evaluation report: counts, ratios and shapes, never document text, so it can be printed,
//! logged and shared. Written as a table or, with `--json`, as one JSON object.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use phirewall::Kind;
use serde::Serialize;

/// Counts for one gold type (as the corpus names it), over its required spans.
#[derive(Debug, Default, Clone, Serialize)]
pub struct TypeScore {
    /// The kind it maps to; `None` when unmapped.
    pub kind: Option<String>,
    /// Required gold spans of this type.
    pub spans: usize,
    /// Of those, touched by a finding.
    pub found: usize,
    /// Of those, fully covered (no letter or digit left).
    pub leak_free: usize,
    /// Gold tokens of this type.
    pub tokens: usize,
    /// Of those, covered by a finding.
    pub tokens_found: usize,
}

/// Counts and ratios for one of our kinds. Gold counts are of gold mapped to this kind;
/// predicted counts are of tokens covered by findings of this kind. Ratios are `None` (JSON
/// `null`) when there is nothing to divide by.
#[derive(Debug, Default, Clone, Serialize)]
pub struct KindScore {
    /// Required gold spans mapped to this kind.
    pub gold_spans: usize,
    /// Of those, touched by a finding of any kind.
    pub found: usize,
    /// Of those, fully covered by findings of any kind.
    pub leak_free: usize,
    /// Of those, touched by a finding of this very kind.
    pub same_kind: usize,
    /// Gold tokens mapped to this kind.
    pub gold_tokens: usize,
    /// Of those, covered by a finding of any kind.
    pub gold_tokens_found: usize,
    /// Tokens covered by findings of this kind (tokens in neutral gold excluded).
    pub predicted_tokens: usize,
    /// Of those, inside required gold of any type.
    pub predicted_tokens_gold: usize,
    /// `found / gold_spans`.
    pub span_recall: Option<f64>,
    /// `leak_free / gold_spans`.
    pub leak_free_recall: Option<f64>,
    /// `same_kind / gold_spans`.
    pub same_kind_recall: Option<f64>,
    /// `predicted_tokens_gold / predicted_tokens`.
    pub token_precision: Option<f64>,
    /// `gold_tokens_found / gold_tokens`.
    pub token_recall: Option<f64>,
}

/// The evaluation result.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Report {
    /// Documents scored.
    pub records: usize,
    /// Whether this is the Safe Harbor view (years alone and ages up to 89 neutral).
    pub safe_harbor: bool,
    /// Gold spans required.
    pub gold_spans: usize,
    /// Of those, touched by a finding.
    pub found_spans: usize,
    /// Of those, fully covered.
    pub leak_free_spans: usize,
    /// Gold spans that were neutral (not required, and no false positive when found).
    pub neutral_spans: usize,
    /// Span recall: `found_spans / gold_spans`.
    pub span_recall: f64,
    /// Leak-free recall: `leak_free_spans / gold_spans`.
    pub leak_free_recall: f64,
    /// Token precision.
    pub token_precision: f64,
    /// Token recall.
    pub token_recall: f64,
    /// Token true positives.
    pub token_tp: usize,
    /// Token false positives.
    pub token_fp: usize,
    /// Token false negatives.
    pub token_fn: usize,
    /// Per gold type, as the corpus names it (required spans only).
    pub per_type: BTreeMap<String, TypeScore>,
    /// Per kind of ours (every kind; see [`KindScore`]).
    pub per_kind: BTreeMap<String, KindScore>,
    /// Neutral gold spans by gold type.
    pub neutral_by_type: BTreeMap<String, usize>,
    /// Gold types the mapping does not know, with their span counts. They are counted as PHI.
    pub unmapped_types: BTreeMap<String, usize>,
    /// False-positive tokens by the kind of finding that covered them.
    pub false_positives_by_kind: BTreeMap<String, usize>,
    /// Missed (not leak-free) gold spans by type and shape, e.g. `Location Xxxx`.
    pub misses_by_shape: BTreeMap<String, usize>,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

fn maybe_ratio(a: usize, b: usize) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

fn cell(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_owned(), |x| format!("{x:.4}"))
}

impl Report {
    /// An empty report for `records` documents.
    pub fn new(records: usize, safe_harbor: bool) -> Report {
        let per_kind = Kind::ALL
            .iter()
            .map(|k| (k.as_str().to_owned(), KindScore::default()))
            .collect();
        Report {
            records,
            safe_harbor,
            per_kind,
            ..Report::default()
        }
    }

    /// Computes the ratios from the counts.
    pub fn finish(&mut self) {
        self.span_recall = ratio(self.found_spans, self.gold_spans);
        self.leak_free_recall = ratio(self.leak_free_spans, self.gold_spans);
        self.token_precision = ratio(self.token_tp, self.token_tp + self.token_fp);
        self.token_recall = ratio(self.token_tp, self.token_tp + self.token_fn);
        for k in self.per_kind.values_mut() {
            k.span_recall = maybe_ratio(k.found, k.gold_spans);
            k.leak_free_recall = maybe_ratio(k.leak_free, k.gold_spans);
            k.same_kind_recall = maybe_ratio(k.same_kind, k.gold_spans);
            k.token_precision = maybe_ratio(k.predicted_tokens_gold, k.predicted_tokens);
            k.token_recall = maybe_ratio(k.gold_tokens_found, k.gold_tokens);
        }
    }

    /// A human-readable report; `misses` is how many of the most frequent missed shapes to list.
    pub fn table(&self, misses: usize) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "records {}  gold spans {} (+{} neutral)  safe-harbor view: {}",
            self.records,
            self.gold_spans,
            self.neutral_spans,
            if self.safe_harbor { "yes" } else { "no" }
        );
        let _ = writeln!(
            s,
            "span recall {:.4}  leak-free recall {:.4}  token precision {:.4}  token recall {:.4}  (tokens tp {} fp {} fn {})",
            self.span_recall,
            self.leak_free_recall,
            self.token_precision,
            self.token_recall,
            self.token_tp,
            self.token_fp,
            self.token_fn
        );
        let _ = writeln!(
            s,
            "\n{:<16} {:>6} {:>8} {:>10} {:>10} {:>10} {:>10}",
            "kind", "spans", "recall", "leak-free", "same-kind", "tok prec", "tok recall"
        );
        for kind in Kind::ALL {
            let Some(k) = self.per_kind.get(kind.as_str()) else {
                continue;
            };
            if k.gold_spans == 0 && k.predicted_tokens == 0 {
                continue;
            }
            let _ = writeln!(
                s,
                "{:<16} {:>6} {:>8} {:>10} {:>10} {:>10} {:>10}",
                kind.as_str(),
                k.gold_spans,
                cell(k.span_recall),
                cell(k.leak_free_recall),
                cell(k.same_kind_recall),
                cell(k.token_precision),
                cell(k.token_recall),
            );
        }
        let _ = writeln!(
            s,
            "(kinds with neither gold nor findings are left out; `-` = nothing to divide by)"
        );
        let _ = writeln!(
            s,
            "\n{:<20} {:<15} {:>6} {:>12} {:>16} {:>13}",
            "gold type", "kind", "spans", "span recall", "leak-free recall", "token recall"
        );
        for (t, ts) in &self.per_type {
            let _ = writeln!(
                s,
                "{:<20} {:<15} {:>6} {:>12.4} {:>16.4} {:>13.4}",
                t,
                ts.kind.as_deref().unwrap_or("(unmapped)"),
                ts.spans,
                ratio(ts.found, ts.spans),
                ratio(ts.leak_free, ts.spans),
                ratio(ts.tokens_found, ts.tokens)
            );
        }
        if !self.neutral_by_type.is_empty() {
            let list: Vec<String> = self
                .neutral_by_type
                .iter()
                .map(|(t, n)| format!("{t} {n}"))
                .collect();
            let _ = writeln!(s, "\nneutral gold spans: {}", list.join(", "));
        }
        if !self.unmapped_types.is_empty() {
            let list: Vec<&str> = self.unmapped_types.keys().map(String::as_str).collect();
            let _ = writeln!(
                s,
                "\nunmapped gold types (counted as PHI; see docs/eval.md): {}",
                list.join(", ")
            );
        }
        if !self.false_positives_by_kind.is_empty() {
            let _ = writeln!(s, "\nfalse-positive tokens by finding kind:");
            for (k, n) in &self.false_positives_by_kind {
                let _ = writeln!(s, "  {k:<16} {n}");
            }
        }
        if misses > 0 && !self.misses_by_shape.is_empty() {
            let mut worst: Vec<_> = self.misses_by_shape.iter().collect();
            worst.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            let _ = writeln!(s, "\nworst misses by type and shape:");
            for (k, n) in worst.into_iter().take(misses) {
                let _ = writeln!(s, "  {n:>5}  {k}");
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_lists_active_kinds_and_json_lists_all() {
        let mut r = Report::new(1, true);
        r.gold_spans = 2;
        r.found_spans = 1;
        r.leak_free_spans = 1;
        if let Some(k) = r.per_kind.get_mut("NAME") {
            k.gold_spans = 2;
            k.found = 1;
            k.leak_free = 1;
        }
        r.unmapped_types.insert("Drug".into(), 1);
        r.finish();
        let table = r.table(5);
        assert!(table.contains("span recall 0.5000"), "{table}");
        assert!(table.contains("\nNAME "), "{table}");
        assert!(!table.contains("\nPHONE "), "{table}");
        assert!(table.contains("unmapped gold types (counted as PHI; see docs/eval.md): Drug"));
        let json: serde_json::Value =
            serde_json::from_str(&serde_json::to_string(&r).expect("serializes")).expect("json");
        assert_eq!(json["per_kind"]["NAME"]["span_recall"], 0.5);
        assert!(json["per_kind"]["PHONE"]["span_recall"].is_null());
        assert_eq!(
            json["per_kind"].as_object().map(|o| o.len()),
            Some(Kind::ALL.len())
        );
    }
}
