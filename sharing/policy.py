"""The sharing policy's decision, as a pure function of the rules and the facts of one share.

No database here: ``sharing.selectors`` reads the rules and an item's facts
and asks ``decide``; the admin's "why" view, the share buttons, the card
metadata and the share endpoint all ask the same function, so they cannot
disagree. The property-based tests drive it with random policies.

The order of the decision:

1. **The floor.** An item that is not public (unpublished, members-only,
   community-only, behind a view restriction) or not of a kind that is ever
   shared (an answer is read under its question) is never shared, whatever
   the rules say.
2. **The most specific rule.** A rule names any of a content type, a
   community and a network (blank means "any"); a rule matches when each
   dimension it names equals the share's. Among the matching rules those
   naming the most dimensions decide; among those, a denial wins. Without a
   matching rule the site-wide default decides.
3. **The author's consent.** A deciding rule (or default) that allows
   sharing may ask for the author's consent: then only items whose author
   chose "may be shared outside Kindred" are shared.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class Rule:
    """One rule of the policy. Blank ``content_type``/``network`` and ``None`` community mean any.

    ``content_type`` is a model label such as ``"blogs.blogpage"``; ``community``
    is the community page's id. ``pk`` and ``label`` say which rule decided.
    """

    content_type: str = ""
    community: int | None = None
    network: str = ""
    allowed: bool = True
    needs_author_consent: bool = False
    pk: int | None = None
    label: str = ""

    @property
    def specificity(self) -> int:
        """How many dimensions the rule names (0 to 3); the more, the more specific."""
        return sum((bool(self.content_type), self.community is not None, bool(self.network)))

    def matches(self, facts: "Facts") -> bool:
        """Whether every dimension this rule names is the share's."""
        return (
            (not self.content_type or self.content_type == facts.content_type)
            and (self.community is None or self.community == facts.community)
            and (not self.network or self.network == facts.network)
        )


@dataclass(frozen=True)
class Default:
    """The site-wide default: what happens when no rule matches."""

    allowed: bool = True
    needs_author_consent: bool = True


@dataclass(frozen=True)
class Facts:
    """What the policy needs to know about one share of one item to one network.

    ``is_public``: live, for everyone, no view restriction. ``kind_shareable``:
    a kind that is ever shared. ``author_consents``: the author chose "may be
    shared outside Kindred" (always true for the organisation's own pages,
    which have no member author).
    """

    content_type: str
    community: int | None
    network: str
    is_public: bool
    kind_shareable: bool = True
    author_consents: bool = False


@dataclass(frozen=True)
class Decision:
    """The answer, with the rule that gave it (``None``: the floor or the default) and why."""

    allowed: bool
    reason: str
    rule: Rule | None = None


NOT_SHAREABLE_KIND = gettext_lazy("Never shared: this kind of page is not shared outside Kindred.")
NOT_PUBLIC = gettext_lazy(
    "Never shared: only published items that everyone may read are shared, "
    "whatever the policy says."
)


def deciding_rules(rules: Iterable[Rule], facts: Facts) -> list[Rule]:
    """The matching rules that decide: those naming the most dimensions (empty if none match)."""
    matching = [rule for rule in rules if rule.matches(facts)]
    if not matching:
        return []
    most = max(rule.specificity for rule in matching)
    return [rule for rule in matching if rule.specificity == most]


def decide(*, facts: Facts, rules: Iterable[Rule], default: Default) -> Decision:
    """Whether the share described by ``facts`` is allowed under ``rules`` and ``default``.

    See the module's docstring for the order. Among tied rules a denial wins;
    if every tied rule allows, the author's consent is needed when any of
    them asks for it (the stricter reading).
    """
    if not facts.kind_shareable:
        return Decision(False, str(NOT_SHAREABLE_KIND))
    if not facts.is_public:
        return Decision(False, str(NOT_PUBLIC))
    tied = deciding_rules(rules, facts)
    if tied:
        denials = [rule for rule in tied if not rule.allowed]
        if denials:
            rule = denials[0]
            if len(tied) > 1:
                reason = _("Not allowed by the rule “%(rule)s” (a denial wins a tie).")
            else:
                reason = _("Not allowed by the rule “%(rule)s”.")
            return Decision(False, reason % {"rule": rule.label}, rule)
        rule = next((rule for rule in tied if rule.needs_author_consent), tied[0])
        needs_consent = rule.needs_author_consent
        words = {"rule": rule.label}
        refused = _(
            "Allowed by the rule “%(rule)s” only with the author’s consent, "
            "which the author has not given."
        )
        with_consent = _("Allowed by the rule “%(rule)s” with the author’s consent.")
        plain = _("Allowed by the rule “%(rule)s”.")
    else:
        rule = None
        if not default.allowed:
            return Decision(False, _("Not allowed by the site-wide default (no rule matches)."))
        needs_consent = default.needs_author_consent
        words = {}
        refused = _(
            "Allowed by the site-wide default (no rule matches) only with the author’s "
            "consent, which the author has not given."
        )
        with_consent = _(
            "Allowed by the site-wide default (no rule matches) with the author’s consent."
        )
        plain = _("Allowed by the site-wide default (no rule matches).")
    if needs_consent and not facts.author_consents:
        return Decision(False, refused % words if words else refused, rule)
    reason = with_consent if needs_consent else plain
    return Decision(True, reason % words if words else reason, rule)
