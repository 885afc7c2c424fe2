"""The journey of "Download my data" from the request to the download: the account
page's section, the background task, the emailed single-use link (24 hours, the member
alone), the expiry, the staff's page for requests by post, and Wagtail's log of each step."""

import re
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wagtail.models import ModelLogEntry

import pytest

from audit.models import AccessRecord
from compliance.models import DataExport
from compliance.services import exports
from compliance.services.exports import (
    LINK_SALT,
    ExportThrottled,
    LinkRefused,
    export_build,
    export_for_link,
    export_request,
    exports_expire,
)
from core import roles
from tests.concurrency import DATABASE_BACKGROUND
from tests.factories import BlogPageFactory, ProfileFactory, UserFactory

from .test_export_world import read_zip

ACCOUNT = "/me/account/"
REQUEST = "/me/data/export/"
LINK = re.compile(r"https?://\S+?(/me/data/download/[^\s/]+/)")


@pytest.fixture(autouse=True)
def _private_export_root(settings, tmp_path):
    settings.KINDRED_EXPORT_ROOT = tmp_path / "exports"


@pytest.fixture
def signed_in(member):
    client = Client()
    client.force_login(member)
    return client


def link_path(message) -> str:
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def request_and_link(client, mailoutbox) -> str:
    response = client.post(REQUEST)
    assert response.status_code == 302
    assert response["Location"].startswith(ACCOUNT)
    return link_path(mailoutbox[-1])


def export_files():
    root = settings.KINDRED_EXPORT_ROOT
    return sorted(path.name for path in root.iterdir()) if root.exists() else []


# The account page


def test_the_account_page_offers_the_download_and_says_what_happens(signed_in):
    response = signed_in.get(ACCOUNT)
    content = response.content.decode()
    assert "Download my data" in content
    assert f'action="{REQUEST}"' in content
    assert "24 hours" in content and "once" in content
    assert "up to 3 times a day" in content


def test_the_account_page_shows_the_latest_exports_state(signed_in, member, mailoutbox):
    request_and_link(signed_in, mailoutbox)
    export = DataExport.objects.get(user=member)
    content = signed_in.get(ACCOUNT).content.decode()
    assert "Ready" in content and "works until" in content
    DataExport.objects.filter(pk=export.pk).update(status="pending", ready_at=None, expires_at=None)
    content = signed_in.get(ACCOUNT).content.decode()
    assert "Being prepared" in content
    assert f'action="{REQUEST}"' not in content
    DataExport.objects.filter(pk=export.pk).update(status="expired")
    assert "Expired" in signed_in.get(ACCOUNT).content.decode()


def test_the_account_page_makes_a_fixed_number_of_queries(
    signed_in, member, mailoutbox, django_assert_max_num_queries
):
    signed_in.get(ACCOUNT)
    # The whole page with every feature's section; what matters is that it stays flat.
    with django_assert_max_num_queries(16) as few:
        signed_in.get(ACCOUNT)
    for _ in range(3):
        export_request(user=member, requested_by=UserFactory(is_superuser=True))
    with django_assert_max_num_queries(len(few.captured_queries)):
        signed_in.get(ACCOUNT)


# The request


def test_a_request_queues_one_job_that_emails_the_member_a_link(
    signed_in, member, mailoutbox, blog_index
):
    BlogPageFactory(parent=blog_index, author=member, title="My MS relapse diary")
    ProfileFactory(user=member, bio="Living with relapsing MS since 2019")
    path = request_and_link(signed_in, mailoutbox)
    export = DataExport.objects.get(user=member)
    assert export.status == "ready"
    assert export.expires_at == export.ready_at + timedelta(hours=24)
    (message,) = mailoutbox
    assert message.to == [member.email]
    assert path.startswith("/me/data/download/")
    # The email carries the link, never the data.
    for health in ("relapse", "MS", "2019", member.username):
        assert health not in message.body and health not in message.subject
    assert export_files() == [export.archive_name]


def test_a_second_request_while_one_is_pending_queues_nothing(member, signed_in):
    from django_tasks_db.models import DBTaskResult

    with DATABASE_BACKGROUND:
        assert signed_in.post(REQUEST).status_code == 302
        assert signed_in.post(REQUEST).status_code == 302
        export = DataExport.objects.get(user=member)
        assert export.status == "pending"
        results = DBTaskResult.objects.filter(task_path__endswith="export_build_task")
        assert results.count() == 1


def test_the_task_carries_the_exports_id_and_nothing_else(member, blog_index):
    from django_tasks_db.models import DBTaskResult

    BlogPageFactory(parent=blog_index, author=member, title="Private words")
    with DATABASE_BACKGROUND:
        export = export_request(user=member).export
        (result,) = DBTaskResult.objects.filter(task_path__endswith="export_build_task")
        assert result.args_kwargs == {"args": [export.pk], "kwargs": {}}


def test_two_requests_racing_make_one_pending_export(member, monkeypatch):
    """The pending row made by another request between the check and the insert: the
    partial unique constraint refuses the second, which answers with the first."""
    with DATABASE_BACKGROUND:
        first = export_request(user=member).export
        real = exports._pending
        calls = []

        def missed_once(user):
            calls.append(user)
            return None if len(calls) == 1 else real(user)

        monkeypatch.setattr(exports, "_pending", missed_once)
        outcome = export_request(user=member)
        assert outcome.created is False
        assert outcome.export.pk == first.pk
        assert DataExport.objects.filter(user=member).count() == 1


def test_at_most_three_requests_a_day(member, signed_in, mailoutbox):
    for _ in range(3):
        request_and_link(signed_in, mailoutbox)
    response = signed_in.post(REQUEST, follow=True)
    assert "3 times in the last 24 hours" in response.content.decode()
    assert DataExport.objects.filter(user=member).count() == 3
    with pytest.raises(ExportThrottled):
        export_request(user=member)
    # A day later the member may ask again.
    export_request(user=member, now=timezone.now() + timedelta(days=1, minutes=1))


def test_the_request_endpoint_refuses_get(signed_in):
    assert signed_in.get(REQUEST).status_code == 405


def test_the_request_needs_csrf(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    assert client.post(REQUEST).status_code == 403
    assert not DataExport.objects.filter(user=member).exists()


def test_a_visitor_is_sent_to_sign_in(portal):
    response = Client().post(REQUEST)
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == resolve_url(settings.LOGIN_URL)
    assert not DataExport.objects.exists()


# The link


def test_the_link_works_once(signed_in, member, mailoutbox):
    path = request_and_link(signed_in, mailoutbox)
    page = signed_in.get(path)
    assert page.status_code == 200
    assert 'method="post"' in page.content.decode()
    assert page["Cache-Control"].count("no-store") == 1
    # Opening the page used nothing.
    assert DataExport.objects.get(user=member).downloaded_at is None
    response = signed_in.post(path)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    # Reading the stream to its end closes the response the way the test client
    # intends; closing it by hand as well would close the database connection.
    files = read_zip(b"".join(response.streaming_content))
    assert {"data.json", "index.html"} <= set(files)
    export = DataExport.objects.get(user=member)
    assert export.status == "downloaded" and export.downloaded_at is not None
    assert export.archive_name == ""
    # The file is gone from the server at once.
    assert export_files() == []
    again = signed_in.post(path)
    assert again.status_code == 410
    assert "has been used" in again.content.decode()
    assert signed_in.get(path).status_code == 410


def test_two_presses_at_once_give_one_download(signed_in, member, mailoutbox):
    request_and_link(signed_in, mailoutbox)
    export = DataExport.objects.get(user=member)
    handle = exports.export_claim_download(export=export, user=member)
    handle.close()
    # The second press read the row before the first one's UPDATE.
    with pytest.raises(LinkRefused) as refused:
        exports.export_claim_download(export=export, user=member)
    assert refused.value.gone


def test_the_link_is_refused_after_24_hours(signed_in, member, mailoutbox):
    path = request_and_link(signed_in, mailoutbox)
    export = DataExport.objects.get(user=member)
    token = path.split("/")[-2]
    with pytest.raises(LinkRefused) as refused:
        export_for_link(token=token, user=member, now=export.ready_at + timedelta(hours=24))
    assert refused.value.reason == "expired"
    DataExport.objects.filter(pk=export.pk).update(
        ready_at=export.ready_at - timedelta(hours=25),
        expires_at=export.expires_at - timedelta(hours=25),
    )
    response = signed_in.get(path)
    assert response.status_code == 410
    assert "has expired" in response.content.decode()
    assert signed_in.post(path).status_code == 410
    assert DataExport.objects.get(pk=export.pk).downloaded_at is None


def test_a_token_older_than_24_hours_is_refused_whatever_the_row_says(
    signed_in, member, mailoutbox
):
    request_and_link(signed_in, mailoutbox)
    export = DataExport.objects.get(user=member)

    class Yesterday(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - 25 * 3600)

    old = Yesterday(salt=LINK_SALT).sign_object({"e": export.pk, "u": member.pk})
    response = signed_in.get(reverse("compliance:export_download", kwargs={"token": old}))
    assert response.status_code == 410


def test_the_link_is_refused_to_another_signed_in_member(signed_in, member, mailoutbox):
    path = request_and_link(signed_in, mailoutbox)
    someone = Client()
    someone.force_login(UserFactory(group=roles.MEMBERS))
    page = someone.get(path)
    assert page.status_code == 404
    assert someone.post(path).status_code == 404
    # Told apart from nothing: the same page as a link that never existed.
    assert "Link not found" in page.content.decode()
    assert DataExport.objects.get(user=member).status == "ready"
    assert export_files() != []


def test_another_members_export_id_in_a_link_signed_for_me_is_refused(
    signed_in, member, mailoutbox
):
    someone = UserFactory(group=roles.MEMBERS)
    theirs = export_request(user=someone).export
    forged = signing.dumps({"e": theirs.pk, "u": member.pk}, salt=LINK_SALT)
    response = signed_in.get(reverse("compliance:export_download", kwargs={"token": forged}))
    assert response.status_code == 404


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: "x" * 500,
        lambda token: "not-a-token",
        lambda token: signing.dumps({"e": 1, "u": 1}, salt="another.purpose"),
        lambda token: signing.dumps(["e", 1], salt=LINK_SALT),
        lambda token: signing.dumps({"e": "1", "u": None}, salt=LINK_SALT),
    ],
)
def test_a_forged_or_malformed_link_is_refused(signed_in, member, mailoutbox, tamper):
    path = request_and_link(signed_in, mailoutbox)
    token = tamper(path.split("/")[-2])
    response = signed_in.get(reverse("compliance:export_download", kwargs={"token": token}))
    assert response.status_code == 404
    assert (
        signed_in.post(reverse("compliance:export_download", kwargs={"token": token})).status_code
        == 404
    )
    assert DataExport.objects.get(user=member).status == "ready"


def test_the_link_asks_a_visitor_to_sign_in(signed_in, member, mailoutbox):
    path = request_and_link(signed_in, mailoutbox)
    response = Client().post(path)
    assert response.status_code == 302
    assert DataExport.objects.get(user=member).status == "ready"


def test_the_download_needs_csrf(member, signed_in, mailoutbox):
    path = request_and_link(signed_in, mailoutbox)
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 403
    assert DataExport.objects.get(user=member).status == "ready"


def test_the_link_page_makes_a_fixed_number_of_queries(
    signed_in, mailoutbox, django_assert_max_num_queries
):
    path = request_and_link(signed_in, mailoutbox)
    # Session and user, the export, the site's navigation and footer (base.html).
    with django_assert_max_num_queries(10):
        signed_in.get(path)
    # Session and user, the export, the conditional UPDATE and the log entry (in a
    # savepoint), clearing the file's name.
    with django_assert_max_num_queries(10):
        response = signed_in.post(path)
    b"".join(response.streaming_content)


# Expiry


def test_exports_expire_after_24_hours_and_their_files_go(signed_in, member, mailoutbox):
    request_and_link(signed_in, mailoutbox)
    export = DataExport.objects.get(user=member)
    assert exports_expire(now=export.ready_at + timedelta(hours=23)) == 0
    assert export_files() == [export.archive_name]
    assert exports_expire(now=export.ready_at + timedelta(hours=24)) == 1
    export.refresh_from_db()
    assert export.status == "expired" and export.archive_name == ""
    assert export_files() == []
    assert exports_expire(now=export.ready_at + timedelta(hours=48)) == 0


def test_an_export_left_pending_by_a_lost_worker_fails_so_the_member_may_ask_again(member):
    with DATABASE_BACKGROUND:
        export = export_request(user=member).export
    exports_expire(now=export.requested_at + timedelta(hours=25))
    export.refresh_from_db()
    assert export.status == "failed"


def test_the_task_run_twice_builds_once(signed_in, member, mailoutbox):
    request_and_link(signed_in, mailoutbox)
    export = DataExport.objects.get(user=member)
    assert export_build(export_id=export.pk) == "skipped"
    assert export_build(export_id=10**9) == "skipped"
    assert len(mailoutbox) == 1
    assert len(export_files()) == 1


# Wagtail's log


def test_request_completion_and_download_are_logged(signed_in, member, mailoutbox):
    path = request_and_link(signed_in, mailoutbox)
    b"".join(signed_in.post(path).streaming_content)
    export = DataExport.objects.get(user=member)
    entries = ModelLogEntry.objects.filter(object_id=str(export.pk)).order_by("pk")
    assert [(e.action, e.user_id) for e in entries] == [
        ("kindred.export.request", member.pk),
        ("kindred.export.ready", None),
        ("kindred.export.download", member.pk),
    ]
    # The log's label names the export, never the member.
    assert all(member.public_name not in e.label and member.email not in e.label for e in entries)


# Staff: a request that came by post


@pytest.fixture
def dpo(portal):
    return UserFactory(group=roles.DATA_PROTECTION, display_name="Data protection officer")


def admin_client(user):
    client = Client()
    client.force_login(user)
    return client


STAFF_PAGE = "/admin/compliance/exports/"


@pytest.mark.parametrize("who", ["superuser", "dpo"])
def test_staff_prepare_a_members_export_and_the_link_goes_to_the_member(
    request, who, member, mailoutbox
):
    staff = request.getfixturevalue(who)
    client = admin_client(staff)
    assert client.get(STAFF_PAGE).status_code == 200
    response = client.post(STAFF_PAGE, {"member": member.email.upper()})
    assert response.status_code == 302
    export = DataExport.objects.get(user=member)
    assert export.status == "ready"
    (message,) = mailoutbox
    assert message.to == [member.email]
    assert staff.email not in message.to
    access = AccessRecord.objects.get(subject=member)
    assert (access.viewer_id, access.what, access.purpose) == (staff.pk, "export", "support")
    assert access.object_ref == f"export:{export.pk}"
    request_entry = ModelLogEntry.objects.get(
        object_id=str(export.pk), action="kindred.export.request"
    )
    assert request_entry.user_id == staff.pk
    # The staff member cannot use the member's link.
    assert client.get(link_path(message)).status_code == 404


def test_staff_without_the_permission_are_refused(editor, member):
    client = admin_client(editor)
    assert client.get(STAFF_PAGE).status_code in (302, 403)
    client.post(STAFF_PAGE, {"member": member.email})
    assert not DataExport.objects.exists()


def test_a_member_cannot_reach_the_staff_page(signed_in, member):
    response = signed_in.post(STAFF_PAGE, {"member": member.email})
    assert response.status_code in (302, 403)
    assert not DataExport.objects.exists()


@pytest.mark.parametrize("value", ["", "nobody@example.org", "x" * 300, "<script>x</script>"])
def test_the_staff_page_refuses_an_unknown_member(superuser, value):
    response = admin_client(superuser).post(STAFF_PAGE, {"member": value})
    assert response.status_code == 400
    assert "<script>x</script>" not in response.content.decode()
    assert not DataExport.objects.exists()


def test_the_users_listing_offers_the_export_to_superusers(superuser, member):
    client = admin_client(superuser)
    listing = client.get("/admin/users/").content.decode()
    assert f"{STAFF_PAGE}?member={member.username}" in listing
    form = client.get(STAFF_PAGE, {"member": member.username}).content.decode()
    assert f'value="{member.username}"' in form
    assert not DataExport.objects.exists()


def test_the_staff_page_prefill_is_escaped(superuser):
    form = admin_client(superuser).get(STAFF_PAGE, {"member": '"><script>x</script>'})
    assert form.status_code == 200
    assert "<script>x</script>" not in form.content.decode()


def test_the_erasure_can_delete_a_members_archives_at_once(signed_in, member, mailoutbox):
    path = request_and_link(signed_in, mailoutbox)
    someone = UserFactory(group=roles.MEMBERS)
    export_request(user=someone)
    assert len(export_files()) == 2
    assert exports.exports_delete_for(user=member) == 1
    assert export_files() == [DataExport.objects.get(user=someone).archive_name]
    assert DataExport.objects.get(user=member).status == "expired"
    assert signed_in.get(path).status_code == 410


def test_archives_are_kept_outside_the_media_folder():
    """No URL serves the export folder: it is not under MEDIA_ROOT, in any settings."""
    from portal.settings import base, test

    for module in (base, test):
        root = Path(module.KINDRED_EXPORT_ROOT).resolve()
        media = Path(module.MEDIA_ROOT).resolve()
        assert not root.is_relative_to(media) and not media.is_relative_to(root)
