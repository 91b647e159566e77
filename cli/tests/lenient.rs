//! `iodef convert --lenient` through the real binary: unknown content is a warning on
//! standard error (`FILE:LINE:COL: warning: PATH: ...`), written back in place, exit 0;
//! without `--lenient` the same document is refused as before.

mod common;

use common::{code, run, run_with_stdin, stderr, stdout};

const NS: &str = "urn:ietf:params:xml:ns:iodef-2.0";

const WITH_UNKNOWN: &str = r#"<IODEF-Document version="2.00" xmlns="urn:ietf:params:xml:ns:iodef-2.0">
  <Incident purpose="reporting" future="1">
    <IncidentID name="csirt.example.com">492382</IncidentID>
    <GenerationTime>2015-07-18T09:00:00-05:00</GenerationTime>
    <Contact type="organization" role="creator">
      <Pager>+1 555 0100</Pager>
    </Contact>
  </Incident>
</IODEF-Document>
"#;

const CLEAN: &str = r#"<IODEF-Document version="2.00" xmlns="urn:ietf:params:xml:ns:iodef-2.0">
  <Incident purpose="reporting">
    <IncidentID name="csirt.example.com">492382</IncidentID>
    <GenerationTime>2015-07-18T09:00:00-05:00</GenerationTime>
    <Contact type="organization" role="creator">
    </Contact>
  </Incident>
</IODEF-Document>
"#;

#[test]
fn strict_convert_refuses_unknown_content() {
    let out = run_with_stdin(&["convert", "--to", "xml", "-"], WITH_UNKNOWN.as_bytes());
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    // Every schema error, in `iodef validate`'s words.
    assert_eq!(
        stderr(&out),
        format!(
            "<stdin>:2:33: error: /IODEF-Document/Incident[1]: unexpected attribute future on Incident\n\
             <stdin>:6:7: error: /IODEF-Document/Incident[1]/Contact[1]/Pager[1]: unexpected element {{{NS}}}Pager; \
             expected ContactName, ContactTitle, Description, RegistryHandle, PostalAddress, Email, Telephone, \
             Timezone, Contact or AdditionalData\n"
        )
    );
    let validate = run_with_stdin(&["validate", "-"], WITH_UNKNOWN.as_bytes());
    assert_eq!(code(&validate), 1);
    assert!(
        stdout(&validate).starts_with(&stderr(&out)),
        "{}",
        stdout(&validate)
    );
    assert!(stdout(&out).is_empty());
}

#[test]
fn lenient_convert_warns_and_writes_the_known_content() {
    let out = run_with_stdin(
        &["convert", "--to", "xml", "--lenient", "-"],
        WITH_UNKNOWN.as_bytes(),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        format!(
            "<stdin>:2:33: warning: /IODEF-Document/Incident[1]: unknown attribute future\n\
             <stdin>:6:7: warning: /IODEF-Document/Incident[1]/Contact[1]/Pager[1]: unknown element {{{NS}}}Pager\n"
        )
    );
    // The unknown content is written back in place: the output differs from the strict
    // conversion of the document without it exactly by that content.
    let clean = run_with_stdin(&["convert", "--to", "xml", "-"], CLEAN.as_bytes());
    assert_eq!(code(&clean), 0, "{}", stderr(&clean));
    let written = stdout(&out);
    assert!(
        written.contains(r#"<Incident purpose="reporting" future="1">"#),
        "{written}"
    );
    assert!(
        written.contains(
            "<Contact role=\"creator\" type=\"organization\"><Pager>+1 555 0100</Pager></Contact>"
        ),
        "{written}"
    );
    assert_eq!(
        written
            .replace(r#" future="1""#, "")
            .replace("<Pager>+1 555 0100</Pager>", ""),
        stdout(&clean).replace(
            "type=\"organization\"/>",
            "type=\"organization\"></Contact>"
        )
    );
    // Converting the output again gives the same warnings (paths, same lines: one line only
    // after the declaration, so columns differ) and the same text.
    let again = run_with_stdin(
        &["convert", "--to", "xml", "--lenient", "-"],
        written.as_bytes(),
    );
    assert_eq!(code(&again), 0, "{}", stderr(&again));
    assert_eq!(stdout(&again), written);
    assert_eq!(stderr(&again).lines().count(), 2, "{}", stderr(&again));
}

#[test]
fn lenient_convert_names_the_file_and_is_quiet_on_valid_input() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-lenient");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("unknown.xml");
    std::fs::write(&file, WITH_UNKNOWN).unwrap();
    let name = file.to_str().unwrap();
    let out = run(&["convert", "--lenient", "--to", "xml", name]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(
        lines[0].starts_with(&format!("{name}:2:33: warning: ")),
        "{err}"
    );

    let clean = dir.join("clean.xml");
    std::fs::write(&clean, CLEAN).unwrap();
    let out = run(&[
        "convert",
        "--lenient",
        "--to",
        "xml",
        clean.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
}

#[test]
fn lenient_convert_still_refuses_missing_content() {
    let input = CLEAN.replace(
        "<GenerationTime>2015-07-18T09:00:00-05:00</GenerationTime>",
        "<Future/>",
    );
    let out = run_with_stdin(
        &["convert", "--lenient", "--to", "xml", "-"],
        input.as_bytes(),
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    // (The unknown <Future/> is not an error: what is missing is.)
    let err = stderr(&out);
    assert!(
        err.contains("error: /IODEF-Document/Incident[1]: missing required element in Incident")
            && err.contains("GenerationTime")
            && !err.contains("Future"),
        "{err}"
    );
}
