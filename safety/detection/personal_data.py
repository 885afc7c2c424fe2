"""Personal data in a text: phone numbers, email and postal addresses, dates of birth,
health and insurance numbers, and other people's full names; and ``redact``."""

from __future__ import annotations

import re
from collections.abc import Iterable

import phonenumbers

from . import lexicon
from .medicines import find_medicines
from .text import Sentences, Span, make_span


def gettext_noop(text: str) -> str:
    """Marks a label for translation (makemessages reads the name) without importing Django:
    the detectors run without it; ``safety.hints`` translates the labels it shows."""
    return text


LABELS = {
    "email": gettext_noop("Email address"),
    "health_number": gettext_noop("Health or insurance number"),
    "date_of_birth": gettext_noop("Date of birth"),
    "address": gettext_noop("Postal address"),
    "phone": gettext_noop("Phone number"),
    "name": gettext_noop("Name"),
}
# Where two finds overlap, the earlier kind in this order wins.
PRIORITY = list(LABELS)

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}")

# --- health and insurance numbers
_NHS = re.compile(r"(?<![\d\w])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\d\w])")
_NHS_CUE = re.compile(r"nhs|chi|health (?:service )?(?:number|no)", re.I)
_KVNR = re.compile(r"(?<![\w])[A-Z]\d{9}(?![\w])")
_SSN = re.compile(r"(?<![\w-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\w-])")
_INSURANCE = re.compile(
    r"(?:insurance|policy|member(?:ship)?|versicherten|versicherungs|patient|hospital|"
    r"medicare|medicaid|ssn|social security|chi)[\s-]*"
    r"(?:number|nummer|no\.|no|nr\.|nr|num|#|id)(?![a-z])"
    r"(?:\s+(?:is|was|ist|lautet))?\s*[:#]?\s*(?P<id>[A-Z0-9](?:[A-Z0-9]|[-/ ](?=[A-Z0-9])){4,24})",
    re.I,
)

# --- dates of birth
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|januar|februar|märz|mai|"
    r"juni|juli|oktober|dezember)"
)
_DATE = (
    rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\.?\s+(?:of\s+)?{_MONTHS}\.?,?\s+\d{{2,4}}"
    rf"|{_MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    r"|\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{4}-\d{2}-\d{2})"
)
_DOB = re.compile(
    rf"(?:\bborn(?:\s+on)?|\bd\.?o\.?b\.?|\bdate\s+of\s+birth|\bbirth\s*date|\bbirthday|"
    rf"\bgeboren(?:\s+am)?|\bgeb\.|\bgeburtsdatum|\bgeburtstag)"
    rf"(?:\s+(?:is|was|:|ist|am))?\s*[:\-]?\s*(?:on\s+|am\s+)?(?P<date>{_DATE})",
    re.I,
)
_DOB_AFTER = re.compile(rf"(?:am\s+)?(?P<date>{_DATE})\s+geboren", re.I)

# --- postal addresses
_STREET_TYPES = (
    r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Close|Way|Grove|Crescent|Court|Ct|Place|"
    r"Pl|Terrace|Gardens|Boulevard|Blvd|Square|Mews|Row|Parade|Walk|Hill|View|Park)"
)
_STREET = re.compile(
    rf"(?<![\w])\d{{1,5}}[A-Za-z]?,?\s+(?:[A-Z][a-z'’]+\s+){{1,3}}{_STREET_TYPES}\.?(?![\w])"
    r"(?:\s+(?:NW|NE|SW|SE|N|S|E|W)(?![\w]))?"
)
_STRASSE = re.compile(
    r"(?<![\w])(?:[A-ZÄÖÜ][\wäöüß-]*(?:straße|strasse|str\.|weg|allee|platz|gasse|ring|damm)"
    r"|(?:[A-ZÄÖÜ][\wäöüß]+\s+)(?:Straße|Strasse|Weg|Allee|Platz|Gasse|Ring))\s+\d{1,4}[a-z]?"
)
_UK_POSTCODE = re.compile(r"(?<![\w])[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}(?![\w])")
_PLZ = re.compile(r"(?<![\w])\d{5}\s+[A-ZÄÖÜ][a-zäöüß]+(?:\s+[A-ZÄÖÜ][a-zäöüß]+)?")
_US_ZIP = re.compile(r"(?<![\w])[A-Z]{2}\s+\d{5}(?:-\d{4})?(?![\w])")
_ADDRESS_TAIL = 60  # a street line runs on to a postcode within this many characters

# --- names
_CAPITALISED = re.compile(r"(?<![\w'’-])([A-ZÄÖÜ][a-zäöüßéè]+)(?:-[A-Z][a-z]+)?(?![\w])")
_MONTH_WORDS_WORDS = (
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday"
)
_MONTH_WORDS = frozenset(_MONTH_WORDS_WORDS.split())
# National formats tried besides the region given (each costs a pass of the phone-number
# matcher); other countries' numbers are found when written with +CC or 00CC.
_REGIONS = ("GB", "DE", "US", "FR")


def _nhs_valid(digits: str) -> bool:
    """The NHS number's Modulus 11 check digit."""
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def _health_numbers(text: str) -> list[tuple[int, int]]:
    found = []
    for m in _NHS.finditer(text):
        digits = "".join(m.groups())
        spaced = m.group().count(" ") == 2 or m.group().count("-") == 2
        cue = _NHS_CUE.search(text[max(0, m.start() - 30) : m.start()])
        if _nhs_valid(digits) and (cue or (spaced and digits[0] != "0")):
            found.append(m.span())
    found += [m.span() for m in _KVNR.finditer(text)]
    found += [m.span() for m in _SSN.finditer(text)]
    for m in _INSURANCE.finditer(text):
        if any(c.isdigit() for c in m.group("id")):
            found.append(m.span("id"))
    return found


def _dates_of_birth(text: str) -> list[tuple[int, int]]:
    return [m.span("date") for m in _DOB.finditer(text)] + [
        m.span("date") for m in _DOB_AFTER.finditer(text)
    ]


def _addresses(text: str) -> list[tuple[int, int]]:
    found = []
    for pattern, tails in ((_STREET, (_UK_POSTCODE, _US_ZIP)), (_STRASSE, (_PLZ,))):
        for m in pattern.finditer(text):
            end = m.end()
            window = text[end : end + _ADDRESS_TAIL]
            if "\n\n" not in window:
                for tail in tails:
                    t = tail.search(window)
                    if t and not re.search(r"[.!?]\s", window[: t.start()]):
                        end = end + t.end()
                        break
            found.append((m.start(), end))
    found += [m.span() for m in _UK_POSTCODE.finditer(text)]
    return found


# How many candidate numbers the matcher may try per pass (its default is 65,535): a post
# holds a handful, and a text made of digits must not cost seconds of CPU per check.
_PHONE_TRIES = 300


def _phones(text: str, region: str) -> list[tuple[int, int]]:
    found = set()
    regions = (region.upper(),) + tuple(r for r in _REGIONS if r != region.upper())
    for r in regions:
        for m in phonenumbers.PhoneNumberMatcher(
            text, r, leniency=phonenumbers.Leniency.VALID, max_tries=_PHONE_TRIES
        ):
            found.add((m.start, m.end))
    # International numbers (+44 …, 0044 …) count when merely possible: the prefix says enough.
    for m in phonenumbers.PhoneNumberMatcher(
        text, region.upper(), phonenumbers.Leniency.POSSIBLE, max_tries=_PHONE_TRIES
    ):
        digits = sum(c.isdigit() for c in m.raw_string)
        if m.raw_string.lstrip("(").startswith(("+", "00")) and digits >= 10:
            found.add((m.start, m.end))
    return sorted(found)


def _names(text: str, allowed: set[str]) -> list[tuple[int, int]]:
    given = lexicon.given_names()
    common = lexicon.common_words()
    words = list(_CAPITALISED.finditer(text))
    if not words:
        return []
    sentences = Sentences(text)
    starts = {b[0] for b in sentences.bounds}
    medicines = None
    found = []
    for first, second in zip(words, words[1:], strict=False):
        name, surname = first.group(1), second.group()
        if name.lower() not in given or not re.fullmatch(
            r"\s+", text[first.end() : second.start()]
        ):
            continue
        bare_surname = second.group(1).lower()
        if bare_surname in common or bare_surname in given and bare_surname in common:
            continue
        if bare_surname in _MONTH_WORDS or len(bare_surname) < 2:
            continue
        at_start = first.start() in starts or not text[: first.start()].strip()
        if at_start and name.lower() in common:
            continue  # "Will Power", "Mark Twain's"... at a sentence start read as words
        full = f"{name} {surname}"
        if full.lower() in allowed:
            continue
        if medicines is None:
            medicines = find_medicines(text)
        if any(m.start < second.end() and second.start() < m.end for m in medicines):
            continue
        found.append((first.start(), second.end()))
    return found


def find_personal_data(
    text: str, *, region: str = "GB", names_allowed: Iterable[str] = ()
) -> list[Span]:
    """Personal data in ``text``: non-overlapping spans in text order."""
    if not text:
        return []
    allowed = {" ".join(n.lower().split()) for n in names_allowed if n}
    candidates: dict[str, list[tuple[int, int]]] = {
        "email": [m.span() for m in EMAIL.finditer(text)],
        "health_number": _health_numbers(text),
        "date_of_birth": _dates_of_birth(text),
        "address": _addresses(text),
        "phone": _phones(text, region or "GB"),
        "name": _names(text, allowed),
    }
    kept: list[tuple[int, int, str]] = []
    for kind in PRIORITY:
        for start, end in sorted(candidates[kind], key=lambda s: (s[0], -(s[1] - s[0]))):
            if end > start and all(end <= s or start >= e for s, e, _ in kept):
                kept.append((start, end, kind))
    kept.sort()
    return [make_span(text, s, e, kind, LABELS[kind]) for s, e, kind in kept]


def redact(text: str, spans: Iterable[Span], replacement: str = "[removed]") -> str:
    """``text`` with each span replaced, right to left so the offsets hold; overlapping spans
    are merged first."""
    merged: list[list[int]] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        start, end = max(0, span.start), min(len(text), span.end)
        if end <= start:
            continue
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in reversed(merged):
        text = text[:start] + replacement + text[end:]
    return text
