#!/usr/bin/env bash
# Instruction counts of one `zongjie extract -j 1` run under valgrind's
# callgrind, split by stage: unlike wall time they repeat exactly for the same
# binary and input whatever else the host is doing, so they tell a small
# change from a slow minute.
#
#   scripts/bench-instructions.sh                 # 300 generated documents (seed 1)
#   DOCS=1000 scripts/bench-instructions.sh       # another generated sample
#   scripts/bench-instructions.sh DIR             # the files under DIR instead
#
# Prints the whole run, the startup (building the parser's tables and
# automata), `Parser::parse` with its stages, and the rest (reading, hashing,
# writing the outputs, the manifest), each in instructions, per document and
# per input byte; then the instruction rate one core would need to parse at
# 50 MB/s.
# The callgrind profile is kept (its path is printed) for callgrind_annotate.
# Needs valgrind (`apt-get install valgrind`); takes about a minute for 300
# documents.
set -euo pipefail
# A folder given on the command line is taken from where the script was run.
given=""
if [ $# -ge 1 ]; then
  given=$(realpath -e -- "$1" 2> /dev/null) && [ -d "$given" ] \
    || { echo "bench-instructions: $1 is not a folder" >&2; exit 1; }
fi
cd "$(dirname "$0")/.."
if ! command -v valgrind > /dev/null || ! command -v callgrind_annotate > /dev/null; then
  echo "bench-instructions: valgrind is not installed (apt-get install valgrind)" >&2
  exit 1
fi
dir=${BENCH_DIR:-/tmp/zongjie-bench}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
cargo build --release -q -p zongjie
bin=${CARGO_TARGET_DIR:-target}/release/zongjie

if [ -n "$given" ]; then
  corpus=$given
  label=$corpus
else
  docs=${DOCS:-300}
  sample="$dir/sample-$docs"
  [ -f "$sample/truth.jsonl" ] || "$bin" gen-corpus --docs "$docs" --seed 1 --out "$sample" --quiet
  corpus="$sample/corpus"
  label="$docs generated documents (seed 1)"
fi
read -r files bytes < <(find "$corpus" -type f -printf '%s\n' | awk '{ n++; s += $1 } END { print n + 0, s + 0 }')
[ "$files" -gt 0 ] || { echo "bench-instructions: no files under $corpus" >&2; exit 1; }

profile="$dir/callgrind-$(date +%Y%m%d-%H%M%S).out"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
valgrind --tool=callgrind --callgrind-out-file="$profile" \
  "$bin" extract "$corpus" --out "$out/dataset" -j 1 --quiet > /dev/null 2> "$out/valgrind.log" \
  || { cat "$out/valgrind.log" >&2; exit 1; }
# From the root folder: callgrind_annotate shortens paths under the current
# folder and then splits a function's inclusive count between the two names.
(cd / && callgrind_annotate --auto=no --inclusive=yes --threshold=100 "$profile") > "$out/inclusive.txt" 2> /dev/null

# The inclusive count of the first line naming `function` as its own (not
# inlined) symbol; 0 when the function never ran.
count() {
  awk -v f=":$1 [" 'index($0, f) { gsub(",", "", $1); print $1; found = 1; exit } END { if (!found) print 0 }' "$out/inclusive.txt"
}
total=$(awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1; exit }' "$out/inclusive.txt")
startup=$(count "zongjie::batch::build_parser")
parse=$(count "zongjie_parse::pipeline::Parser::parse")

echo "extract -j 1 over $label: $files files, $(awk -v b="$bytes" 'BEGIN { printf "%.2f", b / 1e6 }') MB"
printf '%-34s %15s %8s %14s %10s\n' stage instructions share "per document" "per byte"
row() {
  awk -v n="$1" -v c="$2" -v t="$total" -v d="$files" -v b="$bytes" 'BEGIN {
    printf "%-34s %15.0f %7.1f%% %14.0f %10.1f\n", n, c, 100 * c / t, c / d, c / b }'
}
row "whole run" "$total"
row "startup: tables and automata" "$startup"
row "Parser::parse" "$parse"
# The stages in the order they run; `words_of` is the one pass that finds
# the place names, cue words and lexicon terms for the region and fact stages.
staged=0
for stage in \
  "zongjie_parse::ingest::decode" \
  "zongjie_parse::clean::Cleaner::clean" \
  "zongjie_parse::structure::analyze" \
  "zongjie_parse::pipeline::Parser::words_of" \
  "zongjie_parse::region::resolve_surveyed" \
  "zongjie_parse::period::resolve_period" \
  "zongjie_parse::facts::extract_with_terms"; do
  n=$(count "$stage")
  staged=$((staged + n))
  row "  ${stage#zongjie_parse::}" "$n"
done
row "  rest of parse (hash, assembly)" "$((parse - staged))"
row "the rest (read, hash, write, ...)" "$((total - startup - parse))"
awk -v p="$parse" -v b="$bytes" 'BEGIN {
  printf "at 50 MB/s, one core would retire %.1f billion instructions a second for parsing alone\n", p / b * 50e6 / 1e9 }'
echo "profile: $profile (read it with: cd / && callgrind_annotate --inclusive=yes $profile)"
