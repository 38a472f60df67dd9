#!/usr/bin/env python3
# Over 400 lines on purpose: a self-contained XMPP client (stdlib only: TCP,
# STARTTLS, direct TLS, SASL PLAIN and SCRAM, WebSocket) so that the server
# check needs nothing amoc builds.
"""End-to-end check of the XMPP server started by scripts/xmpp-server (stdlib only).

Logs in for real over every port and mechanism the server is meant to offer, checks
that a chat message from user_1 reaches user_2, and prints the SASL mechanisms each
port advertises. Needs user_1 and user_2 (`scripts/xmpp-server users 2`).

    scripts/xmpp-server.d/smoke.py [--server ejabberd|prosody] [--domain D] [--no-ws]

Server and domain default to the running instance (its state file). Exit status 0
when every check passed, 1 otherwise; one line per check.
"""
import argparse
import base64
import hashlib
import hmac
import os
import socket
import ssl
import sys
import time
import uuid
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

NS_STREAM = "http://etherx.jabber.org/streams"
NS_CLIENT = "jabber:client"
NS_TLS = "urn:ietf:params:xml:ns:xmpp-tls"
NS_SASL = "urn:ietf:params:xml:ns:xmpp-sasl"
NS_BIND = "urn:ietf:params:xml:ns:xmpp-bind"
NS_SESSION = "urn:ietf:params:xml:ns:xmpp-session"
NS_SM = "urn:xmpp:sm:3"
NS_REGISTER = "jabber:iq:register"
NS_FRAMING = "urn:ietf:params:xml:ns:xmpp-framing"
NS_DISCO_INFO = "http://jabber.org/protocol/disco#info"
TIMEOUT_S = 10
# Stanzas name their namespace: over WebSocket there is no enclosing <stream:stream> to
# inherit it from, and Prosody answers a bare <presence/> there with a stream error.
PRESENCE = "<presence xmlns='jabber:client'/>"

WS_PATHS = {"ejabberd": "/ws-xmpp", "prosody": "/xmpp-websocket"}


class XmppError(Exception):
    """A failed step; the message names the step and what the server said."""


def q(ns, tag):
    return "{%s}%s" % (ns, tag)


def describe(element):
    return ET.tostring(element, encoding="unicode")[:300]


def tls_context():
    # The instance's certificate is self-signed: encryption without verification.
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


class TcpTransport:
    """XMPP over TCP (RFC 6120): one XML stream, split into top-level elements."""

    def __init__(self, host, port, domain, direct_tls):
        self.sock = socket.create_connection((host, port), timeout=TIMEOUT_S)
        self.domain = domain  # for SNI: Prosody refuses TLS for a name it does not serve
        if direct_tls:
            self.sock = tls_context().wrap_socket(self.sock, server_hostname=domain)
        self.encrypted = direct_tls
        self._new_parser()

    def _new_parser(self):
        self.parser = ET.XMLPullParser(events=("start", "end"))
        self.depth = 0
        self.ready = []

    def open_stream(self, domain):
        self._new_parser()
        self.send(
            "<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
            "xmlns:stream='http://etherx.jabber.org/streams' to=%s version='1.0'>" % quoteattr(domain)
        )

    def start_tls(self):
        self.sock = tls_context().wrap_socket(self.sock, server_hostname=self.domain)
        self.encrypted = True

    def send(self, text):
        self.sock.sendall(text.encode())

    def receive(self):
        deadline = time.monotonic() + TIMEOUT_S
        while not self.ready:
            if time.monotonic() > deadline:
                raise XmppError("timed out waiting for the server")
            data = self.sock.recv(65536)
            if not data:
                raise XmppError("server closed the connection")
            self.parser.feed(data)
            for event, element in self.parser.read_events():
                if event == "start":
                    self.depth += 1
                else:
                    self.depth -= 1
                    if self.depth == 1:
                        self.ready.append(element)
                    elif self.depth == 0:
                        raise XmppError("server closed the stream")
        return self.ready.pop(0)

    def close(self):
        try:
            self.send("</stream:stream>")
        finally:
            self.sock.close()


class WebSocketTransport:
    """XMPP over WebSocket (RFC 7395): one element per text frame, <open/> and <close/>."""

    def __init__(self, host, port, domain, path, tls):
        self.sock = socket.create_connection((host, port), timeout=TIMEOUT_S)
        if tls:
            self.sock = tls_context().wrap_socket(self.sock, server_hostname=domain)
        self.encrypted = tls
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            (
                "GET %s HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: xmpp\r\n"
                "Origin: http://%s\r\n\r\n" % (path, domain, port, key, domain)
            ).encode()
        )
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            data = self.sock.recv(4096)
            if not data:
                raise XmppError("WebSocket upgrade: connection closed")
            self.buffer += data
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        status = head.split(b"\r\n", 1)[0].decode(errors="replace")
        if " 101 " not in status:
            raise XmppError("WebSocket upgrade refused: " + status)
        accept = base64.b64encode(hashlib.sha1((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest())
        if accept not in head:
            raise XmppError("WebSocket upgrade: wrong Sec-WebSocket-Accept")

    def open_stream(self, domain):
        self.send("<open xmlns='%s' to=%s version='1.0'/>" % (NS_FRAMING, quoteattr(domain)))

    def start_tls(self):
        raise XmppError("no STARTTLS over WebSocket")

    def send(self, text):
        payload = text.encode()
        mask = os.urandom(4)
        header = bytes([0x81])  # FIN, text frame
        if len(payload) < 126:
            header += bytes([0x80 | len(payload)])
        elif len(payload) < 65536:
            header += bytes([0x80 | 126]) + len(payload).to_bytes(2, "big")
        else:
            header += bytes([0x80 | 127]) + len(payload).to_bytes(8, "big")
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def _read_exact(self, n):
        while len(self.buffer) < n:
            data = self.sock.recv(65536)
            if not data:
                raise XmppError("server closed the connection")
            self.buffer += data
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out

    def receive(self):
        while True:
            first, second = self._read_exact(2)
            length = second & 0x7F
            if length == 126:
                length = int.from_bytes(self._read_exact(2), "big")
            elif length == 127:
                length = int.from_bytes(self._read_exact(8), "big")
            payload = self._read_exact(length)
            opcode = first & 0x0F
            if opcode == 0x8:
                raise XmppError("server closed the WebSocket")
            if opcode in (0x9, 0xA) or not payload.strip():
                continue  # ping/pong, whitespace keepalive
            element = ET.fromstring(payload)
            if element.tag == q(NS_FRAMING, "open"):
                continue
            if element.tag == q(NS_FRAMING, "close"):
                raise XmppError("server closed the stream")
            return element

    def close(self):
        try:
            self.send("<close xmlns='%s'/>" % NS_FRAMING)
        finally:
            self.sock.close()


def scram(session, mechanism, user, password):
    """SASL SCRAM-SHA-1 / SCRAM-SHA-256 (RFC 5802), with the server signature checked."""
    hash_name = {"SCRAM-SHA-1": "sha1", "SCRAM-SHA-256": "sha256"}[mechanism]
    nonce = base64.b64encode(os.urandom(18)).decode()
    first_bare = "n=%s,r=%s" % (user, nonce)
    session.send_sasl("auth", "n,," + first_bare, mechanism)
    challenge = session.expect_sasl("challenge")
    server_first = base64.b64decode(challenge.text or "").decode()
    fields = dict(item.split("=", 1) for item in server_first.split(","))
    if not fields["r"].startswith(nonce):
        raise XmppError("sasl: server nonce does not extend ours")
    salted = hashlib.pbkdf2_hmac(hash_name, password.encode(), base64.b64decode(fields["s"]), int(fields["i"]))
    client_key = hmac.new(salted, b"Client Key", hash_name).digest()
    stored_key = hashlib.new(hash_name, client_key).digest()
    final_bare = "c=biws,r=" + fields["r"]
    auth_message = ",".join((first_bare, server_first, final_bare)).encode()
    signature = hmac.new(stored_key, auth_message, hash_name).digest()
    proof = bytes(a ^ b for a, b in zip(client_key, signature))
    session.send_sasl("response", final_bare + ",p=" + base64.b64encode(proof).decode())
    reply = session.expect_sasl("success", "challenge")
    server_final = base64.b64decode(reply.text or "").decode()
    if reply.tag == q(NS_SASL, "challenge"):  # RFC 6120 allows v= in a last challenge
        session.send_sasl("response", "")
        session.expect_sasl("success")
    server_key = hmac.new(salted, b"Server Key", hash_name).digest()
    expected = "v=" + base64.b64encode(hmac.new(server_key, auth_message, hash_name).digest()).decode()
    if server_final != expected:
        raise XmppError("sasl: wrong server signature")


class Session:
    """One client connection, driven step by step."""

    def __init__(self, transport, domain):
        self.transport = transport
        self.domain = domain
        self.features = None
        self.jid = None
        self.ids = 0

    def send(self, text):
        self.transport.send(text)

    def receive(self):
        element = self.transport.receive()
        if element.tag == q(NS_STREAM, "error"):
            raise XmppError("stream error: " + describe(element))
        return element

    def restart(self):
        self.transport.open_stream(self.domain)
        self.features = self.receive()
        if self.features.tag != q(NS_STREAM, "features"):
            raise XmppError("stream: expected features, got " + describe(self.features))

    def mechanisms(self):
        node = self.features.find(q(NS_SASL, "mechanisms"))
        return [] if node is None else [m.text for m in node.findall(q(NS_SASL, "mechanism"))]

    def starttls_required(self):
        node = self.features.find(q(NS_TLS, "starttls"))
        return node is not None and node.find(q(NS_TLS, "required")) is not None

    def starttls(self):
        if self.features.find(q(NS_TLS, "starttls")) is None:
            raise XmppError("tls: STARTTLS not offered")
        self.send("<starttls xmlns='%s'/>" % NS_TLS)
        reply = self.receive()
        if reply.tag != q(NS_TLS, "proceed"):
            raise XmppError("tls: " + describe(reply))
        self.transport.start_tls()
        self.restart()

    def send_sasl(self, tag, text, mechanism=None):
        payload = base64.b64encode(text.encode()).decode() if text else "="
        attr = " mechanism='%s'" % mechanism if mechanism else ""
        self.send("<%s xmlns='%s'%s>%s</%s>" % (tag, NS_SASL, attr, payload, tag))

    def expect_sasl(self, *tags):
        reply = self.receive()
        if reply.tag not in [q(NS_SASL, t) for t in tags]:
            raise XmppError("sasl: " + describe(reply))
        return reply

    def authenticate(self, mechanism, user, password):
        if mechanism not in self.mechanisms():
            raise XmppError("sasl: %s not offered (offered: %s)" % (mechanism, " ".join(self.mechanisms())))
        if mechanism == "PLAIN":
            self.send_sasl("auth", "\0%s\0%s" % (user, password), mechanism)
            self.expect_sasl("success")
        elif mechanism == "ANONYMOUS":
            self.send_sasl("auth", "", mechanism)
            self.expect_sasl("success")
        else:
            scram(self, mechanism, user, password)
        self.restart()

    def iq(self, kind, payload, to=None):
        self.ids += 1
        iq_id = "smoke%d" % self.ids
        to_attr = " to=%s" % quoteattr(to) if to else ""
        self.send("<iq xmlns='jabber:client' type='%s' id='%s'%s>%s</iq>" % (kind, iq_id, to_attr, payload))
        while True:
            reply = self.receive()
            if reply.tag == q(NS_CLIENT, "iq") and reply.get("id") == iq_id:
                if reply.get("type") != "result":
                    raise XmppError("iq %s: %s" % (kind, describe(reply)))
                return reply

    def bind(self):
        reply = self.iq("set", "<bind xmlns='%s'><resource>smoke</resource></bind>" % NS_BIND)
        self.jid = reply.find("%s/%s" % (q(NS_BIND, "bind"), q(NS_BIND, "jid"))).text
        session = self.features.find(q(NS_SESSION, "session"))
        if session is not None and session.find(q(NS_SESSION, "optional")) is None:
            self.iq("set", "<session xmlns='%s'/>" % NS_SESSION)

    def wait_for(self, predicate, what):
        deadline = time.monotonic() + TIMEOUT_S
        while time.monotonic() < deadline:
            element = self.receive()
            if predicate(element):
                return element
        raise XmppError("timed out waiting for " + what)

    def close(self):
        self.transport.close()


def open_session(args, port, tls="none", domain=None, ws_path=None):
    """tls: none | starttls | direct. ws_path set: WebSocket (direct = wss)."""
    domain = domain or args.domain
    if ws_path:
        transport = WebSocketTransport(args.host, port, domain, ws_path, tls == "direct")
    else:
        transport = TcpTransport(args.host, port, domain, tls == "direct")
    session = Session(transport, domain)
    session.restart()
    if tls == "starttls":
        session.starttls()
    return session


def login(args, port, tls, mechanism, user, password, ws_path=None, domain=None):
    session = open_session(args, port, tls, domain, ws_path)
    session.authenticate(mechanism, user, password)
    session.bind()
    return session


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
