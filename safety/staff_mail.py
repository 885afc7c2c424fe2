"""Emails to the people working on safety: the Pharmacovigilance group, the moderators.

Staff emails have no unsubscribe link: they are part of the job. They go through
Kindred's outbox (``core.mail.email_queue``) like every other email, so a failed
delivery is retried and never lost.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation

from core.emails import one_line
from core.i18n import language_for
from core.mail import email_queue, primary_email


def staff_with(*, permission: str) -> list:
    """Active accounts holding ``permission`` ("app_label.codename") through a group or
    directly, and active superusers; in a stable order."""
    app_label, codename = permission.split(".", 1)
    granted = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return list(
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions__in=granted)
            | Q(user_permissions__in=granted)
        )
        .distinct()
        .order_by("pk")
    )


def pharmacovigilance_staff() -> list:
    """Who receives safety cases: the Pharmacovigilance group and administrators."""
    return staff_with(permission="safety.view_safetycase")


def moderators() -> list:
    """Who is told about crisis signals: everyone who moderates comments (the Editors)
    and administrators."""
    return staff_with(permission="discussion.moderate_comments")


def staff_email_queue(*, users: list, template: str, context: dict, key: str) -> int:
    """Queue one email per user from ``template`` (``<template>_subject.txt`` and
    ``<template>.txt``), each in its recipient's language (``core.i18n.language_for``);
    ``key`` plus the user's id keeps a rerun from sending twice. Returns how many were
    queued."""
    queued = 0
    for user in users:
        address = primary_email(user)
        if not address:
            continue
        with translation.override(language_for(user)):
            subject = one_line(render_to_string(f"{template}_subject.txt", context))
            body = render_to_string(f"{template}.txt", {**context, "recipient": user})
        message = EmailMessage(subject=subject, body=body, to=[address])
        if email_queue(message=message, key=f"{key}:{user.pk}"):
            queued += 1
    return queued


__all__ = ["moderators", "pharmacovigilance_staff", "staff_email_queue", "staff_with"]
