"""The Safety inbox in the admin (menu, views, permissions)."""
