//! `iodef convert` keeps comments, processing instructions and `xsi:` attributes (written back
//! in place); `--drop-comments` leaves comments and PIs out and says how many on stderr;
//! `iodef validate` accepts the `xsi:` attributes the typed reader accepts.

mod common;

use common::{code, run_with_stdin, stderr, stdout};

const DOC: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
    "<!-- prolog -->\n",
    r#"<IODEF-Document xmlns="urn:ietf:params:xml:ns:iodef-2.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:ietf:params:xml:ns:iodef-2.0 iodef-2.0.xsd" version="2.00" xml:lang="en">"#,
    r#"<Incident purpose="reporting" xsi:schemaLocation="urn:example x.xsd"><IncidentID name="csirt.example.com">1</IncidentID>"#,
    "<!-- between -->",
    "<GenerationTime>2015-07-18T09:00:00Z</GenerationTime>",
    r#"<Contact role="creator" type="organization"><?pi data?><Email><EmailTo xsi:type="EmailTo-is-not-a-type-name-here">a@b.example</EmailTo></Email></Contact>"#,
    "</Incident></IODEF-Document>\n<!-- epilog -->",
);

fn valid_doc() -> String {
    // Without the xsi:type (which names no type: refused).
    DOC.replace(r#" xsi:type="EmailTo-is-not-a-type-name-here""#, "")
}

#[test]
fn convert_writes_comments_pis_and_xsi_back() {
    let out = run_with_stdin(&["convert", "--to", "xml", "-"], valid_doc().as_bytes());
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    // Byte-for-byte, but for where xmlns:xsi is declared (the root has no xsi attribute).
    let xsi = r#" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance""#;
    // (Output ends with a line feed.)
    assert_eq!(
        stdout(&out).replace(xsi, ""),
        format!("{}\n", valid_doc().replace(xsi, ""))
    );
}

#[test]
fn drop_comments_says_what_it_drops() {
    let out = run_with_stdin(
        &["convert", "--to", "xml", "--drop-comments", "-"],
        valid_doc().as_bytes(),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "<stdin>: note: 4 comment(s) and processing instruction(s) dropped (--drop-comments)\n"
    );
    let written = stdout(&out);
    assert!(
        !written.contains("<!--") && !written.contains("<?pi"),
        "{written}"
    );
    // The xsi attribute is not a comment: kept.
    assert!(
        written.contains(r#"xsi:schemaLocation="urn:example x.xsd""#),
        "{written}"
    );
    // Nothing to drop: no note.
    let again = run_with_stdin(
        &["convert", "--to", "xml", "--drop-comments", "-"],
        written.as_bytes(),
    );
    assert_eq!(code(&again), 0);
    assert!(stderr(&again).is_empty(), "{}", stderr(&again));
    assert_eq!(stdout(&again), written);
}

#[test]
fn xsi_verdicts_of_convert_and_validate_agree() {
    let ok = run_with_stdin(&["validate", "-"], valid_doc().as_bytes());
    assert_eq!(code(&ok), 0, "{}", stdout(&ok));
    let bad = run_with_stdin(&["validate", "-"], DOC.as_bytes());
    assert_eq!(code(&bad), 1);
    assert!(
        stdout(&bad).contains("EmailTo[1]: xsi:type {urn:ietf:params:xml:ns:iodef-2.0}EmailTo-is-not-a-type-name-here on EmailTo"),
        "{}",
        stdout(&bad)
    );
    let refused = run_with_stdin(&["convert", "--to", "xml", "-"], DOC.as_bytes());
    assert_eq!(code(&refused), 1);
    assert!(
        stderr(&refused).contains("/Email[1]/EmailTo[1]: xsi:type"),
        "{}",
        stderr(&refused)
    );
}
