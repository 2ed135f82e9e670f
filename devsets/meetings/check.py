"""Checks meeting annotations against the texts (PROTOCOL.md) and prints them for reading.

Usage: python3 check.py ANNOTATIONS.jsonl [path to ../shared/data]
Exits 1 on a hard error (hash, span outside the text, bad status or decoy reason).
"""
import hashlib
import json
import os
import sys

sys.argv, args = sys.argv[:1], sys.argv[1:]
here = os.path.dirname(os.path.abspath(__file__))
data = args[1] if len(args) > 1 else "../../../shared/data"
source = open(os.path.join(here, "select.py"), encoding="utf-8").read().replace("\nmain()\n", "\n")
namespace = {}
exec(compile(source, "select.py", "exec"), namespace)
texts = dict(list(namespace["bbc_texts"](data)) + list(namespace["gmb_texts"](data)))
name = os.path.basename(args[0] if args else "")
for prefix, split in [("train2-bbc", "bbc_train2_texts"), ("train2", "gmb_train2_texts"),
                      ("train-bbc", "bbc_train_texts"), ("train", "gmb_train_texts")]:
    if name.startswith(prefix):
        texts = dict(namespace[split](data))
        break

STATUSES = {"held", "planned", "cancelled"}
WHY = {"visit-to-place", "other-sense", "speech-or-media", "one-party", "no-parties", "sport", "other"}
errors = 0
meetings = decoys = 0


def show(text, span):
    if span is None:
        return None
    s, e = span
    if not (0 <= s < e <= len(text)):
        raise ValueError(f"span {span} outside the text")
    return text[s:e]


for number, line in enumerate(open(args[0], encoding="utf-8"), 1):
    if not line.strip():
        continue
    entry = json.loads(line)
    text = texts.get(entry["id"])
    if text is None:
        print(f"{entry['id']}: not a text of the set")
        errors += 1
        continue
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != entry["text_sha256"]:
        print(f"{entry['id']}: text_sha256 does not match")
        errors += 1
    print(f"== {entry['id']}")
    try:
        for m in entry["meetings"]:
            meetings += 1
            if m["status"] not in STATUSES:
                raise ValueError(f"status {m['status']}")
            print(f"  MEETING {show(text, m['trigger'])!r} {m['status']}"
                  f" mentions={[show(text, s) for s in m['mentions']]}"
                  f" participants={[show(text, s) for s in m['participants']]}"
                  f" place={show(text, m['place'])!r} date={show(text, m['date'])!r}")
        for d in entry["decoys"]:
            decoys += 1
            if d["why"] not in WHY:
                raise ValueError(f"decoy reason {d['why']}")
            print(f"  DECOY {show(text, d['span'])!r} ({d['why']})")
    except (ValueError, KeyError, TypeError) as error:
        print(f"  ERROR {error}")
        errors += 1
print(f"{meetings} meetings, {decoys} decoys")
sys.exit(1 if errors else 0)
