"""One refusal type (core.refusals.Refused) and one way to answer it (core.responses)."""

import json
from urllib.parse import parse_qs, urlsplit

from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.http import Http404
from django.urls import reverse

import pytest

import discussion.selectors.comments
import discussion.services
import ratings.selectors
import ratings.services
import social.services
from core import responses
from core.refusals import Refused
from tests.xss import PAYLOADS, assert_harmless

# Every refusal the features raise, with the status its endpoints answered
# before they shared one type (the endpoint tests prove the same per view).
FEATURE_REFUSALS = [
    (ratings.services.RatingRefused, 400),
    (ratings.services.InvalidScore, 400),
    (ratings.services.OwnItem, 403),
    (ratings.services.MemberBrowser, 403),
    (ratings.services.ItemBusy, 429),
    (discussion.services.CommentRefused, 400),
    (discussion.services.CommentThrottled, 429),
    (discussion.services.EditWindowClosed, 403),
    (discussion.services.ReplyTargetGone, 400),
    (social.services.RelationRefused, 400),
    (social.services.SelfRelationRefused, 400),
    # Answered exactly like a missing profile.
    (social.services.MemberUnavailable, 404),
]


@pytest.mark.parametrize(("refusal_type", "status"), FEATURE_REFUSALS)
def test_every_feature_refusal_is_a_refused_with_status_and_message(refusal_type, status):
    refusal = refusal_type("You cannot do that here.")
    assert isinstance(refusal, Refused)
    assert refusal.status == status
    assert refusal.message == "You cannot do that here."
    # The old shapes keep working: str() is the message too.
    assert str(refusal) == "You cannot do that here."


def test_a_status_given_per_refusal_wins_over_the_default():
    refusal = discussion.services.CommentRefused("Slow down.", status=429)
    assert (refusal.status, refusal.message) == (429, "Slow down.")
    assert discussion.services.CommentRefused.status == 400


def test_one_place_says_where_to_sign_in():
    assert ratings.selectors.login_url_for is responses.login_url_for
    assert discussion.selectors.comments.login_url_for is responses.login_url_for


@pytest.mark.parametrize(
    "next_url",
    ["/stories/pacing/#comments", "/a/?page=2&sort=top", "/x/&next=//evil.example/", "/ü/ 1"],
)
def test_the_sign_in_url_carries_next_whole_and_nothing_else(next_url):
    url = urlsplit(responses.login_url_for(next_url))
    assert url.path == reverse("account_login")
    assert not url.fragment
    assert parse_qs(url.query) == {"next": [next_url]}


JSON_ACCEPT = {"HTTP_ACCEPT": "application/json"}


def _json(response):
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("application/json", True),
        ("text/html,application/xhtml+xml,*/*;q=0.8", False),
        ("*/*", False),
        ("", False),
        ("application/json;q=0.1, text/html", False),
        ("nonsense;;==,", False),
    ],
)
def test_only_an_explicit_preference_for_json_counts(rf, accept, expected):
    assert responses.wants_json(rf.post("/", HTTP_ACCEPT=accept)) is expected


def test_sign_in_required_answers_scripts_401_with_where_to_go(rf):
    response = responses.sign_in_required(
        rf.post("/ratings/1/", **JSON_ACCEPT), next_url="/a/#comments", message="Sign in to rate."
    )
    assert response.status_code == 401
    body = _json(response)
    assert body == {
        "error": "Sign in to rate.",
        "login_url": responses.login_url_for("/a/#comments"),
    }


def test_sign_in_required_sends_browsers_there_with_a_303(rf):
    response = responses.sign_in_required(
        rf.post("/ratings/1/"), next_url="/a/", message="Sign in to rate."
    )
    assert response.status_code == 303
    assert response["Location"] == responses.login_url_for("/a/")


def test_not_found_is_json_for_scripts_and_the_404_page_for_browsers(rf):
    response = responses.not_found(rf.get("/", **JSON_ACCEPT), "Nothing here.")
    assert (response.status_code, _json(response)) == (404, {"error": "Nothing here."})
    assert responses.not_found(rf.get("/"), "Nothing here.", json=True).status_code == 404
    with pytest.raises(Http404):
        responses.not_found(rf.get("/"), "Nothing here.")


def test_a_refusal_is_answered_at_its_status_as_json(rf):
    refusal = ratings.services.ItemBusy("Try later.")
    response = responses.refusal_response(
        rf.post("/", **JSON_ACCEPT), refusal, template="ratings/refused.html", json={"k": 1}
    )
    assert (response.status_code, _json(response)) == (429, {"error": "Try later.", "k": 1})


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_refusal_page_shows_the_message_harmlessly(rf, payload):
    request = rf.post("/")
    request.user = AnonymousUser()
    response = responses.refusal_response(
        request, Refused(payload, status=403), template="ratings/refused.html"
    )
    response.render()
    assert response.status_code == 403
    assert_harmless(response.content.decode())


def _with_messages(request):
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_done_answers_scripts_with_the_data_and_the_message(rf):
    request = _with_messages(rf.post("/", **JSON_ACCEPT))
    response = responses.done(
        request, message="Saved.", redirect_to="/a/", data={"id": 3}, status=201
    )
    assert (response.status_code, _json(response)) == (201, {"id": 3, "message": "Saved."})
    assert not list(get_messages(request))


def test_done_redirects_browsers_with_a_flash_message(rf):
    request = _with_messages(rf.post("/"))
    response = responses.done(request, message="Saved.", redirect_to="/a/#c3", data={"id": 3})
    assert (response.status_code, response["Location"]) == (303, "/a/#c3")
    assert [str(m) for m in get_messages(request)] == ["Saved."]
