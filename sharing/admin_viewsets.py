"""The sharing rules in the Wagtail admin, for Community managers (and superusers).

Rules are snippets (``SharingRuleViewSet``), so Wagtail writes every create,
edit and delete to the audit log with who and when, and each rule's history
shows it. They sit in the admin's own "Sharing" menu (``SharingMenu``) with
the site-wide default and the "why" view (``sharing.admin_hooks``), not under
Snippets: a menu of their own keeps them off Wagtail's snippets index, which
Community managers are otherwise refused (tests/portal).

Access is Django's model permissions on ``SharingRule`` (Wagtail's model
policy): ``core.roles`` gives Community managers all four; editors, medical
reviewers, experts and members hold none, so the menu and every address here
are closed to them.

The database's constraints (a rule names something; one rule per scope) are
validated by the form, so a duplicate or an all-blank rule is a form error.
Two managers saving the same new rule at the same instant both pass that
check; the loser's insert fails on the constraint and is told so on the form
too (``_ConstraintRaceMixin``), never with an error page.

Two of Wagtail's own behaviours are closed here: its page chooser, shown
again after a form error, looked up whatever was posted (a 500 for a
non-number, and the title of any page for a number), so the community field
uses ``SafePageChooser`` and ``PageChoiceField``; and its copy view bound a
POST made to its own address to the copied rule, editing that rule under a
"create" log entry, so ``SharingRuleCopyView`` makes a new one.
"""

from django import forms
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import BooleanColumn, BulkActionsCheckboxColumn, Column, TitleColumn
from wagtail.admin.views.generic import CopyViewMixin
from wagtail.admin.widgets import AdminPageChooser
from wagtail.models import Page
from wagtail.snippets.views.snippets import (
    CreateView,
    EditView,
    IndexView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

import django_filters

from core.models import CommunityPage

from .models import CONTENT_TYPE_CHOICES, SharingRule
from .networks import NETWORK_CHOICES

# The hook other parts of the "Sharing" menu register with (sharing.admin_hooks).
SHARING_MENU_HOOK = "kindred_sharing_menu_item"
# A filter's value for rules that leave the dimension blank ("any").
ANY = "any"
# Larger ids do not fit the database's column (PostgreSQL would refuse the query).
MAX_PAGE_ID = 2**31 - 1
# A plain string (gettext_noop), translated where it is shown.
RACE_MESSAGE = gettext_noop(
    "Someone saved a rule for this scope a moment ago: there is one rule per content type, "
    "community and network. Edit that rule instead."
)


class SafePageChooser(AdminPageChooser):
    """Wagtail's page chooser, naming a page only from ``pages`` and for any value posted.

    A form with an error is shown again with what was posted: Wagtail's widget
    looks that value up as an id, printing the title of whatever page it
    names and failing (a 500) on one that is not a number.
    """

    def __init__(self, *, pages: QuerySet | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.pages = pages

    def get_instance(self, value):
        if value is None or isinstance(value, Page):
            return value
        try:
            pk = int(value)
        except (TypeError, ValueError):
            return None
        if not 0 < pk <= MAX_PAGE_ID:
            return None
        pages = self.model_class.objects.all() if self.pages is None else self.pages
        page = pages.filter(pk=pk).first()
        return page.specific if page is not None else None


class PageChoiceField(forms.ModelChoiceField):
    """A page by id, refusing what no page id can be before asking the database.

    Django's field looks up any number it is given: one larger than the
    column fails in the database (a 500 on SQLite and PostgreSQL alike).
    """

    def to_python(self, value):
        if value not in self.empty_values and not isinstance(value, Page):
            try:
                pk = int(str(value))
            except ValueError:
                pk = 0
            if not 0 < pk <= MAX_PAGE_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice"
                )
        return super().to_python(value)


def _blank_or(field: str):
    """A filter method: ``ANY`` means rules that leave ``field`` blank, anything else equals."""

    def method(queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(**{field: "" if value == ANY else value})

    return method


class CommunityFilter(django_filters.ModelChoiceFilter):
    field_class = PageChoiceField


class SharingRuleFilterSet(WagtailFilterSet):
    network = django_filters.ChoiceFilter(
        label=gettext_lazy("Network"),
        choices=[(ANY, gettext_lazy("Any network (rules that name none)")), *NETWORK_CHOICES],
        empty_label=gettext_lazy("All rules"),
        method=_blank_or("network"),
    )
    content_type = django_filters.ChoiceFilter(
        label=gettext_lazy("Content type"),
        choices=[(ANY, gettext_lazy("Any type (rules that name none)")), *CONTENT_TYPE_CHOICES],
        empty_label=gettext_lazy("All rules"),
        method=_blank_or("content_type"),
    )
    community = CommunityFilter(
        label=gettext_lazy("Community"),
        queryset=CommunityPage.objects.order_by("title").only("pk", "title"),
        empty_label=gettext_lazy("All rules"),
    )

    class Meta:
        model = SharingRule
        fields = ["network", "content_type", "community"]


class SharingRuleForm(WagtailAdminModelForm):
    """The rule's fields, from the model's panels; Django validates its constraints here."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        community = self.fields.get("community")
        if community is not None:
            self.fields["community"] = PageChoiceField(
                queryset=CommunityPage.objects.all(),
                required=False,
                label=community.label,
                help_text=community.help_text,
                widget=SafePageChooser(target_models=[CommunityPage]),
            )


class _ConstraintRaceMixin:
    """A save that loses a race on the rule's unique constraints answers with the form."""

    def form_valid(self, form) -> HttpResponse:
        try:
            return super().form_valid(form)
        except IntegrityError:
            # The atomic block around the save has rolled it back, log entry included.
            form.add_error(None, _(RACE_MESSAGE))
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class SharingRuleCreateView(_ConstraintRaceMixin, CreateView):
    pass


class SharingRuleEditView(_ConstraintRaceMixin, EditView):
    pass


class SharingRuleCopyView(CopyViewMixin, SharingRuleCreateView):
    """A new rule starting from another's fields.

    The form posts to the add view. Wagtail's copy view would bind a POST
    made to it to the copied rule itself, editing that rule under a "create"
    log entry: here a POST makes a new rule, as the add view does.
    """

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # Wagtail's setup() made the copied rule this view's object; a new one is made instead.
        self.object = None
        return super().post(request, *args, **kwargs)

    def get_initial_form_instance(self):
        if self.request.method == "POST":
            return None
        return super().get_initial_form_instance()


PHONE_HIDDEN = "kindred-sharing-detail"


class DetailBooleanColumn(BooleanColumn):
    class Media:
        css = {"all": ["css/sharing_admin.css"]}


class SharingRuleIndexView(IndexView):
    """Each rule in words, with its verdict and note, in a fixed number of queries."""

    @cached_property
    def columns(self) -> list:
        return [
            BulkActionsCheckboxColumn("bulk_actions", obj_type="snippet"),
            TitleColumn(
                "label",
                label=gettext_lazy("Rule"),
                get_url=self.get_edit_url,
                get_title_id=lambda rule: f"snippet_{rule.pk}_title",
            ),
            # The rule's words already say its verdict: on a phone the columns
            # that repeat it give the rule the width (static/css/sharing_admin.css).
            DetailBooleanColumn(
                "allowed",
                label=gettext_lazy("Allows sharing"),
                sort_key="allowed",
                classname=PHONE_HIDDEN,
            ),
            DetailBooleanColumn(
                "needs_author_consent",
                label=gettext_lazy("Needs author’s consent"),
                sort_key="needs_author_consent",
                classname=PHONE_HIDDEN,
            ),
            Column("note", label=gettext_lazy("Note"), classname=PHONE_HIDDEN),
        ]


class SharingRuleViewSet(SnippetViewSet):
    model = SharingRule
    icon = "link"
    menu_label = gettext_lazy("Rules")
    menu_name = "sharing-rules"
    url_prefix = "sharing/rules"
    url_namespace = "sharing_rules"
    index_view_class = SharingRuleIndexView
    add_view_class = SharingRuleCreateView
    edit_view_class = SharingRuleEditView
    copy_view_class = SharingRuleCopyView
    filterset_class = SharingRuleFilterSet
    list_per_page = 50
    inspect_view_enabled = False
    edit_handler = ObjectList(SharingRule.panels, base_form_class=SharingRuleForm)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # The label names the community: one join instead of a query per rule.
        return SharingRule.objects.select_related("community")

    def get_permissions_to_register(self) -> QuerySet:
        # All four, "view" included: Community managers hold it, and it opens the "why" view.
        return Permission.objects.filter(
            content_type=ContentType.objects.get_for_model(SharingRule)
        )


class SharingMenu(SnippetViewSetGroup):
    """The admin's "Sharing" menu: rules here; the default and the "why" view join through
    ``SHARING_MENU_HOOK``. Shown only when one of its items is (Wagtail's submenu rule)."""

    items = (SharingRuleViewSet,)
    menu_label = gettext_lazy("Sharing")
    menu_name = "sharing"
    menu_icon = "link"
    menu_order = 280
    submenu_hook = SHARING_MENU_HOOK
