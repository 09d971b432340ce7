from pathlib import Path

from persistence.database import backend_of, resolve_database_url, safe_description


def test_default_is_a_sqlite_file_in_the_data_folder(tmp_path: Path) -> None:
    url = resolve_database_url(None, tmp_path)
    assert backend_of(url) == 'sqlite'
    assert url.database == str(tmp_path / 'byte.sqlite3')


def test_supabase_session_pooler_url_works_unchanged(tmp_path: Path) -> None:
    raw = 'postgresql://postgres.abcdefghijkl:p%40ss%2Fw%23rd@aws-0-eu-central-1.pooler.supabase.com:5432/postgres' \
          '?sslmode=require'
    url = resolve_database_url(raw, tmp_path)
    assert url.drivername == 'postgresql+psycopg'
    assert url.username == 'postgres.abcdefghijkl'
    assert url.password == 'p@ss/w#rd'  # percent-encoding decoded by a real URL parser
    assert url.host == 'aws-0-eu-central-1.pooler.supabase.com'
    assert url.query == {'sslmode': 'require'}
    assert backend_of(url) == 'postgresql'
    shown = safe_description(url)
    assert 'p%40ss' not in shown and 'p@ss' not in shown and '***' in shown


def test_postgres_scheme_alias_and_explicit_driver(tmp_path: Path) -> None:
    assert resolve_database_url('postgres://u@h/db', tmp_path).drivername == 'postgresql+psycopg'
    assert resolve_database_url('postgresql+psycopg://u@h/db', tmp_path).drivername == 'postgresql+psycopg'
