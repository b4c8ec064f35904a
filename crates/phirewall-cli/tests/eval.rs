//! End-to-end tests of `phirewall eval`: every gold format through the binary, the report on
//! stdout without corpus text, the review file with it, and errors without it.
//!
//! Scores depend on which detectors exist, so these tests assert on structure and on counts that
//! hold whatever the engine finds (gold totals, neutral spans). All text is synthetic.

use std::path::Path;

use assert_cmd::cargo::cargo_bin_cmd;
use assert_cmd::Command;
use serde_json::Value;

fn phirewall() -> Command {
    cargo_bin_cmd!("phirewall")
}

/// Invented names; none of them may appear on stdout or stderr.
const SECRETS: &[&str] = &["Kowalczyk", "Tennbridge", "Zorvane"];

const NOTE: &str = "Mrs. Ida Kowalczyk, 93, seen 4/7/2069 by Dr. Tennbridge.\n\
                    Retired teacher from Ohio. Sister Zorvane visits.\n";

fn offsets(text: &str, what: &str) -> (usize, usize) {
    let s = text.find(what).expect("in the note");
    (s, s + what.len())
}

fn i2b2_xml() -> String {
    let mut tags = String::new();
    for (what, tag, ty) in [
        ("Ida Kowalczyk", "NAME", "PATIENT"),
        ("93", "AGE", "AGE"),
        ("4/7/2069", "DATE", "DATE"),
        ("Tennbridge", "NAME", "DOCTOR"),
        ("teacher", "PROFESSION", "PROFESSION"),
        ("Ohio", "LOCATION", "STATE"),
        ("Zorvane", "NAME", "PATIENT"),
    ] {
        let (s, e) = offsets(NOTE, what);
        tags.push_str(&format!(
            "<{tag} id=\"P{s}\" start=\"{s}\" end=\"{e}\" text=\"{what}\" TYPE=\"{ty}\" comment=\"\" />\n"
        ));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<deIdi2b2>\n<TEXT><![CDATA[{NOTE}]]></TEXT>\n<TAGS>\n{tags}</TAGS>\n</deIdi2b2>\n"
    )
}

fn brat_ann() -> String {
    let mut ann = String::new();
    for (i, (what, ty)) in [
        ("Ida Kowalczyk", "PATIENT"),
        ("93", "AGE"),
        ("4/7/2069", "Date"),
        ("Tennbridge", "doctor"),
        ("Ohio", "STATE"),
        ("Zorvane", "NAME"),
    ]
    .iter()
    .enumerate()
    {
        let (s, e) = offsets(NOTE, what);
        ann.push_str(&format!("T{}\t{ty} {s} {e}\t{what}\n", i + 1));
    }
    ann.push_str("#1\tAnnotatorNotes T1\tchecked\n");
    ann
}

fn assert_no_text(bytes: &[u8]) {
    let s = String::from_utf8_lossy(bytes);
    for secret in SECRETS {
        assert!(!s.contains(secret), "output quotes corpus text: {s}");
    }
}

fn run_json(args: &[&str], path: &Path) -> Value {
    let out = phirewall()
        .arg("eval")
        .args(args)
        .arg("--json")
        .arg(path)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_no_text(&out.stdout);
    assert_no_text(&out.stderr);
    serde_json::from_slice(&out.stdout).expect("one JSON object")
}

#[test]
fn i2b2_gold_is_scored_per_kind_without_text_on_stdout() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("200-01.xml"), i2b2_xml()).expect("write");
    let all = run_json(&["--format", "i2b2"], dir.path());
    assert_eq!(all["records"], 1);
    // Profession and state are neutral in every view.
    assert_eq!(all["gold_spans"], 5);
    assert_eq!(all["neutral_spans"], 2);
    assert_eq!(all["per_kind"]["NAME"]["gold_spans"], 3);
    assert_eq!(all["per_kind"]["AGE"]["gold_spans"], 1);
    assert_eq!(all["per_type"]["DOCTOR"]["kind"], "NAME");
    // 93 is over 89: still required in the Safe Harbor view.
    let sh = run_json(&["--format", "i2b2", "--safe-harbor"], dir.path());
    assert_eq!(sh["gold_spans"], 5);

    let table = phirewall()
        .args(["eval", "--format", "i2b2"])
        .arg(dir.path().join("200-01.xml"))
        .output()
        .expect("runs");
    assert!(table.status.success());
    assert_no_text(&table.stdout);
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(
        text.contains("records 1  gold spans 5 (+2 neutral)"),
        "{text}"
    );
    assert!(
        text.contains("neutral gold spans: PROFESSION 1, STATE 1"),
        "{text}"
    );
}

#[test]
fn brat_gold_maps_names_ignoring_case() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("n1.txt"), NOTE).expect("write");
    std::fs::write(dir.path().join("n1.ann"), brat_ann()).expect("write");
    let r = run_json(&["--format", "brat"], dir.path());
    assert_eq!(r["gold_spans"], 5);
    assert_eq!(r["per_kind"]["NAME"]["gold_spans"], 3);
    assert_eq!(r["per_kind"]["DATE"]["gold_spans"], 1);
    assert_eq!(r["unmapped_types"], serde_json::json!({}));
}

#[test]
fn review_file_holds_the_context_and_stdout_does_not() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("n1.txt"), NOTE).expect("write");
    // Gold the engine cannot find: a made-up word annotated as a patient name.
    std::fs::write(dir.path().join("n1.ann"), {
        let (s, e) = offsets(NOTE, "visits");
        format!("T1\tPATIENT {s} {e}\tvisits\n")
    })
    .expect("write");
    let review = dir.path().join("review.jsonl");
    let out = phirewall()
        .args(["eval", "--format", "brat", "--review"])
        .arg(&review)
        .arg(dir.path())
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_no_text(&out.stdout);
    assert_no_text(&out.stderr);
    let written = std::fs::read_to_string(&review).expect("review written");
    let entries: Vec<Value> = written
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    let miss = entries
        .iter()
        .find(|e| e["what"] == "missed")
        .expect("the miss is listed");
    assert_eq!(miss["doc"], "n1");
    assert_eq!(miss["text"], "visits");
    assert_eq!(miss["after"], ".\n");
    assert!(miss["before"]
        .as_str()
        .is_some_and(|b| b.ends_with("Sister Zorvane ")));
}

#[test]
fn malformed_gold_exits_2_naming_file_and_line_only() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = i2b2_xml().replace("text=\"Tennbridge\"", "text=\"Tennbridge Kowalczyk\"");
    std::fs::write(dir.path().join("200-02.xml"), bad).expect("write");
    let out = phirewall()
        .args(["eval", "--format", "i2b2"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert_no_text(&out.stderr);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("200-02.xml:") && err.contains("text attribute differs"),
        "{err}"
    );
}
