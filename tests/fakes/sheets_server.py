"""The fake Sheets API served over real HTTP on a loopback port (for a client in another process).

The client must send its Sheets calls to `url` instead of https://sheets.googleapis.com (the load
benchmark patches the adapter's two URL templates) and authenticate with the test token.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import requests
from fakes.sheets import BASE, SPREADSHEET_ID, FakeSheets


@contextmanager
def serve_sheets() -> Iterator[tuple[FakeSheets, str]]:
    """(the fake, its base URL ending in /v4/spreadsheets/) until the block ends; one empty
    spreadsheet SPREADSHEET_ID. POST /token answers OAuth token requests as Google would."""
    fake = FakeSheets()
    fake.create_spreadsheet(SPREADSHEET_ID)
    get = fake._wrap("get", fake._get)
    batch = fake._wrap("batchUpdate", fake._batch_update)
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            size = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(size) if size else None
            url = BASE + self.path.split("/v4/spreadsheets/", 1)[-1]
            prep = requests.Request(
                self.command, url, headers=dict(self.headers.items()), data=body
            ).prepare()
            with lock:
                if self.path == "/token":  # OAuth, for a key file whose token_uri is here
                    status, headers, text = fake._token(prep)
                else:
                    status, headers, text = (batch if self.command == "POST" else get)(prep)
            data = text.encode()
            self.send_response(status)
            for k, v in {**headers, "Content-Type": "application/json"}.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = _serve

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake, f"http://127.0.0.1:{server.server_address[1]}/v4/spreadsheets/"
    finally:
        server.shutdown()
        server.server_close()
