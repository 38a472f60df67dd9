#!/usr/bin/env python3
"""An independent occupant of xmpp_muc's rooms (stdlib only: xmpp_session.py).

Logs in, asks each of the rooms <prefix>1..<prefix>ROOMS for its disco#info
every 0.2 s and joins it as soon as it answers (it exists, hidden or not: so
the observer never creates one, amoc's first occupant does; a room still
locked by its creator answers the join with item-not-found, and is asked
again), then counts per room the groupchat
messages with a body it receives, and the most occupants it saw at once
(itself included). Ends when every room it joined was full and emptied again
down to itself, or after SECONDS. Prints one JSON object:
  {"rooms": {"<prefix>1": {"messages": M, "peak": P, "senders": {nick: M}}, ...},
   "joined": J, "errors": [...]}

It creates the file FULL_MARK once every room held ROOM_SIZE + 1 occupants (for
the test to look at the server while the rooms are full).

  muc_observer.py SOURCE USER PASSWORD SERVICE PREFIX ROOMS ROOM_SIZE SECONDS FULL_MARK
"""
import json
import sys
import time

src, user, password, service, prefix = sys.argv[1:6]
rooms, room_size, seconds = int(sys.argv[6]), int(sys.argv[7]), float(sys.argv[8])
full_mark = sys.argv[9]
sys.path.insert(0, src + "/scripts/xmpp-server.d")
from xmpp_session import NS_CLIENT, Where, login, q  # noqa: E402

NS_MUC = "http://jabber.org/protocol/muc"
NS_INFO = "http://jabber.org/protocol/disco#info"
NICK = "observer"
wanted = {"%s%d@%s" % (prefix, n, service) for n in range(1, rooms + 1)}
state = {room: {"messages": 0, "peak": 0, "senders": {}, "present": set(), "joined": False}
         for room in wanted}
errors = []

s = login(Where(), 5222, "none", "PLAIN", user, password)
s.send("<presence xmlns='jabber:client'/>")


def ask_rooms():
    for room, r in state.items():
        if not r["joined"]:
            s.send("<iq xmlns='jabber:client' type='get' id='info-%s' to='%s'>"
                   "<query xmlns='%s'/></iq>" % (room, room, NS_INFO))


def join(room):
    state[room]["joined"] = True
    s.send("<presence xmlns='jabber:client' to='%s/%s'><x xmlns='%s'>"
           "<history maxstanzas='0'/></x></presence>" % (room, NICK, NS_MUC))


def on_info(iq):
    room = iq.get("id")[len("info-"):]
    if iq.get("type") == "result" and room in state and not state[room]["joined"]:
        join(room)


def on_presence(p, room, nick):
    if p.get("type") == "error":
        error = p.find(q(NS_CLIENT, "error"))
        conditions = [c.tag.split("}")[-1] for c in (error if error is not None else [])]
        if "item-not-found" in conditions:  # listed, but still locked by its creator
            state[room]["joined"] = False   # ask again
        else:
            errors.append("presence error from %s: %s" % (p.get("from"), conditions))
        return
    present = state[room]["present"]
    if p.get("type") == "unavailable":
        present.discard(nick)
    elif p.get("type") is None:
        present.add(nick)
        state[room]["peak"] = max(state[room]["peak"], len(present))
        if all(r["peak"] >= room_size + 1 for r in state.values()):
            open(full_mark, "a").close()


def on_message(m, room, nick):
    if m.get("type") == "groupchat" and nick != NICK and m.find(q(NS_CLIENT, "body")) is not None:
        state[room]["messages"] += 1
        senders = state[room]["senders"]
        senders[nick] = senders.get(nick, 0) + 1


def done():
    return all(r["joined"] and r["peak"] >= room_size + 1 and r["present"] == {NICK}
               for r in state.values())


deadline = time.monotonic() + seconds
next_ask = 0.0
while time.monotonic() < deadline and not done():
    now = time.monotonic()
    if now >= next_ask and not all(r["joined"] for r in state.values()):
        ask_rooms()
        next_ask = now + 0.2
    try:
        element = s.receive_within(min(0.2, deadline - now))
    except TimeoutError:
        continue
    if element.tag == q(NS_CLIENT, "iq") and element.get("id", "").startswith("info-"):
        on_info(element)
        continue
    room, _, nick = element.get("from", "").partition("/")
    if room.lower() not in state or not nick:
        continue
    if element.tag == q(NS_CLIENT, "presence"):
        on_presence(element, room.lower(), nick)
    elif element.tag == q(NS_CLIENT, "message"):
        on_message(element, room.lower(), nick)
s.close()
report = {room.split("@")[0]: {k: v for k, v in r.items() if k in ("messages", "peak", "senders")}
          for room, r in state.items()}
print(json.dumps({"rooms": report, "joined": sum(r["joined"] for r in state.values()),
                  "errors": errors}))
