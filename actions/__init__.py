"""Custom actions. Content is loaded and validated when this package is imported:
invalid content stops the action server from starting."""

from actions.content_access import content  # noqa: F401  (fail fast on invalid content)
