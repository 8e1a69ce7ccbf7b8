#!/usr/bin/python3
"""One port for the web and TURN over TLS (tests/db/test_shared_port.sh).

Real clients against the real turnd whose web-port is its tls-listening-port:
  - HTTPS with ALPN (http/1.1; h2 and http/1.1 as browsers offer it) gets the
    page, and the server chose http/1.1;
  - HTTPS without ALPN (what curl --no-alpn, wget and monitoring checks send)
    gets the page too, also when the ClientHello arrives in three pieces
    spread over a second;
  - the signalling WebSocket works both ways: a guest joins with the room's
    code over WSS with ALPN and without;
  - plain HTTP, a ClientHello that never ends, and garbage are closed without
    an answer, and the port keeps serving.
Prints one line per check; exits 1 if any failed.

usage: shared_port_checks.py --port P --room R --code C --index FILE
"""

import argparse
import asyncio
import json
import socket
import ssl
import sys
import time

import websockets

from wss_checks import FAILED, check, client_context


def context(alpn):
    ctx = client_context()
    if alpn:
        ctx.set_alpn_protocols(alpn)
    return ctx


def complete(response):
    """Whether `response` holds a whole HTTP response with a Content-Length."""
    head, sep, body = response.partition(b"\r\n\r\n")
    if not sep:
        return False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(body) >= int(value)
    return False


def https_get(port, alpn, pieces=1, pause=0.0):
    """GET / over TLS; the ClientHello sent in `pieces` parts, `pause` s apart.
    Returns (ALPN the server chose, the raw response)."""
    raw = socket.create_connection(("127.0.0.1", port), timeout=10)
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = context(alpn).wrap_bio(incoming, outgoing, server_hostname="localhost")
    try:
        tls.do_handshake()
    except ssl.SSLWantReadError:
        pass
    hello = outgoing.read()
    step = (len(hello) + pieces - 1) // pieces
    for i in range(0, len(hello), step):
        raw.sendall(hello[i:i + step])
        if i + step < len(hello):
            time.sleep(pause)
    # The rest of the handshake and the request over the memory BIOs.
    while True:
        try:
            tls.do_handshake()
            break
        except ssl.SSLWantReadError:
            out = outgoing.read()
            if out:
                raw.sendall(out)
            data = raw.recv(65536)
            if not data:
                raise ConnectionError("closed during the handshake")
            incoming.write(data)
    raw.sendall(outgoing.read())
    tls.write(b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
    raw.sendall(outgoing.read())
    response = b""
    while not complete(response):
        data = raw.recv(65536)
        if not data:
            break
        incoming.write(data)
        try:
            while chunk := tls.read(65536):
                response += chunk
        except (ssl.SSLWantReadError, ssl.SSLZeroReturnError):
            pass
    raw.close()
    return tls.selected_alpn_protocol(), response


def page_ok(response, index):
    head, _, body = response.partition(b"\r\n\r\n")
    return head.startswith(b"HTTP/1.1 200") and index[:200] in body


def closed_without_answer(port, payload, wait=3.0):
    """Sends payload; True when the server closes without sending a byte."""
    s = socket.create_connection(("127.0.0.1", port), timeout=wait + 12)
    s.sendall(payload)
    try:
        data = s.recv(4096)
    except (ConnectionResetError, socket.timeout):
        data = b""
    s.close()
    return data == b""


async def ws_join(port, alpn, room, code, host="127.0.0.1"):
    """A guest's join over WSS; returns the reply's type. `host` may be [::1]."""
    async with websockets.connect(f"wss://{host}:{port}/ws", ssl=context(alpn),
                                  origin=f"https://{host}:{port}", max_size=2 ** 20) as ws:
        await ws.send(json.dumps({"type": "join", "room": room, "code": code, "name": "Shared"}))
        while True:
            m = json.loads(await asyncio.wait_for(ws.recv(), 30))
            if m["type"] in ("joined", "error"):
                return m["type"]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--room", required=True)
    p.add_argument("--code", required=True)
    p.add_argument("--index", required=True)
    a = p.parse_args()
    index = open(a.index, "rb").read()

    for name, alpn in (("http/1.1", ["http/1.1"]), ("h2 and http/1.1", ["h2", "http/1.1"]),
                       ("no ALPN", None)):
        chosen, response = https_get(a.port, alpn)
        check(page_ok(response, index), f"HTTPS with {name} gets the page",
              response[:80].decode(errors="replace"))
        if alpn:
            check(chosen == "http/1.1", f"HTTPS with {name}: the server chose http/1.1",
                  str(chosen))
    for name, alpn in (("ALPN", ["http/1.1"]), ("no ALPN", None)):
        chosen, response = https_get(a.port, alpn, pieces=3, pause=0.5)
        check(page_ok(response, index),
              f"HTTPS with {name}, the ClientHello in 3 pieces over 1 s, gets the page",
              response[:80].decode(errors="replace"))

    for name, alpn in (("ALPN", ["http/1.1"]), ("no ALPN", None)):
        got = asyncio.run(ws_join(a.port, alpn, a.room, a.code))
        check(got == "joined", f"WSS with {name}: a guest joins the room", got)

    check(closed_without_answer(a.port, b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"),
          "plain HTTP on the TLS port is closed without an answer")
    check(closed_without_answer(a.port, b"\x16\x03\x01\x40\x00" + b"\x01" * 40, wait=12),
          "a ClientHello that never ends is closed (within the 10 s limit)")
    check(closed_without_answer(a.port, b"\xff" * 64), "garbage is closed without an answer")
    chosen, response = https_get(a.port, ["http/1.1"])
    check(page_ok(response, index), "the port still serves the page afterwards")

    if FAILED:
        print(f"{len(FAILED)} check(s) failed")
        sys.exit(1)


if __name__ == "__main__":
    main()
