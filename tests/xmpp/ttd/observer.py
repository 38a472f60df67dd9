#!/usr/bin/env python3
"""An independent receiver for amoc's time to delivery: logs in to an XMPP
server as ACCOUNT with its own resource (plain TCP, SASL PLAIN), so the server
delivers it the same chat messages as amoc's user of that account, and
measures each message's time to delivery from the send stamp amoc puts in it
(<sent xmlns='urn:amoc:ttd' us='...'/>, microseconds of the system clock) to
the moment this process read it. Prints "ready" once online, then at the end
one JSON line: {"count": N, "p50_ms": ..., "p99_ms": ..., "max_ms": ...},
after SECONDS or once it has seen EXPECTED messages.
  observer.py ACCOUNT PASSWORD SECONDS EXPECTED [HOST PORT DOMAIN]
"""
import base64
import json
import re
import socket
import sys
import time

account, password, seconds, expected = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
host, port, domain = (sys.argv[5:8] + ["127.0.0.1", "5222", "localhost"][len(sys.argv[5:8]):])
conn = socket.create_connection((host, int(port)), timeout=5)
buf = b""


def send(text):
    conn.sendall(text.encode())


def read_until(*markers, limit_s=5.0):
    """What the server sent up to the first of `markers` (which it consumes)."""
    global buf
    deadline = time.monotonic() + limit_s
    while not any(m in buf for m in markers):
        if time.monotonic() > deadline:
            sys.exit(f"observer: no {markers!r} from the server within {limit_s} s: {buf[-300:]!r}")
        chunk = conn.recv(65536)
        if not chunk:
            sys.exit(f"observer: the server closed the stream: {buf[-300:]!r}")
        buf += chunk
    at = min(buf.index(m) + len(m) for m in markers if m in buf)
    seen, buf = buf[:at], buf[at:]
    return seen


def open_stream():
    send(f"<?xml version='1.0'?><stream:stream to='{domain}' xmlns='jabber:client' "
         "xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>")
    read_until(b"</stream:features>")


open_stream()
secret = base64.b64encode(f"\0{account}\0{password}".encode()).decode()
send(f"<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>{secret}</auth>")
answer = read_until(b"<success", b"<failure")
if not answer.endswith(b"<success"):
    sys.exit(f"observer: authentication failed: {answer!r}")
open_stream()
send("<iq type='set' id='bind1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
     "<resource>observer</resource></bind></iq>")
read_until(b"</iq>")
send("<presence/>")
print("ready", flush=True)

stamp = re.compile(rb"<message\b.*?<sent xmlns=['\"]urn:amoc:ttd['\"] us=['\"](\d+)['\"].*?</message>",
                   re.S)
ttd_ms = []
deadline = time.monotonic() + seconds
conn.settimeout(0.2)
while time.monotonic() < deadline and len(ttd_ms) < expected:
    try:
        chunk = conn.recv(65536)
    except socket.timeout:
        continue
    now_us = time.time_ns() // 1000
    if not chunk:
        break
    buf += chunk
    last = 0
    for m in stamp.finditer(buf):
        if b"type='chat'" in m.group(0) or b'type="chat"' in m.group(0):
            ttd_ms.append((now_us - int(m.group(1))) / 1000.0)
        last = m.end()
    buf = buf[last:]
send("</stream:stream>")
ttd_ms.sort()


def pct(p):  # nearest rank
    return ttd_ms[max(0, -(-len(ttd_ms) * p // 100) - 1)] if ttd_ms else None


print(json.dumps({"count": len(ttd_ms), "p50_ms": pct(50), "p99_ms": pct(99),
                  "max_ms": ttd_ms[-1] if ttd_ms else None}), flush=True)
