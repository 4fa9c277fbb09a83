# Shared by .ci/run and .ci/start (sourced, not run): the Debian packages Qt needs
# and a .venv with Python >= 3.11. Installs only what is missing.

QT_DEBS=(libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0 fonts-dejavu-core)
APT_UPDATED=0

apt_install() {
    # Install the named Debian packages that are missing (root with apt-get only).
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        return 0
    fi
    local missing=() package
    for package in "$@"; do
        dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    echo "setup: installing ${missing[*]}"
    if [ "$APT_UPDATED" = 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

find_python() {
    # The first interpreter of Python >= 3.11 ($PYTHON first, if set).
    local candidate
    for candidate in ${PYTHON:-} python3.13 python3.12 python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

ensure_venv() {
    # Create .venv unless it already holds Python >= 3.11.
    if [ -x .venv/bin/python ] && .venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        return 0
    fi
    local python
    if ! python="$(find_python)"; then
        apt_install python3 python3-venv
        python="$(find_python)" || { echo "setup: Python >= 3.11 not found" >&2; exit 1; }
    fi
    echo "setup: creating .venv ($python)"
    rm -rf .venv
    if ! "$python" -m venv .venv 2>/dev/null; then
        apt_install python3-venv   # Debian's python3 ships venv without ensurepip
        rm -rf .venv
        "$python" -m venv .venv
    fi
}
