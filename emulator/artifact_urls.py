"""Where artifact manifests and files are uploaded and downloaded.

GraphQL answers hand these URLs out and ``endpoints/artifacts.py`` serves them, so both
build them here. The SDK sends no credentials to them.
"""

from __future__ import annotations

FILE_PATH = "/artifacts/files/{md5_hex}"
MANIFEST_PATH = "/artifacts/manifests/{artifact_id:int}"
#: The SDK's fallback when a file has no direct URL.
FALLBACK_PATH = (
    "/artifactsV2/default/{entity}/{project}/{collection}/{birth_artifact_id}/{md5_hex}/{name:path}"
)
MANIFEST_NAME = "wandb_manifest.json"


def file_url(base_url: str, md5_hex: str) -> str:
    """Download (GET) and upload (PUT) URL of the file contents with this MD5."""
    return base_url + FILE_PATH.format(md5_hex=md5_hex)


def manifest_url(base_url: str, artifact_id: int) -> str:
    """Download (GET) and upload (PUT) URL of a version's manifest."""
    return base_url + MANIFEST_PATH.replace(":int", "").format(artifact_id=artifact_id)
