"""Every API error is JSON: {"ok": false, "error": <code>, "message": <text for a human>}."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from runtime.storage import StorageError

log = logging.getLogger(__name__)

HTTP_ERROR_CODES = {400: 'invalid_request', 404: 'not_found', 405: 'method_not_allowed', 413: 'too_large'}


class ApiError(Exception):
    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(message)
        self.status, self.error, self.message = status, error, message


def error_response(status: int, error: str, message: str) -> JSONResponse:
    return JSONResponse({'ok': False, 'error': error, 'message': message}, status_code=status)


def install_error_handlers(app: FastAPI) -> None:
    async def on_api_error(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ApiError)
        return error_response(exc.status, exc.error, exc.message)

    async def on_invalid_request(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        first = exc.errors()[0] if exc.errors() else {}
        where = '.'.join(str(part) for part in first.get('loc', ()) if part != 'body') or 'body'
        return error_response(400, 'invalid_request', f'{where}: {first.get("msg", "invalid request")}')

    async def on_http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if not request.url.path.startswith('/api/'):
            return await http_exception_handler(request, exc)
        code = HTTP_ERROR_CODES.get(exc.status_code, 'http_error')
        return error_response(exc.status_code, code, str(exc.detail))

    async def on_storage_error(_request: Request, exc: Exception) -> JSONResponse:
        return error_response(503, 'database_unavailable', f'{exc}; nothing was changed')

    async def on_unexpected(request: Request, exc: Exception) -> Response:
        log.error('unexpected error on %s %s', request.method, request.url.path, exc_info=exc)
        if request.url.path.startswith('/api/'):
            return error_response(500, 'internal_error', 'something went wrong inside Byte; see its log')
        return PlainTextResponse('Internal Server Error', status_code=500)

    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(Exception, on_unexpected)
    app.add_exception_handler(StorageError, on_storage_error)
    app.add_exception_handler(RequestValidationError, on_invalid_request)
