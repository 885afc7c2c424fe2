from django.apps import AppConfig


class SocialConfig(AppConfig):
    name = "social"
    verbose_name = "Profiles and community"

    def ready(self):
        from .notifications import signals

        signals.connect()
