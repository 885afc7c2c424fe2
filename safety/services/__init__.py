"""Writes of the safety app, by what they change."""

from .cases import CASE_OPENED, CASE_VIEWED, case_open
from .screening import (
    CRISIS_HANDLED,
    CRISIS_OPENED,
    adverse_event_case_open,
    crisis_signal_handle,
    crisis_signal_open,
)

__all__ = [
    "CASE_OPENED",
    "CASE_VIEWED",
    "CRISIS_HANDLED",
    "CRISIS_OPENED",
    "adverse_event_case_open",
    "case_open",
    "crisis_signal_handle",
    "crisis_signal_open",
]
