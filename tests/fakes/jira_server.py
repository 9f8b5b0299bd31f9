"""The fake Jira served over real HTTP on a loopback port (for checks from outside the process)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import requests
from fakes.fake_jira import FakeJira


def _handler(fake: FakeJira, lock: threading.Lock, delay: float) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            size = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(size) if size else None
            prep = requests.Request(
                self.command, fake.base + self.path, headers=dict(self.headers.items()), data=body
            ).prepare()
            if delay:
                time.sleep(delay)  # a slow site: a client can be signalled mid-run
            try:
                with lock:
                    status, headers, text = fake._handle(prep)
            except requests.ConnectionError:
                self.close_connection = True  # the work is done, the answer is lost
                return
            data = text.encode()
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = _serve

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def serve(*, delay: float = 0.0, **fake_kw: Any) -> Iterator[FakeJira]:
    """A FakeJira at http://127.0.0.1:<free port>, until the block ends; every answer waits
    `delay` seconds first."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    fake = FakeJira(f"http://127.0.0.1:{server.server_address[1]}", **fake_kw)
    server.RequestHandlerClass = _handler(fake, threading.Lock(), delay)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
