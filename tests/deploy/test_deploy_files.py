"""The deployment files agree with the code: names, commands, variables, ports and topics (no Docker, no network).

What the processes read is derived from the settings classes themselves (their own environment sources and
prefixes), so a renamed field or prefix fails here rather than in a province's first deployment. PyYAML is not a
project dependency: where it is importable the YAML files are also parsed; every other check reads the text.
"""

from __future__ import annotations

import importlib
import re
from functools import cache
from pathlib import Path

import pytest
from pydantic_settings import (
    BaseSettings,
    DotEnvSettingsSource,
    EnvSettingsSource,
    InitSettingsSource,
    SecretsSettingsSource,
)

from console.config import ConsoleSettings
from gateway.config import GatewaySettings
from libs.contracts.events.catalogue import TOPICS

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
COMPOSE = ROOT / "docker-compose.yml"
SERVICES = ("intake", "casework", "matching", "complaints", "disbursement")
# Fields a production process must be given (the rest have safe defaults); `role` is checked with the commands.
SERVICE_FIELDS = ("database_url", "kafka_bootstrap_servers", "internal_token_secret", "pii_key", "environment", "port")
GATEWAY_FIELDS = ("database_url", "internal_token_secret", "pii_key", "environment", "port", "jwt_secret")
UPSTREAM_FIELDS = tuple(f"{name}_url" for name in SERVICES)


def required_fields(service: str) -> tuple[str, ...]:
    return GATEWAY_FIELDS + UPSTREAM_FIELDS + ("admin_password",) if service == "gateway" else SERVICE_FIELDS


def settings_class(service: str) -> type[BaseSettings]:
    if service == "gateway":
        return GatewaySettings
    definition = importlib.import_module(f"services.{service}.definition").DEFINITION
    cls: type[BaseSettings] = definition.settings_cls
    return cls


def env_names(cls: type[BaseSettings], field: str) -> set[str]:
    """Every variable name `cls` reads `field` from, in the order of its own sources."""
    sources = cls.settings_customise_sources(
        cls, InitSettingsSource(cls, {}), EnvSettingsSource(cls), DotEnvSettingsSource(cls), SecretsSettingsSource(cls)
    )
    return {f"{s.env_prefix}{field}".upper() for s in sources if isinstance(s, EnvSettingsSource)}


def readable_names(cls: type[BaseSettings]) -> set[str]:
    return {name for field in cls.model_fields for name in env_names(cls, field)}


def default_port(service: str) -> int:
    port = settings_class(service).model_fields["port"].default
    assert isinstance(port, int)
    return port


@cache
def text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def env_file(name: str) -> dict[str, str]:
    """`deploy/env/<name>.env.example` as a mapping (comments and blank lines skipped)."""
    pairs = {}
    for line in text(DEPLOY / "env" / f"{name}.env.example").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, sep, value = line.partition("=")
            assert sep, f"{name}.env.example: not KEY=VALUE: {line!r}"
            pairs[key.strip()] = value.strip()
    return pairs


# --- docker-compose.yml, read as text: top-level blocks, service blocks, `<<: *anchor` merges followed by hand.


def blocks(source: str, indent: int) -> dict[str, str]:
    """The mapping entries at `indent` spaces: key → its text (header line included)."""
    found: dict[str, str] = {}
    key: str | None = None
    pattern = re.compile(rf"^ {{{indent}}}([A-Za-z0-9_.-]+):")
    for line in source.splitlines():
        match = pattern.match(line)
        if match:
            key = match.group(1)
            found[key] = line + "\n"
        elif key is not None and (not line.strip() or line.startswith(" " * (indent + 1)) or line.lstrip()[:1] == "#"):
            found[key] += line + "\n"
        else:
            key = None
    return found


def compose_anchors() -> dict[str, str]:
    anchors = {}
    for block in blocks(text(COMPOSE), 0).values():
        match = re.match(r"^[\w-]+: &([\w-]+)", block)
        if match:
            anchors[match.group(1)] = block
    return anchors


def compose_service(name: str) -> str:
    """A compose service's text with the anchors it merges (`<<: *a` / `<<: [*a, *b]`) appended, recursively."""
    services = blocks(blocks(text(COMPOSE), 0)["services"], 2)
    assert name in services, f"docker-compose.yml has no service {name}"
    anchors = compose_anchors()

    def expand(block: str) -> str:
        merged = [
            expand(anchors[ref]) for line in re.findall(r"<<: (.+)", block) for ref in re.findall(r"\*([\w-]+)", line)
        ]
        return block + "".join(merged)

    return expand(services[name])


def command(*argv: str) -> str:
    return "command: [" + ", ".join(f'"{a}"' for a in argv) + "]"


# --- Kubernetes manifests, read as text: documents and the upper-case keys of their data.


def documents(path: Path) -> list[str]:
    return [doc for doc in re.split(r"(?m)^---\s*$", text(path)) if re.search(r"(?m)^kind:", doc)]


def kinds(path: Path) -> list[str]:
    return [re.search(r"(?m)^kind: (\w+)", doc).group(1) for doc in documents(path)]  # type: ignore[union-attr]


def named(path: Path, kind: str, name: str) -> str:
    for doc in documents(path):
        if re.search(rf"(?m)^kind: {kind}$", doc) and re.search(rf"(?m)^  name: {re.escape(name)}(?:\s|$)", doc):
            return doc
    raise AssertionError(f"{path.name}: no {kind} named {name}")


def data_keys(doc: str) -> dict[str, str]:
    return dict(re.findall(r"(?m)^  ([A-Z][A-Z0-9_]*): \"?([^\"\n]*?)\"?\s*$", doc))


def k8s_env(service: str) -> dict[str, str]:
    """What the pods of `service` get through envFrom: the ConfigMap, the common Secret and the service's own."""
    secrets = K8S / "secrets.yaml.example"
    provided = data_keys(named(K8S / "config.yaml", "ConfigMap", "jiuzhu-config"))
    provided |= data_keys(named(secrets, "Secret", "jiuzhu-common"))
    provided |= data_keys(named(secrets, "Secret", f"jiuzhu-{service}"))
    if service == "gateway":
        provided |= data_keys(named(secrets, "Secret", "jiuzhu-admin"))
    return provided


def block_scalar(doc: str, key: str) -> str:
    match = re.search(rf"(?m)^  {re.escape(key)}: \|\n((?:    .*\n|\n)+)", doc)
    assert match, f"no block `{key}: |`"
    return "".join(line[4:] + "\n" for line in match.group(1).rstrip("\n").split("\n"))


YAML_FILES = [COMPOSE, *sorted(K8S.glob("*.yaml")), K8S / "secrets.yaml.example"]
ALL_SERVICES = (*SERVICES, "gateway")


def test_every_yaml_file_parses() -> None:
    yaml = pytest.importorskip(
        "yaml", reason="PyYAML is not installed (not a project dependency): YAML syntax is not checked, the rest is"
    )
    for path in YAML_FILES:
        loaded = [doc for doc in yaml.safe_load_all(text(path)) if doc is not None]
        assert loaded, path
        if path.parent == K8S and path.name != "kustomization.yaml":
            assert all({"apiVersion", "kind", "metadata"} <= doc.keys() for doc in loaded), path


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: p.name)
def test_yaml_files_are_plain_text_yaml(path: Path) -> None:
    assert "\t" not in text(path), f"{path.name}: YAML must not be indented with tabs"
    if path.parent == K8S and path.name != "kustomization.yaml":
        for doc in documents(path):
            assert re.search(r"(?m)^apiVersion: \S+", doc), doc[:200]
            assert re.search(r"(?m)^metadata:", doc), doc[:200]
            assert re.search(r"(?m)^  namespace: jiuzhu$", doc) or "kind: Namespace" in doc, doc[:200]


def test_compose_runs_every_process() -> None:
    expected = {"postgres", "kafka", "kafka-topics", "gateway-migrate", "gateway-admin", "gateway", "console"}
    expected |= {f"{s}-{p}" for s in SERVICES for p in ("migrate", "api", "worker")}
    assert set(blocks(blocks(text(COMPOSE), 0)["services"], 2)) == expected


@pytest.mark.parametrize("service", SERVICES)
def test_compose_service_commands_order_and_image(service: str) -> None:
    module = f"services.{service}"
    migrate, api, worker = (compose_service(f"{service}-{p}") for p in ("migrate", "api", "worker"))
    assert command("python", "-m", module, "migrate") in migrate
    assert "postgres:\n        condition: service_healthy" in migrate
    assert command("python", "-m", module, "serve", "--role", "api") in api
    assert command("python", "-m", module, "serve", "--role", "worker") in worker
    for block in (api, worker):
        assert f"{service}-migrate:\n      condition: service_completed_successfully" in block
        assert "kafka:\n      condition: service_healthy" in block
        assert "healthcheck:" in block
        assert "restart: unless-stopped" in block
    for block in (migrate, api, worker):
        assert f"SERVICE: {service}" in block
        assert "dockerfile: deploy/Dockerfile" in block
        assert f"env_file: *{service}-env" in block


def test_compose_gateway_waits_for_every_api_and_publishes_its_port() -> None:
    gateway = compose_service("gateway")
    assert command("python", "-m", "gateway", "serve") in gateway
    assert command("python", "-m", "gateway", "migrate") in compose_service("gateway-migrate")
    assert command("python", "-m", "gateway", "ensure-admin") in compose_service("gateway-admin")
    for service in SERVICES:
        assert f"{service}-api:\n        condition: service_healthy" in gateway
    assert f'"{default_port("gateway")}:{default_port("gateway")}"' in gateway
    assert "healthcheck:" in gateway
    assert "env_file: *gateway-env" in gateway


def test_compose_infrastructure_has_health_checks_and_volumes() -> None:
    assert "pg_isready" in compose_service("postgres")
    assert "postgres-data:/var/lib/postgresql" in text(COMPOSE)
    assert "deploy/postgres/init.sh:/docker-entrypoint-initdb.d/" in compose_service("postgres")
    kafka = compose_service("kafka")
    assert "image: &kafka-image apache/kafka:" in kafka
    assert "healthcheck:" in kafka
    assert "KAFKA_PROCESS_ROLES: broker,controller" in kafka  # KRaft, no ZooKeeper
    topics = compose_service("kafka-topics")
    assert "create-topics.sh" in topics
    assert "kafka:\n        condition: service_healthy" in topics


@pytest.mark.parametrize("service", ALL_SERVICES)
def test_compose_env_files_provide_what_the_code_needs(service: str) -> None:
    anchor = compose_anchors()[f"{service}-env"]
    for name in ("common", service):
        assert f"path: deploy/env/{name}.env.example" in anchor
        assert f"path: deploy/env/{name}.env\n    required: false" in anchor
    provided = env_file("common") | env_file(service)
    cls = settings_class(service)
    for field in required_fields(service):
        assert env_names(cls, field) & provided.keys(), f"{service}: none of {sorted(env_names(cls, field))} is set"
    port = next(provided[n] for n in env_names(cls, "port") if n in provided)
    assert int(port) == default_port(service)
    host = next(provided[n] for n in env_names(cls, "host") if n in provided)
    assert host == "0.0.0.0", "the settings default to 127.0.0.1, unreachable from outside a container"
    assert next(provided[n] for n in env_names(cls, "environment") if n in provided) == "production"


@pytest.mark.parametrize("service", ALL_SERVICES)
def test_env_examples_name_only_variables_the_code_reads(service: str) -> None:
    """A misspelt name would be ignored silently (the settings ignore unknown variables)."""
    readers = [settings_class(s) for s in ALL_SERVICES]
    for name in env_file("common"):
        assert all(name in readable_names(cls) for cls in readers), f"common.env.example: {name} is read by nobody"
    for name in env_file(service):
        assert name in readable_names(settings_class(service)), f"{service}.env.example: {name} is not read"


def test_postgres_passwords_match_the_roles_in_the_database_urls() -> None:
    passwords = env_file("postgres")
    init_sh, init_sql = text(DEPLOY / "postgres" / "init.sh"), text(DEPLOY / "postgres" / "init.sql")
    for service in ALL_SERVICES:
        assert f"{service.upper()}_DB_PASSWORD" in passwords
        assert f'{service}_password="${{{service.upper()}_DB_PASSWORD:?' in init_sh
        assert f"ALTER ROLE {service} WITH LOGIN PASSWORD :'{service}_password';" in init_sql
        assert f"CREATE SCHEMA IF NOT EXISTS {service} AUTHORIZATION {service};" in init_sql
        url = env_file(service)[f"{service.upper()}_DATABASE_URL"]
        assert url.startswith(f"postgresql://{service}:")
        assert url.endswith(f"@postgres:5432/{passwords['POSTGRES_DB']}")


def test_gateway_upstreams_point_at_the_api_services_and_their_ports() -> None:
    """Compose services and Kubernetes Services are both named `<service>-api`."""
    for provided in (env_file("gateway"), k8s_env("gateway")):
        for service in SERVICES:
            name = f"GATEWAY_{service.upper()}_URL"
            assert provided[name] == f"http://{service}-api:{default_port(service)}", name


@pytest.mark.parametrize("service", SERVICES)
def test_k8s_service_file(service: str) -> None:
    path = K8S / f"{service}.yaml"
    expected = ["Deployment", "Deployment", "HorizontalPodAutoscaler", "HorizontalPodAutoscaler", "Job", "Service"]
    assert sorted(kinds(path)) == expected
    port = default_port(service)
    module = f"services.{service}"
    job = named(path, "Job", f"{service}-migrate")
    api = named(path, "Deployment", f"{service}-api")
    worker = named(path, "Deployment", f"{service}-worker")
    assert command("python", "-m", module, "migrate") in job
    assert command("python", "-m", module, "serve", "--role", "api") in api
    assert command("python", "-m", module, "serve", "--role", "worker") in worker
    for doc in (job, api, worker):
        assert f"image: jiuzhu/{service}:" in doc
        for ref in ("jiuzhu-config", "jiuzhu-common", f"jiuzhu-{service}"):
            assert re.search(rf"Ref:\n\s+name: {ref}\n", doc), f"{service}: envFrom {ref}"
        assert "enableServiceLinks: false" in doc  # else <SVC>_PORT=tcp://... would reach the `port` setting
        assert "requests:" in doc
        assert "limits:" in doc
        assert "runAsNonRoot: true" in doc
    for doc in (api, worker):
        assert f"containerPort: {port}\n" in doc
        assert "path: /healthz" in doc
        assert "path: /readyz" in doc
        assert "livenessProbe:" in doc
        assert "readinessProbe:" in doc
    assert f"port: {port}\n" in named(path, "Service", f"{service}-api")
    for target in (f"{service}-api", f"{service}-worker"):
        assert f"kind: Deployment\n    name: {target}\n" in named(path, "HorizontalPodAutoscaler", target)
    partitions = re.search(r'name: TOPIC_PARTITIONS\n\s+value: "(\d+)"', text(K8S / "kafka-topics-job.yaml"))
    assert partitions, "kafka-topics-job.yaml sets TOPIC_PARTITIONS"
    max_workers = re.search(r"maxReplicas: (\d+)", named(path, "HorizontalPodAutoscaler", f"{service}-worker"))
    assert max_workers
    assert int(max_workers.group(1)) <= int(partitions.group(1)), "workers beyond the partition count would idle"


def test_k8s_gateway_file() -> None:
    path = K8S / "gateway.yaml"
    assert sorted(kinds(path)) == ["Deployment", "HorizontalPodAutoscaler", "Job", "Service"]
    job, deployment = named(path, "Job", "gateway-migrate"), named(path, "Deployment", "gateway")
    assert command("python", "-m", "gateway", "migrate") in job
    assert command("python", "-m", "gateway", "ensure-admin") in job
    assert command("python", "-m", "gateway", "serve") in deployment
    port = default_port("gateway")
    assert f"containerPort: {port}\n" in deployment
    assert f"port: {port}\n" in named(path, "Service", "gateway")
    assert "path: /healthz" in deployment
    assert "enableServiceLinks: false" in deployment


@pytest.mark.parametrize("service", ALL_SERVICES)
def test_k8s_config_and_secrets_provide_what_the_code_needs(service: str) -> None:
    provided = k8s_env(service)
    cls = settings_class(service)
    for field in required_fields(service):
        assert env_names(cls, field) & provided.keys(), f"{service}: none of {sorted(env_names(cls, field))} is set"
    assert int(next(provided[n] for n in env_names(cls, "port") if n in provided)) == default_port(service)
    assert next(provided[n] for n in env_names(cls, "host") if n in provided) == "0.0.0.0"
    assert next(provided[n] for n in env_names(cls, "environment") if n in provided) == "production"


def test_k8s_config_names_only_variables_the_code_reads() -> None:
    readable = set().union(*(readable_names(settings_class(s)) for s in ALL_SERVICES))
    config = data_keys(named(K8S / "config.yaml", "ConfigMap", "jiuzhu-config"))
    secrets = data_keys(text(K8S / "secrets.yaml.example"))
    assert not (config.keys() | secrets.keys()) - readable


def test_topic_list_is_the_event_catalogue() -> None:
    listed = text(DEPLOY / "kafka" / "topics.txt").splitlines()
    assert listed == list(TOPICS), "regenerate deploy/kafka/topics.txt (see deploy/kafka/create-topics.sh)"
    configmap = named(K8S / "kafka-topics-job.yaml", "ConfigMap", "jiuzhu-kafka-topics")
    assert block_scalar(configmap, "topics.txt") == text(DEPLOY / "kafka" / "topics.txt")
    assert block_scalar(configmap, "create-topics.sh") == text(DEPLOY / "kafka" / "create-topics.sh")
    script = text(DEPLOY / "kafka" / "create-topics.sh")
    assert "--create --if-not-exists" in script
    assert 'partitions="${TOPIC_PARTITIONS:-12}"' in script


def test_dockerfile_builds_one_image_per_service_from_the_lock() -> None:
    dockerfile = text(DEPLOY / "Dockerfile")
    assert re.search(r"(?m)^FROM python:3\.11-slim\b", dockerfile)
    assert re.search(r"(?m)^ARG SERVICE$", dockerfile)
    assert "JIUZHU_SERVICE=${SERVICE}" in dockerfile
    assert "requirements.lock" in dockerfile
    assert "pip install" in dockerfile
    assert re.search(r"(?m)^EXPOSE 8000$", dockerfile)
    assert re.search(r"(?m)^HEALTHCHECK ", dockerfile)
    user = re.search(r"(?m)^USER (\S+)$", dockerfile)
    assert user
    assert user.group(1).split(":")[0] not in ("root", "0")
    for script in (dockerfile, text(DEPLOY / "run.sh")):
        choices = re.search(r"(intake ?\| ?casework[^)\n]*)\)", script)
        assert choices
        # The gateway and the console are not under services/: run.sh names their modules on lines of their own.
        assert set(re.split(r" ?\| ?", choices.group(1))) | {"gateway", "console"} == {*ALL_SERVICES, "console"}
    assert "|console) ;;" in dockerfile
    assert "console) module=console ;;" in text(DEPLOY / "run.sh")
    # The packages filtered out of the image must still be spelt as in the lock, or the filter silently stops working.
    filtered = re.search(r"grep -viE '\^\(([^)]*)\)==", dockerfile)
    assert filtered
    locked = {line.split("==")[0].lower() for line in text(ROOT / "requirements.lock").splitlines() if "==" in line}
    assert set(filtered.group(1).split("|")) <= locked


def test_no_url_points_outside_the_deployment() -> None:
    """No package-index or other outside URL in deploy/ or docker-compose.yml: only loopback and service names."""
    k8s_services = {
        m
        for path in K8S.glob("*.yaml")
        for m in re.findall(r"(?m)^kind: Service\nmetadata:\n  name: (\S+)", text(path))
    }
    allowed = {"localhost", "127.0.0.1"} | set(blocks(blocks(text(COMPOSE), 0)["services"], 2)) | k8s_services
    files = [COMPOSE, *(p for p in DEPLOY.rglob("*") if p.is_file())]
    for path in files:
        content = path.read_text(encoding="utf-8")
        for host in re.findall(r"https?://([^/\s:'\"`]+)", content):
            assert host in allowed, f"{path.relative_to(ROOT)}: URL to {host}"
        assert "index-url" not in content, path
        assert "pypi" not in content.lower(), path


# --- Production connections and monitoring (issue 17): what the deploy files say loads, and reaches every client.

KAFKA_CONNECTION = ("KAFKA_SECURITY_PROTOCOL", "KAFKA_SASL_MECHANISM", "KAFKA_SASL_USERNAME", "KAFKA_SSL_CAFILE",
                    "KAFKA_SSL_CERTFILE", "KAFKA_SSL_KEYFILE")  # fmt: skip
CONNECTION_SETTINGS = (*KAFKA_CONNECTION, "JIUZHU_DATABASE_SSL_MODE", "JIUZHU_DATABASE_SSL_ROOT_CERT",
                       "JIUZHU_HTTP_KEEPALIVE_SECONDS")  # fmt: skip
CONNECTION_SECRETS = ("KAFKA_SASL_PASSWORD", "JIUZHU_METRICS_TOKEN")


def test_connection_settings_and_their_secrets_are_in_every_deploy_file() -> None:
    config = data_keys(named(K8S / "config.yaml", "ConfigMap", "jiuzhu-config"))
    common_secret = data_keys(named(K8S / "secrets.yaml.example", "Secret", "jiuzhu-common"))
    for name in CONNECTION_SETTINGS:
        assert name in env_file("common"), name
        assert name in config, name
    for name in CONNECTION_SECRETS:
        assert name in env_file("common"), name
        assert name in common_secret, name
        assert name not in config, f"{name} is a secret: not in the ConfigMap"
    assert "GATEWAY_UPSTREAM_KEEPALIVE_SECONDS" in env_file("gateway")
    # The gateway retires idle connections well before a service closes them (gateway.upstream_transport).
    for provided in (env_file("common") | env_file("gateway"), config):
        gateway, service = provided["GATEWAY_UPSTREAM_KEEPALIVE_SECONDS"], provided["JIUZHU_HTTP_KEEPALIVE_SECONDS"]
        assert float(gateway) * 2 <= int(service)


@pytest.mark.parametrize("service", ALL_SERVICES)
def test_the_env_examples_load_as_settings(service: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Empty values of unused connection settings (and the examples' other values) pass validation."""
    strong = {"JIUZHU_INTERNAL_TOKEN_SECRET": "i" * 40, "JIUZHU_PII_KEY": "p" * 40, "GATEWAY_JWT_SECRET": "j" * 40,
              "JIUZHU_METRICS_TOKEN": "m" * 40}  # fmt: skip
    for name, value in (env_file("common") | env_file(service)).items():
        monkeypatch.setenv(name, value or strong.get(name, value))
    loaded = settings_class(service)()
    assert getattr(loaded, "kafka_security_protocol") == "PLAINTEXT"  # noqa: B009 - BaseSettings, typed loosely here
    assert getattr(loaded, "database_ssl_mode") is None  # noqa: B009


def test_the_topics_job_connects_as_the_services_do() -> None:
    job = named(K8S / "kafka-topics-job.yaml", "Job", "kafka-topics")
    for name in (*KAFKA_CONNECTION, "KAFKA_SASL_PASSWORD"):
        assert f"name: {name}\n" in job, name
    script = text(DEPLOY / "kafka" / "create-topics.sh")
    assert '--command-config "$properties"' in script
    for mechanism in ("PLAIN", "SCRAM-SHA-256 | SCRAM-SHA-512"):
        assert f"{mechanism})" in script


def test_prometheus_scrapes_with_the_metrics_token() -> None:
    scrape = text(DEPLOY / "prometheus" / "scrape-config.yaml")
    assert scrape.count("type: Bearer") == scrape.count("job_name:") == 2
    assert scrape.count("credentials_file: /etc/prometheus/jiuzhu/metrics-token") == 2
    for service in ALL_SERVICES:
        path = K8S / f"{service}.yaml"
        annotated = text(path).count('prometheus.io/scrape: "true"')
        assert annotated == text(path).count("JIUZHU_METRICS_TOKEN>`: deploy/prometheus/scrape-config.yaml"), path
        port = default_port(service)
        if service != "gateway":
            assert f"{service}-api:{port}" in scrape
            assert f"{service}-worker:{port}" in scrape
    assert f"gateway:{default_port('gateway')}" in scrape


# --- The staff console (issue 19): its own image and process, reached through the gateway, holding no secret.


def test_the_console_runs_behind_the_gateway_with_no_secret_and_no_port_of_its_own() -> None:
    console = compose_service("console")
    assert command("python", "-m", "console", "serve") in console
    assert "SERVICE: console" in console
    assert "env_file: *console-env" in console
    assert "healthcheck:" in console
    assert "ports:" not in console
    assert "console:\n        condition: service_healthy" in compose_service("gateway")
    port = ConsoleSettings.model_fields["port"].default
    assert env_file("gateway")["GATEWAY_CONSOLE_URL"] == f"http://console:{port}"
    assert env_file("console")["CONSOLE_GATEWAY_URL"] == f"http://gateway:{default_port('gateway')}"
    assert set(env_file("console")) <= readable_names(ConsoleSettings)
    assert not any(key.endswith(("SECRET", "PASSWORD", "_KEY")) for key in env_file("console"))


def test_the_console_in_kubernetes_reads_only_its_own_config() -> None:
    manifest = K8S / "console.yaml"
    assert kinds(manifest) == ["ConfigMap", "Deployment", "Service"]
    config = data_keys(named(manifest, "ConfigMap", "jiuzhu-console"))
    assert set(config) <= readable_names(ConsoleSettings)
    deployment = named(manifest, "Deployment", "console")
    assert "secretRef" not in deployment
    assert "name: jiuzhu-console" in deployment
    assert "console.yaml" in text(K8S / "kustomization.yaml")
    shared = data_keys(named(K8S / "config.yaml", "ConfigMap", "jiuzhu-config"))
    assert shared["GATEWAY_CONSOLE_URL"] == f"http://console:{config['CONSOLE_PORT']}"
