"""The gateway's cost: one authenticated read endpoint called through the gateway and directly on the service, in the
same run, with the ratio.

The endpoint is intake's `GET /api/v1/intake/diagnostics/whoami` (verifies the forwarded principal token). Through
the gateway the caller sends a bearer access token; directly, it sends the internal principal token the gateway would
have forwarded. The load generator runs in this process; the gateway and the service are separate processes, as in
production, all on this machine's cores.

    python -m bench.gateway_throughput [--seconds 10] [--concurrency 10]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

from bench.load import LoadResult, closed_loop
from bench.support import REPO_ROOT, bench_stack, machine, process
from libs.kernel.auth import InternalTokens, Principal, PrincipalKind

ADMIN_PASSWORD = "Bench-Operator-0001"
PATH = "/api/v1/intake/diagnostics/whoami?region_code=140402"


async def run(seconds: float, concurrency: int) -> tuple[LoadResult, LoadResult]:
    logs = Path(tempfile.mkdtemp(prefix="jiuzhu-bench-"))
    with bench_stack("services.intake", "gateway") as (_, env):
        env = {**env, "JIUZHU_ADMIN_PASSWORD": ADMIN_PASSWORD}
        subprocess.run([sys.executable, "-m", "gateway", "ensure-admin"], env=env, cwd=REPO_ROOT, check=True)
        with process("services.intake", "api", env, logs / "intake.log") as intake_port:
            gateway_env = {**env, "GATEWAY_INTAKE_URL": f"http://127.0.0.1:{intake_port}"}
            # /healthz: the gateway's /readyz wants all five services, and only intake runs here.
            with process("gateway", "api", gateway_env, logs / "gateway.log", "/healthz") as gateway_port:
                async with httpx.AsyncClient() as client:
                    reply = await client.post(
                        f"http://127.0.0.1:{gateway_port}/api/v1/auth/token",
                        data={"grant_type": "password", "username": "admin", "password": ADMIN_PASSWORD},
                    )
                    reply.raise_for_status()
                    bearer = {"Authorization": f"Bearer {reply.json()['access_token']}"}
                principal = Principal("bench", PrincipalKind.staff, "bench", "", frozenset({"system_admin"}))
                internal = {
                    "X-Jiuzhu-Principal": InternalTokens(env["JIUZHU_INTERNAL_TOKEN_SECRET"], 3600).sign(principal)
                }
                gateway_url = f"http://127.0.0.1:{gateway_port}{PATH}"
                direct_url = f"http://127.0.0.1:{intake_port}{PATH}"
                await closed_loop(gateway_url, bearer, concurrency=concurrency, seconds=2)  # warm-up
                await closed_loop(direct_url, internal, concurrency=concurrency, seconds=2)
                direct = await closed_loop(direct_url, internal, concurrency=concurrency, seconds=seconds)
                through = await closed_loop(gateway_url, bearer, concurrency=concurrency, seconds=seconds)
                return direct, through


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=10)
    args = parser.parse_args()
    os.environ.setdefault("JIUZHU_LOG_LEVEL", "WARNING")
    direct, through = asyncio.run(run(args.seconds, args.concurrency))
    print(f"machine: {machine()}")
    print(f"concurrency {args.concurrency}, {args.seconds:.0f} s per run, GET {PATH}")
    print(direct.line("direct on the service"))
    print(through.line("through the gateway  "))
    print(f"ratio gateway/direct: {through.rps / direct.rps:.2f}")


if __name__ == "__main__":
    main()
