#!/usr/bin/env python3
"""End-to-end check of the XMPP server started by scripts/xmpp-server (stdlib only).

Logs in for real over every port and mechanism the server is meant to offer, checks
that a chat message from user_1 reaches user_2, and prints the SASL mechanisms each
port advertises. Needs user_1 and user_2 (`scripts/xmpp-server users 2`).

    scripts/xmpp-server.d/smoke.py [--server ejabberd|prosody] [--domain D] [--no-ws]

Server and domain default to the running instance (its state file). Exit status 0
when every check passed, 1 otherwise; one line per check.
"""
import argparse
import os
import sys
import uuid
from xml.sax.saxutils import escape

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from xmpp_session import *  # noqa: E402,F403  the client the checks drive

def check_login(args, port, tls, mechanism, ws_path=None):
    login(args, port, tls, mechanism, "user_1", "password_1", ws_path).close()


def check_chat(args, port=5222, tls="none", ws_path=None):
    receiver = login(args, port, tls, "PLAIN", "user_2", "password_2", ws_path)
    sender = login(args, port, tls, "PLAIN", "user_1", "password_1", ws_path)
    try:
        receiver.send(PRESENCE)
        sender.send(PRESENCE)
        body = "smoke " + uuid.uuid4().hex
        sender.send(
            "<message xmlns='jabber:client' to='user_2@%s' type='chat' id='m1'><body>%s</body></message>"
            % (args.domain, escape(body))
        )

        def is_ours(element):
            found = element.find(q(NS_CLIENT, "body"))
            return element.tag == q(NS_CLIENT, "message") and found is not None and found.text == body

        message = receiver.wait_for(is_ours, "the chat message at user_2")
        if not message.get("from", "").startswith("user_1@%s/" % args.domain):
            raise XmppError("message from unexpected sender " + message.get("from", ""))
    finally:
        sender.close()
        receiver.close()


def check_wrong_password(args):
    session = open_session(args, 5222)
    try:
        session.authenticate("PLAIN", "user_1", "wrong")
    except XmppError as error:
        if "not-authorized" not in str(error):
            raise
        return
    finally:
        session.transport.sock.close()
    raise XmppError("login with a wrong password succeeded")


def check_starttls_required(args):
    session = open_session(args, 5224)
    try:
        if not session.starttls_required():
            raise XmppError("5224 does not mark STARTTLS required: " + describe(session.features))
        if session.mechanisms():
            raise XmppError("5224 offers SASL before TLS: " + " ".join(session.mechanisms()))
        session.send_sasl("auth", "\0user_1\0password_1", "PLAIN")
        reply = session.receive()
        if reply.tag == q(NS_SASL, "success"):
            raise XmppError("5224 accepted SASL PLAIN before STARTTLS")
    finally:
        session.transport.sock.close()
    check_login(args, 5224, "starttls", "SCRAM-SHA-256")


def check_anonymous(args):
    session = login(args, 5222, "none", "ANONYMOUS", "", "", domain="anon." + args.domain)
    session.close()


def check_register_and_remove(args):
    user, password = "smoke_" + uuid.uuid4().hex[:10], "secret"
    session = open_session(args, 5222)
    session.iq("set", "<query xmlns='%s'><username>%s</username><password>%s</password></query>" % (NS_REGISTER, user, password))
    session.transport.sock.close()
    session = login(args, 5222, "none", "SCRAM-SHA-1", user, password)
    try:
        session.iq("set", "<query xmlns='%s'><remove/></query>" % NS_REGISTER)
    except XmppError as error:  # XEP-0077 lets the server close the stream instead
        if "closed" not in str(error):
            raise
    session.transport.sock.close()
    session = open_session(args, 5222)
    try:
        session.authenticate("PLAIN", user, password)
    except XmppError:
        return
    finally:
        session.transport.sock.close()
    raise XmppError("removed account %s can still log in" % user)


def check_stream_management(args):
    session = login(args, 5222, "none", "PLAIN", "user_1", "password_1")
    try:
        if session.features.find(q(NS_SM, "sm")) is None:
            raise XmppError("stream management not offered")
        session.send("<enable xmlns='%s' resume='true'/>" % NS_SM)
        enabled = session.wait_for(lambda e: e.tag in (q(NS_SM, "enabled"), q(NS_SM, "failed")), "<enabled/>")
        if enabled.tag != q(NS_SM, "enabled") or enabled.get("resume") not in ("true", "1"):
            raise XmppError("sm: " + describe(enabled))
        session.send("<r xmlns='%s'/>" % NS_SM)
        session.wait_for(lambda e: e.tag == q(NS_SM, "a"), "<a/>")
    finally:
        session.close()


def check_features(args):
    """Disco on the server and the account: ping, registration, MUC, MAM (unless lean)."""
    session = login(args, 5222, "none", "PLAIN", "user_1", "password_1")
    try:
        def features_of(jid):
            reply = session.iq("get", "<query xmlns='%s'/>" % NS_DISCO_INFO, jid)
            return {f.get("var") for f in reply.iter(q(NS_DISCO_INFO, "feature"))}

        wanted = {"urn:xmpp:ping", "jabber:iq:register"}
        missing = wanted - features_of(args.domain)
        if "http://jabber.org/protocol/muc" not in features_of("muc." + args.domain):
            missing.add("muc")
        if not args.lean and "urn:xmpp:mam:2" not in features_of("user_1@" + args.domain):
            missing.add("urn:xmpp:mam:2")
        if missing:
            raise XmppError("disco lacks " + " ".join(sorted(missing)))
    finally:
        session.close()


def advertised(args, port, tls, ws_path=None):
    session = open_session(args, port, tls, ws_path=ws_path)
    try:
        return " ".join(session.mechanisms()) or "(none)"
    finally:
        session.transport.sock.close()


def read_state():
    state = {}
    path = os.path.join(os.environ.get("TMPDIR", "/tmp"), "amoc-xmpp.state")
    if os.path.exists(path):
        with open(path) as f:
            state = dict(line.rstrip("\n").split("=", 1) for line in f if "=" in line)
    return state


def main():
    state = read_state()
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--domain", default=state.get("domain", "localhost"))
    parser.add_argument("--server", choices=sorted(WS_PATHS), default=state.get("server", "ejabberd"))
    parser.add_argument("--lean", action="store_true", default=state.get("lean") == "1", help="do not expect MAM")
    parser.add_argument("--no-ws", action="store_true", help="skip the WebSocket checks")
    args = parser.parse_args()
    ws_path = WS_PATHS[args.server]

    print("advertised SASL mechanisms (%s):" % args.server)
    for label, port, tls, path in [
        ("5222 plain", 5222, "none", None),
        ("5222 after STARTTLS", 5222, "starttls", None),
        ("5223 direct TLS", 5223, "direct", None),
        ("5224 before STARTTLS", 5224, "none", None),
        ("5224 after STARTTLS", 5224, "starttls", None),
        ("5280 WebSocket", 5280, "none", ws_path),
        ("5443 WebSocket TLS", 5443, "direct", ws_path),
    ]:
        if path and args.no_ws:
            continue
        try:
            print("  %-22s %s" % (label, advertised(args, port, tls, path)))
        except (OSError, XmppError, ET.ParseError) as error:
            print("  %-22s error: %s" % (label, error))

    checks = []
    for mechanism in ("PLAIN", "SCRAM-SHA-1", "SCRAM-SHA-256"):
        checks.append(("login %s, 5222 no TLS" % mechanism, lambda m=mechanism: check_login(args, 5222, "none", m)))
        checks.append(("login %s, 5222 STARTTLS" % mechanism, lambda m=mechanism: check_login(args, 5222, "starttls", m)))
        checks.append(("login %s, 5223 direct TLS" % mechanism, lambda m=mechanism: check_login(args, 5223, "direct", m)))
    checks += [
        ("5224 STARTTLS required", lambda: check_starttls_required(args)),
        ("wrong password refused", lambda: check_wrong_password(args)),
        ("ANONYMOUS on anon." + args.domain, lambda: check_anonymous(args)),
        ("register + remove (XEP-0077)", lambda: check_register_and_remove(args)),
        ("stream management + resume", lambda: check_stream_management(args)),
        ("disco: ping, register, muc, mam", lambda: check_features(args)),
        ("chat user_1 -> user_2, 5222", lambda: check_chat(args)),
        ("chat user_1 -> user_2, 5223", lambda: check_chat(args, 5223, "direct")),
    ]
    if not args.no_ws:
        checks += [
            ("login SCRAM-SHA-256, ws 5280", lambda: check_login(args, 5280, "none", "SCRAM-SHA-256", ws_path)),
            ("chat user_1 -> user_2, ws 5280", lambda: check_chat(args, 5280, "none", ws_path)),
            ("chat user_1 -> user_2, wss 5443", lambda: check_chat(args, 5443, "direct", ws_path)),
        ]
    failed = 0
    for name, check in checks:
        try:
            check()
            print("ok    " + name)
        except (OSError, XmppError, ET.ParseError) as error:
            failed += 1
            print("FAIL  %s: %s" % (name, error))
    print("smoke: %d passed, %d failed" % (len(checks) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
