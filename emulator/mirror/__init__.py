"""Mirror a project from any W&B-compatible server into a store or a snapshot.

The source is read through the W&B public API only (this project's ``client``), so W&B
cloud, W&B Server and another emulator all work: :func:`emulator.mirror.project.
mirror_project` does the work, :mod:`emulator.mirror.command` is the CLI. Nothing is
imported here, so that the CLI's other commands never load the client.
"""
