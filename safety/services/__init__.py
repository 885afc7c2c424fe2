"""Writes of the safety app, by what they change."""

from .cases import CASE_OPENED, CASE_VIEWED, case_open

__all__ = ["CASE_OPENED", "CASE_VIEWED", "case_open"]
