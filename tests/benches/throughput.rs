//! Throughput of the IODEF 2.0 bindings on a synthetic bulk document.
//!
//! Run with `cargo bench -p iodef-tests --bench throughput`.
//!
//! The document is built at run time by `iodef_tests::bulk` (corpus Incidents replicated with
//! unique IDs) until it reaches `IODEF_BENCH_MB` megabytes (default 30).
//! Every phase is timed `IODEF_BENCH_RUNS` times (default 7) and the median is reported.
//! MB is 10^6 bytes throughout.
//!
//! Peak memory is measured in a child process (this executable, re-run with
//! `IODEF_BENCH_RSS_CHILD=1`): it builds the same document, resets the peak-RSS counter where the
//! kernel allows it, parses, and reports the growth of `VmHWM` from `/proc/self/status`.

use std::hint::black_box;
use std::process::Command;

use iodef::bindings::iodef2::IodefDocument;
use iodef::Document;
use iodef_tests::bench::{self, mbps, median_time, ms, proc_status_kb, MB};
use iodef_tests::bulk::{self, Bulk, IODEF2_NS, SOURCES};
use quick_xml::events::Event;
use quick_xml::name::{Namespace, ResolveResult};
use quick_xml::NsReader;

const BENCH: &str = "throughput";
const RSS_CHILD_ENV: &str = "IODEF_BENCH_RSS_CHILD";

fn fail(msg: impl std::fmt::Display) -> ! {
    bench::fail(BENCH, msg)
}

fn build_bulk(target_bytes: usize) -> Bulk {
    bulk::build(target_bytes).unwrap_or_else(|e| fail(e))
}

fn ns_scan(bytes: &[u8]) -> usize {
    bench::ns_scan(bytes).unwrap_or_else(|e| fail(format!("NsReader scan failed: {e}")))
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
    let target_mb: f64 = bench::env_number(BENCH, "IODEF_BENCH_MB", 30.0);
    if !target_mb.is_finite() || target_mb <= 0.0 {
        fail("IODEF_BENCH_MB must be positive");
    }
    let target_bytes = (target_mb * MB) as usize;
    if std::env::var_os(RSS_CHILD_ENV).is_some() {
        rss_child(target_bytes);
        return;
    }
    let runs: usize = bench::env_number(BENCH, "IODEF_BENCH_RUNS", 7);
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

    // One entry point alone, for a profiler: `IODEF_BENCH_ONLY=parse|validate|write`.
    if let Ok(only) = std::env::var("IODEF_BENCH_ONLY") {
        let t = match only.as_str() {
            "parse" => median_time(runs, || parse(black_box(xml))),
            "validate" => median_time(runs, || iodef::rt::validate::validate(black_box(xml))),
            "write" => median_time(runs, || write(black_box(&doc), out_size)),
            other => fail(format!(
                "IODEF_BENCH_ONLY={other}: expected parse, validate or write"
            )),
        };
        println!("{only}: {:.1} MB/s ({:.1} ms)", mbps(size, t), ms(t));
        return;
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
