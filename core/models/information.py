"""The site's own pages: about, privacy, terms, accessibility, contact, the consent texts.

``setup_portal`` creates them with honest starting text (``portal.site_pages``);
editors change them in Wagtail afterwards. They live under the home page,
out of the header's section menu, and every page's footer links them.

Each has a translation for every other content language (German; issue 18):
Wagtail's translations, the same ``translation_key`` in a tree of their own
that no site routes. A page has one address: a reader whose interface is in
German reads the live German translation there, anyone else the page itself.
"""

import copy

from django.db import models
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.models import Page
from wagtail.search import index

from core import consent
from core.languages import content_language, default_content_language

from .mixins import BodyMixin, IntroMixin


class ConsentTextPanel(HelpPanel):
    """Tells editors of a consent page which part is theirs and which is versioned."""

    class BoundPanel(HelpPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            text = getattr(self.instance, "consent_text", None)
            self.content = (
                format_html(
                    "<p>Between the introduction and the body, this page shows “{}”, "
                    "version {}: the text members agree to. It is not edited here: a "
                    "change to it gets a new version (in <code>core/consent.py</code>), "
                    "and members are asked to agree again. The introduction and the body "
                    "are yours. Keep the page's address (slug): the sign-up form and the "
                    "account page link to it.</p>",
                    text.title,
                    text.version,
                )
                if text
                else ""
            )

        def is_shown(self):
            return bool(self.content)


class InformationPage(IntroMixin, BodyMixin, Page):
    """One of the site's own pages, editable in Wagtail and linked from the footer.

    A page with ``consent_kind`` shows the current versioned text of that
    consent (``core.consent``) between its editable introduction and body:
    the words members agreed to have one source, with a version, while the
    page around them stays the editors'.
    """

    # Which of setup_portal's pages this is, so running setup again finds it
    # wherever an editor moved or renamed it (and never makes a second one).
    setup_key = models.CharField(max_length=40, blank=True, editable=False)
    consent_kind = models.CharField(
        max_length=20,
        blank=True,
        editable=False,
        help_text=gettext_lazy("The consent text (accounts.consent) this page shows, if any."),
    )
    show_in_footer = models.BooleanField(
        gettext_lazy("show in footer"),
        default=True,
        help_text=gettext_lazy("Link this page from the footer of every page."),
    )

    parent_page_types = ["core.HomePage", "core.InformationPage"]
    subpage_types = ["core.InformationPage"]

    content_panels = [
        *Page.content_panels,
        *IntroMixin.intro_panels,
        ConsentTextPanel(heading="The versioned text"),
        *BodyMixin.body_panels,
    ]
    promote_panels = [*Page.promote_panels, FieldPanel("show_in_footer")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    class Meta:
        verbose_name = gettext_lazy("information page")
        constraints = [
            models.UniqueConstraint(
                fields=["setup_key"],
                condition=~models.Q(setup_key=""),
                name="portal_informationpage_setup_key_unique",
            ),
            models.UniqueConstraint(
                fields=["consent_kind"],
                condition=~models.Q(consent_kind=""),
                name="portal_informationpage_consent_kind_unique",
            ),
        ]

    @property
    def consent_text(self):
        """The current versioned text this page shows, or ``None``."""
        return consent.CURRENT.get(self.consent_kind)

    # The translation whose texts a copy made by ``in_language`` shows, if any.
    shown_translation_id = None

    # What a translation shows in place of its original's (the rest, its address,
    # its consent text, its place in the footer, stays the original's).
    TRANSLATED_FIELDS = (
        "title",
        "intro",
        "body",
        "seo_title",
        "search_description",
        "last_published_at",
    )

    def serve(self, request, *args, **kwargs):
        """This page in the reader's interface language, at this page's address.

        A live translation into that language (``translation.get_language()``,
        which ``LocaleMiddleware`` negotiated) stands in for this page's own
        texts; without one (none made, or unpublished) the page is shown as
        written. A reader in the page's own language costs no query; any other,
        one. The visitors' page cache keeps one copy per language.
        """
        return super(InformationPage, self.in_language(translation.get_language())).serve(
            request, *args, **kwargs
        )

    def in_language(self, language):
        """This page as a reader in ``language`` reads it, with ``content_language`` set.

        A copy of this page carrying its live translation's texts, or this page
        itself. ``content_language`` is the language the texts shown are in,
        for their ``lang`` where it may differ from the interface's ("" where it
        cannot: the default language's reader reads the page itself). The site's
        pages are written in the default language (setup makes them so, and a
        page added in the admin takes its parent's locale), so that reader costs
        no query.
        """
        default = default_content_language()
        code = content_language(language or "") or default
        if code == default:
            self.content_language = ""
            return self
        found = (
            InformationPage.objects.live()
            .filter(translation_key=self.translation_key, locale__language_code=code)
            .only(*self.TRANSLATED_FIELDS)
            .first()
        )
        if found is None or found.pk == self.pk:
            self.content_language = code if found is not None else default
            return self
        shown = copy.copy(self)
        for name in self.TRANSLATED_FIELDS:
            setattr(shown, name, getattr(found, name))
        shown.content_language = code
        # Whose texts these are: the userbar's "Edit" opens it (core.wagtail_hooks).
        shown.shown_translation_id = found.pk
        return shown


def translations_delete(sender, instance, **kwargs):
    """A site page deleted in the site's language takes its translations with it.

    They are read only at the original's address (``InformationPage.serve``), so
    none would ever be shown again; each would linger, orphaned, in the admin's
    tree of translations. Deleting a translation leaves the original alone.
    Connected to ``post_delete`` (``core.apps``), so the admin, the shell and a
    parent's deletion all do it.
    """
    if instance.locale.language_code != default_content_language():
        return
    others = InformationPage.objects.filter(translation_key=instance.translation_key).exclude(
        locale_id=instance.locale_id
    )
    # One at a time: a page's deletion is a tree operation (its children go too).
    for page in others:
        page.delete()
