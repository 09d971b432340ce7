"""Build Byte's desktop app: one folder with the `Byte` program (Byte.exe on Windows, Byte.app on macOS).

    python3 scripts/build_desktop.py            # installs Byte with its desktop and packaging extras into .venv
                                                # (scripts/dev.py's), then builds into dist/Byte
    python3 scripts/build_desktop.py --out DIR  # build somewhere else (the desktop tests do)

The spec is packaging/byte.spec. Prints the folder's size and where the program is.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dev

SPEC = dev.ROOT / 'packaging' / 'byte.spec'


def program_in(folder: Path) -> Path:
    """Where the built program is inside the output folder."""
    if sys.platform == 'darwin':
        return folder / 'Byte.app' / 'Contents' / 'MacOS' / 'Byte'
    return folder / 'Byte' / ('Byte.exe' if dev.IS_WINDOWS else 'Byte')


def folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob('*') if path.is_file() and not path.is_symlink())


def build(out: Path, work: Path, python: Path = dev.VENV_PYTHON) -> Path:
    command = [str(python), '-m', 'PyInstaller', '--noconfirm', '--log-level', 'WARN', '--distpath', str(out),
               '--workpath', str(work), str(SPEC)]
    subprocess.run(command, cwd=dev.ROOT, check=True)
    program = program_in(out)
    if not program.exists():
        sys.exit(f'PyInstaller finished but {program} is not there')
    return program


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description='Build the Byte desktop app (one folder).')
    parser.add_argument('--out', type=Path, default=dev.ROOT / 'dist', help='output folder (default: dist)')
    parser.add_argument('--work', type=Path, default=dev.ROOT / 'build', help="PyInstaller's work folder")
    args = parser.parse_args(argv)
    dev.ensure_venv()
    dev.install(extras='desktop,package')
    shutil.rmtree(args.out / 'Byte', ignore_errors=True)
    program = build(args.out, args.work)
    bundle = program.parents[2] if sys.platform == 'darwin' else program.parent
    print(f'Built {program} ({folder_size(bundle) / 1e6:.0f} MB in {bundle})')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
