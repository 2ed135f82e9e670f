#!/usr/bin/env bash
# Checks that POST /v1/enrich answers, for every article of a JSONL file, the bytes that
# `enrich` prints for it: starts `article-enricher serve` on a free loopback port, sends the
# articles one request each, then all of them as one JSONL batch, and compares. Prints the
# counts; exits 1 on any difference. Not part of CI (tests/http_api.rs checks a sample).
#
#   scripts/compare_api.sh [FILE.jsonl]     # default ../shared/data/articles/bbc_news.jsonl
set -euo pipefail
cd "$(dirname "$0")/.."
articles=${1:-../shared/data/articles/bbc_news.jsonl}
cargo build --release --locked --quiet --bin article-enricher
binary=target/release/article-enricher
work=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
env -u ENRICHER_ENV ENRICHER__HTTP__MAX_BATCH_BYTES=1073741824 \
  "$binary" serve --port "$port" 2> "$work/serve.log" &
serve=$!
trap 'kill $serve 2>/dev/null; wait $serve 2>/dev/null; rm -rf "$work"' EXIT

"$binary" enrich "$articles" > "$work/enrich.jsonl"
python3 - "$port" "$articles" "$work/enrich.jsonl" <<'PY'
import sys, time, urllib.request

port, articles, expected = sys.argv[1], sys.argv[2], sys.argv[3]
base = f"http://127.0.0.1:{port}"
for _ in range(300):
    try:
        urllib.request.urlopen(base + "/healthz", timeout=1)
        break
    except OSError:
        time.sleep(0.1)

def post(body, content_type):
    request = urllib.request.Request(base + "/v1/enrich", data=body, method="POST",
                                     headers={"Content-Type": content_type})
    with urllib.request.urlopen(request, timeout=120) as answer:
        return answer.read()

inputs = [line for line in open(articles, "rb").read().split(b"\n") if line.strip()]
wanted = open(expected, "rb").read().splitlines(keepends=True)
assert len(inputs) == len(wanted), (len(inputs), len(wanted))
differ = sum(post(line, "application/json") != want for line, want in zip(inputs, wanted))
batch = post(open(articles, "rb").read(), "application/x-ndjson")
batch_same = batch == b"".join(wanted)
print(f"{len(inputs)} articles: {len(inputs) - differ} one by one identical to enrich, "
      f"{differ} differ; the JSONL batch {'identical' if batch_same else 'DIFFERS'}")
sys.exit(0 if differ == 0 and batch_same else 1)
PY
