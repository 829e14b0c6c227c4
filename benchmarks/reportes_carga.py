"""Prueba de carga de reportes (acotada, solo en 127.0.0.1).

1. Arranca el servidor de producción (``tablero``, gunicorn con 4 procesos) sobre un almacén
   temporal con cajones de estacionamiento.
2. Envía 200 reportes a la vez (200 hilos que salen juntos): todos deben recibir ``201`` con
   folio, sin folios repetidos, y todos deben poder leerse después.
3. Envía una segunda ráfaga y, a media ráfaga, mata el servidor entero con SIGKILL. Lo vuelve
   a arrancar y comprueba que **cada** reporte confirmado (``201`` recibido) sigue ahí.

Usa SQLite en la carpeta de datos, o PostgreSQL si ``DATABASE_URL`` está definida.

Uso::

    python benchmarks/reportes_carga.py [--reportes 200] [--trabajadores 4] [--puerto 8790]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

CAJONES = (
    "ID,LATITUD,LONGITUD,DIRECCION,CAJONES,ESTADO\n"
    "EST-001,17.0606,-96.7266,Macedonio Alcalá 202,1,bueno\n"
    "EST-002,17.0650,-96.7230,García Vigil 100,2,requiere_rehabilitacion\n"
)


def main() -> None:
    args = _argumentos()
    carpeta = Path(tempfile.mkdtemp(prefix="carga-reportes-"))
    (carpeta / "cajones.csv").write_text(CAJONES, encoding="utf-8")
    datos = carpeta / "datos"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "ingesta.cli",
            "cargar",
            "estacionamientos",
            str(carpeta / "cajones.csv"),
            "--datos",
            str(datos),
        ],
        check=True,
        capture_output=True,
    )
    base = f"http://127.0.0.1:{args.puerto}"
    servidor = _arrancar(datos, args)
    try:
        _esperar(base)
        print(f"Servidor listo en {base} con {args.trabajadores} procesos ({_motor()}).")

        # --- ráfaga 1: todo confirmado, todo legible, sin folios repetidos -----------------
        inicio = time.perf_counter()
        resultados = _rafaga(base, args.reportes, "ráfaga 1")
        duracion = time.perf_counter() - inicio
        confirmados = [r for r in resultados if r["estado"] == 201]
        folios = [r["folio"] for r in confirmados]
        errores = [r for r in resultados if r["estado"] != 201]
        legibles = sum(_leer(base, r["folio"]) == r["descripcion"] for r in confirmados)
        tiempos = sorted(r["segundos"] for r in resultados)
        print(
            f"Ráfaga 1: {len(resultados)} enviados a la vez en {duracion:.2f} s; "
            f"{len(confirmados)} confirmados (201), {len(errores)} errores, "
            f"{len(folios) - len(set(folios))} folios repetidos, {legibles} legibles; "
            f"respuesta mediana {statistics.median(tiempos) * 1000:.0f} ms, "
            f"p95 {tiempos[int(0.95 * (len(tiempos) - 1))] * 1000:.0f} ms"
        )
        assert len(confirmados) == args.reportes and not errores, errores[:3]
        assert len(set(folios)) == len(folios) and legibles == len(folios)

        # --- ráfaga 2 con SIGKILL a media ráfaga --------------------------------------------
        confirmados2: list[dict] = []
        candado = threading.Lock()

        def al_confirmar(resultado: dict) -> None:
            with candado:
                confirmados2.append(resultado)

        hilo = threading.Thread(
            target=_rafaga, args=(base, args.reportes, "ráfaga 2", al_confirmar), daemon=True
        )
        hilo.start()
        while len(confirmados2) < args.reportes // 4:
            time.sleep(0.005)
        os.killpg(servidor.pid, signal.SIGKILL)
        servidor.wait()
        hilo.join(timeout=120)
        confirmados_antes = [r for r in confirmados2 if r["estado"] == 201]
        print(
            f"Ráfaga 2: servidor matado con SIGKILL tras {len(confirmados_antes)} confirmaciones "
            f"(el resto de la ráfaga falló por conexión, como se espera)."
        )
        servidor = _arrancar(datos, args)
        _esperar(base)
        perdidos = [
            r["folio"] for r in confirmados_antes if _leer(base, r["folio"]) != r["descripcion"]
        ]
        print(
            f"Tras reiniciar: {len(confirmados_antes) - len(perdidos)} de {len(confirmados_antes)} "
            f"reportes confirmados siguen ahí; perdidos: {len(perdidos)}."
        )
        assert not perdidos, perdidos[:5]
        print("Resultado: todo confirmado es legible, sin folios repetidos y sin pérdidas.")
    finally:
        try:
            os.killpg(servidor.pid, signal.SIGTERM)
            servidor.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(servidor.pid, signal.SIGKILL)


def _rafaga(base: str, cantidad: int, nombre: str, al_confirmar=None) -> list[dict]:
    barrera = threading.Barrier(cantidad)

    def enviar(i: int) -> dict:
        descripcion = (
            f"{nombre} n.º {i}: cajón ocupado <b>sin permiso</b> '; DROP TABLE reportes; --"
        )
        cuerpo = json.dumps(
            {
                "estacionamiento_id": "EST-001" if i % 2 else "EST-002",
                "tipo": "ocupado_indebidamente",
                "descripcion": descripcion,
            }
        ).encode()
        peticion = urllib.request.Request(
            base + "/api/reportes",
            data=cuerpo,
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        barrera.wait()
        inicio = time.perf_counter()
        try:
            with urllib.request.urlopen(peticion, timeout=60) as respuesta:
                resultado = {
                    "estado": respuesta.status,
                    "folio": json.loads(respuesta.read())["folio"],
                }
        except urllib.error.HTTPError as error:
            resultado = {"estado": error.code, "folio": None}
        except (OSError, http.client.HTTPException) as error:  # conexión cortada al matar
            resultado = {"estado": None, "folio": None, "error": type(error).__name__}
        resultado.update(descripcion=descripcion, segundos=time.perf_counter() - inicio)
        if al_confirmar and resultado["estado"] == 201:
            al_confirmar(resultado)
        return resultado

    with ThreadPoolExecutor(max_workers=cantidad) as hilos:
        return list(hilos.map(enviar, range(cantidad)))


def _leer(base: str, folio: str) -> str | None:
    try:
        with urllib.request.urlopen(f"{base}/api/reportes/{folio}", timeout=30) as respuesta:
            return json.loads(respuesta.read())["descripcion"]
    except (OSError, http.client.HTTPException):
        return None


def _arrancar(datos: Path, args) -> subprocess.Popen:
    entorno = dict(os.environ, SIGUE_LIMITE_REPORTES="1000000")
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tablero.cli",
            "--datos",
            str(datos),
            "--puerto",
            str(args.puerto),
            "--trabajadores",
            str(args.trabajadores),
        ],
        env=entorno,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # grupo propio: SIGKILL al maestro y a sus procesos
    )


def _esperar(base: str, limite: float = 60) -> None:
    fin = time.monotonic() + limite
    while time.monotonic() < fin:
        try:
            urllib.request.urlopen(base + "/api/reportes/R-PRUEBA0", timeout=2)
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("El servidor no arrancó a tiempo")


def _motor() -> str:
    return "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"


def _argumentos() -> argparse.Namespace:
    analizador = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    analizador.add_argument("--reportes", type=int, default=200)
    analizador.add_argument("--trabajadores", type=int, default=4)
    analizador.add_argument("--puerto", type=int, default=8790)
    return analizador.parse_args()


if __name__ == "__main__":
    main()
