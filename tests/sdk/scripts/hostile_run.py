"""A run whose user values are markup, for the UI's escaping test: run in a subprocess
with ``wandb_env``'s env, it puts ``MARKUP`` in the run's name, tags, notes, config and
console output, logs a short history and prints ``run.url`` last."""

from __future__ import annotations

import argparse

import wandb

#: Each part would run script if a page inserted it as markup.
MARKUP = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">'


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--project", required=True)
    args = parser.parse_args()
    with wandb.init(
        project=args.project,
        name=MARKUP,
        tags=["<b>tag</b>", "<script>tag</script>"],
        notes=MARKUP,
        config={"payload": MARKUP, MARKUP: 1},
    ) as run:
        for step in range(5):
            run.log({"loss": 1 / (step + 1)})
        print(MARKUP)
        url = run.url
    print(url)


if __name__ == "__main__":
    main()
