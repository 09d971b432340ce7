"""The OpenAPI schema of `/api/*` (FastAPI's, tidied): served to admins at `GET /api/openapi.json`.

Validation errors are answered 400 (not FastAPI's 422) with the common error shape; the admin token goes in a
header, as a bearer token or `X-Byte-Admin-Token`; the HUD messages also take the overlay key."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.openapi.utils import get_openapi

from app import __version__
from app.api.deps import admin_router

OPEN_PATHS = {'/api/health'}
OVERLAY_PATHS = {'/api/hud/messages'}
SECURITY_SCHEMES = {
    'bearer': {'type': 'http', 'scheme': 'bearer', 'description': 'the admin token'},
    'adminHeader': {'type': 'apiKey', 'in': 'header', 'name': 'X-Byte-Admin-Token'},
    'overlayKey': {'type': 'apiKey', 'in': 'header', 'name': 'X-Byte-Overlay-Key'},
}


def api_schema(routes: list[Any]) -> dict[str, Any]:
    schema = get_openapi(title='Byte API', version=__version__, routes=routes,
                         description='Every capability of Byte, for scripts and Stream Deck buttons. Errors are '
                                     '`{"ok": false, "error": <code>, "message": <text>}`.')
    schema['paths'] = {path: item for path, item in schema.get('paths', {}).items() if path.startswith('/api/')}
    schema.setdefault('components', {})['securitySchemes'] = SECURITY_SCHEMES
    schema['components'].get('schemas', {}).pop('HTTPValidationError', None)
    schema['components'].get('schemas', {}).pop('ValidationError', None)
    for path, operations in schema.get('paths', {}).items():
        for operation in operations.values():
            operation['responses'].pop('422', None)
            if path in OPEN_PATHS:
                operation['security'] = []
            elif path in OVERLAY_PATHS:
                operation['security'] = [{'bearer': []}, {'adminHeader': []}, {'overlayKey': []}]
            else:
                operation['security'] = [{'bearer': []}, {'adminHeader': []}]
    return schema


router = admin_router('openapi')


@router.get('/openapi.json', include_in_schema=False)
async def openapi(request: Request) -> dict[str, Any]:
    """Built on the first request (the routes do not change once the app runs) and kept on the app's state."""
    state = request.app.state
    if getattr(state, 'api_schema', None) is None:
        state.api_schema = api_schema(request.app.routes)
    schema: dict[str, Any] = state.api_schema
    return schema
