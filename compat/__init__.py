"""The wandb release compatibility matrix (``make test-compat``; ``python -m compat``)."""
