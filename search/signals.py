"""Enqueue engine index updates when indexed objects change (see search.tasks).

Only when a search backend has AUTO_UPDATE off (the engines); with the
database backend alone these receivers do nothing.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

from modelsearch import index
from wagtail.models import Page

from .tasks import background_backend_names, search_index_delete, search_index_update


def _is_most_specific(instance: Model) -> bool:
    # Deleting a blog post deletes its ContentPage and Page rows too, each with
    # a post_delete; the document is one, so only the page's own type enqueues.
    if isinstance(instance, Page) and instance.content_type_id:
        return ContentType.objects.get_for_model(type(instance)).pk == instance.content_type_id
    return True


def _saved(sender: type[Model], instance: Model, raw: bool = False, **kwargs: object) -> None:
    if raw or not background_backend_names():
        return
    meta = instance._meta
    search_index_update.enqueue(meta.app_label, meta.model_name, str(instance.pk))


def _deleted(sender: type[Model], instance: Model, **kwargs: object) -> None:
    if not background_backend_names() or not _is_most_specific(instance):
        return
    meta = instance._meta
    search_index_delete.enqueue(meta.app_label, meta.model_name, str(instance.pk))


def connect() -> None:
    """Connect the receivers to every indexed model (called once from the AppConfig)."""
    for model in index.get_indexed_models():
        if not getattr(model, "search_auto_update", True):
            continue
        post_save.connect(_saved, sender=model, dispatch_uid=f"kindred_search_save_{model._meta}")
        post_delete.connect(
            _deleted, sender=model, dispatch_uid=f"kindred_search_delete_{model._meta}"
        )
