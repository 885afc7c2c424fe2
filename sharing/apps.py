from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "sharing"
    verbose_name = "Sharing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Issue 17: the policy is cached for every page (sharing.selectors.page_sharing);
        # a change of a rule, a default or a community (a rule's label) forgets it.
        from django.db.models.signals import post_delete, post_save

        from core import fragments
        from core.models import CommunityPage

        from .models import SharingRule, SharingSettings
        from .selectors import SHARING_POLICY

        changed = fragments.bumper(SHARING_POLICY)
        for model in (SharingRule, SharingSettings, CommunityPage):
            post_save.connect(changed, sender=model, dispatch_uid=f"kindred_sharing_{model}")
            post_delete.connect(changed, sender=model, dispatch_uid=f"kindred_sharing_d{model}")
