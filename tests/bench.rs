//! Shared pieces of the benchmarks (`cargo bench -p iodef-tests`, `cargo bench -p iodef-cli`):
//! the reference scan, timing and reporting. Benchmarks print figures; they assert nothing
//! about time.

use std::hint::black_box;
use std::time::{Duration, Instant};

use quick_xml::events::Event;
use quick_xml::NsReader;

/// MB is 10^6 bytes throughout.
pub const MB: f64 = 1_000_000.0;

/// Reports a benchmark set-up failure and exits.
pub fn fail(bench: &str, msg: impl std::fmt::Display) -> ! {
    eprintln!("{bench} bench: {msg}");
    std::process::exit(1)
}

/// An environment variable parsed as `T`, or `default` when unset.
pub fn env_number<T: std::str::FromStr>(bench: &str, name: &str, default: T) -> T {
    match std::env::var(name) {
        Ok(v) => v
            .trim()
            .parse()
            .unwrap_or_else(|_| fail(bench, format!("{name}={v:?} is not a valid number"))),
        Err(_) => default,
    }
}

/// Events of a bare quick-xml `NsReader` pass over `bytes`: the reference every throughput is
/// compared with.
pub fn ns_scan(bytes: &[u8]) -> Result<usize, quick_xml::Error> {
    let mut reader = NsReader::from_reader(bytes);
    let mut events = 0usize;
    loop {
        match reader.read_resolved_event()? {
            (_, Event::Eof) => return Ok(events),
            ev => {
                black_box(&ev);
                events += 1;
            }
        }
    }
}

/// Median wall time of `runs` calls of `f`; what `f` returns is dropped outside the timing.
pub fn median_time<R>(runs: usize, mut f: impl FnMut() -> R) -> Duration {
    let mut times: Vec<Duration> = (0..runs.max(1))
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

/// Throughput in MB/s.
pub fn mbps(bytes: usize, t: Duration) -> f64 {
    bytes as f64 / MB / t.as_secs_f64()
}

/// Milliseconds.
pub fn ms(t: Duration) -> f64 {
    t.as_secs_f64() * 1e3
}

/// A field of `/proc/self/status`, in kB.
pub fn proc_status_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find_map(|line| {
        let rest = line.strip_prefix(field)?.strip_prefix(':')?;
        rest.trim().strip_suffix("kB")?.trim().parse().ok()
    })
}

/// The machine's load averages (`/proc/loadavg`), for the report.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "unknown".into())
}
