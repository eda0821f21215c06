#!/usr/bin/env bash
# Whole-run benchmark of `zongjie extract`: generates synthetic corpora of the
# given sizes (default 200 MB and 1 GB), then runs extract with 1 and 2 threads
# and reports wall time, MB/s (total and per core) and peak RSS; then checks
# that the outputs at 1 and 2 threads, and two shards merged, are byte-identical.
#
#   scripts/bench-extract.sh            # 200 and 1000 MB
#   scripts/bench-extract.sh 50 200     # other sizes, in MB
#
# Corpora are kept under $BENCH_DIR (default /tmp/zongjie-bench) and reused.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(200 1000)
dir=${BENCH_DIR:-/tmp/zongjie-bench}
mkdir -p "$dir"
cargo build --release -q -p zongjie
bin=${CARGO_TARGET_DIR:-target}/release/zongjie

printf '%-8s %-8s %-9s %-9s %-10s %-12s %-10s\n' corpus threads docs MB seconds "MB/s" "peak RSS MB"
for mb in "${sizes[@]}"; do
  corpus="$dir/corpus-$mb"
  if [ ! -f "$corpus/truth.jsonl" ]; then
    # ~5 KB a document on average (GB18030 files are smaller than UTF-8 ones):
    # derive the count from the size wanted.
    docs=$(( mb * 1000 * 1000 / 5000 ))
    "$bin" gen-corpus --docs "$docs" --seed 1 --out "$corpus" --quiet
  fi
  bytes=$(du -sb "$corpus/corpus" | cut -f1)
  docs=$(wc -l < "$corpus/truth.jsonl")
  for threads in 1 2; do
    out="$dir/out-$mb-$threads"
    rm -rf "$out"
    /usr/bin/time -f '%e %M' -o "$dir/time.txt" "$bin" extract "$corpus/corpus" --out "$out" -j "$threads" --quiet
    read -r secs rss_kb < "$dir/time.txt"
    awk -v b="$bytes" -v s="$secs" -v r="$rss_kb" -v t="$threads" -v d="$docs" -v m="$mb" 'BEGIN {
      printf "%-8s %-8s %-9d %-9.0f %-10.2f %-12.1f %-10.0f\n", m "MB", t, d, b/1e6, s, b/1e6/s, r/1024 }'
  done
  if cmp -s "$dir/out-$mb-1/facts.parquet" "$dir/out-$mb-2/facts.parquet" && cmp -s "$dir/out-$mb-1/documents.csv" "$dir/out-$mb-2/documents.csv"; then
    echo "  outputs at 1 and 2 threads: byte-identical"
  else
    echo "  outputs at 1 and 2 threads: DIFFER"
  fi
  # Two shards merged must equal the single run, byte for byte.
  for k in 0 1; do
    "$bin" extract "$corpus/corpus" --out "$dir/shard-$mb-$k" --shard "$k/2" --quiet
  done
  rm -rf "$dir/merged-$mb"
  "$bin" merge "$dir/shard-$mb-0" "$dir/shard-$mb-1" --out "$dir/merged-$mb" --quiet
  if cmp -s "$dir/out-$mb-1/facts.parquet" "$dir/merged-$mb/facts.parquet" && cmp -s "$dir/out-$mb-1/documents.parquet" "$dir/merged-$mb/documents.parquet" && cmp -s "$dir/out-$mb-1/facts.csv" "$dir/merged-$mb/facts.csv"; then
    echo "  2 shards merged: byte-identical to one run"
  else
    echo "  2 shards merged: DIFFER"
  fi
done
