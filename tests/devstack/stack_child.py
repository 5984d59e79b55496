"""Run by tests/devstack/test_devstack.py as a child process: start a throw-away stack in the directory given as the
first argument, print the pids of every server process it started as one JSON line, then wait to be killed."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import psutil

from libs.devstack.stack import running


def main() -> None:
    with running(Path(sys.argv[1])):
        servers = psutil.Process().children(recursive=True)
        print(json.dumps([{"pid": p.pid, "created": p.create_time()} for p in servers]), flush=True)
        while True:  # until SIGKILLed: no clean-up code may run
            time.sleep(3600)


if __name__ == "__main__":
    main()
