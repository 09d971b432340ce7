"""Bringing an earlier Byte Bot's data over from Supabase, through the real `supabase` client, against a loopback
server that speaks PostgREST (pages capped silently at 1,000 rows): 3,500 chat lines read in pages by key, a dry run
that writes nothing, an import that a second run finds nothing new in, the row-level-security warning, and the whole
flow through the API of a running Byte, which restarts to write the rows in."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from persistence.database_copy import row_counts
from persistence.earlier_rows import import_earlier_rows
from persistence.repositories import Repositories
from runtime.supabase_reader import SupabaseProblem, look, read_all
from tests.fakes.postgrest import FakePostgrest, project_key
from tests.fakes.threaded import ThreadLoop
from tests.integration.test_backups import serving_again
from tests.integration.test_settings_document import engine_for
from tests.support import ByteProcess, wait_until

SERVICE, ANON = project_key('service_role'), project_key('anon')
HISTORY_ROWS = 3500


def earlier_tables() -> dict[str, list[dict]]:
    """Rows shaped as the earlier bot's tables hold them (earlier-byte-bot.md, 9.2 and 6.4)."""
    return {
        'channels_config': [
            {'channel_id': 'earlier_chan', 'temperature': 0.7, 'top_p': 0.9, 'agent_paused': False, 'is_active': True,
             'updated_at': '2026-01-02T10:00:00+00:00'},
            {'channel_id': 'Paused_Chan', 'temperature': None, 'top_p': None, 'agent_paused': True,
             'is_active': False, 'updated_at': '2026-01-02T10:00:00+00:00'},
            {'channel_id': 'not a login!', 'temperature': 0.5, 'top_p': 0.5, 'agent_paused': False,
             'is_active': True, 'updated_at': '2026-01-02T10:00:00+00:00'}],
        'agent_notes': [
            {'channel_id': 'earlier_chan', 'notes': 'no spoilers <b>please</b>', 'updated_at': '2026-01-02T10:00:00Z'},
            {'channel_id': 'orphan_chan', 'notes': 'a channel only the notes knew', 'updated_at': None}],
        'channel_state': [
            {'channel_id': 'earlier_chan', 'current_game': 'Celeste', 'stream_vibe': 'chill', 'last_event': 'raid',
             'style_profile': 'dry humour', 'observability': {'topic': 'speedrun'}, 'last_reply': 'hi',
             'updated_at': '2026-01-02T10:00:00+00:00', 'last_activity': '2026-01-02T10:00:00+00:00'}],
        'channel_history': [
            {'id': number, 'channel_id': 'earlier_chan', 'author': f'viewer{number % 30}',
             'message': f'line {number} <script>alert(1)</script>', 'ts': f'2026-01-02T10:{number // 60 % 60:02d}:'
             f'{number % 60:02d}+00:00'} for number in range(1, HISTORY_ROWS + 1)],
        'observability_rollups': [
            {'rollup_key': 'global', 'updated_at': '2026-01-02T10:00:00+00:00', 'state': {
                'schema_version': 2, 'counters': {'messages': 99},
                'channel_scopes': {'earlier_chan': {'chatter_message_totals': {'Viewer1': 40, 'viewer2': 3},
                                                    'trigger_user_totals': {'Viewer1': 4}}}}}],
        'clip_jobs': [
            {'job_id': 'job_1', 'status': 'ready', 'download_url': None, 'created_at': '2026-01-02T10:00:00+00:00',
             'updated_at': '2026-01-02T10:00:00+00:00',
             'metadata': {'broadcaster_id': '123', 'title': 'Big jump', 'twitch_clip_id': 'FunnyClipId',
                          'clip_url': 'https://clips.twitch.tv/FunnyClipId', 'edit_url': 'https://x/edit'}},
            {'job_id': 'job_2', 'status': 'failed', 'download_url': None, 'created_at': '2026-01-02T10:00:00+00:00',
             'updated_at': '2026-01-02T10:00:00+00:00', 'metadata': {'error': 'auth_error: 401'}}],
    }


@pytest.fixture
def project() -> Iterator[FakePostgrest]:
    thread = ThreadLoop()
    fake = FakePostgrest(tables=earlier_tables(), keys={SERVICE: 'service_role', ANON: 'anon'},
                         row_level_security=set(earlier_tables()))
    thread.call(fake.start())
    yield fake
    thread.call(fake.stop())


def test_rows_are_read_in_pages_past_the_silent_cap_and_imported_once(project: FakePostgrest,
                                                                      database_url: str) -> None:
    tables = read_all(project.url, SERVICE, page_rows=5000)  # asks for more than the server gives
    assert len(tables['channel_history']) == HISTORY_ROWS
    assert [row['id'] for row in tables['channel_history']] == list(range(1, HISTORY_ROWS + 1))
    pages = [request for request in project.requests if request.startswith('/rest/v1/channel_history')]
    assert len(pages) == 5 and all('order=id.asc' in page for page in pages[1:])  # four of 1,000, one empty

    engine = engine_for(database_url)
    before = row_counts(engine)
    preview = import_earlier_rows(engine, tables, dry_run=True)
    assert row_counts(engine) == before  # the dry run wrote nothing
    report = import_earlier_rows(engine, tables, dry_run=False)
    assert report.as_dict()['tables'] == preview.as_dict()['tables'] and not preview.as_dict()['tables'] == {}
    counts = report.as_dict()['tables']
    assert counts['channel_history']['imported'] == HISTORY_ROWS
    assert counts['channels_config'] == {'read': 3, 'imported': 2, 'already_there': 0, 'skipped': 1,
                                         'reasons': {'not a Twitch login': 1}}
    assert counts['clip_jobs']['imported'] == 1 and counts['clip_jobs']['skipped'] == 1
    assert counts['observability_rollups']['imported'] == 2  # two chatters' totals

    repositories = Repositories.on(engine)
    earlier = repositories.channels.get('earlier_chan')
    assert earlier is not None and earlier.is_active and earlier.temperature == 0.7
    assert earlier.style_profile == 'dry humour'
    paused, orphan = repositories.channels.get('paused_chan'), repositories.channels.get('orphan_chan')
    assert paused is not None and paused.is_paused and not paused.is_active
    assert orphan is not None and not orphan.is_active  # its notes came along; it joins nothing
    assert earlier.id is not None and repositories.notes.get(earlier.id).notes == 'no spoilers <b>please</b>'  # type: ignore[union-attr]
    assert row_counts(engine)['chat_history'] == HISTORY_ROWS

    again = import_earlier_rows(engine, read_all(project.url, SERVICE), dry_run=False).as_dict()
    assert again['imported'] == 0
    assert again['tables']['channel_history']['already_there'] == HISTORY_ROWS
    assert row_counts(engine)['chat_history'] == HISTORY_ROWS


def test_the_look_warns_of_row_level_security_and_says_what_is_wrong(project: FakePostgrest) -> None:
    seen = look(project.url, SERVICE)
    assert seen.counts['channel_history'] == HISTORY_ROWS and seen.key_role == 'service_role' and not seen.warning
    hidden = look(project.url, ANON)
    assert hidden.total_rows == 0 and 'row-level security' in hidden.warning and 'service_role' in hidden.warning
    del project.tables['clip_jobs']
    assert look(project.url, SERVICE).counts['clip_jobs'] is None  # not in this project: skipped, not an error
    for url, key, words in ((project.url, 'wrong-key', 'key was refused'), ('http://127.0.0.1:1', SERVICE,
                            'does not answer'), ('ftp://x', SERVICE, 'must start with https://')):
        with pytest.raises(SupabaseProblem, match=words) as raised:
            look(url, key)
        assert SERVICE not in str(raised.value)


def test_the_import_through_the_api_restarts_byte_and_a_second_brings_nothing_new(tmp_path: Path,
                                                                                  project: FakePostgrest) -> None:
    body = {'url': project.url, 'key': SERVICE}
    with ByteProcess(tmp_path) as byte:
        checked = byte.client.post('/api/import/earlier/check', json={**body, 'key': ANON}).json()
        assert checked['counts']['channel_history'] == 0 and checked['warning']
        refused = byte.client.post('/api/import/earlier/check', json={**body, 'key': 'wrong'})
        assert refused.status_code == 400 and refused.json()['error'] == 'project_unreadable'

        preview = byte.client.post('/api/import/earlier', params={'dry_run': 'true'}, json=body)
        assert preview.status_code == 200 and preview.json()['report']['imported'] > HISTORY_ROWS
        logins = [channel['login'] for channel in byte.client.get('/api/channels').json()['channels']]
        assert 'earlier_chan' not in logins  # a preview writes nothing

        assert byte.process is not None
        pid = byte.process.pid
        for run in (1, 2):
            answer = byte.client.post('/api/import/earlier', json=body)
            assert answer.status_code == 202 and answer.json()['read']['channel_history'] == HISTORY_ROWS
            wait_until(lambda run=run: byte.log_text().count('Byte is restarting') == run, timeout=20)
            wait_until(lambda: serving_again(byte, pid), timeout=60, interval=0.2)
            last = byte.client.get('/api/import/earlier').json()['last_import']
            assert last['ok'], last
            assert last['imported'] == (last['tables']['channel_history']['imported'] + 8 if run == 1 else 0)
        assert byte.client.get('/api/channels/earlier_chan/notes').json()['notes'] == 'no spoilers <b>please</b>'
        assert SERVICE not in byte.log_text()
    assert not any(SERVICE in path.read_text(errors='ignore') for path in tmp_path.rglob('*') if path.is_file()
                   and path.suffix in {'.json', '.log', '.txt'})  # the key was used, never kept
