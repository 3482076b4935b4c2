"""Deterministic replacement of personal values in a mirrored project.

User names, emails, hosts, run display names, notes and user file paths are replaced
by values of the same shape: each letter by a letter of the same case, each digit by a
digit, everything else kept, so lengths, separators and character classes survive and
code that parses names still works. Numbers, configs, summaries and history are kept.

Replacements come from a Faker seeded with the mirror's seed and the original value, so
the same value always gets the same replacement, in every run that mentions it and on
every rerun. Text files of a run also get every replaced value substituted in their
contents (the SDK writes the user name and host into ``wandb-metadata.json``).
"""

from __future__ import annotations

import string
from collections import Counter
from pathlib import PurePosixPath

from faker import Faker

#: Files the SDK itself names: their names are not personal.
_SDK_FILES = frozenset(
    {
        "config.yaml",
        "output.log",
        "requirements.txt",
        "diff.patch",
        "wandb-metadata.json",
        "wandb-summary.json",
        "wandb-history.jsonl",
        "wandb-events.jsonl",
        "conda-environment.yaml",
    }
)
_TEXT_SUFFIXES = frozenset({".json", ".jsonl", ".yaml", ".yml", ".log", ".txt", ".md", ".patch"})


class Anonymizer:
    """Replaces values by kind, remembering each replacement; :meth:`report` sums them up."""

    def __init__(self, seed: int) -> None:
        self._seed = seed
        self._replacements: dict[str, str] = {}
        self._counts: Counter[str] = Counter()

    def _shaped(self, value: str) -> str:
        fake = Faker()
        fake.seed_instance(f"{self._seed}:{value}")
        rnd = fake.random
        out = []
        for char in value:
            if char in string.ascii_lowercase:
                out.append(rnd.choice(string.ascii_lowercase))
            elif char in string.ascii_uppercase:
                out.append(rnd.choice(string.ascii_uppercase))
            elif char in string.digits:
                out.append(rnd.choice(string.digits))
            elif char.isalpha():
                out.append(rnd.choice(string.ascii_letters))
            else:
                out.append(char)
        return "".join(out)

    def replace(self, kind: str, value: str | None) -> str | None:
        """The replacement of ``value`` (``None`` and ``""`` stay as they are)."""
        if not value:
            return value
        replaced = self._replacements.get(value)
        if replaced is None:
            replaced = self._replacements[value] = self._shaped(value)
            self._counts[kind] += 1
        return replaced

    def file_path(self, path: str) -> str:
        """A run file's path with every segment replaced but SDK names and extensions."""
        if path in _SDK_FILES or path.startswith(("media/", "wandb-")):
            return path
        parts = PurePosixPath(path).parts
        replaced = [self._segment(part) for part in parts]
        return "/".join(replaced)

    def _segment(self, segment: str) -> str:
        stem, dot, suffix = segment.partition(".")
        return f"{self.replace('file path', stem)}{dot}{suffix}"

    def file_contents(self, path: str, data: bytes) -> bytes:
        """``data`` with every replaced value substituted, for text files."""
        if PurePosixPath(path).suffix not in _TEXT_SUFFIXES:
            return data
        # Longest first, so a value containing another is replaced whole.
        for original in sorted(self._replacements, key=len, reverse=True):
            if len(original) >= 3:
                data = data.replace(original.encode(), self._replacements[original].encode())
        return data

    def report(self) -> dict[str, int]:
        """How many distinct values of each kind were replaced."""
        return dict(sorted(self._counts.items()))
