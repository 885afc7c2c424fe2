"""Writes of the safety app, by what they change."""

from .cases import (
    CASE_NOTE_ADDED,
    CASE_OPENED,
    CASE_UPDATED,
    CASE_VIEWED,
    CaseRefused,
    case_note_add,
    case_open,
    case_open_by_hand,
    case_update,
    case_viewed,
)
from .reports import report_send
from .screening import (
    CRISIS_HANDLED,
    CRISIS_OPENED,
    adverse_event_case_open,
    crisis_signal_handle,
    crisis_signal_open,
)

__all__ = [
    "CASE_NOTE_ADDED",
    "CASE_OPENED",
    "CASE_UPDATED",
    "CASE_VIEWED",
    "CaseRefused",
    "CRISIS_HANDLED",
    "CRISIS_OPENED",
    "adverse_event_case_open",
    "case_note_add",
    "case_open",
    "case_open_by_hand",
    "case_update",
    "case_viewed",
    "crisis_signal_handle",
    "crisis_signal_open",
    "report_send",
]
