"""The API gateway: OAuth 2.0 tokens for staff and partners, routing to the five services, access audit.

Run `python -m gateway migrate`, `python -m gateway ensure-admin` (JIUZHU_ADMIN_PASSWORD), then
`python -m gateway serve`; settings in gateway/config.py (GATEWAY_<NAME>, JIUZHU_GATEWAY_<NAME>, JIUZHU_<NAME>, <NAME>).
"""
