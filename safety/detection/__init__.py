"""Offline safety detection: medicines, adverse-event signals, crisis signals and personal
data in member-written text.

Pure Python, no Django: the benchmark (``benchmarks/safety.py``) runs without it. The word
lists are versioned files in ``data/``; ``LEXICON_VERSION`` names them. The general drug
dictionary loads once per process (~1.5 s), lazily or through ``warm()``.
"""

from .adverse_events import AdverseEventSignal, find_adverse_events
from .crisis import find_crisis, is_crisis_query
from .lexicon import LEXICON_VERSION
from .medicines import find_medicines
from .personal_data import find_personal_data, redact
from .text import Span

__all__ = [
    "LEXICON_VERSION",
    "AdverseEventSignal",
    "Span",
    "find_adverse_events",
    "find_crisis",
    "find_medicines",
    "find_personal_data",
    "is_crisis_query",
    "redact",
    "warm",
]


def warm() -> None:
    """Load the word lists and the drug dictionary now (a worker calls this at start)."""
    from . import lexicon, medicines

    lexicon.load_all()
    medicines.drug_dictionary()
    find_adverse_events("Tecfidera gave me flushing.")
    find_crisis("warm")
    find_personal_data("Sarah Connolly, 07700 900123")
