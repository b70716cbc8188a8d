"""The connection and the session that owns it.

``session.Session`` owns the runtime connection (``runtime``: spawn the bundled binary
or ``attach`` to a listening one, serialized by ``start_lock`` on a fresh home), the
notification ``router`` (to per-turn ``sink``\\s,
per-key ``keyed`` streams and ``subscriptions``), the overload retry (``overload``), the
``initialize`` answer (``metadata``) and the typed ``notifications``.
"""
