"""Costo de los avisos por correo (acotado, solo en 127.0.0.1).

1. Cambia el estado de N reportes con correo sin avisos y con avisos (la bandeja de salida
   agrega una consulta y dos filas a la transacción): CPU por cambio de cada modo.
2. Envía los N avisos a un servidor SMTP local (``aiosmtpd``) con una sola conexión: CPU y
   reloj por aviso, y comprueba que los N llegaron exactamente una vez.

Reporta tiempo de CPU del proceso (``time.process_time``; el servidor SMTP corre en un hilo
del mismo proceso y cuenta en el total) y de reloj. Usa SQLite en una carpeta temporal, o
PostgreSQL con ``DATABASE_URL`` (borra las tablas de reportes de esa base).

Uso::

    python benchmarks/avisos_correo.py [--reportes 200]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiosmtpd.controller import Controller  # noqa: E402

from tablero.reportes import bd, correo, servicio  # noqa: E402
from tablero.reportes.modelo import Base  # noqa: E402


class _Buzon:
    def __init__(self):
        self.recibidos = 0

    async def handle_DATA(self, server, session, envelope):
        self.recibidos += 1
        return "250 OK"


class _Controlador(Controller):
    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


def _crear(sesion, n: int, prefijo: str) -> list[str]:
    folios = []
    for i in range(n):
        campos = {
            "objeto": "punto", "objeto_id": None, "estacionamiento_id": None, "cvegeo": None,
            "latitud": 17.06, "longitud": -96.72, "tipo": "otro", "descripcion": "x",
            "contacto": f"{prefijo}{i}@example.org",
        }  # fmt: skip
        folios.append(servicio.crear(sesion, campos, f"{prefijo}{i}", 10).folio)
    return folios


def _cambiar(sesion, folios: list[str], avisar: bool) -> tuple[float, float]:
    cpu, reloj = time.process_time(), time.perf_counter()
    for folio in folios:
        servicio.cambiar_estado(sesion, folio, "en_atencion", "Revisamos", "ana", avisar=avisar)
    return time.process_time() - cpu, time.perf_counter() - reloj


def main() -> int:
    analizador = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    analizador.add_argument("--reportes", type=int, default=200)
    n = analizador.parse_args().reportes
    with tempfile.TemporaryDirectory() as carpeta:
        url = bd.url_base(carpeta)
        if os.environ.get("DATABASE_URL"):
            Base.metadata.drop_all(bd.motor(url))
            bd.motor.cache_clear()
        fabrica = bd.sesiones(url)
        with fabrica() as sesion:
            sin, con = _crear(sesion, n, "sin"), _crear(sesion, n, "con")
            cpu_sin, reloj_sin = _cambiar(sesion, sin, avisar=False)
            cpu_con, reloj_con = _cambiar(sesion, con, avisar=True)
        print(f"cambio de estado, {n} reportes (ms por cambio, CPU / reloj):")
        print(f"  sin avisos: {1000 * cpu_sin / n:.2f} / {1000 * reloj_sin / n:.2f}")
        print(f"  con avisos: {1000 * cpu_con / n:.2f} / {1000 * reloj_con / n:.2f}")

        buzon = _Buzon()
        controlador = _Controlador(buzon, hostname="127.0.0.1", port=0)
        controlador.start()
        try:
            ajustes = correo.Ajustes(
                host="127.0.0.1",
                puerto=controlador.port,
                seguridad="ninguna",
                remitente="avisos@sigue.ejemplo.mx",
                url_publica="https://sigue.ejemplo.mx",
            )
            cpu, reloj = time.process_time(), time.perf_counter()
            resultado = correo.enviar_pendientes(fabrica, ajustes, "secreto")
            cpu, reloj = time.process_time() - cpu, time.perf_counter() - reloj
            otra = correo.enviar_pendientes(fabrica, ajustes, "secreto", todos=True)
        finally:
            controlador.stop()
        print(f"envío de {resultado.enviados} avisos por una conexión SMTP local:")
        print(f"  {1000 * cpu / n:.2f} ms de CPU y {1000 * reloj / n:.2f} ms de reloj por aviso")
        print(f"  recibidos: {buzon.recibidos}; segunda vuelta envió {otra.enviados}")
        bd.motor.cache_clear()
        return 0 if buzon.recibidos == n and otra.enviados == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
