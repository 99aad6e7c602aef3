#!/usr/bin/env bash
# Build the production image and smoke-test it, with Docker where a Docker engine runs
# (GitHub Actions, most laptops) and with buildah where none does (this project's CI machine).
#
#   docker/image.sh build     build $IMAGE from ./Dockerfile
#   docker/image.sh smoke     check the built image: non-root, no build tools, migrations run,
#                             granian serves /healthz and /readyz, the image's own health check
#                             passes, and the server logs no error
#
# Environment (all optional):
#   CONTAINER_ENGINE  docker | buildah        (default: docker if its daemon answers, else buildah)
#   IMAGE             image name              (default: localhost/slipway:dev)
#   BASE_PIN          what the Dockerfile's `FROM python:3.11-slim-bookworm` stands for, as a
#                     build context. Default with docker: the digest-pinned reference in
#                     docker/python-base.Dockerfile (docker-image://python:3.11-slim-bookworm@sha256:...).
#                     Default with buildah: a local stand-in built from Debian packages
#                     (docker/standin-base.sh), for machines that reach no container registry.
#   APP_VERSION       what /healthz reports as "version" (default: the short commit, else dev)
#   SMOKE_PORT        loopback port for the smoke run (default: a free one)
#   SMOKE_DATABASE_URL  database for the smoke run (default: SQLite in the container's /tmp)
#   SMOKE_TIMEOUT     seconds to wait for each probe (default 60)
#
# Fails loudly: no engine, no image, or any failed check exits non-zero.
set -euo pipefail

cd "$(dirname "$0")/.."

IMAGE="${IMAGE:-localhost/slipway:dev}"
PIN_FILE=docker/python-base.Dockerfile
STANDIN_IMAGE="${STANDIN_IMAGE:-localhost/python:3.11-slim-bookworm}"
# A free port unless one is given, so a smoke run never collides with another server.
SMOKE_PORT="${SMOKE_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
SMOKE_TIMEOUT="${SMOKE_TIMEOUT:-60}"

log() { printf '[image] %s\n' "$*" >&2; }
die() { log "FAIL: $*"; exit 1; }

pick_engine() {
    if [[ -n "${CONTAINER_ENGINE:-}" ]]; then
        echo "$CONTAINER_ENGINE"
    elif command -v docker >/dev/null && docker info >/dev/null 2>&1; then
        echo docker
    elif command -v buildah >/dev/null; then
        echo buildah
    else
        die "no container engine: need a running Docker daemon or buildah (apt-get install buildah)"
    fi
}
ENGINE="$(pick_engine)"

# The base image name as the Dockerfile writes it, and the digest-pinned reference for it.
# Both FROM lines must name the same image, and the pin file must pin that same name:
# a Dockerfile bumped without its pin (or the reverse) would build unpinned, so it fails here.
# Images named by FROM lines, leaving out earlier stages (`FROM build AS test`).
from_images() {
    awk 'toupper($1) == "FROM" {
             i = 2; if ($i ~ /^--platform=/) i++
             if (!($i in stage)) print $i
             if (toupper($(i + 1)) == "AS") stage[$(i + 2)] = 1
         }' "$1" | sort -u
}
BASE_NAME="$(from_images Dockerfile)"
[[ -n "$BASE_NAME" && "$BASE_NAME" != *$'\n'* ]] || die "Dockerfile must use one base image in its FROM lines, found: $BASE_NAME"
PINNED_REF="$(from_images "$PIN_FILE")"
[[ "${PINNED_REF%@sha256:*}" == "$BASE_NAME" && "$PINNED_REF" == *@sha256:* ]] \
    || die "$PIN_FILE pins '$PINNED_REF', but the Dockerfile builds FROM '$BASE_NAME'"

# A random secret per run: the settings refuse a placeholder when DEBUG is off.
SMOKE_SECRET="$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')"
SMOKE_DATABASE_URL="${SMOKE_DATABASE_URL:-sqlite:////tmp/smoke.sqlite3}"
SMOKE_ENV=(
    "SECRET_KEY=$SMOKE_SECRET"
    "DEBUG=false"
    "ALLOWED_HOSTS=localhost,127.0.0.1"
    "DATABASE_URL=$SMOKE_DATABASE_URL"
    "PORT=$SMOKE_PORT"
)

build() {
    local start=$SECONDS version
    version="${APP_VERSION:-$(git rev-parse --short HEAD 2>/dev/null || echo dev)}"
    case "$ENGINE" in
        docker)
            local pin="${BASE_PIN:-docker-image://$PINNED_REF}"
            log "docker build -t $IMAGE (base: $pin)"
            docker build --build-context "$BASE_NAME=$pin" --build-arg "APP_VERSION=$version" \
                -t "$IMAGE" .
            ;;
        buildah)
            local pin="${BASE_PIN:-}"
            if [[ -z "$pin" ]]; then
                docker/standin-base.sh
                pin="container-image://$STANDIN_IMAGE"
                log "no registry: building against the local stand-in base $STANDIN_IMAGE"
            fi
            # --format docker keeps HEALTHCHECK (the OCI format has no field for it);
            # --isolation chroot works without the namespaces a nested sandbox may refuse.
            log "buildah build -t $IMAGE (base: $pin)"
            buildah build --format docker --isolation chroot --layers --pull=never \
                --build-context "$BASE_NAME=$pin" --build-arg "APP_VERSION=$version" -t "$IMAGE" .
            ;;
        *) die "unknown CONTAINER_ENGINE=$ENGINE (docker or buildah)" ;;
    esac
    log "built $IMAGE with $ENGINE in $((SECONDS - start))s"
}

# --- smoke checks -----------------------------------------------------------------------------

check_probe() { # $1: path (/healthz or /readyz); waits until it answers 200 {"status": "ok"}
    local url="http://127.0.0.1:$SMOKE_PORT$1" deadline=$((SECONDS + SMOKE_TIMEOUT)) body=""
    while ((SECONDS < deadline)); do
        if body="$(python3 - "$url" 2>/dev/null <<'PY'
import json, sys, urllib.request
req = urllib.request.Request(sys.argv[1], headers={"Host": "localhost"})
with urllib.request.urlopen(req, timeout=3) as r:
    data = json.loads(r.read())
    assert r.status == 200 and data.get("status") == "ok", data
    print(json.dumps(data))
PY
        )"; then
            log "GET $1 -> 200 $body"
            return 0
        fi
        sleep 1
    done
    return 1
}

# /healthz: the process serves. /readyz: the database answers and no migration is pending.
check_probes() {
    check_probe /healthz || return 1
    check_probe /readyz
}

# Inside the image: not root, and nothing that builds or installs code.
check_static_facts() { # $1: a command prefix that runs argv inside the image
    local uid
    uid="$("$@" id -u)"
    [[ "$uid" != 0 ]] || die "the image runs as root"
    log "runs as uid $uid"
    # shellcheck disable=SC2016
    "$@" sh -c 'for t in gcc cc g++ make uv; do if command -v "$t" >/dev/null; then echo "$t"; exit 1; fi; done' \
        || die "a build tool is present in the runtime image"
    "$@" sh -c 'test ! -e /root/.cache/uv && test ! -e /opt/venv/bin/uv' || die "uv or its cache is in the image"
    "$@" python -c 'import django, granian; print("django", django.get_version(), "granian", granian.__version__)' >&2
    log "no compilers, no uv, django and granian import"
}

cleanup_docker() {
    local status=$?
    if [[ -n "${SMOKE_CTR:-}" ]]; then
        if ((status != 0)); then
            log "container log:"
            docker logs "$SMOKE_CTR" >&2 2>&1 || true
        fi
        docker rm -f "$SMOKE_CTR" >/dev/null 2>&1 || true
    fi
    return "$status"
}

smoke_docker() {
    docker image inspect "$IMAGE" >/dev/null 2>&1 || die "no image $IMAGE: run 'make image' first"
    local envs=()
    for e in "${SMOKE_ENV[@]}"; do envs+=(-e "$e"); done
    check_static_facts docker run --rm "${envs[@]}" "$IMAGE"
    # --network host lets SMOKE_DATABASE_URL name a PostgreSQL service on the runner's loopback.
    log "migrations (the documented one-off command)"
    docker run --rm --network host "${envs[@]}" "$IMAGE" python manage.py migrate --noinput
    # A global, not a local: the EXIT trap runs after this function has returned.
    SMOKE_CTR="slipway-smoke-$$"
    trap cleanup_docker EXIT
    # The image's CMD and its own HEALTHCHECK command, checked more often so the smoke stays short.
    docker run -d --name "$SMOKE_CTR" --network host "${envs[@]}" \
        --health-interval 2s --health-start-period 30s "$IMAGE" >/dev/null
    if [[ "$SMOKE_DATABASE_URL" == sqlite:* ]]; then
        # SQLite lives in the container: the one-off run above migrated a copy that is gone.
        docker exec "$SMOKE_CTR" python manage.py migrate --noinput >/dev/null
    fi
    check_probes || die "/healthz or /readyz did not answer 200 within ${SMOKE_TIMEOUT}s"
    local status="" deadline=$((SECONDS + SMOKE_TIMEOUT))
    while ((SECONDS < deadline)); do
        status="$(docker inspect --format '{{.State.Health.Status}}' "$SMOKE_CTR")"
        [[ "$status" == healthy ]] && break
        [[ "$status" == unhealthy ]] && die "Docker reports the container unhealthy"
        sleep 2
    done
    [[ "$status" == healthy ]] || die "container health is '$status' after ${SMOKE_TIMEOUT}s"
    log "the image's HEALTHCHECK passes: docker reports the container healthy"
    docker logs "$SMOKE_CTR" 2>&1 | check_server_log
}

cleanup_buildah() {
    if [[ -n "${SMOKE_PGID:-}" ]]; then
        kill -TERM -- "-$SMOKE_PGID" 2>/dev/null || true
        local _
        for _ in {1..10}; do kill -0 -- "-$SMOKE_PGID" 2>/dev/null || break; sleep 1; done
        kill -KILL -- "-$SMOKE_PGID" 2>/dev/null || true
    fi
    if [[ -n "${SMOKE_CTR:-}" ]]; then
        # The stopped `buildah run` may hold the container's lock for a moment.
        local try
        for try in 1 2 3 4 5; do
            buildah rm "$SMOKE_CTR" >/dev/null 2>&1 && break
            sleep 1
        done
        [[ $try -lt 5 ]] || log "could not remove working container $SMOKE_CTR: buildah rm $SMOKE_CTR"
    fi
    [[ -n "${SMOKE_LOG:-}" ]] && rm -f "$SMOKE_LOG"
    return 0
}

# Print, one per line, the argv of the image's CMD or HEALTHCHECK from `buildah inspect` JSON.
image_config() { # $1: inspect JSON, $2: Cmd | Healthcheck
    python3 - "$2" "$1" <<'PY'
import json, sys
what, config = sys.argv[1], json.loads(sys.argv[2])["Docker"]["config"]
if what == "Cmd":
    argv = config.get("Cmd") or []
else:
    test = (config.get("Healthcheck") or {}).get("Test") or []
    argv = test[1:] if test[:1] == ["CMD"] else (["sh", "-c", test[1]] if test[:1] == ["CMD-SHELL"] else [])
if argv:
    print("\n".join(argv))
PY
}

smoke_buildah() {
    buildah inspect --type image "$IMAGE" >/dev/null 2>&1 || die "no image $IMAGE: run 'make image' first"
    # Globals, not locals: the EXIT trap runs after this function has returned.
    SMOKE_PGID=""
    SMOKE_CTR="$(buildah from --pull=never --name "slipway-smoke-$$" "$IMAGE")"
    SMOKE_LOG="$(mktemp)"
    trap cleanup_buildah EXIT
    local ctr="$SMOKE_CTR" runlog="$SMOKE_LOG"
    local envs=()
    for e in "${SMOKE_ENV[@]}"; do envs+=(--env "$e"); done
    # `buildah run` with chroot isolation runs the image's root filesystem as the image's USER,
    # in its WORKDIR, on the host's network: close to `docker run --network host`.
    local run=(buildah run --isolation chroot "${envs[@]}" "$ctr" --)
    check_static_facts "${run[@]}"
    log "migrations (the documented one-off command)"
    "${run[@]}" python manage.py migrate --noinput
    # The image's CMD, started in a process group of its own so it can be stopped as a whole.
    local config
    config="$(buildah inspect --type image "$IMAGE")"
    mapfile -t cmdv < <(image_config "$config" Cmd)
    log "starting the image's CMD: ${cmdv[*]}"
    setsid "${run[@]}" "${cmdv[@]}" >"$runlog" 2>&1 &
    SMOKE_PGID=$!
    if ! check_probes; then
        cat "$runlog" >&2
        die "/healthz or /readyz did not answer 200 within ${SMOKE_TIMEOUT}s"
    fi
    mapfile -t hcv < <(image_config "$config" Healthcheck)
    ((${#hcv[@]})) || die "the image has no HEALTHCHECK"
    "${run[@]}" "${hcv[@]}" || die "the image's HEALTHCHECK command failed: ${hcv[*]}"
    log "the image's HEALTHCHECK passes: ${hcv[*]}"
    check_server_log <"$runlog"
}

# The server's own log must show no error (a server [ERROR] line or a JSON "level": "error").
check_server_log() {
    local log_text
    log_text="$(cat)"
    if grep -qE '\[(ERROR|CRITICAL)\]|"level": "(error|critical)"' <<<"$log_text"; then
        printf '%s\n' "$log_text" >&2
        die "the server logged errors (above)"
    fi
    log "server log has no errors ($(wc -l <<<"$log_text") lines)"
}

smoke() {
    local start=$SECONDS
    case "$ENGINE" in
        docker) smoke_docker ;;
        buildah) smoke_buildah ;;
        *) die "unknown CONTAINER_ENGINE=$ENGINE" ;;
    esac
    log "smoke passed ($ENGINE, $((SECONDS - start))s)"
}

case "${1:-}" in
    build) build ;;
    smoke) smoke ;;
    *) echo "usage: $0 build|smoke" >&2; exit 2 ;;
esac
