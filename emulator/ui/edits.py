"""The one thing the UI writes: a run's tags and notes, from the form on its page.

The form posts ``tags`` (comma-separated) and ``notes`` URL-encoded. A post from a page
of another site never gets here: the local-server guards refuse it
(:mod:`emulator.middleware.guards`).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs

from emulator.store import Store
from emulator.ui.pages import find_project, find_run

#: W&B refuses longer tags.
MAX_TAG_LENGTH = 64


class EditError(ValueError):
    """A form that cannot be applied; the message names the problem."""


@dataclass(frozen=True)
class RunEdit:
    """The new tags and notes of a run."""

    tags: list[str]
    notes: str

    @classmethod
    def parse(cls, body: bytes) -> RunEdit:
        """Read the form body; EditError for a bad encoding or tag."""
        try:
            fields = parse_qs(body.decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError:
            raise EditError("the form is not UTF-8") from None
        tags = list(
            dict.fromkeys(
                tag.strip() for tag in ",".join(fields.get("tags", [])).split(",") if tag.strip()
            )
        )
        for tag in tags:
            if len(tag) > MAX_TAG_LENGTH:
                raise EditError(f"tag {tag!r} is longer than {MAX_TAG_LENGTH} characters")
        return cls(tags, "\n".join(fields.get("notes", [])).replace("\r\n", "\n"))


def apply_edit(store: Store, entity: str, project: str, name: str, edit: RunEdit) -> None:
    """Set the run's tags and notes; :class:`~emulator.ui.pages.NotFound` when the run
    does not exist."""
    run = find_run(store, find_project(store, entity, project), name)
    store.runs.update(run.id, {"tags": edit.tags, "notes": edit.notes or None})
