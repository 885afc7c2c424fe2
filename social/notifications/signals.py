"""Signal receivers for notifications: they only queue background work.

Whether a publication is the first one, and who hears about it, is decided
by ``services.notify_followed_publication`` in the worker.
"""

from functools import partial

from django.db import transaction

from wagtail.signals import page_published

from core.models import ContentPage


def on_page_published(sender, instance, **kwargs):
    if not isinstance(instance, ContentPage):
        return
    from .tasks import notify_followed_publication

    # The timestamp of this publish, so the worker can tell a first
    # publication from a later republish even if it runs late.
    published_at = instance.last_published_at.isoformat() if instance.last_published_at else ""
    # After commit: the worker must see the page live.
    transaction.on_commit(partial(notify_followed_publication.enqueue, instance.pk, published_at))


def connect():
    """Called once from ``SocialConfig.ready``."""
    page_published.connect(on_page_published, dispatch_uid="social.notifications.page_published")
