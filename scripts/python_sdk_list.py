#!/usr/bin/env python3
"""Every owned number with the official Vonage Python SDK (PyPI `vonage` 4.x), printed as JSON:
what `switchboard list --json` does, done the SDK's way (one page of 100 after the other), so
the two can be timed side by side against the same sandbox (BENCHMARKS.md).

    SANDBOX_PORT=PORT REQUESTS_CA_BUNDLE=cert.pem target/sdk-venv/bin/python \\
        scripts/python_sdk_list.py > numbers.json

Environment: SANDBOX_PORT (the sandbox's HTTPS port on 127.0.0.1), SANDBOX_API_KEY and
SANDBOX_API_SECRET (default: the sandbox's own `sandbox` / `sandbox-secret`), REQUESTS_CA_BUNDLE
(the sandbox's certificate). Exit code 1 when the count does not match what was listed.
"""

from __future__ import annotations

import json
import os
import sys

from vonage import Auth, HttpClientOptions, Vonage
from vonage_numbers import ListOwnedNumbersFilter


def main() -> int:
    host = f"127.0.0.1:{os.environ['SANDBOX_PORT']}"
    key = os.environ.get('SANDBOX_API_KEY', 'sandbox')
    secret = os.environ.get('SANDBOX_API_SECRET', 'sandbox-secret')
    client = Vonage(Auth(api_key=key, api_secret=secret), HttpClientOptions(rest_host=host, timeout=30))
    numbers: list = []
    index = 1
    count = 0
    while index is not None:
        page, count, index = client.numbers.list_owned_numbers(ListOwnedNumbersFilter(size=100, index=index))
        numbers.extend(n.model_dump(exclude_none=True) for n in page)
    json.dump({'count': count, 'numbers': numbers}, sys.stdout)
    sys.stdout.write('\n')
    if len(numbers) != count:
        print(f'listed {len(numbers)} of {count}', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
