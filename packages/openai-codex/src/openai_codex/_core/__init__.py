"""The async implementation: ``AsyncCodex`` (``client``) over one ``Session``.

Folders are concepts, each with its own docstring: ``connection`` (the session, the
runtime process or socket, routing), ``turns`` (handles, results, inputs), ``threads``
(threads, their options and history), ``services`` (commands, files, logins, MCP,
settings), ``goals``, ``host`` (handlers, tools, structured output, spans) and
``lowlevel`` (one typed method per runtime request). Shared helpers stay at the top:
``config``/``config_args`` (the client's configuration), ``arguments`` (checks of
user input), ``wire`` (Python values to the wire), ``parsing`` (wire to typed models),
``published_models``. Nothing here imports the sync face or the console.
"""
