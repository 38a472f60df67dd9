#!/usr/bin/env python3
"""The two runs of scripts/bench/xmpp-muc, measured from outside: see that script.

  measure.py AMOC USERS ROOM_SIZE TALK_S
"""
import json
import os
import pathlib
import signal
import sys
import tempfile
import time

amoc, users, size, talk_s = sys.argv[1], *map(int, sys.argv[2:5])
INTERARRIVAL_MS = 5
LINGER_S = 5


def run_file(path, count, prefix):
    run = {
        "scenario": "xmpp_muc",
        "users": [1, users],
        "settings": {
            "interarrival": f"{INTERARRIVAL_MS}ms", "repeat_num": 1,
            "muc_room_size": size, "muc_fill_timeout": "30s",
            "muc_message_interval": "1s", "muc_message_count": count,
            "muc_linger": f"{LINGER_S}s", "muc_room_prefix": prefix,
            "xmpp_host": "127.0.0.1", "xmpp_port": 5222, "xmpp_domain": "localhost",
            "xmpp_starttls": "off", "xmpp_sasl_mechanisms": ["PLAIN"],
        },
        # Every user ends by itself well before; the bound is for a stuck server.
        "duration": f"{users * INTERARRIVAL_MS // 1000 + talk_s + LINGER_S + 60}s",
        "graceful_stop_timeout": "10s",
        "thresholds": {"xmpp.login_failures": ["count == 0"],
                       "xmpp.muc.join_failures": ["count == 0"],
                       "users.ended.scenario_error": ["count == 0"],
                       "xmpp.muc.messages_received": [
                           f"count == {users * count * (size - 1)}"]},
    }
    path.write_text(json.dumps(run, indent=2))


def server_cpu_s():
    """user+sys CPU of the running XMPP server (scripts/xmpp-server's state file), or None."""
    state = pathlib.Path(os.environ.get("TMPDIR", "/tmp")) / "amoc-xmpp.state"
    try:
        pid = dict(l.split("=", 1) for l in state.read_text().split())["pid"]
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except (OSError, KeyError, ValueError):
        return None
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def measure(work, name, count):
    """Runs amoc, waits for it with wait4 (bounded), returns its rusage and result."""
    run, result = work / f"{name}.json", work / f"{name}-result.json"
    run_file(run, count, f"bench{os.getpid()}{name}_")
    out = open(work / f"{name}.out", "w")
    server_before = server_cpu_s()
    started = time.monotonic()
    pid = os.posix_spawn(amoc, [amoc, "run", str(run), "--out", str(result)], dict(os.environ),
                         file_actions=[(os.POSIX_SPAWN_DUP2, out.fileno(), 1),
                                       (os.POSIX_SPAWN_DUP2, out.fileno(), 2)])
    limit = started + users * INTERARRIVAL_MS / 1000 + talk_s + LINGER_S + 120
    while True:
        got, status, usage = os.wait4(pid, os.WNOHANG)
        if got == pid:
            break
        if time.monotonic() > limit:
            os.kill(pid, signal.SIGKILL)
        time.sleep(0.05)
    wall = time.monotonic() - started
    server_after = server_cpu_s()
    code = os.waitstatus_to_exitcode(status)
    metrics = json.loads(result.read_text())["metrics"] if result.exists() else {}
    counters = {k: v["total"] for k, v in metrics.get("counters", {}).items()}
    hist = metrics.get("histograms", {})
    cpu = usage.ru_utime + usage.ru_stime
    line = {"run": name, "exit": code, "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
            "user_s": round(usage.ru_utime, 2), "sys_s": round(usage.ru_stime, 2),
            "maxrss_kb": usage.ru_maxrss,
            "server_cpu_s": round(server_after - server_before, 2)
            if server_before is not None and server_after is not None else None,
            "sent": counters.get("xmpp.muc.messages_sent", 0),
            "delivered": counters.get("xmpp.muc.messages_received", 0),
            "stanzas_received": counters.get("xmpp.stanzas_received", 0),
            "rooms_created": counters.get("xmpp.muc.rooms_created", 0),
            "join_p99_ms": hist.get("xmpp.muc.join", {}).get("p99_ms"),
            "ttd_p50_ms": hist.get("xmpp.muc.ttd", {}).get("p50_ms"),
            "ttd_p99_ms": hist.get("xmpp.muc.ttd", {}).get("p99_ms")}
    print(" ".join(f"{k}={v}" for k, v in line.items()), flush=True)
    if code != 0:
        print(f"xmpp-muc: {name}: amoc exited {code}; its output:\n"
              + (work / f"{name}.out").read_text()[-3000:], file=sys.stderr)
    return line


def load():
    return open("/proc/loadavg").read().split()[0]


load_start = load()
print(f"load average at start: {open('/proc/loadavg').read().strip()}", flush=True)
with tempfile.TemporaryDirectory(prefix="amoc-xmpp-muc.") as tmp:
    work = pathlib.Path(tmp)
    talk = measure(work, "talk", talk_s)
    idle = measure(work, "idle", 0)
expected = users * talk_s * (size - 1)
delivered = talk["delivered"]
per_1k = talk["cpu_s"] / delivered * 1000 if delivered else float("nan")
talk_per_1k = (talk["cpu_s"] - idle["cpu_s"]) / delivered * 1000 if delivered else float("nan")
print(f"xmpp_muc users={users} room_size={size} talk_s={talk_s} delivered={delivered}/{expected}"
      f" delivered_per_s={delivered / talk_s:.0f} cpu_s={talk['cpu_s']}"
      f" cpu_s_per_1k_delivered={per_1k:.4f} talk_cpu_s_per_1k_delivered={talk_per_1k:.4f}"
      f" idle_run_cpu_s={idle['cpu_s']} server_cpu_s={talk['server_cpu_s']} ttd_p50_ms={talk['ttd_p50_ms']}"
      f" ttd_p99_ms={talk['ttd_p99_ms']} join_p99_ms={talk['join_p99_ms']}"
      f" load_start={load_start} load_end={load()}")
sys.exit(0 if talk["exit"] == 0 and idle["exit"] == 0 else 1)
