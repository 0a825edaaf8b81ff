"""Runs localstripe on loopback only (its own start() binds every interface) with an empty store.

Usage: localstripe-run.py PORT
"""

import logging
import sys

from aiohttp import web
from localstripe import server

if __name__ == "__main__":
    port = int(sys.argv[1])
    access = logging.getLogger("aiohttp.access")
    access.setLevel(logging.INFO)
    access.addHandler(logging.StreamHandler())
    # No store.try_load_from_disk(): a fresh fake per start, never a pickle from /tmp shared with others.
    web.run_app(server.app, host="127.0.0.1", port=port, access_log=access, print=None)
