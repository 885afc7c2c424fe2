"""benchmarks/pages.py counts the CPU the servers use without psutil (from /proc)."""

import os
import signal
import subprocess
import sys

import pytest

from benchmarks import pages

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="Linux's /proc only")

# A child (like a gunicorn worker) burns 0.5 s of CPU, says so, and waits.
CHILD = (
    "import sys, time\nend = time.process_time() + 0.5\n"
    "while time.process_time() < end: pass\nprint('burnt', flush=True)\ntime.sleep(30)\n"
)
# Its parent (like gunicorn's master) does nothing itself.
PARENT = f"import subprocess, sys\nsubprocess.run([sys.executable, '-c', {CHILD!r}])\n"


def test_a_servers_cpu_counts_its_childrens_from_proc():
    parent = subprocess.Popen(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", PARENT], stdout=subprocess.PIPE, start_new_session=True
    )
    try:
        assert parent.stdout.readline() == b"burnt\n"
        used = pages._proc_cpu_seconds(parent.pid)
    finally:
        os.killpg(parent.pid, signal.SIGKILL)
        parent.wait(timeout=30)
        parent.stdout.close()
    assert used is not None
    assert used >= 0.45  # /proc counts in clock ticks (10 ms)
    # A process that is gone gives no figure rather than a wrong one.
    assert pages._proc_cpu_seconds(parent.pid) is None
