"""Derivation of the W&B app (UI) URL from the API base URL, following wandb 0.31."""

from __future__ import annotations

from urllib.parse import urlsplit

#: CoreWeave Forge hosts, and the W&B API host each one fronts.
_FORGE_HOSTS = {
    "forge.coreweave.com": "api.wandb.ai",
    "qa.forge.coreweave.com": "api.qa.wandb.ai",
}
_FORGE_APP_PATH = "/wandb"


def app_url(base_url: str) -> str:
    """The app URL (no trailing slash) that serves the UI for the API at ``base_url``.

    W&B cloud API hosts map to their Forge UI, ``https://api.<host>`` maps to
    ``https://app.<host>``, and any other server (W&B local, an emulator)
    serves its UI at ``base_url`` itself.
    """
    hostname = urlsplit(base_url).hostname
    for forge, api in _FORGE_HOSTS.items():
        if hostname in (forge, f"api.{forge}", api):
            return f"https://{forge}{_FORGE_APP_PATH}"
    if "://api.wandb.test" in base_url:
        return base_url.replace("://api.", "://app.").strip("/")
    if "://api.wandb." in base_url:
        return base_url.replace("://api.", "://").strip("/")
    if "://api." in base_url:
        return base_url.replace("://api.", "://app.").strip("/")
    return base_url.rstrip("/")
