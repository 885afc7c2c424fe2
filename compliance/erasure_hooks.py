"""Wagtail hooks of the erasure (imported by compliance.wagtail_hooks)."""
