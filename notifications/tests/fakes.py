"""Stand-ins for the outside world, at the network boundary: an SMS gateway speaking Twilio's
Messages API (a local HTTP server) and an SMTP server (aiosmtpd). Each can be switched between
"up", "failing" (answers with an error) and "down" (port closed)."""

import json
import socket
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class FakeSmsGateway:
    """Twilio-like: POST /2010-04-01/Accounts/<sid>/Messages.json -> 201 {"sid": ...}, or 503 when failing.

    Like a gateway that honours ``Idempotency-Key``: a request repeating a key already accepted gets
    the first message's answer and sends nothing (``received`` holds each message once, ``requests``
    counts every POST)."""

    def __init__(self):
        self.failing = False
        self.received: list[dict] = []
        self.requests = 0
        self.sids: dict[str, str] = {}  # Idempotency-Key -> sid
        self.lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length", 0))
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                key = self.headers.get("Idempotency-Key", "")
                with gateway.lock:
                    gateway.requests += 1
                if gateway.failing:
                    body = json.dumps({"code": 20503, "message": "Service unavailable", "status": 503}).encode()
                    self.send_response(503)
                else:
                    sid = gateway.accept(form, path=self.path, auth=self.headers.get("Authorization", ""), key=key)
                    body = json.dumps({"sid": sid, "status": "queued", "to": form.get("To")}).encode()
                    self.send_response(201)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def accept(self, form: dict, *, path: str = "", auth: str = "", key: str = "") -> str:
        """Take one message (once per idempotency key); returns its sid."""
        with self.lock:
            if key and key in self.sids:
                return self.sids[key]
            self.received.append({"path": path, "auth": auth, "key": key, **form})
            sid = f"SM{len(self.received):032d}"
            if key:
                self.sids[key] = sid
            return sid

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class _Handler:
    def __init__(self, smtp):
        self.smtp = smtp

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.smtp.failing:
            return "451 4.3.0 Try again later"
        with self.smtp.lock:
            self.smtp.received.append(
                {"from": envelope.mail_from, "to": list(envelope.rcpt_tos),
                 "data": envelope.content.decode("utf-8", "replace")}
            )
        return "250 OK"


class FakeSmtpServer:
    """aiosmtpd on a local port; ``stop()``/``start()`` simulate the server going down and back."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.failing = False
        self.received: list[dict] = []
        self.lock = threading.Lock()
        self.controller = None

    def start(self):
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
