#!/usr/bin/env python3
"""An independent contact for xmpp_pep: logs in as ACCOUNT with its own resource
(scripts/xmpp-server.d/xmpp_session.py, nothing amoc builds) and announces entity
capabilities (XEP-0115) with NODE+notify, answering the server's disco#info query
itself, so the server sends it the PEP notifications of ACCOUNT's contacts. ejabberd
keeps a contact's capabilities from the presences it routes to the publisher, so the
observer says its presence again whenever ACCOUNT's roster (asked every 0.3 s, and
its pushes) shows more contacts at subscription 'both'.

    pep_observer.py ACCOUNT PASSWORD NODE CONTACT[,CONTACT...] EXPECTED SECONDS

Prints "ready" once online, then at the end (after SECONDS, or once it has EXPECTED
distinct stamped items from the contacts) one JSON line: {"items": distinct (contact,
id) pairs, "per_contact": {contact: ids}, "disco_answered": queries answered,
"mutual": most contacts seen at 'both' in ACCOUNT's roster}.
"""
import base64
import hashlib
import json
import os
import sys
import time
from xml.sax.saxutils import quoteattr

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../scripts/xmpp-server.d"))
from xmpp_session import NS_CLIENT, NS_DISCO_INFO, Where, login, q  # noqa: E402

NS_EVENT = "http://jabber.org/protocol/pubsub#event"
NS_TTD = "urn:amoc:ttd"
CAPS_NODE = "https://example.org/pep-observer"

account, password, node = sys.argv[1], sys.argv[2], sys.argv[3]
contacts = set(sys.argv[4].split(","))
expected, seconds = int(sys.argv[5]), float(sys.argv[6])

features = sorted([NS_DISCO_INFO, node + "+notify"])
ver = base64.b64encode(hashlib.sha1(("client/pc//observer<" + "".join(f + "<" for f in features)).encode()).digest()).decode()
PRESENCE_WITH_CAPS = ("<presence xmlns='jabber:client'><c xmlns='http://jabber.org/protocol/caps' "
                      "hash='sha-1' node='%s' ver='%s'/></presence>" % (CAPS_NODE, ver))
NS_ROSTER = "jabber:iq:roster"
session = login(Where(), 5222, "none", "PLAIN", account, password)
session.send(PRESENCE_WITH_CAPS)
print("ready", flush=True)

seen = {c: set() for c in contacts}
answered = mutual = asked = 0
mutual_jids = set()
next_ask = 0.0
deadline = time.monotonic() + seconds
while time.monotonic() < deadline and sum(map(len, seen.values())) < expected:
    now = time.monotonic()
    if now >= next_ask and mutual < len(contacts):
        asked += 1
        session.send("<iq xmlns='jabber:client' type='get' id='roster%d'><query xmlns='%s'/></iq>" % (asked, NS_ROSTER))
        next_ask = now + 0.3
    try:
        element = session.receive_within(min(0.3, max(deadline - now, 0.01)))
    except TimeoutError:
        continue
    roster = element.find(q(NS_ROSTER, "query"))
    if element.tag == q(NS_CLIENT, "iq") and roster is not None:
        if element.get("type") == "set":  # a push: acknowledged, and read as a roster
            session.send("<iq xmlns='jabber:client' type='result' id=%s/>" % quoteattr(element.get("id")))
        if element.get("type") in ("set", "result"):
            items = roster.findall(q(NS_ROSTER, "item"))
            now_mutual = {i.get("jid") for i in items if i.get("subscription") == "both"} & contacts
            if element.get("type") == "set":
                mutual_jids |= now_mutual
            else:
                mutual_jids = now_mutual
            if len(mutual_jids) > mutual:
                mutual = len(mutual_jids)
                session.send(PRESENCE_WITH_CAPS)
        continue
    query = element.find(q(NS_DISCO_INFO, "query"))
    if element.tag == q(NS_CLIENT, "iq") and element.get("type") == "get" and query is not None:
        node_attr = " node=%s" % quoteattr(query.get("node")) if query.get("node") else ""
        session.send("<iq xmlns='jabber:client' type='result' id=%s to=%s><query xmlns='%s'%s>"
                     "<identity category='client' type='pc' name='observer'/>%s</query></iq>"
                     % (quoteattr(element.get("id")), quoteattr(element.get("from")), NS_DISCO_INFO, node_attr,
                        "".join("<feature var=%s/>" % quoteattr(f) for f in features)))
        answered += 1
        continue
    items = element.find("%s/%s" % (q(NS_EVENT, "event"), q(NS_EVENT, "items")))
    sender = element.get("from", "").split("/")[0]
    if element.tag != q(NS_CLIENT, "message") or items is None or items.get("node") != node or sender not in seen:
        continue
    for item in items.findall(q(NS_EVENT, "item")):
        if any(child.tag == q(NS_TTD, "sent") for child in item):
            seen[sender].add(item.get("id"))
session.close()
print(json.dumps({"items": sum(map(len, seen.values())),
                  "per_contact": {c: sorted(ids, key=lambda i: (len(i), i)) for c, ids in seen.items()},
                  "disco_answered": answered, "mutual": mutual}), flush=True)
