# syntax=docker/dockerfile:1
# The KRM function image. Build: docker build -t fix-kserve-probes .
# Runs as nobody (65534) and needs no network and no writable filesystem:
#   docker run --rm -i --network none --read-only --user 65534:65534 fix-kserve-probes
ARG PYTHON_IMAGE=python:3.11.10-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
WORKDIR /src
# Dependencies first, pinned with hashes, so source edits reuse this layer.
COPY requirements/runtime.txt requirements/runtime.txt
RUN python -m venv /opt/fn \
 && /opt/fn/bin/pip install --no-cache-dir --disable-pip-version-check --require-hashes -r requirements/runtime.txt
COPY pyproject.toml README.md ./
COPY fn fn
RUN /opt/fn/bin/pip install --no-cache-dir --disable-pip-version-check --no-deps . \
 && /opt/fn/bin/python -m compileall -q /opt/fn

FROM ${PYTHON_IMAGE}
COPY --from=build /opt/fn /opt/fn
ENV PATH=/opt/fn/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
USER 65534:65534
ENTRYPOINT ["fix-kserve-probes"]
