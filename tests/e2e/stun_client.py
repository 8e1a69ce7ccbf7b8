#!/usr/bin/env python3
"""A raw STUN/TURN client for turnd's end-to-end tests (RFC 8489, RFC 8656).

It speaks the protocol byte by byte over UDP, TCP or TLS so that the tests can
assert what coturn's client tools do not show: exact error codes, attribute
values, the source address of relayed packets, what happens after a Refresh
with LIFETIME 0, and that junk does not stop the server.

Usage: stun_client.py SCENARIO [options]   (stun_client.py -h lists them)

Each scenario prints one line per check ("ok: ...") and exits 0 when all of
them hold, 1 on the first one that does not ("FAIL: ..."), 2 on a usage error.
Only the Python standard library is used.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import ipaddress
import os
import select
import socket
import ssl
import struct
import sys
import time
import zlib
from dataclasses import dataclass, field

# --- Protocol constants ----------------------------------------------------

MAGIC_COOKIE = 0x2112A442
FINGERPRINT_XOR = 0x5354554E
HEADER_LEN = 20

# Methods (RFC 8489 §18.2, RFC 8656 §17).
BINDING = 0x001
ALLOCATE = 0x003
REFRESH = 0x004
SEND = 0x006
DATA = 0x007
CREATE_PERMISSION = 0x008
CHANNEL_BIND = 0x009

# Classes, as the two bits C1 C0.
REQUEST = 0b00
INDICATION = 0b01
SUCCESS = 0b10
ERROR = 0b11

# Attributes.
USERNAME = 0x0006
MESSAGE_INTEGRITY = 0x0008
ERROR_CODE = 0x0009
CHANNEL_NUMBER = 0x000C
LIFETIME = 0x000D
XOR_PEER_ADDRESS = 0x0012
DATA_ATTR = 0x0013
REALM = 0x0014
NONCE = 0x0015
XOR_RELAYED_ADDRESS = 0x0016
REQUESTED_ADDRESS_FAMILY = 0x0017
EVEN_PORT = 0x0018
REQUESTED_TRANSPORT = 0x0019
XOR_MAPPED_ADDRESS = 0x0020
RESERVATION_TOKEN = 0x0022
ADDITIONAL_ADDRESS_FAMILY = 0x8000
ADDRESS_ERROR_CODE = 0x8001
SOFTWARE = 0x8022
FINGERPRINT = 0x8028

UDP_TRANSPORT = 17
FAMILY_IPV4 = 0x01  # REQUESTED-/ADDITIONAL-ADDRESS-FAMILY values (RFC 8656 §18.8)
FAMILY_IPV6 = 0x02

METHOD_NAMES = {
    BINDING: "Binding", ALLOCATE: "Allocate", REFRESH: "Refresh", SEND: "Send",
    DATA: "Data", CREATE_PERMISSION: "CreatePermission", CHANNEL_BIND: "ChannelBind",
}
CLASS_NAMES = {REQUEST: "request", INDICATION: "indication", SUCCESS: "success", ERROR: "error"}


class CheckFailed(Exception):
    """A scenario's expectation did not hold; the message says which."""


def check(condition: bool, what: str) -> None:
    if not condition:
        raise CheckFailed(what)
    print(f"ok: {what}", flush=True)


# --- Message codec ---------------------------------------------------------

def message_type(method: int, cls: int) -> int:
    """Interleaves method bits M11..M0 and class bits C1 C0 (RFC 8489 §5)."""
    return ((method & 0xF80) << 2) | ((method & 0x070) << 1) | (method & 0x00F) \
        | ((cls & 0b10) << 7) | ((cls & 0b01) << 4)


def split_type(msg_type: int) -> tuple[int, int]:
    method = ((msg_type >> 2) & 0xF80) | ((msg_type >> 1) & 0x070) | (msg_type & 0x00F)
    cls = ((msg_type >> 7) & 0b10) | ((msg_type >> 4) & 0b01)
    return method, cls


def pad4(n: int) -> int:
    return (n + 3) & ~3


def xor_address(ip: str, port: int, tid: bytes) -> bytes:
    """Encodes an XOR-*-ADDRESS value (RFC 8489 §14.2)."""
    addr = ipaddress.ip_address(ip)
    xport = port ^ (MAGIC_COOKIE >> 16)
    if addr.version == 4:
        xip = int(addr) ^ MAGIC_COOKIE
        return struct.pack("!BBHI", 0, 1, xport, xip)
    mask = int.from_bytes(struct.pack("!I", MAGIC_COOKIE) + tid, "big")
    return struct.pack("!BBH", 0, 2, xport) + (int(addr) ^ mask).to_bytes(16, "big")


def decode_xor_address(value: bytes, tid: bytes) -> tuple[str, int]:
    family = value[1]
    port = struct.unpack("!H", value[2:4])[0] ^ (MAGIC_COOKIE >> 16)
    if family == 1:
        ip = struct.unpack("!I", value[4:8])[0] ^ MAGIC_COOKIE
        return str(ipaddress.IPv4Address(ip)), port
    mask = int.from_bytes(struct.pack("!I", MAGIC_COOKIE) + tid, "big")
    ip6 = int.from_bytes(value[4:20], "big") ^ mask
    return str(ipaddress.IPv6Address(ip6)), port


def long_term_key(username: str, realm: str, password: str) -> bytes:
    """RFC 8489 §9.2.2: MD5(username ":" realm ":" password)."""
    return hashlib.md5(f"{username}:{realm}:{password}".encode()).digest()


@dataclass
class Message:
    method: int
    cls: int
    tid: bytes = field(default_factory=lambda: os.urandom(12))
    attrs: list[tuple[int, bytes]] = field(default_factory=list)
    raw: bytes = b""  # the bytes it was decoded from, for integrity checks

    def add(self, attr_type: int, value: bytes) -> "Message":
        self.attrs.append((attr_type, value))
        return self

    def get(self, attr_type: int) -> bytes | None:
        for t, v in self.attrs:
            if t == attr_type:
                return v
        return None

    def get_all(self, attr_type: int) -> list[bytes]:
        return [v for t, v in self.attrs if t == attr_type]

    def name(self) -> str:
        return f"{METHOD_NAMES.get(self.method, hex(self.method))} {CLASS_NAMES[self.cls]}"

    def error_code(self) -> int | None:
        v = self.get(ERROR_CODE)
        if v is None or len(v) < 4:
            return None
        return (v[2] & 0x7) * 100 + v[3]

    def error_reason(self) -> str:
        v = self.get(ERROR_CODE)
        return v[4:].decode(errors="replace") if v else ""

    def outcome(self) -> str:
        """'ok' for a success response, the error code as text otherwise."""
        if self.cls == SUCCESS:
            return "ok"
        return str(self.error_code())

    def xor_address(self, attr_type: int) -> tuple[str, int] | None:
        v = self.get(attr_type)
        return decode_xor_address(v, self.tid) if v else None

    def xor_addresses(self, attr_type: int) -> list[tuple[str, int]]:
        return [decode_xor_address(v, self.tid) for v in self.get_all(attr_type)]

    def encode(self, key: bytes | None = None, fingerprint: bool = False) -> bytes:
        body = b""
        for t, v in self.attrs:
            body += struct.pack("!HH", t, len(v)) + v + b"\0" * (pad4(len(v)) - len(v))

        def header(length: int) -> bytes:
            return struct.pack("!HHI", message_type(self.method, self.cls), length,
                               MAGIC_COOKIE) + self.tid

        if key is not None:
            # The length covers MESSAGE-INTEGRITY itself (RFC 8489 §14.5).
            mac = hmac.new(key, header(len(body) + 24) + body, hashlib.sha1).digest()
            body += struct.pack("!HH", MESSAGE_INTEGRITY, 20) + mac
        if fingerprint:
            crc = zlib.crc32(header(len(body) + 8) + body) ^ FINGERPRINT_XOR
            body += struct.pack("!HHI", FINGERPRINT, 4, crc)
        return header(len(body)) + body

    @staticmethod
    def decode(data: bytes) -> "Message":
        if len(data) < HEADER_LEN:
            raise ValueError(f"short STUN message ({len(data)} bytes)")
        msg_type, length, cookie = struct.unpack("!HHI", data[:8])
        if msg_type & 0xC000 or cookie != MAGIC_COOKIE:
            raise ValueError("not a STUN message")
        if len(data) != HEADER_LEN + length or length % 4:
            raise ValueError(f"bad STUN length {length} for {len(data)} bytes")
        method, cls = split_type(msg_type)
        msg = Message(method, cls, data[8:20], raw=data)
        pos = HEADER_LEN
        while pos < len(data):
            t, n = struct.unpack("!HH", data[pos:pos + 4])
            if pos + 4 + n > len(data):
                raise ValueError(f"attribute 0x{t:04x} overruns the message")
            msg.attrs.append((t, data[pos + 4:pos + 4 + n]))
            pos += 4 + pad4(n)
        return msg

    def offset_of(self, attr_type: int) -> int | None:
        """Byte offset of the first attribute of `attr_type` in `raw`."""
        pos = HEADER_LEN
        while pos < len(self.raw):
            t, n = struct.unpack("!HH", self.raw[pos:pos + 4])
            if t == attr_type:
                return pos
            pos += 4 + pad4(n)
        return None

    def integrity_ok(self, key: bytes) -> bool:
        pos = self.offset_of(MESSAGE_INTEGRITY)
        if pos is None:
            return False
        head = bytearray(self.raw[:pos])
        struct.pack_into("!H", head, 2, pos + 24 - HEADER_LEN)
        mac = hmac.new(key, bytes(head), hashlib.sha1).digest()
        return hmac.compare_digest(mac, self.raw[pos + 4:pos + 24])

    def fingerprint_ok(self) -> bool | None:
        """None when there is no FINGERPRINT, else whether it is right and last."""
        pos = self.offset_of(FINGERPRINT)
        if pos is None:
            return None
        crc = zlib.crc32(self.raw[:pos]) ^ FINGERPRINT_XOR
        return pos + 8 == len(self.raw) and struct.unpack("!I", self.raw[pos + 4:pos + 8])[0] == crc


def channel_data(channel: int, payload: bytes, stream: bool) -> bytes:
    """A ChannelData message; over TCP/TLS it is padded to 4 bytes (RFC 8656 §12.5)."""
    frame = struct.pack("!HH", channel, len(payload)) + payload
    return frame + b"\0" * (pad4(len(frame)) - len(frame)) if stream else frame


# --- Transports ------------------------------------------------------------

class Transport:
    """One client connection to the server: a UDP socket, a TCP or a TLS stream.

    recv() returns whole STUN messages (Message) or ChannelData frames as
    (channel, payload) tuples, or None when nothing arrives in time.
    """

    def __init__(self, kind: str, host: str, port: int, timeout: float = 2.0,
                 source: str | None = None):
        self.kind = kind
        self.server = (host, port)
        self.timeout = timeout
        self.buffer = b""
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        if kind == "udp":
            self.sock = socket.socket(family, socket.SOCK_DGRAM)
            if source:
                self.sock.bind((source, 0))
            self.sock.connect(self.server)
        elif kind in ("tcp", "tls"):
            raw = socket.create_connection(self.server, timeout=timeout,
                                           source_address=(source, 0) if source else None)
            raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if kind == "tls":
                ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
                ctx.check_hostname = False
                ctx.verify_mode = ssl.CERT_NONE  # the tests use a self-signed certificate
                raw = ctx.wrap_socket(raw)
            self.sock = raw
        else:
            raise ValueError(f"unknown transport {kind}")
        self.sock.settimeout(timeout)

    @property
    def stream(self) -> bool:
        return self.kind != "udp"

    def local_address(self) -> tuple[str, int]:
        return self.sock.getsockname()[:2]

    def send(self, data: bytes) -> None:
        if self.stream:
            self.sock.sendall(data)
        else:
            self.sock.send(data)

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass

    def _pending(self) -> bool:
        return isinstance(self.sock, ssl.SSLSocket) and self.sock.pending() > 0

    def recv(self, timeout: float | None = None):
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        while True:
            if self.stream:
                frame = self._take_frame()
                if frame is not None:
                    return frame
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            if not self._pending():
                ready, _, _ = select.select([self.sock], [], [], remaining)
                if not ready:
                    return None
            try:
                data = self.sock.recv(65536)
            except ssl.SSLWantReadError:
                continue
            except (ConnectionError, OSError) as e:
                if not self.stream:  # ICMP port unreachable on a connected UDP socket
                    raise CheckFailed(f"UDP receive error from the server: {e}") from e
                raise
            if not self.stream:
                return parse_datagram(data)
            if not data:
                raise ConnectionError("the server closed the connection")
            self.buffer += data

    def _take_frame(self):
        if len(self.buffer) < 4:
            return None
        if self.buffer[0] & 0xC0 == 0x40:
            channel, length = struct.unpack("!HH", self.buffer[:4])
            total = pad4(4 + length)
            if len(self.buffer) < total:
                return None
            payload = self.buffer[4:4 + length]
            self.buffer = self.buffer[total:]
            return channel, payload
        length = struct.unpack("!H", self.buffer[2:4])[0]
        total = HEADER_LEN + length
        if len(self.buffer) < total:
            return None
        frame, self.buffer = self.buffer[:total], self.buffer[total:]
        return Message.decode(frame)


def parse_datagram(data: bytes):
    if len(data) >= 4 and data[0] & 0xC0 == 0x40:
        channel, length = struct.unpack("!HH", data[:4])
        return channel, data[4:4 + length]
    return Message.decode(data)


# --- A TURN client session --------------------------------------------------

class Client:
    """Requests over one transport, with long-term credentials once challenged."""

    def __init__(self, transport: Transport, username: str | None = None,
                 password: str | None = None, expect_realm: str | None = None):
        self.t = transport
        self.username = username
        self.password = password
        self.expect_realm = expect_realm
        self.realm: str | None = None
        self.nonce: bytes | None = None
        self.key: bytes | None = None
        self.fingerprint = True
        self.unsolicited: list = []  # indications and ChannelData seen while waiting
        self.last_request: tuple[Message, bytes] | None = None  # for retransmit()

    def transact(self, req: Message, authenticate: bool = True) -> Message:
        """Sends `req` (retransmitting over UDP) and returns the matching response."""
        if authenticate and self.key is not None:
            req.attrs = [a for a in req.attrs if a[0] not in (USERNAME, REALM, NONCE)]
            req.attrs += [(USERNAME, self.username.encode()), (REALM, self.realm.encode()),
                          (NONCE, self.nonce)]
            data = req.encode(self.key, self.fingerprint)
        else:
            data = req.encode(None, self.fingerprint)
        self.last_request = (req, data)
        return self._exchange(req, data, 1 if self.t.stream else 5)

    def retransmit(self) -> Message:
        """Sends the bytes of the last request once more (same transaction id, same
        MESSAGE-INTEGRITY) and returns the response, as a client whose first response
        was lost does (RFC 8489 §6.2.1)."""
        if self.last_request is None:
            raise CheckFailed("retransmit() before any request")
        req, data = self.last_request
        return self._exchange(req, data, 1)

    def _exchange(self, req: Message, data: bytes, tries: int) -> Message:
        for _ in range(tries):
            self.t.send(data)
            deadline = time.monotonic() + (self.t.timeout if self.t.stream else 0.5)
            if tries == 1 and not self.t.stream:
                deadline = time.monotonic() + 1.5
            while (remaining := deadline - time.monotonic()) > 0:
                got = self.t.recv(remaining)
                if got is None:
                    break
                if isinstance(got, Message) and got.tid == req.tid:
                    verify_fingerprint(got)
                    return got
                self.unsolicited.append(got)
        raise CheckFailed(f"no response to {req.name()} from {self.t.kind} server {self.t.server}")

    def request(self, req: Message) -> Message:
        """Like transact(), answering a 401 challenge (or a 438) once with credentials."""
        resp = self.transact(req)
        code = resp.error_code() if resp.cls == ERROR else None
        if code in (401, 438) and self.username is not None:
            realm, nonce = resp.get(REALM), resp.get(NONCE)
            if realm is None or nonce is None:
                raise CheckFailed(f"{code} response to {req.name()} without REALM and NONCE")
            self.realm, self.nonce = realm.decode(), nonce
            if self.expect_realm is not None and self.realm != self.expect_realm:
                raise CheckFailed(f"REALM is {self.realm!r}, expected {self.expect_realm!r}")
            self.key = long_term_key(self.username, self.realm, self.password)
            req.tid = os.urandom(12)
            resp = self.transact(req)
        if resp.cls == SUCCESS and self.key is not None and req.method != BINDING:
            if not resp.integrity_ok(self.key):
                raise CheckFailed(f"{resp.name()} has no valid MESSAGE-INTEGRITY")
        return resp

    def allocate(self, lifetime: int | None = None,
                 extra: list[tuple[int, bytes]] | None = None) -> Message:
        req = Message(ALLOCATE, REQUEST).add(REQUESTED_TRANSPORT, bytes([UDP_TRANSPORT, 0, 0, 0]))
        if lifetime is not None:
            req.add(LIFETIME, struct.pack("!I", lifetime))
        for attr_type, value in extra or []:
            req.add(attr_type, value)
        return self.request(req)

    def refresh(self, lifetime: int) -> Message:
        return self.request(Message(REFRESH, REQUEST).add(LIFETIME, struct.pack("!I", lifetime)))

    def create_permission(self, peer: tuple[str, int]) -> Message:
        req = Message(CREATE_PERMISSION, REQUEST)
        return self.request(req.add(XOR_PEER_ADDRESS, xor_address(*peer, req.tid)))

    def channel_bind(self, channel: int, peer: tuple[str, int]) -> Message:
        req = Message(CHANNEL_BIND, REQUEST).add(CHANNEL_NUMBER, struct.pack("!HH", channel, 0))
        return self.request(req.add(XOR_PEER_ADDRESS, xor_address(*peer, req.tid)))

    def send_indication(self, peer: tuple[str, int], payload: bytes) -> None:
        ind = Message(SEND, INDICATION)
        ind.add(XOR_PEER_ADDRESS, xor_address(*peer, ind.tid)).add(DATA_ATTR, payload)
        self.t.send(ind.encode(None, self.fingerprint))

    def send_channel_data(self, channel: int, payload: bytes) -> None:
        self.t.send(channel_data(channel, payload, self.t.stream))

    def next_unsolicited(self, timeout: float):
        if self.unsolicited:
            return self.unsolicited.pop(0)
        got = self.t.recv(timeout)
        if isinstance(got, Message):
            verify_fingerprint(got)
        return got


def verify_fingerprint(msg: Message) -> None:
    if msg.fingerprint_ok() is False:
        raise CheckFailed(f"{msg.name()} carries a wrong FINGERPRINT")


def expect(resp: Message, outcome: str, what: str) -> Message:
    got = resp.outcome()
    detail = f" ({resp.error_reason()})" if resp.cls == ERROR else ""
    check(got == outcome, f"{what}: {resp.name()} {got}{detail}, expected {outcome}")
    return resp


# --- Peers -----------------------------------------------------------------

class Peer:
    """A UDP socket standing for the peer on the far side of the relay."""

    def __init__(self, host: str, port: int):
        self.sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET,
                                  socket.SOCK_DGRAM)
        self.sock.bind((host, port))
        self.address = self.sock.getsockname()[:2]

    def recv(self, timeout: float) -> tuple[bytes, tuple[str, int]] | None:
        ready, _, _ = select.select([self.sock], [], [], timeout)
        if not ready:
            return None
        data, addr = self.sock.recvfrom(65536)
        return data, addr[:2]

    def count_received(self, window: float) -> int:
        n, deadline = 0, time.monotonic() + window
        while (remaining := deadline - time.monotonic()) > 0:
            if self.recv(remaining) is None:
                break
            n += 1
        return n


def parse_hostport(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    return host.strip("[]"), int(port)


# --- Scenarios -------------------------------------------------------------

def connect(args, source: str | None = None, user: str | None = None,
            password: str | None = None) -> Client:
    transport = Transport(args.transport, args.server, args.port,
                          source=source or args.source)
    return Client(transport, user or args.user, password or args.password, args.realm)


def scenario_binding(args) -> None:
    """A Binding request answers with our own address as XOR-MAPPED-ADDRESS."""
    client = connect(args)
    resp = client.transact(Message(BINDING, REQUEST), authenticate=False)
    expect(resp, "ok", f"Binding over {args.transport}")
    mapped = resp.xor_address(XOR_MAPPED_ADDRESS)
    local = client.t.local_address()
    check(mapped == local, f"XOR-MAPPED-ADDRESS {mapped} is the client's address {local}")
    if args.expect_fingerprint:
        client.fingerprint = False
        resp = client.transact(Message(BINDING, REQUEST), authenticate=False)
        check(resp.fingerprint_ok() is True,
              "FINGERPRINT is added to the response of a request that had none")
    print(f"MAPPED {mapped[0]}:{mapped[1]}")


def check_relayed(resp: Message, args, local: tuple[str, int]) -> tuple[str, int]:
    relayed = resp.xor_address(XOR_RELAYED_ADDRESS)
    check(relayed is not None, f"XOR-RELAYED-ADDRESS present: {relayed}")
    if args.relay_ip:
        check(relayed[0] == args.relay_ip, f"relayed IP {relayed[0]} is {args.relay_ip}")
    if args.min_port:
        check(args.min_port <= relayed[1] <= args.max_port,
              f"relayed port {relayed[1]} in [{args.min_port}, {args.max_port}]")
    mapped = resp.xor_address(XOR_MAPPED_ADDRESS)
    check(mapped == local, f"XOR-MAPPED-ADDRESS {mapped} is the client's address {local}")
    lifetime = resp.get(LIFETIME)
    check(lifetime is not None and struct.unpack("!I", lifetime)[0] > 0, "LIFETIME > 0")
    return relayed


def scenario_allocate(args) -> None:
    """Allocate with the given credentials; the outcome must be --expect."""
    client = connect(args)
    first = client.transact(Message(ALLOCATE, REQUEST).add(
        REQUESTED_TRANSPORT, bytes([UDP_TRANSPORT, 0, 0, 0])), authenticate=False)
    if args.expect_challenge:
        expect(first, "401", "Allocate without credentials")
        check(first.get(NONCE) is not None and first.get(REALM) is not None,
              "the 401 carries NONCE and REALM")
        if args.realm:
            check(first.get(REALM).decode() == args.realm, f"REALM is {args.realm!r}")
    resp = client.allocate()
    expect(resp, args.expect, f"Allocate as {args.user!r}")
    if resp.cls == SUCCESS:
        check_relayed(resp, args, client.t.local_address())
        expect(client.refresh(0), "ok", "Refresh LIFETIME 0 (cleanup)")


def scenario_quota(args) -> None:
    """--count allocations on separate connections: the first --allowed succeed, the
    others get 486; freeing one lets the next allocation succeed."""
    clients = []
    for i in range(args.count):
        client = connect(args)
        clients.append(client)
        want = "ok" if i < args.allowed else "486"
        expect(client.allocate(), want, f"allocation {i + 1} of {args.count}")
    expect(clients[0].refresh(0), "ok", "Refresh LIFETIME 0 frees the first allocation")
    time.sleep(args.deletion_grace)
    late = connect(args)
    expect(late.allocate(), "ok", "a new allocation succeeds once one was freed")
    for client in clients[1:args.allowed] + [late]:
        client.refresh(0)


def scenario_permission(args) -> None:
    """CreatePermission and ChannelBind for --peer must give --expect; when they are
    refused, nothing sent towards the peer may reach it."""
    peer_addr = parse_hostport(args.peer)
    peer = None
    try:
        peer = Peer(*peer_addr)
    except OSError:
        pass  # not a local address (e.g. multicast): only the codes are checked
    client = connect(args)
    expect(client.allocate(), "ok", "Allocate")
    expect(client.create_permission(peer_addr), args.expect, f"CreatePermission {args.peer}")
    expect(client.channel_bind(0x4000, peer_addr), args.expect, f"ChannelBind {args.peer}")
    if peer is not None:
        client.send_indication(peer_addr, b"must-not-be-relayed" if args.expect != "ok" else b"x")
        client.send_channel_data(0x4000, b"must-not-be-relayed-either")
        got = peer.count_received(1.0)
        if args.expect == "ok":
            check(got == 2, f"the peer received both packets ({got})")
        else:
            check(got == 0, f"the peer received nothing through the relay ({got} packets)")
    expect(client.refresh(0), "ok", "Refresh LIFETIME 0")


def scenario_relay(args) -> None:
    """Send/Data indications and ChannelData both ways between us and a local peer."""
    peer = Peer(args.peer_host or args.server, args.peer_port)
    client = connect(args)
    resp = expect(client.allocate(), "ok", f"Allocate over {args.transport}")
    relayed = check_relayed(resp, args, client.t.local_address())
    expect(client.create_permission(peer.address), "ok", "CreatePermission")

    sizes = [1, 3, 100, 1001, 1200]  # odd sizes exercise the ChannelData padding over TCP
    for n in sizes:
        payload = os.urandom(n)
        client.send_indication(peer.address, payload)
        got = peer.recv(2.0)
        check(got is not None and got[0] == payload,
              f"Send indication of {n} bytes reached the peer intact")
        check(got[1] == relayed, f"it came from the relayed address {relayed}")
        reply = os.urandom(n)
        peer.sock.sendto(reply, relayed)
        ind = client.next_unsolicited(2.0)
        check(isinstance(ind, Message) and ind.method == DATA and ind.cls == INDICATION,
              f"the peer's {n}-byte reply came back as a Data indication")
        check(ind.get(DATA_ATTR) == reply, "its DATA is the reply")
        check(ind.xor_address(XOR_PEER_ADDRESS) == peer.address,
              f"its XOR-PEER-ADDRESS is the peer {peer.address}")

    channel = 0x4001
    expect(client.channel_bind(channel, peer.address), "ok", f"ChannelBind 0x{channel:04x}")
    for n in sizes:
        payload = os.urandom(n)
        client.send_channel_data(channel, payload)
        got = peer.recv(2.0)
        check(got is not None and got[0] == payload and got[1] == relayed,
              f"ChannelData of {n} bytes reached the peer intact from the relayed address")
        reply = os.urandom(n)
        peer.sock.sendto(reply, relayed)
        frame = client.next_unsolicited(2.0)
        check(frame == (channel, reply), f"the peer's {n}-byte reply came back as ChannelData")

    # Permissions are per IP address (RFC 8656 §9): another port of the peer's IP
    # gets through, another IP (127.0.0.2 is loopback too on Linux) does not.
    other_port = Peer(peer.address[0], 0)
    client.send_indication(other_port.address, b"same IP, other port")
    check(other_port.recv(2.0) is not None,
          "a Send indication to another port of the peer's IP is relayed")
    stranger = Peer("127.0.0.2", 0)
    client.send_indication(stranger.address, b"no permission")
    check(stranger.count_received(0.5) == 0,
          "a Send indication to an IP without permission is dropped")
    stranger.sock.sendto(b"unsolicited", relayed)
    check(client.next_unsolicited(0.5) is None,
          "a packet from an IP without permission does not reach the client")
    expect(client.refresh(0), "ok", "Refresh LIFETIME 0")
    time.sleep(args.deletion_grace)
    peer.sock.sendto(b"after deallocation", relayed)
    try:
        late = client.next_unsolicited(0.5)
    except ConnectionError:
        late = None  # a server may close a TCP/TLS connection whose allocation ended
    check(late is None, f"nothing is relayed after the allocation was deleted ({late!r:.80})")


def scenario_lifecycle(args) -> None:
    """Allocation mismatch, Refresh, deletion by LIFETIME 0 (RFC 8656 §7)."""
    client = connect(args)
    resp = expect(client.allocate(), "ok", "Allocate")
    check_relayed(resp, args, client.t.local_address())
    expect(client.allocate(), "437", "a second Allocate on the same 5-tuple")
    resp = expect(client.refresh(300), "ok", "Refresh LIFETIME 300")
    lifetime = resp.get(LIFETIME)
    check(lifetime is not None and 0 < struct.unpack("!I", lifetime)[0] <= 3600,
          f"Refresh answers a LIFETIME ({lifetime and struct.unpack('!I', lifetime)[0]})")
    peer = (args.server, 9)
    expect(client.create_permission(peer), "ok", "CreatePermission while allocated")
    resp = expect(client.refresh(0), "ok", "Refresh LIFETIME 0 deletes the allocation")
    lifetime = resp.get(LIFETIME)
    check(lifetime is None or struct.unpack("!I", lifetime)[0] == 0, "its LIFETIME is 0")
    time.sleep(args.deletion_grace)
    try:
        expect(client.refresh(300), "437", "Refresh after deletion")
    except ConnectionError:
        check(client.t.stream, "the server closed the TCP/TLS connection with its allocation")
        return
    expect(client.allocate(), "ok", "a new Allocate on the same 5-tuple after deletion")
    expect(client.refresh(0), "ok", "Refresh LIFETIME 0 (cleanup)")


def scenario_deleted(args) -> None:
    """After Refresh LIFETIME 0 the allocation is gone: requests on its 5-tuple get 437
    (RFC 8656 §5) and nothing is relayed either way."""
    peer = Peer(args.server, args.peer_port)
    client = connect(args)
    resp = expect(client.allocate(), "ok", "Allocate")
    relayed = check_relayed(resp, args, client.t.local_address())
    expect(client.create_permission(peer.address), "ok", "CreatePermission")
    expect(client.channel_bind(0x4000, peer.address), "ok", "ChannelBind")
    expect(client.refresh(0), "ok", "Refresh LIFETIME 0")
    time.sleep(args.deletion_grace)
    try:
        client.send_indication(peer.address, b"after deletion")
        client.send_channel_data(0x4000, b"after deletion")
        check(peer.count_received(0.5) == 0, "nothing the client sends is relayed any more")
        peer.sock.sendto(b"after deletion", relayed)
        check(client.next_unsolicited(0.5) is None, "nothing the peer sends reaches the client")
        expect(client.refresh(300), "437", "Refresh after deletion")
    except ConnectionError:
        # A server may close a TCP/TLS connection with its allocation: nothing can be
        # relayed on it any more.
        check(client.t.stream and peer.count_received(0.5) == 0,
              "the server closed the connection with the allocation, relaying nothing")
        return
    expect(client.create_permission(peer.address), "437", "CreatePermission after deletion")
    expect(client.channel_bind(0x4001, peer.address), "437", "ChannelBind after deletion")


def scenario_stale_nonce(args) -> None:
    """Once the nonce is older than the server's stale-nonce, requests get 438
    with a new NONCE, which then works."""
    client = connect(args)
    expect(client.allocate(), "ok", "Allocate")
    old_nonce = client.nonce
    time.sleep(args.wait)
    resp = client.transact(Message(REFRESH, REQUEST).add(LIFETIME, struct.pack("!I", 300)))
    expect(resp, "438", f"Refresh with a nonce {args.wait}s old")
    new_nonce = resp.get(NONCE)
    check(new_nonce is not None and new_nonce != old_nonce, "the 438 carries a new NONCE")
    client.nonce = new_nonce
    expect(client.transact(Message(REFRESH, REQUEST).add(LIFETIME, struct.pack("!I", 0))),
           "ok", "Refresh with the new nonce")


def scenario_bandwidth(args) -> None:
    """max-bps: a 1-second burst of --burst-bytes towards the peer is cut to about
    --max-bps bytes per second; below the limit everything gets through."""
    peer = Peer(args.server, args.peer_port)
    client = connect(args)
    expect(client.allocate(), "ok", "Allocate")
    expect(client.channel_bind(0x4000, peer.address), "ok", "ChannelBind")
    size = 1000
    for label, total in (("under the limit", args.max_bps // 2), ("burst", args.burst_bytes)):
        count = max(1, total // size)
        start = time.monotonic()
        for i in range(count):
            client.send_channel_data(0x4000, bytes([i % 256]) * size)
            # Spread the packets over one second, as a real sender would.
            time.sleep(max(0.0, start + (i + 1) / count - time.monotonic()))
        received = 0
        while (got := peer.recv(0.5)) is not None:
            received += len(got[0])
        print(f"{label}: sent {count * size} bytes in 1 s, the peer received {received}")
        if label == "under the limit":
            check(received == count * size, f"{label}: all {count * size} bytes relayed")
        else:
            # Rate windows may straddle the second (coturn lets ~1.8 x through).
            check(0 < received <= 3 * args.max_bps,
                  f"{label}: at most 3 x max-bps ({3 * args.max_bps}) of {count * size} bytes "
                  f"relayed in that second (got {received})")
    expect(client.refresh(0), "ok", "Refresh LIFETIME 0")


def junk_datagrams() -> list[tuple[str, bytes]]:
    binding = Message(BINDING, REQUEST)
    good = binding.encode()
    bad_cookie = bytearray(good)
    struct.pack_into("!I", bad_cookie, 4, 0xDEADBEEF)
    too_long = bytearray(good)
    struct.pack_into("!H", too_long, 2, 400)
    overrun = Message(BINDING, REQUEST).encode()[:HEADER_LEN]
    overrun = bytearray(overrun[:2] + struct.pack("!H", 8) + overrun[4:])
    overrun += struct.pack("!HH", SOFTWARE, 0xFFF0) + b"abcd"
    bad_fp = bytearray(Message(BINDING, REQUEST).encode(fingerprint=True))
    bad_fp[-1] ^= 0xFF
    bad_mi = Message(ALLOCATE, REQUEST).add(USERNAME, b"nobody").add(REALM, b"x").add(
        NONCE, b"y").encode(key=b"0" * 16)
    return [
        ("empty datagram", b""),
        ("one byte", b"\x00"),
        ("19 bytes (short header)", good[:19]),
        ("random 64 bytes", os.urandom(64)),
        # A Binding without the magic cookie is an RFC 3489 request: a server may answer.
        ("wrong magic cookie (RFC 3489 Binding)", bytes(bad_cookie)),
        ("length beyond the datagram", bytes(too_long)),
        ("wrong FINGERPRINT", bytes(bad_fp)),
        ("Allocate from an unknown user with a made-up MESSAGE-INTEGRITY", bad_mi),
        ("ChannelData on an unbound channel", channel_data(0x4abc, b"hello", False)),
        ("ChannelData with a length beyond the datagram", struct.pack("!HH", 0x4000, 500) + b"x"),
        ("a STUN success response sent to the server", Message(BINDING, SUCCESS).encode()),
        ("65000 zero bytes", b"\0" * 65000),
        # Last, since coturn 4.6.1 answers it with a Binding success.
        ("attribute length overrunning the message", bytes(overrun)),
    ]


def describe(reply) -> str:
    if isinstance(reply, Message):
        return f"{reply.name()} {reply.outcome()}"
    return repr(reply)[:60]


def scenario_malformed(args) -> None:
    """Junk is dropped (or answered with an error) and the server keeps answering."""
    client = connect(args)
    for name, data in junk_datagrams():
        if args.transport == "udp":
            client.t.send(data)
            try:
                reply = client.t.recv(0.3)
            except ValueError as e:
                reply = f"undecodable ({e})"
            if reply is not None and "RFC 3489" not in name:
                ok = isinstance(reply, Message) and reply.cls == ERROR
                what = f"{name}: no answer or an error response (got {describe(reply)})"
                if args.lenient and not ok:
                    print(f"lenient: {what}", flush=True)
                else:
                    check(ok, what)
        else:
            # A stream may be closed after junk; a new connection must still work.
            try:
                client.t.send(data)
                client.t.recv(0.3)
            except (ConnectionError, OSError, ValueError):
                pass
            client.t.close()
            client = connect(args)
        resp = client.transact(Message(BINDING, REQUEST), authenticate=False)
        expect(resp, "ok", f"after {name}: a Binding request is still answered")


# --- Address families, retransmissions, reservations --------------------------

def family_attr(family: str) -> bytes:
    """A REQUESTED-/ADDITIONAL-ADDRESS-FAMILY value for "4" or "6"."""
    return bytes([FAMILY_IPV6 if family == "6" else FAMILY_IPV4, 0, 0, 0])


def ip_family(ip: str) -> str:
    return str(ipaddress.ip_address(ip).version)


def in_window(args, port: int) -> bool:
    return not args.min_port or args.min_port <= port <= args.max_port


def exchange(client: Client, peer: Peer, relayed: tuple[str, int], channel: int,
             actual: tuple[str, int] | None = None) -> None:
    """Send indications and ChannelData to `peer` and its replies back, both ways.
    `relayed` is the address the server announced; `actual` (default: the same)
    the socket address the relay really uses, where the peer sends and which the
    peer must see as the source (they differ behind external-ip)."""
    actual = actual or relayed
    for n in (1, 100, 1001):
        payload = os.urandom(n)
        client.send_indication(peer.address, payload)
        got = peer.recv(2.0)
        check(got is not None and got[0] == payload and got[1] == actual,
              f"a {n}-byte Send indication reached the peer {peer.address} from {actual}"
              f" (got {got and (len(got[0]), got[1])})")
        reply = os.urandom(n)
        peer.sock.sendto(reply, actual)
        ind = client.next_unsolicited(2.0)
        check(isinstance(ind, Message) and ind.method == DATA and ind.cls == INDICATION
              and ind.get(DATA_ATTR) == reply and ind.xor_address(XOR_PEER_ADDRESS) == peer.address,
              f"the peer's {n}-byte reply came back as a Data indication from {peer.address}")
    expect(client.channel_bind(channel, peer.address), "ok",
           f"ChannelBind 0x{channel:04x} to {peer.address}")
    for n in (1, 3, 1200):
        payload = os.urandom(n)
        client.send_channel_data(channel, payload)
        got = peer.recv(2.0)
        check(got is not None and got[0] == payload and got[1] == actual,
              f"{n} bytes of ChannelData reached the peer from {actual}")
        reply = os.urandom(n)
        peer.sock.sendto(reply, actual)
        frame = client.next_unsolicited(2.0)
        check(frame == (channel, reply), f"the peer's {n}-byte reply came back as ChannelData")


def scenario_family(args) -> None:
    """RFC 6156: Allocate with REQUESTED-ADDRESS-FAMILY --family (4 or 6; none sent
    when absent, which means IPv4) over any transport and server address; the
    relayed address has that family; relaying to --peer-host works both ways;
    a peer of the other family (--other-peer-host) gets 443 and is not relayed to."""
    family = args.family or "4"
    peer = Peer(args.peer_host or args.server, args.peer_port)
    check(ip_family(peer.address[0]) == family, f"the peer {peer.address} is IPv{family}")
    client = connect(args)
    extra = [(REQUESTED_ADDRESS_FAMILY, family_attr(family))] if args.family else []
    what = f"REQUESTED-ADDRESS-FAMILY IPv{family}" if args.family else "no REQUESTED-ADDRESS-FAMILY"
    resp = expect(client.allocate(extra=extra), "ok",
                  f"Allocate with {what} over {args.transport} to {args.server}")
    check(len(resp.get_all(XOR_RELAYED_ADDRESS)) == 1, "exactly one XOR-RELAYED-ADDRESS")
    relayed = check_relayed(resp, args, client.t.local_address())
    check(ip_family(relayed[0]) == family, f"the relayed address {relayed} is IPv{family}")
    expect(client.create_permission(peer.address), "ok", f"CreatePermission for {peer.address}")
    exchange(client, peer, relayed, 0x4000)
    if args.other_peer_host:
        other = Peer(args.other_peer_host, 0)
        expect(client.create_permission(other.address), "443",
               f"CreatePermission for a peer of the other family {other.address}")
        expect(client.channel_bind(0x4001, other.address), "443",
               f"ChannelBind to a peer of the other family {other.address}")
        client.send_indication(other.address, b"wrong family")
        check(other.count_received(0.5) == 0, "a Send indication to it is not relayed")
    expect(client.refresh(0), "ok", "Refresh LIFETIME 0")


def scenario_dual(args) -> None:
    """RFC 8656 §7.2 dual allocation: ADDITIONAL-ADDRESS-FAMILY IPv6 gives two
    XOR-RELAYED-ADDRESS, an IPv4 one (--relay-ip) and an IPv6 one (--relay-ip6),
    each relaying to a peer of its own family."""
    client = connect(args)
    resp = expect(client.allocate(extra=[(ADDITIONAL_ADDRESS_FAMILY, family_attr("6"))]), "ok",
                  f"Allocate with ADDITIONAL-ADDRESS-FAMILY IPv6 over {args.transport}")
    relayed = resp.xor_addresses(XOR_RELAYED_ADDRESS)
    check(len(relayed) == 2, f"two XOR-RELAYED-ADDRESS: {relayed}")
    v4 = [a for a in relayed if ip_family(a[0]) == "4"]
    v6 = [a for a in relayed if ip_family(a[0]) == "6"]
    check(len(v4) == 1 and len(v6) == 1, "one IPv4 and one IPv6 relayed address")
    check(resp.get(ADDRESS_ERROR_CODE) is None, "no ADDRESS-ERROR-CODE")
    if args.relay_ip:
        check(v4[0][0] == args.relay_ip, f"the IPv4 relayed IP {v4[0][0]} is {args.relay_ip}")
    if args.relay_ip6:
        check(v6[0][0] == args.relay_ip6, f"the IPv6 relayed IP {v6[0][0]} is {args.relay_ip6}")
    check(in_window(args, v4[0][1]) and in_window(args, v6[0][1]),
          f"both relayed ports in [{args.min_port}, {args.max_port}]")
    mapped = resp.xor_address(XOR_MAPPED_ADDRESS)
    check(mapped == client.t.local_address(), f"XOR-MAPPED-ADDRESS {mapped} is the client's")
    peer4 = Peer(args.peer_host or "127.0.0.1", 0)
    peer6 = Peer(args.peer_host6 or "::1", 0)
    expect(client.create_permission(peer4.address), "ok", f"CreatePermission for {peer4.address}")
    expect(client.create_permission(peer6.address), "ok", f"CreatePermission for {peer6.address}")
    exchange(client, peer4, v4[0], 0x4000)
    exchange(client, peer6, v6[0], 0x4001)
    expect(client.refresh(0), "ok", "Refresh LIFETIME 0")


def relay_sockets(ip: str, first: int, last: int) -> list[str]:
    """The UDP sockets bound to ip:first..last (from `ss`), as 'ip:port' strings."""
    import subprocess  # only this check needs it
    out = subprocess.run(["ss", "-Huan", f"( sport >= :{first} and sport <= :{last} )"],
                         capture_output=True, text=True, check=True).stdout
    found = []
    for line in out.splitlines():
        fields = line.split()
        if len(fields) >= 4:
            host, _, _ = fields[3].rpartition(":")
            if host.strip("[]") == ip:
                found.append(fields[3])
    return found


def scenario_external(args) -> None:
    """external-ip: XOR-RELAYED-ADDRESS carries --relay-ip (the public IP) with the
    real relay port; relaying through --actual-relay-ip (the local relay IP) and that
    port works both ways, and the peer sees the local address as the source."""
    peer = Peer(args.peer_host or args.server, args.peer_port)
    client = connect(args)
    resp = expect(client.allocate(), "ok", f"Allocate over {args.transport}")
    relayed = check_relayed(resp, args, client.t.local_address())
    actual = (args.actual_relay_ip, relayed[1])
    sockets = relay_sockets(args.actual_relay_ip, relayed[1], relayed[1])
    check(len(sockets) == 1, f"the server has a UDP socket on {actual} ({sockets})")
    expect(client.create_permission(peer.address), "ok", f"CreatePermission for {peer.address}")
    exchange(client, peer, relayed, 0x4000, actual)
    expect(client.refresh(0), "ok", "Refresh LIFETIME 0")


def address_error(resp: Message) -> int | None:
    """The code of ADDRESS-ERROR-CODE (RFC 8656 §18.12), None without one."""
    v = resp.get(ADDRESS_ERROR_CODE)
    return None if v is None or len(v) < 4 else (v[2] & 0x7) * 100 + v[3]


def describe_attrs(resp: Message) -> list[str]:
    """The attributes of an Allocate success that a retransmission must repeat
    (all but LIFETIME, which counts down, and the integrity/fingerprint trailer)."""
    out = []
    for t, v in resp.attrs:
        if t in (XOR_RELAYED_ADDRESS, XOR_MAPPED_ADDRESS):
            out.append(f"0x{t:04x}={decode_xor_address(v, resp.tid)}")
        elif t not in (LIFETIME, MESSAGE_INTEGRITY, FINGERPRINT, SOFTWARE):
            out.append(f"0x{t:04x}={v.hex()}")
    return sorted(out)


def scenario_retransmit(args) -> None:
    """Retransmissions (same transaction id, same bytes) over UDP: the Allocate
    gets the same success again (RFC 8489 §6.3.1: the client must end up in the
    same state whichever response it gets) and makes no second allocation; a new
    Allocate gets 437; a retransmitted CreatePermission and ChannelBind get success
    again. --additional-family adds ADDITIONAL-ADDRESS-FAMILY IPv6 (without an IPv6
    relay the answer must carry ADDRESS-ERROR-CODE 440), --even-port EVEN-PORT R=1."""
    client = connect(args)
    extra = []
    if args.additional_family:
        extra.append((ADDITIONAL_ADDRESS_FAMILY, family_attr("6")))
    if args.even_port:
        extra.append((EVEN_PORT, b"\x80"))
    what = " ".join(["Allocate"] + (["with ADDITIONAL-ADDRESS-FAMILY IPv6"]
                                    if args.additional_family else [])
                    + (["with EVEN-PORT R=1"] if args.even_port else []))
    first = expect(client.allocate(extra=extra), "ok", what)
    relayed = check_relayed(first, args, client.t.local_address())
    if args.additional_family:
        count = len(first.get_all(XOR_RELAYED_ADDRESS))
        check(count == 2 or address_error(first) == 440,
              f"{count} XOR-RELAYED-ADDRESS; without the IPv6 one, ADDRESS-ERROR-CODE 440 "
              f"(got {address_error(first)})")
    if args.even_port:
        check(first.get(RESERVATION_TOKEN) is not None, "a RESERVATION-TOKEN")
    again = client.retransmit()
    expect(again, "ok", f"the {what} retransmitted with the same transaction id")
    check(again.tid == first.tid, "the response carries that transaction id")
    check(again.xor_address(XOR_RELAYED_ADDRESS) == relayed,
          f"and the same XOR-RELAYED-ADDRESS {again.xor_address(XOR_RELAYED_ADDRESS)}")
    check(again.xor_address(XOR_MAPPED_ADDRESS) == client.t.local_address(),
          "and the same XOR-MAPPED-ADDRESS")
    check(describe_attrs(again) == describe_attrs(first),
          f"and the same attributes: {describe_attrs(again)}, "
          f"first answer: {describe_attrs(first)}")
    if args.check_sockets and args.relay_ip and args.min_port:
        sockets = relay_sockets(args.relay_ip, args.min_port, args.max_port)
        want = 2 if args.even_port else 1  # EVEN-PORT R holds port + 1 as well
        check(len(sockets) == want and f"{relayed[0]}:{relayed[1]}" in sockets,
              f"{want} relay socket(s) in the port window after the retransmission: {sockets}")
    expect(client.allocate(), "437", "a new Allocate (new transaction id) on the same 5-tuple")
    peer = Peer(args.peer_host or args.server, args.peer_port)
    expect(client.create_permission(peer.address), "ok", "CreatePermission")
    expect(client.retransmit(), "ok", "the CreatePermission retransmitted")
    expect(client.channel_bind(0x4000, peer.address), "ok", "ChannelBind 0x4000")
    expect(client.retransmit(), "ok", "the ChannelBind retransmitted")
    client.send_channel_data(0x4000, b"after the retransmissions")
    got = peer.recv(2.0)
    check(got is not None and got[0] == b"after the retransmissions" and got[1] == relayed,
          "ChannelData on the channel reaches the peer from the relayed address")
    check(peer.count_received(0.3) == 0, "exactly once")
    expect(client.refresh(0), "ok", "Refresh LIFETIME 0")


def scenario_even_port(args) -> None:
    """EVEN-PORT (RFC 8656 §7.2, §14.6): with the R bit the relayed port is even and a
    RESERVATION-TOKEN comes back; another client (another source port) allocating
    with it gets port + 1, once; an unknown token gets 508. Without R: an even
    port and no token."""
    first = connect(args)
    resp = expect(first.allocate(extra=[(EVEN_PORT, b"\x80")]), "ok", "Allocate with EVEN-PORT R=1")
    relayed = check_relayed(resp, args, first.t.local_address())
    check(relayed[1] % 2 == 0, f"the relayed port {relayed[1]} is even")
    token = resp.get(RESERVATION_TOKEN)
    check(token is not None and len(token) == 8, f"a RESERVATION-TOKEN {token and token.hex()}")
    second = connect(args)
    check(second.t.local_address() != first.t.local_address(), "a second client socket")
    resp = expect(second.allocate(extra=[(RESERVATION_TOKEN, token)]), "ok",
                  "a second client's Allocate with that RESERVATION-TOKEN")
    reserved = check_relayed(resp, args, second.t.local_address())
    check(reserved == (relayed[0], relayed[1] + 1),
          f"its relayed address {reserved} is the reserved port {relayed[1] + 1}")
    third = connect(args)
    expect(third.allocate(extra=[(RESERVATION_TOKEN, token)]), "508",
           "the same RESERVATION-TOKEN used again")
    fourth = connect(args)
    unknown = os.urandom(8)
    expect(fourth.allocate(extra=[(RESERVATION_TOKEN, unknown)]), "508",
           f"an unknown RESERVATION-TOKEN {unknown.hex()}")
    resp = expect(fourth.allocate(extra=[(EVEN_PORT, b"\x00")]), "ok",
                  "Allocate with EVEN-PORT R=0 (after the 508, same client)")
    plain = check_relayed(resp, args, fourth.t.local_address())
    check(plain[1] % 2 == 0, f"the relayed port {plain[1]} is even")
    check(resp.get(RESERVATION_TOKEN) is None, "no RESERVATION-TOKEN without the R bit")
    for client in (first, second, fourth):
        expect(client.refresh(0), "ok", "Refresh LIFETIME 0 (cleanup)")


def scenario_hold(args) -> None:
    """Allocate, print "RELAYED ip:port" and keep the allocation and its connection
    for --wait seconds; over TCP/TLS prints "CLOSED" if the server closes it first."""
    client = connect(args)
    resp = expect(client.allocate(), "ok", f"Allocate over {args.transport}")
    relayed = check_relayed(resp, args, client.t.local_address())
    print(f"RELAYED {relayed[0]}:{relayed[1]}", flush=True)
    deadline = time.monotonic() + args.wait
    while (remaining := deadline - time.monotonic()) > 0:
        try:
            client.t.recv(remaining)
        except (ConnectionError, OSError):
            print("CLOSED", flush=True)
            return


def scenario_guessing(args) -> None:
    """Wrong passwords for --user from 127.0.0.2: 5 are checked, then each try waits
    longer (answered 401 unchecked meanwhile); the right password from 127.0.0.3 and
    --other-user (with --other-password) from 127.0.0.2 are not slowed down."""
    guesser = connect(args, source="127.0.0.2", password="not-the-password")
    for i in range(6):
        expect(guesser.allocate(), "401", f"wrong password {i + 1}")
    guesser.password = args.password
    guesser.key = long_term_key(args.user, guesser.realm, args.password)
    expect(guesser.allocate(), "401", "the right password from there, while it waits")
    time.sleep(1.2)  # the first wait (1 s) is over
    expect(guesser.allocate(), "ok", "the right password once the wait is over")
    expect(guesser.refresh(0), "ok", "Refresh LIFETIME 0 (cleanup)")
    other_address = connect(args, source="127.0.0.3")
    expect(other_address.allocate(), "ok", "the same user from another address meanwhile")
    expect(other_address.refresh(0), "ok", "Refresh LIFETIME 0 (cleanup)")
    other_user = connect(args, source="127.0.0.2", user=args.other_user,
                         password=args.other_password)
    expect(other_user.allocate(), "ok", "another user from the guessing address")
    expect(other_user.refresh(0), "ok", "Refresh LIFETIME 0 (cleanup)")


SCENARIOS = {
    "guessing": scenario_guessing,
    "binding": scenario_binding,
    "allocate": scenario_allocate,
    "quota": scenario_quota,
    "permission": scenario_permission,
    "relay": scenario_relay,
    "lifecycle": scenario_lifecycle,
    "deleted": scenario_deleted,
    "bandwidth": scenario_bandwidth,
    "stale-nonce": scenario_stale_nonce,
    "malformed": scenario_malformed,
    "family": scenario_family,
    "dual": scenario_dual,
    "external": scenario_external,
    "retransmit": scenario_retransmit,
    "even-port": scenario_even_port,
    "hold": scenario_hold,
}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="scenarios:\n" + "\n".join(
                                         f"  {n}: {' '.join(f.__doc__.split())}"
                                         for n, f in SCENARIOS.items()))
    parser.add_argument("scenario", choices=SCENARIOS)
    parser.add_argument("--server", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--transport", choices=("udp", "tcp", "tls"), default="udp")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--source", help="the local IP to send from (127.0.0.2 ...)")
    parser.add_argument("--other-user", help="guessing: a user not being guessed")
    parser.add_argument("--other-password")
    parser.add_argument("--realm", help="the REALM the server must announce")
    parser.add_argument("--expect", default="ok",
                        help="allocate, permission: 'ok' or the error code expected")
    parser.add_argument("--expect-challenge", action="store_true",
                        help="allocate: first check the unauthenticated 401 challenge")
    parser.add_argument("--expect-fingerprint", action="store_true",
                        help="binding: responses must carry FINGERPRINT")
    parser.add_argument("--relay-ip", help="the IP every relayed address must have")
    parser.add_argument("--min-port", type=int, default=0)
    parser.add_argument("--max-port", type=int, default=65535)
    parser.add_argument("--peer", help="permission: the peer IP:PORT")
    parser.add_argument("--peer-port", type=int, default=0,
                        help="relay, deleted, bandwidth: port of the peer this script binds")
    parser.add_argument("--peer-host",
                        help="family, dual, external, retransmit, relay: the (IPv4 for dual) peer's IP"
                             " (default: --server)")
    parser.add_argument("--peer-host6", help="dual: the IPv6 peer's IP (default ::1)")
    parser.add_argument("--other-peer-host",
                        help="family: an IP of the other family, whose peers must get 443")
    parser.add_argument("--family", choices=("4", "6"),
                        help="family: the REQUESTED-ADDRESS-FAMILY to send")
    parser.add_argument("--relay-ip6", help="dual: the IP the IPv6 relayed address must have")
    parser.add_argument("--actual-relay-ip",
                        help="external: the local IP the relay sockets really use")
    parser.add_argument("--check-sockets", action="store_true",
                        help="retransmit: count the relay sockets in the port window with ss")
    parser.add_argument("--additional-family", action="store_true",
                        help="retransmit: Allocate with ADDITIONAL-ADDRESS-FAMILY IPv6")
    parser.add_argument("--even-port", action="store_true",
                        help="retransmit: Allocate with EVEN-PORT R=1")
    parser.add_argument("--count", type=int, default=3, help="quota: allocations to try")
    parser.add_argument("--allowed", type=int, default=1, help="quota: how many may succeed")
    parser.add_argument("--lenient", action="store_true",
                        help="malformed: report, not fail on, junk answered with a non-error")
    parser.add_argument("--max-bps", type=int, default=0, help="bandwidth: the server's max-bps")
    parser.add_argument("--burst-bytes", type=int, default=0,
                        help="bandwidth: bytes to send in 1 s")
    parser.add_argument("--wait", type=float, default=3.0,
                        help="stale-nonce, hold: seconds to wait")
    # RFC 8656 §7.3: a Refresh with LIFETIME 0 deletes the allocation at once. coturn
    # keeps it (relaying, counted in quotas, refreshable) for one more second, so by
    # default the checks that follow a deletion wait this long; 0 checks at once.
    parser.add_argument("--deletion-grace", type=float, default=1.5,
                        help="seconds to wait after Refresh LIFETIME 0 before relying on it")
    args = parser.parse_args(argv)
    try:
        SCENARIOS[args.scenario](args)
    except CheckFailed as e:
        print(f"FAIL: {e}", flush=True)
        return 1
    except (OSError, ValueError) as e:
        print(f"FAIL: {type(e).__name__}: {e}", flush=True)
        return 1
    print(f"PASS: {args.scenario}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
