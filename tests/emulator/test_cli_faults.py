"""``wandb-emulator serve --faults rules.json``: rules for tools that are not Python."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx

CLI = [sys.executable, "-m", "emulator", "serve", "--port", "0"]
RULES = [{"id": "limited", "operation": "Viewer", "status": 429, "retry_after": 0, "times": 1}]


def test_serve_applies_rules_from_a_file_and_reset_brings_them_back(tmp_path: Path) -> None:
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps(RULES))
    process = subprocess.Popen(
        [*CLI, "--faults", str(rules)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = ""
        while not url:
            line = process.stdout.readline()  # type: ignore[union-attr]
            url = line.split("=", 1)[1].strip() if "WANDB_BASE_URL" in line else ""
        viewer = {"query": "query Viewer { viewer { entity } }"}
        with httpx.Client(base_url=url) as http:
            assert http.post("/graphql", json=viewer).status_code == 429
            assert http.post("/graphql", json=viewer).status_code == 200
            [rule] = http.get("/_emulator/faults").json()
            assert (rule["id"], rule["fired"], rule["active"]) == ("limited", 1, False)
            assert [r["status"] for r in http.get("/_emulator/requests").json()] == [429, 200]

            http.post("/_emulator/reset", json={})
            [rule] = http.get("/_emulator/faults").json()
            assert (rule["fired"], rule["active"]) == (0, True)
            assert http.get("/_emulator/requests").json() == []
    finally:
        process.terminate()
        process.communicate(timeout=10)


def test_a_bad_rules_file_is_a_clear_error(tmp_path: Path) -> None:
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps([{"status": 503}, {"status": 503, "probability": 2}]))
    done = subprocess.run(
        [*CLI, "--faults", str(rules)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode != 0
    assert "rule 1: fault rule field 'probability': must be between 0 and 1" in done.stderr
    missing = subprocess.run(
        [*CLI, "--faults", str(tmp_path / "nope.json")], capture_output=True, text=True, timeout=60
    )
    assert missing.returncode != 0
    assert "cannot use fault rules" in missing.stderr
