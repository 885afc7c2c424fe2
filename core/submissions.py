"""Submissions that create something happen once (issue 10, finding 13).

Two quick identical posts to ``/write/blog/`` created two pages. Every form
that creates something (writing on the site, comments, reports) carries a
one-time token, ``submission``, made when the form is shown. The service
that creates calls ``submission_claim`` inside its transaction before
writing, and ``submission_done`` once it has; a repeat of the same
submission raises ``Repeated`` carrying what the first one created, and the
view answers as it did the first time. Concurrent repeats are serialised by
the unique constraint on ``SubmissionReceipt``: the second insert waits for
the first transaction, then fails and reads the receipt.

A form posted without a token (an old page, a script) still works, without
this guarantee.
"""

import hashlib
import json
import uuid
from dataclasses import dataclass

from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction

from core.models import SubmissionReceipt

FIELD = "submission"
# Fields that say how or by whom a form was sent, not what was sent.
_NOT_CONTENT = {"csrfmiddlewaretoken", FIELD, "action"}


class TokenField(forms.UUIDField):
    """A token, or None: a missing or malformed one only loses the once-only guarantee."""

    def to_python(self, value: object) -> uuid.UUID | None:
        try:
            return super().to_python(value)
        except forms.ValidationError:
            return None


def token_field() -> TokenField:
    """The hidden form field carrying a fresh token each time the form is shown."""
    return TokenField(required=False, widget=forms.HiddenInput, initial=uuid.uuid4)


def new_token() -> uuid.UUID:
    """A fresh token, for forms written by hand in templates."""
    return uuid.uuid4()


@dataclass(frozen=True)
class Submission:
    token: uuid.UUID
    fingerprint: str


def submission_from(form: forms.Form, *, target: str = "") -> Submission | None:
    """The ``Submission`` a bound, valid ``form`` (with a ``token_field``) carries, or None.

    ``target`` names what the form was sent to when its address says so (the
    page commented on): a token replayed elsewhere is another submission.
    """
    token = form.cleaned_data.get(FIELD)
    if not token:
        return None
    content = [("", [str(target)])] + sorted(
        (name, form.data.getlist(name) if hasattr(form.data, "getlist") else [form.data[name]])
        for name in form.data
        if name not in _NOT_CONTENT
    )
    digest = hashlib.sha256(json.dumps(content).encode()).hexdigest()
    return Submission(token=token, fingerprint=digest)


class Repeated(Exception):
    """This submission was made before; ``created`` is what it created (None if gone)."""

    def __init__(self, created: models.Model | None) -> None:
        super().__init__("This submission was already received.")
        self.created = created


def submission_claim(
    *, user: AbstractBaseUser, submission: Submission | None
) -> SubmissionReceipt | None:
    """Record that ``user``'s ``submission`` is being acted on; returns the receipt.

    Call inside the transaction that creates. Raises ``Repeated`` if the same
    submission was received before (or is being received right now: the
    insert waits for that transaction and fails once it commits). Returns
    None when there is no ``submission`` to claim.
    """
    if submission is None:
        return None
    try:
        with transaction.atomic():
            return SubmissionReceipt.objects.create(
                user=user, token=submission.token, fingerprint=submission.fingerprint
            )
    except IntegrityError:
        receipt = SubmissionReceipt.objects.filter(
            user=user, token=submission.token, fingerprint=submission.fingerprint
        ).first()
        raise Repeated(receipt.created_object if receipt else None) from None


def submission_done(*, receipt: SubmissionReceipt | None, created: models.Model) -> None:
    """Note on ``receipt`` (from ``submission_claim``, maybe None) what the submission created."""
    if receipt is None:
        return
    receipt.content_type = ContentType.objects.get_for_model(created, for_concrete_model=False)
    receipt.object_id = created.pk
    receipt.save(update_fields=["content_type", "object_id"])
