"""Reference entries (``add_reference``): stored and listed; ``file://`` and loopback
``http://`` references download through the SDK and our client; cloud references fail
in our client with an error naming the scheme."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import pytest
import wandb

from client import Api, CommError
from emulator.store.artifacts.manifests import ManifestEntry, build_manifest, manifest_digest
from fixtures.handle import EmulatorHandle

WEB = b"served over loopback http\n"


def test_references_are_stored_listed_and_downloaded(
    run_script: Callable[..., CompletedProcess],
    wandb_env: EmulatorHandle,
    sdk: wandb.Api,
    wandb_api: Api,
    tmp_path: Path,
) -> None:
    md5 = hashlib.md5(WEB).hexdigest()
    wandb_env.store.artifacts.contents.put_file(md5, WEB)
    url = f"{wandb_env.url}/artifacts/files/{md5}"
    done = run_script("references.py", "refs", url)
    assert done.stdout.split()[-1] == "v0"

    path = f"{wandb_env.entity}/refs/links:v0"
    theirs = sdk.artifact(path)
    refs = {name: entry.ref for name, entry in theirs.manifest.entries.items()}
    assert refs["web.bin"] == url
    assert refs["local.txt"].startswith("file://")
    local = Path(theirs.get_entry("local.txt").download(str(tmp_path / "sdk")))
    assert local.read_text() == "on this machine\n"
    assert Path(theirs.get_entry("web.bin").download(str(tmp_path / "sdk"))).read_bytes() == WEB

    ours = wandb_api.artifact(path)
    files = {file.name: file for file in ours.files()}
    assert {name: file.ref for name, file in files.items()} == refs
    assert files["web.bin"].download(tmp_path / "ours").read_bytes() == WEB
    assert files["local.txt"].download(tmp_path / "ours").read_text() == "on this machine\n"


def test_cloud_references_are_listed_and_fail_to_download_naming_the_scheme(
    wandb_env: EmulatorHandle, sdk: wandb.Api, wandb_api: Api, tmp_path: Path
) -> None:
    refs = {"train.csv": "s3://bucket/data/train.csv", "test.csv": "gs://bucket/data/test.csv"}
    store = wandb_env.store.artifacts
    entries = [ManifestEntry(name, ref, 0, None, ref) for name, ref in refs.items()]
    digest = manifest_digest({entry.path: entry.digest for entry in entries})
    draft = store.create(
        wandb_env.entity, "refs", collection="cloud", type_name="dataset", digest=digest
    )
    store.put_manifest(draft.id, build_manifest(entries))
    store.commit(draft.id)

    path = f"{wandb_env.entity}/refs/cloud:v0"
    listed = sdk.artifact(path).manifest.entries
    assert {name: entry.ref for name, entry in listed.items()} == refs
    files = {file.name: file for file in wandb_api.artifact(path).files()}
    assert {name: file.ref for name, file in files.items()} == refs
    with pytest.raises(CommError, match="s3:// references need that cloud's own client"):
        files["train.csv"].download(tmp_path / "ours")
    with pytest.raises(CommError, match="gs:// references"):
        files["test.csv"].download(tmp_path / "ours")
