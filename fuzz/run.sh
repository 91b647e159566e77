#!/usr/bin/env bash
# Runs the fuzz targets for a bounded time each, seeded with the shared corpus.
#
#   bash fuzz/run.sh [SECONDS] [TARGET...]     (default: 60 s, every fuzz_targets/*.rs)
#
# Seeds: every *.xml (and *.json, *.cbor) under $IODEF_FUZZ_SEEDS (default: ../shared/corpus beside the repo) is
# copied into a temporary directory, and a UTF-16 copy of it when iconv is there; new inputs go to another temporary directory; both are
# removed at exit, so nothing lands in the repo but fuzz/artifacts/ (git-ignored).
# Toolchain: `cargo +nightly fuzz` (AddressSanitizer) when rustup has a nightly, else the stable
# toolchain with RUSTC_BOOTSTRAP=1 and `--sanitizer none` (IODEF_FUZZ_TOOLCHAIN=stable forces
# that). Installs cargo-fuzz if missing. IODEF_FUZZ_IGNORE_NS_HINTS=1 is passed on to the targets
# (see src/lib.rs).
# Exit status: non-zero when a target finds a crash, panic, timeout or OOM; its log and the
# reproducer (path and base64) are printed.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
secs=${1:-60}
[ $# -gt 0 ] && shift
if [ $# -gt 0 ]; then
  targets=("$@")
else
  targets=()
  for f in "$here"/fuzz_targets/*.rs; do targets+=("$(basename "$f" .rs)"); done
fi
seeds_from=${IODEF_FUZZ_SEEDS:-$root/../shared/corpus}
# Per-run libFuzzer limits: wall time, RSS (and, through it, the largest single allocation),
# and the time one input may take.
limits=(-max_total_time="$secs" -rss_limit_mb=2048 -timeout=10)

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz: installing cargo-fuzz"
  cargo install cargo-fuzz --locked </dev/null
fi

# IODEF_FUZZ_TOOLCHAIN=stable forces the stable fallback (to check it on a machine with nightly).
if [ "${IODEF_FUZZ_TOOLCHAIN:-auto}" != stable ] && command -v rustup >/dev/null 2>&1 \
  && rustup toolchain list 2>/dev/null | grep nightly >/dev/null; then
  fuzz=(cargo +nightly fuzz)
  sanitizer=()
  env_prefix=""
  rustc_version=$(rustc +nightly --version)
else
  # Stable rustc accepts the unstable flags cargo-fuzz passes only with RUSTC_BOOTSTRAP; the
  # sanitizers need a nightly standard library, so this build has coverage and no ASan.
  export RUSTC_BOOTSTRAP=1
  fuzz=(cargo fuzz)
  sanitizer=(--sanitizer none)
  env_prefix="RUSTC_BOOTSTRAP=1 "
  rustc_version="$(rustc --version) with RUSTC_BOOTSTRAP=1, --sanitizer none"
fi

# The dependencies the library is tested with: start from the workspace's lock file
# (fuzz/Cargo.lock is git-ignored; cargo adds libfuzzer-sys and drops what the fuzz crate lacks).
cp "$root/Cargo.lock" "$here/Cargo.lock"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/seeds"
if [ -d "$seeds_from" ]; then
  while IFS= read -r -d '' f; do
    rel=${f#"$seeds_from"/}
    cp "$f" "$tmp/seeds/${rel//\//__}"
    # The same document in UTF-16 (byte-order mark, declaration saying so): seeds for the
    # decoding step and the positions in transcoded text.
    if command -v iconv >/dev/null 2>&1; then
      sed '1s/encoding="UTF-8"/encoding="UTF-16"/' "$f" | iconv -f UTF-8 -t UTF-16 \
        >"$tmp/seeds/utf16__${rel//\//__}" 2>/dev/null || rm -f "$tmp/seeds/utf16__${rel//\//__}"
    fi
  done < <(find "$seeds_from" -name '*.xml' -type f -print0)
  # RFC 8727 JSON and CBOR documents (the rfc8727 target; the others see them as bad XML).
  while IFS= read -r -d '' f; do
    rel=${f#"$seeds_from"/}
    cp "$f" "$tmp/seeds/${rel//\//__}"
  done < <(find "$seeds_from" \( -name '*.json' -o -name '*.cbor' \) -type f -print0)
else
  echo "fuzz: warning: no seed corpus at $seeds_from; starting from nothing"
fi
echo "fuzz: $(find "$tmp/seeds" -type f | wc -l) seed files from $seeds_from"
echo "fuzz: $(cargo fuzz --version), $rustc_version"

start=$SECONDS
"${fuzz[@]}" build --fuzz-dir "$here" "${sanitizer[@]}" </dev/null
echo "fuzz: build took $((SECONDS - start)) s"

failed=()
for t in "${targets[@]}"; do
  log="$tmp/$t.log"
  mkdir -p "$tmp/corpus-$t"
  echo "fuzz: $t for $secs s"
  t0=$SECONDS
  status=0
  "${fuzz[@]}" run --fuzz-dir "$here" "${sanitizer[@]}" "$t" "$tmp/corpus-$t" "$tmp/seeds" -- \
    "${limits[@]}" -dict="$here/iodef.dict" -print_final_stats=1 </dev/null >"$log" 2>&1 \
    || status=$?
  if [ "$status" -eq 0 ]; then
    # The seed-corpus line, the last status line (coverage, corpus, exec/s) and final stats.
    grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)|^stat::' "$log" || tail -n 5 "$log"
    echo "fuzz: $t: no finding in $((SECONDS - t0)) s"
  else
    # From the panic message or sanitizer report to the end: the stack, libFuzzer's summary
    # (long lines cut: cargo-fuzz prints the whole input as a byte list).
    first=$(grep -n -m1 -E "panicked at|ERROR: libFuzzer|==[0-9]+==ERROR" "$log" | cut -d: -f1)
    tail -n +"${first:-1}" "$log" | tail -n 600 | cut -c1-2000
    echo "fuzz: $t FAILED (exit $status)"
    for a in $(grep -oE "(crash|leak|timeout|oom|slow-unit)-[0-9a-f]+" "$log" | sort -u); do
      path="$here/artifacts/$t/$a"
      [ -f "$path" ] || continue
      echo "fuzz: reproducer: $path ($(wc -c <"$path") bytes)"
      echo "fuzz: reproduce with: ${env_prefix}${fuzz[*]} run --fuzz-dir fuzz${sanitizer[*]:+ ${sanitizer[*]}} $t $path"
      if [ "$(wc -c <"$path")" -le 65536 ]; then
        echo "fuzz: reproducer as base64:"
        base64 "$path"
      fi
    done
    failed+=("$t")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: findings in: ${failed[*]}"
  exit 1
fi
echo "fuzz: ${#targets[@]} targets, no finding"
