"""Goals: a persisted objective the runtime pursues over several turns, followed as one
logical turn (``fold``: the folding; ``registry``: routing; ``handle``: the logical
turn's handle; ``controls``: starting and controlling goals on a thread)."""
