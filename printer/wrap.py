"""Line wrapping for Chinese slips: whole characters only, no punctuation starting a line.

One algorithm serves both output modes; only the measure differs (pixels of the
SC font in raster mode, columns of the printer's font in text mode). Text is cut
into unbreakable units (a CJK character or a Latin word, with any opening
punctuation glued in front and closing punctuation glued behind, so "（预计" and
"日）。" travel together). Units are packed greedily; a unit wider than the line
(a long URL, a 200-character name with no breaks) is split at URL-friendly
points or, as a last resort, between characters — never inside one.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# May not start a line (closing brackets, stops, commas, iteration marks, …).
NO_START = set("，。、；：？！）》」』】〕〉〗”’…—·％‰℃,.;:!?)]}%>、〞々ー～」")
# May not end a line (opening brackets, quotes, currency in front of a number).
NO_END = set("（《「『【〔〈〖“‘([{<¥￥$＄")
# Where a long Latin run (URL, code) may be split: after these characters.
SOFT_BREAK_AFTER = set("/.-?&=_#:,;")

_WORD = re.compile(r"[A-Za-z0-9@%+*~'\"\\^|`/.\-?&=_#:;,!]+")

Measure = Callable[[str], float]


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def _units(text: str) -> list[str]:
    """Cut a paragraph into unbreakable units; spaces become their own units."""
    raw: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == " ":
            raw.append(" ")
            i += 1
            continue
        m = _WORD.match(text, i)
        if m and m.end() > i:
            # ASCII punctuation at the word's end belongs with the word anyway.
            raw.append(m.group(0))
            i = m.end()
            continue
        raw.append(ch)
        i += 1
    units: list[str] = []
    pending_open = ""
    for piece in raw:
        if piece == " ":
            if pending_open:
                units.append(pending_open)
                pending_open = ""
            units.append(" ")
            continue
        if len(piece) == 1 and piece in NO_END:
            pending_open += piece
            continue
        if len(piece) == 1 and piece in NO_START and units and units[-1] != " " and not pending_open:
            units[-1] += piece
            continue
        if (len(piece) == 1 and _is_cjk(piece) and units and units[-1].isdigit()
                and not pending_open and len(units[-1]) <= 4):
            units[-1] += piece  # keep a number with its measure word: 1份, 12月
            continue
        units.append(pending_open + piece)
        pending_open = ""
    if pending_open:
        units.append(pending_open)
    return units


def _split_long(unit: str, max_width: float, measure: Measure) -> list[str]:
    """Split a unit wider than a line into pieces that fit, never mid-character."""
    pieces: list[str] = []
    rest = unit
    while rest:
        if measure(rest) <= max_width:
            pieces.append(rest)
            break
        # Longest prefix that fits (at least one character so we always progress).
        fit = 1
        while fit < len(rest) and measure(rest[: fit + 1]) <= max_width:
            fit += 1
        cut = fit
        soft = max((k + 1 for k in range(fit) if rest[k] in SOFT_BREAK_AFTER), default=0)
        if soft >= max(1, fit // 2):
            cut = soft
        # Keep kinsoku inside the split as well: do not begin the next piece with a closer.
        while 1 < cut < len(rest) and rest[cut] in NO_START:
            cut -= 1
        pieces.append(rest[:cut])
        rest = rest[cut:]
    return pieces


def wrap(text: str, max_width: float, measure: Measure, first_indent: float = 0.0,
         hanging_indent: float = 0.0) -> list[str]:
    """Wrap ``text`` into lines no wider than ``max_width`` (minus the indents).

    ``first_indent`` is taken from the first line (room for a prefix such as "办理事项："),
    ``hanging_indent`` from the following ones. Explicit newlines start new paragraphs.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        units = _units(paragraph)
        if not units:
            lines.append("")
            continue
        line = ""
        queue = list(units)
        while queue:
            room = max(1.0, max_width - (hanging_indent if lines else first_indent))
            unit = queue.pop(0)
            if unit == " " and not line:
                continue  # no leading spaces on a wrapped line
            candidate = line + unit
            if measure(candidate.rstrip(" ")) <= room:
                line = candidate
                continue
            if unit == " ":
                lines.append(line.rstrip(" "))
                line = ""
                continue
            if line:
                lines.append(line.rstrip(" "))
                line = ""
                queue.insert(0, unit)
                continue
            # The unit alone is wider than a whole line: split it.
            pieces = _split_long(unit, room, measure)
            lines.extend(pieces[:-1])
            line = pieces[-1]
        lines.append(line.rstrip(" "))
    return lines


def text_columns(text: str) -> int:
    """Columns on an ESC/POS printer in Chinese mode: ASCII 1 (12 dots), anything else 2 (24 dots)."""
    return sum(1 if ord(ch) < 0x80 else 2 for ch in text)
