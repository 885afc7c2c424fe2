"""The services of "Download my data": requesting an export, building its archive, the
single-use link, the download and the expiry.

The life of an export (``compliance.models.DataExport``):

1. ``export_request`` (the member on their account page, or the data-protection
   officer for a request that came by post) adds a pending row and queues
   ``compliance.export_tasks.export_build_task`` with the row's id. One pending
   export per member (a partial unique constraint): a second press, or two at once,
   queue nothing new. A member may ask ``DAILY_LIMIT`` times in 24 hours.
2. The task calls ``export_build``: the archive is written to private storage
   (``settings.KINDRED_EXPORT_ROOT``, outside MEDIA_ROOT, under a random name), the
   row becomes ready for ``LINK_MAX_AGE`` and the member is emailed a signed link
   (``download_token``) through the outbox.
3. The member, signed in, opens the link (a page with a button: a GET changes
   nothing, so a mail scanner that follows links does not use it up) and presses
   Download: ``export_claim_download`` sets ``downloaded_at`` with one conditional
   UPDATE, so two presses at once give one download. The archive file is deleted
   as soon as it is opened for streaming: after the one download there is no copy
   left on the server.
4. ``exports_expire`` (daily, from ``manage.py enforce_retention``) marks ready
   exports past their 24 hours expired and deletes their files, fails exports left
   pending by a lost worker, and removes files no row points at.

Each request, completion and download is in Wagtail's log of the export
(``kindred.export.*``).
"""

import logging
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from wagtail.log_actions import log

from accounts.models import User
from audit.services import access_record
from compliance.export import archive
from compliance.models import DataExport
from core.emails import one_line, site_url
from core.i18n import language_for
from core.mail import email_queue, primary_email

logger = logging.getLogger(__name__)

Status = DataExport.Status

LINK_SALT = "kindred.compliance.export.download"
LINK_MAX_AGE = timedelta(hours=24)
# A token longer than this was not made here; refused before any cryptography.
TOKEN_MAX_LENGTH = 200
# Requests a member may make in 24 hours (each builds an archive of everything).
DAILY_LIMIT = 3
# A pending export older than this lost its worker; it is failed so the member may ask again.
PENDING_GIVE_UP = timedelta(hours=24)

ACTION_REQUEST = "kindred.export.request"
ACTION_READY = "kindred.export.ready"
ACTION_DOWNLOAD = "kindred.export.download"
ACTION_EXPIRE = "kindred.export.expire"
ACTION_FAIL = "kindred.export.fail"

EMAIL_TEMPLATE = "emails/compliance_export_ready"


class ExportThrottled(Exception):
    """The member asked ``DAILY_LIMIT`` times in the last 24 hours."""

    def __init__(self, retry_after: datetime):
        super().__init__(f"Too many exports; next one possible after {retry_after:%Y-%m-%d %H:%M}")
        self.retry_after = retry_after


@dataclass(frozen=True)
class ExportRequested:
    """What ``export_request`` did: the pending export, and whether it is new."""

    export: DataExport
    created: bool


def export_root() -> Path:
    """The private folder of the archives (``settings.KINDRED_EXPORT_ROOT``), made if missing."""
    root = Path(settings.KINDRED_EXPORT_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    return root


def _safe_name(name: str) -> bool:
    """Whether ``name`` is a plain file name in the folder (as ``export_build`` makes
    them), not a path that could reach outside it."""
    return bool(name) and "/" not in name and "\\" not in name and not name.startswith(".")


def archive_path(export: DataExport) -> Path | None:
    """Where ``export``'s archive lies, or None if it has none (or a name that is not ours)."""
    return export_root() / export.archive_name if _safe_name(export.archive_name) else None


def _delete_file(name: str) -> None:
    if _safe_name(name):
        (export_root() / name).unlink(missing_ok=True)


def exports_recent(*, user: User, limit: int = DAILY_LIMIT) -> list[DataExport]:
    """``user``'s latest ``limit`` exports, newest first, in one query: the account page
    shows the first and counts those of the last 24 hours against the daily limit."""
    return list(DataExport.objects.filter(user=user).order_by("-requested_at", "-pk")[:limit])


def _pending(user: User) -> DataExport | None:
    return DataExport.objects.filter(user=user, status=Status.PENDING).first()


def export_request(
    *, user: User, requested_by: User | None = None, now: datetime | None = None
) -> ExportRequested:
    """Start an export of ``user``'s data and queue the task that builds it.

    ``requested_by`` is the member of staff preparing it for the member (a
    subject-access request by post): their access is recorded in the member's
    access log, they are named in Wagtail's log, and the throttle does not apply to
    them. The link always goes to the member's own address, never to the staff.
    A pending export is returned as it is (``created`` False): nothing new is queued.
    Raises ``ExportThrottled`` when the member asked ``DAILY_LIMIT`` times in 24 hours.
    """
    from compliance.export_tasks import export_build_task

    now = now or timezone.now()
    pending = _pending(user)
    if pending is not None:
        return ExportRequested(export=pending, created=False)
    if requested_by is None:
        recent = list(
            DataExport.objects.filter(user=user, requested_at__gt=now - timedelta(days=1))
            .order_by("requested_at")
            .values_list("requested_at", flat=True)
        )
        if len(recent) >= DAILY_LIMIT:
            raise ExportThrottled(retry_after=recent[0] + timedelta(days=1))
    try:
        with transaction.atomic():
            export = DataExport.objects.create(user=user, requested_at=now)
            log(instance=export, action=ACTION_REQUEST, user=requested_by or user)
            if requested_by is not None:
                access_record(
                    viewer=requested_by,
                    subject=user,
                    what="export",
                    purpose="support",
                    object_ref=f"export:{export.pk}",
                )
            # Enqueued inside the transaction (as core.mail does): the task row is
            # written with the export row, so one never exists without the other.
            # The task carries the id, never data.
            export_build_task.enqueue(export.pk)
    except IntegrityError:
        # Another request (a double click, a second tab) made the pending row first.
        pending = _pending(user)
        if pending is None:
            raise
        return ExportRequested(export=pending, created=False)
    export.refresh_from_db()
    return ExportRequested(export=export, created=True)


def download_token(export: DataExport) -> str:
    """The signed token of ``export``'s link: names the export and its member, made now."""
    return signing.dumps({"e": export.pk, "u": export.user_id}, salt=LINK_SALT)


def download_url(export: DataExport) -> str:
    """The absolute link the member is emailed."""
    return site_url(reverse("compliance:export_download", kwargs={"token": download_token(export)}))


def _token_data(token: object) -> dict | None:
    """The payload of a genuine token, whatever its age; None if forged or malformed."""
    if not isinstance(token, str) or len(token) > TOKEN_MAX_LENGTH:
        return None
    try:
        data = signing.loads(token, salt=LINK_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    export_id, user_id = data.get("e"), data.get("u")
    if not isinstance(export_id, int) or not isinstance(user_id, int):
        return None
    return data


class LinkRefused(Exception):
    """The link cannot be used: ``gone`` (410: used or expired) or not (404: forged,
    unknown, or another member's, answered as one that does not exist)."""

    def __init__(self, *, gone: bool, reason: str):
        super().__init__(reason)
        self.gone = gone
        self.reason = reason


def export_for_link(*, token: object, user: User, now: datetime | None = None) -> DataExport:
    """The ready export ``token`` names, if it is ``user``'s and may still be downloaded.

    Raises ``LinkRefused``: forged, malformed, unknown or another member's link →
    not gone (404, told apart from nothing); used, expired, failed → gone (410).
    """
    now = now or timezone.now()
    data = _token_data(token)
    if data is None or data["u"] != user.pk:
        raise LinkRefused(gone=False, reason="unknown")
    export = DataExport.objects.filter(pk=data["e"], user=user).first()
    if export is None:
        raise LinkRefused(gone=False, reason="unknown")
    # The token's own age, and the row's: either past 24 hours ends the link.
    try:
        signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature:
        raise LinkRefused(gone=True, reason="expired") from None
    if export.status == Status.DOWNLOADED or export.downloaded_at is not None:
        raise LinkRefused(gone=True, reason="used")
    if export.status == Status.EXPIRED or (export.expires_at and export.expires_at <= now):
        raise LinkRefused(gone=True, reason="expired")
    if export.status != Status.READY:
        raise LinkRefused(gone=True, reason="unavailable")
    return export


def export_claim_download(
    *, export: DataExport, user: User, now: datetime | None = None
) -> BinaryIO:
    """Use the link once: mark ``export`` downloaded and return its archive, opened for
    reading and already removed from the folder (the open file stays readable until
    closed), so no copy is left once it has been streamed.

    One conditional UPDATE decides: of two presses at once, one gets the file and the
    other ``LinkRefused`` (used). Raises ``LinkRefused`` (gone) if the file is missing.
    """
    now = now or timezone.now()
    with transaction.atomic():
        claimed = DataExport.objects.filter(
            pk=export.pk,
            user=user,
            status=Status.READY,
            downloaded_at__isnull=True,
            expires_at__gt=now,
        ).update(status=Status.DOWNLOADED, downloaded_at=now)
        if claimed != 1:
            raise LinkRefused(gone=True, reason="used")
        # In the same transaction: a download is never without its log entry.
        log(instance=export, action=ACTION_DOWNLOAD, user=user)
    path = archive_path(export)
    handle = None
    if path is not None:
        try:
            handle = path.open("rb")
        except FileNotFoundError:
            handle = None
        else:
            path.unlink()
    DataExport.objects.filter(pk=export.pk).update(archive_name="")
    if handle is None:
        logger.error("Export %s was ready but its archive is missing", export.pk)
        raise LinkRefused(gone=True, reason="unavailable")
    return handle


def download_filename(export: DataExport) -> str:
    """The name the member's browser saves the archive under (no personal data)."""
    stamp = (export.ready_at or export.requested_at).strftime("%Y-%m-%d")
    return f"kindred-data-{stamp}.zip"


def export_build(*, export_id: int, now: datetime | None = None) -> str:
    """Build the archive of a pending export, make it ready and email the link.

    Safe to run twice (``core.worker`` may run a task again): only a pending export
    is built, the ready state is set by a conditional UPDATE, and the email has a
    key. Returns what happened, for the task's result.
    """
    export = DataExport.objects.filter(pk=export_id).select_related("user").first()
    if export is None or export.status != Status.PENDING:
        return "skipped"
    root = export_root()
    name = f"{secrets.token_hex(16)}.zip"
    partial = root / f".{name}.part"
    try:
        # The archive's page is read by the member: in their language.
        with translation.override(language_for(export.user)):
            archive.write(user=export.user, path=partial)
        os.replace(partial, root / name)
    except Exception:
        partial.unlink(missing_ok=True)
        logger.exception("Export %s could not be built", export_id)
        with transaction.atomic():
            if DataExport.objects.filter(pk=export_id, status=Status.PENDING).update(
                status=Status.FAILED
            ):
                log(instance=export, action=ACTION_FAIL, user=None)
        return "failed"
    now = now or timezone.now()
    with transaction.atomic():
        updated = DataExport.objects.filter(pk=export_id, status=Status.PENDING).update(
            status=Status.READY,
            ready_at=now,
            expires_at=now + LINK_MAX_AGE,
            archive_name=name,
            archive_size=(root / name).stat().st_size,
        )
        if not updated:
            (root / name).unlink(missing_ok=True)
            return "skipped"
        export.refresh_from_db()
        log(instance=export, action=ACTION_READY, user=None)
        _email_link(export)
    return "ready"


def _email_link(export: DataExport) -> None:
    member = export.user
    address = primary_email(member)
    if not address:
        return
    context = {
        "recipient": member,
        "link": download_url(export),
        "expires_at": export.expires_at,
        "account_url": site_url(reverse("accounts:account")),
    }
    # Transactional: no unsubscribe link (the member asked for this one email).
    with translation.override(language_for(member)):
        message = EmailMessage(
            subject=one_line(render_to_string(f"{EMAIL_TEMPLATE}_subject.txt", context)),
            body=render_to_string(f"{EMAIL_TEMPLATE}.txt", context),
            to=[address],
        )
    email_queue(message=message, key=f"compliance.export.ready:{export.pk}")


def exports_expire(*, now: datetime | None = None) -> int:
    """Expire ready exports past their 24 hours and delete their archives; returns how
    many were expired. Also fails exports pending longer than ``PENDING_GIVE_UP`` (their
    worker was lost; the member may ask again), deletes archives of exports already
    downloaded, failed or expired, and files in the folder no export points at.

    Called daily by ``manage.py enforce_retention``.
    """
    now = now or timezone.now()
    expired = 0
    for export in DataExport.objects.filter(status=Status.READY, expires_at__lte=now):
        with transaction.atomic():
            if DataExport.objects.filter(pk=export.pk, status=Status.READY).update(
                status=Status.EXPIRED, archive_name=""
            ):
                _delete_file(export.archive_name)
                log(instance=export, action=ACTION_EXPIRE, user=None)
                expired += 1
    for export in DataExport.objects.filter(
        status=Status.PENDING, requested_at__lt=now - PENDING_GIVE_UP
    ):
        if DataExport.objects.filter(pk=export.pk, status=Status.PENDING).update(
            status=Status.FAILED
        ):
            log(instance=export, action=ACTION_FAIL, user=None)
    for export in DataExport.objects.exclude(status=Status.READY).exclude(archive_name=""):
        _delete_file(export.archive_name)
        DataExport.objects.filter(pk=export.pk).update(archive_name="")
    _delete_orphans(now=now)
    return expired


def exports_delete_for(*, user: User) -> int:
    """Delete every archive of ``user``'s at once (for the erasure, before the account
    goes): ready exports become expired, their links stop working. Returns how many
    files were deleted. The rows stay, without a file, as the record of the requests."""
    deleted = 0
    for export in DataExport.objects.filter(user=user).exclude(archive_name=""):
        _delete_file(export.archive_name)
        DataExport.objects.filter(pk=export.pk, status=Status.READY).update(status=Status.EXPIRED)
        DataExport.objects.filter(pk=export.pk).update(archive_name="")
        deleted += 1
    return deleted


def _delete_orphans(*, now: datetime) -> None:
    """Delete files in the export folder that no ready export names and that are older
    than a day (a build that died between writing and recording its file)."""
    root = Path(settings.KINDRED_EXPORT_ROOT)
    if not root.is_dir():
        return
    kept = set(
        DataExport.objects.filter(status=Status.READY).values_list("archive_name", flat=True)
    )
    cutoff = (now - timedelta(days=1)).timestamp()
    for path in root.iterdir():
        if path.is_file() and path.name not in kept and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


__all__ = [
    "DAILY_LIMIT",
    "LINK_MAX_AGE",
    "ExportRequested",
    "ExportThrottled",
    "LinkRefused",
    "download_filename",
    "download_token",
    "download_url",
    "export_build",
    "export_claim_download",
    "export_for_link",
    "export_request",
    "exports_delete_for",
    "exports_expire",
    "exports_recent",
]
