"""Adverse-event signals: a medicine near an adverse-event expression, not negated, not
hypothetical, not the medicine's indication."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from . import lexicon
from .medicines import find_medicines
from .text import Sentences, Span, clause_prefix, clause_suffix, make_span, negated_before

# How far back (characters) an event may look for a medicine in the previous sentence:
# "Started Ocrevus in May. Since then I've had hives."
WINDOW = 150
# Two sentences back when the event's sentence points back at a treatment: "Started Aubagio
# in June. Bloods were fine at first. Since then my hair has been coming out."
WINDOW_LINKED = 300
_LINK = re.compile(
    r"(?<!\w)(?:since (?:then|starting|taking|switching|i started|i switched|i began|the)|"
    r"ever since|after (?:it|that|the|each|every|my)|because of (?:it|the)|"
    r"(?:it|they|this|that|these) "
    r"(?:gave|give|gives|made|makes|left|leaves|caused|causes|has|have|is|are|was)|"
    r"the (?:tablets|pills|capsules|infusion|injections?|jabs?|pens?|drug|meds|medication|dose))"
    r"(?!\w)",
    re.IGNORECASE,
)
# An event in the sentence before a medicine's, when that sentence puts it down to the
# medicine: "Hair coming out in clumps. I'm 4 months into teriflunomide so I guess that's why."
_ATTRIBUTION = re.compile(
    r"(?<!\w)(?:that['’]?s (?:why|the cause|what['’]?s doing it|to blame)|"
    r"must be (?:the|it|that|from)|"
    r"(?:i )?(?:guess|reckon|bet|suspect|blame|wonder if) (?:that|it|it['’]?s|this|the)|"
    r"put (?:it|that|this) down to|(?:caused|brought on) by|because of|due to|"
    r"(?:could|can|would|might) (?:it|that|this) be|is (?:it|that|this) (?:the|from|because)|"
    r"(?:it|that|this)['’]?s (?:the|from|because)|(?:the )?(?:culprit|cause))(?!\w)",
    re.IGNORECASE,
)

_RELATION = re.compile(
    r"(?<!\w)(?:(?:my|our)\s+(?P<rel>(?:(?:late|little|big|older|younger|elderly|"
    r"teenage|step|ex)[\s-]?)?(?:wife|husband|partner|boyfriend|girlfriend|fianc[eé]e?|son|"
    r"daughter|child|kid|kids|baby|mum|mom|mother|dad|father|brother|sister|nan|nana|gran|"
    r"granny|grandma|grandad|grandpa|grandmother|grandfather|grandson|granddaughter|aunt|"
    r"auntie|uncle|cousin|niece|nephew|friend|best friend|neighbour|neighbor|flatmate|"
    r"colleague|mother-in-law|father-in-law|sister-in-law|brother-in-law))|"
    r"^(?P<bare>mum|mom|dad|nan|gran|grandma|grandad))(?:['’]s)?(?!\w)",
    re.IGNORECASE,
)
_FIRST_PERSON = re.compile(r"(?<!\w)(?:i|i['’]m|i['’]ve|i['’]d|im|ive|me|myself)(?!\w)", re.I)


@dataclass(frozen=True)
class AdverseEventSignal:
    medicine: Span
    event: Span
    sentence: Span
    serious: bool
    patient: str  # "" when the author is the patient, else e.g. "the author's wife"


def find_events(
    text: str, regions: list[tuple[int, int]] | None = None
) -> list[tuple[int, int, str, bool]]:
    """Every adverse-event expression: (start, end, preferred term, serious), the longest
    where they overlap; only inside ``regions`` (start, end) when given."""
    regions = Sentences(text).bounds if regions is None else regions
    found = []
    index = lexicon.adverse_event_index()
    for start, end in regions:
        for entry in index.candidates(text, start, end):
            for match in entry.pattern.finditer(text, start, end):
                if match.end() > match.start():
                    found.append((match.start(), match.end(), entry.label, entry.flag))
    found.sort(key=lambda f: (f[0], -(f[1] - f[0]), not f[3]))
    kept: list[tuple[int, int, str, bool]] = []
    for item in found:
        if not kept or item[0] >= kept[-1][1]:
            kept.append(item)
    return kept


def _hypothetical(sentence: str) -> bool:
    return bool(lexicon.pattern_any("hypothetical.txt").search(sentence))


def _negated(text: str, s_start: int, s_end: int, start: int, end: int) -> bool:
    # Eight words: a negation reaches along a list ("never had a lump or a reaction").
    if negated_before(clause_prefix(text, s_start, start, words=8)):
        return True
    suffix = clause_suffix(text, end, s_end, 60)
    return bool(lexicon.pattern_any("negation.txt", "post:").search(suffix))


def _indication(text: str, s_start: int, start: int) -> bool:
    words = clause_prefix(text, s_start, start, words=4).split()
    pattern = lexicon.pattern_any("indication.txt")
    return any(pattern.fullmatch(" ".join(words[i:])) for i in range(len(words)))


def _patient(text: str, s_start: int, event_start: int) -> str:
    before = text[s_start:event_start]
    relations = list(_RELATION.finditer(before))
    if not relations:
        return ""
    relation = relations[-1]
    if _FIRST_PERSON.search(before[relation.end() :]):
        return ""
    word = (relation.group("rel") or relation.group("bare")).lower()
    return f"the author's {word}"


def find_adverse_events(text: str) -> list[AdverseEventSignal]:
    """Adverse-event signals in text order, one per (medicine, event) pair."""
    if not text:
        return []
    medicines = find_medicines(text)
    if not medicines:
        return []
    sentences = Sentences(text)
    serious_pattern = lexicon.pattern_any("serious.txt")
    hypothetical: dict[int, bool] = {}
    signals: list[AdverseEventSignal] = []
    seen: dict[tuple[str, str], int] = {}

    # Events count only in a sentence with a medicine or the sentence after one; each such
    # sentence is scanned on its own, with only the expressions whose words it holds.
    wanted = set()
    for medicine in medicines:
        index = sentences.index(medicine.start)
        last = len(sentences.bounds) - 1
        wanted.update({index, min(index + 1, last), min(index + 2, last)})
        m_start, m_end = sentences.bounds[index]
        if index > 0 and _ATTRIBUTION.search(text, m_start, m_end):
            wanted.add(index - 1)
    regions = [sentences.bounds[i] for i in sorted(wanted)]
    named = bytearray(len(text))
    for m in medicines:
        named[m.start : m.end] = b"\x01" * (m.end - m.start)
    for start, end, term, serious_event in find_events(text, regions):
        if named.find(1, start, end) != -1:
            continue
        index = sentences.index(start)
        s_start, s_end = sentences.bounds[index]
        if index not in hypothetical:
            hypothetical[index] = _hypothetical(text[s_start:s_end])
        if hypothetical[index]:
            continue
        near = [m for m in medicines if s_start <= m.start and m.end <= s_end]
        sentence_end = s_end
        span_start = s_start
        if not near and index > 0:
            p_start, p_end = sentences.bounds[index - 1]
            near = [
                m
                for m in medicines
                if p_start <= m.start and m.end <= p_end and start - m.end <= WINDOW
            ]
            if near:
                if index - 1 not in hypothetical:
                    hypothetical[index - 1] = _hypothetical(text[p_start:p_end])
                if hypothetical[index - 1]:
                    continue
                span_start = p_start
        if not near and index > 1 and _LINK.search(text, s_start, s_end):
            p_start, p_end = sentences.bounds[index - 2]
            near = [
                m
                for m in medicines
                if p_start <= m.start and m.end <= p_end and start - m.end <= WINDOW_LINKED
            ]
            if near:
                if index - 2 not in hypothetical:
                    hypothetical[index - 2] = _hypothetical(text[p_start:p_end])
                if hypothetical[index - 2]:
                    continue
                span_start = p_start
        if not near and index + 1 < len(sentences.bounds):
            n_start, n_end = sentences.bounds[index + 1]
            if _ATTRIBUTION.search(text, n_start, n_end):
                near = [
                    m
                    for m in medicines
                    if n_start <= m.start and m.end <= n_end and m.start - end <= WINDOW
                ]
                if near:
                    if index + 1 not in hypothetical:
                        hypothetical[index + 1] = _hypothetical(text[n_start:n_end])
                    if hypothetical[index + 1]:
                        continue
                    sentence_end = n_end
        if not near:
            continue
        if _negated(text, s_start, s_end, start, end) or _indication(text, s_start, start):
            continue
        medicine = min(near, key=lambda m: abs(m.start - start))
        sentence = make_span(text, span_start, sentence_end, "sentence", "Sentence")
        serious = serious_event or bool(serious_pattern.search(sentence.text))
        signal = AdverseEventSignal(
            medicine=medicine,
            event=make_span(text, start, end, "event", term),
            sentence=sentence,
            serious=serious,
            patient=_patient(text, span_start, start),
        )
        key = (medicine.label, term)
        if key in seen:
            kept = signals[seen[key]]
            if serious and not kept.serious:
                signals[seen[key]] = dataclasses.replace(kept, serious=True)
            continue
        seen[key] = len(signals)
        signals.append(signal)
    return signals
