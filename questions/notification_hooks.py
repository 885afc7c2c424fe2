"""Questions' entries in social's notification registry (imported by ``wagtail_hooks``)."""

from wagtail import hooks

from social.notifications.kinds import NOTIFICATION_KINDS

from .notifications import ANSWERED, FOR_EXPERT, question_entries


@hooks.register(NOTIFICATION_KINDS)
def question_notification_kinds():
    return {FOR_EXPERT: question_entries, ANSWERED: question_entries}
