from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Site search: the results page, autocomplete and the query log."""

    name = "search"
    label = "kindred_search"
    verbose_name = "Search"
