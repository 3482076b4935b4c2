"""A light client for W&B-compatible GraphQL servers, with the interface of ``wandb.apis.public``.

Example::

    from client import Api

    api = Api("http://127.0.0.1:8080", api_key="...")
    for run in api.runs("my-team/my-project", filters={"state": "finished"}):
        print(run.id, run.name, run.config, run.summary.get("loss"))
"""

from client.api import Api
from client.artifact_collections import ArtifactCollection
from client.artifact_lists import ArtifactType
from client.artifacts import Artifact, ArtifactFile
from client.errors import (
    CommError,
    InvalidPathError,
    MissingDependencyError,
    NotFoundError,
    UsageError,
    WaitTimeoutError,
    WandbClientError,
)
from client.files import File, Files
from client.history_scan import HistoryScan
from client.projects import Project, Projects
from client.registries import Registries, Registry
from client.registry_members import TeamMember, UserMember
from client.run import Run
from client.runs import Runs
from client.summary import Summary
from client.sweeps import Sweep, Sweeps
from client.teams import Team
from client.users import User

__all__ = [
    "Api",
    "Artifact",
    "ArtifactCollection",
    "ArtifactFile",
    "ArtifactType",
    "CommError",
    "File",
    "Files",
    "HistoryScan",
    "InvalidPathError",
    "MissingDependencyError",
    "NotFoundError",
    "Project",
    "Projects",
    "Registries",
    "Registry",
    "Run",
    "Runs",
    "Summary",
    "Sweep",
    "Sweeps",
    "Team",
    "TeamMember",
    "UsageError",
    "User",
    "UserMember",
    "WaitTimeoutError",
    "WandbClientError",
]
