"""The staff console (工作台): server-rendered pages in Simplified Chinese for the people who do the work.

A client of the public API on behalf of the signed-in person (CONSOLE.md): it signs in through the gateway's token
endpoint, keeps that person's tokens in a server-side session (the cookie holds only a random session id), and calls
the same `/api/v1/...` endpoints any client calls. It holds no business rule and reads no service's database.
"""
