"""Artifact paths, and query documents that share fragments."""

from __future__ import annotations

import pytest

from client._graphql import load_query
from client._paths import ArtifactPath, parse_artifact_path
from client.errors import InvalidPathError


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("e/p/data:v3", ArtifactPath("e", "p", "data", "v3")),
        ("p/data:best", ArtifactPath(None, "p", "data", "best")),
        ("data", ArtifactPath(None, None, "data", "latest")),
        (" e/p/data:latest ", ArtifactPath("e", "p", "data", "latest")),
    ],
)
def test_artifact_paths(path: str, expected: ArtifactPath) -> None:
    assert parse_artifact_path(path) == expected


@pytest.mark.parametrize("path", ["a/b/c/d:v0", "data:", ":v0", "data:v0:x", "e//data", 7])
def test_malformed_artifact_paths(path: object) -> None:
    with pytest.raises(InvalidPathError):
        parse_artifact_path(path)  # type: ignore[arg-type]


def test_fragments_are_appended_once_with_their_own_fragments() -> None:
    document = load_query("RunOutputArtifacts")
    for name in ("ArtifactConnectionFragment", "ArtifactFragment", "PageInfoFragment"):
        assert document.count(f"fragment {name} on") == 1
    assert load_query("Run").count("fragment LightweightRunFragment on") == 1
