"""Method registries of the Codex app-server protocol, derived from the pinned runtime's schema.

- client requests: method -> params model (``None`` when the method takes none) and result model;
- client notifications: method -> params model (or ``None``);
- server notifications: method -> payload model;
- server requests: method -> params model and response model.

Models are resolved lazily: importing this module imports neither pydantic nor any model, and
looking a method's model up imports only the modules that model needs.

    >>> from openai_codex_types import registry
    >>> registry.client_request("thread/start").result_model.__name__
    'ThreadStartResponse'
    >>> n = registry.parse_notification("turn/completed", {...})   # a TurnCompletedNotification
    >>> registry.parse_notification("brand/new", {"x": 1})          # an UnknownNotification
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from typing import TYPE_CHECKING, Any

from ._generated import _registry as _data
from ._generated._index import MODULE_OF as _MODULE_OF

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

__all__ = [
    "CLIENT_NOTIFICATIONS",
    "CLIENT_REQUESTS",
    "EXPERIMENTAL_CLASSES",
    "EXPERIMENTAL_FIELDS",
    "EXPERIMENTAL_METHODS",
    "RUNTIME_VERSION",
    "SERVER_NOTIFICATIONS",
    "SERVER_REQUESTS",
    "ClientNotificationSpec",
    "ClientRequestSpec",
    "ServerNotificationSpec",
    "ServerRequestSpec",
    "UnknownNotification",
    "UnknownServerRequest",
    "client_request",
    "experimental_fields",
    "is_experimental",
    "model",
    "notification_model",
    "params_model",
    "parse_notification",
    "parse_result",
    "parse_server_request",
    "result_model",
    "server_request",
    "server_response_model",
]

RUNTIME_VERSION: str = _data.RUNTIME_VERSION
"""The runtime version the registries were generated from."""

EXPERIMENTAL_METHODS: frozenset[str] = _data.EXPERIMENTAL_METHODS
"""Methods only the runtime's ``--experimental`` schema lists."""

EXPERIMENTAL_CLASSES: frozenset[str] = _data.EXPERIMENTAL_CLASSES
"""Generated classes only the ``--experimental`` schema has."""

EXPERIMENTAL_FIELDS: Mapping[str, frozenset[str]] = _data.EXPERIMENTAL_FIELDS
"""Class name -> wire names of the fields only the ``--experimental`` schema has."""


@cache
def model(name: str) -> type[Any]:
    """The generated class called ``name`` (imports its module on first use)."""
    module = _MODULE_OF.get(name)
    if module is None:
        raise KeyError(f"no generated class named {name!r}")
    cls: type[Any] = getattr(import_module(f"._generated.{module}", __package__), name)
    return cls


def _model_or_none(name: str | None) -> type[BaseModel] | None:
    return None if name is None else model(name)


@dataclass(frozen=True)
class ClientRequestSpec:
    """A request the client sends; ``params_model`` is ``None`` for a method without params."""

    method: str
    params_name: str | None
    result_name: str
    experimental: bool

    @property
    def params_model(self) -> type[BaseModel] | None:
        return _model_or_none(self.params_name)

    @property
    def result_model(self) -> type[BaseModel]:
        return model(self.result_name)


@dataclass(frozen=True)
class ClientNotificationSpec:
    method: str
    params_name: str | None

    @property
    def params_model(self) -> type[BaseModel] | None:
        return _model_or_none(self.params_name)


@dataclass(frozen=True)
class ServerNotificationSpec:
    """A notification the server sends; ``payload_model`` validates its params."""

    method: str
    payload_name: str
    experimental: bool

    @property
    def payload_model(self) -> type[BaseModel]:
        return model(self.payload_name)


@dataclass(frozen=True)
class ServerRequestSpec:
    """A request the server sends to the client (approvals, user input, tool calls, ...)."""

    method: str
    params_name: str
    response_name: str
    experimental: bool

    @property
    def params_model(self) -> type[BaseModel]:
        return model(self.params_name)

    @property
    def response_model(self) -> type[BaseModel]:
        return model(self.response_name)


CLIENT_REQUESTS: Mapping[str, ClientRequestSpec] = {
    m: ClientRequestSpec(m, p, r, m in EXPERIMENTAL_METHODS)
    for m, (p, r) in _data.CLIENT_REQUESTS.items()
}
"""Every client request method of the schema."""

CLIENT_NOTIFICATIONS: Mapping[str, ClientNotificationSpec] = {
    m: ClientNotificationSpec(m, p) for m, p in _data.CLIENT_NOTIFICATIONS.items()
}
"""Every client notification method of the schema (``initialized``)."""

SERVER_NOTIFICATIONS: Mapping[str, ServerNotificationSpec] = {
    m: ServerNotificationSpec(m, p, m in EXPERIMENTAL_METHODS)
    for m, p in _data.SERVER_NOTIFICATIONS.items()
}
"""Every server notification method of the schema."""

SERVER_REQUESTS: Mapping[str, ServerRequestSpec] = {
    m: ServerRequestSpec(m, p, r, m in EXPERIMENTAL_METHODS)
    for m, (p, r) in _data.SERVER_REQUESTS.items()
}
"""Every server-to-client request method of the schema."""


@dataclass
class UnknownNotification:
    """A notification this version cannot type: a method it does not know, or a payload of a
    known method that did not validate (``error`` then holds the ValidationError)."""

    method: str
    params: Any
    error: ValidationError | None = field(default=None, repr=False)


@dataclass
class UnknownServerRequest:
    """A server request this version cannot type (see :class:`UnknownNotification`)."""

    method: str
    params: Any
    error: ValidationError | None = field(default=None, repr=False)


# -- lookups ----------------------------------------------------------------------------------


def client_request(method: str) -> ClientRequestSpec | None:
    return CLIENT_REQUESTS.get(method)


def server_request(method: str) -> ServerRequestSpec | None:
    return SERVER_REQUESTS.get(method)


def params_model(method: str) -> type[BaseModel] | None:
    """The params model of a client request (``None`` if unknown or without params)."""
    spec = CLIENT_REQUESTS.get(method)
    return None if spec is None else spec.params_model


def result_model(method: str) -> type[BaseModel] | None:
    """The result model of a client request (``None`` if the method is unknown)."""
    spec = CLIENT_REQUESTS.get(method)
    return None if spec is None else spec.result_model


def notification_model(method: str) -> type[BaseModel] | None:
    """The payload model of a server notification (``None`` if the method is unknown)."""
    spec = SERVER_NOTIFICATIONS.get(method)
    return None if spec is None else spec.payload_model


def server_response_model(method: str) -> type[BaseModel] | None:
    """The response model of a server request (``None`` if the method is unknown)."""
    spec = SERVER_REQUESTS.get(method)
    return None if spec is None else spec.response_model


def is_experimental(method: str) -> bool:
    """True for a method only the ``--experimental`` schema lists."""
    return method in EXPERIMENTAL_METHODS


def experimental_fields(cls: type[BaseModel] | str) -> frozenset[str]:
    """Wire names of the experimental fields of a generated class."""
    name = cls if isinstance(cls, str) else cls.__name__
    return EXPERIMENTAL_FIELDS.get(name, frozenset())


# -- parsing ----------------------------------------------------------------------------------


def parse_notification(method: str, params: Any) -> BaseModel | UnknownNotification:
    """The typed payload of a server notification.

    A method this version does not know, or a payload that does not validate, gives an
    :class:`UnknownNotification` holding the raw params (and the error), never an exception,
    so one odd notification cannot break a stream.
    """
    from pydantic import ValidationError

    spec = SERVER_NOTIFICATIONS.get(method)
    if spec is None:
        return UnknownNotification(method, params)
    try:
        return spec.payload_model.model_validate(params if params is not None else {})
    except ValidationError as exc:
        return UnknownNotification(method, params, exc)


def parse_server_request(method: str, params: Any) -> BaseModel | UnknownServerRequest:
    """The typed params of a server request (see :func:`parse_notification`)."""
    from pydantic import ValidationError

    spec = SERVER_REQUESTS.get(method)
    if spec is None:
        return UnknownServerRequest(method, params)
    try:
        return spec.params_model.model_validate(params if params is not None else {})
    except ValidationError as exc:
        return UnknownServerRequest(method, params, exc)


def parse_result(method: str, result: Any) -> BaseModel:
    """The typed result of a client request; raises KeyError for an unknown method and
    pydantic.ValidationError for a result that does not match its model."""
    spec = CLIENT_REQUESTS.get(method)
    if spec is None:
        raise KeyError(f"unknown client request method {method!r}")
    return spec.result_model.model_validate(result if result is not None else {})
