# syntax=docker/dockerfile:1
# The KRM function image. Build: docker build -t fix-kserve-probes .
# Runs as nobody (65534) and needs no network and no writable filesystem:
#   docker run --rm -i --network none --read-only --user 65534:65534 fix-kserve-probes
ARG PYTHON_IMAGE=python:3.11.10-slim-bookworm
ARG KUSTOMIZE_IMAGE=registry.k8s.io/kustomize/kustomize:v5.5.0

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

# Target argocd-cmp: the Argo CD config management plugin sidecar (examples/argocd/):
# kustomize, the function and the plugin config, running as argocd (uid 999). Build:
#   docker build --target argocd-cmp -t fix-kserve-probes-argocd-cmp .
FROM ${KUSTOMIZE_IMAGE} AS kustomize

FROM ${PYTHON_IMAGE} AS argocd-cmp
COPY --from=build /opt/fn /opt/fn
# kustomize's release image holds the static binary at /app/kustomize (kustomize.Dockerfile).
COPY --from=kustomize /app/kustomize /usr/local/bin/kustomize
RUN groupadd --gid 999 argocd \
 && useradd --uid 999 --gid 999 --home-dir /home/argocd --create-home --shell /usr/sbin/nologin argocd
# Where the sidecar's argocd-cmp-server reads its plugin (argo-cd common/common.go).
COPY --chown=999:999 examples/argocd/plugin.yaml /home/argocd/cmp-server/config/plugin.yaml
ENV PATH=/opt/fn/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOME=/home/argocd
USER 999:999
WORKDIR /home/argocd
# The server binary comes from argocd-repo-server's var-files volume at run time.
ENTRYPOINT ["/var/run/argocd/argocd-cmp-server"]

# The default (last) stage: the KRM function image.
FROM ${PYTHON_IMAGE}
COPY --from=build /opt/fn /opt/fn
ENV PATH=/opt/fn/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
USER 65534:65534
ENTRYPOINT ["fix-kserve-probes"]
