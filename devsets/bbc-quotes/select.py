"""Prints the ids of the BBC quotes dev set (PROTOCOL.md, "Which articles").

Usage: python3 select.py [--heldout] [path to bbc_news.jsonl]

Without --heldout: the 40 dev articles (ten per category). With --heldout: the held-out
articles drawn after the speaker rules were written (eight per category, none of the dev
ones), whose errors are not read for rules.
"""
import json
import random
import re
import sys

args = [a for a in sys.argv[1:] if a != "--heldout"]
HELDOUT = "--heldout" in sys.argv[1:]
CORPUS = args[0] if args else "../../../shared/data/articles/bbc_news.jsonl"
articles = [json.loads(line) for line in open(CORPUS, encoding="utf-8")]
for category in ["business", "tech", "entertainment", "sport"]:
    candidates = [
        a for a in articles
        if a["category"] == category and len(re.findall(r'["“”]', a["body"])) >= 4
    ]
    dev = random.Random("bbc-quotes-dev-" + category).sample(candidates, 10)
    picked = dev
    if HELDOUT:
        dev_ids = {a["id"] for a in dev}
        rest = [a for a in candidates if a["id"] not in dev_ids]
        picked = random.Random("bbc-quotes-heldout-" + category).sample(rest, 8)
    for article in sorted(picked, key=lambda a: a["id"]):
        print(article["id"])
