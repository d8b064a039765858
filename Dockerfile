# syntax=docker/dockerfile:1
# The KRM function image, published as ghcr.io/fix-kserve-probes/fix-kserve-probes
# (README "Install"). Build it locally under the same name, so the examples find it:
#   docker build -t ghcr.io/fix-kserve-probes/fix-kserve-probes:v0.1.0 .
# Runs as nobody (65534) and needs no network and no writable filesystem:
#   docker run --rm -i --network none --read-only --user 65534:65534 \
#     ghcr.io/fix-kserve-probes/fix-kserve-probes:v0.1.0 < resources.yaml
#
# Base images are pinned by the digest of their multi-arch index, so a rebuild gets the
# same bytes on linux/amd64 and linux/arm64. To update one, pick the new tag, read its
# index digest and replace tag and digest together:
#   docker buildx imagetools inspect python:3.11.10-slim-bookworm   # "Digest:" line
#   docker buildx imagetools inspect registry.k8s.io/kustomize/kustomize:v5.8.1
# (or `crane digest IMAGE:TAG`, or `skopeo inspect --raw docker://IMAGE:TAG | sha256sum`).
# Where no registry is reachable, pass a local image with Python 3.10+ and venv, e.g.
# one made with debootstrap (README "Install"):
#   --build-arg PYTHON_IMAGE=localhost/python:bookworm
ARG PYTHON_IMAGE=python:3.11.10-slim-bookworm@sha256:840e180ebcc6e5c8efab209c43f5e40fd2af98cb49db5c7103c90539c56bb30e
ARG KUSTOMIZE_IMAGE=registry.k8s.io/kustomize/kustomize:v5.8.1@sha256:899fcd3bc898160e62bcaf82932b0cb29ba38d16272353db2e7acbba82129429

FROM ${PYTHON_IMAGE} AS build
WORKDIR /src
# The installer (pip) and the build backend (setuptools) are pinned with hashes, in a
# venv of their own that never reaches the final image.
COPY requirements/build.txt requirements/runtime.txt requirements/
RUN python -m venv /opt/build \
 && /opt/build/bin/python -m pip install --no-cache-dir --disable-pip-version-check --require-hashes --no-deps -r requirements/build.txt \
 && python -m venv --without-pip /opt/fn \
 && /opt/build/bin/pip --python /opt/fn/bin/python install --no-cache-dir --disable-pip-version-check --require-hashes --no-deps -r requirements/runtime.txt
# Dependencies first, so source edits reuse the layer above. The wheel is built offline
# with the pinned backend (no build isolation: nothing unpinned is fetched) and installed
# into /opt/fn, a venv without pip.
COPY pyproject.toml README.md ./
COPY fn fn
RUN /opt/build/bin/pip wheel --no-cache-dir --disable-pip-version-check --no-index --no-build-isolation --no-deps --wheel-dir /wheels . \
 && /opt/build/bin/pip --python /opt/fn/bin/python install --no-cache-dir --disable-pip-version-check --no-index --no-deps /wheels/*.whl \
 && /opt/fn/bin/python -m compileall -q /opt/fn

# Target argocd-cmp: the Argo CD config management plugin sidecar (examples/argocd/):
# kustomize, the function and the plugin config, running as argocd (uid 999). Build:
#   docker build --target argocd-cmp -t ghcr.io/fix-kserve-probes/fix-kserve-probes:v0.1.0-argocd-cmp .
FROM ${KUSTOMIZE_IMAGE} AS kustomize

FROM ${PYTHON_IMAGE} AS argocd-cmp
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="fix-kserve-probes-argocd-cmp" \
      org.opencontainers.image.description="Argo CD config management plugin sidecar: kustomize build | fix-kserve-probes" \
      org.opencontainers.image.source="https://github.com/fix-kserve-probes/fix-kserve-probes" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0"
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
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="fix-kserve-probes" \
      org.opencontainers.image.description="KRM function that rewrites the exec/gRPC readiness probes KServe's agent sidecar cannot run" \
      org.opencontainers.image.source="https://github.com/fix-kserve-probes/fix-kserve-probes" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0"
COPY --from=build /opt/fn /opt/fn
ENV PATH=/opt/fn/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
USER 65534:65534
ENTRYPOINT ["fix-kserve-probes"]
