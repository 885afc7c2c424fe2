"""Opening a safety case by hand from a page in the admin or a comment in the moderation
queue (safety.admin_views.open_from_page / open_from_comment)."""

from django.urls import reverse

from wagtail.models import ModelLogEntry

import pytest
from bs4 import BeautifulSoup

from core import roles
from safety.admin_views import NOT_YOURS_MESSAGE, OPENED_MESSAGE, open_case_url
from safety.models import CaseNote, SafetyCase
from safety.services.cases import CASE_OPENED
from tests.discussion.conftest import add_comment
from tests.factories import BlogPageFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pv(portal):
    return UserFactory(group=roles.PHARMACOVIGILANCE, display_name="Pat Vigilance")


@pytest.fixture
def post(blog_index, member):
    return BlogPageFactory(
        parent=blog_index,
        author=member,
        title="My first month",
        summary="Since starting fingolimod my heart races at night.",
    )


@pytest.fixture
def draft(blog_index, member):
    return BlogPageFactory(parent=blog_index, author=member, publish=False, title="qzdraftvx")


@pytest.fixture
def comment(post, member):
    return add_comment(post, member, "Since the new tablets my vision is blurred.")


FORM = {
    "excerpt": "My heart races since fingolimod.",
    "medicine": "fingolimod",
    "event": "heart races",
}


@pytest.mark.parametrize("role", ["editor", "medic", "pv", "superuser"])
def test_those_who_may_open_a_case_open_one_from_a_page(request, client, post, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    url = open_case_url(page_id=post.pk)

    form = client.get(url)
    assert form.status_code == 200
    excerpt = BeautifulSoup(form.content, "html.parser").find("textarea", attrs={"name": "excerpt"})
    assert "heart races at night" in excerpt.get_text()  # prefilled from the page

    response = client.post(url, {**FORM, "serious": "on", "note": "Looks serious."})

    # Back, told so: a reload there opens nothing twice.
    assert response.status_code == 302
    assert OPENED_MESSAGE in client.get(response.url, follow=True).content.decode()
    case = SafetyCase.objects.get()
    assert (case.origin, case.page_id, case.revision_id, case.comment_id) == (
        SafetyCase.Origin.MANUAL,
        post.pk,
        post.latest_revision_id,
        None,
    )
    assert (case.author_id, case.opened_by_id, case.serious) == (post.author_id, user.pk, True)
    assert case.patient.startswith("The author") and case.reporter == case.patient
    assert [match["kind"] for match in case.matches] == ["medicine", "event"]
    assert CaseNote.objects.get(case=case).text == "Looks serious."
    entry = ModelLogEntry.objects.get(object_id=str(case.pk), action=CASE_OPENED)
    assert entry.user_id == user.pk


@pytest.mark.parametrize("role", ["editor", "medic"])
def test_the_opener_does_not_see_the_case(request, client, post, role):
    client.force_login(request.getfixturevalue(role))
    response = client.post(open_case_url(page_id=post.pk), FORM, follow=True)
    assert NOT_YOURS_MESSAGE in response.content.decode()
    case = SafetyCase.objects.get()

    for url in (
        reverse("safety_cases:index"),
        reverse("safety_cases:edit", args=(case.pk,)),
        reverse("safety_cases:print", args=(case.pk,)),
        reverse("safety_cases:csv", args=(case.pk,)),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert "fingolimod" not in response.content.decode()


def test_the_page_header_offers_the_button_to_those_who_may_open(client, post, editor, manager):
    url = open_case_url(page_id=post.pk)
    client.force_login(editor)
    assert url in client.get(reverse("wagtailadmin_pages:edit", args=(post.pk,))).content.decode()

    client.force_login(manager)
    response = client.get(reverse("wagtailadmin_explore", args=(post.get_parent().pk,)))
    assert url not in response.content.decode()


@pytest.mark.parametrize("role", ["member", "expert", "manager"])
def test_nobody_else_opens_a_case(request, client, post, comment, role):
    client.force_login(request.getfixturevalue(role))
    for url in (open_case_url(page_id=post.pk), open_case_url(comment_id=comment.pk)):
        assert client.get(url).status_code in (302, 403), url
        assert client.post(url, FORM).status_code in (302, 403), url
    assert not SafetyCase.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, post):
    response = client.post(open_case_url(page_id=post.pk), FORM)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not SafetyCase.objects.exists()


def test_a_page_the_user_may_not_see_answers_as_a_missing_one(client, medic, draft):
    client.force_login(medic)
    for page_id in (draft.pk, 999999, 2**63, 2**70):
        url = reverse("kindred_safety:open_page", args=(page_id,))
        assert client.get(url).status_code == 404, page_id
        response = client.post(url, FORM)
        assert response.status_code == 404, page_id
        assert "qzdraftvx" not in response.content.decode()
    assert not SafetyCase.objects.exists()


def test_the_form_goes_back_where_it_was_opened_only_inside_the_admin(client, editor, post):
    client.force_login(editor)
    explorer = reverse("wagtailadmin_explore", args=(post.get_parent().pk,))

    response = client.post(open_case_url(page_id=post.pk, next_url=explorer), FORM)
    assert response.url == explorer

    for elsewhere in ("https://evil.example/admin/", "//evil.example/admin/", "/accounts/"):
        response = client.post(open_case_url(page_id=post.pk, next_url=elsewhere), FORM)
        assert response.url == reverse("wagtailadmin_pages:edit", args=(post.pk,)), elsewhere


def test_only_get_and_post(client, editor, post):
    client.force_login(editor)
    for method in ("put", "delete", "patch"):
        assert getattr(client, method)(open_case_url(page_id=post.pk)).status_code == 405


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"excerpt": "   "},
        {"excerpt": "x" * 4001},
        {"excerpt": "ok", "medicine": "m" * 201},
        {"excerpt": "ok", "note": "n" * 4001},
        {"excerpt": "a NUL \x00 byte", "serious": "maybe"},
    ],
)
def test_bad_input_is_a_form_error(client, editor, post, data):
    client.force_login(editor)
    response = client.post(open_case_url(page_id=post.pk), data)
    assert response.status_code == 400
    assert not SafetyCase.objects.exists()


# --- From a comment -------------------------------------------------------------------


def test_an_editor_opens_a_case_from_a_comment_in_the_queue(client, editor, post, member):
    comment = add_comment(
        post, member, "Since the new tablets my vision is blurred.", state="awaiting"
    )
    client.force_login(editor)

    queue = client.get(reverse("discussion_admin:queue")).content.decode()
    url = open_case_url(comment_id=comment.pk)
    assert url in queue

    form = client.get(url)
    assert "my vision is blurred" in form.content.decode()
    response = client.post(
        url, {"excerpt": "my vision is blurred", "event": "blurred vision"}, follow=True
    )

    assert response.redirect_chain[0][0].startswith(reverse("discussion_admin:queue"))
    assert OPENED_MESSAGE in response.content.decode()
    case = SafetyCase.objects.get()
    assert (case.comment_id, case.page_id, case.author_id, case.opened_by_id) == (
        comment.pk,
        None,
        member.pk,
        editor.pk,
    )


def test_the_queue_offers_no_link_without_the_permission(client, portal, post, member):
    add_comment(post, member, state="awaiting")
    moderator = UserFactory(group=roles.EDITORS)
    editors = moderator.groups.get()
    editors.permissions.remove(editors.permissions.get(codename="open_case"))
    client.force_login(moderator)

    queue = client.get(reverse("discussion_admin:queue")).content.decode()

    assert "/admin/safety/open/" not in queue


def test_a_comment_needs_a_moderator_and_an_existing_id(client, medic, editor, comment):
    # Medical reviewers open cases but do not moderate comments: every comment is missing.
    client.force_login(medic)
    assert client.get(open_case_url(comment_id=comment.pk)).status_code == 404
    client.force_login(editor)
    for comment_id in (999999, 2**63, 2**70):
        url = reverse("kindred_safety:open_comment", args=(comment_id,))
        assert client.get(url).status_code == 404
        assert client.post(url, FORM).status_code == 404
    assert not SafetyCase.objects.exists()


def test_a_case_opened_by_hand_appears_in_the_inbox(client, editor, pv, post):
    client.force_login(editor)
    client.post(open_case_url(page_id=post.pk), FORM)

    client.force_login(pv)
    response = client.get(reverse("safety_cases:index"))

    assert "fingolimod" in response.content.decode()
    case = SafetyCase.objects.get()
    page = client.get(reverse("safety_cases:edit", args=(case.pk,)))
    marks = BeautifulSoup(page.content, "html.parser").select(".safety-excerpt mark")
    assert [mark.get_text() for mark in marks] == ["heart races", "fingolimod"]
