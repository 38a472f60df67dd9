#!/usr/bin/env python3
"""`amoc run` (the real binary, the xmpp_one_to_one scenario) against the hostile
XMPP server on 127.0.0.1: the summary, the result file, the exit code, how long
the run took and the peak RSS of the amoc process (from the kernel, wait4).

Usage: amoc_run_test.py AMOC_BIN [--no-rss-bound]
(--no-rss-bound: for sanitizer builds, whose RSS says nothing about the client)
Cases:
  malformed  4 users log in; 200 ms later the server sends a stanza with a
             mismatched end tag to each. Each user is waiting for messages: it
             must fail at once in phase `stream` (the wait would last 2 s), the
             summary must count xmpp.failures.stream = 4 and the threshold on it
             must make the run exit 99.
  flood      30 users log in, send one message each and close their stream;
             the server first sends each 100 MB of 64 KB chat stanzas (as a real
             server sends what it has queued before it closes). The users read
             nothing after their first message: each must fail in phase `receive`
             once 1 MiB is unread, and amoc's peak RSS must stay bounded.
Prints one line per case with its figures; exits 1 if a check fails.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER = os.path.join(HERE, "hostile_server.py")
failures = 0


def check(ok, what, output=""):
    global failures
    if not ok:
        failures += 1
        print("FAIL", what)
        if output:
            print(output[-3000:])


class Server:
    def __init__(self, mode, *args):
        self.proc = subprocess.Popen([sys.executable, SERVER, mode, *args],
                                     stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        assert line.startswith("port "), line
        self.port = int(line.split()[1])

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


def run_amoc(amoc, workdir, run_file, timeout_s=60):
    """Runs `amoc run`; returns (exit code, output, wall seconds, peak RSS in MiB)."""
    path = os.path.join(workdir, "run.json")
    with open(path, "w") as f:
        json.dump(run_file, f)
    out_path = os.path.join(workdir, "result.json")
    started = time.monotonic()
    with open(os.path.join(workdir, "output.txt"), "w+") as output:
        proc = subprocess.Popen([amoc, "run", path, "--out", out_path], stdout=output,
                                stderr=subprocess.STDOUT, cwd=workdir)
        deadline = started + timeout_s
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
        wall = time.monotonic() - started
        output.seek(0)
        text = output.read()
    code = os.waitstatus_to_exitcode(status)
    result = None
    if os.path.exists(out_path):
        with open(out_path) as f:
            result = json.load(f)
    return code, text, wall, usage.ru_maxrss / 1024, result


def settings(port, **more):
    base = {"interarrival": 0, "xmpp_port": port, "xmpp_starttls": "off",
            "xmpp_sasl_mechanisms": ["PLAIN"]}
    base.update(more)
    return base


def counter(result, name):
    return ((result or {}).get("metrics", {}).get("counters", {}).get(name) or {}).get("total", 0)


def malformed(amoc, workdir):
    server = Server("malformed")
    try:
        code, out, wall, rss, result = run_amoc(amoc, workdir, {
            "scenario": "xmpp_one_to_one", "users": [1, 4],
            "settings": settings(server.port, message_count=1, message_interval="2s",
                                 linger="0s"),
            "thresholds": {"xmpp.failures.stream": ["count == 0"]}})
    finally:
        server.stop()
    check(code == 99, "malformed: exit code %d, want 99 (threshold crossed)" % code, out)
    check(re.search(r"users ended:.*scenario_error 4", out), "malformed: 4 users in error", out)
    check(re.search(r"xmpp\.failures\.stream +4", out), "malformed: summary counts 4", out)
    check("the end tag </message> does not match <body>" in out, "malformed: the reason", out)
    check(counter(result, "xmpp.failures.stream") == 4, "malformed: result.json counts 4")
    # Login and the 200 ms before the bad stanza, then at once: not the 2 s wait.
    check(wall < 1.8, "malformed: the run took %.2f s" % wall, out)
    print("amoc run, malformed XML after login, 4 users: exit %d, wall %.2f s, peak RSS %.0f MiB"
          % (code, wall, rss))


def flood(amoc, workdir):
    server = Server("flood")
    try:
        code, out, wall, rss, result = run_amoc(amoc, workdir, {
            "scenario": "xmpp_one_to_one", "users": [1, 30],
            "settings": settings(server.port, message_count=1, message_interval="100ms",
                                 linger="0s"),
            "thresholds": {"xmpp.failures.receive": ["count == 0"]}})
    finally:
        server.stop()
    check(code == 99, "flood: exit code %d, want 99 (threshold crossed)" % code, out)
    check(re.search(r"users ended:.*scenario_error 30", out), "flood: 30 users in error", out)
    check(counter(result, "xmpp.failures.receive") == 30, "flood: result.json counts 30", out)
    check("unread-overflow" in out, "flood: the reason", out)
    check(rss < 200 or "--no-rss-bound" in sys.argv, "flood: peak RSS %.0f MiB" % rss, out)
    print("amoc run, 30 users flooded with 100 MB each: exit %d, wall %.2f s, peak RSS %.0f MiB"
          % (code, wall, rss))


def main():
    amoc = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as workdir:
        malformed(amoc, workdir)
        flood(amoc, workdir)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
