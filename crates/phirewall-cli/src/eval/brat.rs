//! BRAT standoff gold: a directory of `name.txt` (the document) and `name.ann` (its annotations).
//!
//! Of `.ann` lines only text-bound annotations are read:
//!
//! ```text
//! T1<TAB>PATIENT 10 15<TAB>Kowal
//! T2<TAB>DOCTOR 20 23;31 36<TAB>Ana Tenn
//! ```
//!
//! `START END` are character offsets into the `.txt` file (end exclusive); a discontinuous
//! annotation lists several `START END` pieces separated by `;`, and its text field joins the
//! pieces with a space. Every other line (attributes `A`, relations `R`, events `E`, notes `#`,
//! normalizations `N`, equivalences `*`) is ignored. When the text field is there it must agree
//! with the document at the offsets (whitespace aside), or the file is rejected: offsets that
//! point elsewhere would make every score wrong.
//!
//! Only the directory's top level is read. Each `.txt` needs its `.ann` and each `.ann` its
//! `.txt`: a missing half is more likely a copying mistake than a document without PHI (which has
//! an empty `.ann`).

use std::path::Path;

use phirewall::Span;

use super::{CharOffsets, GoldDoc, GoldError, GoldSpan};

/// Reads every `.txt`/`.ann` pair in `dir`, sorted by name. Document ids are the file stems.
pub fn read(dir: &Path) -> Result<Vec<GoldDoc>, GoldError> {
    if !dir.is_dir() {
        return Err(GoldError::file(
            dir,
            "BRAT gold is a directory of .txt and .ann files",
        ));
    }
    let texts = super::files_with_extension(dir, "txt")?;
    let anns = super::files_with_extension(dir, "ann")?;
    if texts.is_empty() {
        return Err(GoldError::file(dir, "no .txt files in this directory"));
    }
    if let Some(orphan) = anns.iter().find(|a| !a.with_extension("txt").is_file()) {
        return Err(GoldError::file(orphan, "no .txt file with the same name"));
    }
    let mut docs = Vec::with_capacity(texts.len());
    for txt in texts {
        let ann = txt.with_extension("ann");
        if !ann.is_file() {
            return Err(GoldError::file(
                &txt,
                "no .ann file with the same name (a document without PHI has an empty .ann)",
            ));
        }
        let text = super::read(&txt)?;
        let spans = parse_ann(&super::read(&ann)?, &text)
            .map_err(|(line, reason)| GoldError::format(&ann, line, reason))?;
        docs.push(GoldDoc {
            id: super::stem(&txt),
            text,
            spans,
        });
    }
    Ok(docs)
}

/// Parses the annotations `ann` of the document `text`. An error is a one-based line number and
/// a reason.
fn parse_ann(ann: &str, text: &str) -> Result<Vec<GoldSpan>, (usize, &'static str)> {
    let offsets = CharOffsets::new(text);
    let mut spans = Vec::new();
    for (n, line) in ann.lines().enumerate() {
        let lineno = n + 1;
        if !line.starts_with('T') {
            continue;
        }
        let mut fields = line.split('\t');
        let _id = fields.next();
        let Some(middle) = fields.next() else {
            return Err((lineno, "expected: ID<TAB>TYPE START END<TAB>text"));
        };
        let copy = fields.next();
        let (gold_type, locations) = middle
            .trim()
            .split_once(' ')
            .ok_or((lineno, "expected a type and START END offsets"))?;
        let mut parts = Vec::new();
        for piece in locations.split(';') {
            let mut nums = piece.split_whitespace().map(str::parse::<usize>);
            let (Some(Ok(s)), Some(Ok(e)), None) = (nums.next(), nums.next(), nums.next()) else {
                return Err((
                    lineno,
                    "offsets must be START END pairs of numbers, separated by ;",
                ));
            };
            parts.push(offsets.span(s, e).map_err(|r| (lineno, r))?);
        }
        parts.sort();
        if parts.windows(2).any(|w| w[0].overlaps(w[1])) {
            return Err((lineno, "the pieces of a discontinuous annotation overlap"));
        }
        let (Some(first), Some(last)) = (parts.first(), parts.last()) else {
            return Err((lineno, "expected a type and START END offsets"));
        };
        let span = GoldSpan {
            start: first.start,
            end: last.end,
            gold_type: gold_type.to_owned(),
            fragments: if parts.len() > 1 {
                parts.clone()
            } else {
                Vec::<Span>::new()
            },
        };
        if let Some(copy) = copy {
            if !super::same_text(copy, &span.text(text)) {
                return Err((
                    lineno,
                    "the annotation's text differs from the document at its offsets",
                ));
            }
        }
        spans.push(span);
    }
    Ok(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A synthetic note; all names invented.
    const TEXT: &str =
        "Seen by Dr. Ana Tenn and Dr. Bo Tenn on 3/4/2069.\nZo\u{eb} Kowal, nurse, Ohio.\n";

    #[test]
    fn reads_text_bound_annotations_and_skips_the_rest() {
        let ann = "T1\tDOCTOR 12 20\tAna Tenn\n\
                   #1\tAnnotatorNotes T1\tchecked twice\n\
                   A1\tVerified T1\n\
                   R1\tSame Arg1:T1 Arg2:T2\n\
                   T2\tDATE 40 48\t3/4/2069\n\
                   T3\tPATIENT 50 59\tZo\u{eb} Kowal\n\
                   \n\
                   T4\tprofession 61 66\tnurse\n";
        let spans = parse_ann(ann, TEXT).expect("parses");
        let got: Vec<(&str, &str)> = spans
            .iter()
            .map(|s| (&TEXT[s.start..s.end], s.gold_type.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("Ana Tenn", "DOCTOR"),
                ("3/4/2069", "DATE"),
                ("Zo\u{eb} Kowal", "PATIENT"),
                ("nurse", "profession")
            ]
        );
    }

    #[test]
    fn discontinuous_annotations_keep_their_pieces() {
        // "Drs. Ana and Bo Tenn": one annotation for "Ana ... Tenn", written in reverse order.
        let text = "Drs. Ana and Bo Tenn";
        let spans = parse_ann("T1\tDOCTOR 16 20;5 8\tAna Tenn\n", text).expect("parses");
        assert_eq!(spans.len(), 1);
        let s = &spans[0];
        assert_eq!((s.start, s.end), (5, 20));
        assert_eq!(s.fragments, [Span::new(5, 8), Span::new(16, 20)]);
        assert_eq!(s.text(text), "Ana Tenn");
    }

    #[test]
    fn malformed_annotations_name_the_line() {
        let cases: &[(&str, &str)] = &[
            ("T1\tDOCTOR\tAna", "expected a type and START END"),
            ("T1 DOCTOR 12 20 Ana", "expected: ID<TAB>TYPE"),
            ("T1\tDOCTOR 12 x\tAna", "START END pairs of numbers"),
            ("T1\tDOCTOR 12 20;30\tAna", "START END pairs of numbers"),
            ("T1\tDOCTOR 12 200\tAna", "offsets past the end"),
            ("T1\tDOCTOR 20 12\tAna", "empty or reversed"),
            ("T1\tDOCTOR 12 20;15 24\tAna", "overlap"),
            ("T1\tDOCTOR 12 20\tAna Kowal", "text differs"),
        ];
        for (ann, reason) in cases {
            let ann = format!("T0\tDATE 40 48\t3/4/2069\n{ann}\n");
            let (line, got) = parse_ann(&ann, TEXT).expect_err(reason);
            assert_eq!(line, 2, "{reason}");
            assert!(got.contains(reason), "{reason}: got {got}");
        }
    }

    #[test]
    fn every_truncation_and_byte_flip_is_an_answer_not_a_panic() {
        let ann = "T1\tDOCTOR 12 20;29 31\tAna Bo\nA1\tNeg T1\nT2\tDATE 40 48\t3/4/2069\n";
        for cut in 0..=ann.len() {
            let _ = parse_ann(&ann[..cut], TEXT);
        }
        for i in 0..ann.len() {
            for c in ['\t', ' ', ';', '9', 'T', '\n'] {
                let mut s = ann.to_owned();
                s.replace_range(i..i + 1, &c.to_string());
                let _ = parse_ann(&s, TEXT);
            }
        }
    }

    #[test]
    fn reads_a_directory_of_pairs() {
        let dir = tempfile::tempdir().expect("temp dir");
        let p = dir.path();
        std::fs::write(p.join("b.txt"), TEXT).expect("write");
        std::fs::write(p.join("b.ann"), "T1\tDATE 40 48\t3/4/2069\n").expect("write");
        std::fs::write(p.join("a.txt"), "No PHI here.\n").expect("write");
        std::fs::write(p.join("a.ann"), "").expect("write");
        std::fs::write(p.join("annotation.conf"), "[entities]\n").expect("write");
        let docs = read(p).expect("reads");
        let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["a", "b"]);
        assert_eq!(docs[1].spans.len(), 1);

        std::fs::write(p.join("c.txt"), "Ana Tenn\n").expect("write");
        let err = read(p).expect_err("missing .ann").to_string();
        assert!(err.contains("c.txt: no .ann file"), "{err}");
        std::fs::remove_file(p.join("c.txt")).expect("remove");

        std::fs::write(p.join("d.ann"), "T1\tDATE 0 3\tAna\n").expect("write");
        let err = read(p).expect_err("missing .txt").to_string();
        assert!(err.contains("d.ann: no .txt file"), "{err}");
        std::fs::remove_file(p.join("d.ann")).expect("remove");

        std::fs::write(
            p.join("b.ann"),
            "T1\tDATE 40 48\t3/4/2069\nT2\tPATIENT 50 53\tAna\n",
        )
        .expect("write");
        let err = read(p).expect_err("text mismatch").to_string();
        assert!(
            err.contains("b.ann:2: the annotation's text differs"),
            "{err}"
        );
        assert!(!err.contains("Ana"), "{err}");
    }
}
