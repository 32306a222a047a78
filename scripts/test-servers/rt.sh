#!/usr/bin/env bash
# A throw-away Request Tracker 5 (REST2) for the mnp-ingest tests.
#
#   rt.sh start DIR          start RT on a free loopback port with its own SQLite
#                            database and site config in DIR; prints KEY=VALUE lines
#                            (RT_URL, RT_QUEUE, RT_TOKEN, RT_USER, RT_PASSWORD,
#                            RT_ADMIN_USER, RT_ADMIN_PASSWORD, RT_PID, RT_STARTUP_SECONDS)
#                            (a second start in the same DIR keeps its database)
#   rt.sh stop DIR           stop the server started in DIR
#   rt.sh mail DIR [QUEUE]   deliver the RFC 822 message on stdin with rt-mailgate
#                            (creates a ticket exactly as a mail alias would); prints
#                            rt-mailgate's answer
#   rt.sh check              exit 0 when the RT 5 binaries are installed
#
# Needs Debian's request-tracker5, rt5-db-sqlite, rt5-standalone (rt5-clients for
# `mail`). Runs as root or not: everything RT writes lives in DIR and the cache.
#
# Initialising an RT database takes tens of seconds, so the initialised database
# (queue `Maintenance`, ticket custom field `MaintLabel`, user `mnp` with a password
# and an auth token) is built once into a template in $MNP_RT_CACHE (default
# ${TMPDIR:-/tmp}/mnp-rt-cache/<hash of this script and RT's version>) and copied
# on every start; a re-run starts in a few seconds.
set -euo pipefail

RT_LIB=/usr/share/request-tracker5/lib
RT_SERVER=/usr/share/request-tracker5/libexec/rt-server
RT_SETUP=/usr/sbin/rt-setup-database
RT_MAILGATE=/usr/bin/rt-mailgate
QUEUE=Maintenance
USER_NAME=mnp
USER_PASSWORD=mnp-test-password
ADMIN_USER=root
ADMIN_PASSWORD=password # RT's initial root password

die() { echo "rt.sh: $*" >&2; exit 1; }

check() {
    [[ -x $RT_SERVER && -x $RT_SETUP && -d $RT_LIB ]] || return 1
    perl -e 'require DBD::SQLite' 2>/dev/null || return 1
}

# site_config FILE DBPATH LOGDIR PORT
site_config() {
    cat >"$1" <<EOF
Set(\$rtname, 'mnp-test');
Set(\$Organization, 'mnp-test');
Set(\$Timezone, 'UTC');
Set(\$DatabaseType, 'SQLite');
Set(\$DatabaseName, '$2');
Set(\$DatabaseHost, 'localhost');
Set(\$DatabaseUser, '');
Set(\$DatabasePassword, '');
Set(\$WebDomain, '127.0.0.1');
Set(\$WebPort, $4);
Set(\$WebPath, '');
Set(\$CorrespondAddress, 'maintenance@example.net');
Set(\$CommentAddress, 'maintenance-comment@example.net');
# Outgoing mail (autoreplies) goes to a file, never to a network.
Set(\$MailCommand, 'mbox');
Set(\$LogDir, '$3');
Set(\$LogToFile, 'info');
Set(\$LogToFileNamed, 'rt.log');
Set(\$LogToSyslog, undef);
Set(\$LogToSTDERR, 'error');
1;
EOF
}

free_port() {
    perl -MIO::Socket::INET -e '
        my $s = IO::Socket::INET->new(Listen => 1, LocalAddr => "127.0.0.1", LocalPort => 0, ReuseAddr => 1)
            or die "no free port: $!\n";
        print $s->sockport, "\n";'
}

rt_version() { dpkg-query -W -f='${Version}' request-tracker5 2>/dev/null || echo unknown; }

# Build (once) the initialised database template; prints its directory.
template() {
    local hash cache tdir
    hash=$( (cat "$0"; rt_version) | sha256sum | cut -c1-16)
    cache=${MNP_RT_CACHE:-${TMPDIR:-/tmp}/mnp-rt-cache}
    tdir=$cache/$hash
    mkdir -p "$cache"
    (
        flock 9
        if [[ -f $tdir/ready ]]; then exit 0; fi
        rm -rf "$tdir.build"
        mkdir -p "$tdir.build/etc-empty"
        local b=$tdir.build
        site_config "$b/RT_SiteConfig.pm" "$b/rtdb" "$b" 8080
        cat >"$b/initialdata" <<EOF
@Queues = ({
    Name        => '$QUEUE',
    Description => 'Vendor maintenance notices (mnp ingest tests)',
});
@CustomFields = ({
    Name        => 'MaintLabel',
    Type        => 'FreeformSingle',
    LookupType  => 'RT::Queue-RT::Ticket',
    ApplyTo     => ['$QUEUE'],
    Description => 'mnp ingest outcome label',
});
@Users = ({
    Name         => '$USER_NAME',
    Password     => '$USER_PASSWORD',
    EmailAddress => 'mnp@example.net',
    RealName     => 'mnp ingest',
    Privileged   => 1,
});
# The mail gateway creates tickets as the (auto-created) sender.
@ACL = (
    (map { { GroupDomain => 'SystemInternal', GroupType => 'Everyone',
             Queue => '$QUEUE', Right => \$_ } } qw(CreateTicket ReplyToTicket)),
    # What the ingest user needs, and no more.
    (map { { UserId => '$USER_NAME', Queue => '$QUEUE', Right => \$_ } }
        qw(SeeQueue ShowTicket ShowTicketComments ModifyTicket CommentOnTicket
           SeeCustomField ModifyCustomField)),
);
@Final = (sub {
    my \$user = RT::User->new(RT->SystemUser);
    \$user->Load('$USER_NAME');
    my \$tok = RT::AuthToken->new(RT->SystemUser);
    my (\$ok, \$msg, \$auth) = \$tok->Create(Owner => \$user->id, Description => 'mnp tests');
    die "auth token: \$msg" unless \$ok;
    open my \$fh, '>', '$b/token' or die "\$!";
    print \$fh \$auth;
    close \$fh;
});
1;
EOF
        export RT_SITE_CONFIG=$b/RT_SiteConfig.pm RT_SITE_CONFIG_DIR=$b/etc-empty
        "$RT_SETUP" --action init --skip-create </dev/null >"$b/setup.log" 2>&1 \
            || "$RT_SETUP" --action init </dev/null >>"$b/setup.log" 2>&1 \
            || { cat "$b/setup.log" >&2; die "rt-setup-database init failed"; }
        "$RT_SETUP" --action insert --datafile "$b/initialdata" </dev/null >>"$b/setup.log" 2>&1 \
            || { cat "$b/setup.log" >&2; die "rt-setup-database insert failed"; }
        [[ -s $b/token ]] || { cat "$b/setup.log" >&2; die "no auth token created"; }
        rm -rf "$tdir"
        mv "$b" "$tdir"
        touch "$tdir/ready"
    ) 9>"$cache/lock" || exit 1
    echo "$tdir"
}

start() {
    local dir=$1 t0 tdir port pid url i
    check || die "Request Tracker 5 is not installed (apt-get install request-tracker5 rt5-db-sqlite rt5-standalone)"
    t0=$(date +%s%N)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    tdir=$(template)
    # A restart in the same DIR keeps its database (and so its tickets).
    [[ -f $dir/rtdb ]] || cp "$tdir/rtdb" "$dir/rtdb"
    mkdir -p "$dir/etc-empty"
    port=$(free_port)
    site_config "$dir/RT_SiteConfig.pm" "$dir/rtdb" "$dir" "$port"
    url="http://127.0.0.1:$port"
    (
        export RT_SITE_CONFIG=$dir/RT_SiteConfig.pm RT_SITE_CONFIG_DIR=$dir/etc-empty
        cd "$dir"
        exec setsid "$RT_SERVER" --server Starlet --host 127.0.0.1 --port "$port" \
            --max-workers 3 </dev/null >"$dir/server.log" 2>&1
    ) &
    pid=$!
    echo "$pid" >"$dir/rt.pid"
    for i in $(seq 1 600); do
        if ! kill -0 "$pid" 2>/dev/null; then
            cat "$dir/server.log" >&2
            die "rt-server exited during start-up"
        fi
        # 401 means REST2 is up and asks for credentials.
        if perl -MIO::Socket::INET -e '
            my $s = IO::Socket::INET->new(PeerAddr => "127.0.0.1:'"$port"'", Timeout => 2) or exit 1;
            print $s "GET /REST/2.0/rt HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
            my $l = <$s> // exit 1; exit($l =~ m{^HTTP/1\.\d (200|401)} ? 0 : 1);' 2>/dev/null; then
            break
        fi
        sleep 0.2
    done
    [[ $i -lt 600 ]] || { stop "$dir"; die "rt-server did not answer within 120 s"; }
    echo "RT_URL=$url/"
    echo "RT_QUEUE=$QUEUE"
    echo "RT_TOKEN=$(cat "$tdir/token")"
    echo "RT_USER=$USER_NAME"
    echo "RT_PASSWORD=$USER_PASSWORD"
    echo "RT_ADMIN_USER=$ADMIN_USER"
    echo "RT_ADMIN_PASSWORD=$ADMIN_PASSWORD"
    echo "RT_PID=$pid"
    local ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    printf 'RT_STARTUP_SECONDS=%d.%03d\n' $((ms / 1000)) $((ms % 1000))
}

stop() {
    local dir=$1 pid i
    [[ -f $dir/rt.pid ]] || return 0
    pid=$(cat "$dir/rt.pid")
    # setsid made the server its own process group: stop it and its workers.
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL -- "-$pid" 2>/dev/null || true
    rm -f "$dir/rt.pid"
}

mail() {
    local dir=$1 queue=${2:-$QUEUE} port
    [[ -x $RT_MAILGATE ]] || die "rt-mailgate is not installed (apt-get install rt5-clients)"
    port=$(sed -n 's/^Set(\$WebPort, \([0-9]*\));$/\1/p' "$dir/RT_SiteConfig.pm")
    [[ -n $port ]] || die "no RT started in $dir"
    "$RT_MAILGATE" --url "http://127.0.0.1:$port/" --queue "$queue" --action correspond --timeout 60
}

case ${1:-} in
    start) [[ $# -eq 2 ]] || die "usage: rt.sh start DIR"; start "$2" ;;
    stop) [[ $# -eq 2 ]] || die "usage: rt.sh stop DIR"; stop "$2" ;;
    mail) [[ $# -ge 2 ]] || die "usage: rt.sh mail DIR [QUEUE] < message"; mail "$2" "${3:-}" ;;
    check) check ;;
    *) die "usage: rt.sh start DIR | stop DIR | mail DIR [QUEUE] | check" ;;
esac
