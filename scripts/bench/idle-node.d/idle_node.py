#!/usr/bin/env python3
"""A node holding USERS connected XMPP users with nothing due (issue 19): `amoc run`
of xmpp_one_to_one with one message after a long message_interval, so every user is
logged in and waits on a receive timeout far away. Once all are connected, the worker process's
CPU (utime+stime of every thread) and its threads' context switches (voluntary +
involuntary: each is a wakeup) are read twice, WINDOW seconds apart.
Last line:
  idle_node users=N connected=N cpu_pct=X wakeups_per_s=Y threads=name:rate,...
"""
import argparse
import collections
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "xmpp-floor.d"))
from side_by_side import children, connections_to, load_average, socket_inodes  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def switches_by_thread(pid):
    """{thread name: context switches} over the process's threads."""
    counts = collections.Counter()
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            name = (task / "comm").read_text().strip()
            for line in (task / "status").read_text().splitlines():
                if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                    counts[name] += int(line.split()[1])
        except OSError:
            continue
    return counts


def run_file(users, port, linger_s, path):
    path.write_text(json.dumps({
        "scenario": "xmpp_one_to_one",
        "users": [1, users],
        "settings": {
            "interarrival": "2ms", "repeat_num": 1, "message_count": 1,
            "message_interval": f"{linger_s}s", "linger": "1s", "xmpp_host": "127.0.0.1", "xmpp_port": port,
            "xmpp_domain": "localhost", "xmpp_starttls": "off",
            "xmpp_sasl_mechanisms": ["PLAIN"],
        },
        "duration": f"{linger_s + 60}s", "graceful_stop_timeout": "10s",
    }))


def await_connected(pid, port, users, limit_s):
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        kids = children(pid)
        if kids and connections_to(port, socket_inodes(kids[0])) >= users:
            return kids[0]
        time.sleep(0.5)
    return None


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--users", type=int, default=5000)
    p.add_argument("--window-s", type=float, default=10.0)
    p.add_argument("--port", type=int, default=5222)
    p.add_argument("--amoc", default="build/bin/amoc")
    a = p.parse_args()
    connect_limit = a.users * 0.002 + 60
    linger = int(connect_limit + a.window_s + 30)
    with tempfile.TemporaryDirectory() as work:
        rf = Path(work) / "idle.json"
        run_file(a.users, a.port, linger, rf)
        log = open(Path(work) / "amoc.log", "w")
        proc = subprocess.Popen([a.amoc, "run", str(rf)], stdout=log, stderr=subprocess.STDOUT)
        try:
            worker = await_connected(proc.pid, a.port, a.users, connect_limit)
            if not worker:
                print("idle-node: not every user connected in time", file=sys.stderr)
                print((Path(work) / "amoc.log").read_text()[-2000:], file=sys.stderr)
                return 1
            time.sleep(2)  # the last logins' replies and presences settle
            cpu0, sw0, t0 = cpu_seconds(worker), switches_by_thread(worker), time.monotonic()
            time.sleep(a.window_s)
            cpu1, sw1, t1 = cpu_seconds(worker), switches_by_thread(worker), time.monotonic()
            connected = connections_to(a.port, socket_inodes(worker))
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                proc.kill()
    span = t1 - t0
    rates = {name: (sw1[name] - sw0.get(name, 0)) / span for name in sw1}
    busiest = sorted(rates.items(), key=lambda kv: -kv[1])[:6]
    print(f"load average {load_average()}")
    print(f"idle_node users={a.users} connected={connected} "
          f"cpu_pct={100 * (cpu1 - cpu0) / span:.2f} "
          f"wakeups_per_s={sum(rates.values()):.0f} "
          f"threads={','.join(f'{n}:{r:.0f}' for n, r in busiest)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
