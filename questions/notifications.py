"""Telling experts about new questions and askers about answers.

Stored and emailed through social's one pipeline
(``social.notifications.services.notify_about_page``, each recipient's email
preference per kind), always about the QUESTION page, so the one readability
check applies when the notification is read: a question the recipient can no
longer read shows nothing of it. Like every notification it stores ids only;
``question_entries`` words it when it is read (the ``kindred_notification_kinds``
hook, registered in ``questions.wagtail_hooks``). No notification names an
anonymous asker: new-question notices name nobody.
"""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractUser
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from core import roles
from core.models import Audience, CommunityMembership
from social.models import NotificationKind
from social.notifications.selectors import NotificationEntry, fill_actor
from social.notifications.services import notify_about_page

from .models import AnswerPage, ExpertVerification, QuestionPage

FOR_EXPERT = NotificationKind.QUESTION_FOR_EXPERT
ANSWERED = NotificationKind.QUESTION_ANSWERED
# The verbs of ANSWERED: an answer was published; an answer was accepted (the
# asker hears when someone else accepted for them, the expert when theirs was).
PUBLISHED = "published"
ACCEPTED = "accepted"
ACCEPTED_YOURS = "accepted_yours"


def experts_for(question: QuestionPage) -> QuerySet[ExpertVerification]:
    """The verified clinicians who answer about one of ``question``'s conditions and may
    read it: in the Experts group, active, and for a community question an active
    member of that community. One query."""
    verifications = ExpertVerification.objects.filter(
        user__is_active=True,
        user__groups__name=roles.EXPERTS,
        conditions__in=question.conditions.all(),
    ).exclude(user_id=question.author_id)
    if question.audience == Audience.COMMUNITY:
        verifications = verifications.filter(
            user__community_memberships__community_id=question.community_id,
            user__community_memberships__state=CommunityMembership.State.ACTIVE,
        )
    return verifications.distinct()


def notify_question_published(*, question: QuestionPage) -> int:
    """Tell the experts in ``question``'s areas that it waits for an answer; returns how many.

    Only a first publication is announced (the caller checks); a question with
    no condition reaches no expert this way (it waits in every expert's "all
    open questions" list and in the Editors' service-level report).
    """
    recipient_ids = list(experts_for(question).values_list("user_id", flat=True))
    notify_about_page(recipient_ids=recipient_ids, kind=FOR_EXPERT, page=question)
    return len(recipient_ids)


def notify_answer_published(*, answer: AnswerPage) -> None:
    """Tell the asker that an expert's answer to their question is published."""
    question = answer.get_parent().specific
    if question.author_id is None or question.author_id == answer.author_id:
        return
    notify_about_page(
        recipient_ids=[question.author_id],
        kind=ANSWERED,
        page=question,
        actor=answer.author,
        verb=PUBLISHED,
    )


def notify_answer_accepted(*, answer: AnswerPage, accepted_by: AbstractUser) -> None:
    """Tell the asker (unless they accepted it themselves) and the answering expert that
    ``answer`` was accepted. The one who accepted is not named: a community
    moderator accepting for the asker acts for the community."""
    question = answer.get_parent().specific
    if question.author_id and question.author_id != accepted_by.pk:
        notify_about_page(
            recipient_ids=[question.author_id], kind=ANSWERED, page=question, verb=ACCEPTED
        )
    if answer.author_id and answer.author_id != accepted_by.pk:
        notify_about_page(
            recipient_ids=[answer.author_id], kind=ANSWERED, page=question, verb=ACCEPTED_YOURS
        )


def _sentence(entry: NotificationEntry, title: str) -> str:
    if entry.kind == FOR_EXPERT:
        return _("A new question in your areas waits for an answer: “%(title)s”.") % {
            "title": title
        }
    if entry.verb == PUBLISHED:
        if entry.actor_name:
            return _("%(name)s answered your question “%(title)s”.") % {
                "name": entry.actor_name,
                "title": title,
            }
        return _("An expert answered your question “%(title)s”.") % {"title": title}
    if entry.verb == ACCEPTED_YOURS:
        return _("Your answer to “%(title)s” was accepted.") % {"title": title}
    return _("An answer to your question “%(title)s” was accepted.") % {"title": title}


def question_entries(
    *, user: AbstractUser, entries: Iterable[NotificationEntry], readable: dict
) -> None:
    """Resolve question notifications for ``user`` (the ``kindred_notification_kinds``
    hook) from the questions ``user`` may read now (``readable``, already fetched):
    no query of its own, whatever their number."""
    for entry in entries:
        question = readable.get(entry.notification.page_id)
        if question is None:
            entry.available = False
            continue
        if entry.kind == ANSWERED and entry.verb == PUBLISHED:
            fill_actor(entry, user=user, actor=entry.notification.actor)
        entry.title = question.title
        entry.url = question.url or ""
        entry.sentence = _sentence(entry, question.title)
        if entry.kind == FOR_EXPERT:
            entry.target_url = reverse("questions:open")


__all__ = [
    "experts_for",
    "notify_answer_accepted",
    "notify_answer_published",
    "notify_question_published",
    "question_entries",
]
