//! Scaling benchmark: every library entry point and every CLI command on bulk IODEF 2.0
//! documents of about 1, 10 and 100 MB (RFC 8727 rows: MB/s of the XML document's size, so
//! that rows compare), with MB/s per size and the ratio between the largest and
//! the smallest size (1.00 = perfectly linear; a quadratic path falls with size), beside a bare
//! quick-xml `NsReader` scan of the same bytes and `xmllint --noout --schema` on the same files
//! when xmllint is installed.
//!
//! Run with `cargo bench -p iodef-cli --bench scaling`. `IODEF_SCALING_MB` (default `1,10,100`)
//! sets the sizes, `IODEF_SCALING_RUNS` (default 3) the runs per measurement (the median is
//! reported), `IODEF_SCALING_ONLY` a text the measured entries' names must contain. MB is 10^6 bytes. This prints figures and asserts nothing about time; the
//! linearity *test* (`cli/tests/linearity.rs`) counts instructions instead.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use iodef::bindings::iodef2::IodefDocument;
use iodef::{Document, Policy, ReadOptions};
use iodef_tests::bench::{self, mbps, median_time, MB};
use iodef_tests::bulk;

const BENCH: &str = "scaling";

fn fail(msg: impl std::fmt::Display) -> ! {
    bench::fail(BENCH, msg)
}

/// Runs an operation once on a document (its bytes and its file) and says how long it took.
type Run = Box<dyn Fn(&[u8], &Path) -> Duration>;

/// One measured operation.
struct Entry {
    name: &'static str,
    run: Run,
}

/// Runs `iodef ARGS FILE` (stdout discarded) and checks its exit status.
fn cli(args: &'static [&'static str]) -> Run {
    Box::new(move |_, file| {
        let start = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_iodef"))
            .args(args)
            .arg(file)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .unwrap_or_else(|e| fail(format!("cannot run iodef: {e}")));
        let t = start.elapsed();
        if !out.status.success() {
            fail(format!(
                "iodef {} {} failed ({}): {}",
                args.join(" "),
                file.display(),
                out.status,
                String::from_utf8_lossy(&out.stderr)
                    .lines()
                    .next()
                    .unwrap_or("")
            ));
        }
        t
    })
}

/// Runs `iodef ARGS FILE.json`, FILE.json being the RFC 8727 JSON of the document (written
/// untimed beside it).
fn cli_on_json(args: &'static [&'static str]) -> Run {
    Box::new(move |bytes, file| {
        let json = file.with_extension("json");
        let (text, _) =
            iodef::rfc8727::to_json(&typed_root(bytes), false).unwrap_or_else(|e| fail(e));
        std::fs::write(&json, text).unwrap_or_else(|e| fail(e));
        let t = cli(args)(bytes, &json);
        let _ = std::fs::remove_file(&json);
        t
    })
}

/// The document read with any root (what `iodef::rfc8727` converts).
fn typed_root(bytes: &[u8]) -> Document<iodef::Root> {
    iodef::read(bytes).unwrap_or_else(|e| fail(e))
}

/// Times `f` once on the bytes.
fn lib<R: 'static>(f: fn(&[u8]) -> R) -> Run {
    Box::new(move |bytes, _| median_time(1, || f(black_box(bytes))))
}

fn typed(bytes: &[u8]) -> Document<IodefDocument> {
    Document::<IodefDocument>::from_slice(bytes).unwrap_or_else(|e| fail(e))
}

fn entries(xmllint: bool) -> Vec<Entry> {
    let mut entries = vec![
        Entry {
            name: "NsReader scan (reference)",
            run: lib(|b| bench::ns_scan(b).unwrap_or_else(|e| fail(e))),
        },
        Entry {
            name: "iodef::read (any root)",
            run: lib(|b| iodef::read(b).unwrap_or_else(|e| fail(e))),
        },
        Entry {
            name: "Document<IodefDocument>::from_slice",
            run: lib(typed),
        },
        Entry {
            name: "iodef::read_with (lenient)",
            run: lib(|b| {
                let options = ReadOptions {
                    policy: Policy::Lenient,
                    ..ReadOptions::default()
                };
                iodef::read_with(b, &options).unwrap_or_else(|e| fail(e))
            }),
        },
        Entry {
            name: "rt::validate::validate",
            run: lib(|b| {
                let report = iodef::rt::validate::validate(b);
                if !report.is_valid() {
                    fail(format!("validator refuses: {:?}", report.errors.first()));
                }
                report
            }),
        },
        Entry {
            name: "rules::check",
            run: lib(|b| {
                let findings = iodef::rules::check(b);
                if let Some(f) = findings.first() {
                    fail(format!("prose rules: {f:?}"));
                }
                findings
            }),
        },
        Entry {
            name: "write_to (a new Vec)",
            // Timed on the document's size (input MB/s), so rows compare. Includes the page
            // faults of a fresh output buffer as large as the document.
            run: Box::new(|bytes, _| {
                let doc = typed(bytes);
                median_time(1, || {
                    let mut out = Vec::with_capacity(bytes.len());
                    doc.write_to(&mut out).unwrap_or_else(|e| fail(e));
                    out
                })
            }),
        },
        Entry {
            name: "write_to (io::sink)",
            // The serialisation alone (its own buffer, then nothing).
            run: Box::new(|bytes, _| {
                let doc = typed(bytes);
                median_time(1, || {
                    doc.write_to(std::io::sink()).unwrap_or_else(|e| fail(e))
                })
            }),
        },
        Entry {
            name: "rfc8727::to_json",
            run: Box::new(|bytes, _| {
                let doc = typed_root(bytes);
                median_time(1, || {
                    iodef::rfc8727::to_json(&doc, false).unwrap_or_else(|e| fail(e))
                })
            }),
        },
        Entry {
            name: "rfc8727::from_json",
            run: Box::new(|bytes, _| {
                let (json, _) =
                    iodef::rfc8727::to_json(&typed_root(bytes), false).unwrap_or_else(|e| fail(e));
                median_time(1, || {
                    iodef::rfc8727::from_json(&json).unwrap_or_else(|e| fail(e))
                })
            }),
        },
        Entry {
            name: "rfc8727::to_cbor",
            run: Box::new(|bytes, _| {
                let doc = typed_root(bytes);
                median_time(1, || {
                    iodef::rfc8727::to_cbor(&doc).unwrap_or_else(|e| fail(e))
                })
            }),
        },
        Entry {
            name: "rfc8727::from_cbor",
            run: Box::new(|bytes, _| {
                let (cbor, _) =
                    iodef::rfc8727::to_cbor(&typed_root(bytes)).unwrap_or_else(|e| fail(e));
                median_time(1, || {
                    iodef::rfc8727::from_cbor(&cbor).unwrap_or_else(|e| fail(e))
                })
            }),
        },
        Entry {
            name: "iodef convert --to xml",
            run: cli(&["convert", "--to", "xml"]),
        },
        Entry {
            name: "iodef convert --to json",
            run: cli(&["convert", "--to", "json"]),
        },
        Entry {
            name: "iodef convert --to cbor",
            run: cli(&["convert", "--to", "cbor"]),
        },
        Entry {
            name: "iodef convert --to xml (JSON input)",
            run: cli_on_json(&["convert", "--to", "xml"]),
        },
        Entry {
            name: "iodef validate (JSON input)",
            run: cli_on_json(&["validate"]),
        },
        Entry {
            name: "iodef convert --lenient --to xml",
            run: cli(&["convert", "--lenient", "--to", "xml"]),
        },
        Entry {
            name: "iodef validate",
            run: cli(&["validate"]),
        },
        Entry {
            name: "iodef validate --format json",
            run: cli(&["validate", "--format", "json"]),
        },
    ];
    if xmllint {
        entries.push(Entry {
            name: "xmllint --noout --schema (reference)",
            run: Box::new(|_, file| {
                let schema = iodef_tests::validator::schema();
                median_time(1, || {
                    let ok = Command::new("xmllint")
                        .arg("--noout")
                        .arg("--schema")
                        .arg(&schema)
                        .arg(file)
                        .stdout(Stdio::null())
                        .stderr(Stdio::null())
                        .status()
                        .is_ok_and(|s| s.success());
                    if !ok {
                        fail(format!("xmllint refuses {}", file.display()));
                    }
                })
            }),
        });
    }
    entries
}

fn main() {
    let sizes: Vec<f64> = std::env::var("IODEF_SCALING_MB")
        .unwrap_or_else(|_| "1,10,100".into())
        .split(',')
        .map(|s| {
            s.trim()
                .parse()
                .ok()
                .filter(|v: &f64| *v > 0.0)
                .unwrap_or_else(|| fail(format!("bad size {s:?} in IODEF_SCALING_MB")))
        })
        .collect();
    let runs: usize = bench::env_number(BENCH, "IODEF_SCALING_RUNS", 3);
    let xmllint = Command::new("xmllint")
        .arg("--version")
        .stderr(Stdio::null())
        .status()
        .is_ok();
    // IODEF_SCALING_ONLY=text measures only the entries whose name contains `text`.
    let only = std::env::var("IODEF_SCALING_ONLY").unwrap_or_default();
    let entries: Vec<Entry> = entries(xmllint)
        .into_iter()
        .filter(|e| e.name.contains(only.as_str()))
        .collect();
    if entries.is_empty() {
        fail(format!("no entry matches IODEF_SCALING_ONLY={only:?}"));
    }
    let dir = std::env::temp_dir().join(format!("iodef-scaling-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| fail(e));

    // mbps[entry][size]
    let mut table = vec![Vec::new(); entries.len()];
    let mut actual_sizes = Vec::new();
    for &mb in &sizes {
        let doc = bulk::build((mb * MB) as usize).unwrap_or_else(|e| fail(e));
        let file: PathBuf = dir.join(format!("bulk-{mb}MB.xml"));
        std::fs::write(&file, &doc.xml).unwrap_or_else(|e| fail(e));
        let size = doc.xml.len();
        actual_sizes.push(size);
        eprintln!(
            "{:.1} MB, {} Incidents: measuring {} entries x {runs} runs",
            size as f64 / MB,
            doc.incidents,
            entries.len()
        );
        for (row, entry) in table.iter_mut().zip(&entries) {
            let mut times: Vec<Duration> = (0..runs.max(1))
                .map(|_| (entry.run)(&doc.xml, &file))
                .collect();
            times.sort();
            row.push(mbps(size, times[times.len() / 2]));
        }
        let _ = std::fs::remove_file(&file);
    }
    let _ = std::fs::remove_dir(&dir);

    println!(
        "iodef scaling (MB/s of input, MB = 10^6 bytes, median of {runs} runs; load average {})",
        bench::load_average()
    );
    let header: Vec<String> = actual_sizes
        .iter()
        .map(|s| format!("{:.1} MB", *s as f64 / MB))
        .collect();
    let last = sizes.len() - 1;
    println!(
        "| entry point | {} | {} / {} |",
        header.join(" | "),
        header[last],
        header[0]
    );
    println!("|---|{}---|", "---|".repeat(sizes.len()));
    for (entry, row) in entries.iter().zip(&table) {
        let cells: Vec<String> = row.iter().map(|v| format!("{v:.1}")).collect();
        let ratio = row[last] / row[0];
        let flag = if (0.75..=1.25).contains(&ratio) {
            ""
        } else {
            " (outside ±25%)"
        };
        println!(
            "| {} | {} | {ratio:.2}{flag} |",
            entry.name,
            cells.join(" | ")
        );
    }
    let find = |name: &str| entries.iter().position(|e| e.name == name);
    if let (Some(ours), Some(lint)) = (
        find("iodef validate"),
        find("xmllint --noout --schema (reference)"),
    ) {
        let ratios: Vec<String> = table[ours]
            .iter()
            .zip(&table[lint])
            .map(|(a, b)| format!("{:.2}", a / b))
            .collect();
        println!(
            "iodef validate / xmllint --noout --schema throughput: {}",
            ratios.join(" | ")
        );
    }
    if let Some(scan) = find("NsReader scan (reference)") {
        for name in [
            "Document<IodefDocument>::from_slice",
            "rt::validate::validate",
        ] {
            if let Some(i) = find(name) {
                let ratios: Vec<String> = table[i]
                    .iter()
                    .zip(&table[scan])
                    .map(|(a, b)| format!("{:.2}", a / b))
                    .collect();
                println!("{name} / NsReader scan: {}", ratios.join(" | "));
            }
        }
    }
}
