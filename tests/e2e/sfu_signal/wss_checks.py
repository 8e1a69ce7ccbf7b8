"""What the WSS test clients in this folder share: one printed line per check
(FAILED collects the failed ones) and a TLS client context that accepts the
tests' self-signed certificate."""

import ssl

FAILED = []


def check(ok, what, detail=""):
    print(("ok   " if ok else "FAIL ") + what + (f" ({detail})" if detail and not ok else ""))
    if not ok:
        FAILED.append(what)
    return ok


def client_context():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx
