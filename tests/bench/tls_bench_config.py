#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Prints sluice-bench.yaml (argv[1]) with its Gateway server made HTTPS (SIMPLE TLS from the
certificate and key files argv[2] and argv[3], as proxybench.sh -t / -H makes them), so the same
10-rule config is measured with Sluice terminating TLS (HTTP/1.1 by ALPN, or h2)."""
import sys

source, cert, key = sys.argv[1], sys.argv[2], sys.argv[3]
plain = "  - port: {number: 18090, name: http, protocol: HTTP}\n"
text = open(source).read()
if plain not in text:
    sys.exit(f"{source}: no plain HTTP server on 18090 to turn into HTTPS")
print(text.replace(plain, "  - port: {number: 18090, name: https, protocol: HTTPS}\n"
                          f"    tls: {{mode: SIMPLE, serverCertificate: {cert}, privateKey: {key}}}\n"), end="")
