"""Prints the ids of the BBC quotes dev set (PROTOCOL.md, "Which articles").

Usage: python3 select.py [path to bbc_news.jsonl]
"""
import json
import random
import re
import sys

CORPUS = sys.argv[1] if len(sys.argv) > 1 else "../../../shared/data/articles/bbc_news.jsonl"
articles = [json.loads(line) for line in open(CORPUS, encoding="utf-8")]
for category in ["business", "tech", "entertainment", "sport"]:
    candidates = [
        a for a in articles
        if a["category"] == category and len(re.findall(r'["“”]', a["body"])) >= 4
    ]
    picked = random.Random("bbc-quotes-dev-" + category).sample(candidates, 10)
    for article in sorted(picked, key=lambda a: a["id"]):
        print(article["id"])
