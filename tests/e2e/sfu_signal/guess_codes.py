#!/usr/bin/python3
"""Access-code guessing against the real turnd (tests/db/test_sfu_guessing.sh).

Real WSS clients (python3-websockets) from chosen loopback source addresses:
  - 127.0.0.2 and 127.0.0.3 guess wrong codes until they are told `throttled`;
    each try past the free ones waits longer than the one before;
  - meanwhile 127.0.0.4 joins with the right code at once;
  - 127.0.0.5 asks for a room that does not exist and gets exactly the answer
    a wrong code gets;
  - 12 people from 127.0.0.6 join at the same moment with the right code
    (right codes never count, nobody is refused).
Prints one line per check; exits 1 if any failed.

usage: guess_codes.py --port P --room R --code C --free N --max M
"""

import argparse
import asyncio
import json
import sys
import time

import websockets

from wss_checks import FAILED, check, client_context

async def connect(port, source):
    return await websockets.connect(f"wss://127.0.0.1:{port}/ws", ssl=client_context(),
                                    local_addr=(source, 0), origin=f"https://127.0.0.1:{port}",
                                    max_size=2 ** 20)


async def join(ws, room, code, name="Guest"):
    """Sends a join; returns (reply, seconds until it came)."""
    start = time.monotonic()
    await ws.send(json.dumps({"type": "join", "room": room, "code": code, "name": name}))
    while True:
        m = json.loads(await asyncio.wait_for(ws.recv(), 60))
        if m["type"] in ("joined", "error"):
            return m, time.monotonic() - start


async def guesser(port, room, source, limit):
    """Wrong codes until throttled; returns [(code, seconds)]."""
    ws = await connect(port, source)
    answers = []
    for i in range(limit):
        m, took = await join(ws, room, f"guess-{source}-{i:04d}")
        answers.append((m.get("code", m["type"]), took))
        if m.get("code") == "throttled":
            break
    await ws.close()
    return answers


async def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--room", required=True)
    p.add_argument("--code", required=True)
    p.add_argument("--free", type=int, required=True)
    p.add_argument("--max", type=int, required=True)
    p.add_argument("--ice-out", help="where to write the TURN user and password a guest got")
    a = p.parse_args()

    guessing = [asyncio.create_task(guesser(a.port, a.room, src, a.max + 5))
                for src in ("127.0.0.2", "127.0.0.3")]
    await asyncio.sleep(1.0)  # the guessers are under way

    ws = await connect(a.port, "127.0.0.4")
    m, took = await join(ws, a.room, a.code, "Right")
    check(m["type"] == "joined", "the right code from another address joins while others guess",
          json.dumps(m))
    check(took < 5, "and is not slowed down by them", f"{took:.1f} s")
    servers = m.get("iceServers") or []
    if a.ice_out and servers:
        with open(a.ice_out, "w") as f:
            f.write(f"{servers[0]['username']}\n{servers[0]['credential']}\n")
    await ws.close()

    for task in guessing:
        answers = await task
        codes = [c for c, _ in answers]
        check(codes[-1] == "throttled", "a guessing address is refused in the end", str(codes))
        wrong = codes.count("wrong-code")
        check(a.free < wrong <= a.max, f"after more than {a.free} and at most {a.max} wrong codes",
              str(wrong))
        waits = [t for c, t in answers if c == "wrong-code"]
        check(waits[a.free + 2] > waits[a.free + 1] > waits[a.free - 1] + 0.3,
              "each try past the free ones waits longer", str([round(w, 2) for w in waits]))
        check(answers[-1][1] < 1.0, "the refusal comes at once (no code checked)")

    ws = await connect(a.port, "127.0.0.5")
    unknown, _ = await join(ws, "no-such-room-here", a.code)
    wrong, _ = await join(ws, a.room, "not-the-code-at-all")
    check(unknown == wrong and unknown.get("code") == "wrong-code",
          "an unknown room answers exactly like a wrong code", f"{unknown} vs {wrong}")
    await ws.close()

    async def person(i):
        ws = await connect(a.port, "127.0.0.6")
        for _ in range(30):
            m, _ = await join(ws, a.room, a.code, f"P{i}")
            if m.get("code") != "busy":
                break
            await asyncio.sleep(1.5)
        await ws.close()
        return m

    results = await asyncio.gather(*(person(i) for i in range(12)))
    joined = sum(1 for m in results if m["type"] == "joined")
    full = sum(1 for m in results if m.get("code") == "room-full")
    check(joined + full == 12 and joined >= 1,
          "12 people behind one address join at once with the right code",
          json.dumps([m.get("code", m["type"]) for m in results]))
    return 1 if FAILED else 0


sys.exit(asyncio.run(main()))
