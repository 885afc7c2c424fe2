"""Memberships in the Wagtail admin, for community managers."""
