"""Services of the runtime's host that need no turn: commands (``commands``), the file
system (``files``), logins (``login``), MCP servers (``mcp``) and skills, hooks and config
(``settings``).
"""
