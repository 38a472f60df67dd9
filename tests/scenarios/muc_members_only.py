#!/usr/bin/env python3
"""Creates a members-only room and stays in it as its owner, so that everyone
else's join is refused (registration-required, XEP-0045 §7.2.7): the fault
xmpp_muc_test.sh injects. Creates the file READY once the room is configured,
leaves after SECONDS.

  muc_members_only.py SOURCE USER PASSWORD ROOM_JID SECONDS READY
"""
import sys
import time

src, user, password, room, seconds, ready = sys.argv[1:7]
sys.path.insert(0, src + "/scripts/xmpp-server.d")
from xmpp_session import NS_CLIENT, Where, login, q  # noqa: E402

NS_MUC = "http://jabber.org/protocol/muc"
s = login(Where(), 5222, "none", "PLAIN", user, password)
s.send("<presence xmlns='jabber:client' to='%s/owner'><x xmlns='%s'/></presence>" % (room, NS_MUC))
s.wait_for(lambda e: e.tag == q(NS_CLIENT, "presence") and e.get("from") == room + "/owner",
           "the room's self-presence")
s.iq("set", "<query xmlns='%s#owner'><x xmlns='jabber:x:data' type='submit'>"
     "<field var='FORM_TYPE'><value>%s#roomconfig</value></field>"
     "<field var='muc#roomconfig_membersonly'><value>1</value></field>"
     "</x></query>" % (NS_MUC, NS_MUC), to=room)
open(ready, "w").close()
s.collect(lambda e: False, float(seconds))
s.close()
