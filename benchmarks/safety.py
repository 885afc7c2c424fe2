"""Safety detection benchmark: recall and precision on the labelled corpus, and scan speed.

    .venv/bin/python benchmarks/safety.py            # print the table
    .venv/bin/python benchmarks/safety.py --write    # and rewrite its section of README.md
    .venv/bin/python benchmarks/safety.py --misses   # list every miss and false alarm

The corpus (``benchmarks/data/safety_corpus.jsonl``) is synthetic forum sentences written for
Kindred, each labelled by hand: ``adverse_event``, ``crisis``, ``personal_data`` (the kinds
present) and a ``category``. Scoring is per sentence: a sentence is a true positive for
adverse events when any signal is found, for crisis when any span is found, and for a
personal-data kind when a span of that kind is found. Pure Python: no Django, no database.
"""

import argparse
import json
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from safety import detection  # noqa: E402

CORPUS = ROOT / "benchmarks" / "data" / "safety_corpus.jsonl"
# Sets written by someone who saw neither the detector, its lists nor the corpus: the honest
# measure of how it does on wording it has not met. A set stops being held out once the lists
# are changed after reading it; the history below says which.
HELD_OUT = {
    "holdout": (
        ROOT / "benchmarks" / "data" / "safety_holdout.jsonl",
        "read to tune lexicon 2026-12-05.2, so no longer held out: an upper bound",
    ),
    "holdout_2": (
        ROOT / "benchmarks" / "data" / "safety_holdout_2.jsonl",
        "held out: nobody tuning the lists has read it",
    ),
}
# Figures measured at the time, before the set was used to change anything (they cannot be
# recomputed from today's lists): (set, lexicon, AE recall, AE precision, crisis recall,
# crisis precision).
HELD_OUT_HISTORY = [
    ("second (72, now in the corpus)", "2026-12-04.1, before it", 0.50, 1.00, 0.33, 1.00),
    ("holdout (150)", "2026-12-04.1", 0.65, 0.87, 0.55, 0.71),
    ("holdout (150)", "2026-12-05.1 (tuned on its own sentences only)", 0.77, 0.89, 0.65, 0.77),
    ("holdout_2 (150)", "2026-12-05.2 (tuned after reading holdout)", 0.77, 0.88, 0.50, 0.94),
]
README = ROOT / "benchmarks" / "README.md"
SECTION = "## Safety detection"
KINDS = ("phone", "email", "address", "date_of_birth", "health_number", "name")


def load_corpus(path: Path = CORPUS) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


class Score:
    def __init__(self):
        self.tp = self.fp = self.fn = self.tn = 0
        self.misses: list[str] = []
        self.false_alarms: list[str] = []

    def add(self, expected: bool, found: bool, text: str) -> None:
        if expected and found:
            self.tp += 1
        elif expected:
            self.fn += 1
            self.misses.append(text)
        elif found:
            self.fp += 1
            self.false_alarms.append(text)
        else:
            self.tn += 1

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0


def evaluate(rows: list[dict]) -> dict[str, Score]:
    scores = {"adverse events": Score(), "crisis": Score()}
    scores.update({f"personal data: {k}": Score() for k in KINDS})
    for row in rows:
        text = row["text"]
        scores["adverse events"].add(
            row["adverse_event"], bool(detection.find_adverse_events(text)), text
        )
        scores["crisis"].add(row["crisis"], bool(detection.find_crisis(text)), text)
        found = {span.kind for span in detection.find_personal_data(text)}
        for kind in KINDS:
            scores[f"personal data: {kind}"].add(kind in row["personal_data"], kind in found, text)
    total = Score()
    for kind in KINDS:
        s = scores[f"personal data: {kind}"]
        total.tp, total.fp, total.fn = total.tp + s.tp, total.fp + s.fp, total.fn + s.fn
    scores["personal data, all kinds"] = total
    return scores


def timing(rows: list[dict], rounds: int = 20) -> dict[str, float]:
    """Milliseconds per 1,000 characters (median over rounds) on a ~5,000-character text."""
    text = ""
    for row in rows:
        if len(text) >= 5000:
            break
        text += row["text"] + " "
    text = text[:5000]
    detection.warm()
    scans = {
        "find_medicines": detection.find_medicines,
        "find_adverse_events": detection.find_adverse_events,
        "find_crisis": detection.find_crisis,
        "find_personal_data": detection.find_personal_data,
    }
    result = {}
    for name, scan in scans.items():
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            scan(text)
            times.append(time.perf_counter() - start)
        result[name] = statistics.median(times) * 1000 / (len(text) / 1000)
    # What a scan of one item costs: find_adverse_events runs find_medicines itself.
    whole = sum(v for k, v in result.items() if k != "find_medicines")
    result["adverse events + crisis + personal data, 5,000 characters"] = whole * len(text) / 1000
    return result


def table(scores: dict[str, Score], times: dict[str, float] | None = None) -> str:
    lines = [
        "| what | recall | precision | TP | FP | FN |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, s in scores.items():
        lines.append(f"| {name} | {s.recall:.2f} | {s.precision:.2f} | {s.tp} | {s.fp} | {s.fn} |")
    if not times:
        return "\n".join(lines)
    lines += ["", "| scan | time |", "| --- | --- |"]
    for name, ms in times.items():
        unit = "ms per 1,000 characters" if name.startswith("find_") else "ms"
        lines.append(f"| {name} | {ms:.2f} {unit} |")
    return "\n".join(lines)


def section(body: str, rows: list[dict]) -> str:
    categories: dict[str, int] = {}
    for row in rows:
        categories[row["category"]] = categories.get(row["category"], 0) + 1
    counts = ", ".join(f"{n} {c}" for c, n in sorted(categories.items()))
    now = datetime.now(UTC).strftime("%d %B %Y, %H:%M UTC")
    history = "\n".join(
        f"| {name} | {lexicon} | {a:.2f} | {b:.2f} | {c:.2f} | {d:.2f} |"
        for name, lexicon, a, b, c, d in HELD_OUT_HISTORY
    )
    return f"""{SECTION}

`benchmarks/safety.py` runs the offline detectors of `safety.detection` (lexicon
{detection.LEXICON_VERSION}) over `benchmarks/data/safety_corpus.jsonl`: {len(rows)} synthetic
forum sentences by people with MS and their carers, written and labelled by hand (the first
283 before the detectors, the rest after, as regression examples; {counts}).
Scores are per sentence: adverse events when any signal is found, crisis when any span is
found, each personal-data kind when a span of that kind is found. The time is the median of
20 scans of a 5,000-character text made of corpus sentences, after `warm()` (the drug
dictionary takes ~1.5 s to load once per process).

```sh
.venv/bin/python benchmarks/safety.py            # the table
.venv/bin/python benchmarks/safety.py --misses   # every miss and false alarm
.venv/bin/python benchmarks/safety.py --write    # rewrite this section
```

Goals: adverse events recall >= 0.95 and precision >= 0.7; crisis recall >= 0.95 and
precision >= 0.7; personal data recall >= 0.9. Python {platform.python_version()}, {now}.
The corpus is written by the same hands that tuned the lists, so its figures (the first table)
are an upper bound: every corpus sentence is caught, which the tests hold. The honest measure
is a held-out set, written by someone who saw neither the detector, its lists nor the
corpus, and scored before anything was changed with it. Those figures are lower, and short of
the goals for unseen wording: expect new phrasings of distress to be missed, which is why the
moderators still read every new member's first comments and every report, and why a
search about suicide or self-harm always offers help. Add real (anonymised) sentences when
moderators find misses, and write a new held-out set before tuning on it. The time is for a
dense text (nearly every sentence names a medicine and an event) on a shared 2-core machine.

{body}

Held-out history (each row measured before the set was used to change the lists):

| set | lexicon | AE recall | AE precision | crisis recall | crisis precision |
| --- | --- | --- | --- | --- | --- |
{history}
"""


def write_readme(text: str) -> None:
    readme = README.read_text(encoding="utf-8")
    if SECTION in readme:
        head, rest = readme.split(SECTION, 1)
        following = rest.find("\n## ")
        tail = rest[following + 1 :] if following >= 0 else ""
        readme = head + text + ("\n" + tail if tail else "")
    else:
        readme = readme.rstrip("\n") + "\n\n" + text
    README.write_text(readme, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite the README section")
    parser.add_argument("--misses", action="store_true", help="list misses and false alarms")
    args = parser.parse_args()
    rows = load_corpus()
    detection.warm()
    scores = evaluate(rows)
    body = table(scores, timing(rows))
    for name, (path, status) in HELD_OUT.items():
        if not path.exists():
            continue
        held_rows = load_corpus(path)
        held = evaluate(held_rows)
        body += (
            f"\n\n`{path.relative_to(ROOT)}` ({len(held_rows)} sentences, {status}), "
            f"lexicon {detection.LEXICON_VERSION}\n\n"
            + table({k: held[k] for k in ("adverse events", "crisis", "personal data, all kinds")})
        )
        if args.misses:
            for key in ("adverse events", "crisis"):
                for text in held[key].misses:
                    print(f"MISS  {name} {key}: {text}")
                for text in held[key].false_alarms:
                    print(f"FALSE {name} {key}: {text}")
    print(body)
    if args.misses:
        for name, s in scores.items():
            for text in s.misses:
                print(f"MISS  {name}: {text}")
            for text in s.false_alarms:
                print(f"FALSE {name}: {text}")
    if args.write:
        write_readme(section(body, rows))
        print(f"\nwrote {README.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
