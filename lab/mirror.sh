# shellcheck shell=bash
# lab/mirror.sh (sourced by lab.sh): where the lab's Debian packages come from.
#
# Mirror: SLIPWAY_MIRROR if set; else the Debian mirror this machine's apt already uses (an
# entry of $APT_ROOT with component main whose URI ends in /debian); else Debian's public
# mirror. The security mirror is chosen the same way (SLIPWAY_SECURITY_MIRROR, /debian-security).
# On a machine that is not Debian (Ubuntu in CI, say) that means deb.debian.org.
# Keyring: debootstrap checks the Debian archive signatures against $KEYRING; lab.sh installs
# the debian-archive-keyring package (Debian's and Ubuntu's name) when it is missing.

APT_ROOT=${SLIPWAY_APT_ROOT:-/etc/apt}
KEYRING=${SLIPWAY_KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}
PUBLIC_MIRROR=http://deb.debian.org/debian
PUBLIC_SECURITY_MIRROR=http://deb.debian.org/debian-security

# Every enabled binary ("deb") entry of an apt tree, in the order apt reads them, one line
# each: URI, a tab, its components. Both formats: one-line (.list) and deb822 (.sources).
apt_entries() {
    local f
    for f in "$APT_ROOT/sources.list" "$APT_ROOT"/sources.list.d/*; do
        [ -f "$f" ] || continue
        case $f in
            *.list) awk '
                { sub(/#.*/, "") }
                $1 != "deb" { next }
                {
                    i = 2
                    if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }   # [ options ]
                    uri = $i; comps = ""
                    for (j = i + 2; j <= NF; j++) comps = comps (comps == "" ? "" : " ") $j
                    if (uri != "") print uri "\t" comps
                }' "$f" ;;
            *.sources) awk '
                function norm(s) { gsub(/[ \t]+/, " ", s); sub(/^ /, "", s); sub(/ $/, "", s); return s }
                function flush(   n, i, u) {
                    if ((" " norm(f["types"]) " ") ~ / deb / && tolower(norm(f["enabled"])) != "no") {
                        n = split(f["uris"], u, " ")
                        for (i = 1; i <= n; i++) print u[i] "\t" norm(f["components"])
                    }
                    split("", f); key = ""
                }
                /^#/ { next }
                /^[ \t]*$/ { flush(); next }
                /^[ \t]/ { if (key != "") f[key] = f[key] " " $0; next }     # continuation
                {
                    key = tolower(substr($0, 1, index($0, ":") - 1))
                    f[key] = substr($0, index($0, ":") + 1)
                }
                END { flush() }' "$f" ;;
        esac
    done
}

# The first http(s) mirror of this machine whose path ends in /NAME (debian, debian-security)
# and that carries the main component: a third-party repository such as
# https://download.docker.com/linux/debian (component "stable") is not a Debian mirror.
host_mirror() {
    # awk reads to the end: leaving early would kill apt_entries with SIGPIPE (and pipefail).
    apt_entries | awk -F'\t' -v name="$1" '
        !found && $1 ~ /^https?:\/\// && $1 ~ ("/" name "/?$") && (" " $2 " ") ~ / main / {
            sub(/\/$/, "", $1); print $1; found = 1
        }'
}

# Sets MIRROR and SECURITY_MIRROR (and where each came from: MIRROR_FROM, SECURITY_FROM).
choose_mirrors() {
    if [ -n "${SLIPWAY_MIRROR:-}" ]; then
        MIRROR=${SLIPWAY_MIRROR%/} MIRROR_FROM=SLIPWAY_MIRROR
    elif MIRROR=$(host_mirror debian) && [ -n "$MIRROR" ]; then
        MIRROR_FROM=$APT_ROOT
    else
        MIRROR=$PUBLIC_MIRROR MIRROR_FROM="Debian's public mirror"
    fi
    if [ -n "${SLIPWAY_SECURITY_MIRROR:-}" ]; then
        SECURITY_MIRROR=${SLIPWAY_SECURITY_MIRROR%/} SECURITY_FROM=SLIPWAY_SECURITY_MIRROR
    elif SECURITY_MIRROR=$(host_mirror debian-security) && [ -n "$SECURITY_MIRROR" ]; then
        SECURITY_FROM=$APT_ROOT
    else
        SECURITY_MIRROR=$PUBLIC_SECURITY_MIRROR SECURITY_FROM="Debian's public mirror"
    fi
}

# debootstrap needs the Debian archive keyring; Ubuntu packages it under the same name.
ensure_keyring() {
    [ -f "$KEYRING" ] && return
    [ "$KEYRING" = /usr/share/keyrings/debian-archive-keyring.gpg ] \
        || die "keyring $KEYRING (SLIPWAY_KEYRING) does not exist"
    say "installing debian-archive-keyring (the Debian archive's signing keys)"
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q debian-archive-keyring >/dev/null
    [ -f "$KEYRING" ] || die "debian-archive-keyring did not provide $KEYRING"
}

cmd_mirror() {
    choose_mirrors
    echo "mirror $MIRROR (from $MIRROR_FROM)"
    echo "security $SECURITY_MIRROR (from $SECURITY_FROM)"
    if [ -f "$KEYRING" ]; then
        echo "keyring $KEYRING (present)"
    elif [ "$KEYRING" = /usr/share/keyrings/debian-archive-keyring.gpg ]; then
        echo "keyring $KEYRING (missing: lab.sh rootfs installs debian-archive-keyring)"
    else
        echo "keyring $KEYRING (missing)"
    fi
}
