"""The image's HEALTHCHECK: `GET /healthz` on the port this container's process listens on.

The port is resolved by the process's own settings class (`<SERVICE>_PORT`, then `JIUZHU_PORT`, then `PORT`, then
the code's default: libs/kernel/settings.py, gateway/config.py), so the check follows any override given through the
environment. Exit status 0 = healthy, 1 = not.
"""

from __future__ import annotations

import importlib
import os
import sys
import urllib.request

from pydantic_settings import BaseSettings


def settings_class(service: str) -> type[BaseSettings]:
    module_name = f"{service}.config" if service in ("gateway", "console") else f"services.{service}.config"
    module = importlib.import_module(module_name)
    for value in vars(module).values():
        if (
            isinstance(value, type)
            and issubclass(value, BaseSettings)
            and value.__module__ == module_name
            and "port" in value.model_fields
        ):
            return value
    raise LookupError(f"no settings class with a port in {module_name}")


def main() -> int:
    service = os.environ.get("JIUZHU_SERVICE", "")
    try:
        port = int(settings_class(service)().model_dump()["port"])
        url = f"http://127.0.0.1:{port}/healthz"
        with urllib.request.urlopen(url, timeout=3) as response:
            return 0 if response.status == 200 else 1
    except Exception as exc:
        print(f"unhealthy: {exc!r}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
