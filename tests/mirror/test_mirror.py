"""Mirror a seeded project into a snapshot, load it elsewhere: the SDK reads the same."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import wandb

from client import Api
from emulator import EmulatorServer, Store
from emulator.cli import main
from emulator.mirror.options import HistoryFidelity, MirrorOptions
from emulator.mirror.project import MirrorError, mirror_project
from emulator.settings import DEFAULT_API_KEY
from emulator.state import state_of
from fixtures.handle import EmulatorHandle
from tests.mirror.conftest import ENTITY, PROJECT, Source

PATH = f"{ENTITY}/{PROJECT}"


def _client(url: str) -> Api:
    return Api(base_url=url, api_key=DEFAULT_API_KEY, max_retries=6, retry_backoff=0.01)


def _sdk(url: str) -> wandb.Api:
    return wandb.Api(overrides={"base_url": url}, api_key=DEFAULT_API_KEY, timeout=15)


def _snapshot(source: Source, options: MirrorOptions | None = None) -> dict[str, Any]:
    with Store() as store, _client(source.url) as api:
        mirror_project(api, PATH, store, options or MirrorOptions(files="all"))
        return store.export()


def _load(target: EmulatorServer, snapshot: dict[str, Any]) -> None:
    state_of(target.app).store.load(snapshot)


def _reads(api: wandb.Api, *, personal: bool = True) -> dict[str, Any]:
    """What a user reads of the project through the SDK: runs with a filter and an order,
    run attributes, sampled and full history, files and artifacts with their lineage."""
    runs = api.runs(PATH, filters={"state": {"$ne": "running"}}, order="-summary_metrics.loss")
    reads: dict[str, Any] = {"runs": []}
    for run in runs:
        reads["runs"].append(
            {
                "id": run.id,
                "state": run.state,
                "config": run.config,
                "summary": run.summary_metrics,
                "tags": run.tags,
                "group": run.group,
                "job_type": run.job_type,
                "created_at": run.created_at,
                "history": run.history(samples=40, pandas=False),
                "scan": list(run.scan_history()),
                "system": run.history(stream="events", pandas=False),
                # Anonymized text files keep their sizes, not their contents.
                "files": sorted(
                    (f.name, f.size, f.md5 if personal else None)
                    for f in run.files()
                    if f.name.startswith(("wandb-", "config", "requirements"))
                ),
                "logged": sorted(a.name for a in run.logged_artifacts()),
                "used": sorted(a.name for a in run.used_artifacts()),
                **(
                    {"name": run.name, "user": run.user.username, "notes": run.notes}
                    if personal
                    else {}
                ),
            }
        )
    [dataset_type] = [t for t in api.artifact_types(PATH) if t.name == "dataset"]
    [collection] = list(dataset_type.collections())[:1]
    artifact = api.artifact(f"{PATH}/{collection.name}:latest")
    producer = artifact.logged_by()
    reads["artifact"] = {
        "name": artifact.name,
        "aliases": sorted(artifact.aliases),
        "metadata": artifact.metadata,
        "digest": artifact.digest,
        "manifest": sorted((p, e.digest, e.size) for p, e in artifact.manifest.entries.items()),
        "logged_by": producer and producer.id,
        "used_by": sorted(r.id for r in artifact.used_by()),
    }
    return reads


def _shape(text: str) -> str:
    return re.sub(r"[0-9]", "0", re.sub(r"[a-z]", "a", text))


def test_a_mirrored_project_reads_the_same_through_the_sdk(
    healthy: Source, target: EmulatorServer, tmp_path: Path, wandb_env: EmulatorHandle
) -> None:
    _load(target, _snapshot(healthy))

    theirs, ours = _reads(_sdk(healthy.url)), _reads(_sdk(target.url))
    assert ours == theirs
    assert len(ours["runs"]) >= 3 and ours["runs"][0]["scan"]

    artifact = _sdk(target.url).artifact(f"{PATH}/{ours['artifact']['name']}")
    downloaded = Path(artifact.download(root=str(tmp_path / "a")))
    original = Path(
        _sdk(healthy.url)
        .artifact(f"{PATH}/{ours['artifact']['name']}")
        .download(root=str(tmp_path / "b"))
    )
    assert {p.name: p.read_bytes() for p in downloaded.iterdir()} == {
        p.name: p.read_bytes() for p in original.iterdir()
    }


def test_our_client_reads_the_mirror_like_the_source(
    healthy: Source, target: EmulatorServer
) -> None:
    _load(target, _snapshot(healthy))
    with _client(healthy.url) as theirs, _client(target.url) as ours:

        def listing(api: Api) -> list[tuple[Any, ...]]:
            return [
                (
                    r.id,
                    r.name,
                    r.state,
                    r.config,
                    r.summary_metrics,
                    r.user and r.user.username,
                    [f.read() for f in r.files() if f.name == "wandb-summary.json"],
                )
                for r in api.runs(PATH, filters={"config.lr": {"$gt": 0}})
            ]

        assert listing(ours) == listing(theirs)


def test_anonymized_mirrors_replace_personal_values_and_keep_the_rest(
    healthy: Source, target: EmulatorServer, wandb_env: EmulatorHandle
) -> None:
    options = MirrorOptions(files="all", anonymize=True, seed=7)
    with Store() as store, _client(healthy.url) as api:
        report = mirror_project(api, PATH, store, options)
        snapshot = store.export()
    _load(target, snapshot)

    theirs = _reads(_sdk(healthy.url))
    ours = _reads(_sdk(target.url))
    assert _reads(_sdk(target.url), personal=False) == _reads(_sdk(healthy.url), personal=False)
    for mine, original in zip(ours["runs"], theirs["runs"], strict=True):
        assert mine["name"] != original["name"]
        assert _shape(mine["name"]) == _shape(original["name"])
        assert mine["user"] != original["user"] and len(mine["user"]) == len(original["user"])
    assert report.replaced["user name"] >= 1 and report.replaced["run name"] == len(ours["runs"])
    users = {run["user"] for run in theirs["runs"]}
    assert not any(user.encode() in json.dumps(snapshot).encode() for user in users)
    with Store() as again, _client(healthy.url) as api:
        mirror_project(api, PATH, again, options)
        assert again.export()["runs"] == snapshot["runs"]


def test_fidelity_options_bound_what_is_kept(healthy: Source) -> None:
    options = MirrorOptions(
        runs=2, history=HistoryFidelity.parse("sampled:10"), files="none", artifacts="metadata"
    )
    with Store() as store, _client(healthy.url) as api:
        report = mirror_project(api, PATH, store, options)
        runs = [store.runs.get(ENTITY, PROJECT, row["name"]) for row in store.export()["runs"]]
        assert report.runs_total == 2 and len(runs) == 2
        for run in runs:
            assert run is not None and run.history_line_count == 10
            assert store.files.count(run.id) == 0
        versions = store.export()["artifacts"]
        assert versions and report.bytes == 0
        assert not store.artifacts.contents.has_file(store.export()["artifact_files"][0]["md5"])


def test_a_flaky_source_still_mirrors_completely(healthy: Source) -> None:
    expected = _snapshot(healthy)
    healthy.failures.every, healthy.failures.status = 3, 503
    flaky = _snapshot(healthy)
    healthy.failures.status = 429
    limited = _snapshot(healthy)

    assert healthy.failures.failed > 10
    for snapshot in (flaky, limited):
        assert [r["name"] for r in snapshot["runs"]] == [r["name"] for r in expected["runs"]]
        assert snapshot["history"] == expected["history"]
        assert len(snapshot["artifacts"]) == len(expected["artifacts"])


def test_an_interrupted_mirror_writes_no_snapshot_and_a_rerun_completes_it(
    healthy: Source, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "snapshot.json"
    args = [
        "mirror",
        PATH,
        "--from",
        healthy.url,
        "--api-key",
        DEFAULT_API_KEY,
        "--files",
        "all",
        "-o",
        str(output),
    ]
    reads = 0

    def read_then_fail(run: Any, options: MirrorOptions) -> Any:
        nonlocal reads
        reads += 1
        if reads == 3:
            healthy.failures.down = True  # the source goes away during the third run
        return real_read(run, options)

    from emulator.mirror import project

    real_read = project.read_run
    monkeypatch.setattr(project, "read_run", read_then_fail)
    with pytest.raises(SystemExit, match="run the same command again"):
        main([*args, "--workers", "1"])
    assert not output.exists()
    partial = Store(tmp_path / "snapshot.json.partial")
    kept = len(partial.export()["runs"])
    partial.close()
    assert 0 < kept < 5

    healthy.failures.down = False
    main(args)
    snapshot = json.loads(output.read_text())
    assert sorted(r["name"] for r in snapshot["runs"]) == sorted(
        r["name"] for r in _snapshot(healthy)["runs"]
    )
    assert not (tmp_path / "snapshot.json.partial").exists()


def test_a_missing_project_and_a_refused_key_are_named(healthy: Source) -> None:
    with Store() as store, _client(healthy.url) as api:
        with pytest.raises(MirrorError, match="team/nothing"):
            mirror_project(api, f"{ENTITY}/nothing", store, MirrorOptions())
        healthy.failures.down, healthy.failures.status = True, 401
        with pytest.raises(MirrorError, match="refused the API key"):
            mirror_project(api, PATH, store, MirrorOptions())
        assert store.export()["runs"] == []


def test_the_plugin_loads_a_snapshot_and_serve_starts_from_one(
    healthy: Source, wandb_emulator: EmulatorHandle, tmp_path: Path
) -> None:
    snapshot = tmp_path / "snapshot.json"
    snapshot.write_text(json.dumps(_snapshot(healthy)))
    wandb_emulator.load(snapshot)
    with _client(wandb_emulator.url) as api:
        assert len(api.runs(PATH)) == 5
    wandb_emulator.seeds.clean()
    wandb_emulator.load(snapshot)  # restored from the session's image
    assert len(wandb_emulator.store.export()["runs"]) == 5


def test_serve_starts_from_a_mirrored_snapshot(healthy: Source, tmp_path: Path) -> None:
    output = tmp_path / "snapshot.json"
    main(
        [
            "mirror",
            PATH,
            "--from",
            healthy.url,
            "--api-key",
            DEFAULT_API_KEY,
            "-o",
            str(output),
            "--history",
            "sampled:20",
            "--artifacts",
            "none",
        ]
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "emulator", "serve", "--port", "0", "--load", str(output)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines = [process.stdout.readline() for _ in range(2)] if process.stdout else []
        url = next(line.split("=", 1)[1].strip() for line in lines if "WANDB_BASE_URL" in line)
        with _client(url) as api:
            runs = list(api.runs(PATH))
            assert len(runs) == 5 and all(len(run.history(pandas=False)) == 20 for run in runs)
    finally:
        process.terminate()
        process.communicate(timeout=10)


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--history", "sampled:1"], "--history must be all, none or sampled:N"),
        (["--filters", "{nope"], "--filters is not JSON"),
        (["--runs", "0"], "--runs must be at least 1"),
    ],
)
def test_bad_mirror_options_are_named(option: list[str], message: str, tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match=re.escape(message)):
        main(
            [
                "mirror",
                PATH,
                "--from",
                "http://127.0.0.1:9",
                "--api-key",
                "k",
                "-o",
                str(tmp_path / "s.json"),
                *option,
            ]
        )
    assert not (tmp_path / "s.json").exists()


def test_a_corrupt_snapshot_is_refused_by_serve(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"runs": [{"nope": 1}]}')
    done = subprocess.run(
        [sys.executable, "-m", "emulator", "serve", "--port", "0", "--load", str(broken)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0 and f"cannot import {broken}" in done.stderr


def test_an_unreachable_source_is_named(unused_tcp_port: int) -> None:
    url = f"http://127.0.0.1:{unused_tcp_port}"
    with (
        Store() as store,
        _client(url) as api,
        pytest.raises(MirrorError, match=f"reading the source failed.*{unused_tcp_port}"),
    ):
        mirror_project(api, PATH, store, MirrorOptions())
