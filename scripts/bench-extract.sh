#!/usr/bin/env bash
# Whole-run benchmark of `zongjie extract`: generates synthetic corpora of the
# given sizes (default 200 MB and 1 GB), then runs extract three ways,
# interleaved so that a slow spell of the host falls on all of them:
#   1c  one thread (-j 1), the whole process held to one core (taskset -c 0):
#       the figure per core, and a check that -j 1 keeps to one core;
#   1   one thread (-j 1): parsing and writing by turns;
#   2   two threads (-j 2): parsing and writing share both cores;
#   pair  two one-thread runs (-j 1) at once, each over the whole corpus, as
#       two unrelated processes: they share nothing but the machine (cores,
#       caches, memory, disk), so 2 x (time of 1) / (time of pair) is the
#       most any use of two threads could gain over one on this machine in
#       this sitting: the ceiling the speedup from 1 to 2 threads is set
#       against. Its time is the slower process's, its CPU time both's.
# It reports per row the median wall time with the range of the runs, MB/s at
# the median, CPU time (user + system) and MB per CPU second, peak RSS, and the
# speedups from 1 to 2 threads and from one core to two (the medians of the
# paired runs' ratios), the machine's ceiling from the pair runs and the
# share of it two threads reach. Without taskset the 1c rows are left out. The corpus
# is read before every run, so that the runs measure parsing, not the disk:
# machines of this kind page out file pages not touched for a minute (a
# DAMON pageout scheme, /sys/kernel/mm/damon), so a corpus read only once
# at the start was partly read from disk again by later runs (35,000 waits
# on the disk in one two-thread run over 200 MB that followed runs over
# 1 GB, against a few hundred when warm).
# Then checks that the outputs of every mode, and of two shards merged, are
# byte-identical (Parquet and CSV, both tables).
# With CACHE=1, two more modes time `--cache` (both at -j 2):
#   2cold  into an empty cache (parsing everything and filling the cache);
#   2warm  the rerun over the same corpus, every document from the cache.
#
#   scripts/bench-extract.sh            # 200 and 1000 MB, 3 runs each
#   scripts/bench-extract.sh 50 200     # other sizes, in MB
#   RUNS=5 scripts/bench-extract.sh 200 # more runs
#   CACHE=1 scripts/bench-extract.sh 200
#
# Corpora are kept under $BENCH_DIR (default /tmp/zongjie-bench) and reused.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(200 1000)
runs=${RUNS:-3}
dir=${BENCH_DIR:-/tmp/zongjie-bench}
mkdir -p "$dir"
cargo build --release -q -p zongjie
bin=${CARGO_TARGET_DIR:-target}/release/zongjie

# The median of the numbers on standard input.
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

modes=(1 2 pair)
if command -v taskset > /dev/null; then
  modes=(1c 1 2 pair)
else
  echo "taskset not found: no one-core runs (install util-linux)" >&2
fi
[ "${CACHE:-0}" = 1 ] && modes+=(2cold 2warm)

# The median over the runs logged in $1 of the ratio of mode $2's time to
# mode $3's (default 2), times $4 (default 1).
speedup() { awk -v m="$2" -v d="${3:-2}" -v f="${4:-1}" '{ s[$1 " " $2] = $3 } END { for (k in s) { split(k, p, " "); if (p[2] == m && ((p[1] " " d) in s)) print f * s[k] / s[p[1] " " d] } }' "$1" | median; }

# Read every file under $1, so that the run after finds them in memory.
read_through() { find "$1" -type f -print0 | xargs -0 cat > /dev/null; }

# The outputs of two runs are byte-identical.
same_outputs() { cmp -s "$1/facts.parquet" "$2/facts.parquet" && cmp -s "$1/documents.parquet" "$2/documents.parquet" && cmp -s "$1/facts.csv" "$2/facts.csv" && cmp -s "$1/documents.csv" "$2/documents.csv"; }

printf '%-8s %-7s %-8s %-6s %-22s %-8s %-9s %-11s %-12s\n' \
  corpus mode docs MB "seconds (median, range)" "MB/s" "CPU s" "MB/CPU s" "peak RSS MB"
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
  log="$dir/runs-$mb.txt"
  : > "$log"
  for ((run = 1; run <= runs; run++)); do
    for mode in "${modes[@]}"; do
      out="$dir/out-$mb-$mode"
      rm -rf "$out"
      read_through "$corpus/corpus"
      pin=()
      cache="$dir/cache-$mb"
      case $mode in
        1c) pin=(taskset -c 0); args=(-j 1) ;;
        2cold) rm -rf "$cache"; args=(-j 2 --cache "$cache") ;;
        2warm) args=(-j 2 --cache "$cache") ;;
        *) args=(-j "$mode") ;;
      esac
      if [ "$mode" = pair ]; then
        rm -rf "$out-b"
        /usr/bin/time -f '%e %U %S %M' -o "$dir/time-b.txt" "$bin" extract "$corpus/corpus" --out "$out-b" -j 1 --quiet &
        /usr/bin/time -f '%e %U %S %M' -o "$dir/time.txt" "$bin" extract "$corpus/corpus" --out "$out" -j 1 --quiet
        wait $!
        # The slower process's wall time, both processes' CPU time, the larger peak RSS.
        cat "$dir/time.txt" "$dir/time-b.txt" | awk '{ e = $1 > e ? $1 : e; u += $2; y += $3; r = $4 > r ? $4 : r } END { print e, u, y, r }' > "$dir/time-pair.txt"
        mv "$dir/time-pair.txt" "$dir/time.txt"
        same_outputs "$out" "$out-b" || echo "  the two processes of a pair wrote different outputs" >&2
      else
        /usr/bin/time -f '%e %U %S %M' -o "$dir/time.txt" "${pin[@]}" "$bin" extract "$corpus/corpus" --out "$out" "${args[@]}" --quiet
      fi
      echo "$run $mode $(cat "$dir/time.txt")" >> "$log"
    done
  done
  for mode in "${modes[@]}"; do
    secs=$(awk -v t="$mode" '$2 == t { print $3 }' "$log" | median)
    cpu=$(awk -v t="$mode" '$2 == t { print $4 + $5 }' "$log" | median)
    range=$(awk -v t="$mode" '$2 == t { print $3 }' "$log" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo "-" hi }')
    rss_kb=$(awk -v t="$mode" '$2 == t { print $6 }' "$log" | sort -g | tail -1)
    # A pair reads the corpus twice: its MB and MB/s count both.
    work=$bytes
    [ "$mode" = pair ] && work=$((2 * bytes))
    awk -v b="$work" -v s="$secs" -v c="$cpu" -v r="$rss_kb" -v t="$mode" -v d="$docs" -v m="$mb" -v g="$range" 'BEGIN {
      printf "%-8s %-7s %-8d %-6.0f %-22s %-8.1f %-9.2f %-11.1f %-12.0f\n", m "MB", t, d, b/1e6, sprintf("%.2f (%s)", s, g), b/1e6/s, c, b/1e6/c, r/1024 }'
  done
  printf "  speedup 1 -> 2 threads (median of %d paired runs): %.2fx; each run in %s\n" "$runs" "$(speedup "$log" 1)" "$log"
  if [ "${modes[0]}" = 1c ]; then
    printf "  speedup one core -> two cores (1c -> 2, median of %d paired runs): %.2fx\n" "$runs" "$(speedup "$log" 1c)"
  fi
  ceiling=$(speedup "$log" 1 pair 2)
  printf "  ceiling: two one-thread runs at once did %.2fx the work of one in the same time (2 x 1 / pair, median of %d); two threads reached %.0f %% of it\n" \
    "$ceiling" "$runs" "$(awk -v s="$(speedup "$log" 1)" -v c="$ceiling" 'BEGIN { print 100 * s / c }')"
  identical=yes
  for mode in "${modes[@]}"; do
    same_outputs "$dir/out-$mb-$mode" "$dir/out-$mb-2" || identical=no
  done
  if [ "$identical" = yes ]; then
    echo "  outputs of every mode (${modes[*]}): byte-identical"
  else
    echo "  outputs of the modes (${modes[*]}): DIFFER"
  fi
  # Two shards merged must equal the single run, byte for byte.
  for k in 0 1; do
    "$bin" extract "$corpus/corpus" --out "$dir/shard-$mb-$k" --shard "$k/2" --quiet
  done
  rm -rf "$dir/merged-$mb"
  "$bin" merge "$dir/shard-$mb-0" "$dir/shard-$mb-1" --out "$dir/merged-$mb" --quiet
  if same_outputs "$dir/out-$mb-1" "$dir/merged-$mb"; then
    echo "  2 shards merged: byte-identical to one run"
  else
    echo "  2 shards merged: DIFFER"
  fi
done
