"""The archive of "Download my data": every kind of the member's data, in JSON and in the
readable HTML, none of another member's, and every value escaped."""

import html

import pytest

from compliance.export import archive

from .test_export_world import (
    CANARIES,
    OTHERS,
    SESSION_KEY,
    XSS,
    archive_texts,
    build_world,
    read_zip,
)


@pytest.fixture
def world(blog_index, question_index, community_index, editor, expert):
    return build_world(
        blog_index=blog_index,
        question_index=question_index,
        community_index=community_index,
        editor=editor,
        expert=expert,
    )


@pytest.fixture
def files(world, tmp_path):
    path = tmp_path / "archive.zip"
    archive.write(user=world.member, path=path)
    return read_zip(path.read_bytes())


def test_every_kind_of_the_members_data_is_in_the_json_and_the_html(files):
    data_text, index, _data = archive_texts(files)
    readable = html.unescape(index)
    assert [kind for kind, canary in CANARIES.items() if canary not in data_text] == []
    assert [kind for kind, canary in CANARIES.items() if canary not in readable] == []


def test_every_revision_of_an_item_is_there(files, world):
    _text, _index, data = archive_texts(files)
    (item,) = [record for record in data["items"] if record["id"] == world.item.pk]
    titles = [revision["content"]["title"] for revision in item["revisions"]]
    assert titles == [CANARIES["item, first version"], CANARIES["item, later version"]]


def test_the_avatar_file_is_in_the_archive(files):
    avatars = [name for name in files if name.startswith("avatar/")]
    assert len(avatars) == 1
    assert files[avatars[0]] == b"CANARY-AVATAR-BYTES"


def test_no_other_members_data_is_in_the_archive(files):
    everything = b"".join(files.values()).decode(errors="replace")
    assert [what for what, text in OTHERS.items() if text in everything] == []


def test_only_the_members_own_rating_and_comments(files, world):
    _text, _index, data = archive_texts(files)
    assert [(r["item"], r["score"]) for r in data["ratings"]] == [(CANARIES["rated item"], 4)]
    assert world.other_comment.pk not in {c["id"] for c in data["comments"]}
    assert world.comment.pk in {c["id"] for c in data["comments"]}


def test_who_blocked_the_member_is_not_said(files):
    _text, _index, data = archive_texts(files)
    assert [r["what"] for r in data["blocks_and_mutes"]] == ["blocked", "muted"]


def test_secrets_are_left_out(files):
    everything = b"".join(files.values()).decode(errors="replace")
    assert SESSION_KEY not in everything


def test_the_html_escapes_what_members_wrote(files):
    _text, index, data = archive_texts(files)
    assert XSS not in index
    assert "<script" not in index.lower()
    assert html.escape(XSS) in index or html.escape(XSS, quote=False) in index
    # The JSON keeps the text as written: it is data, not a page.
    assert any(XSS in c["comment"] for c in data["comments"])


def test_the_consent_ledger_is_in_the_archive(world, tmp_path):
    """Consents, and every grant and withdrawal in the ledger (``accounts.ConsentEvent``)."""
    from accounts.models import ConsentEvent
    from accounts.services import consent_give, consent_withdraw

    consent_give(user=world.member, kind="health_data")
    consent_withdraw(user=world.member, kind="health_data")
    expected = sorted(
        (event.kind, event.action, event.version)
        for event in ConsentEvent.objects.filter(user=world.member)
    )
    assert ("health_data", "withdraw") in {(kind, action) for kind, action, _ in expected}
    assert expected
    path = tmp_path / "ledger.zip"
    archive.write(user=world.member, path=path)
    _text, _index, data = archive_texts(read_zip(path.read_bytes()))
    events = [r for r in data["consents"] if r["record"] == "consent ledger event"]
    assert sorted((e["kind"], e["action"], e["version"]) for e in events) == expected


def test_an_item_the_member_may_not_read_is_not_named(world, tmp_path, blog_index, editor):
    """A notification about someone else's item that is a draft now says nothing of it."""
    from social.models import Notification
    from tests.factories import BlogPageFactory

    hidden = BlogPageFactory(
        parent=blog_index, author=editor, title="HIDDEN-DRAFT-OF-SOMEONE", publish=False
    )
    Notification.objects.create(recipient=world.member, kind="followed_item", page=hidden)
    path = tmp_path / "a.zip"
    archive.write(user=world.member, path=path)
    files = read_zip(path.read_bytes())
    assert "HIDDEN-DRAFT-OF-SOMEONE" not in b"".join(files.values()).decode(errors="replace")
    _text, _index, data = archive_texts(files)
    assert any(n["item"] == "(an item you cannot read any more)" for n in data["notifications"])
