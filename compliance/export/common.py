"""What every section of the archive shares: JSON values and the titles of items the
member may read today (see ``sections``)."""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Model
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from accounts.models import User
from core.models import ContentPage
from core.selectors import readable_content

Record = dict[str, Any]
# Said in place of a title the member may not read today, in their language.
UNAVAILABLE = gettext_lazy("(an item you cannot read any more)")


def value(obj: Any) -> Any:
    """``obj`` as a JSON value: times in ISO 8601, decimals as text."""
    if isinstance(obj, (datetime, date)):
        return obj.isoformat()
    if isinstance(obj, (Decimal, Promise)):
        # A Promise: a translatable label, in the member's language (the build's).
        return str(obj)
    if isinstance(obj, dict):
        return {str(key): value(item) for key, item in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [value(item) for item in obj]
    return obj


def fields(instance: Model, names: Iterable[str]) -> Record:
    """The ``names`` attributes of ``instance`` as a record of JSON values."""
    return {name: value(getattr(instance, name)) for name in names}


class Titles:
    """The titles of items the member may read today, fetched in one query per batch."""

    def __init__(self, user: User):
        self.user = user
        self._known: dict[int, str] = {}

    def load(self, page_ids: Iterable[int | None]) -> None:
        wanted = {pk for pk in page_ids if pk is not None} - set(self._known)
        if not wanted:
            return
        own = ContentPage.objects.filter(pk__in=wanted, author=self.user)
        readable = readable_content(user=self.user).filter(pk__in=wanted)
        for query in (own, readable):
            self._known.update(query.values_list("pk", "title"))

    def __call__(self, page_id: int | None) -> str | None:
        if page_id is None:
            return None
        return self._known[page_id] if page_id in self._known else str(UNAVAILABLE)
