#!/usr/bin/env bash
# A throw-away SMTP server for tests, entirely inside one directory.
#
#   smtp.sh start DIR [--fail-first N] [--reject RCPT]... [--auth USER:PASS] [--tls|--smtps] [--silent]
#   smtp.sh stop DIR
#
# `start` prints one KEY=VALUE per line: SMTP_HOST, SMTP_PORT (a free loopback port
# the kernel picked), SMTP_MAILDIR (DIR/mail: every accepted message as NNNNNN.eml,
# the bytes as received, plus NNNNNN.json with the envelope — mail_from, rcpt_tos),
# SMTP_LOG (one line per 250/451/550 answer), SMTP_CA_FILE (with --tls: the
# throw-away CA that signed the server certificate for localhost/127.0.0.1) and
# SMTP_START_MS. It returns once the server greets with "220".
#
#   --fail-first N   answer 451 (transient) to the first N messages
#   --reject RCPT    answer 550 (permanent) to this recipient (repeatable)
#   --auth USER:PASS require AUTH PLAIN/LOGIN (offered without TLS: test server only)
#   --tls            offer STARTTLS (needs openssl)
#   --smtps          TLS from the first byte (implicit TLS, like port 465; needs openssl)
#   --silent         accept connections and never greet (client timeout tests)
#
# The server is Debian's python3-aiosmtpd (an asyncio SMTP server) driven by
# smtp_server.py next to this script. Exit code 77 means "aiosmtpd is not installed".
set -euo pipefail

usage() {
    echo "usage: $0 start DIR [--fail-first N] [--reject RCPT]... [--auth USER:PASS] [--tls|--smtps] [--silent] | stop DIR" >&2
    exit 2
}

[ $# -ge 2 ] || usage
cmd=$1
dir=$2
here=$(cd "$(dirname "$0")" && pwd)

now_ms() {
    date +%s%3N
}

# Wait until the server greets on 127.0.0.1:$1 ("220 ..."), up to 10 s.
wait_greeting() {
    local line
    for _ in $(seq 1 100); do
        if exec 3<>"/dev/tcp/127.0.0.1/$1" 2>/dev/null; then
            line=""
            read -r -t 2 line <&3 || true
            printf 'QUIT\r\n' >&3 2>/dev/null || true
            exec 3<&- 3>&- || true
            case "$line" in
            220*) return 0 ;;
            esac
        fi
        sleep 0.1
    done
    return 1
}

make_cert() {
    local t="$dir/tls"
    mkdir -p "$t"
    {
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
            -keyout "$t/ca-key.pem" -out "$t/ca.pem" -days 2 -subj "/CN=mnp test CA" \
            -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" &&
            openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
                -keyout "$t/key.pem" -out "$t/req.pem" -subj "/CN=localhost" &&
            printf '%s\n' "basicConstraints=critical,CA:FALSE" \
                "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth" \
                "subjectAltName=DNS:localhost,IP:127.0.0.1" >"$t/ext.cnf" &&
            openssl x509 -req -in "$t/req.pem" -CA "$t/ca.pem" -CAkey "$t/ca-key.pem" \
                -CAcreateserial -days 2 -extfile "$t/ext.cnf" -out "$t/cert.pem"
    } >"$dir/openssl.log" 2>&1
}

start() {
    local py=()
    local tls=0 silent=0 implicit=0
    while [ $# -gt 0 ]; do
        case "$1" in
        --fail-first | --reject | --auth)
            [ $# -ge 2 ] || usage
            py+=("$1" "$2")
            shift 2
            ;;
        --tls)
            tls=1
            shift
            ;;
        --smtps)
            tls=1
            implicit=1
            py+=(--implicit-tls)
            shift
            ;;
        --silent)
            silent=1
            py+=(--silent)
            shift
            ;;
        *) usage ;;
        esac
    done
    # Debian's python first: that is where python3-aiosmtpd lives (a pyenv or
    # venv python3 earlier in PATH does not see it).
    local python=""
    for p in /usr/bin/python3 "$(command -v python3 2>/dev/null || true)"; do
        if [ -n "$p" ] && [ -x "$p" ] && { [ "$silent" = 1 ] || "$p" -c 'import aiosmtpd' 2>/dev/null; }; then
            python=$p
            break
        fi
    done
    if [ -z "$python" ]; then
        echo "aiosmtpd is not installed (apt-get install python3-aiosmtpd)" >&2
        exit 77
    fi
    local t0
    t0=$(now_ms)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    rm -f "$dir/port"
    mkdir -p "$dir/mail"
    if [ "$tls" = 1 ]; then
        if ! command -v openssl >/dev/null 2>&1 || ! make_cert; then
            echo "cannot make a test certificate (openssl); log: $dir/openssl.log" >&2
            exit 1
        fi
        py+=(--tls "$dir/tls/cert.pem:$dir/tls/key.pem")
    fi
    # Detached from the caller's stdout, so `$(smtp.sh start …)` returns.
    nohup "$python" "$here/smtp_server.py" "$dir" "${py[@]}" >"$dir/server.log" 2>&1 </dev/null &
    local pid=$!
    echo "$pid" >"$dir/server.pid"
    local port=""
    for _ in $(seq 1 100); do
        if [ -s "$dir/port" ]; then
            port=$(cat "$dir/port")
            break
        fi
        if ! kill -0 "$pid" 2>/dev/null; then
            break
        fi
        sleep 0.1
    done
    if [ -z "$port" ]; then
        echo "the SMTP server did not start; log:" >&2
        tail -n 30 "$dir/server.log" >&2 2>/dev/null || true
        stop
        exit 1
    fi
    # (With implicit TLS the greeting is encrypted; the port file is only
    # written once the server listens, which is enough.)
    if [ "$silent" = 0 ] && [ "$implicit" = 0 ] && ! wait_greeting "$port"; then
        echo "the SMTP server listens on 127.0.0.1:$port but does not greet; log:" >&2
        tail -n 30 "$dir/server.log" >&2 2>/dev/null || true
        stop
        exit 1
    fi
    local t1
    t1=$(now_ms)
    echo "SMTP_HOST=127.0.0.1"
    echo "SMTP_PORT=$port"
    echo "SMTP_MAILDIR=$dir/mail"
    echo "SMTP_LOG=$dir/smtp.log"
    if [ "$tls" = 1 ]; then
        echo "SMTP_CA_FILE=$dir/tls/ca.pem"
    fi
    echo "SMTP_START_MS=$((t1 - t0))"
}

stop() {
    local pidfile="$dir/server.pid" pid=""
    [ -f "$pidfile" ] && pid=$(cat "$pidfile" 2>/dev/null || true)
    [ -n "$pid" ] || return 0
    # Only our own server: the pid must still run smtp_server.py for this DIR.
    if ! tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "smtp_server.py"; then
        rm -f "$pidfile"
        return 0
    fi
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$pidfile" "$dir/port"
}

case "$cmd" in
start)
    shift 2
    start "$@"
    ;;
stop) stop ;;
*) usage ;;
esac
