//! End-to-end tests of `phirewall deid`: policies and operators, consistency across processes,
//! date intervals, leaks, secrets, rejects, CSV, directories, atomic output and the report.
//!
//! All text is synthetic; identifiers use reserved ranges (555-01xx phones, example.org).

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::cargo::cargo_bin_cmd;
use assert_cmd::Command;
use phirewall::{Engine, Kind};
use serde_json::Value;
use sha2::{Digest, Sha256};

const SECRET: &str = "a test secret of enough bytes";

/// The binary, with no secret inherited from the environment.
fn phirewall() -> Command {
    let mut cmd = cargo_bin_cmd!("phirewall");
    cmd.env_remove("PHIREWALL_SECRET");
    cmd
}

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/notes.jsonl")
}

fn engine() -> Engine {
    static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    ENGINE
        .get_or_init(|| Engine::new().expect("the default engine builds"))
        .clone()
}

struct Dir {
    dir: tempfile::TempDir,
}

impl Dir {
    fn new() -> Dir {
        Dir {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes a file and returns its path as a string.
    fn write(&self, name: &str, bytes: &[u8]) -> String {
        let path = self.path(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("create parent dir");
        }
        fs::write(&path, bytes).expect("write temp file");
        s(&path)
    }

    /// The test secret in a file only its owner can read, as a real key file should be.
    fn secret_file(&self) -> String {
        let path = self.write("key", format!("{SECRET}\n").as_bytes());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).expect("chmod key");
        }
        path
    }

    /// Every file name in the directory (temporary files included).
    fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(self.dir.path())
            .expect("read temp dir")
            .map(|e| {
                e.expect("dir entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        names.sort();
        names
    }
}

fn s(p: &Path) -> String {
    p.to_str().expect("temp paths are UTF-8").to_string()
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).expect("output file exists and is UTF-8")
}

fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

fn stderr(out: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&out.get_output().stderr).into_owned()
}

/// Whether `needle` occurs in `text` as a value of its own (not inside a longer word or number).
fn contains_value(text: &str, needle: &str) -> bool {
    let joins = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || matches!(c, '-' | '/'));
    text.match_indices(needle).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + needle.len()..].chars().next();
        !joins(before) && before != Some('.') && !joins(after)
    })
}

/// De-identifies the sample notes and returns the output records.
fn deid_samples(dir: &Dir, policy: &str, extra: &[&str]) -> Vec<Value> {
    let out = dir.path(&format!("{policy}.jsonl"));
    let key = dir.secret_file();
    let run = phirewall()
        .args(["deid", "--policy", policy, "--secret-file", &key, "--jsonl"])
        .arg(samples())
        .args(["-o", &s(&out)])
        .args(extra)
        .assert()
        .success();
    // Nothing on stderr: no progress line when stderr is not a terminal, no warning.
    assert_eq!(stderr(&run), "");
    json_lines(&read(&out))
}

#[test]
fn no_detected_value_survives_in_the_sample_notes() {
    let dir = Dir::new();
    let input = json_lines(&read(&samples()));
    for policy in ["safe-harbor", "surrogate", "llm-prompt"] {
        let output = deid_samples(&dir, policy, &[]);
        assert_eq!(output.len(), input.len(), "{policy}");
        let mut checked = 0;
        for (before, after) in input.iter().zip(&output) {
            assert_eq!(before["id"], after["id"], "ids pass through in order");
            let (text, out) = (
                before["text"].as_str().expect("text"),
                after["text"].as_str().expect("text"),
            );
            let originals: Vec<(Kind, &str)> = engine()
                .detect(text)
                .iter()
                .map(|f| (f.kind, &text[f.span.range()]))
                .collect();
            for (kind, value) in &originals {
                // Safe Harbor keeps the year of a date and three digits of a ZIP code, and an
                // age under 90 is not an identifier: those may legitimately remain.
                let kept = policy == "safe-harbor" && matches!(kind, Kind::Age | Kind::Zip);
                if !kept && value.len() > 3 {
                    assert!(
                        !contains_value(out, value),
                        "{policy}: a {kind} survived in record {}",
                        before["id"]
                    );
                    checked += 1;
                }
            }
            for f in engine().detect(out) {
                let again = &out[f.span.range()];
                assert!(
                    !originals
                        .iter()
                        .any(|(k, v)| *v == again && *k != Kind::Age),
                    "{policy}: re-detection found an original {}",
                    f.kind
                );
            }
        }
        assert!(checked > 50, "{policy}: the samples hold identifiers");
    }
}

#[test]
fn every_operator_through_a_policy_file() {
    let dir = Dir::new();
    let toml = r#"
default = { op = "tag" }
[kinds.MRN]
op = "redact"
[kinds.PHONE]
op = "mask"
[kinds.SSN]
op = "hash"
[kinds.EMAIL]
op = "surrogate"
[kinds.DATE]
op = "date_shift"
[kinds.AGE]
op = "generalize"
[kinds.ZIP]
op = "keep"
[mask]
char = "X"
keep_last = 4
"#;
    let policy = dir.write("policy.toml", toml.as_bytes());
    let key = dir.secret_file();
    let note = "92 yo seen 03/04/2021. MRN: 00123456. SSN 219-09-9999. Call (617) 555-0199. \
                Email pt.contact@example.com. ZIP 03601. Fax 617-555-0142.";
    let input = dir.write("in.txt", note.as_bytes());
    let out = phirewall()
        .args(["deid", "--policy", &policy, "--secret-file", &key, &input])
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).expect("UTF-8");
    assert!(text.starts_with("90+ yo seen "), "generalize: {text}");
    assert!(!text.contains("03/04/2021") && !text.contains("2021-03-04"));
    assert!(text.contains("MRN: . "), "redact: {text}");
    assert!(text.contains("SSN SSN_"), "hash: {text}");
    assert!(text.contains("Call (XXX) XXX-0199."), "mask: {text}");
    assert!(
        !text.contains("pt.contact@example.com"),
        "surrogate: {text}"
    );
    assert!(text.contains("ZIP 03601."), "keep: {text}");
    assert!(text.contains("Fax [FAX]."), "tag (the default): {text}");
    // The date keeps its format.
    let shifted = text
        .split("seen ")
        .nth(1)
        .and_then(|t| t.get(..10))
        .expect("a date after 'seen'");
    assert!(
        shifted
            .chars()
            .enumerate()
            .all(|(i, c)| if i == 2 || i == 5 {
                c == '/'
            } else {
                c.is_ascii_digit()
            }),
        "{shifted}"
    );

    // The same policy as JSON gives the same output.
    let json = r#"{"default": {"op": "tag"}, "kinds": {"MRN": {"op": "redact"},
        "PHONE": {"op": "mask"}, "SSN": {"op": "hash"}, "EMAIL": {"op": "surrogate"},
        "DATE": {"op": "date_shift"}, "AGE": {"op": "generalize"}, "ZIP": {"op": "keep"}},
        "mask": {"char": "X", "keep_last": 4}}"#;
    let policy_json = dir.write("policy.json", json.as_bytes());
    phirewall()
        .args([
            "deid",
            "--policy",
            &policy_json,
            "--secret-file",
            &key,
            &input,
        ])
        .assert()
        .success()
        .stdout(text.clone());

    // A policy file that does not parse or validate is a usage error naming the file.
    let bad = dir.write("bad.toml", b"[kinds.NAME]\nop = \"date_shift\"\n");
    let out = phirewall()
        .args(["deid", "--policy", &bad, &input])
        .assert()
        .code(1);
    assert!(stderr(&out).contains("bad.toml"), "{}", stderr(&out));
    let out = phirewall()
        .args(["deid", "--policy", "no-such-preset", &input])
        .assert()
        .code(1);
    assert!(stderr(&out).contains("safe-harbor"), "{}", stderr(&out));
}

#[test]
fn surrogates_agree_across_processes_and_thread_counts() {
    let dir = Dir::new();
    let a = deid_samples(&dir, "surrogate", &["--threads", "1"]);
    let b = deid_samples(&dir, "surrogate", &["--threads", "2"]);
    assert_eq!(a, b, "two processes, one and two threads, the same output");

    // Another secret gives other surrogates.
    let other = dir.write("other-key", b"another secret, also long enough");
    let out = dir.path("other.jsonl");
    phirewall()
        .args([
            "deid",
            "--policy",
            "surrogate",
            "--secret-file",
            &other,
            "--jsonl",
        ])
        .arg(samples())
        .args(["-o", &s(&out)])
        .assert()
        .success();
    assert_ne!(json_lines(&read(&out)), a);

    // The same value is replaced the same way in different records.
    let records = "{\"id\": 1, \"text\": \"Call 617-555-0142 today.\"}\n\
                   {\"id\": 2, \"text\": \"Please call 617-555-0142.\"}\n";
    let input = dir.write("same.jsonl", records.as_bytes());
    let key = dir.secret_file();
    let out = phirewall()
        .args([
            "deid",
            "--policy",
            "surrogate",
            "--secret-file",
            &key,
            "--jsonl",
            &input,
        ])
        .assert()
        .success();
    let lines = json_lines(&String::from_utf8_lossy(&out.get_output().stdout));
    let number = |v: &Value| -> String {
        v["text"]
            .as_str()
            .expect("text")
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '-')
            .collect()
    };
    assert_eq!(number(&lines[0]), number(&lines[1]));
    assert_ne!(number(&lines[0]), "617-555-0142");
}

/// Days since 1970-01-01 of `MM/DD/YYYY`.
fn day_number(date: &str) -> i64 {
    let p: Vec<i64> = date
        .split('/')
        .map(|x| x.parse().expect("a number"))
        .collect();
    let (m, d, y) = (p[0], p[1], p[2]);
    let (y, m) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn first_date(text: &str) -> i64 {
    let start = text
        .find(|c: char| c.is_ascii_digit())
        .expect("a date in the text");
    day_number(&text[start..start + 10])
}

#[test]
fn date_intervals_survive_within_a_patient() {
    let dir = Dir::new();
    let key = dir.secret_file();
    let records = [
        ("p-001", "Admitted 03/04/2021 for pneumonia."),
        ("p-002", "Admitted 03/04/2021 for a fall."),
        ("p-001", "Discharged 03/19/2021, stable."),
        ("p-001", "Follow-up 12/30/2021 in clinic."),
    ];
    let jsonl: String = records
        .iter()
        .map(|(p, t)| format!("{{\"patient\": \"{p}\", \"text\": \"{t}\"}}\n"))
        .collect();
    let input = dir.write("dates.jsonl", jsonl.as_bytes());
    let out = phirewall()
        .args([
            "deid",
            "--policy",
            "surrogate",
            "--secret-file",
            &key,
            "--jsonl",
        ])
        .args(["--patient-field", "patient", &input])
        .assert()
        .success();
    let lines = json_lines(&String::from_utf8_lossy(&out.get_output().stdout));
    let days: Vec<i64> = lines
        .iter()
        .map(|l| first_date(l["text"].as_str().expect("text")))
        .collect();
    let original: Vec<i64> = records.iter().map(|(_, t)| first_date(t)).collect();
    // Patient p-001's intervals are kept across records; every date moved.
    assert_eq!(days[2] - days[0], original[2] - original[0]);
    assert_eq!(days[3] - days[0], original[3] - original[0]);
    assert!(days.iter().zip(&original).all(|(a, b)| a != b));
    // The patient key is an identifier too: dropped unless asked for.
    assert!(lines.iter().all(|l| l.get("patient").is_none()));
    let out = phirewall()
        .args([
            "deid",
            "--policy",
            "surrogate",
            "--secret-file",
            &key,
            "--jsonl",
        ])
        .args(["--patient-field", "patient", "--keep-key-fields", &input])
        .assert()
        .success();
    let kept = json_lines(&String::from_utf8_lossy(&out.get_output().stdout));
    assert_eq!(kept[1]["patient"], "p-002");
    assert_eq!(kept[2]["text"], lines[2]["text"]);

    // A policy that shifts dates rejects a record without its patient key.
    let input = dir.write(
        "nokey.jsonl",
        b"{\"patient\": \"p-1\", \"text\": \"Seen 03/04/2021.\"}\n{\"text\": \"Seen 03/05/2021.\"}\n",
    );
    let out = phirewall()
        .args([
            "deid",
            "--policy",
            "surrogate",
            "--secret-file",
            &key,
            "--jsonl",
        ])
        .args(["--patient-field", "patient", &input])
        .assert()
        .code(2);
    assert!(stderr(&out).contains("line 2: the patient key field \"patient\" is missing"));
}

#[test]
fn a_keyed_policy_without_a_secret_is_refused() {
    let dir = Dir::new();
    let input = dir.write("in.txt", b"MRN: 00123456.");
    let out_path = dir.path("out.txt");
    let out = phirewall()
        .args(["deid", "--policy", "surrogate", &input, "-o", &s(&out_path)])
        .assert()
        .code(1);
    let err = stderr(&out);
    assert!(
        err.contains("needs a secret")
            && err.contains("--secret-file")
            && err.contains("no default secret"),
        "{err}"
    );
    assert!(!out_path.exists());

    // No flag takes the secret's value.
    phirewall()
        .args(["deid", "--policy", "surrogate", "--secret", SECRET, &input])
        .assert()
        .code(1);

    // An unset variable, a short secret, a missing file: clear errors without the value.
    let out = phirewall()
        .args([
            "deid",
            "--policy",
            "surrogate",
            "--secret-env",
            "PHIREWALL_TEST_UNSET",
            &input,
        ])
        .env_remove("PHIREWALL_TEST_UNSET")
        .assert()
        .code(1);
    assert!(stderr(&out).contains("PHIREWALL_TEST_UNSET is not set"));
    let out = phirewall()
        .args([
            "deid",
            "--policy",
            "surrogate",
            "--secret-env",
            "PHIREWALL_TEST_KEY",
            &input,
        ])
        .env("PHIREWALL_TEST_KEY", "short-key-99")
        .assert()
        .code(1);
    assert!(stderr(&out).contains("too short") && !stderr(&out).contains("short-key-99"));
    let out = phirewall()
        .args([
            "deid",
            "--policy",
            "surrogate",
            "--secret-file",
            &s(&dir.path("nope")),
        ])
        .arg(&input)
        .assert()
        .code(1);
    assert!(stderr(&out).contains("secret file"), "{}", stderr(&out));

    // A key file others can read still works, with a warning that names the file only.
    #[cfg(unix)]
    {
        let shared = dir.write("shared-key", SECRET.as_bytes());
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&shared, fs::Permissions::from_mode(0o644)).expect("chmod");
        let out = phirewall()
            .args([
                "deid",
                "--policy",
                "surrogate",
                "--secret-file",
                &shared,
                &input,
            ])
            .assert()
            .success();
        assert!(stderr(&out).contains("readable by other users"));
        assert!(!stderr(&out).contains(SECRET));
    }

    // The environment works, and gives the same output as the file with the same secret.
    let by_env = phirewall()
        .args([
            "deid",
            "--policy",
            "surrogate",
            "--secret-env",
            "PHIREWALL_TEST_KEY",
            &input,
        ])
        .env("PHIREWALL_TEST_KEY", SECRET)
        .assert()
        .success();
    let by_default_env = phirewall()
        .args(["deid", "--policy", "surrogate", &input])
        .env("PHIREWALL_SECRET", SECRET)
        .assert()
        .success();
    let key = dir.secret_file();
    let by_file = phirewall()
        .args([
            "deid",
            "--policy",
            "surrogate",
            "--secret-file",
            &key,
            &input,
        ])
        .assert()
        .success();
    let stdout = |a: &assert_cmd::assert::Assert| a.get_output().stdout.clone();
    assert_eq!(stdout(&by_env), stdout(&by_file));
    assert_eq!(stdout(&by_default_env), stdout(&by_file));
    assert!(!String::from_utf8_lossy(&stdout(&by_file)).contains("00123456"));

    // A policy without keyed operators needs no secret.
    phirewall()
        .args(["deid", "--policy", "safe-harbor", &input])
        .assert()
        .success()
        .stdout("MRN: [MRN].");
}

#[test]
fn bad_records_are_rejected_by_line_and_the_rest_is_written() {
    let dir = Dir::new();
    let key = dir.secret_file();
    let mut input = Vec::new();
    input.extend_from_slice(
        b"{\"id\": 1, \"text\": \"Call 617-555-0142.\", \"meta\": {\"ward\": 7}}\n",
    );
    input.extend_from_slice(b"{\"id\": 2, \"text\": \"MRN 00123456 \xff\"}\n");
    input.extend_from_slice(b"{\"id\": 3, \"text\": \"MRN: 00999999\"\n");
    input.extend_from_slice(b"[\"MRN: 00999998\"]\n");
    input.extend_from_slice(b"{\"id\": 5, \"note\": \"MRN: 00999997\"}\n");
    input.extend_from_slice(b"{\"id\": 6, \"text\": 617555014}\n");
    input.extend_from_slice(b"\n");
    input.extend_from_slice(b"{\"id\": 8, \"text\": \"Seen by Dr. Quill, fax 617-555-0199.\"}\n");
    let input = dir.write("in.jsonl", &input);
    let out_path = dir.path("out.jsonl");
    let rejects = dir.path("rejects.jsonl");
    let report = dir.path("report.json");
    let out = phirewall()
        .args([
            "deid",
            "--policy",
            "surrogate",
            "--secret-file",
            &key,
            "--jsonl",
            &input,
        ])
        .args([
            "-o",
            &s(&out_path),
            "--rejects",
            &s(&rejects),
            "--report",
            &s(&report),
        ])
        .assert()
        .code(2);
    let err = stderr(&out);
    for value in ["00123456", "00999999", "00999998", "00999997", "617555014"] {
        assert!(!err.contains(value), "stderr quotes a record: {err}");
    }
    assert!(err.contains("5 of 7 records rejected"), "{err}");

    let written = json_lines(&read(&out_path));
    let ids: Vec<&Value> = written.iter().map(|r| &r["id"]).collect();
    assert_eq!(ids, [1, 8]);
    assert_eq!(written[0]["meta"], serde_json::json!({"ward": 7}));

    let rejected = json_lines(&read(&rejects));
    let lines: Vec<u64> = rejected
        .iter()
        .map(|r| r["line"].as_u64().expect("line"))
        .collect();
    assert_eq!(lines, [2, 3, 4, 5, 6]);
    let reasons: Vec<&str> = rejected
        .iter()
        .map(|r| r["reason"].as_str().expect("reason"))
        .collect();
    assert!(reasons[0].starts_with("invalid UTF-8"), "{reasons:?}");
    assert!(reasons[1].starts_with("malformed JSON"), "{reasons:?}");
    assert!(
        reasons[2].starts_with("expected a JSON object"),
        "{reasons:?}"
    );
    assert!(reasons[3].contains("none of the fields"), "{reasons:?}");
    assert!(
        reasons[4].contains("\"text\" must be a string"),
        "{reasons:?}"
    );
    let raw = read(&rejects);
    assert!(!raw.contains("0099999") && !raw.contains("MRN"), "{raw}");

    let report: Value = serde_json::from_str(&read(&report)).expect("JSON report");
    assert_eq!(report["records"]["read"], 7);
    assert_eq!(report["records"]["written"], 2);
    assert_eq!(report["records"]["rejected"], 5);
}

#[test]
fn report_and_annotations_hold_counts_and_offsets_not_text() {
    let dir = Dir::new();
    let report_path = dir.path("report.json");
    let ann_path = dir.path("ann.jsonl");
    deid_samples(
        &dir,
        "surrogate",
        &["--report", &s(&report_path), "--annotations", &s(&ann_path)],
    );
    let report: Value = serde_json::from_str(&read(&report_path)).expect("JSON report");
    let sha = |bytes: &[u8]| {
        Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    let input = fs::read(samples()).expect("samples");
    assert_eq!(report["input"]["sha256"], sha(&input));
    assert_eq!(report["input"]["bytes"], input.len());
    let output = fs::read(dir.path("surrogate.jsonl")).expect("output");
    assert_eq!(report["output"]["sha256"], sha(&output));
    assert_eq!(report["policy"], "surrogate");
    assert_eq!(report["policy_sha256"].as_str().map(str::len), Some(64));
    assert_eq!(report["dictionary_sha256"].as_str().map(str::len), Some(64));
    assert!(report["dictionary_version"].is_string() && report["phirewall_version"].is_string());
    assert_eq!(report["records"]["written"], 25);
    assert!(!read(&report_path).contains(SECRET));

    // Annotations: one line per record and field; counts agree with the report; the offsets
    // point at the replaced values in the input and at the replacements in the output.
    let inputs = json_lines(&read(&samples()));
    let outputs = json_lines(&String::from_utf8(output).expect("UTF-8"));
    let annotations = json_lines(&read(&ann_path));
    assert_eq!(annotations.len(), 25);
    let mut total = 0;
    for (i, a) in annotations.iter().enumerate() {
        assert_eq!(a["line"], i + 1);
        assert_eq!(a["field"], "text");
        let text: Vec<char> = inputs[i]["text"].as_str().expect("text").chars().collect();
        let out: Vec<char> = outputs[i]["text"].as_str().expect("text").chars().collect();
        for r in a["replacements"].as_array().expect("array") {
            total += 1;
            let n = |k: &str| r[k].as_u64().expect("offset") as usize;
            let before: String = text[n("start")..n("end")].iter().collect();
            let after: String = out[n("out_start")..n("out_end")].iter().collect();
            assert!(!before.is_empty());
            assert_ne!(before, after);
            assert!(!read(&ann_path).contains(&before) || before.len() < 4);
        }
    }
    let counted: u64 = report["replacements"]
        .as_object()
        .expect("counts per kind")
        .values()
        .map(|v| v.as_u64().expect("count"))
        .sum();
    assert_eq!(counted, total);
}

#[test]
fn known_identifiers_come_from_fields_and_are_dropped() {
    let dir = Dir::new();
    let records = "{\"id\": 1, \"pt\": \"Zebulon Quill\", \"mrn\": \"007123456\", \
                   \"text\": \"Quill ok overnight. Ref 7123456.\"}\n\
                   {\"id\": 2, \"known\": {\"names\": [\"Ada Lindqvist\"]}, \
                   \"text\": \"Lindqvist resting.\"}\n";
    let input = dir.write("known.jsonl", records.as_bytes());
    let out = phirewall()
        .args(["deid", "--policy", "safe-harbor", "--jsonl", &input])
        .args(["--known-name-fields", "pt", "--known-mrn-fields", "mrn"])
        .assert()
        .success();
    let lines = json_lines(&String::from_utf8_lossy(&out.get_output().stdout));
    assert_eq!(lines[0]["text"], "[NAME] ok overnight. Ref [MRN].");
    assert_eq!(lines[1]["text"], "[NAME] resting.");
    for l in &lines {
        let keys: Vec<&String> = l.as_object().expect("object").keys().collect();
        assert_eq!(keys, ["id", "text"]);
    }

    // A field cannot be both de-identified and a key (it would be dropped), and key fields
    // mean nothing for text files: both are usage errors rather than silent surprises.
    let out = phirewall()
        .args(["deid", "--policy", "safe-harbor", "--jsonl", &input])
        .args(["--known-name-fields", "text"])
        .assert()
        .code(1);
    assert!(stderr(&out).contains("both a field to de-identify and a key field"));
    let note = dir.write("note.txt", b"Quill ok.");
    phirewall()
        .args([
            "deid",
            "--policy",
            "safe-harbor",
            &note,
            "--patient-field",
            "mrn",
        ])
        .assert()
        .code(1);
}

#[test]
fn csv_columns_are_deidentified_and_bad_rows_rejected() {
    let dir = Dir::new();
    let csv = b"id,name,note,comment,unit\n\
        1,Zebulon Quill,\"Quill seen 03/04/2021, call 617-555-0199\",\"fax 617-555-0142\",ICU\n\
        2,Ada Lindqvist,\"two\nlines, MRN: 00123456\",,5B\n\
        3,Ann Bo,only three\n\
        4,Ann Bo,\"bad \xff byte\",x,ICU\n\
        5,Ann Bo,\"Bo stable\",\"\",\xfe\n\
        6,Ann Bo,\"a quote never closed\n\
        7,Ann Bo,swallowed by row 6,x,ICU\n";
    let input = dir.write("in.csv", csv);
    let out_path = dir.path("out.csv");
    let rejects = dir.path("rejects.jsonl");
    phirewall()
        .args([
            "deid",
            "--policy",
            "safe-harbor",
            "--csv",
            "--columns",
            "note,comment",
        ])
        .args(["--known-name-fields", "name", &input, "-o", &s(&out_path)])
        .args(["--rejects", &s(&rejects)])
        .assert()
        .code(2);
    let out = fs::read(&out_path).expect("output");
    let expected: &[u8] = b"id,note,comment,unit\n\
        1,\"[NAME] seen 2021, call [PHONE]\",fax [FAX],ICU\n\
        2,\"two\nlines, MRN: [MRN]\",,5B\n\
        5,[NAME] stable,,\xfe\n";
    assert_eq!(
        String::from_utf8_lossy(&out),
        String::from_utf8_lossy(expected)
    );
    let rejected = json_lines(&read(&rejects));
    let lines: Vec<u64> = rejected
        .iter()
        .map(|r| r["line"].as_u64().expect("line"))
        .collect();
    assert_eq!(lines, [5, 6, 8]);
    assert_eq!(rejected[1]["reason"], "column \"note\" is not UTF-8");
    assert!(rejected[2]["reason"]
        .as_str()
        .is_some_and(|r| r.contains("never closed")));

    // A column that is not in the header is a usage error, and nothing is written.
    let missing = dir.path("missing.csv");
    let out = phirewall()
        .args([
            "deid",
            "--policy",
            "safe-harbor",
            "--csv",
            "--columns",
            "notes",
            &input,
        ])
        .args(["-o", &s(&missing)])
        .assert()
        .code(1);
    assert!(stderr(&out).contains("no column named \"notes\""));
    assert!(!missing.exists());
    assert!(
        !dir.names().iter().any(|n| n.ends_with(".tmp")),
        "{:?}",
        dir.names()
    );
}

#[test]
fn directories_are_mirrored_file_by_file() {
    let dir = Dir::new();
    let key = dir.secret_file();
    dir.write("in/p1/a.txt", b"Admitted 03/04/2021. Call 617-555-0142.");
    dir.write("in/p1/b.txt", b"Discharged 03/19/2021.");
    dir.write("in/p2/a.txt", b"Admitted 03/04/2021.");
    dir.write("in/bad.txt", b"MRN: 00123456 \xff");
    let out_dir = dir.path("out");
    let report = dir.path("report.json");
    let out = phirewall()
        .args(["deid", "--policy", "surrogate", "--secret-file", &key])
        .args([&s(&dir.path("in")), "-o", &s(&out_dir), "--patient-by-dir"])
        .args(["--report", &s(&report)])
        .assert()
        .code(2);
    assert!(
        stderr(&out).contains("bad.txt: line 1: invalid UTF-8"),
        "{}",
        stderr(&out)
    );
    assert!(!out_dir.join("bad.txt").exists());
    let p1a = read(&out_dir.join("p1/a.txt"));
    let p1b = read(&out_dir.join("p1/b.txt"));
    let p2a = read(&out_dir.join("p2/a.txt"));
    assert!(!p1a.contains("617-555-0142") && !p1a.contains("03/04/2021"));
    // One folder, one patient: the interval between the two files is kept.
    assert_eq!(first_date(&p1b) - first_date(&p1a), 15);
    assert_ne!(first_date(&p2a), first_date("03/04/2021"));
    let report: Value = serde_json::from_str(&read(&report)).expect("JSON");
    assert_eq!(report["input"]["files"], 4);
    assert_eq!(report["output"]["files"], 3);
    assert_eq!(report["records"]["rejected"], 1);

    // An output directory inside the input is refused.
    phirewall()
        .args(["deid", "--policy", "safe-harbor", &s(&dir.path("in"))])
        .args(["-o", &s(&dir.path("in/out"))])
        .assert()
        .code(1);
}

#[test]
fn output_never_overwrites_the_input_and_failures_leave_no_file() {
    let dir = Dir::new();
    let input = dir.write("notes.jsonl", b"{\"text\": \"MRN: 00123456\"}\n");
    let out = phirewall()
        .args([
            "deid",
            "--policy",
            "safe-harbor",
            "--jsonl",
            &input,
            "-o",
            &input,
        ])
        .assert()
        .code(1);
    assert!(stderr(&out).contains("overwrite the input"));
    assert_eq!(read(Path::new(&input)), "{\"text\": \"MRN: 00123456\"}\n");
    // A keyed policy without a secret fails before any file is created.
    let target = dir.path("out.jsonl");
    phirewall()
        .args([
            "deid",
            "--policy",
            "surrogate",
            "--jsonl",
            &input,
            "-o",
            &s(&target),
        ])
        .args(["--report", &s(&dir.path("r.json"))])
        .assert()
        .code(1);
    assert_eq!(dir.names(), ["notes.jsonl"]);
}

#[test]
fn large_inputs_keep_their_order_across_chunks() {
    let dir = Dir::new();
    let key = dir.secret_file();
    let corpus = phirewall()
        .args(["synth", "--notes", "3000", "--jsonl", "--seed", "5"])
        .assert()
        .success();
    let input = dir.write("big.jsonl", &corpus.get_output().stdout);
    let out_path = dir.path("big.out.jsonl");
    phirewall()
        .args([
            "deid",
            "--policy",
            "surrogate",
            "--secret-file",
            &key,
            "--jsonl",
            &input,
        ])
        .args(["-o", &s(&out_path), "--threads", "2"])
        .assert()
        .success();
    let lines = json_lines(&read(&out_path));
    assert_eq!(lines.len(), 3000);
    assert!(lines
        .iter()
        .enumerate()
        .all(|(i, l)| l["id"].as_u64() == Some(i as u64 + 1)));
}
