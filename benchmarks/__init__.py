"""Benchmarks of wandb-emulator: run with ``python -m benchmarks`` (see ``--help``)."""
