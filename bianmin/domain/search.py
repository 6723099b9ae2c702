"""Catalogue search: the one search the kiosk and `bianmin catalog search` share.

Villagers type on a touch keyboard, often in pinyin without tones, often only the
initials ("db" for 低保, "sfz" for 身份证), often half a word. So every item is
indexed by its name in hanzi, full tone-less pinyin and pinyin initials, plus its
keywords (the words villagers actually say), topics and the other guide fields.

Speed matters because the kiosk searches on every keystroke: the index is built
once, and each field is one long string that ``str.find`` scans in C. Pinyin is
stored as the suffixes that start at a syllable boundary, each behind a separator,
so finding ``"\\x01" + query`` only matches at the start of a syllable ("an" does
not match inside "jian"). After the first hit in an item the scan jumps past that
item, so the Python work per keystroke is bounded by the number of matching items.

Ranking, best first: exact name; name starts with the query; a curated keyword
equals the query; name contains it; name pinyin / initials prefix; pinyin or
initials inside the name; keywords; topics; other fields (materials, office …);
finally homophones of a hanzi query. Ties go to the earlier match, then the
shorter name, then catalogue order.
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from bianmin.domain.catalogue import ServiceItem

_SEP = "\x01"
_MAX_VARIANTS = 8  # pinyin readings kept per text (primary + single heteronym swaps)
_MAX_ALTERNATIVES = 2  # extra readings kept per heteronym character

# Tier scores. Gaps leave room for future tiers; callers should only compare them.
EXACT_NAME = 1000.0
PINYIN_EXACT_NAME = 980.0
INITIALS_EXACT_NAME = 960.0
NAME_PREFIX = 900.0
KEYWORD_EXACT = 850.0  # the keyword as written ("低保", or a curated "db")
KEYWORD_PINYIN_EXACT = 845.0  # its pinyin ("dibao")
KEYWORD_INITIALS_EXACT = 840.0  # its initials ("db" also fits 当兵, 地补 …)
NAME_CONTAINS = 800.0
PINYIN_NAME_PREFIX = 760.0
INITIALS_NAME_PREFIX = 700.0
PINYIN_IN_NAME = 650.0
INITIALS_IN_NAME = 600.0
KEYWORD_PREFIX = 540.0
KEYWORD_CONTAINS = 500.0
TOPIC_EXACT = 450.0
TOPIC = 400.0
CODE = 350.0
OTHER_FIELDS = 300.0
HOMOPHONE = 250.0

_PINYIN_QUERY = re.compile(r"^[a-z0-9]+$")
_KEEP = re.compile(r"[^0-9a-z\u3400-\u9fff]+")
_ALNUM = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True, slots=True)
class SearchHit:
    item: ServiceItem
    score: float
    field: str  # what matched: name, pinyin, initials, keyword, topic, code, other, homophone


def normalise(text: str) -> str:
    """Fold full-width letters, case and punctuation so 'ＤＢ', 'D B' and "di'bao" behave."""
    return _KEEP.sub("", unicodedata.normalize("NFKC", text).lower())


# Common heteronyms whose other reading a villager may well type, whatever the
# phrase dictionary says (重新 chong/zhong, 长期 chang/zhang, 银行 hang/xing …).
# Curated rather than taken from pypinyin's full heteronym data, which also lists
# rare readings (居 ji, 明 meng) that would only add false matches.
HETERONYMS: dict[str, tuple[str, ...]] = {
    "重": ("zhong", "chong"), "长": ("chang", "zhang"), "行": ("xing", "hang"),
    "还": ("huan", "hai"), "藏": ("cang", "zang"), "调": ("diao", "tiao"),
    "传": ("chuan", "zhuan"), "便": ("bian", "pian"), "朝": ("chao", "zhao"),
    "差": ("cha", "chai"), "称": ("cheng", "chen"), "大": ("da", "dai"), "地": ("di", "de"),
    "都": ("du", "dou"), "给": ("gei", "ji"), "和": ("he", "huo"), "会": ("hui", "kuai"),
    "将": ("jiang", "qiang"), "降": ("jiang", "xiang"), "觉": ("jue", "jiao"),
    "卡": ("ka", "qia"), "乐": ("le", "yue"), "了": ("le", "liao"), "期": ("qi", "ji"),
    "强": ("qiang", "jiang"), "省": ("sheng", "xing"), "识": ("shi", "zhi"),
    "数": ("shu", "shuo"), "宿": ("su", "xiu"), "系": ("xi", "ji"), "校": ("xiao", "jiao"),
    "血": ("xue", "xie"), "种": ("zhong", "chong"), "着": ("zhe", "zhao", "zhuo"),
    "参": ("can", "shen"), "属": ("shu", "zhu"), "单": ("dan", "shan"), "解": ("jie", "xie"),
    "车": ("che", "ju"), "曾": ("ceng", "zeng"), "查": ("cha", "zha"), "露": ("lu", "lou"),
    "薄": ("bao", "bo"), "率": ("lv", "shuai"), "殖": ("zhi", "shi"),
}
_CHUNKS = re.compile(r"[\u3400-\u9fff]|[^\u3400-\u9fff]+")


Readings = tuple[tuple[str, ...], ...]
# text -> readings. Seeded from a file by the kiosk (catalogue_source.build_search) so a
# cold start need not import pypinyin, whose phrase dictionary takes most of a second.
_READINGS: dict[str, Readings] = {}
_READINGS_MAX = 50_000


def seed_readings(mapping: dict[str, Any]) -> None:
    """Add readings saved earlier (``CatalogueSearch.export_readings``); bad entries are skipped."""
    for text, readings in mapping.items():
        if isinstance(text, str) and isinstance(readings, list) and all(
            isinstance(r, list) and r and all(isinstance(x, str) for x in r) for r in readings
        ):
            _READINGS[text] = tuple(tuple(r) for r in readings)


# hanzi -> {its phrase-aware reading in the catalogue's own texts: how often}
# (built from _READINGS). Lets a hanzi query's homophones be found without pypinyin.
_CHAR_READINGS: dict[str, dict[str, int]] = {}


def _learn_chars(text: str, readings: Readings) -> None:
    """Remember each hanzi's reading from a text whose readings are known."""
    chunks = [c for c in _CHUNKS.findall(text) if _is_hanzi(c) or _ALNUM.sub("", c.lower())]
    if len(chunks) != len(readings):
        return
    for chunk, options in zip(chunks, readings, strict=True):
        if _is_hanzi(chunk):
            counts = _CHAR_READINGS.setdefault(chunk, {})
            counts[options[0]] = counts.get(options[0], 0) + 1


def _is_hanzi(chunk: str) -> bool:
    return len(chunk) == 1 and "\u3400" <= chunk <= "\u9fff"


def _pypinyin_loaded() -> bool:
    import sys

    return "pypinyin" in sys.modules


def query_readings(text: str) -> Readings:
    """Readings of a typed query, importing pypinyin only when they are not known.

    A query that is a catalogue text, or whose every hanzi occurs in the catalogue,
    is read from what the index already knows: the kiosk (whose index comes from
    cached readings) then never loads pypinyin's ~50 MB of dictionaries for a
    villager typing 低报. Once pypinyin is loaded anyway, it is used as before.
    """
    cached = _READINGS.get(text)
    if cached is not None:
        return cached
    if not _pypinyin_loaded():
        out: list[tuple[str, ...]] = []
        for chunk in _CHUNKS.findall(text):
            if _is_hanzi(chunk):
                counts = _CHAR_READINGS.get(chunk)
                if not counts:
                    break
                out.append((max(sorted(counts), key=counts.__getitem__),))
            elif letters := _ALNUM.sub("", chunk.lower()):
                out.append((letters,))
        else:
            return tuple(out)
    return _readings(text)


def warm_up() -> None:
    """Import pypinyin now (call from a worker thread) so no keystroke pays for it."""
    _compute_readings("便民")


def _readings(text: str) -> Readings:
    cached = _READINGS.get(text)
    if cached is None:
        cached = _compute_readings(text)
        if len(_READINGS) < _READINGS_MAX:
            _READINGS[text] = cached
    return cached


def _compute_readings(text: str) -> Readings:
    """Tone-less readings of each syllable: the phrase-aware one first, then alternatives.

    pypinyin's phrase dictionary picks 银行 → yin hang and 重新 → chong xin; a villager
    may still type the other reading, so HETERONYMS adds it for the variants.
    """
    from pypinyin import Style, lazy_pinyin

    primary = lazy_pinyin(text, style=Style.NORMAL, errors=lambda chunk: [chunk])
    chunks = _CHUNKS.findall(text)
    if len(chunks) != len(primary):
        chunks = [""] * len(primary)
    out: list[tuple[str, ...]] = []
    for first, chunk in zip(primary, chunks, strict=True):
        first = _ALNUM.sub("", first.lower())
        if not first:
            continue  # punctuation and spaces between words
        alts = [r for r in HETERONYMS.get(chunk, ()) if r != first]
        # ü is typed as v by pinyin keyboards but some villagers type u.
        if "v" in first and first.isalpha():
            alts.insert(0, first.replace("v", "u"))
        out.append((first, *alts[:_MAX_ALTERNATIVES]))
    return tuple(out)


def _initial(syllable: str) -> str:
    return syllable if syllable.isdigit() else syllable[0]


def pinyin_variants(text: str, seen: set[str] | None = None) -> tuple[list[list[str]], list[list[str]]]:
    """(full-pinyin variants, initials variants), each a list of syllable lists, primary first."""
    if seen is not None:
        seen.add(text)
    readings = _readings(text)
    primary = [r[0] for r in readings]
    full = [primary]
    for pos, options in enumerate(readings):
        for alt in options[1:]:
            if len(full) >= _MAX_VARIANTS:
                break
            full.append(primary[:pos] + [alt] + primary[pos + 1 :])
    initials: list[list[str]] = []
    seen: set[str] = set()
    for variant in full:
        letters = [_initial(s) for s in variant]
        key = "".join(letters)
        if key not in seen:
            seen.add(key)
            initials.append(letters)
    return full, initials


class _Field:
    """One searchable field of every item, packed into one string for C-speed scans.

    Each segment is ``SEP + text``. ``head`` marks segments that start a whole
    value (a name, a keyword) as opposed to suffixes starting at an inner syllable.
    Within an item, head segments come first, so the first hit is the best one.
    """

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self.starts: list[int] = []  # offset of each segment's text (after SEP)
        self.items: list[int] = []
        self.heads: list[bool] = []
        self.item_end: dict[int, int] = {}
        self.text = ""

    def add(self, item: int, segments: Iterable[tuple[str, bool]]) -> None:
        for value, head in segments:
            if not value:
                continue
            self._parts.append(_SEP + value)
            self.starts.append(self._length + 1)
            self.items.append(item)
            self.heads.append(head)
            self._length += len(value) + 1
        if self.items and self.items[-1] == item:
            self.item_end[item] = self._length

    def freeze(self) -> None:
        self.text = "".join(self._parts)
        self._parts = []

    def collect(self, needle: str, at_boundary: bool, head_score: float, inner_score: float,
                label: str, found: dict[int, tuple[float, int, str]]) -> None:
        """Record the best match of ``needle`` per item into ``found`` (item -> score, offset, label).

        Inlined rather than a generator: this loop is the per-keystroke hot path.
        """
        find = self.text.find
        starts, items, heads, ends = self.starts, self.items, self.heads, self.item_end
        target = _SEP + needle if at_boundary else needle
        shift = 1 if at_boundary else 0
        pos = find(target)
        while pos >= 0:
            start = pos + shift
            seg = bisect_right(starts, start) - 1
            item = items[seg]
            offset = start - starts[seg]
            score = head_score if offset == 0 and heads[seg] else inner_score
            old = found.get(item)
            if old is None or score > old[0] or (score == old[0] and offset < old[1]):
                found[item] = (score, offset, label)
            pos = find(target, ends[item])


def _suffixes(variants: Sequence[Sequence[str]]) -> list[tuple[str, bool]]:
    heads = [("".join(v), True) for v in variants]
    inner = [("".join(v[i:]), False) for v in variants for i in range(1, len(v))]
    seen: set[str] = set()
    out = []
    for value, head in heads + inner:
        if (value, head) not in seen:
            seen.add((value, head))
            out.append((value, head))
    return out


class CatalogueSearch:
    """Build once per catalogue; ``search`` is cheap enough to run on every keystroke."""

    def __init__(self, items: Sequence[ServiceItem]):
        self.items: list[ServiceItem] = list(items)
        self._texts: set[str] = set()
        self._name_lengths = [len(item.name) for item in self.items]
        self._name = _Field()
        # Pinyin fields come in pairs: heads (a value's start) and inner syllables, so a
        # first keystroke that fills the result list from heads never scans the rest.
        self._name_py, self._name_py_in = _Field(), _Field()
        self._name_ini, self._name_ini_in = _Field(), _Field()
        self._kw = _Field()
        self._kw_py, self._kw_py_in = _Field(), _Field()
        self._kw_ini, self._kw_ini_in = _Field(), _Field()
        self._topic = _Field()
        self._topic_py = _Field()
        self._other = _Field()
        self._exact_name: dict[str, list[int]] = {}
        self._exact_py: dict[str, list[int]] = {}
        self._exact_ini: dict[str, list[int]] = {}
        self._exact_kw: dict[str, list[int]] = {}
        self._exact_kw_py: dict[str, list[int]] = {}
        self._exact_kw_ini: dict[str, list[int]] = {}
        self._exact_topic: dict[str, list[int]] = {}
        self._codes: dict[str, int] = {}
        for index, item in enumerate(self.items):
            self._index(index, item)
        for text in self._texts:
            _learn_chars(text, _readings(text))
        for field in self._fields():
            field.freeze()

    def _fields(self) -> list[_Field]:
        return [self._name, self._name_py, self._name_ini, self._kw, self._kw_py, self._kw_ini,
                self._name_py_in, self._name_ini_in, self._kw_py_in, self._kw_ini_in,
                self._topic, self._topic_py, self._other]

    def _index(self, index: int, item: ServiceItem) -> None:
        name = normalise(item.name)
        self._name.add(index, [(name, True)])
        self._exact_name.setdefault(name, []).append(index)
        full, initials = pinyin_variants(item.name, self._texts)
        _add_split(index, _suffixes(full), self._name_py, self._name_py_in)
        _add_split(index, _suffixes(initials), self._name_ini, self._name_ini_in)
        for variant in full:
            self._exact_py.setdefault("".join(variant), []).append(index)
        for variant in initials:
            self._exact_ini.setdefault("".join(variant), []).append(index)

        kw_hz: list[tuple[str, bool]] = []
        kw_py: list[tuple[str, bool]] = []
        kw_ini: list[tuple[str, bool]] = []
        for keyword in item.keywords:
            word = normalise(keyword)
            if not word:
                continue
            kw_hz.append((word, True))
            full, initials = pinyin_variants(keyword, self._texts)
            kw_py += _suffixes(full)
            kw_ini += _suffixes(initials)
            for table, keys in ((self._exact_kw, [word]),
                                (self._exact_kw_py, ["".join(v) for v in full]),
                                (self._exact_kw_ini, ["".join(v) for v in initials])):
                for key in keys:
                    bucket = table.setdefault(key, [])
                    if index not in bucket:
                        bucket.append(index)
        self._kw.add(index, _heads_first(kw_hz))
        _add_split(index, kw_py, self._kw_py, self._kw_py_in)
        _add_split(index, kw_ini, self._kw_ini, self._kw_ini_in)

        topic_py: list[tuple[str, bool]] = []
        for topic in item.topics:
            self._exact_topic.setdefault(normalise(topic), []).append(index)
            full, _ = pinyin_variants(topic, self._texts)
            topic_py += _suffixes(full[:1])
        self._topic.add(index, [(normalise(t), True) for t in item.topics])
        self._topic_py.add(index, _heads_first(topic_py))

        self._codes[item.code.lower()] = index
        others = [item.sub_item, item.office, item.applicants, item.conditions, item.result.name]
        others += [m.name for m in item.materials]
        others += [f.question for f in item.faq]
        self._other.add(index, [(normalise(o), True) for o in others])

    def export_readings(self) -> dict[str, list[list[str]]]:
        """The pinyin readings this index used, as JSON-ready data for ``seed_readings``."""
        return {text: [list(r) for r in _readings(text)] for text in sorted(self._texts)}

    # -- searching -----------------------------------------------------------------------

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Items matching ``query`` (hanzi, pinyin, initials, partial), best first.

        Words separated by spaces must each match (``身份证 补领``); pinyin typed with
        spaces (``di bao``) also matches as one word. An empty query finds nothing.
        """
        tokens = [normalise(t) for t in query.split()]
        tokens = [t for t in tokens if t]
        if not tokens or limit <= 0:
            return []
        if len(tokens) == 1:
            best = self._match(tokens[0], limit)
        else:
            best = self._match("".join(tokens), None)
            per_token = [self._match(t, None) for t in tokens]
            common = set(per_token[0]).intersection(*per_token[1:])
            for index in common:
                # An all-words match ranks just below the same tier for the whole phrase.
                score, pos, field = min((m[index] for m in per_token), key=lambda s: s[0])
                candidate = (score - 1.0, pos, field)
                if index not in best or best[index][0] < candidate[0]:
                    best[index] = candidate
        items, lengths = self.items, self._name_lengths
        ranked = heapq.nsmallest(limit, ((-v[0], v[1], lengths[i], i, v[2]) for i, v in best.items()))
        return [SearchHit(items[i], -neg, field) for neg, _pos, _len, i, field in ranked]

    def _match(self, q: str, limit: int | None) -> dict[int, tuple[float, int, str]]:
        """item index -> (score, offset of the match, field) for one normalised word.

        Fields are scanned in falling order of the best score they can give; once
        ``limit`` items already beat everything the next field could give, the rest
        is skipped. A first keystroke like "d" matches nearly every item, and this
        is what keeps it fast.
        """
        found: dict[int, tuple[float, int, str]] = {}

        def exact(table: dict[str, list[int]], score: float, label: str) -> None:
            for index in table.get(q, ()):
                old = found.get(index)
                if old is None or score > old[0]:
                    found[index] = (score, 0, label)

        pinyin = bool(_PINYIN_QUERY.match(q))
        exact(self._exact_name, EXACT_NAME, "name")
        exact(self._exact_kw, KEYWORD_EXACT, "keyword")
        exact(self._exact_topic, TOPIC_EXACT, "topic")
        if pinyin:
            exact(self._exact_py, PINYIN_EXACT_NAME, "pinyin")
            exact(self._exact_ini, INITIALS_EXACT_NAME, "initials")
            exact(self._exact_kw_py, KEYWORD_PINYIN_EXACT, "keyword")
            exact(self._exact_kw_ini, KEYWORD_INITIALS_EXACT, "keyword")

        stages: list[tuple[float, list[tuple[_Field, bool, float, float, str]]]] = [
            (NAME_PREFIX, [(self._name, False, NAME_PREFIX, NAME_CONTAINS, "name")]),
        ]
        if pinyin:
            stages += [
                (PINYIN_NAME_PREFIX, [(self._name_py, True, PINYIN_NAME_PREFIX, PINYIN_IN_NAME, "pinyin")]),
                (INITIALS_NAME_PREFIX, [(self._name_ini, True, INITIALS_NAME_PREFIX, INITIALS_IN_NAME, "initials")]),
                (PINYIN_IN_NAME, [(self._name_py_in, True, PINYIN_IN_NAME, PINYIN_IN_NAME, "pinyin")]),
                (INITIALS_IN_NAME, [(self._name_ini_in, True, INITIALS_IN_NAME, INITIALS_IN_NAME, "initials")]),
            ]
        keyword_fields = [(self._kw, False, KEYWORD_PREFIX, KEYWORD_CONTAINS, "keyword")]
        topic_fields = [(self._topic, False, TOPIC, TOPIC, "topic")]
        if pinyin:
            keyword_fields += [(self._kw_py, True, KEYWORD_PREFIX, KEYWORD_CONTAINS, "keyword"),
                               (self._kw_ini, True, KEYWORD_PREFIX, KEYWORD_CONTAINS, "keyword"),
                               (self._kw_py_in, True, KEYWORD_CONTAINS, KEYWORD_CONTAINS, "keyword"),
                               (self._kw_ini_in, True, KEYWORD_CONTAINS, KEYWORD_CONTAINS, "keyword")]
            topic_fields.append((self._topic_py, True, TOPIC, TOPIC, "topic"))
        stages += [(KEYWORD_PREFIX, keyword_fields), (TOPIC, topic_fields), (CODE, []),
                   (OTHER_FIELDS, [(self._other, False, OTHER_FIELDS, OTHER_FIELDS, "other")])]

        for ceiling, fields in stages:
            if limit is not None and len(found) >= limit:
                if sum(1 for v in found.values() if v[0] > ceiling) >= limit:
                    return found
            for field, at_boundary, head_score, inner_score, label in fields:
                field.collect(q, at_boundary, head_score, inner_score, label, found)
            if ceiling == CODE and pinyin and (len(q) >= 6 or any(c.isdigit() for c in q)):
                for code, index in self._codes.items():
                    if code.startswith(q) and index not in found:
                        found[index] = (CODE, 0, "code")

        if not pinyin:
            # A hanzi query may use a homophone (低报 for 低保): try its pinyin, ranked last.
            if limit is not None and sum(1 for v in found.values() if v[0] > HOMOPHONE) >= limit:
                return found
            spoken = "".join(r[0] for r in query_readings(q))
            if len(spoken) >= 4 and _PINYIN_QUERY.match(spoken):
                for field in (self._name_py, self._name_py_in):
                    field.collect(spoken, True, HOMOPHONE, HOMOPHONE, "homophone", found)
                for index in self._exact_kw_py.get(spoken, ()):
                    found.setdefault(index, (HOMOPHONE, 0, "homophone"))
        return found


def _add_split(index: int, segments: list[tuple[str, bool]], heads: _Field, inner: _Field) -> None:
    heads.add(index, [s for s in segments if s[1]])
    inner.add(index, [s for s in segments if not s[1]])


def _heads_first(segments: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    return [s for s in segments if s[1]] + [s for s in segments if not s[1]]
