"""scripts/dev.py run, as a streamer uses it: Ctrl+C lets Byte finish stopping."""

import signal
import sys
from pathlib import Path

from tests.support import ROOT, ByteProcess

# `python -c RUN_THROUGH_DEV <python> main.py`: Byte run by dev.py's own runner, in the data folder
RUN_THROUGH_DEV = (f'import os, sys; sys.path.insert(0, {str(ROOT / "scripts")!r}); import dev; '
                   'sys.exit(dev.run(sys.argv[1:], cwd=dev.Path(os.getcwd())))')


def test_ctrl_c_is_passed_on_and_byte_is_waited_for_until_it_has_stopped(tmp_path: Path) -> None:
    byte = ByteProcess(tmp_path, launcher=[sys.executable, '-c', RUN_THROUGH_DEV, sys.executable]).start()
    assert byte.process is not None
    byte.process.send_signal(signal.SIGINT)  # to dev.py only, as the terminal's Ctrl+C reaches it
    assert byte.process.wait(timeout=30) == 0
    assert 'Byte stopped' in byte.log_text()
