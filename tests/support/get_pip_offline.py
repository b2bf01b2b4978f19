"""Stand-in for ansible-test's pip bootstrap script (``~/.ansible/test/cache/get_pip_<version>.py``).

ansible-test downloads its bootstrap script from a host these machines cannot reach. This file does the
same job with what is here: pip from the interpreter's own ``ensurepip``, then the requested packages
from the package index pip is configured for. ansible-test runs it with a minimal environment, so the
system CA bundle is passed explicitly when there is one.
"""

from __future__ import annotations

import ensurepip
import os
import subprocess
import sys

GET_PIP_ONLY_OPTIONS = {"--no-setuptools", "--no-wheel"}
CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"


def main() -> int:
    """Install pip, then ``pip install`` the arguments ansible-test passed to get-pip."""
    ensurepip.bootstrap(upgrade=True)
    args = [arg for arg in sys.argv[1:] if arg not in GET_PIP_ONLY_OPTIONS]
    cert = ["--cert", CA_BUNDLE] if os.path.exists(CA_BUNDLE) else []
    return subprocess.call([sys.executable, "-m", "pip", "install", *cert, *args])


if __name__ == "__main__":
    sys.exit(main())
