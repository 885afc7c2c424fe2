"""The sharing policy as a file: export it, check a file, show what it would change, apply it.

``manage.py sharing_policy`` is the way in (issue 14). The file holds the
whole policy: the site's default and every rule, in a stable order so that
an export imported again changes nothing and two exports diff line by line.
Communities are named by slug, which survives a copy of the database; ids do
not.

Reading a file is strict: a policy that says something other than what its
author meant is worse than none, so every problem is listed (with the rule's
position) and nothing is applied unless the whole file is right. Applying
writes the same log entries as the admin's snippet and settings views, with
the importing user, so the admin's history shows who changed what and when
whichever way the change came.

``document`` holds the vocabulary and the export, ``reading`` the check of a
file, ``applying`` the comparison and the writes.
"""

from .applying import policy_apply, policy_changes, policy_importer_check
from .document import (
    ADD,
    CHANGE,
    FORMATS,
    IMPORT_PERMISSION,
    JSON,
    MAX_FILE_BYTES,
    REMOVE,
    YAML,
    Change,
    ParsedPolicy,
    PolicyFileError,
    PolicyNotPermitted,
    PolicyRule,
    policy_document,
    policy_text,
)
from .reading import parse_policy

__all__ = [
    "ADD",
    "CHANGE",
    "FORMATS",
    "IMPORT_PERMISSION",
    "JSON",
    "MAX_FILE_BYTES",
    "REMOVE",
    "YAML",
    "Change",
    "ParsedPolicy",
    "PolicyFileError",
    "PolicyNotPermitted",
    "PolicyRule",
    "parse_policy",
    "policy_apply",
    "policy_changes",
    "policy_document",
    "policy_importer_check",
    "policy_text",
]
