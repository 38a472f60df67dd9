#!/usr/bin/env python3
"""The floor client (bench_xmpp_floor) against real processes: hostile XMPP servers
(tests/xmpp/hostile/hostile_server.py) for its bounds and failures, and, when
AMOC_FLOOR_TEST_SERVER=1 (xmpp_floor_test.sh starts a lean ejabberd with users
1..20), the real server for its counts and the side-by-side script's last line.

    xmpp_floor_test.py FLOOR_BINARY [AMOC_BINARY]
"""
import os
import subprocess
import sys
import time
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent.parent
HOSTILE = SOURCE / "tests/xmpp/hostile/hostile_server.py"
FLOOR = AMOC = None


def floor(*args, timeout=60):
    started = time.monotonic()
    p = subprocess.run([FLOOR, *args], capture_output=True, text=True, timeout=timeout)
    fields = {}
    for line in p.stdout.splitlines():
        if line.startswith("xmpp_floor_client "):
            fields = {k: float(v) for k, v in (kv.split("=") for kv in line.split()[1:])}
    return p.returncode, fields, p.stderr, time.monotonic() - started


class hostile_server:
    def __init__(self, mode):
        self.p = subprocess.Popen([sys.executable, str(HOSTILE), mode, "--lifetime-s", "60"],
                                  stdout=subprocess.PIPE, text=True)
        self.port = self.p.stdout.readline().split()[1]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.p.terminate()
        self.p.wait(10)
        self.p.stdout.close()


class against_hostile_servers(unittest.TestCase):
    def run_against(self, mode, *args):
        with hostile_server(mode) as s:
            return floor("--users", "2", "--port", s.port, "--messages", "2",
                         "--step-timeout-ms", "1000", "--linger-ms", "500", *args)

    def test_bad_arguments_are_named(self):
        rc, _, err, _ = floor("--users", "0")
        self.assertEqual(rc, 2)
        self.assertIn("--users 0: not a number from 1 to", err)
        rc, _, err, _ = floor("--host", "localhost")
        self.assertEqual(rc, 2)
        self.assertIn("--host localhost is not an IPv4 address", err)

    def test_no_server_fails_every_login_at_once(self):
        with hostile_server("nice") as s:
            port = s.port  # free once the server is gone
        rc, f, err, took = floor("--users", "3", "--port", port)
        self.assertEqual((rc, f["login_failures"], f["logged_in"]), (1, 3, 0))
        self.assertIn("Connection refused", err)
        self.assertLess(took, 5)

    def test_a_silent_or_trickling_server_times_the_login_out(self):
        for mode in ("silent-sasl", "trickle-features"):
            rc, f, err, took = self.run_against(mode)
            self.assertEqual((rc, f["login_failures"]), (1, 2), mode)
            self.assertIn("login step timed out", err)
            self.assertLess(took, 4, mode)

    def test_endless_elements_are_cut_at_one_mib(self):
        for mode, failures in (("endless-features", "login_failures"),
                               ("unclosed", "other_failures"), ("deep", "other_failures")):
            rc, f, err, took = self.run_against(mode)
            self.assertEqual((rc, f[failures]), (1, 2), mode)
            self.assertIn("over 1 MiB received without a whole element", err)
            self.assertLess(took, 10, mode)

    def test_a_server_that_never_closes_the_stream_is_left_after_the_step_timeout(self):
        rc, f, err, took = self.run_against("never-close")
        self.assertEqual((rc, f["logged_in"], f["sent"], f["other_failures"]), (1, 2, 4, 2))
        self.assertIn("no </stream:stream> from the server in time", err)
        self.assertLess(took, 8)

    def test_a_connection_closed_mid_stanza_fails_the_user(self):
        rc, f, err, _ = self.run_against("close-mid-stanza")
        self.assertEqual((rc, f["other_failures"]), (1, 2))
        self.assertIn("connection closed", err)

    def test_a_flood_is_read_and_counted(self):
        rc, f, _, took = self.run_against("flood")
        self.assertEqual((rc, f["logged_in"], f["sent"]), (0, 2, 4))
        self.assertGreater(f["received"], 100)
        self.assertLess(took, 10)


@unittest.skipUnless(os.environ.get("AMOC_FLOOR_TEST_SERVER") == "1",
                     "needs the server xmpp_floor_test.sh starts")
class against_ejabberd(unittest.TestCase):
    def test_every_message_is_delivered_and_timed(self):
        rc, f, err, _ = floor("--users", "20", "--rate", "100", "--messages", "3")
        self.assertEqual(rc, 0, err)
        self.assertEqual((f["logged_in"], f["sent"], f["received"]), (20, 60, 60))
        self.assertGreater(f["ttd_p99_ms"], 0)
        self.assertGreater(f["login_p50_ms"], 0)

    def test_an_unknown_user_fails_sasl(self):
        rc, f, err, _ = floor("--users", "2", "--first-id", "900001", "--messages", "1")
        self.assertEqual((rc, f["login_failures"]), (1, 2))
        self.assertIn("SASL failure", err)

    @unittest.skipUnless(len(sys.argv) > 2, "needs the amoc binary")
    def test_side_by_side_prints_the_issue_line_last(self):
        script = SOURCE / "scripts/bench/xmpp-floor.d/side_by_side.py"
        p = subprocess.run([sys.executable, str(script), "--users", "4", "--rounds", "1",
                            "--chat-s", "2", "--linger-s", "1", "--pause-s", "0.5",
                            "--amoc", AMOC, "--floor", FLOOR],
                           capture_output=True, text=True, timeout=240)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        lines = p.stdout.splitlines()
        self.assertEqual(len([l for l in lines if l.startswith("round=1 ")]), 4)
        self.assertTrue(lines[0].startswith("load_average start="))
        last = lines[-1].split()
        keys = [kv.split("=")[0] for kv in last[1:9]]
        self.assertEqual(last[0], "xmpp_floor")
        self.assertEqual(keys, ["users", "amoc_cpu_s_per_1k", "floor_cpu_s_per_1k", "cpu_ratio",
                                "amoc_login_ms", "floor_login_ms", "login_ratio",
                                "amoc_rss_kb_per_user"])
        self.assertIn("delivered=8/8", last)
        self.assertIn("floor_delivered=8/8", last)
        self.assertRegex(lines[-1], r"cpu_ratio=[0-9.]+ ")


if __name__ == "__main__":
    FLOOR = sys.argv[1]
    AMOC = sys.argv[2] if len(sys.argv) > 2 else None
    unittest.main(argv=sys.argv[:1], verbosity=2)
