"""The synchronous face (``Codex``): generated relays over ``_core`` through a portal."""
