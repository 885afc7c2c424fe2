"""The personal-data hints endpoint a writer's script calls while they type (issue 15)."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

import pytest

from authoring.forms import TITLE_MAX_LENGTH
from authoring.markup import MAX_BODY_LENGTH
from core.models.mixins import SUMMARY_MAX_LENGTH
from safety.hint_views import THROTTLE_RATE
from safety.hints import MAX_TEXT_LENGTH
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("safety:personal_data_hints")
JSON = {"HTTP_ACCEPT": "application/json"}
THROTTLE_RATE_COUNT = int(THROTTLE_RATE.split("/")[0])

# One sentence per kind the detector knows, with the words it should point at.
EXAMPLES = {
    "phone": ("Ring me on 07700 900123 if you want to chat about Ocrevus.", "07700 900123"),
    "email": (
        "My email is sarah.mcgregor77@example.com, drop me a line.",
        "sarah.mcgregor77@example.com",
    ),
    "address": (
        "I live at 14 Elm Grove Road, Leeds LS6 2AB if anyone wants to meet up.",
        "14 Elm Grove Road, Leeds LS6 2AB",
    ),
    "date_of_birth": ("Born on 3 March 1980, diagnosed at 29.", "3 March 1980"),
    "health_number": (
        "My NHS number is 943 476 5919 in case the hospital asks.",
        "943 476 5919",
    ),
    "name": ("My carer Tom Whitaker drives me to every infusion.", "Tom Whitaker"),
}


def post(client, data, **extra):
    return client.post(URL, data, **{**JSON, **extra})


def hints_of(response):
    assert response.status_code == 200, response.content
    return response.json()["hints"]


@pytest.fixture
def writer(portal):
    return UserFactory(group="Members", display_name="Sarah Connolly")


@pytest.mark.parametrize("kind", EXAMPLES)
def test_a_member_is_told_what_looks_like_personal_data(client, writer, kind):
    text, found = EXAMPLES[kind]
    client.force_login(writer)

    hints = hints_of(post(client, {"text": text}))

    assert [hint["kind"] for hint in hints] == [kind]
    (hint,) = hints
    assert set(hint) == {"start", "end", "text", "kind", "label"}
    assert found in hint["text"]
    assert text[hint["start"] : hint["end"]] == hint["text"]
    assert hint["label"]


def test_hints_come_in_order_with_offsets_into_the_whole_text(client, writer):
    client.force_login(writer)
    title = "Email james_o@example.org"
    body = "or text 07911 123456 after six."
    text = f"{title}\n\n{body}"

    hints = hints_of(post(client, {"text": text}))

    assert [hint["kind"] for hint in hints] == ["email", "phone"]
    assert [text[h["start"] : h["end"]] for h in hints] == [h["text"] for h in hints]
    assert hints[0]["end"] <= hints[1]["start"]


def test_nothing_personal_means_no_hints(client, writer):
    client.force_login(writer)

    assert hints_of(post(client, {"text": "Is fampridine available on the NHS in Scotland?"})) == []
    assert hints_of(post(client, {"text": ""})) == []


def test_the_writers_own_name_is_not_flagged(client, writer):
    client.force_login(writer)
    text = "Hello, I am Sarah Connolly and I have had MS for ten years."

    assert [h for h in hints_of(post(client, {"text": text})) if h["kind"] == "name"] == []


def test_the_writers_own_name_is_flagged_when_they_write_anonymously(client, writer):
    client.force_login(writer)
    text = "Hello, I am Sarah Connolly and I have had MS for ten years."

    hints = hints_of(post(client, {"text": text, "anonymous": "1"}))

    assert [(h["kind"], h["text"]) for h in hints] == [("name", "Sarah Connolly")]


def test_someone_elses_name_is_flagged_for_the_writer(client, writer):
    client.force_login(writer)
    text = "My neighbour Margaret Fleming called the ambulance."

    hints = hints_of(post(client, {"text": text}))

    assert ("name", "Margaret Fleming") in [(h["kind"], h["text"]) for h in hints]


def test_a_visitor_is_refused_in_json_with_where_to_sign_in(client, portal):
    response = post(client, {"text": EXAMPLES["phone"][0]})

    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert "Sign in" in body["error"]
    assert body["login_url"].startswith(reverse("account_login"))
    assert "hints" not in body


def test_a_get_is_not_allowed(client, writer):
    client.force_login(writer)

    assert client.get(URL, {"text": EXAMPLES["phone"][0]}, **JSON).status_code == 405


def test_csrf_is_required(writer, portal):
    client = Client(enforce_csrf_checks=True)
    client.force_login(writer)

    assert post(client, {"text": EXAMPLES["phone"][0]}).status_code == 403


def test_the_limit_covers_everything_a_writing_form_holds():
    assert MAX_TEXT_LENGTH >= TITLE_MAX_LENGTH + SUMMARY_MAX_LENGTH + MAX_BODY_LENGTH + 4


def test_a_full_form_is_checked(client, writer):
    client.force_login(writer)
    text = ("x" * TITLE_MAX_LENGTH) + "\n\n" + ("y" * SUMMARY_MAX_LENGTH) + "\n\n"
    text += ("Ring 07700 900123. " * 2000)[:MAX_BODY_LENGTH]

    hints = hints_of(post(client, {"text": text}))

    assert hints and {hint["kind"] for hint in hints} == {"phone"}


def test_longer_than_any_form_is_refused_in_words(client, writer):
    client.force_login(writer)

    response = post(client, {"text": "a" * (MAX_TEXT_LENGTH + 1)})

    assert response.status_code == 413
    assert "longer than" in response.json()["error"]


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"txt": "07700 900123"},
        {"text": ["07700 900123", "07911 123456"]},
        {"text[]": "07700 900123"},
    ],
    ids=["nothing", "misnamed", "twice", "array"],
)
def test_a_missing_or_malformed_text_is_a_400_in_json(client, writer, data):
    client.force_login(writer)

    response = post(client, data)

    assert response.status_code == 400
    assert response.json() == {"error": "Send the text to check as “text”."}


def test_a_json_body_or_a_file_is_not_text(client, writer):
    client.force_login(writer)

    as_json = client.post(
        URL, json.dumps({"text": EXAMPLES["phone"][0]}), content_type="application/json", **JSON
    )
    as_file = post(client, {"text": SimpleUploadedFile("t.txt", b"07700 900123")})

    assert as_json.status_code == 400
    assert as_file.status_code == 400


@pytest.mark.parametrize("anonymous", ["", "0", "no", "banana", "\x00", "1" * 5000])
def test_odd_values_of_anonymous_are_not_an_error(client, writer, anonymous):
    client.force_login(writer)

    assert post(client, {"text": "Hi", "anonymous": anonymous}).status_code == 200


def test_hostile_text_comes_back_only_as_json_data(client, writer):
    client.force_login(writer)
    text = '<script>alert(1)</script> mail "x"@example.org or <img src=x onerror=alert(1)>@e.org'

    response = post(client, {"text": text})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    # Data for the script to put in text nodes, never a page a browser would render.
    data = json.loads(response.content)
    assert set(data) == {"hints"}
    for hint in data["hints"]:
        assert text[hint["start"] : hint["end"]] == hint["text"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_control_characters_and_nul_are_checked_without_error(client, writer):
    client.force_login(writer)

    response = post(client, {"text": "ring\x00 07700\u200b900123 \ud7ff \x1b[31m"})

    assert response.status_code == 200


def test_the_answer_is_never_cached(client, writer):
    client.force_login(writer)

    response = post(client, {"text": EXAMPLES["phone"][0]})

    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_checks_are_throttled_per_member(client, writer, settings):
    settings.SAFETY_HINTS_THROTTLE_RATE = "3/m"
    client.force_login(writer)
    for _ in range(3):
        assert post(client, {"text": "Hello"}).status_code == 200

    response = post(client, {"text": "Hello"})

    assert response.status_code == 429
    assert "many checks" in response.json()["error"]
    # Another member has their own allowance.
    client.force_login(UserFactory(group="Members"))
    assert post(client, {"text": "Hello"}).status_code == 200


def test_one_check_costs_only_the_sign_in_queries(client, writer, django_assert_max_num_queries):
    client.force_login(writer)
    text = " ".join(sentence for sentence, _ in EXAMPLES.values())

    with django_assert_max_num_queries(2):
        response = post(client, {"text": text})

    assert response.status_code == 200


def test_a_body_beyond_what_django_reads_is_refused_not_an_error(client, writer, settings):
    client.force_login(writer)

    response = post(client, {"text": "a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})

    assert response.status_code in (400, 413)


def test_the_default_throttle_lets_a_writer_through_and_stops_a_flood(client, writer):
    client.force_login(writer)
    for _ in range(THROTTLE_RATE_COUNT):
        assert post(client, {"text": "Hi"}).status_code == 200

    assert post(client, {"text": "Hi"}).status_code == 429
