"""Core's Wagtail hooks: the userbar on a site page read in another language (issue 18)."""

from wagtail import hooks
from wagtail.admin.userbar import EditPageItem
from wagtail.models import Page


@hooks.register("construct_wagtail_userbar")
def edit_the_translation_shown(request, items, page):
    """On a site page read in German, the userbar's "Edit" opens the German translation.

    The page is read at its one address with its translation's texts
    (``InformationPage.in_language``); an editor who reads German there and
    clicks "Edit" means the words they read, not the English page's. Costs
    one query, for people who see the userbar only (never a visitor).
    """
    translation_id = getattr(page, "shown_translation_id", None)
    if translation_id is None:
        return
    for index, item in enumerate(items):
        if isinstance(item, EditPageItem):
            translation = Page.objects.filter(pk=translation_id).first()
            if translation is not None:
                items[index] = EditPageItem(translation)
