"""The emulator's web UI: server-rendered pages over the store, at ``/``.

Pages are Jinja2 templates (:mod:`emulator.ui.templating`), charts are SVG drawn on the
server from the store's history (:mod:`emulator.ui.series`, :mod:`emulator.ui.charts`),
and a little JavaScript of our own adds hover values. Nothing here imports the GraphQL
stack: the pages read the store directly, through the same store calls the resolvers use.
The routes are :data:`emulator.ui.routes.ROUTES`, imported on the first page request.
"""
