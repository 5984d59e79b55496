"""How a process connects to Kafka and PostgreSQL: the client options every connection is made with, from settings.

Every aiokafka client the code creates (the outbox relay's producer, the consumers, the readiness probe's admin client,
the devstack's topic creation) takes `kafka_client_options`; every SQLAlchemy engine and raw asyncpg connection takes
`database_connect_args`. So a deployment that turns on SASL or TLS gets it on every connection, not on most of them.
"""

from __future__ import annotations

import ssl
from typing import Any

from libs.kernel.settings import BaseServiceSettings, DatabaseSslMode, KafkaSecurityProtocol

_KAFKA_TLS = (KafkaSecurityProtocol.SSL, KafkaSecurityProtocol.SASL_SSL)
_KAFKA_SASL = (KafkaSecurityProtocol.SASL_PLAINTEXT, KafkaSecurityProtocol.SASL_SSL)


def kafka_client_options(settings: BaseServiceSettings) -> dict[str, Any]:
    """Keyword arguments for AIOKafkaProducer, AIOKafkaConsumer and AIOKafkaAdminClient alike."""
    protocol = settings.kafka_security_protocol
    options: dict[str, Any] = {
        "bootstrap_servers": settings.kafka_bootstrap_servers,
        "security_protocol": protocol.value,
    }
    if protocol in _KAFKA_TLS:
        options["ssl_context"] = kafka_ssl_context(settings)
    if protocol in _KAFKA_SASL:
        # The settings refuse a SASL protocol without all three (BaseServiceSettings._connections_are_complete).
        assert settings.kafka_sasl_mechanism is not None
        assert settings.kafka_sasl_password is not None
        options["sasl_mechanism"] = settings.kafka_sasl_mechanism.value
        # aiokafka calls them "plain" for every mechanism, SCRAM included.
        options["sasl_plain_username"] = settings.kafka_sasl_username
        options["sasl_plain_password"] = settings.kafka_sasl_password.get_secret_value()
    return options


def kafka_ssl_context(settings: BaseServiceSettings) -> ssl.SSLContext:
    """Brokers' certificates checked (against `kafka_ssl_cafile`, else the system's CAs) and their host names too; a
    client certificate when one is configured."""
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=settings.kafka_ssl_cafile)
    if settings.kafka_ssl_certfile:
        password = settings.kafka_ssl_key_password
        context.load_cert_chain(
            settings.kafka_ssl_certfile,
            settings.kafka_ssl_keyfile,
            password=password.get_secret_value() if password is not None else None,
        )
    return context


def database_ssl(settings: BaseServiceSettings) -> ssl.SSLContext | bool | None:
    """asyncpg's `ssl` argument for `database_ssl_mode`; None leaves it to the URL or asyncpg's default."""
    mode = settings.database_ssl_mode
    if mode is None:
        return None
    if mode is DatabaseSslMode.disable:
        return False
    if mode is DatabaseSslMode.require:
        # Encrypted, but the server is not checked: what libpq's `require` means.
        context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=settings.database_ssl_root_cert)
    # verify-ca: the chain is checked, not the name (a server reached by an address its certificate does not name).
    context.check_hostname = mode is DatabaseSslMode.verify_full
    return context


def database_connect_args(settings: BaseServiceSettings) -> dict[str, Any]:
    """Extra keyword arguments of `asyncpg.connect`, and so of SQLAlchemy's `connect_args`."""
    ssl_argument = database_ssl(settings)
    return {} if ssl_argument is None else {"ssl": ssl_argument}
