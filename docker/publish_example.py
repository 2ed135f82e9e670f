"""One-shot demo publisher for `docker compose up`.

Waits until the worker has created the ARTICLES stream, publishes the example article to
`articles.raw.example` through JetStream (so it is stored even if the worker is busy), then
waits for the enriched copy on `articles.enriched.example` and prints it. Exits non-zero if
nothing comes back within a minute. Needs only `nats-py`.
"""

import asyncio
import json
import os
import sys

import nats
from nats.js.errors import NotFoundError

NATS_URL = os.environ.get("NATS_URL", "nats://127.0.0.1:4222")
ARTICLE = os.environ.get("ARTICLE_FILE", "/example/lavrov-wang-yi.json")
SUBJECT = os.environ.get("SUBJECT", "articles.raw.example")
TIMEOUT = float(os.environ.get("TIMEOUT_SECONDS", "60"))


async def wait_for_stream(js, name, deadline):
    loop = asyncio.get_running_loop()
    while True:
        try:
            await js.stream_info(name)
            return
        except (NotFoundError, nats.errors.TimeoutError, nats.errors.NoRespondersError):
            if loop.time() > deadline:
                raise SystemExit(f"stream {name} did not appear; is the worker running?")
            await asyncio.sleep(1)


async def main():
    loop = asyncio.get_running_loop()
    deadline = loop.time() + TIMEOUT
    nc = await nats.connect(NATS_URL, max_reconnect_attempts=-1, connect_timeout=5)
    js = nc.jetstream()
    await wait_for_stream(js, "ARTICLES", deadline)

    output_subject = SUBJECT.replace("articles.raw", "articles.enriched", 1)
    enriched = await nc.subscribe(output_subject)
    with open(ARTICLE, "rb") as file:
        payload = file.read()
    ack = await js.publish(SUBJECT, payload)
    print(f"published {len(payload)} bytes to {SUBJECT} (stream {ack.stream}, seq {ack.seq})",
          file=sys.stderr)
    try:
        message = await enriched.next_msg(timeout=max(1.0, deadline - loop.time()))
    except nats.errors.TimeoutError:
        raise SystemExit(f"no enriched article on {output_subject} within {TIMEOUT:.0f} s")
    print(json.dumps(json.loads(message.data), indent=2, ensure_ascii=False))
    await nc.drain()


if __name__ == "__main__":
    asyncio.run(main())
