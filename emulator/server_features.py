"""The server features the emulator advertises by default through ``serverInfo``.

The SDK switches code paths on these, so each one listed is implemented here and
exercised by a real-SDK test (named beside it):

- ``ARTIFACT_COLLECTIONS_FILTERING_SORTING``: ``filters``/``order`` on collection
  listings (tests/sdk/test_sdk_collections.py).
- ``ARTIFACT_MEMBERSHIP_IN_LINK_ARTIFACT_RESPONSE``: ``linkArtifact`` returns the new
  membership, so ``link()`` needs no second query (tests/sdk/test_sdk_links.py).
- ``TOTAL_COUNT_IN_FILE_CONNECTION``: ``totalCount`` on artifact file connections
  (tests/sdk/test_sdk_artifacts.py).
- ``ARTIFACT_DIGEST_ALGORITHM``: ``digestAlgorithm`` on artifacts
  (tests/sdk/test_sdk_logging_artifacts.py).
- ``USE_ARTIFACT_WITH_ENTITY_AND_PROJECT_INFORMATION``: ``useArtifact`` takes the
  artifact's entity and project (tests/sdk/test_sdk_logging_artifacts.py).
- ``ARTIFACT_REGISTRY_SEARCH``: ``api.registries()`` and ``api.registry()``, and
  ``INCLUDE_ARTIFACT_TYPES_IN_REGISTRY_CREATION``: ``api.create_registry()`` and
  ``Registry.save()`` (tests/sdk/test_sdk_registries.py).
- ``MARK_RUN_FILES_UPLOADED``: ``markRunFilesUploaded`` after ``run.upload_file``
  (tests/sdk/test_sdk_run_writes.py).
"""

from __future__ import annotations

DEFAULT_FEATURES: tuple[str, ...] = (
    "ARTIFACT_COLLECTIONS_FILTERING_SORTING",
    "ARTIFACT_MEMBERSHIP_IN_LINK_ARTIFACT_RESPONSE",
    "ARTIFACT_DIGEST_ALGORITHM",
    "ARTIFACT_REGISTRY_SEARCH",
    "INCLUDE_ARTIFACT_TYPES_IN_REGISTRY_CREATION",
    "MARK_RUN_FILES_UPLOADED",
    "TOTAL_COUNT_IN_FILE_CONNECTION",
    "USE_ARTIFACT_WITH_ENTITY_AND_PROJECT_INFORMATION",
)
