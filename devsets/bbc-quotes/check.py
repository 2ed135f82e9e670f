"""Checks annotation lines of the BBC quotes dev set against the corpus (PROTOCOL.md).

Usage: python3 check.py ANNOTATIONS.jsonl [path to bbc_news.jsonl]

For every piece: the span is inside the body, starts just after an opening mark (or is a
piece whose mark is further left only by white space), and ends before a closing mark, a
paragraph end, the next opening mark or the end of the text; the source lies in the body
and does not overlap the piece. For every article: the body hashes to body_sha256, and
every double quotation mark is either at the edge of a piece or listed as unexplained (to
check by eye: titles, scare quotes and names are left out on purpose). Prints each piece
with its source so that a reader can check them; exits 1 on a hard error.
"""
import hashlib
import json
import sys

OPEN = "\"“‘'"
CLOSE = "\"”’'"
CORPUS = sys.argv[2] if len(sys.argv) > 2 else "../../../shared/data/articles/bbc_news.jsonl"
bodies = {}
for line in open(CORPUS, encoding="utf-8"):
    article = json.loads(line)
    bodies[article["id"]] = article["body"]

errors = 0
for number, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    if not line.strip():
        continue
    entry = json.loads(line)
    body = bodies[entry["id"]]
    if hashlib.sha256(body.encode("utf-8")).hexdigest() != entry["body_sha256"]:
        print(f"{entry['id']}: body_sha256 does not match")
        errors += 1
    print(f"== {entry['id']}")
    edges = set()
    for quote in entry["quotes"]:
        start, end = quote["start"], quote["end"]
        problems = []
        if not (0 <= start < end <= len(body)):
            problems.append("span outside the body")
        else:
            before = body[:start].rstrip(" ")
            if not before or before[-1] not in OPEN:
                problems.append("no opening mark before the start")
            else:
                edges.add(len(before) - 1)
            after = body[end:]
            rest = after.lstrip(",.;:!? ")
            if rest and rest[0] in CLOSE:
                edges.add(end + (len(after) - len(rest)))
            elif not (rest == "" or after.startswith("\n") or rest[0] in OPEN
                      or after.lstrip(",.;:!? ").startswith("\n")):
                problems.append("no closing mark, paragraph end or opening mark after the end")
        source = quote.get("source")
        source_text = None
        if source is not None:
            s, e = source
            if not (0 <= s < e <= len(body)):
                problems.append("source outside the body")
            elif s < end and start < e:
                problems.append("source overlaps the piece")
            else:
                source_text = body[s:e]
        words = len(body[start:end].split())
        tag = "partial" if quote.get("partial") else "full"
        print(f"  [{start},{end}] {tag} {words}w src={source_text!r}: {body[start:end][:90]!r}")
        for problem in problems:
            print(f"    ERROR {problem}")
            errors += 1
    unexplained = [i for i, c in enumerate(body) if c in "\"“”" and i not in edges]
    for i in unexplained:
        print(f"  unexplained mark at {i}: {body[max(0, i - 40):i + 40]!r}")
sys.exit(1 if errors else 0)
