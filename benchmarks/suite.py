"""Cuánto tarda la suite rápida de pruebas: reloj, CPU (user+sys) y carga de la máquina.

Corre ``python -m pytest`` (con los ``addopts`` de ``pyproject.toml``: dos procesos) en un
subproceso y suma el CPU de todos sus procesos (``RUSAGE_CHILDREN``: el principal y los de
pytest-xdist). Con la máquina ocupada el reloj engaña; el CPU casi no cambia. La meta
(issue 11): menos de un minuto de reloj en una máquina de 2 núcleos quieta.

Uso::

    python benchmarks/suite.py                    # la suite rápida, como la corre `make test`
    python benchmarks/suite.py -n 0 --durations=40   # en un proceso: las 40 fases más lentas
    python benchmarks/suite.py tests/test_almacen.py # otros argumentos van a pytest tal cual
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[1]


def main(argumentos: list[str]) -> int:
    """Corre pytest con ``argumentos`` e imprime reloj, CPU y la carga media de la máquina."""
    carga_antes = os.getloadavg()[0]
    inicio = time.perf_counter()
    codigo = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *argumentos], cwd=RAIZ
    ).returncode
    reloj = time.perf_counter() - inicio
    uso = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        f"suite: reloj {reloj:.1f} s, CPU {uso.ru_utime + uso.ru_stime:.1f} s "
        f"(user {uso.ru_utime:.1f}, sys {uso.ru_stime:.1f}), "
        f"carga media de la máquina {carga_antes:.1f} -> {os.getloadavg()[0]:.1f} "
        f"en {os.cpu_count()} núcleos, código {codigo}"
    )
    return codigo


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
