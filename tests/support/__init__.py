"""What more than one test suite uses, each module named for what it holds. A suite's own helpers live in its package
(`tests/<suite>/support.py`, its API helper extending `service_api.ServiceApi`), and no suite imports another's."""
