"""The low-level client: ``AsyncCodexClient`` (``client``), one typed method per runtime
request (``requests``, generated from the types package's registry).
"""
