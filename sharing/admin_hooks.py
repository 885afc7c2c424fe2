"""Sharing in the Wagtail admin: the rules, the "why" view and the share log."""
