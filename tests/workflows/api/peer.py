"""A real local HTTP server standing in for another system (webhook receiver, shared source)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from workflows.api.signing import SIGNATURE_HEADER, sign


@dataclass
class Reply:
    status: int = 200
    body: dict[str, Any] | None = None
    hang_seconds: float = 0.0
    sign_with: str | None = None


@dataclass
class Peer:
    url: str
    replies: list[Reply] = field(default_factory=list)
    default: Reply = field(default_factory=Reply)
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def next_reply(self) -> Reply:
        return self.replies.pop(0) if self.replies else self.default


@contextmanager
def running_peer() -> Iterator[Peer]:
    """Serve on 127.0.0.1 on a free port until the block ends."""
    peer: Peer

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            peer.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
            reply = peer.next_reply()
            if reply.hang_seconds:
                peer.stop.wait(reply.hang_seconds)
                if peer.stop.is_set():
                    return
            raw = json.dumps(reply.body or {}, ensure_ascii=False).encode()
            self.send_response(reply.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            if reply.sign_with is not None:
                self.send_header(SIGNATURE_HEADER, sign(reply.sign_with, raw))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    peer = Peer(url=f"http://127.0.0.1:{server.server_address[1]}/hook")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield peer
    finally:
        peer.stop.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        time.sleep(0)
