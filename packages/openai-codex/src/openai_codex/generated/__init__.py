"""Protocol models under the published SDK's module path.

``openai_codex.generated.v2_all`` has every protocol model and
``openai_codex.generated.notification_registry`` the notification table; both are views
of ``openai_codex_types`` (generated from the pinned runtime's schema), not copies.

This package is hand-written compatibility code: its name is the published SDK's module
path. The generated code lives in ``openai_codex_types._generated`` and in the files whose
first line says ``GENERATED``.
"""
