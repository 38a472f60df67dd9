"""A small, independent XMPP client (Python stdlib only): TCP, STARTTLS, direct
TLS, WebSocket, SASL PLAIN, ANONYMOUS and SCRAM, bind, iq round trips and waits.

The server check (smoke.py) and the scenario tests' independent observers use
it, so that what they see of a server needs nothing amoc builds:

    import sys; sys.path.insert(0, "<source>/scripts/xmpp-server.d")
    from xmpp_session import login, Where
    s = login(Where(), 5222, "none", "PLAIN", "user_1", "password_1")
    s.send(PRESENCE)
    messages = s.collect(lambda e: e.tag == q(NS_CLIENT, "message"), seconds=3)
"""
import base64
import hashlib
import hmac
import os
import socket
import ssl
import sys
import time
import xml.etree.ElementTree as ET
from xml.sax.saxutils import quoteattr

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

    def collect(self, predicate, seconds, limit=None):
        """Every element `predicate` accepts that arrives within `seconds`
        (fewer when `limit` of them came first); silence is not an error."""
        found = []
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and (limit is None or len(found) < limit):
            try:
                element = self.receive_within(deadline - time.monotonic())
            except TimeoutError:
                break
            if predicate(element):
                found.append(element)
        return found

    def receive_within(self, seconds):
        """The next element, or TimeoutError after `seconds`."""
        sock = self.transport.sock
        sock.settimeout(max(seconds, 0.001))
        try:
            return self.receive()
        except (socket.timeout, XmppError) as error:
            if isinstance(error, XmppError) and "timed out" not in str(error):
                raise
            raise TimeoutError(str(error)) from None
        finally:
            sock.settimeout(TIMEOUT_S)

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


class Where:
    """Host and domain of the server, for `open_session` and `login`."""

    def __init__(self, host="127.0.0.1", domain="localhost"):
        self.host = host
        self.domain = domain
