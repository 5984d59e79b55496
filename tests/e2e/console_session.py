"""Using the console over plain HTTP as a browser does: a cookie-keeping client on the gateway (no bearer token: the
console signs people in), the forms' CSRF token, signing in."""

from __future__ import annotations

import re

import httpx

from tests.e2e.system import Actor

CONSOLE = "/console"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf(page: httpx.Response) -> str:
    """The CSRF token a page's forms carry."""
    found = _CSRF.search(page.text)
    assert found is not None, "the page has no CSRF field"
    return found.group(1)


async def sign_in(
    browser: httpx.AsyncClient, username: str, password: str, next_page: str = f"{CONSOLE}/"
) -> httpx.Response:
    """The sign-in form filled and sent; the answer as it came (a 303 to the page wanted, or the form again)."""
    form = await browser.get(f"{CONSOLE}/login", params={"next": next_page})
    fields = {"username": username, "password": password, "csrf_token": csrf(form), "next": next_page}
    return await browser.post(f"{CONSOLE}/login", data=fields)


async def signed_in(browser: httpx.AsyncClient, actor: Actor) -> None:
    """`actor` (a staff user the test created) signed in to the console on `browser`."""
    assert actor.username is not None
    assert actor.password is not None
    answer = await sign_in(browser, actor.username, actor.password)
    assert answer.status_code == 303, answer.text
