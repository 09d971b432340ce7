"""The recent log and the problem report through the API of a real Byte process: the log has Byte's own lines
(filtered by level), and the report is a zip without the admin token."""

import io
import zipfile
from pathlib import Path

from tests.support import ADMIN_TOKEN, ByteProcess


def test_the_log_and_the_report_through_the_api(tmp_path: Path) -> None:
    with ByteProcess(tmp_path) as byte:
        lines = byte.client.get('/api/logs').json()['lines']
        assert any('ready' in line and 'app.system' in line for line in lines), lines
        warnings = byte.client.get('/api/logs', params={'level': 'WARNING', 'limit': 5}).json()['lines']
        assert len(warnings) <= 5 and not any(' INFO ' in line for line in warnings)
        assert byte.client.get('/api/logs', params={'level': 'LOUD'}).status_code == 400

        report = byte.client.post('/api/problem-report')
        assert report.status_code == 200 and report.headers['content-type'] == 'application/zip'
        with zipfile.ZipFile(io.BytesIO(report.content)) as bundle:
            text = ''.join(bundle.read(name).decode() for name in bundle.namelist())
        assert 'report.json' in bundle.namelist() and ADMIN_TOKEN not in text and '"admin_token": "[secret]"' in text
        assert list((tmp_path / 'reports').glob('*.zip'))
        assert byte.client.post('/api/problem-report', headers={'Authorization': 'Bearer wrong-token-000000'}) \
            .status_code == 403
