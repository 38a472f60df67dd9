#!/usr/bin/env python3
"""An independent contact for xmpp_roster_presence: logs in as ACCOUNT with its own
resource (scripts/xmpp-server.d/xmpp_session.py, nothing amoc builds), so the server
sends it the presence updates of ACCOUNT's contacts as it does to amoc's ACCOUNT, and
asks for ACCOUNT's roster as the server holds it, every 0.3 s.

    roster_observer.py ACCOUNT PASSWORD CONTACT[,CONTACT...] EXPECTED SECONDS

Prints "ready" once online, then one JSON line at the end, after SECONDS or once it saw
EXPECTED stamped updates from the contacts and every contact at subscription 'both':
{"both": most contacts seen at 'both' in one roster, "updates": stamped updates from
the contacts, "others": stamped presences from anyone else}.
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../scripts/xmpp-server.d"))
from xmpp_session import NS_CLIENT, PRESENCE, Where, login, q  # noqa: E402

NS_ROSTER = "jabber:iq:roster"
NS_TTD = "urn:amoc:ttd"

account, password = sys.argv[1], sys.argv[2]
contacts = set(sys.argv[3].split(","))
expected, seconds = int(sys.argv[4]), float(sys.argv[5])

session = login(Where(), 5222, "none", "PLAIN", account, password)
session.send(PRESENCE)
print("ready", flush=True)

both = updates = others = 0
asked = 0
next_ask = 0.0
deadline = time.monotonic() + seconds
while time.monotonic() < deadline and (updates < expected or both < len(contacts)):
    now = time.monotonic()
    if now >= next_ask and both < len(contacts):
        asked += 1
        session.send("<iq xmlns='jabber:client' type='get' id='roster%d'><query xmlns='%s'/></iq>" % (asked, NS_ROSTER))
        next_ask = now + 0.3
    try:
        element = session.receive_within(min(0.3, max(deadline - now, 0.01)))
    except TimeoutError:
        continue
    query = element.find(q(NS_ROSTER, "query"))
    if element.tag == q(NS_CLIENT, "iq") and query is not None:
        if element.get("type") == "set":  # a push: acknowledged, as RFC 6121 §2.1.6 asks
            session.send("<iq xmlns='jabber:client' type='result' id='%s'/>" % element.get("id"))
        elif element.get("type") == "result":
            mutual = [i.get("jid") for i in query.findall(q(NS_ROSTER, "item")) if i.get("subscription") == "both"]
            both = max(both, len(contacts.intersection(mutual)))
    elif element.tag == q(NS_CLIENT, "presence") and element.get("type") is None:
        if element.find(q(NS_TTD, "sent")) is not None:
            if element.get("from", "").split("/")[0] in contacts:
                updates += 1
            else:
                others += 1
session.close()
print(json.dumps({"both": both, "updates": updates, "others": others}), flush=True)
