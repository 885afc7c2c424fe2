"""Personal data: each kind, names_allowed, redact (no database, no Django)."""

import pytest

from safety.detection import Span, find_personal_data, redact


def _kinds(text, **kwargs):
    return [(s.kind, s.text) for s in find_personal_data(text, **kwargs)]


@pytest.mark.parametrize(
    "text, kind, found",
    [
        ("Ring me on 07911 123456 tonight.", "phone", "07911 123456"),
        ("Call +44 20 7946 0958 for the clinic.", "phone", "+44 20 7946 0958"),
        ("Reach him at +44 7700 900456.", "phone", "+44 7700 900456"),
        ("Mein Mann: 0151 23456789.", "phone", "0151 23456789"),
        ("My US cell is (415) 555-0132.", "phone", "(415) 555-0132"),
        ("Mail me at jo.bloggs+ms@example.co.uk please", "email", "jo.bloggs+ms@example.co.uk"),
        (
            "I live at 14 Elm Grove Road, Leeds LS6 2AB now.",
            "address",
            "14 Elm Grove Road, Leeds LS6 2AB",
        ),
        ("Send it to Hauptstraße 12, 10115 Berlin.", "address", "Hauptstraße 12, 10115 Berlin"),
        (
            "Our place: 221 Maple Avenue, Springfield, IL 62704.",
            "address",
            "221 Maple Avenue, Springfield, IL 62704",
        ),
        ("I'm in the LS6 2AB area.", "address", "LS6 2AB"),
        ("Born on 3 March 1980 in Leeds.", "date_of_birth", "3 March 1980"),
        ("DOB 03/03/1980", "date_of_birth", "03/03/1980"),
        ("date of birth: 01.04.1983", "date_of_birth", "01.04.1983"),
        ("Ich bin am 5. Mai 1979 geboren.", "date_of_birth", "5. Mai 1979"),
        ("My NHS number is 943 476 5919.", "health_number", "943 476 5919"),
        ("NHS no 9434765919", "health_number", "9434765919"),
        ("Versichertennummer A123456780", "health_number", "A123456780"),
        ("SSN 536-22-8743", "health_number", "536-22-8743"),
        ("My policy number is PX-4491-22817.", "health_number", "PX-4491-22817"),
        ("My neighbour Sarah Connolly has MS too.", "name", "Sarah Connolly"),
        ("Karen Lindqvist from the group says hi.", "name", "Karen Lindqvist"),
        ("My GP, Dr. Amir Haddad, is kind.", "name", "Amir Haddad"),
    ],
)
def test_each_kind(text, kind, found):
    spans = find_personal_data(text)
    assert (kind, found) in [(s.kind, s.text) for s in spans], spans
    for span in spans:
        assert text[span.start : span.end] == span.text
        assert span.label


def test_nhs_number_needs_its_check_digit():
    # Fails Modulus 11: not an NHS number (the phone-number library may still take it).
    kinds = [s.kind for s in find_personal_data("My NHS number is 943 476 5918.")]
    assert "health_number" not in kinds


def test_spans_do_not_overlap_and_are_in_order():
    text = "DOB 12/07/1975, NHS no 401 023 2137, email a@example.org, Tom Whitaker, 07911 123456"
    spans = find_personal_data(text)
    assert [s.kind for s in spans] == ["date_of_birth", "health_number", "email", "name", "phone"]
    for a, b in zip(spans, spans[1:], strict=False):
        assert a.end <= b.start


def test_names_allowed():
    text = "My neighbour Sarah Connolly and my carer Tom Whitaker came round."
    assert [s.text for s in find_personal_data(text, names_allowed=["sarah connolly"])] == [
        "Tom Whitaker"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Tecfidera and Ocrevus are both MS treatments.",
        "Interferon Beta helps some people.",
        "Victoria Station has step free access now.",
        "Grace and I went to the coast for the weekend.",
        "Mark my words, the lift will be broken.",
        "Will anyone remind me about the meetup?",
        "London is lovely in spring, we went to Kew Gardens.",
        "Christmas Day with the family was exhausting.",
        "Rose Cottage tearooms do a great afternoon tea.",
        "The support group meets at 2pm on 3 March.",
        "I've had MS since 2009 and walk 5,000 steps a day.",
        "My MRI on 12/07/2024 showed no new lesions.",
    ],
)
def test_no_false_positives(text):
    assert find_personal_data(text) == []


def test_region_changes_national_numbers():
    assert _kinds("Ruf an: 030 12345678", region="DE") == [("phone", "030 12345678")]


def test_redact_keeps_the_rest_intact():
    text = "Hi, I'm at 14 Elm Grove Road, Leeds LS6 2AB; ring 07911 123456 or mail jo@example.org!"
    redacted = redact(text, find_personal_data(text))
    assert redacted == "Hi, I'm at [removed]; ring [removed] or mail [removed]!"


def test_redact_replacement_and_overlap():
    text = "abcdefghij"
    spans = [Span(2, 5, "cde", "name", "Name"), Span(4, 7, "efg", "name", "Name")]
    assert redact(text, spans, replacement="#") == "ab#hij"
    assert redact(text, []) == text
    assert redact("", []) == ""


def test_redact_right_to_left_offsets_hold():
    text = "Sarah Connolly rang Tom Whitaker on 07911 123456."
    spans = find_personal_data(text)
    assert len(spans) == 3
    assert redact(text, spans, replacement="[x]") == "[x] rang [x] on [x]."
