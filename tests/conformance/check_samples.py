#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Check the samples: every samples/broken/*.yaml reports each `# expect: CODE line N [~ text]`
from its header and no other Error or Warning; every other samples/ folder (but traffic/, which
holds request profiles and recordings) validates with no Error and no Warning. Prints "N passed, N failed"; exits 1 when anything failed.

usage: check_samples.py SLUICE SAMPLES_DIR
"""
import json
import os
import re
import subprocess
import sys

EXPECT = re.compile(r'^#\s*expect:\s*(?P<code>[A-Z]+\d+)\s+line\s+(?P<line>\d+)(?:\s*~\s*(?P<text>.+?))?\s*$')


def run(sluice, path):
    """Returns (diagnostics, problem)."""
    try:
        proc = subprocess.run([sluice, 'validate', '-o', 'json', path], capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        return [], 'timeout'
    if proc.returncode < 0 or proc.returncode >= 128:
        return [], f'crashed (status {proc.returncode})'
    if proc.returncode == 2:
        return [], 'unreadable input (exit 2): ' + proc.stderr.strip()
    try:
        diags = json.loads(proc.stdout or '[]')
    except json.JSONDecodeError:
        return [], 'stdout is not JSON'
    if isinstance(diags, dict):
        diags = diags.get('diagnostics', [])
    return diags, None


def level(d):
    return str(d.get('level', '')).lower()


def show(d):
    return f"{d.get('code')}@{d.get('line')} {d.get('level')}: {d.get('message', '')}"


def expectations(path):
    found = []
    with open(path, encoding='utf-8') as f:
        for raw in f:
            line = raw.rstrip('\n')
            if not line.startswith('#'):
                break
            m = EXPECT.match(line)
            if m:
                found.append((m['code'], int(m['line']), m['text']))
    return found


def check_broken(sluice, path):
    wanted = expectations(path)
    if not wanted:
        return ['no "# expect: CODE line N" header']
    diags, problem = run(sluice, path)
    if problem:
        return [problem]
    why = []
    matched = set()
    for code, line, text in wanted:
        hits = [i for i, d in enumerate(diags)
                if d.get('code') == code and d.get('line') == line and (not text or text in d.get('message', ''))]
        if not hits:
            got = ', '.join(show(d) for d in diags) or 'nothing'
            why.append(f'missing {code} at line {line}' + (f' containing {text!r}' if text else '') + f' (got {got})')
        matched.update(hits)
    expected_codes = {(code, line) for code, line, _ in wanted}
    for i, d in enumerate(diags):
        if i in matched or (d.get('code'), d.get('line')) in expected_codes:
            continue
        if level(d) in ('error', 'warning'):
            why.append('unexpected ' + show(d))
    return why


def check_clean(sluice, path):
    diags, problem = run(sluice, path)
    if problem:
        return [problem]
    return ['not clean: ' + show(d) for d in diags if level(d) in ('error', 'warning')]


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    sluice, samples = argv
    results = []
    broken = os.path.join(samples, 'broken')
    for name in sorted(os.listdir(broken)):
        if name.endswith(('.yaml', '.yml', '.json')):
            results.append((f'broken/{name}', check_broken(sluice, os.path.join(broken, name))))
    for name in sorted(os.listdir(samples)):
        path = os.path.join(samples, name)
        # traffic/ holds request profiles and recordings for `sluice load` / `sluice replay`, not configs.
        if os.path.isdir(path) and name not in ('broken', 'traffic'):
            results.append((name + '/', check_clean(sluice, path)))
    failed = [(n, w) for n, w in results if w]
    for name, why in failed:
        print(f'FAIL {name}: ' + '; '.join(why))
    print(f'{len(results) - len(failed)} passed, {len(failed)} failed')
    return 1 if failed or not results else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
