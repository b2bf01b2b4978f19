#!/usr/bin/env bash
# The one test command of datasync.diffsync:  bash tests/run.sh [pytest arguments...]
#
# On a fresh Debian machine with Python 3.11 it installs redis-server (apt) and the test
# requirements (a cached virtualenv), makes the checkout findable as
# ansible_collections/datasync/diffsync, then runs ruff, mypy and pytest. Works from any cwd.
#
# Environment: DATASYNC_VENV (virtualenv to use), PYTHON (interpreter for a new venv).
set -euo pipefail

CHECKOUT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
SCRATCH=""
FAILED=()

log() { printf '\n==> %s\n' "$*"; }

cleanup() {
    if [[ -n "$SCRATCH" ]]; then
        # Remove the checkout symlink first so that rm can never reach the checkout itself.
        rm -f "$SCRATCH/collections/ansible_collections/datasync/diffsync"
        rm -rf "$SCRATCH"
    fi
}

has_redis_server() {
    local path
    path="$(command -v redis-server)" && [[ -x "$path" ]]
}

ensure_redis_server() {
    if has_redis_server; then
        return
    fi
    log "redis-server is missing: installing it from Debian's packages"
    local sudo=()
    [[ "$(id -u)" -eq 0 ]] || sudo=(sudo)
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends redis-server >/dev/null
    has_redis_server || { echo "redis-server is still not on PATH after apt-get install" >&2; exit 1; }
}

requirements_hash() {
    { cat "$CHECKOUT/requirements.txt" "$CHECKOUT/tests/requirements.txt"; "$PYTHON" -VV; } |
        sha256sum | cut -c1-12
}

pip_install() {
    # pip here warns "Location ... is ignored" for missing local indexes: harmless, so hidden.
    local out
    out="$(mktemp)"
    if ! "$VENV/bin/python" -m pip install -q "$@" >"$out" 2>&1; then
        grep -v "is ignored: it is neither a file nor a directory" "$out" >&2 || true
        rm -f "$out"
        return 1
    fi
    grep -v "is ignored: it is neither a file nor a directory" "$out" || true
    rm -f "$out"
}

ensure_venv() {
    local hash
    hash="$(requirements_hash)"
    VENV="${DATASYNC_VENV:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/datasync-diffsync/venv-$hash}"
    if [[ -x "$VENV/bin/python" && "$(cat "$VENV/.datasync-stamp" 2>/dev/null)" == "$hash" ]]; then
        log "virtualenv: $VENV (up to date)"
        return
    fi
    log "virtualenv: $VENV (installing tests/requirements.txt)"
    [[ -x "$VENV/bin/python" ]] || "$PYTHON" -m venv --clear "$VENV"
    pip_install -r "$CHECKOUT/tests/requirements.txt"
    echo "$hash" >"$VENV/.datasync-stamp"
}

setup_collection() {
    SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/datasync-tests.XXXXXX")"
    local suffix=/ansible_collections/datasync/diffsync
    if [[ "$CHECKOUT" == *"$suffix" ]]; then
        COLLECTIONS_ROOT="${CHECKOUT%"$suffix"}"
        log "collection: $CHECKOUT (in place)"
    else
        COLLECTIONS_ROOT="$SCRATCH/collections"
        mkdir -p "$COLLECTIONS_ROOT/ansible_collections/datasync"
        ln -s "$CHECKOUT" "$COLLECTIONS_ROOT$suffix"
        log "collection: $COLLECTIONS_ROOT$suffix -> $CHECKOUT"
    fi
    export DATASYNC_COLLECTIONS_ROOT="$COLLECTIONS_ROOT"
    export ANSIBLE_COLLECTIONS_PATH="$COLLECTIONS_ROOT"
    export PYTHONPATH="$COLLECTIONS_ROOT${PYTHONPATH:+:$PYTHONPATH}"
    export ANSIBLE_HOME="$SCRATCH/ansible-home"
    export ANSIBLE_LOCAL_TEMP="$SCRATCH/ansible-tmp"
    export PATH="$VENV/bin:$PATH"
}

# Checks run from the collections root so that mypy names modules ansible_collections.datasync...
run_linters() {
    local own=(tests/conftest.py tests/support tests/test_collection.py tests/sanity)
    local targets=("${own[@]}")
    if [[ -n "$(find "$CHECKOUT/plugins" -name '*.py' -print -quit 2>/dev/null)" ]]; then
        targets=(plugins "${own[@]}")
    else
        log "plugins/ has no Python files yet: ruff and mypy skip plugins/"
    fi
    log "ruff check ${targets[*]}"
    (cd "$CHECKOUT" && "$VENV/bin/ruff" check --quiet --output-format=concise "${targets[@]}") || FAILED+=(ruff)
    log "mypy ${targets[*]}"
    (cd "$COLLECTIONS_ROOT" &&
        "$VENV/bin/mypy" --config-file "$CHECKOUT/pyproject.toml" --cache-dir "$CHECKOUT/.mypy_cache" \
            "${targets[@]/#/ansible_collections/datasync/diffsync/}") || FAILED+=(mypy)
}

run_pytest() {
    log "pytest $*"
    local rc=0
    (cd "$CHECKOUT" && "$VENV/bin/python" -m pytest "$@") || rc=$?
    case "$rc" in
        0) ;;
        5) echo "pytest collected no test: that is a failure" >&2; FAILED+=(pytest) ;;
        *) FAILED+=(pytest) ;;
    esac
}

main() {
    trap cleanup EXIT
    ensure_redis_server
    ensure_venv
    setup_collection
    run_linters
    run_pytest "$@"
    if ((${#FAILED[@]})); then
        log "FAILED: ${FAILED[*]}"
        exit 1
    fi
    log "all checks passed"
}

main "$@"
