//! RFC 8727 JSON and CBOR throughput on the synthetic bulk document, beside the practical
//! limits measured in the same run: `serde_json::Value` parsing the same JSON bytes, and
//! `ciborium::Value` decoding the same CBOR bytes.
//!
//! Run with `cargo bench -p iodef-tests --bench rfc8727` (`IODEF_BENCH_MB`, default 30, and
//! `IODEF_BENCH_RUNS`, default 7, as for the throughput bench). MB is 10^6 bytes of the format
//! read or written; every figure is the median of the runs.

use std::hint::black_box;

use iodef::rfc8727;
use iodef_tests::bench::{self, mbps, median_time, ms, MB};

const BENCH: &str = "rfc8727";

fn fail(msg: impl std::fmt::Display) -> ! {
    bench::fail(BENCH, msg)
}

fn main() {
    let target_mb: f64 = bench::env_number(BENCH, "IODEF_BENCH_MB", 30.0);
    let runs: usize = bench::env_number(BENCH, "IODEF_BENCH_RUNS", 7);
    if !target_mb.is_finite() || target_mb <= 0.0 || runs == 0 {
        fail("IODEF_BENCH_MB must be positive and IODEF_BENCH_RUNS at least 1");
    }
    let bulk = iodef_tests::bulk::build((target_mb * MB) as usize).unwrap_or_else(|e| fail(e));
    let doc = iodef::read(&bulk.xml).unwrap_or_else(|e| fail(format!("bulk document: {e}")));

    // Untimed checks: both forms read back as the document.
    let (json, losses) = rfc8727::to_json(&doc, false).unwrap_or_else(|e| fail(e));
    let (cbor, _) = rfc8727::to_cbor(&doc).unwrap_or_else(|e| fail(e));
    for (what, back) in [
        ("JSON", rfc8727::from_json(&json)),
        ("CBOR", rfc8727::from_cbor(&cbor)),
    ] {
        let back = back.unwrap_or_else(|e| fail(format!("{what} does not read back: {e}")));
        if back.root != rfc8727::from_json(&json).unwrap().root {
            fail(format!("{what} reads back as another document"));
        }
    }

    let t_json_write = median_time(runs, || rfc8727::to_json(black_box(&doc), false));
    let t_json_read = median_time(runs, || rfc8727::from_json(black_box(&json)));
    let t_json_value = median_time(runs, || {
        serde_json::from_str::<serde_json::Value>(black_box(&json)).map(drop)
    });
    let t_cbor_write = median_time(runs, || rfc8727::to_cbor(black_box(&doc)));
    let t_cbor_read = median_time(runs, || rfc8727::from_cbor(black_box(&cbor)));
    let t_cbor_value = median_time(runs, || {
        ciborium::from_reader::<ciborium::Value, _>(black_box(cbor.as_slice())).map(drop)
    });
    let t_xml_read = median_time(runs, || iodef::read(black_box(&bulk.xml)));

    let (xml_size, json_size, cbor_size) = (bulk.xml.len(), json.len(), cbor.len());
    println!("iodef RFC 8727 throughput (MB = 10^6 bytes, median of {runs} runs)");
    println!(
        "bulk document: {:.1} MB XML, {} Incidents; JSON {:.1} MB ({} loss items), CBOR {:.1} MB; load average: {}",
        xml_size as f64 / MB,
        bulk.incidents,
        json_size as f64 / MB,
        losses.len(),
        cbor_size as f64 / MB,
        bench::load_average()
    );
    let line = |what: &str, size: usize, t| {
        println!("{what:<38} {:>8.1} MB/s ({:.1} ms)", mbps(size, t), ms(t));
    };
    line(
        "serde_json::Value parse of the JSON",
        json_size,
        t_json_value,
    );
    line("JSON read (from_json, typed)", json_size, t_json_read);
    line("JSON write (to_json)", json_size, t_json_write);
    line(
        "ciborium::Value decode of the CBOR",
        cbor_size,
        t_cbor_value,
    );
    line("CBOR read (from_cbor, typed)", cbor_size, t_cbor_read);
    line("CBOR write (to_cbor)", cbor_size, t_cbor_write);
    line("XML read (iodef::read), for scale", xml_size, t_xml_read);
    println!(
        "JSON read / serde_json::Value: {:.2}; CBOR read / ciborium::Value: {:.2}",
        t_json_value.as_secs_f64() / t_json_read.as_secs_f64(),
        t_cbor_value.as_secs_f64() / t_cbor_read.as_secs_f64()
    );
}
