"""Turns: the handle of a running turn (``handle``), its collected result (``results``),
what it was given (``inputs``), the turns this client started (``active``: interrupted
on close, late turns found) and the one-line-per-step log (``log``).
"""
