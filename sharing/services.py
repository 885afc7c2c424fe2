"""Recording a share: one count per network, page and day, and nothing about who."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from wagtail.models import Page

from .models import ShareCount
from .selectors import page_community_id


@transaction.atomic
def share_record(*, page: Page, network: str) -> None:
    """Count one share of ``page`` to ``network`` today (the site's time zone).

    An ``UPDATE … SET count = count + 1`` is atomic in itself; only the
    first share of the day inserts. Two first shares at the same instant
    both try the insert: the loser's fails on the unique constraint inside
    a savepoint and it counts with the update instead, so no share is lost
    and no row is doubled. The caller has already asked the policy.
    """
    day = timezone.localdate()
    counted = ShareCount.objects.filter(page=page, network=network, day=day)
    if counted.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            ShareCount.objects.create(
                page=page, network=network, day=day, count=1, community_id=page_community_id(page)
            )
    except IntegrityError:
        counted.update(count=F("count") + 1)
