"""``manage.py update_index``: Wagtail's rebuild, with time for bulk requests on an engine.

The engine backends are configured for readers: a 2-second timeout, so a
search fails fast when the node is down. A bulk request of a thousand pages
can take longer than that, so this command (which takes precedence over
Wagtail's own, the search app being listed first) runs Wagtail's rebuild with
a longer timeout. The rebuild is atomic on the engines (a new index, then the
alias moves), so documents of pages deleted or unpublished while the engine
was down are gone afterwards: this is the reconcile step after an outage.
"""

from copy import deepcopy

from django.conf import settings
from django.test.utils import override_settings

from modelsearch.management.commands.rebuild_modelsearch_index import Command as WagtailCommand

REBUILD_TIMEOUT = 120


def with_rebuild_timeout(backends):
    """``backends`` (WAGTAILSEARCH_BACKENDS) with a long timeout for every engine entry."""
    backends = deepcopy(backends)
    for config in backends.values():
        if "TIMEOUT" in config:
            config["TIMEOUT"] = max(config["TIMEOUT"], REBUILD_TIMEOUT)
    return backends


class Command(WagtailCommand):
    help = "Rebuild the search index on every backend (deleted pages included)."

    def handle(self, **options):
        with override_settings(
            WAGTAILSEARCH_BACKENDS=with_rebuild_timeout(settings.WAGTAILSEARCH_BACKENDS)
        ):
            return super().handle(**options)
