#!/usr/bin/env python3
"""Check the translation catalogues under locale/ so that CI can refuse an incomplete one.

    python locale/check_translations.py [path/to/django.po ...]

Without arguments every locale/*/LC_MESSAGES/*.po next to this script is checked. Exits 1
(and lists the problems) when an entry

- is untranslated (an empty msgstr, or an empty msgstr[n] of a plural entry),
- is marked fuzzy (the header included: a fuzzy header drops the charset from the .mo),
- has a msgstr containing 黑名单 (SPEC section 5: the interface says 不良信息 and 公示),
- uses other %-placeholders than its msgid (e.g. %(n)d lost or misspelt),

or when the compiled .mo next to the .po is missing or does not hold the .po's translations
(run compilemessages again). Needs only the Python standard library, not GNU gettext.
"""

from __future__ import annotations

import ast
import gettext
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

FORBIDDEN_WORDS = ("黑名单",)
PLACEHOLDER_RE = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGco%]")
KEYWORD_RE = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")\s*$')


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    fields: dict[str, str] = field(default_factory=dict)
    obsolete: bool = False

    @property
    def msgid(self) -> str:
        return self.fields.get("msgid", "")

    @property
    def msgstrs(self) -> dict[str, str]:
        return {k: v for k, v in self.fields.items() if k.startswith("msgstr")}


def _unquote(literal: str) -> str:
    # PO strings use C escapes; for the escapes gettext writes they equal Python's.
    return ast.literal_eval(literal)


def parse_po(path: Path) -> list[Entry]:
    entries: list[Entry] = []
    entry: Entry | None = None
    key: str | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if not line:
            entry, key = None, None
            continue
        if line.startswith("#"):
            if entry is None or key is not None:
                entry, key = Entry(line=number), None
                entries.append(entry)
            if line.startswith("#,"):
                entry.flags.update(f.strip() for f in line[2:].split(","))
            continue
        match = KEYWORD_RE.match(line)
        if match:
            name, literal = match.groups()
            if entry is None or (name in ("msgid", "msgctxt") and "msgid" in entry.fields):
                entry = Entry(line=number)
                entries.append(entry)
            entry.obsolete = entry.obsolete or obsolete
            key = name
            entry.fields[key] = _unquote(literal)
        elif line.startswith('"') and entry is not None and key is not None:
            entry.fields[key] += _unquote(line)
        else:
            raise ValueError(f"{path}:{number}: cannot parse {raw!r}")
    return [e for e in entries if "msgid" in e.fields and not e.obsolete]


def _placeholders(text: str) -> list[str]:
    return sorted(p for p in PLACEHOLDER_RE.findall(text) if p != "%%")


def check_po(path: Path) -> tuple[int, list[str]]:
    problems: list[str] = []
    entries = parse_po(path)
    messages = [e for e in entries if e.msgid]
    for entry in entries:
        where = f"{path}:{entry.line}"
        label = f"msgid {entry.msgid!r}" if entry.msgid else "the header"
        if "fuzzy" in entry.flags:
            problems.append(f"{where}: {label} is fuzzy")
        strs = entry.msgstrs
        if not strs or any(not s for s in strs.values()):
            problems.append(f"{where}: {label} is untranslated")
        for text in strs.values():
            for word in FORBIDDEN_WORDS:
                if word in text:
                    problems.append(f"{where}: {label} uses the word {word}")
        if "python-format" in entry.flags:
            expected = _placeholders(entry.fields.get("msgid_plural", entry.msgid))
            for name, text in strs.items():
                if text and _placeholders(text) != expected:
                    problems.append(
                        f"{where}: {label}: {name} has placeholders {_placeholders(text)}, "
                        f"expected {expected}"
                    )
    problems += _check_mo(path, messages)
    return len(messages), problems


def _check_mo(po_path: Path, messages: list[Entry]) -> list[str]:
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists():
        return [f"{mo_path}: missing; run compilemessages"]
    with mo_path.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    stale = 0
    for entry in messages:
        msgid = entry.msgid
        if "msgctxt" in entry.fields:
            msgid = f"{entry.fields['msgctxt']}\x04{msgid}"
        if "msgid_plural" in entry.fields:
            wanted = {(msgid, int(k[7:-1])): v for k, v in entry.msgstrs.items()}
        else:
            wanted = {msgid: entry.fields.get("msgstr", "")}
        if any(catalog.get(k) != v for k, v in wanted.items()):
            stale += 1
    if stale:
        return [f"{mo_path}: {stale} translation(s) differ from the .po; run compilemessages"]
    return []


def main(argv: list[str]) -> int:
    here = Path(__file__).resolve().parent
    paths = [Path(a) for a in argv] or sorted(here.glob("*/LC_MESSAGES/*.po"))
    if not paths:
        print(f"No .po files found under {here}", file=sys.stderr)
        return 1
    failed = False
    for path in paths:
        try:
            count, problems = check_po(path)
        except (OSError, ValueError, SyntaxError) as error:
            print(f"{path}: {error}", file=sys.stderr)
            failed = True
            continue
        for problem in problems:
            print(problem, file=sys.stderr)
        failed = failed or bool(problems)
        status = "FAILED" if problems else "ok"
        print(f"{path}: {count} messages, {len(problems)} problem(s): {status}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
