"""The partner of one reconnecting amoc user, independent of amoc: logs in (stdlib
client, scripts/xmpp-server.d/xmpp_session.py), prints "ready", sends its
partner "seq 1".."seq COUNT" one every INTERVAL seconds from the partner's first message (as xmpp_reconnect's
users do, so the amoc user's own checks hold), and records the sequence numbers
of the partner's chats in the order they arrive, for at most SECONDS in all.
Prints them as JSON after "ready".
    reconnect_observer.py USER PASSWORD PARTNER_JID COUNT INTERVAL SECONDS
"""
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts" / "xmpp-server.d"))
from xmpp_session import NS_CLIENT, PRESENCE, Where, login, q  # noqa: E402

user, password, partner = sys.argv[1], sys.argv[2], sys.argv[3]
count, interval, seconds = int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])

session = login(Where(), 5222, "none", "PLAIN", user, password)
session.send(PRESENCE)
print("ready", flush=True)


def from_partner(element):
    return (element.tag == q(NS_CLIENT, "message") and element.get("type") == "chat"
            and (element.get("from") or "").split("/")[0] == partner)


received = []


def collect_for(span):
    for message in session.collect(from_partner, span):
        body = message.find(q(NS_CLIENT, "body"))
        text = body.text if body is not None and body.text else ""
        if text.startswith("seq "):
            received.append(int(text[4:]))


deadline = time.monotonic() + seconds
# The partner's first message says it is online: messages sent before that
# would go to offline storage (or nowhere), which is not what is tested here.
while not received and time.monotonic() < deadline:
    collect_for(0.2)
for seq in range(1, count + 1):
    session.send("<message xmlns='jabber:client' type='chat' to='%s' id='obs%d'><body>seq %d</body></message>"
                 % (partner, seq, seq))
    collect_for(interval)
while time.monotonic() < deadline and (not received or max(received) < count):
    collect_for(min(0.5, max(deadline - time.monotonic(), 0.01)))
collect_for(1.0)  # a late duplicate would show here
session.close()
print(json.dumps({"received": received}), flush=True)
