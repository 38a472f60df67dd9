#!/usr/bin/env python3
"""The independent partner of amoc's last user in the xmpp_mixed_transports test.

Logs in as USER over plain TCP (xmpp_session.py, nothing amoc builds), says it
is available, prints "ready", then waits for the COUNT chats PEER sends and
prints "received N" with the number that arrived within SECONDS; then it
sends PEER COUNT chats of its own. Answering only at the end keeps PEER
online for its whole series (a user that has all its partner's chats sends
the rest of its own at once), so the server's session list has it long enough.
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


received = len(session.collect(from_peer, seconds, limit=count))
print("received", received, flush=True)
for i in range(count):
    session.send("<message xmlns='jabber:client' type='chat' to='%s'><body>observer %d"
                 "</body></message>" % (peer, i))
# Closing with unread data pending sends a reset, which may discard what the
# server has not read yet: give it a second to read the chats.
time.sleep(1)
session.close()
