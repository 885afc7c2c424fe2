"""Every place staff open a member's non-public data records exactly one row, with the right
member, role, what and purpose; none for the member themself or for what is public."""

from django.urls import reverse
from django.utils import timezone

import pytest

from audit.models import AccessRecord
from discussion.models import CommentReport
from moderation.services import page_submit_for_review
from safety.models import CrisisSignal
from tests.audit.conftest import rows
from tests.discussion.conftest import add_comment
from tests.factories import BlogPageFactory, ProfileFactory, UserFactory
from tests.safety.test_deadlines import make_case

pytestmark = pytest.mark.django_db


def submitted(blog_index, author, **kwargs):
    """An item by ``author`` waiting at the editorial step."""
    page = BlogPageFactory(parent=blog_index, author=author, publish=False, **kwargs)
    page_submit_for_review(page=page, user=author)
    return page


@pytest.fixture
def in_review(blog_index, writer):
    return submitted(blog_index, writer, title="Pacing and rest")


@pytest.fixture
def draft(blog_index, writer):
    return BlogPageFactory(parent=blog_index, author=writer, publish=False, title="Not yet")


@pytest.fixture
def live(blog_index, writer):
    return BlogPageFactory(parent=blog_index, author=writer, title="Out there")


# --- Pages in the admin ------------------------------------------------------------------


def test_an_editor_opening_an_item_in_review_records_one_row(client, editor, writer, in_review):
    client.force_login(editor)

    edit = client.get(reverse("wagtailadmin_pages:edit", args=(in_review.pk,)))
    preview = client.get(reverse("wagtailadmin_pages:view_draft", args=(in_review.pk,)))

    assert edit.status_code == 200
    assert preview.status_code == 200
    # The editor and the preview are one opening of one item within the window.
    assert rows() == [
        (writer.pk, editor.pk, "Editors", "in_review", "review", f"page:{in_review.pk}")
    ]


@pytest.mark.parametrize("url_name", ["wagtailadmin_pages:edit", "wagtailadmin_pages:view_draft"])
def test_a_superuser_opening_a_draft_records_it(client, superuser, writer, draft, url_name):
    client.force_login(superuser)

    assert client.get(reverse(url_name, args=(draft.pk,))).status_code == 200

    assert rows() == [
        (writer.pk, superuser.pk, "Administrator", "draft", "review", f"page:{draft.pk}")
    ]


def test_a_live_unchanged_item_is_public_and_not_recorded(client, superuser, live):
    client.force_login(superuser)

    assert client.get(reverse("wagtailadmin_pages:edit", args=(live.pk,))).status_code == 200
    assert client.get(reverse("wagtailadmin_pages:view_draft", args=(live.pk,))).status_code == 200
    live_revision = live.live_revision_id
    assert (
        client.get(
            reverse("wagtailadmin_pages:revisions_view", args=(live.pk, live_revision))
        ).status_code
        == 200
    )

    assert rows() == []


def test_an_older_revision_of_a_live_item_is_not_public(client, superuser, writer, live):
    older = live.live_revision_id
    live.title = "Out there, revised"
    live.save_revision(user=writer).publish()
    live.refresh_from_db()
    client.force_login(superuser)

    view = client.get(reverse("wagtailadmin_pages:revisions_view", args=(live.pk, older)))
    compare = client.get(
        reverse("wagtailadmin_pages:revisions_compare", args=(live.pk, older, "latest"))
    )

    assert view.status_code == 200
    assert compare.status_code == 200
    assert rows() == [
        (writer.pk, superuser.pk, "Administrator", "draft", "review", f"page:{live.pk}")
    ]


def test_the_author_opening_their_own_draft_is_not_recorded(client, superuser, blog_index):
    page = BlogPageFactory(parent=blog_index, author=superuser, owner=superuser, publish=False)
    client.force_login(superuser)

    assert client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).status_code == 200
    assert client.get(reverse("wagtailadmin_pages:view_draft", args=(page.pk,))).status_code == 200

    assert rows() == []


def test_a_refused_opening_is_not_recorded(client, medic, draft, in_review):
    # A draft is not the medic's to see, and the item in review waits for the editors.
    client.force_login(medic)

    for page in (draft, in_review):
        for name in ("edit", "view_draft"):
            assert client.get(
                reverse(f"wagtailadmin_pages:{name}", args=(page.pk,))
            ).status_code in (
                302,
                403,
                404,
            )

    assert rows() == []


def test_the_personal_data_hints_record_an_item_in_review(client, editor, writer, in_review):
    client.force_login(editor)

    response = client.get(reverse("kindred_personal_data:page", args=(in_review.pk,)))

    assert response.status_code == 200
    assert rows() == [
        (writer.pk, editor.pk, "Editors", "in_review", "review", f"page:{in_review.pk}")
    ]


# --- Held comments -----------------------------------------------------------------------


def test_the_comment_queue_records_each_held_comments_author_once(
    client, editor, writer, member, blog_index
):
    post = BlogPageFactory(parent=blog_index, title="Pacing my energy")
    first = add_comment(post, writer, "Held one", state="awaiting")
    add_comment(post, writer, "Held two", state="awaiting")
    held_for_member = add_comment(post, member, "Held three", state="awaiting")
    # A reported comment is public: its author is not told about the queue.
    reporter = UserFactory()
    public = add_comment(post, UserFactory(), "Public words")
    CommentReport.objects.create(comment=public, reporter=reporter, reason="abusive", text="x")
    client.force_login(editor)

    assert client.get(reverse("discussion_admin:queue")).status_code == 200
    assert client.get(reverse("discussion_admin:queue")).status_code == 200

    assert sorted(rows()) == sorted(
        [
            (writer.pk, editor.pk, "Editors", "held_comment", "moderation", f"comment:{first.pk}"),
            (
                member.pk,
                editor.pk,
                "Editors",
                "held_comment",
                "moderation",
                f"comment:{held_for_member.pk}",
            ),
        ]
    )


def test_the_crisis_signals_record_the_held_authors(client, editor, writer, member, blog_index):
    page = BlogPageFactory(parent=blog_index, author=writer, publish=False, title="Nights")
    CrisisSignal.objects.create(page=page, author=writer, excerpt="Some nights are dark.")
    post = BlogPageFactory(parent=blog_index, title="Pacing")
    comment = add_comment(post, member, "Dark words", state="awaiting")
    CrisisSignal.objects.create(comment=comment, author=member, excerpt="Dark words")
    handled = CrisisSignal.objects.create(
        page=BlogPageFactory(parent=blog_index), author=UserFactory(), excerpt="Old"
    )
    CrisisSignal.objects.filter(pk=handled.pk).update(
        handled_at=timezone.now(), handled_note="Called them; safe."
    )
    client.force_login(editor)

    assert client.get(reverse("safety_crisis:index")).status_code == 200

    assert sorted(rows()) == sorted(
        [
            (writer.pk, editor.pk, "Editors", "in_review", "moderation", f"page:{page.pk}"),
            (
                member.pk,
                editor.pk,
                "Editors",
                "held_comment",
                "moderation",
                f"comment:{comment.pk}",
            ),
        ]
    )


# --- Safety cases --------------------------------------------------------------------


def test_a_safety_case_its_print_and_csv_are_one_opening(client, pv, writer, blog_index):
    page = BlogPageFactory(parent=blog_index, author=writer)
    case = make_case(opened=timezone.localdate(), page=page, author=writer)
    client.force_login(pv)

    for name in ("edit", "print", "csv"):
        assert client.get(reverse(f"safety_cases:{name}", args=(case.pk,))).status_code == 200

    assert rows() == [
        (writer.pk, pv.pk, "Pharmacovigilance", "safety_case", "safety", f"case:{case.pk}")
    ]


def test_a_case_without_a_member_records_nothing(client, pv):
    case = make_case(opened=timezone.localdate())
    client.force_login(pv)

    assert client.get(reverse("safety_cases:edit", args=(case.pk,))).status_code == 200

    assert rows() == []


def test_a_case_refused_to_an_editor_records_nothing(client, editor, writer, blog_index):
    case = make_case(opened=timezone.localdate(), author=writer)
    client.force_login(editor)

    for name in ("edit", "print", "csv"):
        assert client.get(reverse(f"safety_cases:{name}", args=(case.pk,))).status_code != 200

    assert rows() == []


# --- Profiles ------------------------------------------------------------------------


def test_staff_reading_a_members_only_profile_is_recorded(client, editor, writer):
    profile = ProfileFactory(user=writer, visibility="members")
    client.force_login(editor)

    assert client.get(profile.get_absolute_url()).status_code == 200

    assert rows() == [
        (writer.pk, editor.pk, "Editors", "private_profile", "moderation", f"profile:{profile.pk}")
    ]


def test_members_public_profiles_and_ones_own_are_not_recorded(client, editor, member, writer):
    members_only = ProfileFactory(user=writer, visibility="members")
    public = ProfileFactory(user=UserFactory(), visibility="everyone")
    own = ProfileFactory(user=editor, visibility="members")

    client.force_login(member)
    assert client.get(members_only.get_absolute_url()).status_code == 200
    client.force_login(editor)
    assert client.get(public.get_absolute_url()).status_code == 200
    assert client.get(own.get_absolute_url()).status_code == 200

    assert rows() == []


# --- A member's account in the admin ---------------------------------------------------


def test_a_superuser_opening_a_members_account_records_it(client, superuser, writer):
    client.force_login(superuser)

    assert client.get(reverse("wagtailusers_users:edit", args=(writer.pk,))).status_code == 200
    assert client.get(reverse("wagtailusers_users:edit", args=(superuser.pk,))).status_code == 200

    assert rows() == [
        (writer.pk, superuser.pk, "Administrator", "account", "support", f"user:{writer.pk}")
    ]


def test_nothing_is_recorded_for_visitors(client, in_review):
    assert client.get(reverse("wagtailadmin_pages:edit", args=(in_review.pk,))).status_code == 302
    assert AccessRecord.objects.count() == 0
