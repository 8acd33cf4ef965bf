"""What the apps' views and API routers share about a request: the signed-in user, a JSON
object body, and the error schemas the API answers with."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema
from ninja.errors import ValidationError
from pydantic import ValidationError as PydanticValidationError

from amparo.accounts.models import User


def request_user(request: HttpRequest) -> User:
    """The signed-in user (the view's decorator or the API's authentication made sure)."""
    user = request.user
    assert isinstance(user, User)
    return user


def json_object(request: HttpRequest) -> dict[str, Any]:
    """The request's body as a JSON object (an empty body is an empty object); anything else
    answers 422 with a message about the body."""
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationError([{"loc": ["body"], "msg": "The body is not valid JSON."}]) from exc
    if not isinstance(data, dict):
        raise ValidationError([{"loc": ["body"], "msg": "The body must be a JSON object."}])
    return data


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldError] = []


def choice(values: Iterable[str], **kwargs: Any) -> Any:
    """A string field whose OpenAPI document lists its allowed values as an ``enum`` (the
    endpoint still checks them, answering with its own message)."""
    return Field(json_schema_extra={"enum": list(values)}, **kwargs)


class DetailOut(Schema):
    detail: str


def json_request_body(schema: type[Schema], *, required: bool) -> dict[str, Any]:
    """The OpenAPI ``requestBody`` of a route that reads its JSON body itself (``openapi_extra``)."""
    return {
        "required": required,
        "content": {"application/json": {"schema": schema.model_json_schema()}},
    }


def validated_body(schema: type[Schema], request: HttpRequest) -> Any:
    """The request's JSON object body validated by ``schema``; a field it refuses answers 422
    with pydantic's message at the field's location."""
    try:
        return schema.model_validate(json_object(request))
    except PydanticValidationError as exc:
        raise ValidationError(
            [{"loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors()]
        ) from exc
