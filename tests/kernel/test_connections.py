"""Production connections: SASL and TLS towards Kafka, TLS towards PostgreSQL, applied to every client the code makes.

The client options are checked as built from settings; that they reach the real clients is checked against the test
stack, whose broker and database speak neither SASL nor TLS: asking for TLS there must fail, and the defaults work.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import ssl
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from aiokafka import AIOKafkaProducer
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pydantic import ValidationError
from sqlalchemy import text

from libs.devstack.stack import DevStack
from libs.kernel.connections import database_connect_args, kafka_client_options
from libs.kernel.db import Database
from libs.kernel.service import BrokerProbe
from libs.kernel.settings import ServiceSettings
from services.intake.definition import DEFINITION as INTAKE


def settings(**values: Any) -> ServiceSettings:
    """Intake's settings from the environment (the test stack's once it runs) with `values` over them."""
    secrets = {"internal_token_secret": "i" * 32, "pii_key": "p" * 32}
    return INTAKE.settings_cls(**{**secrets, **values})


def certificate(directory: Path, name: str) -> tuple[Path, Path]:
    """A self-signed certificate (also usable as its own CA) and its private key, as PEM files."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / f"{name}.crt", directory / f"{name}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


def test_the_default_is_a_plain_connection_to_the_bootstrap_servers() -> None:
    options = kafka_client_options(settings(kafka_bootstrap_servers="kafka-1:9092,kafka-2:9092"))
    assert options == {"bootstrap_servers": "kafka-1:9092,kafka-2:9092", "security_protocol": "PLAINTEXT"}
    assert database_connect_args(settings()) == {}


@pytest.mark.parametrize("mechanism", ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"])
def test_sasl_over_tls_gives_every_client_the_mechanism_the_credentials_and_a_verifying_context(
    tmp_path: Path, mechanism: str
) -> None:
    ca, _ = certificate(tmp_path, "kafka-ca")
    options = kafka_client_options(
        settings(
            kafka_security_protocol="SASL_SSL",
            kafka_sasl_mechanism=mechanism,
            kafka_sasl_username="jiuzhu-intake",
            kafka_sasl_password="a-long-kafka-password",
            kafka_ssl_cafile=str(ca),
        )
    )
    context = options.pop("ssl_context")
    assert options == {
        "bootstrap_servers": settings().kafka_bootstrap_servers,
        "security_protocol": "SASL_SSL",
        "sasl_mechanism": mechanism,
        "sasl_plain_username": "jiuzhu-intake",
        "sasl_plain_password": "a-long-kafka-password",
    }
    assert isinstance(context, ssl.SSLContext)
    assert (context.verify_mode, context.check_hostname) == (ssl.CERT_REQUIRED, True)
    assert [c["subject"] for c in context.get_ca_certs()] == [((("commonName", "kafka-ca"),),)]


def test_mutual_tls_loads_the_client_certificate(tmp_path: Path) -> None:
    ca, _ = certificate(tmp_path, "kafka-ca")
    client_cert, client_key = certificate(tmp_path, "jiuzhu-client")
    options = kafka_client_options(
        settings(
            kafka_security_protocol="SSL",
            kafka_ssl_cafile=str(ca),
            kafka_ssl_certfile=str(client_cert),
            kafka_ssl_keyfile=str(client_key),
        )
    )
    assert options["security_protocol"] == "SSL"
    assert "sasl_mechanism" not in options
    assert options["ssl_context"].verify_mode is ssl.CERT_REQUIRED
    # A key that does not belong to the certificate is refused when the context is built, not at the first connect.
    _, other_key = certificate(tmp_path, "other")
    with pytest.raises(ssl.SSLError):
        kafka_client_options(
            settings(
                kafka_security_protocol="SSL", kafka_ssl_certfile=str(client_cert), kafka_ssl_keyfile=str(other_key)
            )
        )


@pytest.mark.parametrize(
    ("values", "complaint"),
    [
        ({"kafka_security_protocol": "SASL_SSL"}, "needs kafka_sasl_mechanism"),
        ({"kafka_security_protocol": "SASL_PLAINTEXT", "kafka_sasl_mechanism": "PLAIN", "kafka_sasl_username": "u"},
         "needs kafka_sasl_mechanism"),
        ({"kafka_sasl_mechanism": "SCRAM-SHA-256", "kafka_sasl_username": "u", "kafka_sasl_password": "p"},
         "need kafka_security_protocol SASL"),
        ({"kafka_security_protocol": "SASL_SSL", "kafka_sasl_mechanism": "GSSAPI", "kafka_sasl_username": "u",
          "kafka_sasl_password": "p"}, "kafka_sasl_mechanism"),
        ({"kafka_ssl_cafile": "/etc/ssl/kafka-ca.pem"}, "need kafka_security_protocol SSL or SASL_SSL"),
        ({"kafka_security_protocol": "SSL", "kafka_ssl_keyfile": "/k.pem"}, "needs kafka_ssl_certfile"),
        ({"database_ssl_mode": "require", "database_ssl_root_cert": "/ca.pem"}, "verify-ca or verify-full"),
        ({"database_ssl_mode": "prefer"}, "database_ssl_mode"),
        ({"metrics_token": "short"}, "metrics_token"),
    ],
)  # fmt: skip
def test_incomplete_or_contradictory_connection_settings_are_refused(values: dict[str, str], complaint: str) -> None:
    with pytest.raises(ValidationError, match=complaint):
        settings(**values)


def test_unused_connection_settings_may_be_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    """An env file or ConfigMap lists them with empty values where a deployment does not use them."""
    for name in ("KAFKA_SASL_MECHANISM", "KAFKA_SASL_USERNAME", "KAFKA_SASL_PASSWORD", "KAFKA_SSL_CAFILE",
                 "DATABASE_SSL_MODE", "DATABASE_SSL_ROOT_CERT", "METRICS_TOKEN"):  # fmt: skip
        monkeypatch.setenv(f"JIUZHU_{name}", "")
    loaded = settings()
    assert loaded.kafka_sasl_mechanism is None
    assert loaded.database_ssl_mode is None
    assert loaded.metrics_token is None


def test_database_tls_modes_build_what_libpq_means(tmp_path: Path) -> None:
    ca, _ = certificate(tmp_path, "postgres-ca")
    assert database_connect_args(settings(database_ssl_mode="disable")) == {"ssl": False}
    require = database_connect_args(settings(database_ssl_mode="require"))["ssl"]
    assert (require.verify_mode, require.check_hostname) == (ssl.CERT_NONE, False)
    verify_ca = database_connect_args(settings(database_ssl_mode="verify-ca", database_ssl_root_cert=str(ca)))["ssl"]
    assert (verify_ca.verify_mode, verify_ca.check_hostname) == (ssl.CERT_REQUIRED, False)
    assert [c["subject"] for c in verify_ca.get_ca_certs()] == [((("commonName", "postgres-ca"),),)]
    full = database_connect_args(settings(database_ssl_mode="verify-full", database_ssl_root_cert=str(ca)))["ssl"]
    assert (full.verify_mode, full.check_hostname) == (ssl.CERT_REQUIRED, True)


async def test_the_engines_and_raw_connections_use_the_database_tls_setting(stack: DevStack) -> None:
    """The test database speaks no TLS: with `disable` both kinds of connection work, with `require` both refuse."""
    plain, tls = settings(database_ssl_mode="disable"), settings(database_ssl_mode="require")
    db = Database(plain, "intake")
    try:
        await db.ping()
    finally:
        await db.dispose()
    conn = await asyncpg.connect(plain.plain_database_url, **database_connect_args(plain))
    await conn.close()

    db = Database(tls, "intake")
    try:
        with pytest.raises(ConnectionError, match="rejected SSL upgrade"):
            await db.ping()
    finally:
        await db.dispose()
    with pytest.raises(ConnectionError, match="rejected SSL upgrade"):
        await asyncpg.connect(tls.plain_database_url, **database_connect_args(tls))


async def test_a_pooled_connection_the_server_closed_is_replaced_without_a_failed_request(stack: DevStack) -> None:
    """No pre-ping round trip on checkout: a connection the server has closed (a restart, a terminated backend) is
    noticed in the pool and replaced, so the next session works."""
    db = Database(settings(), "intake")
    try:
        async with db.sessions() as session:
            pid = (await session.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        killer = await asyncpg.connect(settings().plain_database_url, **database_connect_args(settings()))
        try:
            assert await killer.fetchval("SELECT pg_terminate_backend($1)", pid)
        finally:
            await killer.close()
        for _ in range(50):  # the pooled connection learns of the close from its socket
            await asyncio.sleep(0.02)
        async with db.sessions() as session:
            assert (await session.execute(text("SELECT pg_backend_pid()"))).scalar_one() != pid
    finally:
        await db.dispose()


async def test_a_burst_keeps_its_connections_and_never_exceeds_twice_the_pool_size(stack: DevStack) -> None:
    """A process opens up to 2 x DB_POOL_SIZE connections as load needs them and keeps them: the next burst finds the
    same server backends (none started again, no statement prepared again), and a session past the limit waits for
    one to come back rather than opening another."""
    db = Database(settings(db_pool_size=2), "intake")
    release = asyncio.Event()

    async def hold(started: list[int]) -> int:
        async with db.sessions() as session:
            pid = int((await session.execute(text("SELECT pg_backend_pid()"))).scalar_one())
            started.append(pid)
            await release.wait()
            return pid

    async def burst() -> set[int]:
        release.clear()
        started: list[int] = []
        holders = [asyncio.create_task(hold(started)) for _ in range(5)]
        for _ in range(200):  # four hold a connection; the fifth waits for one
            if len(started) == 4:
                break
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.1)
        assert len(started) == 4
        release.set()
        return set(await asyncio.gather(*holders))

    try:
        first = await burst()
        assert len(first) == 4
        assert await burst() == first
    finally:
        await db.dispose()


async def test_the_broker_clients_use_the_kafka_security_setting(stack: DevStack, tmp_path: Path) -> None:
    """The test broker speaks plain Kafka: the readiness probe and a producer built from the default options reach it;
    built from TLS options they cannot."""
    plain = kafka_client_options(settings())
    probe = BrokerProbe(plain)
    try:
        await probe()
    finally:
        await probe.close()

    ca, _ = certificate(tmp_path, "kafka-ca")
    tls = kafka_client_options(settings(kafka_security_protocol="SSL", kafka_ssl_cafile=str(ca)))
    probe = BrokerProbe(tls)
    try:
        with pytest.raises(Exception):  # noqa: B017, PT011 - a TLS handshake with a plain broker fails somehow
            await probe()
    finally:
        await probe.close()
    producer = AIOKafkaProducer(**tls, request_timeout_ms=2000)
    try:
        with pytest.raises(Exception):  # noqa: B017, PT011
            await producer.start()
    finally:
        await producer.stop()
