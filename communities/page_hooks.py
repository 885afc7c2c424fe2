"""The communities directory's and each community page's context (core.hooks)."""
