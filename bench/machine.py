"""The machine a benchmark ran on, in one line, for bench/RESULTS.md."""

import os
import platform
import re
from pathlib import Path


def cpu_and_memory() -> str:
    """e.g. "AMD EPYC, 2 logical CPUs, 23.5 GiB RAM, Linux 6.1; Python 3.11.7"."""
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        cpu = found.group(1).strip() if found else cpu
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        found = re.search(r"MemTotal:\s*(\d+) kB", meminfo.read_text())
        memory = f", {int(found.group(1)) / 1024 / 1024:.1f} GiB RAM" if found else ""
    return (
        f"{cpu}, {os.cpu_count()} logical CPUs{memory}, {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}"
    )
