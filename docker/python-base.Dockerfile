# The exact base image that CI and Docker builds use for the Dockerfile's
# `FROM python:3.11-slim-bookworm` lines: same tag, pinned by digest (the multi-platform index).
# docker/image.sh passes it to the build as `--build-context python:3.11-slim-bookworm=...`.
# Dependabot (docker ecosystem, .github/dependabot.yml) proposes a new digest when the tag moves.
# Source of this digest: docker-library/repo-info, repos/python/remote/3.11-slim-bookworm.md
# (Python 3.11.16, Debian bookworm, built 2026-08-25).
FROM python:3.11-slim-bookworm@sha256:0bee7276f83efd4a1ee05bbbf4281d95ed28e079220a9457f25a93e3f1e3c31b
