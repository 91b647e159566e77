//! Streaming benchmark (issue 11's table): on one bulk IODEF 2.0 document of
//! `IODEF_STREAM_MB` MB (default 150, unique IDs):
//!
//! - peak resident memory (`/usr/bin/time -f %M`) of `iodef validate` streamed and read whole
//!   (`IODEF_WHOLE=1`), beside `xmllint --stream` and `xmllint --noout --schema`, and the size
//!   of the document's `xs:ID` set (what streaming keeps beyond its bounded part);
//! - `iodef validate` throughput against `xmllint --noout --schema` on the same file, same run;
//! - the library's typed streaming parse (`StreamReader` over a file) against a bare quick-xml
//!   `NsReader` scan of the same file through a `BufReader` (the reference).
//!
//! Run with `cargo bench -p iodef-cli --bench streaming`; `IODEF_STREAM_RUNS` (default 3) runs
//! per timing (median). Prints figures, asserts nothing about time.

use std::io::BufReader;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use iodef::rt::stream::StreamReader;
use iodef_tests::bench::{self, mbps, median_time, MB};

const BENCH: &str = "streaming";

fn fail(msg: impl std::fmt::Display) -> ! {
    bench::fail(BENCH, msg)
}

/// Peak resident set (KiB) and wall seconds of a command, from `/usr/bin/time -f %M`.
fn measured(program: &str, args: &[&str], env: &[(&str, &str)]) -> (u64, f64) {
    let start = Instant::now();
    let out = Command::new("/usr/bin/time")
        .args(["-f", "%M"])
        .arg(program)
        .args(args)
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .unwrap_or_else(|e| fail(format!("cannot run /usr/bin/time: {e}")));
    let secs = start.elapsed().as_secs_f64();
    if !out.status.success() {
        fail(format!(
            "{program} {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let text = String::from_utf8_lossy(&out.stderr);
    let kib = text
        .lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or_else(|| fail(format!("no peak RSS in {text:?}")));
    (kib, secs)
}

/// Events of a bare `NsReader` pass over a file (buffered).
fn ns_scan_file(path: &Path) -> usize {
    let file = std::fs::File::open(path).unwrap_or_else(|e| fail(e));
    let mut reader = quick_xml::NsReader::from_reader(BufReader::with_capacity(64 << 10, file));
    let mut buf = Vec::new();
    let mut events = 0;
    loop {
        buf.clear();
        match reader.read_resolved_event_into(&mut buf) {
            Ok((_, quick_xml::events::Event::Eof)) => return events,
            Ok(ev) => {
                std::hint::black_box(&ev);
                events += 1;
            }
            Err(e) => fail(e),
        }
    }
}

/// Incidents of a typed streaming parse of a file.
fn typed_stream_file(path: &Path) -> usize {
    let file = std::fs::File::open(path).unwrap_or_else(|e| fail(e));
    let input = BufReader::with_capacity(64 << 10, file);
    let mut reader =
        StreamReader::<_, iodef::v2::IodefDocument>::new(input).unwrap_or_else(|e| fail(e));
    let mut incidents = 0;
    while let Some(part) = reader.next_part().unwrap_or_else(|e| fail(e)) {
        incidents += part.incident.len();
        std::hint::black_box(&part);
    }
    incidents
}

fn main() {
    let mb: f64 = bench::env_number(BENCH, "IODEF_STREAM_MB", 150.0);
    let runs: usize = bench::env_number(BENCH, "IODEF_STREAM_RUNS", 3);
    let bulk = iodef_tests::bulk::build((mb * MB) as usize).unwrap_or_else(|e| fail(e));
    let dir = std::env::temp_dir().join(format!("iodef-bench-streaming-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| fail(e));
    let path = dir.join("bulk.xml");
    std::fs::write(&path, &bulk.xml).unwrap_or_else(|e| fail(e));
    let size = bulk.xml.len();
    // The xs:ID set: every observable-id value, as the stream keeps it (value, line, column,
    // hash-table slot).
    let text = String::from_utf8_lossy(&bulk.xml);
    let (ids, id_bytes) = text
        .match_indices("observable-id=\"")
        .map(|(at, m)| text[at + m.len()..].find('"').unwrap_or(0))
        .fold((0usize, 0usize), |(n, b), len| (n + 1, b + len));
    drop(text);
    let incidents = bulk.incidents;
    drop(bulk);
    let per_id = std::mem::size_of::<(String, (u64, u64))>() + 8;
    let id_set_mib = (ids * per_id + id_bytes) as f64 / (1 << 20) as f64;
    println!(
        "{BENCH}: {:.1} MB document, {incidents} Incidents, {ids} xs:ID values (ID set ≈ {id_set_mib:.1} MiB: {per_id} bytes + the value each); load {}",
        size as f64 / MB,
        bench::load_average()
    );
    let file = path.to_string_lossy().into_owned();
    let iodef = env!("CARGO_BIN_EXE_iodef");
    let schema = iodef_tests::validator::schema();
    let schema = schema.to_string_lossy().into_owned();
    let has_xmllint = Command::new("xmllint").arg("--version").output().is_ok();
    let median = |f: &dyn Fn() -> (u64, f64)| {
        let mut all: Vec<(u64, f64)> = (0..runs).map(|_| f()).collect();
        all.sort_by(|a, b| a.1.total_cmp(&b.1));
        let peak = all.iter().map(|r| r.0).max().unwrap_or(0);
        (peak, all[all.len() / 2].1)
    };
    let streamed = median(&|| measured(iodef, &["validate", "-q", &file], &[]));
    let whole = median(&|| measured(iodef, &["validate", "-q", &file], &[("IODEF_WHOLE", "1")]));
    let row = |name: &str, (kib, secs): (u64, f64)| {
        println!(
            "{BENCH}: {name:<44} peak RSS {:>8.1} MiB  {:>7.1} MB/s",
            kib as f64 / 1024.0,
            size as f64 / MB / secs
        );
    };
    row("iodef validate (streamed)", streamed);
    row("iodef validate (whole, IODEF_WHOLE=1)", whole);
    if has_xmllint {
        let lint = median(&|| measured("xmllint", &["--noout", "--schema", &schema, &file], &[]));
        let lint_stream = median(&|| {
            measured(
                "xmllint",
                &["--stream", "--noout", "--schema", &schema, &file],
                &[],
            )
        });
        row("xmllint --noout --schema", lint);
        row("xmllint --stream --noout --schema", lint_stream);
        println!(
            "{BENCH}: iodef validate / xmllint --noout --schema throughput: {:.2}x (target >= 1.5)",
            lint.1 / streamed.1
        );
    }
    println!(
        "{BENCH}: iodef validate peak RSS {:.1} MiB; bound 32 MiB + ID set {id_set_mib:.1} MiB = {:.1} MiB",
        streamed.0 as f64 / 1024.0,
        32.0 + id_set_mib
    );
    let scan = median_time(runs, || ns_scan_file(&path));
    let typed = median_time(runs, || typed_stream_file(&path));
    println!(
        "{BENCH}: bare NsReader scan {:.1} MB/s; typed streaming parse {:.1} MB/s; ratio {:.2} (target >= 0.50)",
        mbps(size, scan),
        mbps(size, typed),
        scan.as_secs_f64() / typed.as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
