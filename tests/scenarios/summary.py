#!/usr/bin/env python3
"""Prints the figures of an `amoc run --out` result whose names start with one of
PREFIXES: counters' totals, histograms' count, p50, p99 and max (ms). For the logs of
the scenario tests: what was measured, beside what was checked.

    summary.py RESULT.json PREFIX...
"""
import json
import sys

metrics = json.load(open(sys.argv[1]))["metrics"]
prefixes = tuple(sys.argv[2:])
for name, counter in sorted(metrics["counters"].items()):
    if name.startswith(prefixes):
        print("  %-28s %d" % (name, counter["total"]))
for name, h in sorted(metrics["histograms"].items()):
    if name.startswith(prefixes) and h.get("count"):
        print("  %-28s n=%d p50=%.2fms p99=%.2fms max=%.2fms" % (name, h["count"], h["p50_ms"], h["p99_ms"], h["max_ms"]))
