//! Throughput of the IODEF 2.0 bindings on a synthetic bulk document.
//!
//! Run with `cargo bench -p iodef --bench throughput`.
//!
//! The document is built at run time from the `Incident` elements of the schema-valid
//! IODEF 2.0 examples in `../shared/corpus` (relative to the workspace), replicated round-robin
//! under one `IODEF-Document` root until it reaches `IODEF_BENCH_MB` megabytes (default 30);
//! `observable-id`/`uid-ref` values get a per-copy suffix so that the result stays schema-valid.
//! Every phase is timed `IODEF_BENCH_RUNS` times (default 7) and the median is reported.
//! MB is 10^6 bytes throughout.
//!
//! Peak memory is measured in a child process (this executable, re-run with
//! `IODEF_BENCH_RSS_CHILD=1`): it builds the same document, resets the peak-RSS counter where the
//! kernel allows it, parses, and reports the growth of `VmHWM` from `/proc/self/status`.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{exit, Command};
use std::time::{Duration, Instant};

use iodef::bindings::iodef2::IodefDocument;
use iodef::Document;
use quick_xml::events::Event;
use quick_xml::name::{Namespace, PrefixDeclaration, ResolveResult};
use quick_xml::NsReader;

const IODEF2_NS: &str = "urn:ietf:params:xml:ns:iodef-2.0";
const DS_NS: &str = "http://www.w3.org/2000/09/xmldsig#";

/// Schema-valid IODEF 2.0 documents of the shared corpus whose Incidents are replicated.
const SOURCES: &[&str] = &[
    "rfc7970/rfc7970-7.1-minimal.xml",
    "rfc8274/rfc8274-B.1-malware-delivery-url.xml",
    "rfc8274/rfc8274-B.2-ddos.xml",
    "rfc8274/rfc8274-B.3-spear-phishing.xml",
    "rfc8274/rfc8274-B.4-malware.xml",
    "rfc8274/rfc8274-B.5-iot-malware.xml",
];

const RSS_CHILD_ENV: &str = "IODEF_BENCH_RSS_CHILD";
const MB: f64 = 1_000_000.0;

fn fail(msg: impl std::fmt::Display) -> ! {
    eprintln!("throughput bench: {msg}");
    exit(1)
}

fn env_number<T: std::str::FromStr>(name: &str, default: T) -> T {
    match std::env::var(name) {
        Ok(v) => v
            .trim()
            .parse()
            .unwrap_or_else(|_| fail(format!("{name}={v:?} is not a valid number"))),
        Err(_) => default,
    }
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus")
}

/// The bulk document and what went into it.
struct Bulk {
    xml: Vec<u8>,
    incidents: usize,
    templates: usize,
}

/// Namespace declarations of a source root plus the text of its direct `Incident` children.
struct Source {
    decls: Vec<(String, String)>,
    incidents: Vec<String>,
}

fn extract(path: &Path) -> Source {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| fail(format!("cannot read {}: {e}", path.display())));
    let bytes = text.as_bytes();
    let mut reader = NsReader::from_reader(bytes);
    let mut depth = 0usize;
    let mut decls = Vec::new();
    let mut incidents = Vec::new();
    let mut incident_start: Option<usize> = None;
    loop {
        let before = reader.buffer_position() as usize;
        let (ns, event) = reader
            .read_resolved_event()
            .unwrap_or_else(|e| fail(format!("{}: {e}", path.display())));
        let in_iodef2 =
            matches!(ns, ResolveResult::Bound(Namespace(n)) if n == IODEF2_NS.as_bytes());
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let local = e.local_name();
                if depth == 0 {
                    if !in_iodef2 || local.as_ref() != b"IODEF-Document" {
                        fail(format!(
                            "{}: root is not an IODEF 2.0 document",
                            path.display()
                        ));
                    }
                    for attr in e.attributes() {
                        let attr =
                            attr.unwrap_or_else(|err| fail(format!("{}: {err}", path.display())));
                        let prefix = match attr.key.as_namespace_binding() {
                            Some(PrefixDeclaration::Default) => String::new(),
                            Some(PrefixDeclaration::Named(p)) => {
                                String::from_utf8_lossy(p).into_owned()
                            }
                            None => continue,
                        };
                        let value = String::from_utf8_lossy(&attr.value).into_owned();
                        decls.push((prefix, value));
                    }
                } else if depth == 1 && in_iodef2 && local.as_ref() == b"Incident" {
                    if empty {
                        incidents.push(text[before..reader.buffer_position() as usize].to_owned());
                    } else {
                        incident_start = Some(before);
                    }
                }
                if !empty {
                    depth += 1;
                }
            }
            Event::End(_) => {
                depth -= 1;
                if depth == 1 {
                    if let Some(start) = incident_start.take() {
                        incidents.push(text[start..reader.buffer_position() as usize].to_owned());
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if incidents.is_empty() {
        fail(format!("{}: no Incident element", path.display()));
    }
    Source { decls, incidents }
}

fn build_bulk(target_bytes: usize) -> Bulk {
    let dir = corpus_dir();
    // Declarations of the synthetic root: the ones the brief fixes, then every declaration
    // found on a source root (same prefix must mean the same namespace everywhere).
    let mut decls: Vec<(String, String)> = vec![
        (String::new(), IODEF2_NS.to_owned()),
        ("ds".to_owned(), DS_NS.to_owned()),
    ];
    let mut templates = Vec::new();
    for rel in SOURCES {
        let path = dir.join(rel);
        let src = extract(&path);
        for (prefix, uri) in src.decls {
            match decls.iter().find(|(p, _)| *p == prefix) {
                Some((_, u)) if *u == uri => {}
                Some((_, u)) => fail(format!(
                    "{}: prefix {prefix:?} bound to {uri}, elsewhere to {u}",
                    path.display()
                )),
                None => decls.push((prefix, uri)),
            }
        }
        templates.extend(src.incidents);
    }

    let mut head = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<IODEF-Document version=\"2.00\" xml:lang=\"en\"",
    );
    for (prefix, uri) in &decls {
        if prefix.is_empty() {
            head.push_str(&format!(" xmlns=\"{uri}\""));
        } else {
            head.push_str(&format!(" xmlns:{prefix}=\"{uri}\""));
        }
    }
    head.push('>');
    let sep = "\n  ";
    let tail = "\n</IODEF-Document>\n";

    // Room for the target plus one more Incident (with renamed IDs): never reallocates.
    let longest = templates.iter().map(String::len).max().unwrap_or(0);
    let mut xml = Vec::with_capacity(target_bytes + head.len() + tail.len() + 2 * longest + 64);
    xml.extend_from_slice(head.as_bytes());
    let mut incidents = 0usize;
    while xml.len() + tail.len() < target_bytes || incidents == 0 {
        xml.extend_from_slice(sep.as_bytes());
        let copy = incidents / templates.len();
        push_with_unique_ids(&mut xml, &templates[incidents % templates.len()], copy);
        incidents += 1;
    }
    xml.extend_from_slice(tail.as_bytes());
    Bulk {
        xml,
        incidents,
        templates: templates.len(),
    }
}

/// `IndicatorID` content is an xs:ID too: in copy `copy` > 0 it gets the suffix `.{copy}`.
fn unique_indicator_ids(incident: &str, copy: usize) -> String {
    if copy == 0 {
        return incident.to_string();
    }
    let mut out = String::with_capacity(incident.len() + 64);
    let mut rest = incident;
    while let Some(at) = rest.find("IndicatorID") {
        // `<IndicatorID` or `<prefix:IndicatorID` (not an end tag, not another name's tail).
        let tag = rest[..at].rfind('<').map_or("", |lt| &rest[lt..at]);
        let is_start_tag = !tag.starts_with("</")
            && tag.starts_with('<')
            && tag[1..].chars().all(|c| c != ' ' && c != '>' && c != '"');
        let Some(gt) = rest[at..].find('>').map(|i| at + i + 1) else {
            break;
        };
        if !is_start_tag || rest[..gt].ends_with("/>") {
            out.push_str(&rest[..gt]);
            rest = &rest[gt..];
            continue;
        }
        let text_end = gt + rest[gt..].find('<').unwrap_or(rest.len() - gt);
        let value_end = gt + rest[gt..text_end].trim_end().len();
        out.push_str(&rest[..value_end]);
        out.push_str(&format!(".{copy}"));
        rest = &rest[value_end..];
    }
    out.push_str(rest);
    out
}

/// Appends `incident`, keeping xs:ID values unique across copies: in copy `copy` > 0 every
/// `observable-id` (xs:ID) and `uid-ref` (xs:IDREF) value gets the suffix `.{copy}`.
fn push_with_unique_ids(out: &mut Vec<u8>, incident: &str, copy: usize) {
    const NAMES: [&str; 2] = ["observable-id", "uid-ref"];
    let incident = unique_indicator_ids(incident, copy);
    let mut rest = incident.as_str();
    if copy > 0 {
        while let Some((at, name)) = NAMES
            .iter()
            .filter_map(|n| rest.find(n).map(|i| (i, *n)))
            .min()
        {
            let after_name = at + name.len();
            // ` name = "value"` with optional whitespace around `=`: the end of the value.
            let value_end = (|| {
                if at == 0 || !rest.as_bytes()[at - 1].is_ascii_whitespace() {
                    return None;
                }
                let tail = rest[after_name..]
                    .trim_start()
                    .strip_prefix('=')?
                    .trim_start();
                let quote = tail.chars().next().filter(|q| matches!(q, '"' | '\''))?;
                let value_start = rest.len() - tail.len() + 1;
                Some(value_start + rest[value_start..].find(quote)?)
            })();
            match value_end {
                Some(end) => {
                    out.extend_from_slice(&rest.as_bytes()[..end]);
                    out.extend_from_slice(format!(".{copy}").as_bytes());
                    rest = &rest[end..];
                }
                None => {
                    out.extend_from_slice(&rest.as_bytes()[..after_name]);
                    rest = &rest[after_name..];
                }
            }
        }
    }
    out.extend_from_slice(rest.as_bytes());
}

/// Events of a bare `NsReader` pass over `bytes`.
fn ns_scan(bytes: &[u8]) -> usize {
    let mut reader = NsReader::from_reader(bytes);
    let mut events = 0usize;
    loop {
        match reader.read_resolved_event() {
            Ok((_, Event::Eof)) => return events,
            Ok(ev) => {
                black_box(&ev);
                events += 1;
            }
            Err(e) => fail(format!("NsReader scan failed: {e}")),
        }
    }
}

/// Direct `Incident` children of the root of `bytes` (an IODEF 2.0 document).
fn count_incidents(bytes: &[u8]) -> usize {
    let mut reader = NsReader::from_reader(bytes);
    let mut depth = 0usize;
    let mut count = 0usize;
    loop {
        let (ns, event) = reader
            .read_resolved_event()
            .unwrap_or_else(|e| fail(format!("written document does not read back: {e}")));
        let hit = |local: &[u8]| {
            depth == 1
                && local == b"Incident"
                && matches!(ns, ResolveResult::Bound(Namespace(n)) if n == IODEF2_NS.as_bytes())
        };
        match event {
            Event::Start(ref e) => {
                count += usize::from(hit(e.local_name().as_ref()));
                depth += 1;
            }
            Event::Empty(ref e) => count += usize::from(hit(e.local_name().as_ref())),
            Event::End(_) => depth -= 1,
            Event::Eof => return count,
            _ => {}
        }
    }
}

fn parse(bytes: &[u8]) -> Document<IodefDocument> {
    Document::<IodefDocument>::from_slice(bytes)
        .unwrap_or_else(|e| fail(format!("typed parse of the bulk document failed: {e}")))
}

fn write(doc: &Document<IodefDocument>, capacity: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(capacity);
    doc.write_to(&mut out)
        .unwrap_or_else(|e| fail(format!("write failed: {e}")));
    out
}

/// Median wall time of `runs` calls of `f`; what `f` returns is dropped outside the timing.
fn median_time<R>(runs: usize, mut f: impl FnMut() -> R) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            let r = f();
            let t = start.elapsed();
            drop(black_box(r));
            t
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn mbps(bytes: usize, t: Duration) -> f64 {
    bytes as f64 / MB / t.as_secs_f64()
}

fn ms(t: Duration) -> f64 {
    t.as_secs_f64() * 1e3
}

/// A field of `/proc/self/status`, in kB.
fn proc_status_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find_map(|line| {
        let rest = line.strip_prefix(field)?.strip_prefix(':')?;
        rest.trim().strip_suffix("kB")?.trim().parse().ok()
    })
}

/// Child process: build, reset the peak-RSS counter if possible, parse, report.
fn rss_child(target_bytes: usize) {
    let bulk = build_bulk(target_bytes);
    // "5" resets VmHWM to the current RSS (Linux >= 4.0); otherwise the baseline is the
    // high-water mark left by building the document.
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let (Some(before), Some(rss_before)) = (proc_status_kb("VmHWM"), proc_status_kb("VmRSS"))
    else {
        fail("no VmHWM/VmRSS in /proc/self/status");
    };
    let doc = parse(black_box(&bulk.xml));
    let after = proc_status_kb("VmHWM").unwrap_or(0);
    let rss_after = proc_status_kb("VmRSS").unwrap_or(0);
    black_box(&doc);
    println!(
        "rss {before} {after} {rss_before} {rss_after} {} {}",
        u8::from(reset),
        bulk.xml.len()
    );
}

/// Runs [`rss_child`] in a fresh process: (peak growth, retained growth) in bytes, and whether
/// the high-water mark could be reset before parsing.
fn measure_rss() -> Result<(u64, u64, bool), String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let out = Command::new(exe)
        .env(RSS_CHILD_ENV, "1")
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!(
            "child failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let fields: Vec<u64> = stdout
        .lines()
        .find_map(|l| l.strip_prefix("rss "))
        .ok_or("no report from child")?
        .split_whitespace()
        .map(|f| {
            f.parse()
                .map_err(|_| format!("bad child report {stdout:?}"))
        })
        .collect::<Result<_, _>>()?;
    let [hwm_before, hwm_after, rss_before, rss_after, reset, _] = fields[..] else {
        return Err(format!("bad child report {stdout:?}"));
    };
    Ok((
        hwm_after.saturating_sub(hwm_before) * 1024,
        rss_after.saturating_sub(rss_before) * 1024,
        reset == 1,
    ))
}

fn main() {
    let target_mb: f64 = env_number("IODEF_BENCH_MB", 30.0);
    if !target_mb.is_finite() || target_mb <= 0.0 {
        fail("IODEF_BENCH_MB must be positive");
    }
    let target_bytes = (target_mb * MB) as usize;
    if std::env::var_os(RSS_CHILD_ENV).is_some() {
        rss_child(target_bytes);
        return;
    }
    let runs: usize = env_number("IODEF_BENCH_RUNS", 7);
    if runs == 0 {
        fail("IODEF_BENCH_RUNS must be at least 1");
    }

    let bulk = build_bulk(target_bytes);
    let xml = bulk.xml.as_slice();
    let size = xml.len();

    // Check once, untimed: the typed parser accepts the document, and what it writes holds
    // every Incident.
    let doc = parse(xml);
    let written = write(&doc, size + size / 4);
    let out_size = written.len();
    let written_incidents = count_incidents(&written);
    if written_incidents != bulk.incidents {
        fail(format!(
            "written document has {written_incidents} Incidents, expected {}",
            bulk.incidents
        ));
    }
    drop(written);
    // The collecting validator accepts it too.
    let report = iodef::rt::validate::validate(xml);
    if !report.is_valid() {
        fail(format!(
            "the validator refuses the bulk document: {:?}",
            report.errors.first()
        ));
    }

    let mut events = 0usize;
    let t_scan = median_time(runs, || events = ns_scan(black_box(xml)));
    let t_parse = median_time(runs, || parse(black_box(xml)));
    let t_validate = median_time(runs, || iodef::rt::validate::validate(black_box(xml)));
    let t_write = median_time(runs, || write(black_box(&doc), out_size));
    drop(doc);
    let t_round = median_time(runs, || {
        let doc = parse(black_box(xml));
        let out = write(&doc, out_size);
        (doc, out) // both dropped after the clock stops
    });

    let scan = mbps(size, t_scan);
    let typed = mbps(size, t_parse);
    println!("iodef throughput (MB = 10^6 bytes, median of {runs} runs)");
    println!(
        "document: {:.2} MB, {} Incidents ({} distinct, from {} corpus files), {events} events",
        size as f64 / MB,
        bulk.incidents,
        bulk.templates,
        SOURCES.len()
    );
    println!("NsReader scan: {scan:.1} MB/s ({:.1} ms)", ms(t_scan));
    println!(
        "typed parse: {typed:.1} MB/s ({:.1} ms, {:.1}% of NsReader scan)",
        ms(t_parse),
        100.0 * typed / scan
    );
    let validating = mbps(size, t_validate);
    println!(
        "validate (rt::validate, every error collected): {validating:.1} MB/s ({:.1} ms, {:.1}% of NsReader scan)",
        ms(t_validate),
        100.0 * validating / scan
    );
    println!(
        "write: {:.1} MB/s of output ({:.1} ms, output {:.2} MB)",
        mbps(out_size, t_write),
        ms(t_write),
        out_size as f64 / MB
    );
    println!(
        "parse+write: {:.1} MB/s of input ({:.1} ms)",
        mbps(size, t_round),
        ms(t_round)
    );
    match measure_rss() {
        Ok((peak, retained, reset)) => println!(
            "peak RSS growth / doc size: {:.2}x ({:.1} MB peak, {:.1} MB retained after parse{})",
            peak as f64 / size as f64,
            peak as f64 / MB,
            retained as f64 / MB,
            if reset {
                ""
            } else {
                "; VmHWM not resettable, baseline includes building the document"
            }
        ),
        Err(e) => println!("peak RSS growth / doc size: unavailable ({e})"),
    }
}
