"""The HTTP API: thin adapters over the owners' methods (the same ones the dashboard calls), in one module-level
router per subject. Every route is `async def`: owners are only touched on the event loop, never from FastAPI's
thread pool. The routes only the earlier Byte Bot's scripts use are in `earlier_channel_routes` and
`earlier_control_routes`, with its names and fields; its snapshot (`GET /api/observability`) and clip jobs
(`GET /api/clip-jobs`) are Byte's own routes as well."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.responses import PlainTextResponse
from starlette.routing import BaseRoute

from app.api import (
    backup_routes,
    channel_routes,
    clip_routes,
    command_routes,
    database_routes,
    directives_routes,
    earlier_channel_routes,
    earlier_control_routes,
    earlier_import_routes,
    earlier_memory_routes,
    event_routes,
    filter_routes,
    memory_learning_routes,
    memory_routes,
    observability_routes,
    openapi,
    safety_routes,
    settings_routes,
    support_routes,
    timer_routes,
)
from app.api.answers import HealthAnswer
from app.api.deps import SystemDep, open_router_for
from app.api.errors import ApiError
from app.system import System

open_router = open_router_for('health')


@open_router.get('/health', response_model=HealthAnswer)
async def health(system: SystemDep) -> dict[str, Any]:
    return {
        'ok': system.status.state == 'ready', 'status': system.status.state, 'reason': system.status.reason,
        'version': system.version,
        'database': {'backend': system.database.backend, 'reachable': system.database.is_reachable},
        'transport': {'name': system.transport.status.name, 'state': system.transport.status.state},
    }


liveness_router = APIRouter(tags=['earlier bot: health'])


@liveness_router.get('/health', response_class=PlainTextResponse, include_in_schema=False)
@liveness_router.get('/health/', response_class=PlainTextResponse, include_in_schema=False)
@liveness_router.get('/healthz', response_class=PlainTextResponse, include_in_schema=False)
@liveness_router.get('/healthz/', response_class=PlainTextResponse, include_in_schema=False)
async def alive() -> str:
    """The earlier bot's liveness check (its command-line client and heartbeats ask it): the process answers.
    Whether Byte is ready, and why not, is `GET /api/health`."""
    return 'AGENT_ONLINE'


unknown_router = open_router_for('unknown')


@unknown_router.api_route('/{path:path}', methods=['GET', 'POST', 'PUT', 'DELETE', 'PATCH'], include_in_schema=False)
async def unknown(path: str) -> None:
    raise ApiError(404, 'not_found', f'no API route /api/{path[:100]}')


# the catch-all last
ROUTERS = (liveness_router, open_router, earlier_control_routes.open_router, channel_routes.router,
           channel_routes.stream_router, directives_routes.router, command_routes.router, timer_routes.router,
           filter_routes.router, event_routes.router, observability_routes.router, clip_routes.router,
           settings_routes.router, safety_routes.router, backup_routes.router, support_routes.router,
           database_routes.router, earlier_import_routes.router, openapi.router, earlier_channel_routes.router,
           earlier_control_routes.router, memory_routes.router, memory_learning_routes.router,
           earlier_memory_routes.router, unknown_router)
API_ROUTES: list[BaseRoute] = [route for router in ROUTERS for route in router.routes]


def add_api(app: FastAPI, system: System) -> None:
    """Byte's API routes join the app's own route list instead of being included as a router: FastAPI builds an
    included router's routes (their dependencies and response models) again when it is included and once more on
    the first request, about 0.45 s of a 2 s start on a 2-core machine. A route an APIRouter makes already carries
    its full path and its router's dependencies, so added this way each is built once (here, when this module is
    imported)."""
    app.state.system = system
    app.router.routes.extend(API_ROUTES)
