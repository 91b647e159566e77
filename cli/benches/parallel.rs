//! `iodef validate` on many corpus-sized files: wall time with 1 job and with 2 (`-j`), and
//! `xmllint --noout --schema` on the same files (one process for all of them) when installed.
//!
//! Run with `cargo bench -p iodef-cli --bench parallel`. `IODEF_PARALLEL_FILES` (default 2000)
//! sets the number of files: the schema-valid IODEF 2.0 corpus documents, copied round-robin
//! into a temporary directory. `IODEF_PARALLEL_RUNS` (default 3): the median is reported. This
//! prints figures and asserts nothing about time.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use iodef_tests::bench;

const BENCH: &str = "parallel";

fn fail(msg: impl std::fmt::Display) -> ! {
    bench::fail(BENCH, msg)
}

fn time(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs.max(1))
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let count: usize = bench::env_number(BENCH, "IODEF_PARALLEL_FILES", 2000);
    let runs: usize = bench::env_number(BENCH, "IODEF_PARALLEL_RUNS", 3);
    let sources: Vec<Vec<u8>> = iodef_tests::corpus::entries()
        .into_iter()
        .filter(|e| e.is_iodef2() && e.xmlschema_valid && e.path.ends_with(".xml"))
        .map(|e| std::fs::read(&e.file).unwrap_or_else(|err| fail(err)))
        .collect();
    if sources.is_empty() {
        fail("no schema-valid IODEF 2.0 corpus document");
    }
    let dir = std::env::temp_dir().join(format!("iodef-parallel-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| fail(e));
    let mut bytes = 0;
    let files: Vec<PathBuf> = (0..count)
        .map(|i| {
            let doc = &sources[i % sources.len()];
            bytes += doc.len();
            let path = dir.join(format!("{i:05}.xml"));
            std::fs::write(&path, doc).unwrap_or_else(|e| fail(e));
            path
        })
        .collect();
    let validate = |jobs: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_iodef"))
            .args(["validate", "--rules", "warn", "-j", jobs, "-r"])
            .arg(&dir)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .unwrap_or_else(|e| fail(format!("cannot run iodef: {e}")));
        if !out.status.success() {
            fail(format!(
                "iodef validate -j {jobs} failed: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    };
    let one = time(runs, || validate("1"));
    let two = time(runs, || validate("2"));
    println!(
        "iodef validate on {count} files ({:.1} MB, {} distinct corpus documents), median of {runs} runs; load average {}",
        bytes as f64 / bench::MB,
        sources.len(),
        bench::load_average()
    );
    println!("-j 1: {:.2} s", one.as_secs_f64());
    println!(
        "-j 2: {:.2} s ({:.2}x -j 1)",
        two.as_secs_f64(),
        one.as_secs_f64() / two.as_secs_f64()
    );
    let xmllint = Command::new("xmllint")
        .arg("--version")
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if xmllint {
        let schema = iodef_tests::validator::schema();
        let t = time(runs, || {
            let _ = Command::new("xmllint")
                .arg("--noout")
                .arg("--schema")
                .arg(&schema)
                .args(&files)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        });
        println!(
            "xmllint --noout --schema (one process, all files): {:.2} s; iodef -j 2 is {:.2}x as fast",
            t.as_secs_f64(),
            t.as_secs_f64() / two.as_secs_f64()
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
