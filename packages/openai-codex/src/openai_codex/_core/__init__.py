"""The async implementation (``AsyncCodex`` and everything under it)."""
