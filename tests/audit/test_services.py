"""The access log's writes: who is recorded, repeats within the window, the bulk form."""

import re
from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

import pytest

from audit.models import AccessPurpose, AccessRecord, AccessWhat
from audit.selectors import is_staff, may_export, staff_role, viewer_reference
from audit.services import REPEAT_WINDOW, access_record, access_record_many
from tests.audit.conftest import rows
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _record(viewer, subject, ref="page:1", what=AccessWhat.DRAFT):
    return access_record(
        viewer=viewer, subject=subject, what=what, purpose=AccessPurpose.REVIEW, object_ref=ref
    )


def test_a_staff_opening_is_one_row_with_the_role(editor, writer):
    _record(editor, writer)

    assert rows() == [(writer.pk, editor.pk, "Editors", "draft", "review", "page:1")]


def test_the_author_themself_and_anonymous_viewers_are_not_recorded(writer):
    assert _record(writer, writer) is None
    assert _record(AnonymousUser(), writer) is None
    assert AccessRecord.objects.count() == 0


def test_a_repeat_within_the_window_is_the_same_row_and_a_later_one_is_new(editor, writer):
    first = _record(editor, writer)
    AccessRecord.objects.filter(pk=first.pk).update(
        at=timezone.now() - REPEAT_WINDOW + timedelta(minutes=1)
    )
    again = _record(editor, writer)
    other_item = _record(editor, writer, ref="page:2")
    AccessRecord.objects.filter(pk__in=[first.pk, other_item.pk]).update(
        at=timezone.now() - REPEAT_WINDOW - timedelta(minutes=1)
    )
    later = _record(editor, writer)

    assert again.pk == first.pk
    assert other_item.pk != first.pk
    assert later.pk not in (first.pk, other_item.pk)
    assert AccessRecord.objects.count() == 3


def test_unknown_kinds_are_refused(editor, writer):
    with pytest.raises(ValueError):
        access_record(viewer=editor, subject=writer, what="gossip", purpose="review")
    with pytest.raises(ValueError):
        access_record_many(viewer=editor, purpose="curiosity", accesses=[])


def test_bulk_records_one_row_per_member_and_kind_skipping_the_viewer(editor, writer, member):
    added = access_record_many(
        viewer=editor,
        purpose=AccessPurpose.MODERATION,
        accesses=[
            (writer.pk, AccessWhat.HELD_COMMENT, "comment:1"),
            (writer.pk, AccessWhat.HELD_COMMENT, "comment:2"),
            (member.pk, AccessWhat.HELD_COMMENT, "comment:3"),
            (editor.pk, AccessWhat.HELD_COMMENT, "comment:4"),
            (None, AccessWhat.HELD_COMMENT, "comment:5"),
        ],
    )

    assert added == 2
    assert rows() == [
        (writer.pk, editor.pk, "Editors", "held_comment", "moderation", "comment:1"),
        (member.pk, editor.pk, "Editors", "held_comment", "moderation", "comment:3"),
    ]


@pytest.mark.parametrize("count", [3, 30])
def test_bulk_costs_the_same_for_3_and_30_members(editor, portal, count, django_assert_num_queries):
    members = UserFactory.create_batch(count)
    accesses = [(m.pk, AccessWhat.HELD_COMMENT, f"comment:{m.pk}") for m in members]

    # The repeats in the window, the viewer's groups, one insert.
    with django_assert_num_queries(3):
        assert (
            access_record_many(viewer=editor, purpose=AccessPurpose.MODERATION, accesses=accesses)
            == count
        )
    # A reload within the window: the repeats' query, nothing written.
    with django_assert_num_queries(1):
        assert (
            access_record_many(viewer=editor, purpose=AccessPurpose.MODERATION, accesses=accesses)
            == 0
        )
    assert AccessRecord.objects.count() == count


def test_roles_and_staff(editor, medic, member, superuser, manager, pv, dpo, expert):
    assert [staff_role(u) for u in (superuser, editor, medic, pv, dpo, manager)] == [
        "Administrator",
        "Editors",
        "Medical reviewers",
        "Pharmacovigilance",
        "Data protection",
        "Community managers",
    ]
    assert [is_staff(u) for u in (superuser, editor, medic, pv, dpo, manager)] == [True] * 6
    assert [is_staff(u) for u in (member, expert, AnonymousUser(), None)] == [False] * 4
    assert [may_export(u) for u in (superuser, dpo)] == [True, True]
    assert [may_export(u) for u in (editor, medic, pv, manager, member)] == [False] * 5


def test_the_reference_is_stable_per_person_and_does_not_show_the_id(editor, medic):
    assert viewer_reference(editor.pk) == viewer_reference(editor.pk)
    assert viewer_reference(editor.pk) != viewer_reference(medic.pk)
    assert re.fullmatch(r"S-[0-9A-F]{6}", viewer_reference(editor.pk))
    assert viewer_reference(None) == "S-deleted"
