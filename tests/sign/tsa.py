#!/usr/bin/env python3
"""tsa.py DIR MODE PORTFILE — a local RFC 3161 time-stamp authority for the
signing tests: `openssl ts -reply` with DIR's TSA key behind an HTTP server
on 127.0.0.1, on a free port written to PORTFILE. MODE "good" answers each
query; "lie" answers with a token for another imprint; "garbage" answers
bytes that are no token. It stops by itself after 120 seconds or when the
test kills it."""
import http.server
import os
import subprocess
import sys
import tempfile
import threading

directory, mode, port_file = sys.argv[1:4]


def reply(query: bytes) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        qfile = os.path.join(tmp, "q.tsq")
        if mode == "lie":
            # A query of our own over other data: the answer's imprint is wrong.
            data = os.path.join(tmp, "other")
            with open(data, "wb") as f:
                f.write(b"not what was asked")
            subprocess.run(["openssl", "ts", "-query", "-data", data, "-sha256", "-cert",
                            "-out", qfile], check=True, capture_output=True)
        else:
            with open(qfile, "wb") as f:
                f.write(query)
        rfile = os.path.join(tmp, "r.tsr")
        subprocess.run(["openssl", "ts", "-reply", "-config", os.path.join(directory, "ca.cnf"),
                        "-queryfile", qfile, "-signer", os.path.join(directory, "tsa.pem"),
                        "-inkey", os.path.join(directory, "tsa.key"),
                        "-chain", os.path.join(directory, "ca.pem"), "-out", rfile],
                       check=True, capture_output=True, cwd=directory)
        with open(rfile, "rb") as f:
            return f.read()


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        query = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        body = b"garbage, not a token" if mode == "garbage" else reply(query)
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(port_file + ".tmp", port_file)
timer = threading.Timer(120, server.shutdown)
timer.daemon = True
timer.start()
server.serve_forever()
