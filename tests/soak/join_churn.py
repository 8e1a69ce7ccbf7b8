#!/usr/bin/python3
"""Conference churn for the soak (tests/soak/soak.sh): WSS clients that
connect, join with the right code, stay a moment and leave — WAVE at a time,
for SECONDS, some leaving by closing the connection without a word. Prints
how many joins succeeded and exits 1 if none did or one was refused for
anything but `busy`.

usage: join_churn.py --port P --room R --code C --seconds S [--wave N]
"""

import argparse
import asyncio
import json
import random
import sys
import time
from collections import Counter

import websockets

sys.path.insert(0, __file__.rsplit("/", 2)[0] + "/e2e/sfu_signal")
from wss_checks import client_context  # noqa: E402


async def visit(port, room, code, i, results):
    try:
        async with websockets.connect(f"wss://127.0.0.1:{port}/ws", ssl=client_context(),
                                      origin=f"https://127.0.0.1:{port}",
                                      max_size=2 ** 20) as ws:
            await ws.send(json.dumps({"type": "join", "room": room, "code": code,
                                      "name": f"Soak {i}"}))
            while True:
                m = json.loads(await asyncio.wait_for(ws.recv(), 30))
                if m["type"] in ("joined", "error"):
                    break
            results[m["type"] if m["type"] == "joined" else m.get("code", "error")] += 1
            await asyncio.sleep(random.uniform(0.2, 1.5))
            if i % 3:  # two in three say goodbye, the rest just go
                await ws.send(json.dumps({"type": "leave"}))
    except (OSError, asyncio.TimeoutError, websockets.WebSocketException) as e:
        results["failed: " + type(e).__name__] += 1


async def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--room", required=True)
    p.add_argument("--code", required=True)
    p.add_argument("--seconds", type=float, required=True)
    p.add_argument("--wave", type=int, default=4)
    a = p.parse_args()
    results = Counter(joined=0, busy=0)
    until = time.monotonic() + a.seconds
    i = 0
    while time.monotonic() < until:
        await asyncio.gather(*(visit(a.port, a.room, a.code, i + k, results) for k in range(a.wave)))
        i += a.wave
    print("join churn:", dict(results))
    bad = {k: v for k, v in results.items() if k not in ("joined", "busy") and v}
    sys.exit(0 if results["joined"] > 0 and not bad else 1)


asyncio.run(main())
