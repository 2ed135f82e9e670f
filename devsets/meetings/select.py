"""Lists the texts of the meetings dev set (PROTOCOL.md, "Which texts") and, with --write DIR,
writes each text as DIR/<id with / as _>.txt for annotators.

Usage: python3 select.py [--train | --train-bbc | --train2 | --train2-bbc] [--write DIR] [path to ../shared/data]

Texts:
- BBC News articles (business, tech, entertainment, sport; never politics) whose body holds
  a meeting word, six per category: `random.Random("meetings-dev-<category>")`. Id
  `bbc/<category>/<nnn>`, text = the body.
- Windows of three consecutive sentences of the GMB corpus (Voice of America news) around a
  sentence with a meeting word, 50 of them: `random.Random("meetings-dev-gmb")`, windows not
  overlapping. Id `gmb/<first>-<last>` (sentence numbers of the corpus, from 1), text = each
  sentence's tokens joined by single spaces, sentences joined by newlines.

With --train, lists the texts of the training set instead (`train.jsonl`): 100 more GMB
windows drawn the same way with `random.Random("meetings-train-gmb")`, none overlapping or
touching a dev window. With --train-bbc, the BBC part of the training set
(`train-bbc.jsonl`): ten more articles from each of the four categories, drawn with
`random.Random("meetings-train-bbc-<category>")` among those not in the dev set. With --train2 and --train2-bbc, the second training batch
(`train2.jsonl`, `train2-bbc.jsonl`): 150 more GMB windows drawn with
`random.Random("meetings-train2-gmb")`, none overlapping or touching a dev or first-batch
window, and five more BBC articles per category drawn with
`random.Random("meetings-train2-bbc-<category>")` among those in neither the dev set nor the
first batch.
"""
import csv
import json
import random
import re
import sys

MEETING_WORDS = re.compile(
    r"\b(met|meet|meets|meeting|meetings|talks|summit|summits|visit|visits|visited|visiting|"
    r"conference|negotiat\w*|hosted|hosts)\b",
    re.IGNORECASE,
)


BBC_CATEGORIES = ["business", "tech", "entertainment", "sport"]


def bbc_candidates(data):
    articles = [json.loads(line) for line in open(f"{data}/articles/bbc_news.jsonl", encoding="utf-8")]
    for category in BBC_CATEGORIES:
        yield category, [a for a in articles if a["category"] == category and MEETING_WORDS.search(a["body"])]


def bbc_texts(data):
    for category, candidates in bbc_candidates(data):
        picked = random.Random("meetings-dev-" + category).sample(candidates, 6)
        for article in sorted(picked, key=lambda a: a["id"]):
            yield "bbc/" + article["id"], article["body"]


def bbc_train_texts(data):
    dev = {text_id for text_id, _ in bbc_texts(data)}
    for category, candidates in bbc_candidates(data):
        rest = [a for a in candidates if "bbc/" + a["id"] not in dev]
        picked = random.Random("meetings-train-bbc-" + category).sample(rest, 10)
        for article in sorted(picked, key=lambda a: a["id"]):
            yield "bbc/" + article["id"], article["body"]


def bbc_train2_texts(data):
    taken = {text_id for text_id, _ in bbc_texts(data)} | {text_id for text_id, _ in bbc_train_texts(data)}
    for category, candidates in bbc_candidates(data):
        rest = [a for a in candidates if "bbc/" + a["id"] not in taken]
        picked = random.Random("meetings-train2-bbc-" + category).sample(rest, 5)
        for article in sorted(picked, key=lambda a: a["id"]):
            yield "bbc/" + article["id"], article["body"]


def gmb_sentences(data):
    sentences = []
    with open(f"{data}/ner/gmb/ner_dataset.csv", encoding="utf-8", newline="") as file:
        rows = csv.reader(file)
        next(rows)
        for row in rows:
            if row[0].startswith("Sentence:"):
                sentences.append([])
            sentences[-1].append(row[1])
    return sentences


def gmb_windows(sentences, seed, count, avoid=()):
    candidates = [i for i, s in enumerate(sentences) if MEETING_WORDS.search(" ".join(s))]
    rng = random.Random(seed)
    rng.shuffle(candidates)
    taken, windows = set(), []
    for window in avoid:
        taken.update(window)
    for i in candidates:
        window = range(max(0, i - 1), min(len(sentences), i + 2))
        if any(j in taken for j in range(window.start - 1, window.stop + 1)):
            continue
        taken.update(window)
        windows.append(window)
        if len(windows) == count:
            break
    return sorted(windows, key=lambda w: w.start)


def window_texts(sentences, windows):
    for window in windows:
        text = "\n".join(" ".join(sentences[j]) for j in window)
        yield f"gmb/{window.start + 1}-{window.stop}", text


def gmb_texts(data):
    sentences = gmb_sentences(data)
    yield from window_texts(sentences, gmb_windows(sentences, "meetings-dev-gmb", 50))


def gmb_train_texts(data):
    sentences = gmb_sentences(data)
    dev = gmb_windows(sentences, "meetings-dev-gmb", 50)
    yield from window_texts(sentences, gmb_windows(sentences, "meetings-train-gmb", 100, dev))


def gmb_train2_texts(data):
    sentences = gmb_sentences(data)
    dev = gmb_windows(sentences, "meetings-dev-gmb", 50)
    train = gmb_windows(sentences, "meetings-train-gmb", 100, dev)
    windows = gmb_windows(sentences, "meetings-train2-gmb", 150, dev + train)
    yield from window_texts(sentences, windows)


SPLITS = {
    "--train": gmb_train_texts,
    "--train-bbc": bbc_train_texts,
    "--train2": gmb_train2_texts,
    "--train2-bbc": bbc_train2_texts,
}


def main():
    args = sys.argv[1:]
    out = None
    split = args[0] if args[:1] and args[0] in SPLITS else None
    if split:
        args = args[1:]
    if args[:1] == ["--write"]:
        out, args = args[1], args[2:]
    data = args[0] if args else "../../../shared/data"
    if split:
        texts = list(SPLITS[split](data))
    else:
        texts = list(bbc_texts(data)) + list(gmb_texts(data))
    for text_id, text in texts:
        print(text_id)
        if out:
            with open(f"{out}/{text_id.replace('/', '_')}.txt", "w", encoding="utf-8") as file:
                file.write(text)


main()
