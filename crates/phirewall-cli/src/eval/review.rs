//! The review file: every miss and false positive with the text around it, for a human to read.
//!
//! This is the one output of `eval` that holds corpus text, on purpose: a reviewer cannot judge
//! a miss from its shape. It is written only to the file named by `--review`, never to stdout or
//! stderr, and should be kept where the gold corpus is kept.
//!
//! Entries come per document in text order. Offsets are character offsets into the document text
//! (as the gold formats count). JSON Lines entries:
//!
//! ```text
//! {"doc": "1:5", "what": "partial", "gold_type": "HCPName", "kind": "NAME", "start": 77, "end": 89,
//!  "text": "...", "before": "...", "after": "...", "leaked": ["..."]}
//! {"doc": "1:5", "what": "false_positive", "kind": "DATE", "detector": "date.numeric",
//!  "score": 0.6, "overlaps_gold": false, "start": 90, "end": 94, "text": "...", "before": "...",
//!  "after": "..."}
//! ```
//!
//! `what` is `missed` (no finding touches the gold), `partial` (letters or digits of it are left;
//! `leaked` lists the uncovered pieces) or `false_positive` (a finding that covers tokens outside
//! the gold; `overlaps_gold` says whether it also covers gold, i.e. runs past an identifier).
//! The text format shows the same, one entry per paragraph, with line breaks and tabs escaped
//! (`\n`, `\t`) and the entry marked `[[...]]` inside its context.

use std::io::{self, Write};

use phirewall::{Finding, Span};
use serde::Serialize;

use super::score::Outcome;
use super::{CharOffsets, GoldDoc, ReviewFormat};

/// How to write the review file.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// JSON Lines or text.
    pub format: ReviewFormat,
    /// Characters of context on each side.
    pub context: usize,
}

#[derive(Serialize)]
struct Entry<'a> {
    doc: &'a str,
    what: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    gold_type: Option<&'a str>,
    kind: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    detector: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    score: Option<f32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    overlaps_gold: Option<bool>,
    start: usize,
    end: usize,
    text: String,
    before: &'a str,
    after: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    leaked: Vec<&'a str>,
}

/// Writes the review of `docs` (with their findings and outcomes, in the same order) to `w`.
pub fn write(
    w: &mut impl Write,
    docs: &[GoldDoc],
    found: &[Vec<Finding>],
    outcomes: &[Outcome],
    options: &Options,
) -> io::Result<()> {
    let none = Vec::new();
    for (i, (doc, outcome)) in docs.iter().zip(outcomes).enumerate() {
        let findings = found.get(i).unwrap_or(&none);
        let chars = CharOffsets::new(&doc.text);
        let mut entries: Vec<(usize, Entry<'_>)> = Vec::new();
        for miss in &outcome.misses {
            let Some(gold) = doc.spans.get(miss.gold) else {
                continue;
            };
            let span = Span::new(gold.start, gold.end);
            entries.push((
                gold.start,
                Entry {
                    doc: &doc.id,
                    what: if miss.touched { "partial" } else { "missed" },
                    gold_type: Some(&gold.gold_type),
                    kind: miss.kind.map(|k| k.as_str()),
                    detector: None,
                    score: None,
                    overlaps_gold: None,
                    start: chars.char_index(gold.start),
                    end: chars.char_index(gold.end),
                    text: gold.text(&doc.text).into_owned(),
                    before: before(&doc.text, span.start, options.context),
                    after: after(&doc.text, span.end, options.context),
                    // A full miss leaks all of it; list the pieces only when some are covered.
                    leaked: if miss.touched {
                        leaked(&doc.text, &gold.parts(), findings)
                    } else {
                        Vec::new()
                    },
                },
            ));
        }
        for fp in &outcome.false_positives {
            let Some(f) = findings.get(fp.finding) else {
                continue;
            };
            let Some(text) = doc.text.get(f.span.range()) else {
                continue;
            };
            entries.push((
                f.span.start,
                Entry {
                    doc: &doc.id,
                    what: "false_positive",
                    gold_type: None,
                    kind: Some(f.kind.as_str()),
                    detector: Some(f.detector),
                    score: Some(f.score),
                    overlaps_gold: Some(fp.overlaps_gold),
                    start: chars.char_index(f.span.start),
                    end: chars.char_index(f.span.end),
                    text: text.to_owned(),
                    before: before(&doc.text, f.span.start, options.context),
                    after: after(&doc.text, f.span.end, options.context),
                    leaked: Vec::new(),
                },
            ));
        }
        entries.sort_by_key(|(start, _)| *start);
        for (_, e) in &entries {
            match options.format {
                ReviewFormat::Jsonl => {
                    serde_json::to_writer(&mut *w, e)?;
                    w.write_all(b"\n")?;
                }
                ReviewFormat::Text => write_text(w, e)?,
            }
        }
    }
    Ok(())
}

fn write_text(w: &mut impl Write, e: &Entry<'_>) -> io::Result<()> {
    let label = match (e.gold_type, e.kind) {
        (Some(t), Some(k)) => format!("{t} ({k})"),
        (Some(t), None) => format!("{t} (unmapped)"),
        (None, k) => format!(
            "{} by {}{}",
            k.unwrap_or("?"),
            e.detector.unwrap_or("?"),
            if e.overlaps_gold == Some(true) {
                ", runs past gold"
            } else {
                ""
            }
        ),
    };
    writeln!(
        w,
        "{}  {}  {}  chars {}..{}",
        e.doc, e.what, label, e.start, e.end
    )?;
    writeln!(
        w,
        "    {}[[{}]]{}",
        escape(e.before),
        escape(&e.text),
        escape(e.after)
    )?;
    if !e.leaked.is_empty() {
        let leaked: Vec<String> = e.leaked.iter().map(|l| escape(l)).collect();
        writeln!(w, "    leaked: {}", leaked.join(" | "))?;
    }
    writeln!(w)
}

/// Line breaks and tabs as `\n`, `\r`, `\t`, so that each entry keeps its shape.
fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
        .replace('\t', "\\t")
}

/// Up to `n` characters of `text` before byte `at`.
fn before(text: &str, at: usize, n: usize) -> &str {
    let head = text.get(..at).unwrap_or_default();
    let start = head
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    if n == 0 {
        ""
    } else {
        head.get(start..).unwrap_or_default()
    }
}

/// Up to `n` characters of `text` after byte `at`.
fn after(text: &str, at: usize, n: usize) -> &str {
    let tail = text.get(at..).unwrap_or_default();
    let end = tail.char_indices().nth(n).map_or(tail.len(), |(i, _)| i);
    tail.get(..end).unwrap_or_default()
}

/// The pieces of the gold `parts` whose letters or digits no finding covers: what would survive
/// redaction. Each piece runs from its first uncovered letter or digit to its last.
fn leaked<'a>(text: &'a str, parts: &[Span], findings: &[Finding]) -> Vec<&'a str> {
    let covered = |b: usize| findings.iter().any(|f| f.span.start <= b && b < f.span.end);
    let mut out = Vec::new();
    for part in parts {
        let Some(slice) = text.get(part.range()) else {
            continue;
        };
        let mut run: Option<(usize, usize)> = None;
        for (o, c) in slice.char_indices() {
            let b = part.start + o;
            if covered(b) {
                if let Some((s, e)) = run.take() {
                    out.push(text.get(s..e).unwrap_or_default());
                }
            } else if c.is_alphanumeric() {
                let e = b + c.len_utf8();
                run = Some(run.map_or((b, e), |(s, _)| (s, e)));
            }
        }
        if let Some((s, e)) = run {
            out.push(text.get(s..e).unwrap_or_default());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::score::evaluate;
    use super::super::GoldSpan;
    use super::*;
    use phirewall::Kind;

    fn finding(text: &str, what: &str, kind: Kind) -> Finding {
        let s = text.find(what).expect("in text");
        Finding {
            kind,
            span: Span::new(s, s + what.len()),
            score: 0.5,
            detector: "test.rule",
        }
    }

    fn review(format: ReviewFormat, context: usize) -> String {
        // Synthetic note; invented names.
        let text = "Pt Zo\u{eb} Kowal\nseen by Dr. Bo Tenn at noon.";
        let gold = |t: &str, ty: &str| {
            let s = text.find(t).expect("in text");
            GoldSpan::new(s, s + t.len(), ty)
        };
        let doc = GoldDoc {
            id: "7-01".into(),
            text: text.into(),
            spans: vec![gold("Zo\u{eb} Kowal", "PATIENT"), gold("Bo Tenn", "DOCTOR")],
        };
        let found = vec![vec![
            finding(text, "Kowal", Kind::Name),
            finding(text, "noon", Kind::Date),
        ]];
        let (_, outcomes) = evaluate(std::slice::from_ref(&doc), &found, true);
        let mut out = Vec::new();
        write(
            &mut out,
            &[doc],
            &found,
            &outcomes,
            &Options { format, context },
        )
        .expect("writes");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn jsonl_review_has_context_offsets_and_leaks() {
        let out = review(ReviewFormat::Jsonl, 8);
        let lines: Vec<serde_json::Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).expect("json line"))
            .collect();
        assert_eq!(lines.len(), 3);
        let partial = &lines[0];
        assert_eq!(partial["doc"], "7-01");
        assert_eq!(partial["what"], "partial");
        assert_eq!(partial["gold_type"], "PATIENT");
        assert_eq!(partial["kind"], "NAME");
        // Character offsets: "Zo\u{eb}" is 3 characters (4 bytes).
        assert_eq!(
            (partial["start"].as_u64(), partial["end"].as_u64()),
            (Some(3), Some(12))
        );
        assert_eq!(partial["text"], "Zo\u{eb} Kowal");
        assert_eq!(partial["before"], "Pt ");
        assert_eq!(partial["after"], "\nseen by");
        assert_eq!(partial["leaked"], serde_json::json!(["Zo\u{eb}"]));
        let missed = &lines[1];
        assert_eq!(missed["what"], "missed");
        assert_eq!(missed["text"], "Bo Tenn");
        assert_eq!(missed["before"], " by Dr. ");
        let fp = &lines[2];
        assert_eq!(fp["what"], "false_positive");
        assert_eq!(fp["kind"], "DATE");
        assert_eq!(fp["detector"], "test.rule");
        assert_eq!(fp["overlaps_gold"], false);
        assert_eq!(fp["text"], "noon");
        assert_eq!(fp["after"], ".");
    }

    #[test]
    fn text_review_escapes_line_breaks() {
        let out = review(ReviewFormat::Text, 40);
        let expected = "7-01  partial  PATIENT (NAME)  chars 3..12\n    \
                        Pt [[Zo\u{eb} Kowal]]\\nseen by Dr. Bo Tenn at noon.\n    \
                        leaked: Zo\u{eb}\n\n";
        assert!(out.starts_with(expected), "{out}");
        assert!(
            out.contains("7-01  false_positive  DATE by test.rule  chars 36..40\n"),
            "{out}"
        );
        assert_eq!(out.matches("[[").count(), 3);
    }

    #[test]
    fn context_windows_count_characters() {
        let text = "\u{e9}\u{e9}abc\u{e9}\u{e9}";
        assert_eq!(before(text, 4, 1), "\u{e9}");
        assert_eq!(before(text, 4, 9), "\u{e9}\u{e9}");
        assert_eq!(before(text, 4, 0), "");
        assert_eq!(after(text, 7, 1), "\u{e9}");
        assert_eq!(after(text, 7, 9), "\u{e9}\u{e9}");
        assert_eq!(after(text, 7, 0), "");
    }
}
