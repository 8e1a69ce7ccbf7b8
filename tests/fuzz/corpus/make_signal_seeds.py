#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_signal (tests/fuzz/signal_fuzz.cc): message
sequences built from the captured browser SDPs in tests/unit/sfu/sdp/fixtures.
One message per line, "N|" picks connection N, "T" is a timer tick."""
import json
import pathlib

here = pathlib.Path(__file__).resolve().parent
fixtures = here.parent.parent / "unit" / "sfu" / "sdp" / "fixtures"
out = here / "signal"
out.mkdir(exist_ok=True)

CODE = "k7pm-2qxd-9hfa-wr3e"
MOD = "m0de-rat0-rc0d-e123"
offer = (fixtures / "chromium_publisher_offer.sdp").read_text()
answer = (fixtures / "chromium_subscriber_answer.sdp").read_text()
tracks = [{"mid": "0", "kind": "audio", "source": "mic"},
          {"mid": "1", "kind": "video", "source": "camera"}]


def m(conn, **fields):
    return f"{conn}|" + json.dumps(fields, separators=(",", ":"))


def join(conn, code=CODE, room="team", name="Ada"):
    return m(conn, type="join", room=room, code=code, name=name)


seeds = {
    "publish_and_mute": [join(1), m(1, type="publish", sdp=offer, tracks=tracks),
                         m(1, type="mute", kind="audio", muted=True), "T",
                         m(1, type="ping"), m(1, type="leave")],
    "two_people_answer": [join(1, MOD), join(2), m(1, type="publish", sdp=offer, tracks=tracks),
                          m(2, type="answer", sdp=answer), "T", "T",
                          m(2, type="publish", sdp=offer, tracks=tracks[:1])],
    "moderator_kicks_and_locks": [join(1, MOD), join(2), m(1, type="lock", locked=True),
                                  join(3), m(1, type="kick", participant="p2"),
                                  m(2, type="kick", participant="p1")],
    "wrong_codes_and_rooms": [join(1, "nope-nope-nope"), join(1, CODE, "nowhere"),
                              join(2, CODE, "team", " "), join(3, MOD), join(3),
                              m(2, type="publish", sdp="v=0", tracks=[])],
    "host_header_join": ["H|Meet.Example.org:443", join(3), join(1)],
    "malformed": ["{", "[]", '{"type":"join"}', '{"type":"publish","sdp":1}',
                  '{"type":"mute","kind":"smell","muted":true}', "1|" + "\u0000",
                  join(1), m(1, type="publish", sdp=offer.replace("a=group:BUNDLE 0 1 2",
                                                                   "a=group:   "),
                             tracks=tracks)],
}
for name, lines in seeds.items():
    (out / name).write_text("\n".join(lines) + "\n")
