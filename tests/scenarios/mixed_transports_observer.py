#!/usr/bin/env python3
"""The independent partner of amoc's last user in the xmpp_mixed_transports test.

Logs in as USER over plain TCP (xmpp_session.py, nothing amoc builds), says it
is available, prints "ready", then waits for the chats PEER sends. On the first
one it sends PEER COUNT chats of its own; it prints "received N" with the
number of chats from PEER that arrived within SECONDS (at most COUNT).
  mixed_transports_observer.py SRC_DIR USER PEER_JID COUNT SECONDS
"""
import sys
import time

src, user, peer, count, seconds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
sys.path.insert(0, src + "/scripts/xmpp-server.d")
from xmpp_session import NS_CLIENT, PRESENCE, Where, login, q  # noqa: E402

session = login(Where(), 5222, "none", "PLAIN", user, "password_" + user.split("_")[1])
session.send(PRESENCE)
print("ready", flush=True)


def from_peer(element):
    return (element.tag == q(NS_CLIENT, "message") and element.get("type") == "chat"
            and element.get("from", "").split("/")[0] == peer)


received = 0
deadline = time.monotonic() + seconds
while received < count and time.monotonic() < deadline:
    got = session.collect(from_peer, deadline - time.monotonic(), limit=1)
    if not got:
        break
    if received == 0:
        for i in range(count):
            session.send("<message xmlns='jabber:client' type='chat' to='%s'><body>observer %d"
                         "</body></message>" % (peer, i))
    received += 1
print("received", received, flush=True)
session.close()
