"""What a checked policy file would change, and applying it with the admin's log entries."""

from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction

from wagtail.log_actions import LogContext, log
from wagtail.models import Site

from core.models import CommunityPage

from ..models import SharingRule, SharingSettings
from .document import (
    ADD,
    CHANGE,
    DEFAULT,
    IMPORT_PERMISSION,
    LOG_SOURCE,
    PERMISSIONS,
    REMOVE,
    RULE_FIELDS,
    Change,
    ParsedPolicy,
    PolicyFileError,
    PolicyNotPermitted,
    PolicyRule,
    _file_rule,
    _subject,
)
from .reading import _community_ids, _community_problem


@dataclass
class _Plan:
    """The changes, with what writing each needs: the file's rule and the row it replaces."""

    steps: list[tuple[Change, PolicyRule | None, SharingRule | None]]
    communities: dict[str, CommunityPage]

    @property
    def changes(self) -> list[Change]:
        return [change for change, _rule, _row in self.steps]


def _plan(parsed: ParsedPolicy, rows: list[SharingRule], current: dict[str, bool]) -> _Plan:
    communities, missing = _community_ids(
        {rule.community for rule in parsed.rules if rule.community}
    )
    if missing:
        # The file was checked, but a community went (or gained a namesake) since.
        raise PolicyFileError(
            [_community_problem("a rule", slug, count) for slug, count in sorted(missing.items())]
        )
    wanted = {
        "allowed": parsed.allowed_by_default,
        "needs_author_consent": parsed.needs_author_consent,
    }
    steps = []
    differs = [name for name in wanted if wanted[name] != current[name]]
    if differs:
        before, after = (
            {name: current[name] for name in differs},
            {name: wanted[name] for name in differs},
        )
        steps.append((Change(DEFAULT, "the default", before, after), None, None))
    by_key = {(row.content_type, row.community_id, row.network): row for row in rows}
    rule_steps = []
    for rule in parsed.rules:
        community = communities[rule.community] if rule.community else None
        row = by_key.pop((rule.content_type, community and community.pk, rule.network), None)
        subject = _subject(*rule.scope)
        if row is None:
            rule_steps.append((rule.scope, Change(ADD, subject, after=rule.values), rule, None))
            continue
        before = _file_rule(row).values
        differs = [name for name in RULE_FIELDS if before[name] != rule.values[name]]
        if differs:
            change = Change(
                CHANGE,
                subject,
                {name: before[name] for name in differs},
                {name: rule.values[name] for name in differs},
            )
            rule_steps.append((rule.scope, change, rule, row))
    for row in by_key.values():
        gone = _file_rule(row)
        change = Change(REMOVE, _subject(*gone.scope), before=gone.values)
        rule_steps.append((gone.scope, change, None, row))
    rule_steps.sort(key=lambda step: step[0])
    steps += [(change, rule, row) for _scope, change, rule, row in rule_steps]
    return _Plan(steps, communities)


def _current_default(settings: SharingSettings | None) -> dict[str, bool]:
    settings = settings or SharingSettings()
    return {
        "allowed": settings.allowed_by_default,
        "needs_author_consent": settings.needs_author_consent,
    }


def policy_changes(*, parsed: ParsedPolicy, site: Site) -> list[Change]:
    """What applying ``parsed`` to ``site`` would change: the default first, then each rule
    added, changed or removed, sorted as an export is. Writes nothing."""
    rows = list(SharingRule.objects.select_related("community"))
    settings = SharingSettings.objects.filter(site=site).first()
    return _plan(parsed, rows, _current_default(settings)).changes


def policy_importer_check(*, user: AbstractBaseUser) -> None:
    """Raise ``PolicyNotPermitted`` unless ``user`` is active and may change sharing rules."""
    if not user.is_active:
        raise PolicyNotPermitted(f"The user “{user.get_username()}” is not active.")
    if not user.has_perm(IMPORT_PERMISSION):
        raise PolicyNotPermitted(
            f"The user “{user.get_username()}” may not change the sharing policy: they need "
            f"to be a superuser or hold the permission {IMPORT_PERMISSION}."
        )


@transaction.atomic
def policy_apply(*, parsed: ParsedPolicy, site: Site, user: AbstractBaseUser) -> list[Change]:
    """Make the policy of ``site`` what ``parsed`` says, in one transaction; return the changes.

    Rules are added, changed and removed and the default updated; each change
    is logged as the admin logs it (``wagtail.create``/``edit``/``delete`` on
    the rule, ``wagtail.edit`` on the site's setting, a delete logged before
    the row goes) with ``user``, all under one log context so the entries of
    one import belong together. Raises ``PolicyNotPermitted`` when ``user``
    lacks a permission one of the changes needs in the admin (adding,
    changing or deleting rules, changing the default), and
    ``PolicyFileError`` if the policy changed underneath in a way that
    makes the file inapplicable; then nothing is changed.
    """
    policy_importer_check(user=user)
    # Locked until the end, so a rule edited in the admin meanwhile waits (PostgreSQL).
    rows = list(SharingRule.objects.select_for_update(of=("self",)).select_related("community"))
    settings = SharingSettings.objects.select_for_update().filter(site=site).first()
    plan = _plan(parsed, rows, _current_default(settings))
    lacking = sorted(
        {
            PERMISSIONS[change.kind]
            for change in plan.changes
            if not user.has_perm(PERMISSIONS[change.kind])
        }
    )
    if lacking:
        raise PolicyNotPermitted(
            f"The user “{user.get_username()}” may not make these changes: they lack "
            f"{', '.join(lacking)}. Nothing was changed."
        )
    try:
        with LogContext(user=user), transaction.atomic():
            for change, rule, row in plan.steps:
                _write(change, rule, row, site=site, settings=settings, plan=plan, user=user)
    except IntegrityError:
        raise PolicyFileError(
            ["a rule for one of the file's scopes was added meanwhile; run the import again."]
        ) from None
    return plan.changes


def _write(
    change: Change,
    rule: PolicyRule | None,
    row: SharingRule | None,
    *,
    site: Site,
    settings: SharingSettings | None,
    plan: _Plan,
    user: AbstractBaseUser,
) -> None:
    """Make one change and log it as the admin's views would."""
    data: dict[str, object] = {"source": LOG_SOURCE}
    if change.kind in (CHANGE, DEFAULT):
        data["changes"] = {name: [change.before[name], change.after[name]] for name in change.after}
    if change.kind == DEFAULT:
        settings = settings or SharingSettings(site=site)
        for name, value in change.after.items():
            setattr(settings, "allowed_by_default" if name == "allowed" else name, value)
        settings.save()
        log(instance=settings, action="wagtail.edit", user=user, content_changed=True, data=data)
    elif change.kind == REMOVE:
        # As Wagtail's DeleteAction: logged first, while the row still exists.
        log(instance=row, action="wagtail.delete", user=user, deleted=True, data=data)
        row.delete()
    elif change.kind == CHANGE:
        for name, value in change.after.items():
            setattr(row, name, value)
        row.save(update_fields=list(change.after))
        log(instance=row, action="wagtail.edit", user=user, content_changed=True, data=data)
    else:
        row = SharingRule.objects.create(
            content_type=rule.content_type,
            community=plan.communities[rule.community] if rule.community else None,
            network=rule.network,
            **change.after,
        )
        log(instance=row, action="wagtail.create", user=user, content_changed=True, data=data)
