#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Sluice Studio starts, loads bookinfo through its core bridge, renders its window and exits 0.

usage: studio_smoke.py SLUICE_STUDIO SAMPLE_DIR
"""
import os
import struct
import subprocess
import sys
import tempfile


def main(studio, sample):
    with tempfile.TemporaryDirectory() as d:
        png = os.path.join(d, 'studio.png')
        env = dict(os.environ, QT_QPA_PLATFORM='offscreen', XDG_RUNTIME_DIR=d, XDG_CONFIG_HOME=d)
        proc = subprocess.run([studio, '--screenshot', png, sample], env=env, capture_output=True, text=True,
                              timeout=120)
        if proc.returncode != 0:
            print(f'sluice-studio exited {proc.returncode}: {proc.stderr}')
            return 1
        head = open(png, 'rb').read(24)
        if head[:8] != b'\x89PNG\r\n\x1a\n':
            print('not a PNG')
            return 1
        width, height = struct.unpack('>II', head[16:24])
        if width < 800 or height < 600:
            print(f'window rendered at {width}x{height}')
            return 1
    print('1 passed, 0 failed')
    return 0


if __name__ == '__main__':
    sys.exit(main(*sys.argv[1:]))
