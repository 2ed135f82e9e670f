#!/usr/bin/env bash
# Two (or more) builds of article-enricher, alternated on one core over the same articles:
# prints each build's CPU seconds (user + sys), the least and the median over the rounds.
# On a shared machine whose speed drifts from minute to minute, alternating is what makes
# two builds comparable; one run of each decides little. Not part of CI.
#
#   scripts/compare_builds.sh ROUNDS BINARY...
#
# Example: build the last commit in a worktree under target/ and compare it with this tree's
# (paths relative to the repository; target/ is not committed):
#   git worktree add target/before HEAD~1 && (cd target/before && cargo build --release)
#   cargo build --release
#   scripts/compare_builds.sh 6 target/before/target/release/article-enricher target/release/article-enricher
#
# ARTICLES (default ../shared/data/articles/bbc_news.jsonl) is the input; CORE (default 1)
# the core. Each build's output is compared with the first build's: a difference is reported.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$#" -lt 2 ]; then
  echo "usage: scripts/compare_builds.sh ROUNDS BINARY..." >&2
  exit 2
fi
rounds=$1
shift
articles=${ARTICLES:-../shared/data/articles/bbc_news.jsonl}
core=${CORE:-1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for number in $(seq "$#"); do
  binary=${!number}
  "$binary" enrich "$articles" > "$work/out-$number.jsonl"
  if [ "$number" -gt 1 ] && ! cmp -s "$work/out-1.jsonl" "$work/out-$number.jsonl"; then
    echo "note: $binary writes other output than $1" >&2
  fi
done

for _ in $(seq "$rounds"); do
  for number in $(seq "$#"); do
    binary=${!number}
    /usr/bin/time -f "%U %S" -o "$work/time" taskset -c "$core" "$binary" enrich "$articles" > /dev/null
    awk '{print $1 + $2}' "$work/time" >> "$work/seconds-$number"
  done
done

for number in $(seq "$#"); do
  binary=${!number}
  sort -n "$work/seconds-$number" | awk -v build="$binary" '
    { seconds[NR] = $1 }
    END { printf "%s: CPU seconds min %.2f, median %.2f, rounds %d\n", build, seconds[1], seconds[int((NR + 1) / 2)], NR }'
done
