#!/usr/bin/env python3
"""An independent PubSub client for the xmpp_pubsub test (through
scripts/xmpp-server.d/xmpp_session.py: nothing amoc builds), on pubsub.localhost.

    pubsub_observer.py create ACCOUNT NODE            # creates NODE, owned by ACCOUNT
    pubsub_observer.py subscribe ACCOUNT NODE EXPECTED SECONDS
    pubsub_observer.py items ACCOUNT NODE...
    pubsub_observer.py delete-after OWNER NODE AFTER SECONDS

Accounts are user_N with password password_N; PUBSUB_SERVICE names another service
(an account's bare JID for its PEP nodes). `subscribe` subscribes with its full JID,
prints "ready", then reads notifications from NODE until it has EXPECTED distinct item
ids or SECONDS passed, and prints {"ids": [...], "stamped": items carrying amoc's send
stamp, "notifications": items received}. `items` prints {NODE: [item ids] or "error:
CONDITION"} as the service answers an items request for each. `delete-after` is a
fault: subscribed as NODE's OWNER (another resource than amoc's), it deletes NODE once
AFTER items came, and prints {"received": the items notified before the deletion took
effect, "deleted": whether the service confirmed it} (notifications stop with it: a
service sends none of a node that is gone).
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../scripts/xmpp-server.d"))
from xmpp_session import NS_CLIENT, PRESENCE, Where, login, q  # noqa: E402

SERVICE = os.environ.get("PUBSUB_SERVICE", "pubsub.localhost")
NS_PUBSUB = "http://jabber.org/protocol/pubsub"
NS_EVENT = NS_PUBSUB + "#event"
NS_TTD = "urn:amoc:ttd"
CONFIG = (
    "<configure><x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE' type='hidden'>"
    "<value>http://jabber.org/protocol/pubsub#node_config</value></field>"
    "<field var='pubsub#max_items'><value>100</value></field></x></configure>"
)


def session_of(account):
    return login(Where(), 5222, "none", "PLAIN", account, account.replace("user_", "password_"))


def create(account, node):
    s = session_of(account)
    s.iq("set", "<pubsub xmlns='%s'><create node='%s'/>%s</pubsub>" % (NS_PUBSUB, node, CONFIG), to=SERVICE)
    s.close()


def subscribe(account, node, expected, seconds):
    s = session_of(account)
    s.send(PRESENCE)
    s.iq("set", "<pubsub xmlns='%s'><subscribe node='%s' jid='%s'/></pubsub>" % (NS_PUBSUB, node, s.jid), to=SERVICE)
    print("ready", flush=True)
    ids, stamped, notifications = set(), 0, 0
    deadline = time.monotonic() + seconds
    while len(ids) < expected and time.monotonic() < deadline:
        try:
            element = s.receive_within(deadline - time.monotonic())
        except TimeoutError:
            break
        items = element.find("%s/%s" % (q(NS_EVENT, "event"), q(NS_EVENT, "items")))
        if element.tag != q(NS_CLIENT, "message") or items is None or items.get("node") != node:
            continue
        for item in items.findall(q(NS_EVENT, "item")):
            notifications += 1
            stamped += any(child.tag == q(NS_TTD, "sent") for child in item)
            ids.add(item.get("id"))
    s.close()
    print(json.dumps({"ids": sorted(ids, key=lambda i: (len(i), i)), "stamped": stamped,
                      "notifications": notifications}), flush=True)


def delete_after(owner, node, after, seconds):
    s = session_of(owner)
    s.send(PRESENCE)
    s.iq("set", "<pubsub xmlns='%s'><subscribe node='%s' jid='%s'/></pubsub>" % (NS_PUBSUB, node, s.jid), to=SERVICE)
    print("ready", flush=True)
    received, deleted, asked = 0, False, False
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not deleted:
        if received >= after and not asked:
            s.send("<iq xmlns='jabber:client' type='set' id='delete1' to='%s'><pubsub xmlns='%s#owner'>"
                   "<delete node='%s'/></pubsub></iq>" % (SERVICE, NS_PUBSUB, node))
            asked = True
        try:
            element = s.receive_within(deadline - time.monotonic())
        except TimeoutError:
            break
        if element.tag == q(NS_CLIENT, "iq") and element.get("id") == "delete1":
            deleted = element.get("type") == "result"
            break
        items = element.find("%s/%s" % (q(NS_EVENT, "event"), q(NS_EVENT, "items")))
        if element.tag == q(NS_CLIENT, "message") and items is not None and items.get("node") == node:
            received += len(items.findall(q(NS_EVENT, "item")))
    s.close()
    print(json.dumps({"received": received, "deleted": deleted}), flush=True)


def items(account, nodes):
    s = session_of(account)
    found = {}
    for number, node in enumerate(nodes):
        s.send("<iq xmlns='jabber:client' type='get' id='items%d' to='%s'><pubsub xmlns='%s'>"
               "<items node='%s'/></pubsub></iq>" % (number, SERVICE, NS_PUBSUB, node))
        reply = s.wait_for(lambda e: e.tag == q(NS_CLIENT, "iq") and e.get("id") == "items%d" % number,
                           "the items of " + node)
        listed = reply.find("%s/%s" % (q(NS_PUBSUB, "pubsub"), q(NS_PUBSUB, "items")))
        error = reply.find(q(NS_CLIENT, "error"))
        if reply.get("type") == "result" and listed is not None:
            found[node] = sorted((i.get("id") for i in listed.findall(q(NS_PUBSUB, "item"))), key=lambda i: (len(i), i))
        else:  # the error's defined condition (RFC 6120 §8.3.3): its child other than <text/>
            names = [c.tag.split("}")[-1] for c in (error if error is not None else [])]
            found[node] = "error: " + " ".join(n for n in names if n != "text")
    s.close()
    print(json.dumps(found), flush=True)


command = sys.argv[1]
if command == "create":
    create(sys.argv[2], sys.argv[3])
elif command == "subscribe":
    subscribe(sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5]))
elif command == "delete-after":
    delete_after(sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5]))
elif command == "items":
    items(sys.argv[2], sys.argv[3:])
else:
    sys.exit("pubsub_observer.py: unknown command " + command)
