"""Wagtail hooks of the export (imported by compliance.wagtail_hooks)."""
