"""HTML snippets for showing W&B pages in notebooks."""

from __future__ import annotations


def iframe(url: str, *, height: int, hidden: bool, what: str) -> str:
    """An iframe of ``url`` in notebook mode; when ``hidden``, a button reveals it."""
    src = url + "?jupyter=true"
    style = f"border:none;width:100%;height:{height}px;"
    prefix = ""
    if hidden:
        style += "display:none;"
        prefix = (
            "<button onClick=\"this.nextSibling.style.display='block';"
            f"this.style.display='none';\">Display W&B {what}</button>"
        )
    return prefix + f"<iframe src={src!r} style={style!r}></iframe>"
