"""Delete my account: the request, its cancellation, the erasure itself, and the receipt.

A request waits ``WAIT`` (7 days); signing in during the wait cancels it.
``manage.py erase_due_accounts`` (hourly, README) queues ``erasure_run`` for
every due request; the task carries the request's id only. ``erasure_perform``
runs the steps of ``compliance.erasure`` in one transaction, turns the account
into a pseudonymous tombstone, deletes the files after commit, records the
counts (``ErasureRequest.outcome``) and emails a receipt with counts only,
which is scrubbed from the outbox once sent (``erasure_receipts_scrub``).
"""

import logging
from collections.abc import Callable
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.log_actions import log

import pagecache
from compliance.erasure import WAIT, Erasure, account, content, discussion, safety, social, traces
from compliance.models import ErasureRequest
from core.emails import one_line, site_url
from core.i18n import language_for
from core.mail import email_queue, primary_email
from core.models import OutboundEmail

logger = logging.getLogger(__name__)

LOG_REQUEST = "kindred.erasure.request"
LOG_CANCEL = "kindred.erasure.cancel"
LOG_DONE = "kindred.erasure.done"

Status = ErasureRequest.Status

# In order: names and titles are remembered before anything is removed; the
# traces (outbox, tasks, logs, query log) are searched for them after
# everything else, since removing pages and comments writes log entries too;
# the tombstone last.
STEPS: tuple[Callable[[Erasure], None], ...] = (
    account.identity_remember,
    content.pages_erase,
    discussion.comments_erase,
    discussion.reports_erase,
    social.ratings_erase,
    social.profile_erase,
    social.relations_erase,
    social.notifications_erase,
    social.memberships_erase,
    social.expert_erase,
    safety.safety_erase,
    account.records_erase,
    account.exports_erase,
    account.sessions_erase,
    account.addresses_erase,
    traces.outbox_erase,
    traces.tasks_erase,
    traces.logs_erase,
    traces.query_log_erase,
    traces.search_index_compact,
    account.tombstone,
)


# The receipt's words for each kind the erasure counts (``Erasure.add``); a kind
# not listed here is shown by its key.
RECEIPT_KINDS = {
    "avatar_files": gettext_lazy("avatar files"),
    "blocks": gettext_lazy("blocks"),
    "comment_flags": gettext_lazy("comment flags"),
    "comment_reports": gettext_lazy("comment reports"),
    "comments_detached": gettext_lazy("comments detached"),
    "comments_on_removed_items": gettext_lazy("comments on removed items"),
    "comments_removed": gettext_lazy("comments removed"),
    "community_memberships": gettext_lazy("community memberships"),
    "consents": gettext_lazy("consents"),
    "crisis_signals_scrubbed": gettext_lazy("crisis signals scrubbed"),
    "data_export_files": gettext_lazy("data export files"),
    "email_addresses": gettext_lazy("email addresses"),
    "emails_in_outbox": gettext_lazy("emails in outbox"),
    "expert_verifications": gettext_lazy("expert verifications"),
    "follows": gettext_lazy("follows"),
    "helpful_marks": gettext_lazy("helpful marks"),
    "items_kept_anonymously": gettext_lazy("items kept anonymously"),
    "items_removed": gettext_lazy("items removed"),
    "log_entries_scrubbed": gettext_lazy("log entries scrubbed"),
    "mutes": gettext_lazy("mutes"),
    "notification_settings": gettext_lazy("notification settings"),
    "notifications": gettext_lazy("notifications"),
    "pages_unlocked": gettext_lazy("pages unlocked"),
    "pages_unowned": gettext_lazy("pages unowned"),
    "profile_handles": gettext_lazy("profile handles"),
    "profiles": gettext_lazy("profiles"),
    "question_claims": gettext_lazy("question claims"),
    "rating_browsers": gettext_lazy("rating browsers"),
    "ratings": gettext_lazy("ratings"),
    "revisions_deleted": gettext_lazy("revisions deleted"),
    "safety_case_history_scrubbed": gettext_lazy("safety case history scrubbed"),
    "safety_cases_scrubbed": gettext_lazy("safety cases scrubbed"),
    "search_indexes_compacted": gettext_lazy("search indexes compacted"),
    "search_queries": gettext_lazy("search queries"),
    "sessions": gettext_lazy("sessions"),
    "submission_receipts": gettext_lazy("submission receipts"),
    "tags_removed": gettext_lazy("tags removed"),
    "task_results": gettext_lazy("task results"),
    "thread_mutes": gettext_lazy("thread mutes"),
    "topic_follows": gettext_lazy("topic follows"),
}


def _kind_label(kind: str) -> str:
    return str(RECEIPT_KINDS.get(kind, kind.replace("_", " ")))


class ErasureAlreadyRequested(Exception):
    """The member already has a request waiting (one at a time, a database constraint)."""

    def __init__(self, request: ErasureRequest):
        super().__init__(_("An erasure is already waiting for this account."))
        self.request = request


def erasure_pending(*, user: AbstractBaseUser) -> ErasureRequest | None:
    """``user``'s waiting request, if any (the account page says so)."""
    return ErasureRequest.objects.filter(user=user, status=Status.PENDING).first()


def sessions_end_all(*, user: AbstractBaseUser) -> int:
    """Sign ``user`` out of every browser (the request's "signed out everywhere")."""
    return account.sessions_end(user)


def _requested_email(request: ErasureRequest, address: str) -> EmailMessage:
    context = {
        "recipient": request.user,
        "request": request,
        "keep": request.published_items == ErasureRequest.Published.KEEP_ANONYMOUS,
        "sign_in_url": site_url("/accounts/login/"),
    }
    with translation.override(language_for(request.user)):
        return EmailMessage(
            subject=one_line(render_to_string("emails/compliance_erasure_requested_subject.txt")),
            body=render_to_string("emails/compliance_erasure_requested.txt", context),
            to=[address],
        )


def erasure_request_create(
    *, user: AbstractBaseUser, published_items: str, now: datetime | None = None
) -> ErasureRequest:
    """Record ``user``'s request to be erased in ``WAIT``; sign them out everywhere; email them.

    The password is checked by the view (the form). Raises
    ``ErasureAlreadyRequested`` when one is waiting already, and ``ValueError``
    for a choice that is not one of ``ErasureRequest.Published``.
    """
    if published_items not in ErasureRequest.Published.values:
        raise ValueError(f"Unknown choice for published items: {published_items!r}")
    now = now or timezone.now()
    with transaction.atomic():
        get_user_model().objects.select_for_update().get(pk=user.pk)
        waiting = erasure_pending(user=user)
        if waiting is not None:
            raise ErasureAlreadyRequested(waiting)
        request = ErasureRequest.objects.create(
            user=user, published_items=published_items, requested_at=now, due_at=now + WAIT
        )
        log(
            instance=request,
            action=LOG_REQUEST,
            user=user,
            data={"due_at": request.due_at.isoformat()},
        )
        address = primary_email(user)
        if address:
            email_queue(
                message=_requested_email(request, address),
                key=f"compliance:erasure-requested:{request.pk}",
            )
    sessions_end_all(user=user)
    return request


def erasure_request_cancel(*, user: AbstractBaseUser) -> ErasureRequest | None:
    """Cancel ``user``'s waiting request (they signed in); None if there was none."""
    with transaction.atomic():
        request = (
            ErasureRequest.objects.select_for_update()
            .filter(user=user, status=Status.PENDING)
            .first()
        )
        if request is None:
            return None
        request.status = Status.CANCELLED
        request.cancelled_at = timezone.now()
        request.save(update_fields=["status", "cancelled_at"])
        log(instance=request, action=LOG_CANCEL, user=user)
    return request


def erasure_due(*, now: datetime | None = None) -> QuerySet[ErasureRequest]:
    """The requests whose wait is over and that are still waiting, oldest first."""
    now = now or timezone.now()
    return ErasureRequest.objects.filter(status=Status.PENDING, due_at__lte=now).order_by(
        "due_at", "pk"
    )


def erasure_due_enqueue(*, now: datetime | None = None) -> int:
    """Queue one ``erasure_run`` per due request; how many were queued.

    Queuing one twice (the command ran again before the worker) does no harm:
    the task finds the request done and does nothing.
    """
    from compliance.erasure_tasks import erasure_run

    ids = list(erasure_due(now=now).values_list("pk", flat=True))
    for request_id in ids:
        erasure_run.enqueue(request_id)
    return len(ids)


def _receipt(request: ErasureRequest, address: str, language: str) -> EmailMessage:
    """The receipt, in ``language``: the member's, read before the account was erased."""
    with translation.override(language):
        context = {
            "recipient": request.user,
            "request": request,
            "counts": [
                (_kind_label(kind), number)
                for kind, number in sorted(
                    request.outcome.items(), key=lambda pair: pair[0].replace("_", " ")
                )
            ],
        }
        return EmailMessage(
            subject=one_line(render_to_string("emails/compliance_erasure_receipt_subject.txt")),
            body=render_to_string("emails/compliance_erasure_receipt.txt", context),
            to=[address],
        )


def erasure_perform(*, request: ErasureRequest, now: datetime | None = None) -> ErasureRequest:
    """Erase the account of ``request`` if it is still waiting and due; return the request.

    Everything in one transaction, so an error leaves the account as it was
    (the task is run again next hour). Files are deleted after commit, then
    the receipt is queued to the address the account had, and scrubbed from
    the outbox once sent.
    """
    now = now or timezone.now()
    with transaction.atomic():
        request = ErasureRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != Status.PENDING or request.due_at > now:
            return request
        user = request.user
        address = primary_email(user)
        language = language_for(user)
        erasure = Erasure(
            user=user,
            keep_published=request.published_items == ErasureRequest.Published.KEEP_ANONYMOUS,
        )
        for step in STEPS:
            step(erasure)
        # Several steps rewrite rows with QuerySet.update() (a live revision's text, comments,
        # page owners), which sends no signal: every visitor's cached page goes (issue 17).
        pagecache.invalidate(pagecache.ALL)
        request.status = Status.DONE
        request.completed_at = timezone.now()
        request.outcome = dict(sorted(erasure.counts.items()))
        request.save(update_fields=["status", "completed_at", "outcome"])
        log(instance=request, action=LOG_DONE, user=None, data={"counts": request.outcome})
        files = list(erasure.files)
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:
            logger.exception("Erasure %s: could not delete a file", request.pk)
    if address:
        email_queue(
            message=_receipt(request, address, language),
            key=f"{traces.RECEIPT_KEY_PREFIX}{request.pk}",
        )
    erasure_receipts_scrub()
    return request


def erasure_receipts_scrub() -> int:
    """Empty the receipts the outbox has finished with (sent, or failed for good).

    The receipt is the one email that must reach the erased address; once
    it has, nothing of the address stays. Run after each erasure and by
    ``erase_due_accounts`` for receipts the worker sent later.
    """
    return (
        OutboundEmail.objects.filter(key__startswith=traces.RECEIPT_KEY_PREFIX)
        .filter(status__in=[OutboundEmail.Status.SENT, OutboundEmail.Status.FAILED])
        .exclude(to="")
        .update(to="", subject="", message={}, last_error="")
    )
