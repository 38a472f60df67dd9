#!/usr/bin/env python3
"""Prints "user_N ITEMS" for N in 1..COUNT: how many items each account's roster holds
on the server, as a fresh independent client (scripts/xmpp-server.d/xmpp_session.py)
gets it.

    rosters.py COUNT
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../scripts/xmpp-server.d"))
from xmpp_session import Where, login, q  # noqa: E402

NS_ROSTER = "jabber:iq:roster"
for n in range(1, int(sys.argv[1]) + 1):
    session = login(Where(), 5222, "none", "PLAIN", "user_%d" % n, "password_%d" % n)
    reply = session.iq("get", "<query xmlns='%s'/>" % NS_ROSTER)
    print("user_%d" % n, len(reply.find(q(NS_ROSTER, "query")).findall(q(NS_ROSTER, "item"))), flush=True)
    session.close()
