from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The bottom layer: content pages, readability, listings, mail and roles.

    It imports no other Kindred app; features plug into it through the hooks
    named in ``core.hooks`` (see docs/architecture.md).
    """

    name = "core"
    verbose_name = "Kindred core"

    def ready(self):
        # Issue 10, finding 12: no admin CSV export carries a spreadsheet formula.
        from core.spreadsheets import neutralise_wagtail_exports

        neutralise_wagtail_exports()
        # Issue 17: shared fragments (navigation, tags) and remembered routes forget
        # what a change alters (core.fragments).
        from core import fragments

        fragments.connect()
        # Issue 18: a deleted site page's translations go with it (core.models.information).
        from django.db.models.signals import post_delete

        from core.models.information import InformationPage, translations_delete

        post_delete.connect(
            translations_delete, sender=InformationPage, dispatch_uid="site-page-translations"
        )
