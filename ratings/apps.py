from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "ratings"
    verbose_name = "Ratings"

    def ready(self):
        # Connects the sign-in receivers that bind a browser's rater token.
        from . import signals  # noqa: F401
