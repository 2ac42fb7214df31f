#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Feed every file under DIR (whatever its type: YAML, JSON, HAR, logs, scripts) to
`sluice validate -o json`, one process per file, then the whole folder at once. Each run must end
within the timeout, must not crash (signal or status >= 128), and must print JSON whose
diagnostics all carry a file, a line and a column. Prints "N passed, N failed"; exit 1 on failure,
77 when DIR is missing.

usage: load_all.py SLUICE DIR [TIMEOUT_SECONDS]
"""
import json
import os
import subprocess
import sys


def check(sluice, path, timeout):
    try:
        proc = subprocess.run([sluice, 'validate', '-o', 'json', path], capture_output=True, text=True,
                              timeout=timeout, errors='replace')
    except subprocess.TimeoutExpired:
        return f'no answer within {timeout} s'
    if proc.returncode < 0 or proc.returncode >= 128:
        return f'crashed (status {proc.returncode}): {proc.stderr.strip()[-300:]}'
    if proc.returncode not in (0, 1, 2):
        return f'exit status {proc.returncode}'
    try:
        diags = json.loads(proc.stdout or '[]')
    except json.JSONDecodeError:
        return 'stdout is not JSON'
    if isinstance(diags, dict):
        diags = diags.get('diagnostics', [])
    for d in diags:
        if not d.get('file') or not isinstance(d.get('line'), int) or d['line'] < 1 \
                or not isinstance(d.get('column'), int) or d['column'] < 1:
            return 'diagnostic without file:line:column: ' + json.dumps(d)[:300]
    return None


def main(argv):
    if len(argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    sluice, root = argv[0], argv[1]
    timeout = int(argv[2]) if len(argv) == 3 else 20
    if not os.path.isdir(root):
        print(f'SKIP: {root} is not present')
        return 77
    paths = sorted(os.path.join(d, f) for d, _, files in os.walk(root) for f in files)
    paths.append(root)
    failed = []
    for path in paths:
        why = check(sluice, path, timeout * (10 if path == root else 1))
        if why:
            failed.append((os.path.relpath(path, root), why))
    for name, why in failed:
        print(f'FAIL {name}: {why}')
    print(f'{len(paths) - len(failed)} passed, {len(failed)} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
