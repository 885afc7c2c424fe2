from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Site search: the results page, autocomplete and the query log."""

    name = "search"
    label = "kindred_search"
    verbose_name = "Search"

    def ready(self) -> None:
        # Engine index updates go through the background queue (search.tasks).
        from . import signals

        signals.connect()
