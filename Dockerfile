# The article-enricher worker. Two stages: build with cargo, run on a slim Debian.
#   docker build -t article-enricher .
#   docker run --rm -e NATS_URL=nats://nats:4222 -p 8080:8080 article-enricher
# The image starts `article-enricher run` in /app, so /app/config/default.toml applies;
# override settings with ENRICHER__SECTION__KEY variables or mount /app/config.

FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
# Dependencies first, so that editing the sources does not rebuild them.
COPY Cargo.toml Cargo.lock ./
RUN mkdir src && echo 'fn main() {}' > src/main.rs && touch src/lib.rs \
    && cargo fetch --locked \
    && rm -rf src
COPY . .
RUN cargo build --release --locked --bin article-enricher

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app enricher
WORKDIR /app
COPY --from=build /src/target/release/article-enricher /usr/local/bin/article-enricher
COPY config ./config
USER enricher
ENV NATS_URL=nats://nats:4222
# Inside a container the HTTP port must listen beyond loopback to be published.
ENV ENRICHER__HTTP__BIND=0.0.0.0
# /healthz, /readyz, /metrics, POST /v1/enrich and the review page at /. The port is published
# beyond loopback here: set ENRICHER__HTTP__TOKEN to make POST /v1/enrich ask for a bearer token.
EXPOSE 8080
ENTRYPOINT ["article-enricher"]
CMD ["run"]
