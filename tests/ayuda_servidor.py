"""Arrancar y detener el tablero de producción (``python -m tablero.cli``) en un subproceso.

Lo usan ``tests/test_varias_instancias.py`` y ``benchmarks/usuarios.py``: el servidor corre
con el código de este árbol (``PYTHONPATH``) en un grupo de procesos propio, para detener el
maestro de gunicorn junto con sus procesos.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[1]


def puerto_libre() -> int:
    """Un puerto libre de 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def arrancar_tablero(
    puerto: int, *argumentos: str, entorno: dict[str, str] | None = None, stderr=None
) -> subprocess.Popen:
    """``tablero --puerto PUERTO ARGUMENTOS...`` con ``entorno`` agregado al de este proceso.

    La salida estándar se descarta; ``stderr`` por omisión también (``subprocess.PIPE`` para
    leerla si el servidor termina al arrancar).
    """
    return subprocess.Popen(
        [sys.executable, "-m", "tablero.cli", "--puerto", str(puerto), *argumentos],
        cwd=RAIZ,
        env={**os.environ, "PYTHONPATH": str(RAIZ), **(entorno or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL if stderr is None else stderr,
        start_new_session=True,  # grupo propio: se detienen maestro y procesos juntos
    )


def detener(proceso: subprocess.Popen) -> None:
    """SIGTERM al grupo del servidor; SIGKILL si no terminó en 30 s."""
    try:
        os.killpg(proceso.pid, signal.SIGTERM)
        proceso.wait(timeout=30)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(proceso.pid, signal.SIGKILL)
        proceso.wait()
