""" "Report a side effect": anyone may send; one case, the Pharmacovigilance group told by
email (reference and link only), an item linked only when the reporter may read it,
hostile input answered with form errors, too many posts with 429, never a 500."""

import re

from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from wagtail.models import Page

import pytest

from core import roles
from core.emails import site_url
from core.models import Audience
from safety.models import SafetyCase
from tests.factories import BlogPageFactory, UserFactory
from tests.factories.communities import CommunityPageFactory

pytestmark = pytest.mark.django_db

URL = "/safety/report/"
SENT_URL = "/safety/report/sent/"
WORDS = "Since starting Examplimab I get a rash on my arms and feel dizzy in the mornings."
PHARMACOVIGILANCE = getattr(roles, "PHARMACOVIGILANCE", "Pharmacovigilance")


@pytest.fixture
def pharmacovigilance(portal):
    """Someone in the Pharmacovigilance group (made here if setup_portal does not yet)."""
    group, _ = Group.objects.get_or_create(name=PHARMACOVIGILANCE)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="safety", codename="view_safetycase")
    )
    return UserFactory(group=PHARMACOVIGILANCE, display_name="PV officer")


@pytest.fixture
def post(blog_index):
    return BlogPageFactory(parent=blog_index, title="Pacing my energy")


def send(client, **fields):
    data = {"what_happened": WORDS, "medicine": "", "when": "", "contact": "", **fields}
    return client.post(URL, data)


def test_the_page_explains_the_national_scheme_and_that_this_is_no_emergency_service(
    client, portal
):
    response = client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="https://yellowcard.mhra.gov.uk/"' in html
    assert "the Yellow Card scheme (MHRA)" in html
    assert "Kindred is not an emergency service" in html
    assert "doctor" in html and "pharmacist" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    )


def test_a_member_sees_the_form_empty(client, member):
    client.force_login(member)

    html = client.get(URL).content.decode()

    assert 'name="what_happened"' in html
    # Nothing of theirs is filled in: a contact is given only by choice.
    assert member.email not in html
    contact = re.search(r'<input[^>]*name="contact"[^>]*>', html).group()
    assert "value=" not in contact and 'autocomplete="off"' in contact


def test_a_visitors_report_opens_one_case_and_tells_only_pharmacovigilance(
    client, pharmacovigilance, editor, member
):
    response = send(
        client,
        medicine="Examplimab 150 mg",
        when="two weeks after the first dose",
        serious="on",
        contact="reader@example.org",
    )

    assert response.status_code == 303
    assert response["Location"] == SENT_URL
    case = SafetyCase.objects.get()
    assert case.origin == SafetyCase.Origin.REPORTED
    assert case.author is None
    assert case.reporter == "a visitor"
    assert case.reporter_contact == "reader@example.org"
    assert case.medicine == "Examplimab 150 mg"
    assert case.serious is True
    assert case.page is None
    assert case.excerpt == f"When: two weeks after the first dose\n\n{WORDS}"
    assert case.event.startswith("Since starting Examplimab")
    # One email, to the group only; the reference and a link, not the words or contact.
    assert [message.to for message in mail.outbox] == [[pharmacovigilance.email]]
    message = mail.outbox[0]
    assert case.reference in message.subject and "(serious)" in message.subject
    assert case.reference in message.body
    assert site_url(reverse("safety_cases:edit", args=[case.pk])) in message.body
    assert "rash" not in message.body and "Examplimab" not in message.body
    assert "reader@example.org" not in message.body
    # The thank-you page (POST-redirect-GET) gives the reference.
    thanks = client.get(SENT_URL)
    assert thanks.status_code == 200
    assert case.reference in thanks.content.decode()


def test_a_members_report_names_them_and_links_the_item_they_read(
    client, member, post, pharmacovigilance
):
    client.force_login(member)
    page = client.get(f"{URL}?item={post.pk}").content.decode()
    assert f'name="item" value="{post.pk}"' in page
    assert "Pacing my energy" in page

    response = send(client, item=str(post.pk))

    assert response.status_code == 303
    case = SafetyCase.objects.get()
    assert case.author == member
    assert case.reporter == f"the member {member.public_name}"
    assert case.page_id == post.pk
    assert case.reporter_contact == ""
    assert case.serious is False


def test_a_double_press_by_a_member_opens_one_case(client, member, pharmacovigilance):
    client.force_login(member)
    token = "5f0c6a8e-8b9e-4c3e-9a53-0c1d1f9b7c11"

    first = send(client, submission=token)
    second = send(client, submission=token)

    assert first.status_code == second.status_code == 303
    assert SafetyCase.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.fixture
def unreadable(blog_index, community_index):
    """Pages a visitor may not read: a draft, a members-only item, a community's item."""
    draft = BlogPageFactory(parent=blog_index, title="Draft words", publish=False)
    members = BlogPageFactory(parent=blog_index, title="Members words", audience=Audience.MEMBERS)
    community = CommunityPageFactory(parent=community_index)
    community_item = BlogPageFactory(
        parent=blog_index,
        title="Community words",
        audience=Audience.COMMUNITY,
        community=community,
    )
    return [draft, members, community_item]


def test_an_item_the_reporter_may_not_read_is_not_linked(client, unreadable, pharmacovigilance):
    for page in unreadable:
        form = client.get(f"{URL}?item={page.pk}").content.decode()
        assert page.title not in form
        assert 'name="item" value=""' in form or 'name="item" id="id_item"' in form

        response = send(client, item=str(page.pk))

        assert response.status_code == 303
    assert list(SafetyCase.objects.values_list("page_id", flat=True)) == [None] * 3


@pytest.mark.parametrize(
    "item", ["abc", "-1", "0", "1e5", "99999999999999999999", "2147483648", " ", "1;DROP", "[]"]
)
def test_a_malformed_or_missing_item_is_dropped(client, portal, item):
    assert client.get(URL, {"item": item}).status_code == 200

    response = send(client, item=item)

    assert response.status_code == 303
    assert SafetyCase.objects.get().page is None


def test_a_made_up_item_id_is_dropped(client, post):
    missing = Page.objects.order_by("-pk").first().pk + 100

    response = send(client, item=str(missing))

    assert response.status_code == 303
    assert SafetyCase.objects.get().page is None


@pytest.mark.parametrize(
    "fields, field, words",
    [
        ({"what_happened": ""}, "what_happened", "Tell us what happened"),
        ({"what_happened": "   \u202e  "}, "what_happened", "Tell us what happened"),
        ({"what_happened": "x" * 100_000}, "what_happened", "at most 4,000 characters"),
        ({"medicine": "m" * 201}, "medicine", "at most 200 characters"),
        ({"when": "w" * 101}, "when", "at most 100 characters"),
        ({"contact": "not an address@"}, "contact", "email address does not look right"),
        ({"contact": "call me maybe"}, "contact", "Give an email address or a phone number"),
        ({"contact": "c" * 300}, "contact", "at most 254 characters"),
        (
            {"what_happened": "y" * 3990, "when": "last week"},
            "what_happened",
            "please shorten it",
        ),
    ],
)
def test_invalid_input_answers_400_with_the_forms_errors(client, portal, fields, field, words):
    response = send(client, **fields)

    html = response.content.decode()
    assert response.status_code == 400
    assert words in html
    assert f'id="id_{field}_errors"' in html
    assert not SafetyCase.objects.exists()


def test_a_missing_field_is_an_error_not_a_500(client, portal):
    response = client.post(URL, {})

    assert response.status_code == 400
    assert "Tell us what happened" in response.content.decode()


def test_what_was_typed_is_shown_back_escaped(client, portal):
    hostile = '"><script>alert(1)</script><img src=x onerror=alert(2)>'

    response = send(client, what_happened=hostile, contact=hostile, medicine=hostile)

    html = response.content.decode()
    assert response.status_code == 400
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_hostile_text_is_kept_as_text_in_the_case(client, pharmacovigilance):
    hostile = "<script>alert(1)</script> and a rash from Examplimab"

    assert send(client, what_happened=hostile, medicine="<b>X</b>").status_code == 303

    case = SafetyCase.objects.get()
    assert case.excerpt == hostile
    assert case.medicine == "<b>X</b>"
    assert "<script>" not in mail.outbox[0].body


def test_phone_numbers_are_accepted_as_contacts(client, portal):
    assert send(client, contact="+44 20 7946 0958").status_code == 303
    assert SafetyCase.objects.get().reporter_contact == "+44 20 7946 0958"


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_other_methods_are_refused(client, portal, method):
    assert getattr(client, method)(URL).status_code == 405


def test_the_post_needs_csrf(portal):
    client = Client(enforce_csrf_checks=True)

    response = client.post(URL, {"what_happened": WORDS})

    assert response.status_code == 403
    assert not SafetyCase.objects.exists()


@override_settings(SAFETY_REPORT_THROTTLE_RATE="3/h")
def test_too_many_reports_from_one_place_answer_429_with_a_way_on(client, portal):
    for _ in range(3):
        assert send(client).status_code == 303

    response = send(client)

    html = response.content.decode()
    assert response.status_code == 429
    assert "Your last report was not sent" in html
    assert 'href="https://yellowcard.mhra.gov.uk/"' in html
    assert SafetyCase.objects.count() == 3
    # Another address is not held back.
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert send(other).status_code == 303


def test_the_thank_you_page_without_a_report_is_plain(client, portal):
    response = client.get(SENT_URL)

    assert response.status_code == 200
    assert "Your reference is" not in response.content.decode()


def test_every_item_links_to_the_report_with_its_id(client, post, story_index, question_index):
    from tests.factories import ExperienceStoryPageFactory
    from tests.factories.questions import QuestionPageFactory

    story = ExperienceStoryPageFactory(parent=story_index)
    question = QuestionPageFactory(parent=question_index)

    for page in (post, story, question):
        html = client.get(page.url).content.decode()
        assert f'href="{URL}?item={page.pk}"' in html, page


# Signed in: the session and the user; the item's readability (view restrictions, the
# page); the site; the settings (cold cache only); the base page's own: the bell, the
# navigation, the site's root paths (cold cache only) and the review-queue link's
# permissions (two).
REPORT_PAGE_QUERIES = 11


def test_the_report_page_has_a_fixed_query_ceiling(
    client, member, post, django_assert_max_num_queries
):
    client.force_login(member)
    with django_assert_max_num_queries(REPORT_PAGE_QUERIES):
        assert client.get(f"{URL}?item={post.pk}").status_code == 200
    # Warm: neither the settings nor the root paths are read again.
    with django_assert_max_num_queries(REPORT_PAGE_QUERIES - 2):
        assert client.get(f"{URL}?item={post.pk}").status_code == 200


def test_the_report_page_is_named(portal):
    assert reverse("safety:report") == URL
    assert reverse("safety:report_sent") == SENT_URL
