"""Content that follows the files: a running server picks up an edit to content/ without a restart
or a retrain, and never serves a broken edit.

`ContentWatcher.current()` looks at the content files' sizes and modification times at most every
`check_every` seconds (a few `stat` calls). When they changed, the content is loaded and validated
again with `load_content`, exactly as `make content-check` does: valid content replaces what is
served; invalid content is refused, its problems are logged once (the same file/entry/field
messages as `make content-check`) and the last good content keeps serving.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, List, Optional, Tuple

from bot.content.loader import CONTENT_FILES, ContentError, load_content
from bot.content.store import Content

logger = logging.getLogger(__name__)

Signature = Tuple[Tuple[str, int, int], ...]


def signature_of(directory: Path) -> Signature:
    """(name, size, modification time in ns) of every content file; -1s for a missing one."""
    found = []
    for name in sorted(CONTENT_FILES):
        try:
            stat = (directory / name).stat()
            found.append((name, stat.st_size, stat.st_mtime_ns))
        except OSError:
            found.append((name, -1, -1))
    return tuple(found)


@dataclass
class Outcome:
    """What the last look at the files found."""

    status: str  # "loaded" (first load), "reloaded", "unchanged" or "refused"
    problems: List[str] = field(default_factory=list)
    loaded_at: Optional[dt.datetime] = None  # when the content now served was loaded

    def as_dict(self) -> dict:
        return {
            "status": self.status,
            "problems": list(self.problems),
            "loaded_at": self.loaded_at.isoformat(timespec="seconds") if self.loaded_at else None,
        }


class ContentWatcher:
    def __init__(
        self,
        directory: Path,
        check_every: float = 1.0,
        loader: Callable[[Path], Content] = load_content,
        clock: Callable[[], float] = time.monotonic,
        also_check: Callable[[Content], List[str]] = lambda _content: [],
    ) -> None:
        """`also_check` lists what else makes content unusable for this server (its problems refuse it)."""
        self.directory, self.check_every, self.loader, self.clock = (
            Path(directory),
            check_every,
            loader,
            clock,
        )
        self.also_check = also_check
        self._content: Optional[Content] = None
        self._signature: Optional[Signature] = None
        self._checked_at = float("-inf")
        self.last = Outcome("unchanged")

    def current(self) -> Content:
        """The content to serve now. Raises ContentError only if no valid content was ever loaded."""
        if self._content is None or self.clock() - self._checked_at >= self.check_every:
            self.check()
        if self._content is None:
            raise ContentError(self.last.problems)
        return self._content

    def check(self) -> Outcome:
        """Look at the files now; load them again if they changed since the last look."""
        self._checked_at = self.clock()
        signature = signature_of(self.directory)
        if signature == self._signature:
            if self.last.status != "refused":
                self.last = Outcome("unchanged", loaded_at=self.last.loaded_at)
            return self.last
        self._signature = signature
        try:
            content = self.loader(self.directory)
            problems = self.also_check(content)
            if problems:
                raise ContentError(problems)
        except ContentError as error:
            self.last = Outcome("refused", error.problems, self.last.loaded_at)
            serving = (
                "the content loaded at " + self.last.loaded_at.isoformat(timespec="seconds")
                if self.last.loaded_at
                else "no content"
            )
            logger.error(
                "Content edit refused (still serving %s):\n%s",
                serving,
                "\n".join(f"  - {problem}" for problem in error.problems),
            )
            return self.last
        first = self._content is None
        self._content = content
        self.last = Outcome("loaded" if first else "reloaded", loaded_at=dt.datetime.now().astimezone())
        if not first:
            logger.info("Content reloaded from %s", self.directory)
        return self.last
