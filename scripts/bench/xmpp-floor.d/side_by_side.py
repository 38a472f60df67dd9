#!/usr/bin/env python3
"""amoc's `amoc run` of xmpp_one_to_one and the floor client (tests/bench/xmpp_floor.cpp),
side by side against one XMPP server, measured from outside the process
(scripts/bench/xmpp-floor starts the server and calls this).

Each round runs, one after the other: amoc chatting, the floor chatting, amoc
logging in only, the floor logging in only. Per run:
  cpu_s        user+sys CPU of the whole process tree (wait4 rusage: amoc's crash
               guard and the worker it waits for), from start to exit
  hwm_kb       VmHWM (peak RSS) of the process holding the sockets, last seen
               (wait4's ru_maxrss would count the Python that spawned it)
  rss_kb_per_user  (VmRSS at the middle of the chat window - VmRSS right before the
               process's first connection to the server) / its connections then;
               /proc/PID/status of the process that holds the sockets, polled every
               1 ms until its first socket to the server port appears (the floor
               client idles 300 ms first, so that its baseline is after its start-up);
               connections already open at the baseline poll are subtracted
  anon_kb_per_user  the same for RssAnon (no code pages first touched after the baseline)
  messages     amoc: the --out result's counters; the floor: its result line
The last line holds the medians over rounds (see the usage in xmpp-floor).
"""
import argparse
import json
import os
import signal
import statistics
import sys
import threading
import time
from pathlib import Path


def load_average():
    return "/".join(Path("/proc/loadavg").read_text().split()[:3])


def status_kb(pid, field):
    """A /proc/PID/status memory field (VmRSS, VmHWM) in KB; None once the process is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def children(pid):
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def socket_inodes(pid):
    inodes = set()
    try:
        for fd in os.scandir(f"/proc/{pid}/fd"):
            try:
                target = os.readlink(fd.path)
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    except OSError:
        pass
    return inodes


def connections_to(port, inodes):
    """How many of these sockets are TCP connections to `port` (any state)."""
    if not inodes:
        return 0
    wanted = f"{port:04X}"
    n = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            f = line.split()
            if f[2].rsplit(":", 1)[1] == wanted and f[9] in inodes:
                n += 1
    return n


class rss_sampler(threading.Thread):
    """VmRSS right before the first connection to the server and `mid_s` after it, and
    the last VmHWM seen (polled every 0.2 s) of the process holding the sockets."""

    def __init__(self, pid, port, mid_s, guarded):
        super().__init__(daemon=True)
        self.pid, self.port, self.mid_s, self.guarded = pid, port, mid_s, guarded
        self.base_kb = self.mid_kb = self.connected = self.hwm_kb = None
        self.base_anon_kb = self.mid_anon_kb = self.base_connected = None
        self.done = threading.Event()

    def holder(self):
        """amoc's worker (the crash guard's child, once forked), or the process itself
        (the floor client, or amoc with AMOC_GUARD=0)."""
        if not self.guarded:
            return self.pid
        kids = children(self.pid)
        return kids[0] if kids else None

    def first_connection(self):
        """Once the holder has a socket to the server: its pid, and its (VmRSS, RssAnon,
        connections) at the poll before, or at this poll if it connected before the first."""
        last, last_pid, seen = None, None, set()
        while not self.done.is_set():
            pid = self.holder()
            if pid:
                inodes = socket_inodes(pid)
                new = inodes - seen
                if new and connections_to(self.port, new):
                    if last_pid == pid:
                        return pid, last
                    return pid, (status_kb(pid, "VmRSS"), status_kb(pid, "RssAnon"),
                                 connections_to(self.port, inodes))
                seen |= inodes
                last, last_pid = (status_kb(pid, "VmRSS"), status_kb(pid, "RssAnon"), 0), pid
            time.sleep(0.001)
        return None, (None, None, None)

    def run(self):
        pid, (self.base_kb, self.base_anon_kb, self.base_connected) = self.first_connection()
        if not pid:
            return
        mid_at = time.monotonic() + self.mid_s
        while True:
            self.hwm_kb = status_kb(pid, "VmHWM") or self.hwm_kb
            if self.mid_kb is None and time.monotonic() >= mid_at:
                self.mid_kb = status_kb(pid, "VmRSS")
                self.mid_anon_kb = status_kb(pid, "RssAnon")
                self.connected = connections_to(self.port, socket_inodes(pid))
            wait = 0.2 if self.mid_kb is not None else min(0.2, max(0.0, mid_at - time.monotonic()))
            if self.done.wait(wait):
                return


def spawn(argv, out_path, err_path, env):
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, str(out_path), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
        (os.POSIX_SPAWN_OPEN, 2, str(err_path), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
    ]
    return os.posix_spawn(argv[0], argv, env, file_actions=actions)


def wait_bounded(pid, limit_s):
    """wait4 with a bound: SIGTERM at the limit, SIGKILL 15 s later."""
    deadline = time.monotonic() + limit_s
    killed = 0
    while True:
        got, status, usage = os.wait4(pid, os.WNOHANG)
        if got == pid:
            return status, usage, killed
        if time.monotonic() > deadline and killed < 2:
            os.kill(pid, signal.SIGTERM if not killed else signal.SIGKILL)
            killed += 1
            deadline = time.monotonic() + 15
        time.sleep(0.05)


def measure(argv, workdir, name, port, mid_s, limit_s, guarded):
    out, err = workdir / f"{name}.out", workdir / f"{name}.err"
    started = time.monotonic()
    pid = spawn(argv, out, err, dict(os.environ))
    sampler = rss_sampler(pid, port, mid_s, guarded)
    sampler.start()
    status, usage, killed = wait_bounded(pid, limit_s)
    sampler.done.set()
    sampler.join()
    run = {
        "wall_s": time.monotonic() - started,
        "user_s": usage.ru_utime,
        "sys_s": usage.ru_stime,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "hwm_kb": sampler.hwm_kb,
        "exit": os.waitstatus_to_exitcode(status),
        "killed": killed,
        "rss_base_kb": sampler.base_kb,
        "rss_mid_kb": sampler.mid_kb,
        "connected_base": sampler.base_connected,
        "connected_mid": sampler.connected,
    }
    users = (sampler.connected or 0) - (sampler.base_connected or 0)
    if sampler.base_kb and sampler.mid_kb and users > 0:
        run["rss_kb_per_user"] = (sampler.mid_kb - sampler.base_kb) / users
        # The anonymous part alone: without code and data pages of files first touched
        # after the baseline (the XMPP path's code), which are no per-user cost.
        if sampler.base_anon_kb is not None and sampler.mid_anon_kb is not None:
            run["anon_kb_per_user"] = (sampler.mid_anon_kb - sampler.base_anon_kb) / users
    return run, out, err


def amoc_run_file(a, messages, path):
    interarrival_us = round(1e6 / a.rate) if a.rate > 0 else 0
    # Long enough for every user to end by itself; the run ends when they have.
    duration_s = a.users / a.rate if a.rate > 0 else 0
    duration_s += messages * 1.0 + a.linger_s + 60
    run = {
        "scenario": "xmpp_one_to_one",
        "users": [1, a.users],
        "settings": {
            "interarrival": f"{interarrival_us}us",
            "repeat_num": 1,
            "message_interval": "1s",
            "message_count": messages,
            "linger": f"{round(a.linger_s * 1000)}ms",
            "xmpp_host": "127.0.0.1",
            "xmpp_port": a.port,
            "xmpp_domain": "localhost",
            "xmpp_starttls": "off",
            "xmpp_sasl_mechanisms": ["PLAIN"],
            "node_threads": a.threads,
        },
        "duration": f"{int(duration_s)}s",
        "graceful_stop_timeout": "10s",
        # A failed user makes the run exit 99 (a run without thresholds exits 0).
        "thresholds": {"xmpp.login_failures": ["count == 0"],
                       "users.ended.scenario_error": ["count == 0"]},
    }
    path.write_text(json.dumps(run, indent=2))


def run_amoc(a, workdir, kind, messages, mid_s, limit_s):
    run_file, result = workdir / f"amoc-{kind}.json", workdir / f"amoc-{kind}-result.json"
    amoc_run_file(a, messages, run_file)
    result.unlink(missing_ok=True)
    argv = [a.amoc, "run", str(run_file), "--out", str(result)]
    guarded = os.environ.get("AMOC_GUARD") != "0"
    run, _, err = measure(argv, workdir, f"amoc-{kind}", a.port, mid_s, limit_s, guarded)
    try:
        m = json.loads(result.read_text())["metrics"]
    except (OSError, ValueError, KeyError) as e:
        sys.exit(f"xmpp-floor: amoc wrote no result ({e}); its stderr: {err}")
    counters = {k: v["total"] for k, v in m["counters"].items()}
    ttd = m["histograms"].get("xmpp.ttd", {})
    run.update(sent=counters.get("xmpp.messages_sent", 0),
               received=counters.get("xmpp.messages_received", 0),
               logins=counters.get("xmpp.logins", 0),
               login_failures=counters.get("xmpp.login_failures", 0),
               ttd_p50_ms=ttd.get("p50_ms"), ttd_p99_ms=ttd.get("p99_ms"))
    return run


def run_floor(a, workdir, kind, messages, mid_s, limit_s):
    argv = [a.floor, "--users", str(a.users), "--rate", str(a.rate), "--messages", str(messages),
            "--interval-ms", "1000", "--linger-ms", str(int(a.linger_s * 1000)),
            "--port", str(a.port), "--start-delay-ms", "300"]
    run, out, err = measure(argv, workdir, f"floor-{kind}", a.port, mid_s, limit_s, guarded=False)
    lines = out.read_text().splitlines()
    line = next((l for l in lines if l.startswith("xmpp_floor_client ")), None)
    if not line:
        sys.exit(f"xmpp-floor: the floor client printed no result; its stderr: {err}")
    f = dict(kv.split("=", 1) for kv in line.split()[1:])
    run.update(sent=int(f["sent"]), received=int(f["received"]), logins=int(f["logged_in"]),
               login_failures=int(f["login_failures"]),
               other_failures=int(f["other_failures"]), ttd_p50_ms=float(f["ttd_p50_ms"]),
               ttd_p99_ms=float(f["ttd_p99_ms"]))
    return run


def show(round_no, side, kind, r):
    fields = ["wall_s", "cpu_s", "user_s", "sys_s", "hwm_kb", "rss_base_kb", "rss_mid_kb",
              "connected_base", "connected_mid", "rss_kb_per_user", "anon_kb_per_user", "logins",
              "login_failures", "other_failures", "sent", "received",
              "ttd_p50_ms", "ttd_p99_ms", "cpu_s_per_1k", "cpu_ms_per_login", "exit", "killed"]
    text = " ".join(f"{k}={fmt(r[k])}" for k in fields if k in r)
    print(f"round={round_no} side={side} kind={kind} {text}", flush=True)


def fmt(v):
    if v is None:
        return "-"
    return f"{v:.4g}" if isinstance(v, float) else str(v)


def median(runs, key):
    values = [r[key] for r in runs if r.get(key) is not None]
    return statistics.median(values) if values else None


def ratio(x, y):
    return x / y if x is not None and y else None


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--users", type=int, default=1000)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--rate", type=float, default=250.0, help="arrivals per second (0: at once)")
    p.add_argument("--chat-s", type=int, default=60, help="messages per user, one a second")
    p.add_argument("--linger-s", type=float, default=5.0)
    p.add_argument("--pause-s", type=float, default=3.0, help="quiet time between runs")
    p.add_argument("--port", type=int, default=5222)
    p.add_argument("--threads", type=int, default=0,
                   help="amoc's node_threads (0: one per core; the floor has one)")
    p.add_argument("--amoc", default="build/bin/amoc")
    p.add_argument("--floor", default="build/bin/bench_xmpp_floor")
    p.add_argument("--workdir", default=None)
    a = p.parse_args()
    if a.users < 2 or a.rounds < 1 or a.chat_s < 1 or a.rate < 0 or a.threads < 0:
        sys.exit("xmpp-floor: needs users >= 2, rounds >= 1, chat_s >= 1, rate >= 0, threads >= 0")
    workdir = Path(a.workdir or f"/tmp/amoc-xmpp-floor-{os.getpid()}")
    workdir.mkdir(parents=True, exist_ok=True)
    arrival_s = a.users / a.rate if a.rate > 0 else 0
    if arrival_s >= a.chat_s:
        print(f"xmpp-floor: warning: arrivals take {arrival_s:.0f} s, not under the chat's "
              f"{a.chat_s} s: no moment has every user connected", file=sys.stderr)
    # Every user is connected from the last arrival to the first user's end.
    mid_s = (arrival_s + a.chat_s) / 2
    limits = {"chat": arrival_s + a.chat_s + a.linger_s + 90, "login": arrival_s + 90}
    expected = (a.users - a.users % 2) * a.chat_s
    load_start = load_average()
    print(f"load_average start={load_start} users={a.users} rounds={a.rounds} rate={a.rate:g} "
          f"chat_s={a.chat_s} workdir={workdir}", flush=True)
    runs = {(s, k): [] for s in ("amoc", "floor") for k in ("chat", "login")}
    runners = {"amoc": run_amoc, "floor": run_floor}
    for n in range(1, a.rounds + 1):
        for kind, messages in (("chat", a.chat_s), ("login", 0)):
            for side in ("amoc", "floor"):
                r = runners[side](a, workdir, kind, messages, mid_s if kind == "chat" else 1e9,
                                  limits[kind])
                if kind == "chat" and r["received"]:
                    r["cpu_s_per_1k"] = r["cpu_s"] / (r["received"] / 1000)
                if kind == "login" and r["logins"]:
                    r["cpu_ms_per_login"] = r["cpu_s"] * 1000 / r["logins"]
                show(n, side, kind, r)
                runs[(side, kind)].append(r)
                time.sleep(a.pause_s)
    m = {(s, k, key): median(runs[(s, k)], key) for (s, k) in runs
         for key in ("cpu_s_per_1k", "cpu_ms_per_login", "rss_kb_per_user", "anon_kb_per_user",
                     "ttd_p99_ms")}
    # Delivered: the worst round (a median of two rounds is a mean, and hides a loss).
    delivered = {side: min((r["received"] for r in runs[(side, "chat")]), default=None)
                 for side in ("amoc", "floor")}
    print(f"load_average end={load_average()}", flush=True)
    fields = [
        ("users", a.users),
        ("amoc_cpu_s_per_1k", m["amoc", "chat", "cpu_s_per_1k"]),
        ("floor_cpu_s_per_1k", m["floor", "chat", "cpu_s_per_1k"]),
        ("cpu_ratio", ratio(m["amoc", "chat", "cpu_s_per_1k"], m["floor", "chat", "cpu_s_per_1k"])),
        ("amoc_login_ms", m["amoc", "login", "cpu_ms_per_login"]),
        ("floor_login_ms", m["floor", "login", "cpu_ms_per_login"]),
        ("login_ratio",
         ratio(m["amoc", "login", "cpu_ms_per_login"], m["floor", "login", "cpu_ms_per_login"])),
        ("amoc_rss_kb_per_user", m["amoc", "chat", "rss_kb_per_user"]),
        ("delivered", f"{fmt(delivered['amoc'])}/{expected}"),
        ("floor_rss_kb_per_user", m["floor", "chat", "rss_kb_per_user"]),
        ("floor_delivered", f"{fmt(delivered['floor'])}/{expected}"),
        ("amoc_anon_kb_per_user", m["amoc", "chat", "anon_kb_per_user"]),
        ("floor_anon_kb_per_user", m["floor", "chat", "anon_kb_per_user"]),
        ("amoc_ttd_p99_ms", m["amoc", "chat", "ttd_p99_ms"]),
        ("floor_ttd_p99_ms", m["floor", "chat", "ttd_p99_ms"]),
        ("rounds", a.rounds), ("amoc_threads", a.threads or "per-core"), ("rate", f"{a.rate:g}"),
        ("chat_s", a.chat_s),
        ("load_start", load_start), ("load_end", load_average()),
    ]
    print("xmpp_floor " + " ".join(f"{k}={fmt(v)}" for k, v in fields), flush=True)
    failed = any(r["login_failures"] or r["exit"] != 0 for rs in runs.values() for r in rs)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
