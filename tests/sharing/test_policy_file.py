"""The sharing policy as a file (issue 14): ``manage.py sharing_policy export|import``.

An export imported again changes nothing; an edited file shows exactly its
changes and applies them only with ``--apply``, each logged with the user as
the admin logs it; a file with anything wrong in it, or a user who may not
change the policy, is refused with every problem named and nothing changed.
"""

import io
import json

from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command

from wagtail.models import ModelLogEntry, Site

import pytest
import yaml

from core.models import CommunityIndexPage
from sharing.models import SharingRule, SharingSettings
from sharing.policy_file import (
    MAX_FILE_BYTES,
    PolicyFileError,
    parse_policy,
    policy_apply,
    policy_changes,
)
from tests.factories import CommunityPageFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def communities(portal):
    index = CommunityIndexPage.objects.get()
    return {
        slug: CommunityPageFactory(parent=index, title=title, slug=slug)
        for slug, title in (("carers", "Carers"), ("newly-diagnosed", "Newly diagnosed"))
    }


@pytest.fixture
def policy(communities):
    """Three rules and a default that is not the model's, as a manager set them in the admin."""
    site = Site.objects.get(is_default_site=True)
    SharingSettings.objects.create(site=site, allowed_by_default=False, needs_author_consent=True)
    carers = communities["carers"]
    return {
        "x": SharingRule.objects.create(
            content_type="blogs.blogpage", network="x", allowed=False, note="Too public"
        ),
        "carers_stories": SharingRule.objects.create(
            content_type="experience_stories.experiencestorypage",
            community=carers,
            allowed=True,
            needs_author_consent=True,
        ),
        "carers_facebook": SharingRule.objects.create(
            community=carers, network="facebook", allowed=False
        ),
    }


@pytest.fixture
def importer(portal):
    return UserFactory(username="admin", is_superuser=True, is_staff=True)


def grant(user, *codenames):
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="sharing", codename__in=codenames)
    )
    return type(user).objects.get(pk=user.pk)  # a fresh object: no permission cache


def run(*args):
    out = io.StringIO()
    call_command("sharing_policy", *args, stdout=out)
    return out.getvalue()


def export(tmp_path, name="policy.json"):
    path = tmp_path / name
    run("export", "--output", str(path))
    return path


def import_(path, *more, user="admin"):
    return run("import", str(path), "--user", user, *more)


def write(tmp_path, document, name="policy.json"):
    path = tmp_path / name
    if name.endswith(".json"):
        path.write_text(json.dumps(document))
    else:
        path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


def state():
    """Everything an import may change, and every log entry: to compare before and after."""
    rules = sorted(
        SharingRule.objects.values_list(
            "pk",
            "content_type",
            "community_id",
            "network",
            "allowed",
            "needs_author_consent",
            "note",
        )
    )
    settings = sorted(
        SharingSettings.objects.values_list("site_id", "allowed_by_default", "needs_author_consent")
    )
    return rules, settings, ModelLogEntry.objects.count()


EXPORTED = {
    "kindred_sharing_policy": 1,
    "default": {"allowed": False, "needs_author_consent": True},
    "rules": [
        {
            "content_type": "",
            "community": "carers",
            "network": "facebook",
            "allowed": False,
            "needs_author_consent": False,
            "note": "",
        },
        {
            "content_type": "blogs.blogpage",
            "community": None,
            "network": "x",
            "allowed": False,
            "needs_author_consent": False,
            "note": "Too public",
        },
        {
            "content_type": "experience_stories.experiencestorypage",
            "community": "carers",
            "network": "",
            "allowed": True,
            "needs_author_consent": True,
            "note": "",
        },
    ],
}


# Export ------------------------------------------------------------------------------------


def test_export_writes_the_whole_policy_sorted_with_communities_by_slug(policy):
    text = run("export")

    assert json.loads(text) == EXPORTED
    assert text == run("export"), "the same policy gives the same text"
    assert list(json.loads(text)["rules"][0]) == [
        "content_type",
        "community",
        "network",
        "allowed",
        "needs_author_consent",
        "note",
    ]


def test_export_in_yaml_by_extension_or_format(policy, tmp_path):
    path = tmp_path / "policy.yml"
    out = run("export", "--output", str(path))

    assert "(the default and 3 rules)" in out
    assert yaml.safe_load(path.read_text()) == EXPORTED
    assert yaml.safe_load(run("export", "--format", "yaml")) == EXPORTED


def test_export_of_a_default_never_saved_is_the_models_and_creates_nothing(portal):
    document = json.loads(run("export"))

    assert document == {
        "kindred_sharing_policy": 1,
        "default": {"allowed": True, "needs_author_consent": True},
        "rules": [],
    }
    assert not SharingSettings.objects.exists()


# Round trip and changes -----------------------------------------------------------------


@pytest.mark.parametrize("name", ["policy.json", "policy.yaml"])
def test_an_export_imported_again_changes_nothing(policy, importer, tmp_path, name):
    path = export(tmp_path, name)
    before = state()

    assert import_(path) == "No changes.\n"
    assert import_(path, "--apply") == "No changes.\n"
    assert state() == before, "no row and no log entry"


def edited():
    """EXPORTED with one rule changed, one removed, one added and the default changed."""
    document = json.loads(json.dumps(EXPORTED))
    document["default"]["allowed"] = True
    del document["rules"][0]  # carers · facebook
    document["rules"][1].update(note="Only with consent", needs_author_consent=False)
    document["rules"].append(
        {
            "content_type": "questions.questionpage",
            "community": "newly-diagnosed",
            "network": "whatsapp",
            "allowed": True,
            "needs_author_consent": True,
            "note": "Asked for by members",
        }
    )
    return document


EDITED_CHANGES = [
    "the default: allowed false → true",
    "any type · community carers · facebook: not allowed",
    "experience_stories.experiencestorypage · community carers · any network: "
    'needs_author_consent true → false; note "" → "Only with consent"',
    "questions.questionpage · community newly-diagnosed · whatsapp: allowed with the "
    'author’s consent (note "Asked for by members")',
]


def test_an_edited_file_shows_exactly_its_changes_and_changes_nothing(policy, importer, tmp_path):
    path = write(tmp_path, edited())
    before = state()

    out = import_(path)

    assert out.splitlines() == [
        f"Would change: {EDITED_CHANGES[0]}",
        f"Would remove: {EDITED_CHANGES[1]}",
        f"Would change: {EDITED_CHANGES[2]}",
        f"Would add: {EDITED_CHANGES[3]}",
        "Nothing was changed (a dry run). Add --apply to make these 4 changes.",
    ]
    assert state() == before


def test_apply_makes_exactly_those_changes(policy, importer, tmp_path, communities):
    path = write(tmp_path, edited())

    out = import_(path, "--apply")

    assert out.splitlines() == [
        f"Changed: {EDITED_CHANGES[0]}",
        f"Removed: {EDITED_CHANGES[1]}",
        f"Changed: {EDITED_CHANGES[2]}",
        f"Added: {EDITED_CHANGES[3]}",
        "Applied 4 changes as admin; each is in the admin's history (Reports › Site history).",
    ]
    assert json.loads(run("export")) == edited()
    assert not SharingRule.objects.filter(pk=policy["carers_facebook"].pk).exists()
    unchanged = policy["x"]
    assert SharingRule.objects.get(pk=unchanged.pk).note == "Too public"
    changed = SharingRule.objects.get(pk=policy["carers_stories"].pk)
    assert (changed.needs_author_consent, changed.note) == (False, "Only with consent")
    added = SharingRule.objects.get(content_type="questions.questionpage")
    assert (added.community, added.network) == (communities["newly-diagnosed"], "whatsapp")
    assert import_(path) == "No changes.\n"


def test_every_change_is_in_the_admins_history_with_who(policy, importer, tmp_path):
    path = write(tmp_path, edited())

    import_(path, "--apply")

    entries = ModelLogEntry.objects.all()
    assert entries.count() == 4
    assert {entry.user_id for entry in entries} == {importer.pk}
    assert len({entry.uuid for entry in entries}) == 1, "one import, one group of entries"
    settings = SharingSettings.objects.get()
    added = SharingRule.objects.get(content_type="questions.questionpage")
    logged = {(entry.action, entry.content_type.model, entry.object_id): entry for entry in entries}
    assert set(logged) == {
        ("wagtail.edit", "sharingsettings", str(settings.pk)),
        ("wagtail.delete", "sharingrule", str(policy["carers_facebook"].pk)),
        ("wagtail.edit", "sharingrule", str(policy["carers_stories"].pk)),
        ("wagtail.create", "sharingrule", str(added.pk)),
    }
    deleted = logged["wagtail.delete", "sharingrule", str(policy["carers_facebook"].pk)]
    assert deleted.deleted and deleted.label == "Any type · Carers · Facebook: not allowed"
    edit = logged["wagtail.edit", "sharingrule", str(policy["carers_stories"].pk)]
    assert edit.content_changed
    assert edit.data["changes"] == {
        "needs_author_consent": [True, False],
        "note": ["", "Only with consent"],
    }
    # What the rule's and the setting's own history pages read.
    assert ModelLogEntry.objects.for_instance(added).get().action == "wagtail.create"
    assert ModelLogEntry.objects.for_instance(settings).get().user == importer


def test_a_changed_default_creates_the_setting_row_if_it_was_never_saved(
    portal, importer, tmp_path
):
    document = {
        "kindred_sharing_policy": 1,
        "default": {"allowed": False, "needs_author_consent": True},
        "rules": [],
    }

    out = import_(write(tmp_path, document), "--apply")

    assert out.splitlines()[0] == "Changed: the default: allowed true → false"
    settings = SharingSettings.objects.get()
    assert (settings.site.is_default_site, settings.allowed_by_default) == (True, False)
    assert ModelLogEntry.objects.for_instance(settings).get().action == "wagtail.edit"


def test_a_hand_written_yaml_file(communities, importer, tmp_path):
    path = tmp_path / "policy.yaml"
    path.write_text(
        "# Kindred's sharing policy\n"
        "kindred_sharing_policy: 1\n"
        "default: {allowed: true, needs_author_consent: true}\n"
        "rules:\n"
        "  - community: carers\n"
        "    allowed: false\n"
        "    note: Carers asked us not to\n"
        "  - network: email\n"
        "    allowed: yes\n"  # YAML's own word for true
    )

    out = import_(path, "--apply")

    assert "Added: any type · community carers · any network: not allowed" in out
    assert "Added: any type · any community · email: allowed" in out
    rule = SharingRule.objects.get(community=communities["carers"])
    assert (rule.allowed, rule.needs_author_consent, rule.note) == (
        False,
        False,
        "Carers asked us not to",
    )


def test_an_import_whose_community_went_meanwhile_changes_nothing(communities, importer):
    document = {
        "kindred_sharing_policy": 1,
        "default": {"allowed": True, "needs_author_consent": True},
        "rules": [
            {"network": "x", "allowed": False},
            {"community": "carers", "allowed": False},
        ],
    }
    parsed = parse_policy(json.dumps(document))
    site = Site.objects.get(is_default_site=True)
    assert len(policy_changes(parsed=parsed, site=site)) == 2
    communities["carers"].delete()

    with pytest.raises(PolicyFileError, match="no community has the slug 'carers'"):
        policy_apply(parsed=parsed, site=site, user=importer)
    assert not SharingRule.objects.exists()


# Refusals ----------------------------------------------------------------------------------


def valid_rule(**values):
    return {"content_type": "blogs.blogpage", "allowed": False, **values}


def document_with(*rules, **top):
    return {
        "kindred_sharing_policy": 1,
        "default": {"allowed": True, "needs_author_consent": True},
        "rules": list(rules),
        **top,
    }


def as_json(document):
    return json.dumps(document)


# (what the file holds, its name, a phrase the refusal must contain)
HOSTILE = {
    "wrong version": (
        as_json(document_with(kindred_sharing_policy=2)),
        "policy.json",
        "“kindred_sharing_policy”: 1 (the format's version), not the number 2",
    ),
    "no version": (
        as_json({"default": {"allowed": True, "needs_author_consent": True}, "rules": []}),
        "policy.json",
        "“kindred_sharing_policy”: 1 (the format's version), which is missing",
    ),
    "version as text": (
        as_json(document_with(kindred_sharing_policy="1")),
        "policy.json",
        "not '1'",
    ),
    "a yes": (
        as_json(document_with(valid_rule(allowed="yes"))),
        "policy.json",
        "rule 1: “allowed” must be true or false, not 'yes'",
    ),
    "a one": (
        as_json(document_with(valid_rule(needs_author_consent=1))),
        "policy.json",
        "rule 1: “needs_author_consent” must be true or false, not the number 1",
    ),
    "allowed missing": (
        as_json(document_with({"network": "x"})),
        "policy.json",
        "rule 1: “allowed” is missing",
    ),
    "an unknown rule key": (
        as_json(document_with(valid_rule(allow=True))),
        "policy.json",
        "rule 1: unknown key 'allow'",
    ),
    "an unknown top key": (
        as_json(document_with(extra=1)),
        "policy.json",
        "the file: unknown key 'extra'",
    ),
    "an unknown default key": (
        as_json(
            {
                "kindred_sharing_policy": 1,
                "default": {"allowed": True, "needs_author_consent": True, "x": 1},
                "rules": [],
            }
        ),
        "policy.json",
        "the default: unknown key 'x'",
    ),
    "an unknown type": (
        as_json(document_with(valid_rule(), valid_rule(content_type="blogs.page"))),
        "policy.json",
        "rule 2: unknown content type 'blogs.page'",
    ),
    "an unknown network": (
        as_json(document_with(valid_rule(), valid_rule(), valid_rule(network="myspace"))),
        "policy.json",
        "rule 3: unknown network 'myspace'",
    ),
    "an unknown community": (
        as_json(document_with(valid_rule(community="nowhere"))),
        "policy.json",
        "rule 1: no community has the slug 'nowhere'",
    ),
    "a community id": (
        as_json(document_with(valid_rule(community=3))),
        "policy.json",
        "rule 1: “community” must be text, not the number 3",
    ),
    "a community as a list": (
        as_json(document_with(valid_rule(community=["carers"]))),
        "policy.json",
        "rule 1: “community” must be text, not a list",
    ),
    "a rule naming nothing": (
        as_json(document_with({"allowed": False, "note": "everything"})),
        "policy.json",
        "rule 1: names no content type, community or network",
    ),
    "a blank community naming nothing": (
        as_json(
            document_with({"content_type": "", "community": "", "network": "", "allowed": True})
        ),
        "policy.json",
        "rule 1: names no content type, community or network",
    ),
    "the same scope twice": (
        as_json(
            document_with(
                valid_rule(community="carers"),
                valid_rule(network="x"),
                valid_rule(community="carers", allowed=True),
            )
        ),
        "policy.json",
        "rule 3: rule 1 already speaks about blogs.blogpage · community carers · any network",
    ),
    "a note too long": (
        as_json(document_with(valid_rule(note="n" * 201))),
        "policy.json",
        "rule 1: the note is 201 characters; at most 200 fit",
    ),
    "a NUL in a note": (
        as_json(document_with(valid_rule(note="a\x00b"))),
        "policy.json",
        "rule 1: the note holds a control character",
    ),
    "a NUL in a community": (
        as_json(document_with(valid_rule(community="car\x00ers"))),
        "policy.json",
        "rule 1: 'car\\x00ers' is not a community's slug",
    ),
    "a rule that is a list": (
        as_json(document_with(["blogs.blogpage", False])),
        "policy.json",
        "rule 1: must be an object",
    ),
    "rules as an object": (
        as_json(document_with()).replace('"rules": []', '"rules": {}'),
        "policy.json",
        "“rules” must be a list (empty for none), not an object",
    ),
    "no default": (
        as_json({"kindred_sharing_policy": 1, "rules": []}),
        "policy.json",
        "“default” must be an object with allowed and needs_author_consent, which is missing",
    ),
    "a list document": ("[]", "policy.json", "the file must hold one object"),
    "a string document": ('"policy"', "policy.json", "not 'policy'"),
    "an empty YAML file": ("", "policy.yaml", "not nothing"),
    "an empty JSON file": ("", "policy.json", "not valid JSON"),
    "broken JSON": ('{"kindred_sharing_policy": 1,', "policy.json", "not valid JSON"),
    "broken YAML": ("rules: [\n", "policy.yaml", "not valid YAML"),
    "YAML read as JSON": (
        "kindred_sharing_policy: 1\n",
        "policy.txt",
        "for YAML, name the file .yaml or add --format yaml",
    ),
    "two YAML documents": ("a: 1\n---\nb: 2\n", "policy.yaml", "not valid YAML"),
    "a Python object in YAML": (
        "!!python/object/apply:os.system ['touch /tmp/kindred-pwned']\n",
        "policy.yaml",
        "not valid YAML: could not determine a constructor",
    ),
    "a date in YAML": (
        "kindred_sharing_policy: 1\ndefault: {allowed: true, needs_author_consent: true}\n"
        "rules:\n- {network: x, allowed: false, note: 2024-01-01}\n",
        "policy.yaml",
        "rule 1: “note” must be text, not a date",
    ),
    "an impossible YAML date": ("note: 2024-13-45\n", "policy.yaml", "not valid YAML"),
    "a key twice in JSON": (
        '{"kindred_sharing_policy": 1, "kindred_sharing_policy": 1, "default": {}, "rules": []}',
        "policy.json",
        "the key 'kindred_sharing_policy' appears twice",
    ),
    "a key twice in YAML": (
        "kindred_sharing_policy: 1\ndefault: {allowed: true, needs_author_consent: true}\n"
        "rules:\n- {network: x, allowed: true, allowed: false}\n",
        "policy.yaml",
        "the key 'allowed' appears twice",
    ),
    "deep JSON": ("[" * 100_000 + "]" * 100_000, "policy.json", "nested far too deeply"),
    "deep YAML": ("[" * 100_000 + "]" * 100_000, "policy.yaml", "nested far too deeply"),
    "a huge file": (
        '{"rules": [' + ", ".join(['{"network": "x", "allowed": true}'] * 40_000) + "]}",
        "policy.json",
        f"a policy file may be at most {MAX_FILE_BYTES:,}",
    ),
}


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_a_bad_file_is_refused_naming_the_problem_and_changes_nothing(
    policy, importer, tmp_path, case
):
    text, name, phrase = HOSTILE[case]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    before = state()

    with pytest.raises(CommandError) as refused:
        import_(path, "--apply")

    assert phrase in str(refused.value)
    assert "nothing was changed" in str(refused.value)
    assert state() == before


def test_bytes_that_are_not_utf8_are_refused(policy, importer, tmp_path):
    path = tmp_path / "policy.json"
    path.write_bytes(b'{"note": "\xff"}')

    with pytest.raises(CommandError, match="not UTF-8 text"):
        import_(path, "--apply")


def test_one_bad_rule_among_good_ones_applies_nothing(policy, importer, tmp_path):
    document = edited()
    document["rules"].append(valid_rule(network="myspace"))
    path = write(tmp_path, document)
    before = state()

    with pytest.raises(CommandError, match="rule 4: unknown network 'myspace'"):
        import_(path, "--apply")

    assert state() == before


def test_every_problem_is_listed(policy, importer, tmp_path):
    document = document_with(
        valid_rule(network="myspace"), valid_rule(allowed="no"), {"allowed": True}
    )
    document["default"] = {"allowed": 0}

    with pytest.raises(CommandError) as refused:
        import_(write(tmp_path, document))

    message = str(refused.value)
    assert "(5 problems)" in message
    for phrase in (
        "the default: “allowed” must be true or false, not the number 0",
        "the default: “needs_author_consent” is missing",
        "rule 1: unknown network 'myspace'",
        "rule 2: “allowed” must be true or false, not 'no'",
        "rule 3: names no content type",
    ):
        assert phrase in message


def test_a_file_that_is_not_there(importer, tmp_path):
    with pytest.raises(CommandError, match="Cannot read .*missing.json"):
        import_(tmp_path / "missing.json")


# Who may import -------------------------------------------------------------------------


@pytest.fixture
def edited_file(policy, tmp_path):
    return write(tmp_path, edited())


def test_an_unknown_user_is_refused(edited_file):
    before = state()

    with pytest.raises(CommandError, match="No user has the username “nobody”"):
        import_(edited_file, "--apply", user="nobody")
    assert state() == before


def test_a_user_without_the_permission_is_refused(edited_file, member):
    before = state()

    with pytest.raises(CommandError, match="may not change the sharing policy"):
        import_(edited_file, "--apply", user=member.username)
    assert state() == before


def test_an_inactive_superuser_is_refused(edited_file):
    UserFactory(username="gone", is_superuser=True, is_active=False)

    with pytest.raises(CommandError, match="is not active"):
        import_(edited_file, user="gone")


def test_a_manager_needs_the_admins_permissions_for_each_kind_of_change(edited_file, portal):
    manager = grant(UserFactory(username="manager"), "change_sharingrule")
    before = state()

    assert "Would add:" in import_(edited_file, user="manager")
    with pytest.raises(CommandError) as refused:
        import_(edited_file, "--apply", user="manager")
    assert str(refused.value) == (
        "The user “manager” may not make these changes: they lack sharing.add_sharingrule, "
        "sharing.change_sharingsettings, sharing.delete_sharingrule. Nothing was changed."
    )
    assert state() == before

    grant(manager, "add_sharingrule", "delete_sharingrule", "change_sharingsettings")
    assert "Applied 4 changes as manager" in import_(edited_file, "--apply", user="manager")
    assert set(ModelLogEntry.objects.values_list("user__username", flat=True)) == {"manager"}


def test_an_unknown_site_is_refused(edited_file, importer):
    with pytest.raises(CommandError, match="No site has the hostname “example.net”"):
        import_(edited_file, "--site", "example.net")
