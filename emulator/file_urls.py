"""Paths of the run-file upload and download routes, shared by resolvers and endpoints.

Both are served without authentication: wandb-core PUTs uploads with no credentials.
"""

from __future__ import annotations

from urllib.parse import quote

UPLOAD_PREFIX = "/_upload/runfiles"
DOWNLOAD_PREFIX = "/_download/runfiles"


def upload_path(token: str) -> str:
    """Path of the single-use upload URL for ``token``."""
    return f"{UPLOAD_PREFIX}/{token}"


def download_path(entity: str, project: str, run: str, name: str) -> str:
    """Path that downloads file ``name`` of run ``entity/project/run``."""
    parts = [quote(part, safe="") for part in (entity, project, run)]
    return f"{DOWNLOAD_PREFIX}/{'/'.join(parts)}/{quote(name, safe='/')}"
