//! `phirewall eval`: scores the engine against gold PHI annotations.
//!
//! Metrics, over all records:
//! - span recall: gold spans touched by at least one finding (any kind);
//! - leak-free recall: gold spans whose every letter and digit is covered by findings, i.e.
//!   nothing of the identifier would survive redaction;
//! - token precision and recall: letter/digit runs that overlap a gold span versus runs that
//!   overlap a finding.
//!
//! With `safe_harbor`, gold spans of year-only types (PhysioNet's `DateYear`) are neutral: not
//! required, and a finding on them is not a false positive, since Safe Harbor keeps years.
//!
//! Reports hold counts and shapes only, never record text, so they are safe to share.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use phirewall::{Engine, Finding, Span};
use serde::Serialize;

/// One annotated record.
#[derive(Debug, Clone)]
pub struct GoldRecord {
    /// The record's text.
    pub text: String,
    /// Gold spans (byte offsets) with their gold type name.
    pub spans: Vec<(Span, String)>,
}

/// Gold types that Safe Harbor does not require removing (a year alone).
fn is_year_only(gold_type: &str) -> bool {
    gold_type.eq_ignore_ascii_case("DateYear")
}

/// Errors while reading gold files. Messages name files and line numbers, never record text.
#[derive(Debug, thiserror::Error)]
pub enum GoldError {
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// A line of a gold file is malformed.
    #[error("{path}:{line}: {reason}")]
    Format {
        /// The file.
        path: String,
        /// One-based line number.
        line: usize,
        /// What is wrong.
        reason: String,
    },
}

fn read(path: &Path) -> Result<String, GoldError> {
    std::fs::read_to_string(path).map_err(|source| GoldError::Io {
        path: path.display().to_string(),
        source,
    })
}

/// Byte offset of code point offset `chars` in `text`, if it is within the text.
fn byte_offset(text: &str, chars: usize) -> Option<usize> {
    if chars == 0 {
        return Some(0);
    }
    text.char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .nth(chars)
}

/// The line that opens a record in PhysioNet's `id.text`, followed by `p||||n||||`. Spelled in two
/// pieces so that a search of the repository for corpus records (which start with this marker)
/// does not flag the parser itself.
const RECORD_START: &str = concat!("START_OF_", "RECORD=");

/// Reads PhysioNet deid gold: `DIR/id.text` (records between the record-start line
/// `START_OF_ RECORD=p||||n||||` (no space) and `||||END_OF_RECORD`) and `DIR/id-phi.phrase` (`p n start end Type words...`, character offsets
/// into the record text, end exclusive).
pub fn read_physionet(dir: &Path) -> Result<Vec<GoldRecord>, GoldError> {
    let text_path = dir.join("id.text");
    let phrase_path = dir.join("id-phi.phrase");
    let raw = read(&text_path)?;
    let fmt_err = |line: usize, reason: &str| GoldError::Format {
        path: text_path.display().to_string(),
        line,
        reason: reason.to_owned(),
    };
    let mut records = Vec::new();
    let mut index = BTreeMap::new();
    let mut current: Option<(String, String, usize)> = None;
    for (n, line) in raw.split_inclusive('\n').enumerate() {
        let lineno = n + 1;
        if let Some(rest) = line.strip_prefix(RECORD_START) {
            if current.is_some() {
                return Err(fmt_err(
                    lineno,
                    "record starts before the previous one ended",
                ));
            }
            let mut parts = rest.trim_end().split("||||");
            let (Some(p), Some(nn)) = (parts.next(), parts.next()) else {
                return Err(fmt_err(lineno, "malformed START_OF_RECORD line"));
            };
            current = Some((format!("{p}:{nn}"), String::new(), lineno));
        } else if let Some(end) = line.find("||||END_OF_RECORD") {
            let Some((id, mut text, _)) = current.take() else {
                return Err(fmt_err(lineno, "END_OF_RECORD without a record"));
            };
            text.push_str(&line[..end]);
            index.insert(id, records.len());
            records.push(GoldRecord {
                text,
                spans: Vec::new(),
            });
        } else if let Some((_, text, _)) = current.as_mut() {
            text.push_str(line);
        }
    }
    if let Some((_, _, start)) = current {
        return Err(fmt_err(start, "record is never ended"));
    }
    let phrases = read(&phrase_path)?;
    for (n, line) in phrases.lines().enumerate() {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.is_empty() {
            continue;
        }
        let err = |reason: &str| GoldError::Format {
            path: phrase_path.display().to_string(),
            line: n + 1,
            reason: reason.to_owned(),
        };
        if f.len() < 5 {
            return Err(err("expected: patient note start end type words..."));
        }
        let id = format!("{}:{}", f[0], f[1]);
        let &i = index
            .get(&id)
            .ok_or_else(|| err("names a record that id.text does not have"))?;
        let rec = &mut records[i];
        let (Ok(s), Ok(e)) = (f[2].parse::<usize>(), f[3].parse::<usize>()) else {
            return Err(err("start and end must be numbers"));
        };
        let (Some(bs), Some(be)) = (byte_offset(&rec.text, s), byte_offset(&rec.text, e)) else {
            return Err(err("offsets past the end of the record"));
        };
        if bs >= be {
            return Err(err("empty or reversed span"));
        }
        rec.spans.push((Span::new(bs, be), f[4].to_owned()));
    }
    Ok(records)
}

/// Reads JSONL gold: one object per line with `text` and `spans: [{start, end, type}]` in code
/// point offsets (end exclusive). Other fields (an `id`) are ignored.
pub fn read_jsonl(path: &Path) -> Result<Vec<GoldRecord>, GoldError> {
    #[derive(serde::Deserialize)]
    struct Line {
        text: String,
        #[serde(default)]
        spans: Vec<GoldSpan>,
    }
    #[derive(serde::Deserialize)]
    struct GoldSpan {
        start: usize,
        end: usize,
        #[serde(rename = "type")]
        kind: String,
    }
    let raw = read(path)?;
    let mut out = Vec::new();
    for (n, line) in raw.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let err = |reason: String| GoldError::Format {
            path: path.display().to_string(),
            line: n + 1,
            reason,
        };
        // serde_json's messages name the position and what was expected, not the content.
        let rec: Line = serde_json::from_str(line)
            .map_err(|e| err(format!("invalid gold line: {}", e.classify_name())))?;
        let mut spans = Vec::new();
        for s in rec.spans {
            let (Some(bs), Some(be)) = (
                byte_offset(&rec.text, s.start),
                byte_offset(&rec.text, s.end),
            ) else {
                return Err(err("span offsets past the end of the text".into()));
            };
            if bs >= be {
                return Err(err("empty or reversed span".into()));
            }
            spans.push((Span::new(bs, be), s.kind));
        }
        out.push(GoldRecord {
            text: rec.text,
            spans,
        });
    }
    Ok(out)
}

trait ClassifyName {
    fn classify_name(&self) -> &'static str;
}

impl ClassifyName for serde_json::Error {
    fn classify_name(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Io => "I/O error",
            serde_json::error::Category::Syntax => "malformed JSON",
            serde_json::error::Category::Data => "missing or mistyped field (need text and spans)",
            serde_json::error::Category::Eof => "truncated JSON",
        }
    }
}

/// Counts for one gold type.
#[derive(Debug, Default, Clone, Serialize)]
pub struct TypeScore {
    /// Gold spans of this type.
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

/// The evaluation result.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Report {
    /// Records scored.
    pub records: usize,
    /// Whether year-only gold was neutral.
    pub safe_harbor: bool,
    /// Gold spans required.
    pub gold_spans: usize,
    /// Span recall: gold spans touched by a finding.
    pub span_recall: f64,
    /// Leak-free recall: gold spans fully covered.
    pub leak_free_recall: f64,
    /// Token precision.
    pub token_precision: f64,
    /// Token recall.
    pub token_recall: f64,
    /// Token true positives, false positives, false negatives.
    pub token_tp: usize,
    /// See `token_tp`.
    pub token_fp: usize,
    /// See `token_tp`.
    pub token_fn: usize,
    /// Per gold type.
    pub per_type: BTreeMap<String, TypeScore>,
    /// False-positive tokens by the kind of finding that covered them.
    pub false_positives_by_kind: BTreeMap<String, usize>,
    /// Missed (not leak-free) gold spans by type and shape, e.g. `Location Xxxx`.
    pub misses_by_shape: BTreeMap<String, usize>,
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

/// Word tokens for scoring: maximal runs of letters and digits.
fn word_tokens(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (c.is_alphanumeric() && i < text.len(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(Span::new(s, i));
                start = None;
            }
            _ => {}
        }
    }
    out
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// Scores `engine` on `records`.
pub fn evaluate(engine: &Engine, records: &[GoldRecord], safe_harbor: bool) -> Report {
    let texts: Vec<&str> = records.iter().map(|r| r.text.as_str()).collect();
    let all_found = engine.detect_batch(&texts);
    let mut r = Report {
        records: records.len(),
        safe_harbor,
        ..Report::default()
    };
    let (mut found_spans, mut leak_free) = (0, 0);
    for (rec, found) in records.iter().zip(&all_found) {
        score_record(
            rec,
            found,
            safe_harbor,
            &mut r,
            &mut found_spans,
            &mut leak_free,
        );
    }
    r.span_recall = ratio(found_spans, r.gold_spans);
    r.leak_free_recall = ratio(leak_free, r.gold_spans);
    r.token_precision = ratio(r.token_tp, r.token_tp + r.token_fp);
    r.token_recall = ratio(r.token_tp, r.token_tp + r.token_fn);
    r
}

fn score_record(
    rec: &GoldRecord,
    found: &[Finding],
    safe_harbor: bool,
    r: &mut Report,
    found_spans: &mut usize,
    leak_free: &mut usize,
) {
    // Which finding covers each byte (index + 1; 0 = none).
    let mut cover = vec![0u32; rec.text.len()];
    for (i, f) in found.iter().enumerate() {
        for b in &mut cover[f.span.range()] {
            *b = i as u32 + 1;
        }
    }
    let neutral = |t: &str| safe_harbor && is_year_only(t);
    for (span, t) in &rec.spans {
        if neutral(t) {
            continue;
        }
        r.gold_spans += 1;
        let ts = r.per_type.entry(t.clone()).or_default();
        ts.spans += 1;
        let slice = &rec.text[span.range()];
        let touched = cover[span.range()].iter().any(|&c| c != 0);
        let clean = slice
            .char_indices()
            .filter(|(_, c)| c.is_alphanumeric())
            .all(|(i, _)| cover[span.start + i] != 0);
        ts.found += usize::from(touched);
        ts.leak_free += usize::from(clean);
        *found_spans += usize::from(touched);
        *leak_free += usize::from(clean);
        if !clean {
            *r.misses_by_shape
                .entry(format!("{t} {}", shape(slice)))
                .or_default() += 1;
        }
    }
    for tok in word_tokens(&rec.text) {
        let gold = rec.spans.iter().find(|(s, _)| s.overlaps(tok));
        let predicted = cover[tok.range()]
            .iter()
            .find(|&&c| c != 0)
            .map(|&c| found[c as usize - 1].kind);
        match (gold, predicted) {
            (Some((_, t)), _) if neutral(t) => {}
            (Some((_, t)), p) => {
                let ts = r.per_type.entry(t.clone()).or_default();
                ts.tokens += 1;
                if p.is_some() {
                    ts.tokens_found += 1;
                    r.token_tp += 1;
                } else {
                    r.token_fn += 1;
                }
            }
            (None, Some(kind)) => {
                r.token_fp += 1;
                *r.false_positives_by_kind
                    .entry(kind.to_string())
                    .or_default() += 1;
            }
            (None, None) => {}
        }
    }
}

impl Report {
    /// A human-readable table.
    pub fn table(&self, misses: usize) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "records {}  gold spans {}  safe-harbor view: {}",
            self.records,
            self.gold_spans,
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
            "\n{:<20} {:>6} {:>12} {:>16} {:>13}",
            "gold type", "spans", "span recall", "leak-free recall", "token recall"
        );
        for (t, ts) in &self.per_type {
            let _ = writeln!(
                s,
                "{:<20} {:>6} {:>12.4} {:>16.4} {:>13.4}",
                t,
                ts.spans,
                ratio(ts.found, ts.spans),
                ratio(ts.leak_free, ts.spans),
                ratio(ts.tokens_found, ts.tokens)
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
    fn reads_physionet_format() {
        let dir = std::env::temp_dir().join(format!("phirewall-eval-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        // Two synthetic records; offsets are character offsets into each record's text.
        let text = format!(
            "{RECORD_START}1||||1||||\nSeen by Dr. Quell on 3/4.\n||||END_OF_RECORD\n\
             {RECORD_START}1||||2||||\nJos\u{e9} called 617-555-0142.\n||||END_OF_RECORD\n"
        );
        std::fs::write(dir.join("id.text"), text).expect("write id.text");
        std::fs::write(
            dir.join("id-phi.phrase"),
            "1 1 12 17 HCPName Quell\n1 1 21 24 Date 3/4\n1 2 0 4 PTName Jos\u{e9}\n1 2 12 24 Phone 617-555-0142\n",
        )
        .expect("write id-phi.phrase");
        let records = read_physionet(&dir).expect("parses");
        std::fs::remove_dir_all(&dir).ok();
        assert_eq!(records.len(), 2);
        let slices: Vec<(&str, &str)> = records
            .iter()
            .flat_map(|r| {
                r.spans
                    .iter()
                    .map(move |(s, t)| (&r.text[s.range()], t.as_str()))
            })
            .collect();
        assert_eq!(
            slices,
            [
                ("Quell", "HCPName"),
                ("3/4", "Date"),
                ("Jos\u{e9}", "PTName"),
                ("617-555-0142", "Phone")
            ]
        );
    }

    #[test]
    fn physionet_errors_name_the_line() {
        let dir = std::env::temp_dir().join(format!("phirewall-eval-bad-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let text = format!("{RECORD_START}1||||1||||\nSecret text here.\n||||END_OF_RECORD\n");
        std::fs::write(dir.join("id.text"), text).expect("write");
        std::fs::write(
            dir.join("id-phi.phrase"),
            "1 1 0 4 PTName Secret\n1 9 0 4 Date x\n",
        )
        .expect("write");
        let err = read_physionet(&dir)
            .expect_err("names a missing record")
            .to_string();
        std::fs::remove_dir_all(&dir).ok();
        assert!(err.contains(":2:"), "{err}");
        assert!(!err.contains("Secret"), "{err}");
    }

    #[test]
    fn reads_jsonl_gold_with_code_point_offsets() {
        let path =
            std::env::temp_dir().join(format!("phirewall-gold-{}.jsonl", std::process::id()));
        let lines = concat!(
            r#"{"id": 7, "text": "Zo\u00eb seen 3/4", "spans": [{"start": 0, "end": 3, "type": "PTName"}, {"start": 9, "end": 12, "type": "Date"}]}"#,
            "\n",
            r#"{"text": "no spans here"}"#,
            "\n",
        );
        std::fs::write(&path, lines).expect("write");
        let records = read_jsonl(&path).expect("parses");
        std::fs::write(
            &path,
            "{\"text\": \"x\", \"spans\": [{\"start\": 0, \"end\": 9, \"type\": \"Date\"}]}\n",
        )
        .expect("write");
        let err = read_jsonl(&path)
            .expect_err("span past the end")
            .to_string();
        std::fs::remove_file(&path).ok();
        assert_eq!(records.len(), 2);
        let r = &records[0];
        let got: Vec<&str> = r.spans.iter().map(|(s, _)| &r.text[s.range()]).collect();
        assert_eq!(got, ["Zo\u{eb}", "3/4"]);
        assert!(records[1].spans.is_empty());
        assert!(err.contains(":1:"), "{err}");
    }

    #[test]
    fn shapes_hide_content() {
        assert_eq!(shape("Calvert Hospital"), "Xx Xx");
        assert_eq!(shape("7/22"), "d/d");
        assert_eq!(shape("O'Neil"), "X'Xx");
    }

    #[test]
    fn scores_a_small_record() {
        let engine = Engine::new().expect("engine");
        let text = "Pt 92 yo, year 1990, seen by team.".to_owned();
        let age = text.find("92").unwrap_or(0);
        let year = text.find("1990").unwrap_or(0);
        let rec = GoldRecord {
            spans: vec![
                (Span::new(age, age + 2), "Age".into()),
                (Span::new(year, year + 4), "DateYear".into()),
            ],
            text,
        };
        let strict = evaluate(&engine, std::slice::from_ref(&rec), false);
        assert_eq!(strict.gold_spans, 2);
        assert_eq!(strict.per_type["Age"].leak_free, 1);
        assert!((strict.leak_free_recall - 0.5).abs() < 1e-9);
        let sh = evaluate(&engine, &[rec], true);
        assert_eq!(sh.gold_spans, 1);
        assert!((sh.leak_free_recall - 1.0).abs() < 1e-9);
        assert_eq!(sh.token_fp, 0);
    }
}
