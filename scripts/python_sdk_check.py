#!/usr/bin/env python3
"""Drive a running switchboard sandbox with the official Vonage Python SDK (PyPI `vonage` 4.x).

The sandbox is the server under test; the SDK is a client nobody on this project wrote. Only
the SDK's public API is used to talk to the sandbox (no raw HTTP). The SDK's own record of the
last exchange (`http_client.last_response`) is read to print evidence when a step fails.

Run by scripts/python-sdk-check.sh, which starts `switchboard sandbox --tls` and sets:

    SANDBOX_PORT         port of the sandbox (HTTPS)
    SANDBOX_API_KEY      api key the sandbox accepts
    SANDBOX_API_SECRET   its secret
    SANDBOX_OWNED        numbers the account owns at start (the --owned flag)
    REQUESTS_CA_BUNDLE   the sandbox's self-signed certificate (PEM)

Every step prints PASS or FAIL with detail; the exit code is 1 when any step failed.
"""

from __future__ import annotations

import json
import logging
import math
import os
import sys
import traceback
import uuid
from importlib.metadata import version
from typing import Callable, Optional

from vonage import Auth, HttpClientOptions, Vonage
from vonage_http_client import AuthenticationError, HttpRequestError
from vonage_numbers import (
    ListOwnedNumbersFilter,
    NumberFeatures,
    NumberParams,
    NumberType,
    SearchAvailableNumbersFilter,
    UpdateNumberParams,
    VoiceCallbackType,
)

# Non-loopback URLs: the sandbox accepts them without contacting them (as the real service
# would after its GET pre-check), so nothing leaves this machine.
MO_HTTP_URL = 'https://example.com/webhooks/inbound-sms'
VOICE_STATUS_URL = 'https://example.com/webhooks/voice-status'
SIP_URI = 'sip:switchboard-sdk-check@example.com'

results: list[tuple[str, bool]] = []


class CheckFailed(Exception):
    """A step's expectation did not hold."""


def expect(cond: bool, message: str) -> None:
    if not cond:
        raise CheckFailed(message)


def exchange(client: Optional[Vonage]) -> str:
    """The last request and response as the SDK saw them (never the Authorization header)."""
    if client is None:
        return ''
    try:
        resp = client.http_client.last_response
    except AttributeError:
        return '    (no exchange recorded)'
    if resp is None:
        return '    (no exchange recorded)'
    req = resp.request
    body = req.body
    if isinstance(body, bytes):
        body = body.decode('utf-8', 'replace')
    lines = [
        f'    request:  {req.method} {req.url}',
        f'              Content-Type: {req.headers.get("Content-Type", "-")}',
    ]
    if body:
        lines.append(f'              body: {body}')
    text = resp.text
    if len(text) > 600:
        text = text[:600] + '...'
    lines.append(f'    response: {resp.status_code} {resp.headers.get("Content-Type", "-")} {text}')
    return '\n'.join(lines)


def step(name: str, client: Optional[Vonage], fn: Callable[[], str]) -> bool:
    """Runs one step; its return value is the PASS detail."""
    try:
        detail = fn()
        print(f'PASS  {name}: {detail}')
        results.append((name, True))
        return True
    except CheckFailed as e:
        print(f'FAIL  {name}: {e}')
    except HttpRequestError as e:
        print(f'FAIL  {name}: SDK raised {type(e).__name__}: {e.message.splitlines()[0]}')
    except Exception as e:  # an SDK parse error, a validation error, a TLS error...
        print(f'FAIL  {name}: {type(e).__name__}: {e}')
        traceback.print_exc(limit=4, file=sys.stdout)
    evidence = exchange(client)
    if evidence:
        print(evidence)
    results.append((name, False))
    return False


def make_client(host: str, key: str, secret: str) -> Vonage:
    # max_retries=0: a failure shows as the sandbox gave it, not after urllib3's retries.
    # One sandbox serves both hosts: the Numbers and Account APIs (rest_host) and the
    # Applications API (api_host).
    options = HttpClientOptions(rest_host=host, api_host=host, timeout=30, max_retries=0)
    return Vonage(Auth(api_key=key, api_secret=secret), options)


def list_all(client: Vonage, **filters) -> tuple[list, int, int]:
    """Every page, following the SDK's own next-page index. Returns (numbers, count, pages)."""
    numbers: list = []
    index: Optional[int] = 1
    pages = 0
    count = 0
    while index is not None:
        page, count, index = client.numbers.list_owned_numbers(
            ListOwnedNumbersFilter(index=index, **filters)
        )
        pages += 1
        numbers.extend(page)
        expect(pages <= 10_000, 'the SDK kept announcing a next page')
    return numbers, count, pages


def main() -> int:
    # The SDK logs every 4xx as a warning to stderr; the expected 401/420s would clutter the
    # report, and a failing step prints the exchange itself.
    logging.getLogger('vonage').setLevel(logging.ERROR)
    port = int(os.environ['SANDBOX_PORT'])
    key = os.environ['SANDBOX_API_KEY']
    secret = os.environ['SANDBOX_API_SECRET']
    owned_at_start = int(os.environ.get('SANDBOX_OWNED', '250'))
    ca = os.environ.get('REQUESTS_CA_BUNDLE', '(unset)')
    print(
        f'vonage {version("vonage")}, vonage-numbers {version("vonage-numbers")}, '
        f'vonage-http-client {version("vonage-http-client")}, requests {version("requests")}'
    )
    print(f'sandbox port {port}, api key {key}, CA bundle {ca}')

    # --- TLS and host names -------------------------------------------------------------
    # The SDK builds https://{rest_host}{path}; the sandbox certificate names localhost,
    # 127.0.0.1 and ::1. Both spellings must verify against REQUESTS_CA_BUNDLE.
    clients: dict[str, Vonage] = {}
    for host in (f'localhost:{port}', f'127.0.0.1:{port}'):
        c = make_client(host, key, secret)

        def probe(c=c, host=host) -> str:
            page, count, _ = c.numbers.list_owned_numbers(ListOwnedNumbersFilter(size=1))
            expect(len(page) == 1, f'expected 1 number, got {len(page)}')
            clients[host] = c
            return f'certificate verified, Basic auth accepted, count={count}'

        step(f'TLS + auth with rest_host={host}', c, probe)
    if not clients:
        print('FAIL  no host name works: nothing else can be checked')
        return 1
    host = next(iter(clients))
    client = clients[host]
    print(f'      using rest_host={host} from here on')

    everything: list = []

    # --- list: every page ---------------------------------------------------------------
    def all_pages_default() -> str:
        # The SDK's default page size is 100 (the API's is 10).
        nums, count, pages = list_all(client)
        everything.extend(nums)
        msisdns = [n.msisdn for n in nums]
        expect(count == owned_at_start, f'count {count}, expected {owned_at_start}')
        expect(len(nums) == count, f'{len(nums)} numbers over all pages, count says {count}')
        expect(len(set(msisdns)) == len(msisdns), 'a number appeared on two pages')
        expected_pages = math.ceil(count / 100)
        expect(pages == expected_pages, f'{pages} pages, expected {expected_pages}')
        for n in nums:
            expect(n.country and n.msisdn and n.type and n.features is not None,
                   f'incomplete number {n!r}')
        return f'{len(nums)} numbers in {pages} pages of 100, all distinct, count={count}'

    step('list owned: all pages (SDK default size 100)', client, all_pages_default)

    def all_pages_size_40() -> str:
        nums, count, pages = list_all(client, size=40)
        expect(count == owned_at_start, f'count {count}')
        expect(pages == math.ceil(count / 40), f'{pages} pages of 40 for {count}')
        expect([n.msisdn for n in nums] == [n.msisdn for n in everything],
               'pages of 40 do not give the same numbers in the same order as pages of 100')
        return f'{len(nums)} numbers in {pages} pages of 40, same order as pages of 100'

    step('list owned: all pages, size=40', client, all_pages_size_40)

    def size_and_index() -> str:
        page, count, nxt = client.numbers.list_owned_numbers(
            ListOwnedNumbersFilter(size=7, index=3))
        expect(len(page) == 7, f'{len(page)} numbers on page 3 of size 7')
        want = [n.msisdn for n in everything[14:21]]
        got = [n.msisdn for n in page]
        expect(got == want, f'page 3 of size 7 is {got}, expected items 15-21: {want}')
        expect(nxt == 4, f'SDK next index {nxt}, expected 4')
        return f'size=7 index=3 gives items 15-21 ({got[0]}..{got[-1]}), next index 4'

    step('list owned: size + index (index is a page number)', client, size_and_index)

    def last_page() -> str:
        size = 100
        last = math.ceil(owned_at_start / size)
        page, count, nxt = client.numbers.list_owned_numbers(
            ListOwnedNumbersFilter(size=size, index=last))
        want = owned_at_start - size * (last - 1)
        expect(len(page) == want, f'{len(page)} numbers on the last page, expected {want}')
        expect(nxt is None, f'SDK announces a next page {nxt} after the last')
        return f'page {last}: {len(page)} numbers, no next page'

    step('list owned: last page', client, last_page)

    def past_the_end() -> str:
        index = math.ceil(owned_at_start / 100) + 1
        page, count, nxt = client.numbers.list_owned_numbers(
            ListOwnedNumbersFilter(size=100, index=index))
        body = client.http_client.last_response.text
        expect(page == [] and nxt is None, f'got {len(page)} numbers, next {nxt}')
        # The real service answers {} (no count, no numbers); the SDK maps it to ([], 0, None).
        expect(json.loads(body) == {}, f'body {body!r}, the real service answers {{}}')
        return f'index={index}: body {body}, SDK gives ([], {count}, None)'

    step('list owned: a page past the end', client, past_the_end)

    # --- list: filters ------------------------------------------------------------------
    if not everything:
        print('FAIL  no owned numbers listed: the filter checks need them')
        return summary()

    def by_country() -> str:
        countries = sorted({n.country for n in everything})
        checked = []
        for country in countries[:4]:
            want = [n.msisdn for n in everything if n.country == country]
            nums, count, _ = list_all(client, country=country)
            expect(all(n.country == country for n in nums), f'{country}: other countries in result')
            expect(count == len(want), f'{country}: count {count}, {len(want)} in the full list')
            expect([n.msisdn for n in nums] == want, f'{country}: not the same numbers')
            checked.append(f'{country}={count}')
        # Lowercase is accepted by the service (the SDK sends what it is given).
        page, count_lc, _ = client.numbers.list_owned_numbers(
            ListOwnedNumbersFilter(country=countries[0].lower()))
        want = sum(1 for n in everything if n.country == countries[0])
        expect(count_lc == want, f'country={countries[0].lower()}: count {count_lc}, expected {want}')
        return ', '.join(checked) + f' (of {len(countries)} countries); lowercase works too'

    step('list owned: country filter', client, by_country)

    def by_pattern() -> str:
        sample = everything[len(everything) // 2].msisdn
        cases = [
            (0, sample[:5], lambda m, p: m.startswith(p), 'starts'),
            (1, sample[4:8], lambda m, p: p in m, 'contains'),
            (2, sample[-3:], lambda m, p: m.endswith(p), 'ends'),
        ]
        out = []
        for mode, pattern, pred, word in cases:
            want = [n.msisdn for n in everything if pred(n.msisdn, pattern)]
            nums, count, _ = list_all(client, pattern=pattern, search_pattern=mode, size=100)
            got = [n.msisdn for n in nums]
            expect(all(pred(m, pattern) for m in got),
                   f'search_pattern={mode} pattern={pattern}: a number that does not match')
            expect(got == want and count == len(want),
                   f'search_pattern={mode} pattern={pattern}: {count} / {got[:5]}..., '
                   f'expected {len(want)} / {want[:5]}...')
            out.append(f'{word} {pattern}: {count}')
        return '; '.join(out)

    step('list owned: pattern + search_pattern 0/1/2', client, by_pattern)

    def by_has_application() -> str:
        # The SDK types has_application as bool and requests sends it as `True` / `False`
        # (Python's spelling; the spec says `true` / `false`): this checks that is understood.
        linked, c_true, _ = list_all(client, has_application=True)
        sent = client.http_client.last_response.request.url
        unlinked, c_false, _ = list_all(client, has_application=False)
        want_true = sum(1 for n in everything if n.app_id)
        expect(all(n.app_id for n in linked), 'has_application=True returned a number with no app_id')
        expect(all(not n.app_id for n in unlinked),
               'has_application=False returned a number with an app_id')
        expect(c_true == want_true and c_false == len(everything) - want_true,
               f'true: {c_true}, false: {c_false}; full list has {want_true} linked '
               f'of {len(everything)}')
        expect(c_true > 0 and c_false > 0, 'the seed should have linked and unlinked numbers')
        q = sent.split('?', 1)[-1]
        return f'linked {c_true} + unlinked {c_false} = {c_true + c_false}; query sent: {q}'

    step('list owned: has_application true/false', client, by_has_application)

    def by_application_id() -> str:
        apps = [n.app_id for n in everything if n.app_id]
        expect(apps, 'no linked number in the seed')
        app = apps[0]
        want = [n.msisdn for n in everything if n.app_id == app]
        nums, count, _ = list_all(client, application_id=app)
        expect([n.msisdn for n in nums] == want and count == len(want),
               f'{count} numbers for {app}, expected {len(want)}')
        return f'application_id={app}: {count} numbers'

    step('list owned: application_id filter', client, by_application_id)

    def combined_filters() -> str:
        # The country with the most unlinked numbers, so that page 2 of size 3 has some.
        unlinked = [n for n in everything if not n.app_id]
        country = max({n.country for n in unlinked},
                      key=lambda c: sum(1 for n in unlinked if n.country == c))
        want = [n.msisdn for n in unlinked if n.country == country]
        expect(len(want) > 3, f'only {len(want)} unlinked numbers in {country}')
        page, count, nxt = client.numbers.list_owned_numbers(ListOwnedNumbersFilter(
            country=country, has_application=False, size=3, index=2))
        expect(count == len(want), f'count {count}, expected {len(want)}')
        expect([n.msisdn for n in page] == want[3:6], f'page 2 of 3: {[n.msisdn for n in page]}')
        expect(nxt == (3 if len(want) > 6 else None), f'next index {nxt}')
        return f'country={country} has_application=false size=3 index=2: {len(page)} of {count}'

    step('list owned: filters combined with size + index', client, combined_filters)

    # --- search ---------------------------------------------------------------------------
    found: list = []

    def search() -> str:
        page, count, nxt = client.numbers.search_available_numbers(SearchAvailableNumbersFilter(
            country='GB', type=NumberType.MOBILE_LVN, features=NumberFeatures.SMS_VOICE, size=5))
        expect(len(page) == 5, f'{len(page)} numbers, asked for 5')
        for n in page:
            expect(n.country == 'GB', f'country {n.country}')
            expect(n.type == 'mobile-lvn', f'type {n.type}')
            expect({'SMS', 'VOICE'} <= set(n.features or []), f'features {n.features}')
            expect(n.cost is not None and float(n.cost) >= 0, f'cost {n.cost!r}')
        expect(count >= len(page), f'count {count}')
        expect(nxt == (2 if count > 5 else None), f'next index {nxt}')
        found.extend(page)
        # initialPrice (setup fee) is in the body, but the SDK's AvailableNumber drops it.
        raw = json.loads(client.http_client.last_response.text)['numbers'][0]
        return (f'{count} GB mobile-lvn SMS,VOICE numbers; first {page[0].msisdn} '
                f'cost {page[0].cost} (initialPrice {raw.get("initialPrice")}, not exposed by the SDK)')

    step('search: country + type + features + size', client, search)

    def search_page_2() -> str:
        f = dict(country='GB', type=NumberType.MOBILE_LVN, features=NumberFeatures.SMS_VOICE, size=5)
        page2, _, _ = client.numbers.search_available_numbers(SearchAvailableNumbersFilter(index=2, **f))
        p1 = {n.msisdn for n in found}
        expect(page2 and not (p1 & {n.msisdn for n in page2}), 'page 2 repeats page 1')
        return f'index=2: {len(page2)} other numbers'

    step('search: index 2 is the next page', client, search_page_2)

    def search_three_features() -> str:
        # The SDK's NumberFeatures.SMS_VOICE_MMS is 'SMS,VOICE,MMS'; the spec's enum spells
        # it 'SMS,MMS,VOICE'. The service (and the sandbox) must take the SDK's order.
        page, count, _ = client.numbers.search_available_numbers(SearchAvailableNumbersFilter(
            country='US', features=NumberFeatures.SMS_VOICE_MMS, size=10))
        sent = client.http_client.last_response.request.url.split('?', 1)[-1]
        for n in page:
            expect({'SMS', 'VOICE', 'MMS'} <= set(n.features or []), f'features {n.features}')
        return f'US SMS,VOICE,MMS: {count} numbers; query sent: {sent}'

    step('search: features SMS,VOICE,MMS (SDK order)', client, search_three_features)

    def search_pattern() -> str:
        want_suffix = found[0].msisdn[-2:] if found else '7'
        page, count, _ = client.numbers.search_available_numbers(SearchAvailableNumbersFilter(
            country='GB', pattern=want_suffix, search_pattern=2, size=20))
        expect(page, 'no match')
        expect(all(n.msisdn.endswith(want_suffix) for n in page), 'a number not ending so')
        return f'GB ending {want_suffix}: {count} numbers'

    step('search: pattern + search_pattern', client, search_pattern)

    def search_empty() -> str:
        page, count, nxt = client.numbers.search_available_numbers(SearchAvailableNumbersFilter(
            country='GB', pattern='999999999', search_pattern=0, size=10))
        body = client.http_client.last_response.text
        expect(page == [] and nxt is None, f'{len(page)} numbers')
        expect(json.loads(body) == {}, f'body {body!r}; the real service answers {{}}')
        return f'no match: body {body}'

    step('search: no match gives {}', client, search_empty)

    # --- buy, update, check, cancel -------------------------------------------------------
    if not found:
        print('FAIL  no search result to buy: buy/update/cancel not checked')
        return summary()
    target = found[0]
    country, msisdn = target.country, target.msisdn
    app_id = str(uuid.uuid4())

    def find_owned(m: str):
        page, count, _ = client.numbers.list_owned_numbers(
            ListOwnedNumbersFilter(pattern=m, search_pattern=0, country=country))
        return [n for n in page if n.msisdn == m], count

    def buy() -> str:
        status = client.numbers.buy_number(NumberParams(country=country, msisdn=msisdn))
        expect(status.error_code == '200', f'error-code {status.error_code!r}')
        mine, _ = find_owned(msisdn)
        expect(len(mine) == 1, f'{msisdn} not in the owned list after buying')
        n = mine[0]
        expect(n.type == target.type and n.features == target.features,
               f'owned as {n.type} {n.features}, was offered as {target.type} {target.features}')
        expect(not n.app_id and not n.mo_http_url, f'a fresh number has a configuration: {n!r}')
        page, _, _ = client.numbers.search_available_numbers(SearchAvailableNumbersFilter(
            country=country, pattern=msisdn, search_pattern=0))
        expect(msisdn not in [a.msisdn for a in page], 'still offered by search after buying')
        _, total, _ = client.numbers.list_owned_numbers(ListOwnedNumbersFilter(size=1))
        expect(total == owned_at_start + 1, f'owned count {total}, expected {owned_at_start + 1}')
        return (f'{country} {msisdn}: {status.error_code} {status.error_code_label}; '
                f'listed as owned, gone from search, count {total}')

    bought = step('buy one of the search results', client, buy)

    def buy_again() -> str:
        try:
            client.numbers.buy_number(NumberParams(country=country, msisdn=msisdn))
        except HttpRequestError as e:
            r = e.response
            expect(r.status_code == 420, f'status {r.status_code}, expected 420')
            body = r.json()
            expect(body.get('error-code') == '420', f'body {body}')
            return f'{r.status_code} {body} -> SDK {type(e).__name__}'
        raise CheckFailed('buying a number already owned succeeded')

    if bought:
        step('buy the same number again fails (420)', client, buy_again)

    def update() -> str:
        status = client.numbers.update_number(UpdateNumberParams(
            country=country, msisdn=msisdn, app_id=app_id, mo_http_url=MO_HTTP_URL,
            voice_callback_type=VoiceCallbackType.SIP, voice_callback_value=SIP_URI,
            voice_status_callback=VOICE_STATUS_URL))
        body = client.http_client.last_response.request.body
        expect(status.error_code == '200', f'error-code {status.error_code!r}')
        return f'{status.error_code} {status.error_code_label}; form sent: {body}'

    updated = bought and step('update webhooks (app_id, moHttpUrl, voice sip)', client, update)

    def update_visible() -> str:
        mine, _ = find_owned(msisdn)
        expect(len(mine) == 1, f'{msisdn} not listed')
        n = mine[0]
        got = dict(app_id=n.app_id, mo_http_url=n.mo_http_url,
                   voice_callback_type=n.voice_callback_type,
                   voice_callback_value=n.voice_callback_value)
        want = dict(app_id=app_id, mo_http_url=MO_HTTP_URL, voice_callback_type='sip',
                    voice_callback_value=SIP_URI)
        expect(got == want, f'listed {got}, expected {want}')
        nums, count, _ = list_all(client, application_id=app_id)
        expect([x.msisdn for x in nums] == [msisdn], f'application_id filter gives {count}')
        linked, _, _ = list_all(client, has_application=True, country=country)
        expect(msisdn in [x.msisdn for x in linked], 'not in has_application=true')
        return f'listed with {got}; found by application_id and has_application=true'

    if updated:
        step('update visible in the owned list', client, update_visible)

    def update_replaces() -> str:
        # Replace semantics: what is not sent is cleared (the SDK leaves out None fields).
        status = client.numbers.update_number(UpdateNumberParams(
            country=country, msisdn=msisdn, mo_http_url=MO_HTTP_URL))
        expect(status.error_code == '200', f'error-code {status.error_code!r}')
        mine, _ = find_owned(msisdn)
        n = mine[0]
        expect(n.mo_http_url == MO_HTTP_URL, f'moHttpUrl {n.mo_http_url!r}')
        expect(not n.app_id and not n.voice_callback_type and not n.voice_callback_value,
               f'fields not sent were kept: app_id={n.app_id} voice={n.voice_callback_type} '
               f'{n.voice_callback_value}')
        return 'an update with moHttpUrl only cleared app_id and the voice callback'

    if updated:
        step('update replaces the whole configuration', client, update_replaces)

    def cancel() -> str:
        status = client.numbers.cancel_number(NumberParams(country=country, msisdn=msisdn))
        expect(status.error_code == '200', f'error-code {status.error_code!r}')
        mine, count = find_owned(msisdn)
        expect(mine == [], f'{msisdn} still owned after cancel')
        page, _, _ = client.numbers.search_available_numbers(SearchAvailableNumbersFilter(
            country=country, pattern=msisdn, search_pattern=0))
        expect(msisdn in [a.msisdn for a in page], 'not offered by search again after cancel')
        _, total, _ = client.numbers.list_owned_numbers(ListOwnedNumbersFilter(size=1))
        expect(total == owned_at_start, f'owned count {total}, expected {owned_at_start}')
        return (f'{status.error_code} {status.error_code_label}; gone from the owned list, '
                f'offered by search again, count {total}')

    if bought:
        step('cancel the number', client, cancel)

    def cancel_again() -> str:
        try:
            client.numbers.cancel_number(NumberParams(country=country, msisdn=msisdn))
        except HttpRequestError as e:
            r = e.response
            expect(r.status_code == 420, f'status {r.status_code}, expected 420')
            return f'{r.status_code} {r.text} -> SDK {type(e).__name__}'
        raise CheckFailed('cancelling a number not owned succeeded')

    if bought:
        step('cancel a number not owned fails (420)', client, cancel_again)

    def buy_needs_address() -> str:
        page, _, _ = client.numbers.search_available_numbers(
            SearchAvailableNumbersFilter(country='IT', size=1))
        expect(page, 'no IT number to try')
        try:
            client.numbers.buy_number(NumberParams(country='IT', msisdn=page[0].msisdn))
        except HttpRequestError as e:
            r = e.response
            expect(r.status_code == 420, f'status {r.status_code}')
            label = r.json().get('error-code-label', '')
            expect('address' in label, f'label {label!r}')
            return f'IT {page[0].msisdn}: {r.status_code} "{label[:70]}..."'
        raise CheckFailed('an IT number was bought without an address')

    step('buy an IT number fails with the address label', client, buy_needs_address)

    # --- authentication -------------------------------------------------------------------
    wrong = make_client(host, key, secret + '-wrong')

    def wrong_secret() -> str:
        try:
            wrong.numbers.list_owned_numbers(ListOwnedNumbersFilter(size=1))
        except AuthenticationError as e:
            body = e.response.json()
            expect(body.get('error-code') == '401', f'body {body}')
            try:
                wrong.numbers.buy_number(NumberParams(country=country, msisdn=msisdn))
            except AuthenticationError:
                pass
            else:
                raise CheckFailed('buy with a wrong secret succeeded')
            return f'{e.response.status_code} {body} -> SDK AuthenticationError (list and buy)'
        raise CheckFailed('a wrong secret was accepted')

    step('wrong secret fails with AuthenticationError', wrong, wrong_secret)

    applications_and_account(client)
    return summary()


def applications_and_account(client: Vonage) -> None:
    """The SDK's Applications and Account clients against the same sandbox."""
    from vonage_application import ApplicationConfig, ListApplicationsFilter

    apps: list = []

    def list_apps() -> str:
        page, nxt = client.application.list_applications(ListApplicationsFilter(page_size=2, page=1))
        apps.extend(page)
        pages = 1
        while nxt is not None:
            page, nxt = client.application.list_applications(ListApplicationsFilter(page_size=2, page=nxt))
            apps.extend(page)
            pages += 1
            expect(pages < 100, 'the SDK kept announcing a next page')
        names = [a.name for a in apps]
        expect(len(apps) >= 5, f'{len(apps)} applications')
        expect(len(set(a.id for a in apps)) == len(apps), 'an application listed twice')
        expect(any(names.count(n) == 2 for n in names), f'no two share a name: {names}')
        owned, _, _ = list_all(client)
        linked = {n.app_id for n in owned if n.app_id}
        expect(linked <= {a.id for a in apps}, f'numbers link to unknown apps: {linked}')
        return f'{len(apps)} applications over {pages} pages of 2; names {names}'

    if not step('applications: every page', client, list_apps):
        return
    full = next(a for a in apps if a.capabilities and a.capabilities.voice and a.capabilities.messages)

    def get_app() -> str:
        a = client.application.get_application(full.id)
        expect(a.id == full.id and a.name == full.name, f'got {a.id} {a.name}')
        expect(a.keys is not None and a.keys.public_key, 'no public key')
        return f'{a.id} {a.name!r}: voice answer {a.capabilities.voice.webhooks.answer_url.address}'

    step('applications: get one', client, get_app)

    def unknown_app() -> str:
        try:
            client.application.get_application(str(uuid.uuid4()))
        except HttpRequestError as e:
            expect(e.response.status_code == 404, f'HTTP {e.response.status_code}')
            return f'404 {e.response.json().get("title")}'
        raise CheckFailed('an unknown id was found')

    step('applications: an unknown id is 404', client, unknown_app)

    def update_app() -> str:
        current = client.application.get_application(full.id)
        caps = current.capabilities
        caps.messages.webhooks.inbound_url.address = 'https://example.com/sdk/inbound'
        updated = client.application.update_application(
            full.id, ApplicationConfig(name=current.name, capabilities=caps, privacy=current.privacy))
        again = client.application.get_application(full.id)
        expect(again.capabilities.messages.webhooks.inbound_url.address == 'https://example.com/sdk/inbound',
               'the inbound URL did not change')
        expect(again.capabilities.voice.webhooks.answer_url.address
               == current.capabilities.voice.webhooks.answer_url.address, 'voice changed')
        expect(again.keys is not None and again.keys.public_key == current.keys.public_key,
               'the public key was lost')
        return f'{updated.id}: inbound -> {again.capabilities.messages.webhooks.inbound_url.address}, the rest kept'

    step('applications: update (replace) keeps what was sent back', client, update_app)

    def balance() -> str:
        b = client.account.get_balance()
        expect(b.value >= 0, f'value {b.value}')
        expect(b.auto_reload is False, f'autoReload {b.auto_reload}')
        # (That a buy charges its setup fee is checked by tests/apps.rs: the number bought
        # above may have none.)
        return f'EUR {b.value} (autoReload {b.auto_reload})'

    step('account: balance', client, balance)


def summary() -> int:
    failed = [name for name, ok in results if not ok]
    print(f'\n{len(results) - len(failed)} passed, {len(failed)} failed')
    for name in failed:
        print(f'  failed: {name}')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
