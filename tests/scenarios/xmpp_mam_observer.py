"""The independent side of xmpp_mam_test.sh: reads users' archives itself, with
the stdlib client of scripts/xmpp-server.d/xmpp_session.py, and holds them
against what amoc's xmpp_mam logged (log_queries) and counted (--out).

  xmpp_mam_observer.py never N
      user_N's archive keeps nothing from now on (XEP-0313 prefs default='never'):
      the loss the scenario must report.
  xmpp_mam_observer.py compare RUN_LOG RESULT_JSON LOSSY_N MESSAGE_COUNT
      repeats every query amoc logged (same window, same page size, RSM `after`
      the last id) as that user, and compares pages, messages and the user's own
      messages found; then amoc's counters against the sums.
"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../scripts/xmpp-server.d"))
from xmpp_session import NS_CLIENT, Where, XmppError, describe, login, q  # noqa: E402

NS_MAM = "urn:xmpp:mam:2"
NS_RSM = "http://jabber.org/protocol/rsm"
NS_FORWARD = "urn:xmpp:forward:0"
MAX_PAGES = 100
LINE = re.compile(
    r"user (\d+): mam query (\d+): start=(\S+) end=(\S+) page_size=(\d+) pages=(\d+) messages=(\d+)"
    r" sent=(\d+) found=(\d+) missing=(\d+) duplicates=(\d+) complete=(\w+)"
)


def login_as(n):
    return login(Where(), 5222, "none", "PLAIN", "user_%d" % n, "password_%d" % n)


def set_never(n):
    s = login_as(n)
    s.iq("set", "<prefs xmlns='%s' default='never'/>" % NS_MAM)
    prefs = s.iq("get", "<prefs xmlns='%s'/>" % NS_MAM).find(q(NS_MAM, "prefs"))
    if prefs is None or prefs.get("default") != "never":
        raise XmppError("prefs not set to never: " + ("none" if prefs is None else describe(prefs)))
    s.close()
    print("user_%d archives nothing now" % n)


def query_page(s, qid, start, end, page_size, after):
    rsm = "<max>%d</max>" % page_size + ("<after>%s</after>" % after if after else "")
    s.send(
        "<iq xmlns='jabber:client' type='set' id='%s'><query xmlns='%s' queryid='%s'>"
        "<x xmlns='jabber:x:data' type='submit'>"
        "<field var='FORM_TYPE' type='hidden'><value>%s</value></field>"
        "<field var='start'><value>%s</value></field><field var='end'><value>%s</value></field>"
        "</x><set xmlns='%s'>%s</set></query></iq>" % (qid, NS_MAM, qid, NS_MAM, start, end, NS_RSM, rsm)
    )
    bodies = []
    body_path = "%s/%s/%s" % (q(NS_FORWARD, "forwarded"), q(NS_CLIENT, "message"), q(NS_CLIENT, "body"))
    while True:
        e = s.receive()
        if e.tag == q(NS_CLIENT, "iq") and e.get("id") == qid:
            break
        result = e.find(q(NS_MAM, "result"))
        if result is not None and result.get("queryid") == qid:
            body = result.find(body_path)
            bodies.append(None if body is None else body.text)
    if e.get("type") != "result":
        raise XmppError("MAM query: " + describe(e))
    fin = e.find(q(NS_MAM, "fin"))
    last = fin.find("%s/%s" % (q(NS_RSM, "set"), q(NS_RSM, "last")))
    return bodies, fin.get("complete") in ("true", "1"), None if last is None else last.text


def read_window(s, start, end, page_size):
    """Every page of [start, end], as amoc asked for it: (pages, bodies in order)."""
    pages, bodies, after = 0, [], None
    while pages < MAX_PAGES:
        pages += 1
        page, complete, after = query_page(s, "obs%d" % pages, start, end, page_size, after)
        bodies += page
        if complete:
            return pages, bodies
        if not page:
            raise XmppError("an empty page without complete='true'")
    raise XmppError("no complete='true' in %d pages" % MAX_PAGES)


def own(bodies, n):
    """The user's own messages among the bodies, by the tag amoc puts in them."""
    return {b for b in bodies if b and b.startswith("mam user_%d@localhost " % n)}


def compare(run_log, result_json, lossy, message_count):
    lines = [LINE.search(line) for line in open(run_log, encoding="utf-8", errors="replace")]
    lines = [m for m in lines if m]
    counters = json.load(open(result_json))["metrics"]["counters"]
    total = lambda name: counters.get(name, {}).get("total", 0)  # noqa: E731
    problems = []
    sums = {"pages": 0, "messages": 0, "found": 0, "missing": 0}
    sessions = {}
    partner_of_lossy = lossy + 1 if lossy % 2 else lossy - 1
    partner_bodies = []
    for m in lines:
        n, start, end, page_size = int(m[1]), m[3], m[4], int(m[5])
        pages, messages, sent, found, missing = (int(m[i]) for i in (6, 7, 8, 9, 10))
        if n not in sessions:  # one session per user: a second login would take its resource
            sessions[n] = login_as(n)
        s = sessions[n]
        seen_pages, bodies = read_window(s, start, end, page_size)
        mine = len(own(bodies, n))
        if n == partner_of_lossy:
            partner_bodies = bodies
        print("user %d query %s: amoc pages=%d messages=%d found=%d missing=%d | observer pages=%d "
              "messages=%d own=%d" % (n, m[2], pages, messages, found, missing, seen_pages, len(bodies), mine))
        if (pages, messages, found) != (seen_pages, len(bodies), mine):
            problems.append("user %d query %s: amoc and the archive disagree" % (n, m[2]))
        want_found = 0 if n == lossy else message_count
        if (found, missing, sent) != (want_found, message_count - want_found, message_count):
            problems.append("user %d: found %d, missing %d of %d sent" % (n, found, missing, sent))
        for key, value in (("pages", pages), ("messages", messages), ("found", found), ("missing", missing)):
            sums[key] += value
    for s in sessions.values():
        s.close()
    # The lossy user did send: its partner's archive holds every one of its messages.
    if len(own(partner_bodies, lossy)) != message_count:
        problems.append("user_%d's archive holds %d of user_%d's messages, not %d"
                        % (partner_of_lossy, len(own(partner_bodies, lossy)), lossy, message_count))
    if total("xmpp.mam.queries") != len(lines) or not lines:
        problems.append("%d query lines, xmpp.mam.queries %d" % (len(lines), total("xmpp.mam.queries")))
    for key, value in sums.items():
        if total("xmpp.mam." + key) != value:
            problems.append("xmpp.mam.%s is %d, the lines sum to %d" % (key, total("xmpp.mam." + key), value))
    for key in ("incomplete", "duplicates"):
        if total("xmpp.mam." + key) != 0:
            problems.append("xmpp.mam.%s is %d" % (key, total("xmpp.mam." + key)))
    print("totals:", sums, "queries:", len(lines))
    for p in problems:
        print("PROBLEM:", p)
    return not problems


if __name__ == "__main__":
    if sys.argv[1] == "never":
        set_never(int(sys.argv[2]))
    elif sys.argv[1] == "compare":
        sys.exit(0 if compare(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])) else 1)
    else:
        sys.exit("usage: xmpp_mam_observer.py never N | compare RUN_LOG RESULT_JSON LOSSY_N COUNT")
