"""Structured content: schema, loading with validation, and queries.

Everything the assistant says about facts comes from the YAML files in ``content/``.
``load_content()`` validates all of them and raises ``ContentError`` listing every problem,
each naming the file, the entry and the field.
"""

from bot.content.loader import ContentError, default_content_dir, load_content
from bot.content.store import Content

__all__ = ["Content", "ContentError", "load_content", "default_content_dir"]
