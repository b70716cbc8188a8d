"""Threads: ``AsyncThread`` (``thread``), the option table every thread/turn/goal method
is generated from (``options`` -> ``option_methods``), the presets (``presets``: approval
and sandbox), the per-thread sandbox memory, the stored history (``history``) and code
reviews (``review``).
"""
