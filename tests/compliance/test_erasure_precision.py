"""An erasure scrubs mentions of the member, never other people's rows that merely look alike.

The traces (log labels, the anonymous query log, the outbox) are found by text. A short
name inside a longer word ("Anna" in "Savannah") or a removed item's title inside another
item's title ("Fatigue" in "Fatigue and me") is not a mention: those rows belong to other
people and must survive unchanged, while the real mentions go.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.utils import timezone

from wagtail.contrib.search_promotions.models import Query
from wagtail.models import ModelLogEntry, PageLogEntry

import pytest

from compliance.erasure import ERASED_LABEL
from compliance.services.erasure import erasure_perform
from core import roles
from core.mail import email_queue
from core.models import OutboundEmail
from safety.services import case_update
from safety.services.cases import CASE_UPDATED
from tests.compliance.test_erasure_job import requested
from tests.factories import BlogPageFactory, UserFactory
from tests.safety.test_deadlines import make_case

pytestmark = pytest.mark.django_db


def searched(text):
    Query.get(text).add_hit()


def log_about(user, label):
    """A log entry on ``user``'s account row with ``label`` (as an admin's edit would write)."""
    return ModelLogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(user),
        object_id=str(user.pk),
        label=label,
        action="wagtail.edit",
        data={},
        timestamp=timezone.now(),
    )


def queued(to, subject):
    return email_queue(
        message=EmailMessage(subject=subject, body="Hello", to=[to]), key=f"test:{subject}"
    )


@pytest.fixture
def anna(portal):
    return UserFactory(group=roles.MEMBERS, display_name="Anna")


def test_a_short_name_is_scrubbed_as_a_word_not_inside_other_words(anna, mailoutbox):
    other = UserFactory(group=roles.MEMBERS, display_name="Savannah")
    for text in ("anna ms diary", "savannah trip", "hannah"):
        searched(text)
    mention = log_about(other, "Anna's neighbour")
    lookalike = log_about(other, "Savannah")

    erasure_perform(request=requested(anna))

    assert set(Query.objects.values_list("query_string", flat=True)) == {"savannah trip", "hannah"}
    mention.refresh_from_db()
    lookalike.refresh_from_db()
    assert mention.label == ERASED_LABEL
    assert lookalike.label == "Savannah"


def test_a_removed_title_is_scrubbed_where_it_is_named_not_inside_other_titles(
    anna, blog_index, mailoutbox
):
    removed = BlogPageFactory(parent=blog_index, author=anna, title="Fatigue")
    others = BlogPageFactory(parent=blog_index, title="Fatigue and me")
    PageLogEntry.objects.log_action(instance=others, action="wagtail.edit")
    named = queued("reader@example.org", "A new comment on ‘Fatigue’")
    not_named = queued("reader@example.org", "A new comment on ‘Fatigue and me’")

    erasure_perform(request=requested(anna))

    assert not PageLogEntry.objects.filter(page_id=removed.pk).exclude(label=ERASED_LABEL)
    assert set(PageLogEntry.objects.filter(page=others).values_list("label", flat=True)) == {
        "Fatigue and me"
    }
    remaining = set(OutboundEmail.objects.values_list("pk", flat=True))
    assert named.pk not in remaining
    assert not_named.pk in remaining


def test_a_safety_case_history_keeps_the_coded_changes_and_loses_the_members_words(
    anna, mailoutbox
):
    """A triager's change logs each field's old and new value; the member's words go."""
    case = make_case(
        opened=timezone.localdate(),
        author=anna,
        patient="My wife Zelda, 52",
        event="Zelda got a rash on her arms",
    )
    officer = UserFactory(group=roles.PHARMACOVIGILANCE)
    case_update(case=case, user=officer, patient="The author's wife", event="Rash", serious=True)

    erasure_perform(request=requested(anna))

    [entry] = ModelLogEntry.objects.filter(action=CASE_UPDATED)
    assert "zelda" not in str(entry.data).lower()
    # The coded record stays: who changed what, and the seriousness.
    assert entry.user_id == officer.pk
    assert entry.data["changed"]["serious"] == {"old": False, "new": True}
    assert set(entry.data["changed"]) == {"patient", "event", "serious"}
