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

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from bianmin.domain.catalogue import ServiceItem

_SEP = "\x01"
_MAX_VARIANTS = 8  # pinyin readings kept per text (primary + single heteronym swaps)
_MAX_ALTERNATIVES = 2  # extra readings kept per heteronym character

# Tier scores. Gaps leave room for future tiers; callers should only compare them.
EXACT_NAME = 1000.0
PINYIN_EXACT_NAME = 980.0
INITIALS_EXACT_NAME = 960.0
NAME_PREFIX = 900.0
KEYWORD_EXACT = 850.0
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


@lru_cache(maxsize=8192)
def _readings(text: str) -> tuple[tuple[str, ...], ...]:
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


def pinyin_variants(text: str) -> tuple[list[list[str]], list[list[str]]]:
    """(full-pinyin variants, initials variants), each a list of syllable lists, primary first."""
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

    def scan(self, needle: str, at_boundary: bool) -> Iterable[tuple[int, bool, int]]:
        """Yield (item, matched at the head of a value, offset within the value) once per item."""
        text = self.text
        find = text.find
        target = _SEP + needle if at_boundary else needle
        pos = find(target)
        while pos >= 0:
            start = pos + 1 if at_boundary else pos
            seg = bisect_right(self.starts, start) - 1
            item = self.items[seg]
            yield item, self.heads[seg] and start == self.starts[seg], start - self.starts[seg]
            pos = find(target, self.item_end[item])


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
        self._name = _Field()
        self._name_py = _Field()
        self._name_ini = _Field()
        self._kw = _Field()
        self._kw_py = _Field()
        self._kw_ini = _Field()
        self._topic = _Field()
        self._topic_py = _Field()
        self._other = _Field()
        self._exact_name: dict[str, list[int]] = {}
        self._exact_py: dict[str, list[int]] = {}
        self._exact_ini: dict[str, list[int]] = {}
        self._exact_kw: dict[str, list[int]] = {}
        self._exact_topic: dict[str, list[int]] = {}
        self._codes: dict[str, int] = {}
        for index, item in enumerate(self.items):
            self._index(index, item)
        for field in self._fields():
            field.freeze()

    def _fields(self) -> list[_Field]:
        return [self._name, self._name_py, self._name_ini, self._kw, self._kw_py, self._kw_ini,
                self._topic, self._topic_py, self._other]

    def _index(self, index: int, item: ServiceItem) -> None:
        name = normalise(item.name)
        self._name.add(index, [(name, True)])
        self._exact_name.setdefault(name, []).append(index)
        full, initials = pinyin_variants(item.name)
        self._name_py.add(index, _suffixes(full))
        self._name_ini.add(index, _suffixes(initials))
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
            full, initials = pinyin_variants(keyword)
            kw_py += _suffixes(full)
            kw_ini += _suffixes(initials)
            for key in {word, *("".join(v) for v in full), *("".join(v) for v in initials)}:
                bucket = self._exact_kw.setdefault(key, [])
                if index not in bucket:
                    bucket.append(index)
        self._kw.add(index, _heads_first(kw_hz))
        self._kw_py.add(index, _heads_first(kw_py))
        self._kw_ini.add(index, _heads_first(kw_ini))

        topic_py: list[tuple[str, bool]] = []
        for topic in item.topics:
            self._exact_topic.setdefault(normalise(topic), []).append(index)
            full, _ = pinyin_variants(topic)
            topic_py += _suffixes(full[:1])
        self._topic.add(index, [(normalise(t), True) for t in item.topics])
        self._topic_py.add(index, _heads_first(topic_py))

        self._codes[item.code.lower()] = index
        others = [item.sub_item, item.office, item.applicants, item.conditions, item.result.name]
        others += [m.name for m in item.materials]
        others += [f.question for f in item.faq]
        self._other.add(index, [(normalise(o), True) for o in others])

    # -- searching -----------------------------------------------------------------------

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Items matching ``query`` (hanzi, pinyin, initials, partial), best first.

        Words separated by spaces must each match (``身份证 补领``); pinyin typed with
        spaces (``di bao``) also matches as one word. An empty query finds nothing.
        """
        tokens = [normalise(t) for t in query.split()]
        tokens = [t for t in tokens if t]
        if not tokens:
            return []
        best = self._match("".join(tokens))
        if len(tokens) > 1:
            per_token = [self._match(t) for t in tokens]
            common = set(per_token[0]).intersection(*per_token[1:])
            for index in common:
                # An all-words match ranks just below the same tier for the whole phrase.
                score, pos, field = min((m[index] for m in per_token), key=lambda s: s[0])
                candidate = (score - 1.0, pos, field)
                if index not in best or best[index][0] < candidate[0]:
                    best[index] = candidate
        ranked = sorted(
            best.items(),
            key=lambda kv: (-kv[1][0], kv[1][1], len(self.items[kv[0]].name), kv[0]),
        )
        return [SearchHit(self.items[i], score, field) for i, (score, _pos, field) in ranked[:limit]]

    def _match(self, q: str) -> dict[int, tuple[float, int, str]]:
        """item index -> (score, offset of the match, field) for one normalised word."""
        found: dict[int, tuple[float, int, str]] = {}

        def offer(index: int, score: float, pos: int, field: str) -> None:
            old = found.get(index)
            if old is None or score > old[0] or (score == old[0] and pos < old[1]):
                found[index] = (score, pos, field)

        for index in self._exact_name.get(q, ()):
            offer(index, EXACT_NAME, 0, "name")
        for index, head, pos in self._name.scan(q, at_boundary=False):
            offer(index, NAME_PREFIX if head else NAME_CONTAINS, pos, "name")
        for index in self._exact_kw.get(q, ()):
            offer(index, KEYWORD_EXACT, 0, "keyword")
        for index, head, pos in self._kw.scan(q, at_boundary=False):
            offer(index, KEYWORD_PREFIX if head else KEYWORD_CONTAINS, pos, "keyword")
        for index in self._exact_topic.get(q, ()):
            offer(index, TOPIC_EXACT, 0, "topic")
        for index, _head, pos in self._topic.scan(q, at_boundary=False):
            offer(index, TOPIC, pos, "topic")
        for index, _head, pos in self._other.scan(q, at_boundary=False):
            offer(index, OTHER_FIELDS, pos, "other")

        if _PINYIN_QUERY.match(q):
            self._match_pinyin(q, offer)
        else:
            # A hanzi query may use a homophone (低报 for 低保): try its pinyin, ranked last.
            full, _ = pinyin_variants(q)
            spoken = "".join(full[0])
            if len(spoken) >= 4 and _PINYIN_QUERY.match(spoken):
                for index, _head, pos in self._name_py.scan(spoken, at_boundary=True):
                    offer(index, HOMOPHONE, pos, "homophone")
                for index in self._exact_kw.get(spoken, ()):
                    offer(index, HOMOPHONE, 0, "homophone")
        return found

    def _match_pinyin(self, q: str, offer) -> None:  # noqa: ANN001 - local callback
        for index in self._exact_py.get(q, ()):
            offer(index, PINYIN_EXACT_NAME, 0, "pinyin")
        for index in self._exact_ini.get(q, ()):
            offer(index, INITIALS_EXACT_NAME, 0, "initials")
        for index, head, pos in self._name_py.scan(q, at_boundary=True):
            offer(index, PINYIN_NAME_PREFIX if head else PINYIN_IN_NAME, pos, "pinyin")
        for index, head, pos in self._name_ini.scan(q, at_boundary=True):
            offer(index, INITIALS_NAME_PREFIX if head else INITIALS_IN_NAME, pos, "initials")
        for field in (self._kw_py, self._kw_ini):
            for index, head, pos in field.scan(q, at_boundary=True):
                offer(index, KEYWORD_PREFIX if head else KEYWORD_CONTAINS, pos, "keyword")
        for index, _head, pos in self._topic_py.scan(q, at_boundary=True):
            offer(index, TOPIC, pos, "topic")
        if any(c.isdigit() for c in q) or len(q) >= 6:
            for code, index in self._codes.items():
                if code.startswith(q):
                    offer(index, CODE, 0, "code")


def _heads_first(segments: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    return [s for s in segments if s[1]] + [s for s in segments if not s[1]]
