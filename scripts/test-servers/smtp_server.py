#!/usr/bin/env python3
"""A throw-away SMTP server for mnp's tests (started by smtp.sh, not by hand).

A real asyncio SMTP server (Debian's python3-aiosmtpd) on a loopback port the
kernel picks; the port is written to DIR/port once it listens. Every accepted
message is stored as DIR/mail/NNNNNN.eml (the bytes as received) plus
DIR/mail/NNNNNN.json (envelope: mail_from, rcpt_tos, peer), written to a
temporary name first and renamed, so a reader never sees half a message.

  --fail-first N   answer "451 4.3.0" to the first N DATA commands (retry tests)
  --reject RCPT    answer "550 5.1.1" to RCPT TO:<RCPT> (repeatable, case-insensitive)
  --auth USER:PASS offer AUTH PLAIN/LOGIN over the plain connection and require it
  --tls CERT:KEY   offer STARTTLS with this certificate (not required)
  --implicit-tls   with --tls: TLS from the first byte instead (smtps, port 465 style)
  --silent         accept connections and never greet (timeout tests)
"""

import argparse
import asyncio
import json
import os
import signal
import ssl
import sys

SILENT_HELP = "accept connections and never answer"


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("dir")
    p.add_argument("--fail-first", type=int, default=0)
    p.add_argument("--reject", action="append", default=[])
    p.add_argument("--auth", default=None)
    p.add_argument("--tls", default=None)
    p.add_argument("--implicit-tls", action="store_true")
    p.add_argument("--silent", action="store_true", help=SILENT_HELP)
    return p.parse_args()


class Handler:
    def __init__(self, maildir, fail_first, reject):
        self.maildir = maildir
        self.fail_first = fail_first
        self.reject = {r.lower() for r in reject}
        self.seq = 0
        self.log = open(os.path.join(os.path.dirname(maildir), "smtp.log"), "a", buffering=1)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.reject:
            self.log.write(f"550 RCPT {address}\n")
            return "550 5.1.1 <%s>: recipient rejected by the test server" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.fail_first > 0:
            self.fail_first -= 1
            self.log.write(f"451 DATA from {envelope.mail_from} to {envelope.rcpt_tos}\n")
            return "451 4.3.0 temporary failure (test server, --fail-first)"
        self.seq += 1
        base = os.path.join(self.maildir, "%06d" % self.seq)
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8", "surrogateescape")
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "peer": list(session.peer) if session.peer else None,
            "authenticated": bool(getattr(session, "authenticated", False)),
        }
        for ext, data in ((".eml", content), (".json", json.dumps(meta).encode())):
            tmp = os.path.join(self.maildir, ".tmp-%06d%s" % (self.seq, ext))
            with open(tmp, "wb") as f:
                f.write(data)
            os.rename(tmp, base + ext)
        self.log.write(f"250 DATA #{self.seq} from {envelope.mail_from} to {envelope.rcpt_tos}\n")
        return "250 2.0.0 OK stored as %06d" % self.seq


async def silent(reader, writer):
    # Never greet; hold the connection until the client gives up.
    try:
        await reader.read()
    finally:
        writer.close()


async def main():
    args = parse_args()
    maildir = os.path.join(args.dir, "mail")
    os.makedirs(maildir, exist_ok=True)
    loop = asyncio.get_running_loop()
    if args.silent:
        server = await asyncio.start_server(silent, "127.0.0.1", 0)
    else:
        from aiosmtpd.smtp import SMTP, AuthResult

        handler = Handler(maildir, args.fail_first, args.reject)
        kwargs = {}
        if args.auth:
            user, _, password = args.auth.partition(":")

            def authenticator(server, session, envelope, mechanism, auth_data):
                ok = (
                    auth_data is not None
                    and getattr(auth_data, "login", None) == user.encode()
                    and getattr(auth_data, "password", None) == password.encode()
                )
                # handled=False: aiosmtpd answers "535" itself on failure
                # (its default handled=True would leave the client waiting).
                return AuthResult(success=ok, handled=False)

            kwargs.update(
                authenticator=authenticator, auth_required=True, auth_require_tls=False
            )
        ctx = None
        if args.tls:
            cert, _, key = args.tls.partition(":")
            ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            ctx.load_cert_chain(cert, key)
            if not args.implicit_tls:
                kwargs.update(tls_context=ctx, require_starttls=False)

        def factory():
            return SMTP(handler, hostname="mnp-test-smtp", ident="mnp test SMTP", **kwargs)

        wrap = ctx if args.implicit_tls else None
        server = await loop.create_server(factory, "127.0.0.1", 0, ssl=wrap)
    port = server.sockets[0].getsockname()[1]
    tmp = os.path.join(args.dir, ".port.tmp")
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.rename(tmp, os.path.join(args.dir, "port"))
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    server.close()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except ImportError as e:
        print("aiosmtpd is not installed (apt-get install python3-aiosmtpd): %s" % e, file=sys.stderr)
        sys.exit(77)
