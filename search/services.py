"""Writes of the search app: the anonymous query log."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from modelsearch.utils import normalise_query_string
from wagtail.contrib.search_promotions.models import Query
from wagtail.search.utils import MAX_QUERY_STRING_LENGTH

from .models import ZeroResultQueryDay


def _query_row(query_string: str) -> Query:
    try:
        with transaction.atomic():
            return Query.objects.get_or_create(query_string=query_string)[0]
    except IntegrityError:
        # Two readers logged the same new query at once; the other one won.
        return Query.objects.get(query_string=query_string)


def search_query_log(*, query: str, found: bool) -> None:
    """Count one search for ``query`` today (Wagtail's query hits), and whether it found nothing.

    Feeds the editors' reports: popular searches (Wagtail's ``QueryDailyHits``)
    and searches without results (``ZeroResultQueryDay``). Who searched is
    never stored. Empty queries are not logged. The query is normalised as
    Wagtail does (lower case, single spaces) and bounded to the column's 255
    characters after lower-casing, which can lengthen some characters.
    """
    normalised = normalise_query_string(query)[:MAX_QUERY_STRING_LENGTH]
    if not normalised:
        return
    row = _query_row(normalised)
    row.add_hit()
    if not found:
        today = timezone.now().date()
        updated = ZeroResultQueryDay.objects.filter(query=row, date=today).update(
            hits=F("hits") + 1
        )
        if not updated:
            try:
                with transaction.atomic():
                    ZeroResultQueryDay.objects.create(query=row, date=today, hits=1)
            except IntegrityError:
                ZeroResultQueryDay.objects.filter(query=row, date=today).update(hits=F("hits") + 1)
