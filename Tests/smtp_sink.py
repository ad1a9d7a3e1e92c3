#!/usr/bin/env python3
"""A loopback SMTP sink for the Mailer tests.

Prints "PORT <n>" as its first line, then saves every accepted message as a JSON
file {"mail_from", "rcpt_tos", "data_base64"} in --out DIR.
"""
import argparse
import asyncio
import base64
import json
import os
import signal
import ssl
import sys
import uuid

try:
    from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword
except ImportError:
    sys.stderr.write("smtp_sink.py needs aiosmtpd: pip install aiosmtpd\n")
    sys.exit(3)


class Handler:
    def __init__(self, out_dir, reject, reject_at):
        self.out_dir = out_dir
        self.reject = reject
        self.reject_at = reject_at

    def _rejection(self, step):
        if self.reject and self.reject_at == step:
            return f"{self.reject} Rejected by test sink"
        return None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        rejection = self._rejection("rcpt")
        if rejection:
            return rejection
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        rejection = self._rejection("data")
        if rejection:
            return rejection
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "data_base64": base64.b64encode(envelope.original_content).decode("ascii"),
            "starttls": session.ssl is not None,
            "authenticated": bool(session.authenticated),
        }
        name = uuid.uuid4().hex
        temporary = os.path.join(self.out_dir, name + ".tmp")
        with open(temporary, "w") as f:
            json.dump(record, f)
        os.rename(temporary, os.path.join(self.out_dir, name + ".json"))
        return "250 Message accepted"


def make_authenticator(credentials):
    user, _, password = credentials.partition(":")

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == user
            and auth_data.password.decode() == password
        )
        return AuthResult(success=ok, handled=False)

    return authenticate


def tls_context(cert, key):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


async def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--out", required=True)
    parser.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--auth", metavar="USER:PASSWORD")
    parser.add_argument("--auth-only", choices=["PLAIN", "LOGIN"], help="offer one mechanism")
    parser.add_argument("--reject", type=int, metavar="CODE")
    parser.add_argument("--reject-at", choices=["rcpt", "data"], default="rcpt")
    args = parser.parse_args()

    handler = Handler(args.out, args.reject, args.reject_at)
    options = {"decode_data": False, "hostname": "sink.test"}
    if args.starttls:
        options["tls_context"] = tls_context(*args.starttls)
    if args.auth:
        options.update(
            authenticator=make_authenticator(args.auth),
            auth_required=True,
            auth_require_tls=False,
            auth_exclude_mechanism={"PLAIN", "LOGIN"} - {args.auth_only} if args.auth_only else [],
        )
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, **options),
        host="127.0.0.1",
        port=args.port,
        ssl=tls_context(*args.tls) if args.tls else None,
    )
    print(f"PORT {server.sockets[0].getsockname()[1]}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    # The parent may have SIGTERM blocked in the mask we inherit; make it fatal again.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
