#!/usr/bin/env bash
# Build a local stand-in for the `python:3.11-slim-bookworm` base image from Debian packages.
#
# Why: on a machine that reaches package registries but no container registry, the real base
# image cannot be pulled. Debian bookworm ships CPython 3.11 too, so a minimal debootstrap with
# python3.11 (plus pip and venv, like the official image) is a fair stand-in for checking that
# the Dockerfile builds and that the app starts in the image. It is NOT the production base:
# the real image builds CPython under /usr/local; here /usr/local/bin/python is a symlink to
# Debian's /usr/bin/python3.11. CI on GitHub builds against the real, digest-pinned image.
#
# The root filesystem is cached outside git (default ~/.cache/slipway/standin-bookworm) and the
# image is imported into local container storage as $STANDIN_IMAGE. Re-running is a no-op when
# the image exists; FORCE=1 rebuilds it.
#
# Usage: docker/standin-base.sh            (needs root, debootstrap, buildah)
set -euo pipefail

STANDIN_IMAGE="${STANDIN_IMAGE:-localhost/python:3.11-slim-bookworm}"
CACHE_DIR="${SLIPWAY_CACHE:-$HOME/.cache/slipway}"
ROOTFS="$CACHE_DIR/standin-bookworm"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# What the official slim image carries that our Dockerfile relies on: python, pip, venv,
# CA certificates, netbase (/etc/services, /etc/protocols) and tzdata.
PACKAGES="python3.11,python3-pip,python3-venv,ca-certificates,netbase,tzdata"

log() { printf '[standin-base] %s\n' "$*" >&2; }

if [[ $(id -u) -ne 0 ]]; then
    log "must run as root (debootstrap and container storage)"
    exit 1
fi
for tool in debootstrap buildah; do
    command -v "$tool" >/dev/null || { log "missing $tool: apt-get install -y debootstrap buildah"; exit 1; }
done

if [[ "${FORCE:-0}" != 1 ]] && buildah inspect --type image "$STANDIN_IMAGE" >/dev/null 2>&1; then
    log "$STANDIN_IMAGE already present (FORCE=1 to rebuild)"
    exit 0
fi

start=$SECONDS
if [[ "${FORCE:-0}" == 1 || ! -f "$ROOTFS/.slipway-complete" ]]; then
    log "debootstrap bookworm (minbase) into $ROOTFS"
    rm -rf "$ROOTFS"
    mkdir -p "$ROOTFS"
    debootstrap --variant=minbase --include="$PACKAGES" bookworm "$ROOTFS" "$MIRROR" \
        >"$CACHE_DIR/debootstrap.log" 2>&1 || { tail -20 "$CACHE_DIR/debootstrap.log" >&2; exit 1; }

    # Make it look like the official image: `python`/`pip` on PATH under /usr/local/bin, and no
    # PEP 668 marker (the official image's interpreter is not Debian's, so it has none).
    ln -sf /usr/bin/python3.11 "$ROOTFS/usr/local/bin/python3.11"
    ln -sf /usr/bin/python3.11 "$ROOTFS/usr/local/bin/python3"
    ln -sf /usr/bin/python3.11 "$ROOTFS/usr/local/bin/python"
    ln -sf /usr/bin/pip3 "$ROOTFS/usr/local/bin/pip"
    rm -f "$ROOTFS"/usr/lib/python3.11/EXTERNALLY-MANAGED

    # Local-network quirk: if this host reaches the registries through a TLS-intercepting
    # egress proxy, its extra CAs must be trusted inside the build too. Copied into the stand-in
    # only, never into the Dockerfile.
    if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
        cp /usr/local/share/ca-certificates/*.crt "$ROOTFS/usr/local/share/ca-certificates/"
        chroot "$ROOTFS" update-ca-certificates >/dev/null
    fi

    # Slim it: apt lists, docs, man pages, caches.
    rm -rf "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/var/cache/apt/*.bin \
        "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/usr/share/doc/* \
        "$ROOTFS"/usr/share/man/* "$ROOTFS"/usr/share/info/*
    touch "$ROOTFS/.slipway-complete"
    log "rootfs ready in $((SECONDS - start))s ($(du -sh --exclude=proc "$ROOTFS" | cut -f1))"
fi

log "importing as $STANDIN_IMAGE"
ctr=$(buildah from scratch)
trap 'buildah rm "$ctr" >/dev/null 2>&1 || true' EXIT
mnt=$(buildah mount "$ctr")
tar -C "$ROOTFS" --exclude=./.slipway-complete --exclude='./proc/*' --exclude='./sys/*' \
    --exclude='./dev/*' -cf - . | tar -C "$mnt" -xf -
buildah umount "$ctr" >/dev/null
buildah config \
    --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --env LANG=C.UTF-8 \
    --env PYTHON_VERSION=3.11 \
    --cmd python3 \
    --label org.opencontainers.image.description="Local stand-in for python:3.11-slim-bookworm (Debian packages)" \
    "$ctr"
buildah commit --quiet --rm "$ctr" "$STANDIN_IMAGE" >/dev/null
trap - EXIT
log "done in $((SECONDS - start))s: $STANDIN_IMAGE"
