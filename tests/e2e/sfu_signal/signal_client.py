#!/usr/bin/python3
"""Checks the SFU's signalling server (sfu_signal_echo) with real clients.

Python's http.client for HTTPS, python3-websockets (Debian's, 10.x) for WSS,
a raw WebSocket over ssl for the ping/pong keepalive, and ssl for the TLS
versions. Prints one line per check; exits 1 if any failed.

usage: signal_client.py --port P --web-root DIR --imprint FILE --ping-interval S --ping-timeout S
"""

import argparse
import asyncio
import base64
import http.client
import json
import os
import socket
import ssl
import sys
import time
import warnings

import websockets

from wss_checks import FAILED, check, client_context

warnings.simplefilter("ignore", DeprecationWarning)  # TLS 1.0/1.1 are named on purpose


CSP = ("default-src 'self'; connect-src 'self' wss:; img-src 'self' data:; "
       "media-src 'self' blob:; style-src 'self'; script-src 'self'; object-src 'none'; "
       "frame-ancestors 'none'; base-uri 'none'")
SECURITY = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "strict-transport-security": "max-age=31536000",
    "permissions-policy": "camera=(self), microphone=(self), display-capture=(self)",
}


# --- HTTPS -------------------------------------------------------------------------------

def get(port, path, method="GET", conn=None):
    c = conn or http.client.HTTPSConnection("127.0.0.1", port, context=client_context(), timeout=5)
    c.request(method, path)
    r = c.getresponse()
    body = r.read()
    headers = {k.lower(): v for k, v in r.getheaders()}
    if conn is None:
        c.close()
    return r.status, headers, body


def security_headers_ok(headers):
    return all(headers.get(k) == v for k, v in SECURITY.items())


def http_checks(port, web_root, imprint):
    index = open(os.path.join(web_root, "index.html"), "rb").read()
    for path in ("/", "/r/abc", "/r/test"):
        status, h, body = get(port, path)
        check(status == 200 and body == index, f"GET {path} serves index.html", f"{status}")
        check(h.get("content-type") == "text/html; charset=utf-8", f"GET {path}: Content-Type",
              h.get("content-type"))
        check(h.get("cache-control") == "no-store", f"GET {path}: Cache-Control no-store",
              h.get("cache-control"))
        check(security_headers_ok(h), f"GET {path}: CSP and the security headers", str(h))
    for path, ctype in (("/app.js", "text/javascript; charset=utf-8"),
                        ("/style.css", "text/css; charset=utf-8"),
                        ("/favicon.svg", "image/svg+xml")):
        status, h, body = get(port, path)
        want = open(os.path.join(web_root, path[1:]), "rb").read()
        check(status == 200 and body == want and h.get("content-type") == ctype,
              f"GET {path}: 200, {ctype}", f"{status} {h.get('content-type')}")
        check(security_headers_ok(h), f"GET {path}: security headers")

    status, h, body = get(port, "/imprint")
    check(status == 200 and body == open(imprint, "rb").read(), "GET /imprint serves the configured file",
          f"{status}")
    check(h.get("content-type") == "text/html; charset=utf-8", "GET /imprint: HTML", h.get("content-type"))
    status, h, body = get(port, "/privacy")
    check(status == 404 and b"No privacy notice has been configured" in body
          and h.get("content-type", "").startswith("text/plain"),
          "GET /privacy without a configured file: 404, plain message", f"{status} {body[:80]!r}")
    check(security_headers_ok(h), "404 responses carry the security headers")

    for path in ("/../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc%2fpasswd",
                 "/r/../../etc/passwd", "/nope.html", "/ws", "/.git/config", "/index.html.bak",
                 "/r/Bad_Slug", "/etc/passwd"):
        status, h, body = get(port, path)
        check(status == 404 and b"root:" not in body, f"GET {path}: 404", f"{status}")
    # libwebsockets canonicalises the path before turnd sees it ("/%2e%2e/"
    # becomes "/"), so this is the index again: it must not leave the web root.
    status, h, body = get(port, "/%2e%2e/")
    check((status == 404 or body == index) and b"root:" not in body,
          "GET /%2e%2e/ stays inside the web root", f"{status}")
    print(f"     (GET /%2e%2e/ answered {status}{' with index.html' if body == index else ''})")

    status, h, body = get(port, "/", method="POST")
    check(status == 405, "POST /: 405", f"{status}")

    c = http.client.HTTPSConnection("127.0.0.1", port, context=client_context(), timeout=5)
    results = [get(port, p, conn=c)[0] for p in ("/", "/nope.html", "/style.css", "/r/x")]
    c.close()
    check(results == [200, 404, 200, 200], "keep-alive: four requests on one connection", str(results))


# --- TLS versions ------------------------------------------------------------------------

def tls_handshake(port, version):
    ctx = client_context()
    ctx.minimum_version = version
    ctx.maximum_version = version
    if version < ssl.TLSVersion.TLSv1_2:
        ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        with ctx.wrap_socket(raw) as s:
            return s.version()


def tls_checks(port):
    for version in (ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3):
        try:
            got = tls_handshake(port, version)
            check(got == version.name.replace("_", "."), f"{version.name} is accepted", got)
        except ssl.SSLError as e:
            check(False, f"{version.name} is accepted", str(e))
    for version in (ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1_1):
        try:
            got = tls_handshake(port, version)
            check(False, f"{version.name} is refused", f"negotiated {got}")
        except ssl.SSLError as e:
            # The server's "protocol version" alert, not our own refusal to offer it.
            check("PROTOCOL_VERSION" in str(e).upper().replace(" ", "_"),
                  f"{version.name} is refused by the server", str(e))


# --- WebSocket -----------------------------------------------------------------------------

def url(port, path="/ws"):
    return f"wss://127.0.0.1:{port}{path}"


async def connect(port, path="/ws", **kw):
    return await websockets.connect(url(port, path), ssl=client_context(), max_size=None,
                                    open_timeout=5, close_timeout=2, **kw)


async def recv_json(ws, timeout=5):
    return json.loads(await asyncio.wait_for(ws.recv(), timeout))


async def closed_code(ws, timeout=5):
    """Reads until the connection closes; returns its close code (1006: none)."""
    try:
        while True:
            await asyncio.wait_for(ws.recv(), timeout)
    except websockets.ConnectionClosed as e:
        return e.rcvd.code if e.rcvd else 1006


async def ws_checks(port, ping_interval, ping_timeout):
    a = await connect(port)
    await a.send("hello")
    check((await recv_json(a)) == {"echo": "hello"}, "echo round trip")

    for i in range(50):
        await a.send(f"message {i}")
    got = [(await recv_json(a))["echo"] for _ in range(50)]
    check(got == [f"message {i}" for i in range(50)], "50 messages (within the burst limit) echoed in order")

    text = "é" * 30000  # 60,000 bytes: under the 64 KiB limit, several lws fragments
    await a.send(text)
    check((await recv_json(a)).get("echo") == text, "a 60 kB message arrives whole")

    b = await connect(port)
    await b.send("x" * (1024 * 1024))
    code = await closed_code(b)
    check(code in (1009, 1006), "a 1 MiB message closes its connection", f"code {code}")
    await a.send("still here")
    check((await recv_json(a)) == {"echo": "still here"}, "the other connection keeps working")
    c = await connect(port)
    await c.send("new")
    check((await recv_json(c)) == {"echo": "new"}, "new connections are served after it")

    d = await connect(port)
    await d.send(b"\x00\x01binary")
    code = await closed_code(d)
    check(code in (1003, 1006), "a binary frame closes its connection", f"code {code}")

    await c.send("one")
    await c.send("close")
    check((await recv_json(c)) == {"echo": "one"}, "close(): earlier replies are written first")
    code = await closed_code(c)
    check(code == 1000, "close(): then a normal close", f"code {code}")

    await a.send("flood 32")  # 32 x 16 KiB = 512 KiB: under the 1 MiB bound
    got = [(await recv_json(a))["flood"] for _ in range(32)]
    check(got == list(range(32)), "512 KiB of replies at once reach a reading client")

    e = await connect(port)
    await e.send("flood 400")  # 6.4 MB queued at once: over the bound
    await asyncio.sleep(1)
    received = 0
    try:
        while received < 400:
            await asyncio.wait_for(e.recv(), 5)
            received += 1
    except websockets.ConnectionClosed:
        pass
    check(received < 400, "more than 1 MiB unsent drops the connection", f"{received} of 400 arrived")
    await a.send("after the flood")
    check((await recv_json(a)) == {"echo": "after the flood"}, "others unaffected by the drop")

    for path in ("/other", "/ws/x", "/"):
        try:
            bad = await connect(port, path)
            await bad.close()
            check(False, f"no WebSocket on {path}")
        except (websockets.InvalidHandshake, websockets.ConnectionClosed, OSError, asyncio.TimeoutError):
            check(True, f"no WebSocket on {path}")
    try:
        bad = await connect(port, origin="https://evil.example")
        await bad.close()
        check(False, "a foreign Origin is refused")
    except (websockets.InvalidHandshake, websockets.ConnectionClosed, OSError, asyncio.TimeoutError):
        check(True, "a foreign Origin is refused")
    good = await connect(port, origin=f"https://127.0.0.1:{port}")
    await good.send("origin")
    check((await recv_json(good)) == {"echo": "origin"}, "this server's own Origin is accepted")
    await good.close()

    # The websockets client answers pings: idle past the hang-up time, it stays.
    await asyncio.sleep(ping_interval + ping_timeout + 2)
    await a.send("after idling")
    check((await recv_json(a)) == {"echo": "after idling"},
          f"an idle client that answers pings stays connected ({ping_interval + ping_timeout + 2} s)")

    await asyncio.to_thread(invalid_utf8_client, port)
    await asyncio.to_thread(silent_client, port, ping_interval, ping_timeout)

    await asyncio.sleep(0.5)
    await a.send("stats")
    stats = await recv_json(a)
    check(stats["open"] == 1 and stats["closed"] == stats["opened"] - 1,
          "the handler saw on_close for every closed connection", str(stats))
    await a.close()


def raw_websocket(port):
    """A WebSocket by hand over TLS: (socket, bytes read past the handshake) or None."""
    raw = socket.create_connection(("127.0.0.1", port), timeout=5)
    s = client_context().wrap_socket(raw)
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall((f"GET /ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
               f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
               "Sec-WebSocket-Version: 13\r\n\r\n").encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = s.recv(4096)
        if not chunk:
            break
        head += chunk
    if not check(head.startswith(b"HTTP/1.1 101"), "raw client: upgraded", head[:40]):
        s.close()
        return None
    return s, head.split(b"\r\n\r\n", 1)[1]


def send_frame(s, opcode, payload):
    """One final client frame (masked, payload under 126 bytes)."""
    mask = os.urandom(4)
    s.sendall(bytes([0x80 | opcode, 0x80 | len(payload)]) + mask +
              bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))


def invalid_utf8_client(port):
    """A text frame that is not UTF-8: the server closes with 1007."""
    opened = raw_websocket(port)
    if not opened:
        return
    s, rest = opened
    send_frame(s, 0x1, b"bad \xff\xfe text")
    s.settimeout(5)
    try:
        while len(rest) < 4:
            chunk = s.recv(4096)
            if not chunk:
                break
            rest += chunk
    except (OSError, ssl.SSLError):
        pass
    s.close()
    code = int.from_bytes(rest[2:4], "big") if len(rest) >= 4 and rest[0] & 0x0F == 0x8 else None
    check(code == 1007, "a text frame that is not UTF-8 closes its connection (1007)", rest[:8])


def silent_client(port, ping_interval, ping_timeout):
    """A raw WebSocket that never answers pings: pinged, then closed."""
    opened = raw_websocket(port)
    if not opened:
        return
    s, rest = opened
    s.settimeout(ping_interval + 3)
    start = time.monotonic()
    opcodes = []
    try:
        while True:
            while len(rest) < 2:
                chunk = s.recv(4096)
                if not chunk:
                    raise EOFError
                rest += chunk
            opcode, length = rest[0] & 0x0F, rest[1] & 0x7F
            while len(rest) < 2 + length:
                chunk = s.recv(4096)
                if not chunk:
                    raise EOFError
                rest += chunk
            opcodes.append((opcode, round(time.monotonic() - start, 1)))
            rest = rest[2 + length:]
            if opcode == 0x8:
                break
            s.settimeout(ping_timeout + 3)
    except (EOFError, ConnectionError, ssl.SSLError):
        opcodes.append(("eof", round(time.monotonic() - start, 1)))
    except socket.timeout:
        opcodes.append(("timeout", round(time.monotonic() - start, 1)))
    s.close()
    kinds = [o for o, _ in opcodes]
    check(bool(kinds) and kinds[0] == 0x9, "the server pings an idle connection", str(opcodes))
    check(kinds[-1] in (0x8, "eof"), "a connection that does not answer is closed", str(opcodes))
    elapsed = opcodes[-1][1]
    check(elapsed <= ping_interval + ping_timeout + 2,
          f"... within {ping_interval} + {ping_timeout} s", str(opcodes))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--web-root", required=True)
    p.add_argument("--imprint", required=True)
    p.add_argument("--ping-interval", type=int, default=2)
    p.add_argument("--ping-timeout", type=int, default=2)
    args = p.parse_args()
    http_checks(args.port, args.web_root, args.imprint)
    tls_checks(args.port)
    asyncio.run(asyncio.wait_for(ws_checks(args.port, args.ping_interval, args.ping_timeout), 120))
    print(f"{len(FAILED)} check(s) failed" if FAILED else "all checks passed")
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
