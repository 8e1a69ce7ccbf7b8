#!/usr/bin/python3
"""The signalling server's limits with real WSS clients (python3-websockets)
from chosen loopback source addresses, against sfu_signal_echo started with
--per-address N --max-connections T --message-burst B:
  - 127.0.0.2 gets N connections and no more, while 127.0.0.3 still connects;
  - a closed connection gives its place back;
  - the whole listener holds at most T connections, yet no address is shut out
    by another one's N;
  - a connection sending more than B messages at once is closed (1008).
Prints one line per check; exits 1 if any failed."""

import argparse
import asyncio
import json
import sys

import websockets

from wss_checks import FAILED, check, client_context

async def connect(port, source):
    """An open, working WebSocket from `source`, or None when refused."""
    try:
        ws = await websockets.connect(f"wss://127.0.0.1:{port}/ws", ssl=client_context(),
                                      local_addr=(source, 0), open_timeout=5, close_timeout=1)
        await ws.send("hi")
        reply = json.loads(await asyncio.wait_for(ws.recv(), 5))
        return ws if reply == {"echo": "hi"} else None
    except (OSError, asyncio.TimeoutError, websockets.WebSocketException):
        return None


async def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--per-address", type=int, required=True)
    p.add_argument("--total", type=int, required=True)
    p.add_argument("--burst", type=int, required=True)
    a = p.parse_args()

    mine = [await connect(a.port, "127.0.0.2") for _ in range(a.per_address)]
    check(all(mine), f"{a.per_address} connections from one address")
    extra = await connect(a.port, "127.0.0.2")
    check(extra is None, "one more from that address is refused")
    other = await connect(a.port, "127.0.0.3")
    check(other is not None, "another address still connects")
    await mine.pop().close()
    await asyncio.sleep(0.5)
    again = await connect(a.port, "127.0.0.2")
    check(again is not None, "a closed connection gives its place back")
    mine.append(again)

    # Fill the listener from other addresses: no address gets more than its share.
    held = [other]
    for i in range(4, 40):
        ws = await connect(a.port, f"127.0.0.{i}")
        if ws is None:
            break
        held.append(ws)
    total = len(mine) + len(held)
    check(total == a.total, f"the listener holds {a.total} connections in all", str(total))
    for ws in mine + held:
        await ws.close()
    await asyncio.sleep(0.5)

    ws = await connect(a.port, "127.0.0.2")
    check(ws is not None, "places come back once connections close")
    for i in range(a.burst * 3):
        try:
            await ws.send(f"m{i}")
        except websockets.ConnectionClosed:
            break
    code = None
    try:
        while True:
            await asyncio.wait_for(ws.recv(), 5)
    except websockets.ConnectionClosed as e:
        code = e.rcvd.code if e.rcvd else 1006
    except asyncio.TimeoutError:
        code = "still open"
    check(code == 1008, f"more than {a.burst} messages at once close the connection (1008)",
          str(code))
    calm = await connect(a.port, "127.0.0.2")
    ok = calm is not None
    for i in range(a.burst - 2):
        await calm.send(f"c{i}")
        ok = ok and json.loads(await asyncio.wait_for(calm.recv(), 5)) == {"echo": f"c{i}"}
    check(ok, "a connection within the burst is served")
    await calm.close()
    return 1 if FAILED else 0


sys.exit(asyncio.run(main()))
