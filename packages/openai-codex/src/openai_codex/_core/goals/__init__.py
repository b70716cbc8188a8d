"""Goals: an objective stored with a thread that the runtime pursues over several turns,
followed as one logical turn. ``fold``: the folding (pure); ``registry``: routing the
runtime's notifications to goal turns and subscriptions; ``handle``: the logical turn's
handle; ``controls``: starting, resuming and controlling goals; ``events``: live goal
notifications; ``methods``: ``AsyncThread``'s goal methods; ``pause``: pausing goals
when their client closes. Guide: docs/goals.md.
"""
