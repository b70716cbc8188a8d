"""Host control: server-request kinds, dispatch to handlers and tools, answers."""
