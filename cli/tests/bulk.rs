//! Many inputs with the real binary: `validate` over files and directories (`-r`), in parallel
//! (`-j`) with results in input order; `info`; shell completions and the manual page.

mod common;

use common::{code, run, stderr, stdout};

fn corpus() -> String {
    iodef_tests::corpus::corpus_dir()
        .to_string_lossy()
        .into_owned()
}

#[test]
fn validate_a_directory_in_parallel_prints_in_input_order() {
    let dir = corpus();
    let out = run(&["validate", &dir]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("is a directory (use -r to read the documents in it)"));
    let one = run(&["validate", "-r", "-j", "1", "--format", "json", &dir]);
    let two = run(&["validate", "-r", "-j", "2", "--format", "json", &dir]);
    assert_eq!(
        stdout(&one),
        stdout(&two),
        "the same output whatever the number of jobs"
    );
    assert_eq!(code(&one), code(&two));
    // One record per document, in path order; .xml, .json and .cbor files, nothing else.
    let files: Vec<String> = stdout(&one)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v.get("schema_valid").is_some())
        .map(|v| v["file"].as_str().unwrap().to_string())
        .collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted);
    assert!(files
        .iter()
        .all(|f| [".xml", ".json", ".cbor"].iter().any(|e| f.ends_with(e))));
    let manifest = iodef_tests::corpus::entries();
    assert!(
        files.len() >= manifest.len(),
        "{} files, {} in the manifest",
        files.len(),
        manifest.len()
    );
    // The text summary counts them all.
    let text = run(&["validate", "-r", "--rules", "off", &dir]);
    let last = stdout(&text).lines().last().unwrap().to_string();
    assert!(
        last.starts_with(&format!("{} files: ", files.len())),
        "{last}"
    );
}

#[test]
fn info_says_what_a_document_holds() {
    let dir = corpus();
    let file = |rel: &str| format!("{dir}/{rel}");
    let out = run(&[
        "info",
        &file("rfc7970/rfc7970-7.1-minimal.xml"),
        &file("rfc8727/rfc8727-4.1-minimal.cbor"),
        &file("rfc5901/rfc5901-C.2-phishing-report.xml"),
        &file("milewg-iodef-converter/infiles/malware1.xml"),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    let iodef2 = "{urn:ietf:params:xml:ns:iodef-2.0}IODEF-Document version 2.00";
    assert_eq!(
        lines[0],
        format!(
            "{}: {iodef2}: 1 Incident, 0 Indicators, 0 Observables",
            file("rfc7970/rfc7970-7.1-minimal.xml")
        )
    );
    assert_eq!(
        lines[1],
        format!(
            "{}: {iodef2}: 1 Incident, 0 Indicators, 0 Observables",
            file("rfc8727/rfc8727-4.1-minimal.cbor")
        )
    );
    assert!(
        lines[2].ends_with("; extensions: urn:ietf:params:xml:ns:iodef-phish-1.0"),
        "{}",
        lines[2]
    );
    assert!(
        lines[3].ends_with(": 1 Incident, 1 Indicator, 6 Observables"),
        "{}",
        lines[3]
    );
    let json = run(&[
        "info",
        "--format",
        "json",
        &file("rfc7970/rfc7970-7.1-minimal.xml"),
    ]);
    let v: serde_json::Value = serde_json::from_str(stdout(&json).trim()).unwrap();
    assert_eq!(v["incidents"], 1);
    assert_eq!(v["version"], "2.00");
    // An invalid document: its first error, exit 1; the others are still listed.
    let bad = file("milewg-iodef-converter/infiles/iodef-2.0.xml");
    let out = run(&["info", &bad, &file("rfc7970/rfc7970-7.1-minimal.xml")]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).starts_with(&format!("{bad}:13:17: error: ")),
        "{}",
        stderr(&out)
    );
    assert_eq!(stdout(&out).lines().count(), 1);
}

#[test]
fn completions_and_manual_page() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = run(&["completions", shell]);
        assert_eq!(code(&out), 0, "{shell}: {}", stderr(&out));
        assert!(
            stdout(&out).contains("validate") && stdout(&out).contains("convert"),
            "{shell}"
        );
    }
    let out = run(&["completions", "tcsh"]);
    assert_eq!(code(&out), 2);
    let man = run(&["man"]);
    assert_eq!(code(&man), 0);
    let page = stdout(&man);
    assert!(page.contains(".TH iodef 1"), "{page}");
    for command in ["convert", "validate", "info", "completions"] {
        assert!(page.contains(command), "the manual names {command}");
    }
}

/// On a terminal (a pseudo-terminal from util-linux `script`), several files get a progress
/// bar on standard error; `--quiet` has none; `NO_COLOR` gives one without colour. Not on a
/// terminal (every other test): no bar.
#[test]
fn progress_bar_on_a_terminal_only() {
    if !pty_available() {
        assert!(
            std::env::var("CI").is_err(),
            "CI: util-linux `script` is needed"
        );
        eprintln!("skipping: no `script` command for a pseudo-terminal");
        return;
    }
    let dir = format!("{}/rfc7970", corpus());
    let on_tty = |flags: &str, env: &[(&str, &str)]| {
        let line = format!(
            "{} validate -r --rules off {flags} {dir}",
            env!("CARGO_BIN_EXE_iodef")
        );
        let out = std::process::Command::new("script")
            .args(["-qec", &line, "/dev/null"])
            .env_remove("NO_COLOR")
            .envs(env.iter().copied())
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let with_bar = on_tty("", &[]);
    assert!(with_bar.contains("/4 files"), "{with_bar}");
    assert!(with_bar.contains("\u{1b}[36m"), "coloured");
    assert!(with_bar
        .trim_end()
        .ends_with("4 files: 2 valid, 2 invalid (4 errors, 0 warnings)"));
    let quiet = on_tty("-q", &[]);
    assert!(!quiet.contains("/4 files"), "{quiet}");
    let plain = on_tty("", &[("NO_COLOR", "1")]);
    assert!(
        plain.contains("/4 files") && !plain.contains("\u{1b}[36m"),
        "{plain}"
    );
    // Not a terminal: no bar.
    let out = run(&["validate", "-r", "--rules", "off", &dir]);
    assert!(!stderr(&out).contains("files"), "{}", stderr(&out));
}

/// `convert` of many inputs: `--out-dir` (named after the inputs, with the format's
/// extension), `-o` for one, one loss report line per input, refusals of ambiguous requests.
#[test]
fn convert_many_inputs_to_files() {
    let dir = corpus();
    let out_dir = std::env::temp_dir().join(format!("iodef-convert-out-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out_dir);
    let out_dir = out_dir.to_string_lossy().into_owned();
    let report = format!("{out_dir}.losses.json");
    let minimal = format!("{dir}/rfc7970/rfc7970-7.1-minimal.xml");
    let malware = format!("{dir}/milewg-iodef-converter/infiles/malware1.xml");
    let out = run(&[
        "convert",
        "--to",
        "json",
        "--out-dir",
        &out_dir,
        "--loss-report",
        &report,
        &minimal,
        &malware,
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    // Converted in parallel; what each says comes in input order.
    let said: Vec<bool> = stderr(&out)
        .lines()
        .map(|l| l.starts_with(&format!("{minimal}:")))
        .collect();
    assert!(
        said.first() == Some(&true) && said.last() == Some(&false),
        "{}",
        stderr(&out)
    );
    assert!(
        said.windows(2).all(|w| w[0] || !w[1]),
        "input order: {}",
        stderr(&out)
    );
    for name in ["rfc7970-7.1-minimal.json", "malware1.json"] {
        let text = std::fs::read_to_string(format!("{out_dir}/{name}")).unwrap();
        let doc = iodef::rfc8727::from_json(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(doc.root.as_iodef2().is_some());
        assert!(text.ends_with("}\n"));
    }
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&report)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1]["file"], malware.as_str());
    // -o: one file, written only on success.
    let target = format!("{out_dir}/single.cbor");
    let out = run(&["convert", "--to", "cbor", "-o", &target, &minimal]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(std::fs::read(&target).unwrap()[0], 0xa3);
    let bad = format!("{dir}/milewg-iodef-converter/infiles/iodef-2.0.xml");
    let failed = format!("{out_dir}/failed.json");
    let out = run(&["convert", "--to", "json", "-o", &failed, &bad]);
    assert_eq!(code(&out), 1);
    assert!(!std::path::Path::new(&failed).exists());
    // Several inputs need --out-dir; -o takes one; two inputs of one name are refused.
    let out = run(&["convert", "--to", "json", &minimal, &malware]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("several inputs need --out-dir"));
    let out = run(&["convert", "--to", "json", "-o", &failed, &minimal, &malware]);
    assert_eq!(code(&out), 2);
    let twin = format!("{dir}/milewg-iodef-converter/outfiles/malware1-xml2xml.xml");
    let out = run(&[
        "convert",
        "--to",
        "xml",
        "--out-dir",
        &out_dir,
        &twin,
        &twin,
    ]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("would both be written to"),
        "{}",
        stderr(&out)
    );
    let _ = std::fs::remove_dir_all(&out_dir);
    let _ = std::fs::remove_file(&report);
}

/// `split` then `merge` gives the document back (infoset-equal), for IODEF 1.0 and 2.0;
/// headers that differ and Incidents that cannot stand alone are refused.
#[test]
fn split_and_merge_round_trip() {
    let tmp = std::env::temp_dir().join(format!("iodef-split-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).unwrap();
    let bulk = tmp.join("bulk.xml");
    std::fs::write(&bulk, iodef_tests::bulk::build(60_000).unwrap().xml).unwrap();
    let v1 = format!("{}/iodeflib/iodef.xml", corpus());
    for (source, parts) in [(v1.clone(), 4), (bulk.to_string_lossy().into_owned(), 0)] {
        let dir = tmp.join(format!("parts-{parts}"));
        let dir = dir.to_string_lossy().into_owned();
        let out = run(&["split", "--out-dir", &dir, &source]);
        assert_eq!(code(&out), 0, "{source}: {}", stderr(&out));
        let mut written: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path().to_string_lossy().into_owned())
            .collect();
        written.sort();
        if parts > 0 {
            assert_eq!(written.len(), parts);
        }
        assert!(written.len() > 1, "{source}: {written:?}");
        let mut args = vec!["merge".to_string()];
        args.extend(written);
        let merged = run(&args);
        assert_eq!(code(&merged), 0, "{}", stderr(&merged));
        let original = std::fs::read(&source).unwrap();
        iodef_tests::infoset::compare_xml(&original, &merged.stdout)
            .unwrap_or_else(|e| panic!("{source}: split + merge differs: {e}"));
    }
    // Different headers: refused, naming what differs.
    let minimal = format!("{}/rfc7970/rfc7970-7.1-minimal.xml", corpus());
    let other_lang = tmp.join("fr.xml");
    std::fs::write(
        &other_lang,
        std::fs::read_to_string(&minimal)
            .unwrap()
            .replace(r#"xml:lang="en""#, r#"xml:lang="fr""#),
    )
    .unwrap();
    let out = run(&["merge", &minimal, other_lang.to_str().unwrap()]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out)
            .ends_with("cannot merge: its header differs from the first document's: xml:lang\n"),
        "{}",
        stderr(&out)
    );
    let out = run(&["merge", &minimal, &v1]);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("IODEF 1.0 and 2.0 documents cannot be merged"));
    // An Incident whose IDREF names an ID in another Incident cannot stand alone.
    let linked = tmp.join("linked.xml");
    let doc = std::fs::read_to_string(&minimal).unwrap().replace(
        "</Incident>",
        r#"<EventData><Flow><System><Node><Address observable-id="a1">192.0.2.1</Address></Node></System></Flow></EventData></Incident>
  <Incident purpose="reporting"><IncidentID name="csirt.example.com">2</IncidentID>
    <GenerationTime>2015-07-18T09:00:00-05:00</GenerationTime>
    <Contact type="organization" role="creator"><Email><EmailTo>c@csirt.example.com</EmailTo></Email></Contact>
    <IndicatorData><Indicator><IndicatorID name="csirt.example.com" version="1">i1</IndicatorID><ObservableReference uid-ref="a1"/></Indicator></IndicatorData>
  </Incident>"#,
    );
    std::fs::write(&linked, doc).unwrap();
    let dir = tmp.join("linked-parts");
    let out = run(&[
        "split",
        "--out-dir",
        dir.to_str().unwrap(),
        linked.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("Incident 2 cannot stand alone"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.exists(), "nothing written");
    let _ = std::fs::remove_dir_all(&tmp);
}

/// On a terminal, findings show the source line with a caret (rustc-style); plain lines
/// otherwise (every other test reads a pipe).
#[test]
fn findings_show_the_source_line_on_a_terminal() {
    if !pty_available() {
        assert!(
            std::env::var("CI").is_err(),
            "CI: util-linux `script` is needed"
        );
        return;
    }
    let file = format!("{}/rfc7970/rfc7970-7.2-campaign-indicators.xml", corpus());
    let line = format!("{} validate {file}", env!("CARGO_BIN_EXE_iodef"));
    let out = std::process::Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).replace('\r', "");
    assert!(text.contains(&format!("--> {file}:16:11\n")), "{text}");
    assert!(
        text.contains("16 |           <Description>Aggressive Butterfly</Description>\n"),
        "{text}"
    );
    assert!(text.contains("   |           ^^^^^^^^^^^^^\n"), "{text}");
    assert!(!text.contains('\u{1b}'), "NO_COLOR: no escapes");
    // Through a pipe: the plain line.
    let piped = run(&["validate", &file]);
    assert!(stdout(&piped).starts_with(&format!("{file}:16:11: error: ")));
}

/// Whether util-linux `script` can give a command a pseudo-terminal.
fn pty_available() -> bool {
    std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}
