#!/usr/bin/env python3
"""Writes the seed corpus of tests/fuzz/turn_server_fuzz.cc into corpus/turn_server/.

Each seed is a script in that target's input format (see the comment at the top of
turn_server_fuzz.cc): one setup byte, then records. The STUN messages are built with
tests/e2e/stun_client.py's codec. Run it again after changing the format:

    python3 tests/fuzz/corpus/make_turn_server_seeds.py
"""

from __future__ import annotations

import hashlib
import hmac
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "e2e"))

from stun_client import (  # noqa: E402  (after the path is set)
    MAGIC_COOKIE, long_term_key, message_type,
    ADDITIONAL_ADDRESS_FAMILY, ALLOCATE, CHANNEL_BIND, CHANNEL_NUMBER, CREATE_PERMISSION,
    DATA_ATTR, EVEN_PORT, INDICATION, LIFETIME, NONCE, REALM, REFRESH, REQUEST,
    REQUESTED_ADDRESS_FAMILY, REQUESTED_TRANSPORT, RESERVATION_TOKEN, SEND, USERNAME,
    UDP_TRANSPORT, XOR_PEER_ADDRESS, Message, channel_data, xor_address)

# Setup bits.
AUTH, FINGERPRINT, SOFTWARE, MAX_BPS, IPV6, QUOTA = 1, 2, 4, 8, 16, 32
# Clients (index into the target's table) and peers.
V4_CLIENTS = (0, 1, 2, 3)
V6_CLIENT = 4
PEERS = [("203.0.113.5", 4000), ("203.0.113.5", 4001), ("203.0.113.6", 5000),
         ("198.51.100.1", 6000), ("2001:db8:1::5", 7000), ("2001:db8:1::6", 7001)]
DENIED_PEER = 3
FIRST_TOKEN = struct.pack("<Q", 0x0102030405060708)  # the fake factory's first token
MESSAGE_INTEGRITY_SHA256 = 0x001C

_counter = 0


def tid() -> bytes:
    global _counter
    _counter += 1
    return b"turnd-fz" + struct.pack("!I", _counter)


def length(data: bytes) -> bytes:
    return struct.pack("!H", len(data))


def udp(client: int, data: bytes, fix: bool = False) -> bytes:
    return bytes([2 if fix else 0, client]) + length(data) + data


def tcp(client: int, data: bytes, fix: bool = False) -> bytes:
    return bytes([7 if fix else 1, client]) + length(data) + data


def peer(relay: int, who: int, data: bytes) -> bytes:
    return bytes([3, relay, who]) + length(data) + data


def advance(seconds: int) -> bytes:
    code = seconds if seconds < 128 else 127 + seconds // 60
    return bytes([4, code])


def expire() -> bytes:
    return bytes([5])


def close(client: int) -> bytes:
    return bytes([6, client])


def request(method: int, *attrs: tuple[int, bytes], fingerprint: bool = False,
            transaction: bytes | None = None) -> bytes:
    m = Message(method, REQUEST, transaction or tid())
    for t, v in attrs:
        m.add(t, v)
    return m.encode(None, fingerprint)


def allocate(*extra: tuple[int, bytes], **kw) -> bytes:
    return request(ALLOCATE, (REQUESTED_TRANSPORT, bytes([UDP_TRANSPORT, 0, 0, 0])), *extra, **kw)


def permission(*peers: int) -> bytes:
    m = Message(CREATE_PERMISSION, REQUEST, tid())
    for p in peers:
        m.add(XOR_PEER_ADDRESS, xor_address(*PEERS[p], m.tid))
    return m.encode()


def channel_bind(number: int, p: int, fingerprint: bool = False) -> bytes:
    m = Message(CHANNEL_BIND, REQUEST, tid())
    m.add(CHANNEL_NUMBER, struct.pack("!HH", number, 0))
    m.add(XOR_PEER_ADDRESS, xor_address(*PEERS[p], m.tid))
    return m.encode(None, fingerprint)


def send(p: int, payload: bytes) -> bytes:
    m = Message(SEND, INDICATION, tid())
    m.add(XOR_PEER_ADDRESS, xor_address(*PEERS[p], m.tid)).add(DATA_ATTR, payload)
    return m.encode()


def refresh(seconds: int) -> bytes:
    return request(REFRESH, (LIFETIME, struct.pack("!I", seconds)))


def family(value: int) -> bytes:
    return bytes([value, 0, 0, 0])


# Long-term credentials as the target sets them up (setup bit AUTH).
USER, REALM_TEXT, PASSWORD = "alice", "example.org", "alice-pass"
NONCE_KEY = bytes([42]) + bytes(31)
CLIENT_IPS = [bytes([192, 0, 2, 10 + i]) for i in range(4)]


def nonce_for(client: int, expiry: int = 0xFFFFFFF0) -> bytes:
    """turnd's stateless nonce (turnd/auth/nonce.cc): hex expiry, then the hex of the
    first 12 bytes of HMAC-SHA256(key, expiry || client IP). Far in the future, it
    stays valid however far the fuzzer moves the clock."""
    tag = hmac.new(NONCE_KEY, struct.pack("!I", expiry) + CLIENT_IPS[client],
                   hashlib.sha256).digest()[:12]
    return f"{expiry:08x}{tag.hex()}".encode()


def signed(client: int, method: int, *attrs: tuple[int, bytes], sha256: bool = False) -> bytes:
    """A request with USERNAME, REALM, NONCE and MESSAGE-INTEGRITY (or -SHA256)."""
    m = Message(method, REQUEST, tid())
    for t, v in attrs:
        m.add(t, v)
    m.add(USERNAME, USER.encode()).add(REALM, REALM_TEXT.encode()).add(NONCE, nonce_for(client))
    if not sha256:
        return m.encode(long_term_key(USER, REALM_TEXT, PASSWORD))
    key = hashlib.sha256(f"{USER}:{REALM_TEXT}:{PASSWORD}".encode()).digest()
    body = m.encode()[20:]
    header = struct.pack("!HHI", message_type(method, REQUEST), len(body) + 36, MAGIC_COOKIE) + m.tid
    mac = hmac.new(key, header + body, hashlib.sha256).digest()
    return header + body + struct.pack("!HH", MESSAGE_INTEGRITY_SHA256, 32) + mac


def signed_peer(client: int, method: int, p: int, *attrs: tuple[int, bytes], **kw) -> bytes:
    """Like signed(), with an XOR-PEER-ADDRESS for peer p (it needs the transaction id)."""
    global _counter
    next_tid = b"turnd-fz" + struct.pack("!I", _counter + 1)
    return signed(client, method, *attrs, (XOR_PEER_ADDRESS, xor_address(*PEERS[p], next_tid)),
                  **kw)


SEEDS = {
    # Allocate, permission, Send both ways, a denied peer, Refresh 0.
    "udp_send_indication": bytes([0])
    + udp(0, allocate()) + udp(0, permission(0, 2)) + udp(0, send(0, b"hello peer"))
    + udp(0, send(DENIED_PEER, b"not allowed")) + peer(0, 0, b"hello client")
    + peer(0, 1, b"same IP, other port") + peer(0, DENIED_PEER, b"no permission")
    + udp(0, refresh(0)) + peer(0, 0, b"after the end"),
    # Channels: bind, data both ways, expiry by the clock.
    "udp_channel": bytes([0])
    + udp(1, allocate((LIFETIME, struct.pack("!I", 3600))))
    + udp(1, channel_bind(0x4000, 0)) + udp(1, channel_data(0x4000, b"abc", False))
    + peer(0, 0, b"reply on the channel") + advance(200) + expire()
    + udp(1, channel_data(0x4000, b"still bound", False)) + advance(660) + expire()
    + udp(1, channel_data(0x4000, b"expired", False), fix=True) + peer(0, 0, b"late")
    + udp(1, channel_bind(0x4001, 2)) + udp(1, channel_bind(0x4001, 0)),
    # TCP with FINGERPRINT: two requests in one chunk, ChannelData split, then close.
    "tcp_channel": bytes([FINGERPRINT])
    + tcp(2, allocate(fingerprint=True) + channel_bind(0x4abc, 2, fingerprint=True))
    + tcp(2, channel_data(0x4abc, b"split across", True)[:7])
    + tcp(2, channel_data(0x4abc, b"split across", True)[7:])
    + peer(0, 2, b"odd") + peer(0, 2, b"even") + peer(0, 0, b"no permission")
    + close(2) + tcp(2, allocate()) + tcp(2, b"\xff\xff\xff\xff"),
    # RFC 6156 / dual allocation from an IPv6 client.
    "ipv6_dual": bytes([IPV6])
    + udp(V6_CLIENT, allocate((ADDITIONAL_ADDRESS_FAMILY, family(2))))
    + udp(V6_CLIENT, permission(0, 4)) + udp(V6_CLIENT, send(4, b"to v6"))
    + udp(V6_CLIENT, send(0, b"to v4")) + peer(0, 0, b"v4 reply") + peer(1, 4, b"v6 reply")
    + udp(V6_CLIENT, channel_bind(0x4000, 4)) + peer(1, 4, b"v6 channel")
    + udp(1, allocate((REQUESTED_ADDRESS_FAMILY, family(2))))
    + udp(1, permission(0)) + udp(3, allocate((REQUESTED_ADDRESS_FAMILY, family(3)))),
    # EVEN-PORT and reservations, a retransmitted Allocate, a mismatch.
    "even_port_reservation": bytes([0])
    + udp(0, allocate((EVEN_PORT, b"\x80")))
    + udp(1, allocate((RESERVATION_TOKEN, FIRST_TOKEN)))
    + udp(2, allocate((RESERVATION_TOKEN, FIRST_TOKEN)))
    + udp(2, allocate((RESERVATION_TOKEN, FIRST_TOKEN), (EVEN_PORT, b"\x00")))
    + udp(3, allocate(transaction=b"retransmit!!")) + udp(3, allocate(transaction=b"retransmit!!"))
    + udp(3, allocate()) + udp(3, permission(1)) + udp(3, permission(1)),
    # Long-term credentials: challenges and a request with made-up credentials.
    "auth_challenge": bytes([AUTH | SOFTWARE])
    + udp(0, allocate()) + udp(0, permission(0))
    + udp(0, Message(ALLOCATE, REQUEST, tid()).add(REQUESTED_TRANSPORT, bytes([17, 0, 0, 0]))
          .add(USERNAME, b"alice").add(REALM, b"example.org").add(NONCE, b"0" * 32)
          .encode(key=b"k" * 16)),
    # Authenticated with valid nonces: signed requests and responses, SHA-256
    # integrity, and a nonce used from another IP (438).
    "auth_signed": bytes([AUTH])
    + udp(0, signed(0, ALLOCATE, (REQUESTED_TRANSPORT, bytes([UDP_TRANSPORT, 0, 0, 0]))))
    + udp(0, signed_peer(0, CREATE_PERMISSION, 0))
    + udp(0, signed_peer(0, CHANNEL_BIND, 2, (CHANNEL_NUMBER, struct.pack("!HH", 0x4001, 0))))
    + udp(0, channel_data(0x4001, b"signed channel", False)) + peer(0, 2, b"back")
    + udp(0, signed(0, REFRESH, (LIFETIME, struct.pack("!I", 900))))
    + udp(1, signed(1, ALLOCATE, (REQUESTED_TRANSPORT, bytes([UDP_TRANSPORT, 0, 0, 0])),
                    sha256=True))
    + udp(1, signed(1, REFRESH, (LIFETIME, struct.pack("!I", 0)), sha256=True))
    + udp(2, signed(0, ALLOCATE, (REQUESTED_TRANSPORT, bytes([UDP_TRANSPORT, 0, 0, 0])))),
    # Quotas and max-bps.
    "quota_bandwidth": bytes([QUOTA | MAX_BPS])
    + udp(0, allocate()) + udp(1, allocate()) + udp(2, allocate())
    + udp(0, channel_bind(0x4000, 0))
    + b"".join(udp(0, channel_data(0x4000, bytes(500), False)) for _ in range(6))
    + b"".join(peer(0, 0, bytes(700)) for _ in range(4)) + advance(1)
    + udp(0, channel_data(0x4000, bytes(500), False)) + udp(0, refresh(0))
    + udp(2, allocate()),
    # Lifetimes: an allocation that runs out, and one refreshed in time.
    "expiry": bytes([0])
    + udp(0, allocate((LIFETIME, struct.pack("!I", 10))))
    + tcp(1, allocate()) + tcp(1, permission(2))
    + advance(300) + expire() + tcp(1, refresh(600)) + advance(400) + expire()
    + peer(0, 2, b"permission expired") + advance(127 * 60) + expire()
    + udp(0, refresh(100)) + tcp(1, refresh(100)),
}


def main() -> None:
    out = os.path.join(HERE, "turn_server")
    os.makedirs(out, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(out, name + ".bin"), "wb") as f:
            f.write(data)
        print(f"{name}.bin: {len(data)} bytes")


if __name__ == "__main__":
    main()
