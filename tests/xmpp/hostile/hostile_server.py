#!/usr/bin/env python3
"""A hostile XMPP server on 127.0.0.1, for testing what amoc's client survives.

It logs any client in the simplest way a real client accepts (plain TCP, no
TLS, SASL PLAIN for anyone, resource binding, no session) and then misbehaves
as MODE says, on every connection:

  malformed         after login, a chat message whose end tag does not match
                    (an unbalanced one: counting depth alone never ends it)
  flood             after login, chat stanzas as fast as the socket takes them
                    (--stanza-bytes each, --flood-bytes in all)
  unclosed          after login, "<message><body>" and then text without end
  deep              after login, "<message>" and then "<a>" without end
  close-mid-stanza  after login, half a stanza, then the TCP connection ends
  never-close       never answers the client's closing </stream:stream>
  silent-sasl       never answers <auth/>
  endless-features  stream features that never end (--flood-bytes of mechanisms)
  trickle-features  stream features one byte every 50 ms, for ever
  scram-iterations  offers SCRAM-SHA-256 only and asks for 10^9 PBKDF2 iterations
  scram-garbage     offers SCRAM-SHA-256 only and challenges with non-base64 text
  nice              behaves (to check the harness itself)
  bosh-404          answers every HTTP request (a BOSH client's POST) with 404
  bosh-garbage      answers with 200 and a body that is not XML
  bosh-html         answers with 200 and an HTML page
  bosh-terminate    answers with a BOSH <body type='terminate' condition='host-unknown'/>

Usage: hostile_server.py MODE [--stanza-bytes N] [--flood-bytes N] [--delay-ms N]
                             [--lifetime-s N]
Prints "port N" on its first line, then one line per event:
  conn ID logged-in USER
  conn ID sent-misbehaviour T            (T: seconds since the epoch, float, taken
                                          just before the bad bytes go out)
  conn ID client-closed T SENT_BYTES     (the client ended the TCP connection)
  conn ID send-stopped T SENT_BYTES      (sending failed: the client is gone)
It stops after --lifetime-s (default 120), or on SIGTERM.
"""

import argparse
import base64
import re
import socket
import sys
import threading
import time

SASL = "urn:ietf:params:xml:ns:xmpp-sasl"
BIND = "urn:ietf:params:xml:ns:xmpp-bind"
MIB = 1 << 20

print_lock = threading.Lock()


def event(conn_id, *words):
    with print_lock:
        print("conn", conn_id, *words, flush=True)


class Closed(Exception):
    """The client went away."""


class Session:
    def __init__(self, sock, conn_id, args):
        self.sock = sock
        self.id = conn_id
        self.args = args
        self.buf = b""
        self.sent = 0
        self.closed_by_client = threading.Event()
        self.close_asked = threading.Event()

    # ---- reading what the client sends ------------------------------------

    def read_until(self, pattern):
        """Reads until `pattern` (a regex on bytes) matches; returns the match."""
        while True:
            m = re.search(pattern, self.buf, re.S)
            if m:
                self.last_head = self.buf[:m.end()]
                self.buf = self.buf[m.end():]
                return m
            data = self.sock.recv(65536)
            if not data:
                raise Closed()
            self.buf += data

    def drain_in_background(self):
        """After login: reads (and drops) what the client sends, notes when it
        closes its stream and when it goes away."""

        def run():
            pending = self.buf
            try:
                while True:
                    if b"</stream:stream>" in pending:
                        self.close_asked.set()
                        pending = b""
                    data = self.sock.recv(65536)
                    if not data:
                        break
                    pending = (pending + data)[-64:]
            except OSError:
                pass
            event(self.id, "client-closed", f"{time.time():.6f}", self.sent)
            self.closed_by_client.set()

        threading.Thread(target=run, daemon=True).start()

    # ---- sending ------------------------------------------------------------

    def send_raw(self, data):
        if isinstance(data, str):
            data = data.encode()
        self.sock.sendall(data)
        self.sent += len(data)

    def send_for_a_while(self, chunk, total):
        """Sends `chunk` again and again until `total` bytes went out or the
        client is gone. Like a real server it sends what it has queued for the
        client before it answers the client's stream close."""
        try:
            while self.sent < total and not self.closed_by_client.is_set():
                self.send_raw(chunk)
        except OSError:
            event(self.id, "send-stopped", f"{time.time():.6f}", self.sent)

    def header(self, features):
        self.send_raw(
            "<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
            "xmlns:stream='http://etherx.jabber.org/streams' id='hostile-%d' "
            "from='localhost' version='1.0' xml:lang='en'>%s" % (self.id, features))

    # ---- the login a real client accepts -----------------------------------

    def login(self):
        mode = self.args.mode
        self.read_until(rb"<stream:stream[^>]*>")
        if mode == "endless-features":
            self.header("<stream:features><mechanisms xmlns='%s'>" % SASL)
            self.misbehaving()
            self.send_for_a_while(b"<mechanism>PLAIN</mechanism>" * 1000, self.args.flood_bytes)
            return None
        if mode == "trickle-features":
            self.header("")
            self.misbehaving()
            features = b"<stream:features><mechanisms xmlns='%s'>" % SASL.encode()
            deadline = time.time() + self.args.lifetime_s
            while time.time() < deadline:
                for i in range(len(features)):
                    self.send_raw(features[i:i + 1])
                    time.sleep(0.05)
                features = b"<mechanism>PLAIN</mechanism>"
            return None
        scram = mode.startswith("scram-")
        mechanism = "SCRAM-SHA-256" if scram else "PLAIN"
        self.header("<stream:features><mechanisms xmlns='%s'><mechanism>%s</mechanism>"
                    "</mechanisms></stream:features>" % (SASL, mechanism))
        auth = self.read_until(rb"<auth[^>]*>([^<]*)</auth>")
        if mode == "silent-sasl":
            self.misbehaving()
            return None
        if scram:
            self.scram_challenge(auth.group(1))
            return None
        user = base64.b64decode(auth.group(1)).split(b"\0")[1].decode()
        self.send_raw("<success xmlns='%s'/>" % SASL)
        self.read_until(rb"<stream:stream[^>]*>")
        self.header("<stream:features><bind xmlns='%s'/></stream:features>" % BIND)
        bind = self.read_until(rb"<iq[^>]*id=['\"]([^'\"]+)['\"][^>]*>.*?</iq>")
        self.send_raw("<iq type='result' id='%s'><bind xmlns='%s'><jid>%s@localhost/amoc</jid>"
                      "</bind></iq>" % (bind.group(1).decode(), BIND, user))
        event(self.id, "logged-in", user)
        return user

    def scram_challenge(self, client_first_b64):
        client_first = base64.b64decode(client_first_b64).decode()
        nonce = re.search(r"r=([^,]+)", client_first).group(1)
        if self.args.mode == "scram-iterations":
            server_first = "r=%shostile,s=%s,i=1000000000" % (
                nonce, base64.b64encode(b"salt-salt-salt").decode())
            text = base64.b64encode(server_first.encode()).decode()
        else:
            text = "!!this is not base64!!"
        self.misbehaving()
        self.send_raw("<challenge xmlns='%s'>%s</challenge>" % (SASL, text))

    def misbehaving(self):
        event(self.id, "sent-misbehaviour", f"{time.time():.6f}")

    # ---- after login ----------------------------------------------------------

    def after_login(self, user):
        args = self.args
        mode = args.mode
        self.drain_in_background()
        time.sleep(args.delay_ms / 1000)
        to = "%s@localhost/amoc" % user
        if mode == "malformed":
            self.misbehaving()
            self.send_raw("<message from='peer@localhost/x' to='%s' type='chat' id='m1'>"
                          "<body>hi</message>" % to)
        elif mode == "flood":
            self.misbehaving()
            self.send_for_a_while(self.flood_chunk(to), args.flood_bytes)
        elif mode == "unclosed":
            self.send_raw("<message from='peer@localhost/x' to='%s' type='chat'><body>" % to)
            self.misbehaving()
            self.send_for_a_while(b"x" * 65536, args.flood_bytes)
        elif mode == "deep":
            self.send_raw("<message from='peer@localhost/x' to='%s' type='chat'>" % to)
            self.misbehaving()
            self.send_for_a_while(b"<a>" * 20000, args.flood_bytes)
        elif mode == "close-mid-stanza":
            self.misbehaving()
            self.send_raw("<message from='peer@localhost/x' to='%s' type='chat'><body>half" % to)
            self.sock.shutdown(socket.SHUT_RDWR)

    def flood_chunk(self, to):
        """About 1 MiB of chat stanzas of --stanza-bytes each."""
        head = "<message from='peer@localhost/x' to='%s' type='chat'><body>" % to
        tail = "</body></message>"
        body = "y" * max(1, self.args.stanza_bytes - len(head) - len(tail))
        stanza = (head + body + tail).encode()
        return stanza * max(1, MIB // len(stanza))

    def answer_close(self):
        """Closes the stream once the client closed its own (unless never-close)."""
        deadline = time.time() + self.args.lifetime_s
        while time.time() < deadline and not self.closed_by_client.is_set():
            if self.close_asked.wait(0.05):
                if self.args.mode != "never-close":
                    self.send_raw(b"</stream:stream>")
                    self.sock.shutdown(socket.SHUT_WR)
                break

    def serve_http(self):
        """The bosh-* modes: answers each HTTP request as the mode says."""
        answers = {
            "bosh-404": ("404 Not Found", "text/plain", "no BOSH here"),
            "bosh-garbage": ("200 OK", "text/xml", "this is not XML <<<"),
            "bosh-html": ("200 OK", "text/html", "<html><body>It works!</body></html>"),
            "bosh-terminate": ("200 OK", "text/xml",
                               "<body xmlns='http://jabber.org/protocol/httpbind' "
                               "type='terminate' condition='host-unknown'/>"),
        }
        status, kind, body = answers[self.args.mode]
        while True:
            self.read_until(rb"\r\n\r\n")
            length = re.search(rb"(?i)content-length:\s*(\d+)", self.last_head)
            need = int(length.group(1)) if length else 0
            while len(self.buf) < need:
                data = self.sock.recv(65536)
                if not data:
                    raise Closed()
                self.buf += data
            self.buf = self.buf[need:]
            self.misbehaving()
            self.send_raw("HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n%s"
                          % (status, kind, len(body), body))

    def serve(self):
        try:
            if self.args.mode.startswith("bosh-"):
                self.serve_http()
            user = self.login()
            if user is not None:
                self.after_login(user)
                self.answer_close()
            # Keep the connection until the client ends it (or the server stops).
            self.closed_by_client.wait(self.args.lifetime_s)
        except (Closed, OSError):
            event(self.id, "client-closed", f"{time.time():.6f}", self.sent)
        finally:
            self.sock.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode")
    parser.add_argument("--stanza-bytes", type=int, default=64 * 1024)
    parser.add_argument("--flood-bytes", type=int, default=100 * MIB)
    parser.add_argument("--delay-ms", type=int, default=200)
    parser.add_argument("--lifetime-s", type=float, default=120)
    args = parser.parse_args()
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(256)
    print("port", listener.getsockname()[1], flush=True)
    deadline = time.time() + args.lifetime_s
    listener.settimeout(0.5)
    conn_id = 0
    while time.time() < deadline:
        try:
            sock, _ = listener.accept()
        except socket.timeout:
            continue
        conn_id += 1
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        threading.Thread(target=Session(sock, conn_id, args).serve, daemon=True).start()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
