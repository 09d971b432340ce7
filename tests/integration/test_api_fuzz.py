"""Property-based requests generated from Byte's own OpenAPI schema (schemathesis), against a live Byte process:
for every route, authenticated and not, no 5xx, and every answer matches its documented status, type and shape.
Invalid inputs are generated too (negative mode) and must be refused with a 4xx."""

from collections.abc import Callable, Iterator

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from tests.support import ByteProcess

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
OPEN_PATHS = {'/api/health', '/api/hud/messages'}


@pytest.fixture(scope='module')
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ByteProcess]:
    # the chat mode is fixed so the fuzzer cannot send Byte to the internet; a short LLM timeout, because the
    # fuzzer may point the LLM settings anywhere
    with ByteProcess(tmp_path_factory.mktemp('fuzz'), BYTE_TWITCH_MODE='simulator', BYTE_LLM_TIMEOUT_SECONDS='1',
                     BYTE_API_RATE_PER_SECOND='10000', BYTE_API_RATE_BURST='10000') as process:
        yield process


@pytest.fixture(scope='module')
def api_schema(live: ByteProcess) -> schemathesis.BaseSchema:
    answer = live.client.get('/api/openapi.json')
    assert answer.status_code == 200
    return schemathesis.openapi.from_dict(answer.json())


FUZZ = settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
               database=None)


def fuzz(api_schema: schemathesis.BaseSchema, mode: GenerationMode,
         call: Callable[[schemathesis.Case], None]) -> dict[str, str]:
    """Run `call` on generated cases of every operation; returns the failures by operation."""
    failures = {}
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy(generation_mode=mode))
        @FUZZ
        def run(case: schemathesis.Case) -> None:
            call(case)

        try:
            run()
        except Unsatisfiable:  # nothing to get wrong (negative mode, no parameters)
            continue
        except Exception as error:  # every operation is tried; all failures are reported together
            failures[f'{operation.method.upper()} {operation.path}'] = str(error)[:1500]
    return failures


@pytest.mark.parametrize('mode', [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_authenticated_requests_never_fail_the_server_or_the_schema(live: ByteProcess,
                                                                    api_schema: schemathesis.BaseSchema,
                                                                    mode: GenerationMode) -> None:
    headers = {'Authorization': f'Bearer {live.admin_token}'}
    checks = CHECKS if mode == GenerationMode.POSITIVE else [*CHECKS, negative_data_rejection]
    failures = fuzz(api_schema, mode, lambda case: case.call_and_validate(base_url=live.base_url, headers=headers,
                                                                          checks=checks, timeout=30))
    assert not failures, '\n\n'.join(f'{name}: {error}' for name, error in failures.items())


def test_requests_without_the_token_are_refused(live: ByteProcess, api_schema: schemathesis.BaseSchema) -> None:
    def call(case: schemathesis.Case) -> None:
        response = case.call_and_validate(base_url=live.base_url, checks=CHECKS, timeout=30)
        if case.operation.path not in OPEN_PATHS:
            assert response.status_code in {400, 401, 403}, (response.status_code, response.text[:200])
            assert response.json()['ok'] is False

    failures = fuzz(api_schema, GenerationMode.POSITIVE, call)
    assert not failures, '\n\n'.join(f'{name}: {error}' for name, error in failures.items())


def test_the_schema_covers_every_route_and_needs_the_token(live: ByteProcess, api_schema: schemathesis.BaseSchema
                                                           ) -> None:
    raw = live.client.get('/api/openapi.json').json()
    assert sum(len(operations) for operations in raw['paths'].values()) >= 40
    for path, operations in raw['paths'].items():
        for method, operation in operations.items():
            ok = [code for code in operation['responses'] if code.startswith('2')]
            content = operation['responses'][ok[0]]['content'] if ok else {}
            is_file = 'application/zip' in content  # the problem report
            assert is_file or content.get('application/json', {}).get('schema'), (method, path)
            assert {'400', '401', '404'} <= set(operation['responses']) and '422' not in operation['responses']
    with httpx.Client(base_url=live.base_url) as client:
        assert client.get('/api/openapi.json').status_code == 401
