//! End-to-end tests of the `phirewall` binary.
//!
//! Only ages over 89 are asserted on, and findings of other kinds are filtered out, so these tests
//! hold whichever detectors exist. All text is synthetic.

use std::fmt::Write as _;
use std::path::Path;

use assert_cmd::cargo::cargo_bin_cmd;
use assert_cmd::Command;
use serde_json::Value;

fn phirewall() -> Command {
    cargo_bin_cmd!("phirewall")
}

/// The JSON lines of an output.
fn lines(stdout: &[u8]) -> Vec<Value> {
    let text = std::str::from_utf8(stdout).expect("stdout is UTF-8");
    text.lines()
        .map(|l| serde_json::from_str(l).expect("each output line is JSON"))
        .collect()
}

/// The AGE findings of one output record as (start, end, byte_start, byte_end).
fn ages(record: &Value) -> Vec<(u64, u64, u64, u64)> {
    let findings = record["findings"].as_array().expect("findings is an array");
    findings
        .iter()
        .filter(|f| f["kind"] == "AGE")
        .map(|f| {
            let n = |k: &str| f[k].as_u64().expect("offsets are integers");
            (n("start"), n("end"), n("byte_start"), n("byte_end"))
        })
        .collect()
}

fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write temp file");
    path.to_str().expect("temp path is UTF-8").to_string()
}

#[test]
fn plain_text_file_is_one_record_named_after_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write_file(
        dir.path(),
        "note.txt",
        b"Pt is a 92 yo F, seen today.\nStable.\n",
    );
    let out = phirewall().args(["detect", &path]).assert().success();
    let records = lines(&out.get_output().stdout);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["id"], path.as_str());
    assert_eq!(ages(&records[0]), [(8, 10, 8, 10)]);
    let f = &records[0]["findings"][0];
    assert_eq!(f["kind"], "AGE");
    let score = f["score"].as_f64().expect("score is a number");
    assert!(score > 0.0 && score <= 1.0);
    assert!(f["detector"].as_str().is_some_and(|d| !d.is_empty()));
    let keys: Vec<&String> = f.as_object().expect("object").keys().collect();
    assert_eq!(keys.len(), 7, "{keys:?}");
}

#[test]
fn stdin_is_one_record_named_dash() {
    for args in [&["detect"][..], &["detect", "-"][..]] {
        let out = phirewall()
            .args(args)
            .write_stdin("Patient 95 y/o, alert.")
            .assert()
            .success();
        let records = lines(&out.get_output().stdout);
        assert_eq!(records.len(), 1);
        assert_eq!(records[0]["id"], "-");
        assert_eq!(ages(&records[0]), [(8, 10, 8, 10)]);
    }
}

#[test]
fn jsonl_echoes_ids_in_input_order() {
    let input = concat!(
        "{\"id\": 7, \"text\": \"Pt is a 92 yo F.\"}\n",
        "{\"id\": \"n-2\", \"text\": \"no ages here\", \"unit\": \"MICU\"}\n",
        "\n",
        "{\"text\": \"age 97, DNR.\"}\r\n",
        "{\"id\": 12345678901234567890, \"text\": \"\"}\n",
    );
    let out = phirewall()
        .args(["detect", "--jsonl"])
        .write_stdin(input)
        .assert()
        .success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).expect("UTF-8");
    // Big numbers are echoed as written, not through a float.
    assert!(stdout.contains("\"id\":12345678901234567890,"), "{stdout}");
    let records = lines(stdout.as_bytes());
    assert_eq!(records.len(), 4);
    assert_eq!(records[0]["id"], 7);
    assert_eq!(ages(&records[0]), [(8, 10, 8, 10)]);
    assert_eq!(records[1]["id"], "n-2");
    assert_eq!(ages(&records[1]), []);
    // No id: the line number stands in.
    assert_eq!(records[2]["id"], 4);
    assert_eq!(ages(&records[2]), [(4, 6, 4, 6)]);
    assert_eq!(records[3]["findings"], Value::Array(vec![]));
}

#[test]
fn offsets_are_code_points_after_non_ascii_text() {
    // "José, " is 6 code points and 7 bytes; "😀 " is 2 code points and 5 bytes.
    let out = phirewall()
        .args(["detect", "--kinds", "AGE"])
        .write_stdin("José, 92 yo")
        .assert()
        .success();
    assert_eq!(ages(&lines(&out.get_output().stdout)[0]), [(6, 8, 7, 9)]);

    let input = concat!(
        "{\"id\": 1, \"text\": \"José, 92 yo\"}\n",
        "{\"id\": 2, \"text\": \"Jos\\u00e9, 92 yo\"}\n",
        "{\"id\": 3, \"text\": \"😀 José\\n93 yo\"}\n",
    );
    let out = phirewall()
        .args(["detect", "--jsonl", "--kinds", "AGE"])
        .write_stdin(input)
        .assert()
        .success();
    let records = lines(&out.get_output().stdout);
    assert_eq!(ages(&records[0]), [(6, 8, 7, 9)]);
    assert_eq!(ages(&records[1]), [(6, 8, 7, 9)]);
    assert_eq!(ages(&records[2]), [(7, 9, 11, 13)]);
}

#[test]
fn bad_records_are_reported_by_line_and_skipped() {
    let mut input = Vec::new();
    input.extend_from_slice(b"{\"id\": \"a\", \"text\": \"92 yo\"}\n");
    input.extend_from_slice(b"{\"id\": \"b\", \"text\": \"SECRET-ONE Jos\xe9 94 yo\"}\n");
    input.extend_from_slice(b"{\"id\": \"c\", \"text\": \"SECRET-TWO 95 yo\"\n");
    input.extend_from_slice(b"{\"id\": \"d\", \"note\": \"SECRET-THREE 96 yo\"}\n");
    input.extend_from_slice(b"{\"id\": \"e\", \"text\": [\"SECRET-FOUR\"]}\n");
    input.extend_from_slice(b"[\"SECRET-FIVE\"]\n");
    input.extend_from_slice(b"{\"id\": \"g\", \"text\": \"age 97\"}\n");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write_file(dir.path(), "corpus.jsonl", &input);

    let out = phirewall()
        .args(["detect", "--jsonl", &path])
        .assert()
        .code(2);
    let output = out.get_output();
    let records = lines(&output.stdout);
    let ids: Vec<&Value> = records.iter().map(|r| &r["id"]).collect();
    assert_eq!(ids, ["a", "g"]);
    assert_eq!(ages(&records[1]), [(4, 6, 4, 6)]);

    let stderr = String::from_utf8_lossy(&output.stderr);
    for (line, reason) in [
        ("line 2:", "UTF-8"),
        ("line 3:", "malformed JSON"),
        ("line 4:", "missing \"text\""),
        ("line 5:", "\"text\" must be a string"),
        ("line 6:", "JSON object"),
    ] {
        let message = stderr
            .lines()
            .find(|l| l.contains(line))
            .unwrap_or_else(|| panic!("no message for {line} in {stderr}"));
        assert!(message.contains(reason), "{message}");
        assert!(message.contains("corpus.jsonl"), "{message}");
    }
    assert!(
        !stderr.contains("SECRET"),
        "stderr leaks record text: {stderr}"
    );
    assert!(!stderr.contains("yo"), "stderr leaks record text: {stderr}");
}

#[test]
fn invalid_utf8_plain_text_is_an_input_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write_file(dir.path(), "bad.txt", b"first line\nSECRET Jos\xe9 92 yo\n");
    let out = phirewall().args(["detect", &path]).assert().code(2);
    let output = out.get_output();
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("line 2: invalid UTF-8 at byte 11"),
        "{stderr}"
    );
    assert!(!stderr.contains("SECRET"), "{stderr}");
}

/// More records than one parallel chunk holds: output order must still be input order, and a
/// bad line deep in the file is reported with its own number.
#[test]
fn large_jsonl_keeps_order_across_chunks() {
    let mut input = String::new();
    for i in 0..2600 {
        if i == 1500 {
            input.push_str("{\"id\": 1500, \"text\": oops}\n");
            continue;
        }
        let age = 90 + i % 30;
        let _ = writeln!(input, "{{\"id\": {i}, \"text\": \"note {i}: {age} yo\"}}");
    }
    let out = phirewall()
        .args(["detect", "--jsonl", "--kinds", "AGE"])
        .write_stdin(input)
        .assert()
        .code(2);
    let records = lines(&out.get_output().stdout);
    assert_eq!(records.len(), 2599);
    let expected: Vec<u64> = (0..2600).filter(|&i| i != 1500).collect();
    let ids: Vec<u64> = records
        .iter()
        .map(|r| r["id"].as_u64().expect("id"))
        .collect();
    assert_eq!(ids, expected);
    for r in &records {
        assert_eq!(ages(r).len(), 1, "{r}");
    }
    let stderr = String::from_utf8_lossy(&out.get_output().stderr);
    assert!(stderr.contains("line 1501: malformed JSON"), "{stderr}");
}

#[test]
fn kinds_and_min_score_filter_findings() {
    let out = phirewall()
        .args(["detect", "--kinds", "date,PHONE"])
        .write_stdin("Pt is a 92 yo F.")
        .assert()
        .success();
    let records = lines(&out.get_output().stdout);
    for f in records[0]["findings"].as_array().expect("array") {
        assert!(f["kind"] == "DATE" || f["kind"] == "PHONE", "{f}");
    }
    assert_eq!(ages(&records[0]), []);

    let out = phirewall()
        .args(["detect", "--min-score", "0.5"])
        .write_stdin("Pt is a 92 yo F, age 97 per chart.")
        .assert()
        .success();
    for f in lines(&out.get_output().stdout)[0]["findings"]
        .as_array()
        .expect("array")
    {
        assert!(f["score"].as_f64().expect("score") >= 0.5, "{f}");
    }
}

#[test]
fn usage_and_io_errors_exit_with_1() {
    for args in [
        &["detect", "--kinds", "NOT_A_KIND"][..],
        &["detect", "--min-score", "1.5"][..],
        &["detect", "--no-such-flag"][..],
        &["bench", "--mb", "0"][..],
        &["synth"][..],
    ] {
        phirewall().args(args).write_stdin("").assert().code(1);
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("missing.txt");
    let out = phirewall()
        .args(["detect", missing.to_str().expect("UTF-8 path")])
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr);
    assert!(
        stderr.contains("cannot read") && stderr.contains("missing.txt"),
        "{stderr}"
    );
    phirewall().arg("--help").assert().success();
    phirewall().args(["detect", "--help"]).assert().success();
}

#[test]
fn bench_reports_throughput_and_memory() {
    let out = phirewall()
        .args(["bench", "--mb", "1", "--threads", "2"])
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout);
    assert!(stdout.contains("MB/s per core"), "{stdout}");
    assert!(stdout.contains("2 threads"), "{stdout}");
    assert!(stdout.contains("engine build"), "{stdout}");
    assert!(stdout.contains("peak RSS"), "{stdout}");

    let dir = tempfile::tempdir().expect("temp dir");
    let path = write_file(dir.path(), "c.txt", b"Pt is a 92 yo F.\n\nage 97, DNR.\n");
    let out = phirewall()
        .args(["bench", &path, "--threads", "1", "--json"])
        .assert()
        .success();
    let report = &lines(&out.get_output().stdout)[0];
    assert_eq!(report["source"], "file");
    assert_eq!(report["documents"], 2);
    assert_eq!(report["threads"], 1);
    assert!(
        report["findings"].as_u64().is_some_and(|n| n >= 2),
        "{report}"
    );
    assert!(report["single_thread_mb_s"]
        .as_f64()
        .is_some_and(|x| x > 0.0));
    assert!(report["multi_thread_mb_s"]
        .as_f64()
        .is_some_and(|x| x > 0.0));
}

#[test]
fn synth_is_deterministic_and_matches_the_library() {
    let run = |seed: &str| {
        phirewall()
            .args(["synth", "--mb", "0.05", "--seed", seed])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    let a = run("5");
    assert_eq!(a, run("5"));
    assert_ne!(a, run("6"));
    assert_eq!(a, phirewall_synth::corpus(50_000, 5).into_bytes());
}

#[test]
fn synth_jsonl_feeds_detect() {
    let synth = phirewall()
        .args(["synth", "--notes", "40", "--jsonl", "--seed", "3"])
        .assert()
        .success();
    let corpus = synth.get_output().stdout.clone();
    let records = lines(&corpus);
    assert_eq!(records.len(), 40);
    assert_eq!(records[0]["id"], 1);
    assert!(records[39]["text"].as_str().is_some_and(|t| t.len() > 50));

    let out = phirewall()
        .args(["detect", "--jsonl"])
        .write_stdin(corpus)
        .assert()
        .success();
    let found = lines(&out.get_output().stdout);
    let ids: Vec<u64> = found
        .iter()
        .map(|r| r["id"].as_u64().expect("id"))
        .collect();
    assert_eq!(ids, (1..=40).collect::<Vec<u64>>());
}

/// The `known` field of a JSON Lines record: its values are found as `known.*` findings, and a
/// malformed field skips only that record, with a reason that quotes no value.
#[test]
fn jsonl_known_identifiers_are_found() {
    let input = concat!(
        r#"{"id": 1, "text": "Pellwick, Dorian seen; MRN 552211. Call 617.555.0142.", "#,
        r#""known": {"names": ["Dorian Q. Pellwick"], "mrn": "00552211", "#,
        r#""addresses": ["48 Quillan Ave, Marbleton, MA 01101"], "#,
        r#""ids": [{"kind": "phone", "value": "617-555-0142"}]}}"#,
        "\n",
        r#"{"id": 2, "text": "Pellwick seen.", "known": null}"#,
        "\n",
        r#"{"id": 3, "text": "Pellwick seen.", "known": {"name": ["SECRET-ONE Pellwick"]}}"#,
        "\n",
        r#"{"id": 4, "text": "Pellwick seen.", "known": {"mrn": 552211}}"#,
        "\n",
        r#"{"id": 5, "text": "Pellwick seen.", "known": {"ids": [{"kind": "SECRET-TWO", "value": "x"}]}}"#,
        "\n",
        r#"{"id": 6, "text": "Pellwick seen.", "known": ["SECRET-THREE"]}"#,
        "\n",
    );
    let out = phirewall()
        .args(["detect", "--jsonl"])
        .write_stdin(input)
        .assert()
        .code(2);
    let output = out.get_output();
    let records = lines(&output.stdout);
    let ids: Vec<&Value> = records.iter().map(|r| &r["id"]).collect();
    assert_eq!(ids, [1, 2]);

    let text = "Pellwick, Dorian seen; MRN 552211. Call 617.555.0142.";
    let known: Vec<(&str, &str, &str)> = records[0]["findings"]
        .as_array()
        .expect("findings is an array")
        .iter()
        .filter(|f| {
            f["detector"]
                .as_str()
                .is_some_and(|d| d.starts_with("known."))
        })
        .map(|f| {
            let n = |k: &str| f[k].as_u64().expect("offsets are integers") as usize;
            (
                f["kind"].as_str().expect("kind"),
                f["detector"].as_str().expect("detector"),
                &text[n("byte_start")..n("byte_end")],
            )
        })
        .collect();
    assert_eq!(
        known,
        [
            ("NAME", "known.name", "Pellwick, Dorian"),
            ("MRN", "known.mrn", "552211"),
            ("PHONE", "known.phone", "617.555.0142"),
        ]
    );
    // `"known": null` is the same as no field: nothing known.
    let second = records[1]["findings"]
        .as_array()
        .expect("findings is an array");
    assert!(second.iter().all(|f| f["detector"]
        .as_str()
        .is_some_and(|d| !d.starts_with("known."))));

    let stderr = String::from_utf8_lossy(&output.stderr);
    for (line, reason) in [
        ("line 3:", "\"known\" must be an object"),
        ("line 4:", "\"known\" must be an object"),
        ("line 5:", "not an identifier kind"),
        ("line 6:", "\"known\" must be an object"),
    ] {
        let message = stderr
            .lines()
            .find(|l| l.contains(line))
            .unwrap_or_else(|| panic!("no message for {line} in {stderr}"));
        assert!(message.contains(reason), "{message}");
    }
    assert!(!stderr.contains("SECRET"), "stderr leaks values: {stderr}");
    assert!(
        !stderr.contains("Pellwick"),
        "stderr leaks values: {stderr}"
    );
    assert!(!stderr.contains("552211"), "stderr leaks values: {stderr}");
}

#[test]
fn detect_help_documents_the_known_field() {
    let out = phirewall().args(["detect", "--help"]).assert().success();
    let help = String::from_utf8_lossy(&out.get_output().stdout);
    for field in [
        "\"known\"",
        "\"names\"",
        "\"mrn\"",
        "\"addresses\"",
        "\"ids\"",
    ] {
        assert!(help.contains(field), "{help}");
    }
}
