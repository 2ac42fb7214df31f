#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Every config group of realworld_valid.yaml validates with no Error beyond the ones its `allow`
list names (as ../shared/realworld/EXPECT.md states them), and no crash.

usage: check_realworld_valid.py SLUICE GROUPS.yaml REALWORLD_DIR      exit 77 when REALWORLD_DIR is absent
"""
import json
import os
import subprocess
import sys

import yaml


def main(sluice, groups_file, realworld):
    if not os.path.isdir(realworld):
        print(f'SKIP: {realworld} not present')
        return 77
    groups = yaml.safe_load(open(groups_file))['groups']
    passed, failed = 0, []
    for g in groups:
        files = [os.path.join(realworld, f) for f in (g.get('with') or []) + g['files']]
        label = '+'.join(g['files'])
        proc = subprocess.run([sluice, 'validate', '-o', 'json', *files], capture_output=True, text=True, timeout=120)
        if proc.returncode not in (0, 1):
            failed.append((label, f'exit {proc.returncode}: {proc.stderr.strip()[:200]}'))
            continue
        allowed = set(g.get('allow') or [])
        errors = [d for d in json.loads(proc.stdout or '[]') if d['level'] == 'Error' and d['code'] not in allowed]
        if errors:
            failed.append((label, '; '.join(f"{d['code']} {d['resource']} {os.path.basename(d['file'])}:{d['line']}: "
                                            f"{d['message'][:120]}" for d in errors[:4])))
        else:
            passed += 1
    for label, why in failed:
        print(f'FAIL {label}: {why}')
    print(f'{passed} passed, {len(failed)} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(*sys.argv[1:]))
