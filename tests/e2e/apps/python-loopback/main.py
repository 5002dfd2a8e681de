"""A status server that listens on HOST (default 127.0.0.1) and PORT (dockgen e2e)."""

import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import idna


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"hello from python-loopback e2e-v1\n" if self.path == "/" else b"ok\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(body if idna.encode("example.org") else b"")


if __name__ == "__main__":
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", 8106))
    ThreadingHTTPServer((host, port), Handler).serve_forever()
