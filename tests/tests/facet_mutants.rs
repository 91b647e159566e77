//! Mutants of real corpus documents that break a facet, a built-in lexical rule or the
//! `xs:ID`/`xs:IDREF` constraints: the reader refuses each with a path naming the mutated element,
//! and Python `xmlschema` (the independent validator) agrees that each mutant is invalid while the
//! unmutated document is valid.

use std::path::PathBuf;

use iodef_tests::{corpus, validator};

struct Mutant {
    name: &'static str,
    source: &'static str,
    /// Replaced once; the source must contain it.
    find: &'static str,
    replace: &'static str,
    /// The refusal's path must contain this.
    path: &'static str,
    /// ... and its message this.
    message: &'static str,
}

const MUTANTS: &[Mutant] = &[
    Mutant {
        name: "duplicate observable-id",
        source: "rfc8274/rfc8274-B.4-malware.xml",
        find: r#"observable-id="addr-c2-91011-002""#,
        replace: r#"observable-id="addr-c2-91011-001""#,
        path: "/Address[",
        message: "duplicate xs:ID",
    },
    Mutant {
        name: "dangling uid-ref",
        source: "rfc8274/rfc8274-B.4-malware.xml",
        find: r#"uid-ref="addr-c2-91011-003""#,
        replace: r#"uid-ref="addr-c2-91011-999""#,
        path: "/ObservableReference[",
        message: "matches no xs:ID",
    },
    Mutant {
        name: "observable-id that is not an NCName",
        source: "rfc8274/rfc8274-B.4-malware.xml",
        find: r#"observable-id="file-91011-001""#,
        replace: r#"observable-id="1-file""#,
        path: "/FileData[",
        message: "not an xs:ID",
    },
    Mutant {
        name: "Portlist breaking its pattern",
        source: "rfc8274/rfc8274-B.2-ddos.xml",
        find: "<iodef:Port>1337</iodef:Port>",
        replace: "<iodef:Portlist>1337,x</iodef:Portlist>",
        path: "/Portlist[",
        message: "does not match the pattern",
    },
];

fn mutate(m: &Mutant) -> Vec<u8> {
    let text = std::fs::read_to_string(corpus::corpus_dir().join(m.source)).expect("read source");
    assert!(
        text.contains(m.find),
        "{}: {:?} not found in {}",
        m.name,
        m.find,
        m.source
    );
    text.replacen(m.find, m.replace, 1).into_bytes()
}

#[test]
fn facet_and_id_mutants_are_refused_like_xmlschema_refuses_them() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("facet_mutants");
    std::fs::create_dir_all(&dir).unwrap();
    let mut files = Vec::new();
    for (i, m) in MUTANTS.iter().enumerate() {
        let bytes = mutate(m);
        let err = iodef::read(&bytes).expect_err(m.name);
        assert!(
            err.path.contains(m.path),
            "{}: path {:?} ({err})",
            m.name,
            err.path
        );
        assert!(err.message.contains(m.message), "{}: {err}", m.name);
        assert!(err.line > 0, "{}: {err}", m.name);
        let file = dir.join(format!("mutant-{i}.xml"));
        std::fs::write(&file, &bytes).unwrap();
        files.push(file);
    }
    if validator::skip_requested() {
        eprintln!("IODEF_SKIP_VALIDATOR set: agreement with xmlschema not checked");
        return;
    }
    let verdicts =
        validator::validate(&files, validator::Engine::XmlSchema).expect("xmlschema runs");
    for (m, file) in MUTANTS.iter().zip(&files) {
        let verdict = &verdicts[file];
        assert!(
            !verdict.valid,
            "{}: xmlschema accepts the mutant, the reader refuses it",
            m.name
        );
    }
    println!(
        "facet/ID mutants: {} refused by both the reader and xmlschema",
        MUTANTS.len()
    );
}
