"""``wandb-emulator user|team|org add`` on a data directory, and ``serve --auth``."""

from __future__ import annotations

from pathlib import Path

import pytest

from emulator import Store
from emulator.cli import _parser, main, serve_settings


def test_user_team_and_org_add_fill_the_data_dir(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path)
    main(["user", "add", "alice", "--admin", "--data-dir", data])
    key = capsys.readouterr().out.strip()
    main(
        ["user", "add", "bob", "--key", "b" * 40, "--email", "bob@corp.example", "--data-dir", data]
    )
    assert capsys.readouterr().out.strip() == "b" * 40
    main(["team", "add", "ml", "--admin", "alice", "--member", "bob", "--data-dir", data])
    main(["org", "add", "acme", "--team", "ml", "--data-dir", data])
    with Store(tmp_path) as store:
        alice = store.identity.user_by_key(key)
        assert alice is not None and (alice.username, alice.admin) == ("alice", True)
        assert store.identity.user("bob").email == "bob@corp.example"
        assert [member.role for member in store.teams.members("ml")] == ["admin", "member"]
        assert store.teams.entity("ml").organization == "acme"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["user", "add", "bob", "--key", "short"], "needs 40+"),
        (["team", "add", "ml", "--admin", "nobody"], "no user 'nobody'"),
        (["org", "add", "acme", "--team", "ghost"], "no team 'ghost'"),
    ],
)
def test_bad_input_exits_with_a_message_and_writes_nothing(
    tmp_path: Path, argv: list[str], message: str
) -> None:
    with pytest.raises(SystemExit, match=message):
        main([*argv, "--data-dir", str(tmp_path)])
    with Store(tmp_path) as store:
        assert store.export()["entities"] == []


def test_serve_takes_the_auth_mode() -> None:
    assert serve_settings(_parser().parse_args(["serve"])).auth == "open"
    assert serve_settings(_parser().parse_args(["serve", "--auth", "strict"])).strict
