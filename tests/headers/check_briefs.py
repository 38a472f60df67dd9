#!/usr/bin/env python3
"""Every public header is documented for harness authors: it opens with a `///`
brief, and every namespace-level (unindented) class, struct, enum, alias and function has
a `///` brief (a run of declarations directly under one brief shares it).

    check_briefs.py SOURCE_DIR
"""
import re
import sys
from pathlib import Path

FOLDERS = ["libamoc/include/amoc", "libamoc/http/include/amoc", "libamoc/outputs/include/amoc",
           "libamoc/plugins/include/amoc", "libamoc/web/include/amoc", "actors/include/amoc",
           "xmpp/include/amoc", "apps/amoc/rest/include/amoc"]
DECLARATION = re.compile(
    r"^(?=\S)(?:(?:struct|class|enum class|enum)\s+\w+\s*[:{].*"
    r"|using\s+\w+\s*=.*"
    r"|(?:\[\[nodiscard\]\]\s+)?(?:inline\s+)?[\w:<>,*&\s]+?\s[\w]+\(.*)$")
# Lines between a brief and what it documents.
PREFIX = re.compile(r"^(template\s*<.*>|\[\[[^\]]*\]\])\s*$")


def problems(header: Path):
    lines = header.read_text().split("\n")
    content = [l for l in lines if l.strip() and not l.startswith("#pragma once")]
    if not content or not content[0].startswith("///"):
        yield f"{header}:1: no `///` brief at the top"
    documented = False
    for number, line in enumerate(lines, 1):
        if line.startswith("///"):
            documented = True
        elif PREFIX.match(line):
            continue
        elif DECLARATION.match(line) and not line.startswith(("return", "namespace", "}")):
            if not documented and "///<" not in line:
                yield f"{header}:{number}: no `///` brief: {line.strip()[:80]}"
            # A run of declarations right under one brief shares it.
            documented = documented and line.rstrip().endswith(";")
        else:
            documented = False


def main():
    root = Path(sys.argv[1])
    found = [p for folder in FOLDERS for h in sorted((root / folder).rglob("*.hpp"))
             for p in problems(h)]
    print("\n".join(found) if found else "every public header and name has a brief")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
