"""Medición: bytes y tiempo de servidor de los callbacks con los que abre ``/`` (el mapa).

Imprime, con el cliente de pruebas de Flask y ``Accept-Encoding: br``:

- bytes comprimidos de cada callback que el navegador llama al abrir ``/`` (la página, el
  mapa y la banda de la versión) y su suma;
- si la respuesta del mapa nombra la URL de su base (geometría, ubicaciones, *layout*),
  los bytes de esa URL (el navegador la pide una vez por versión: ``immutable``) y el
  estado de una revalidación con ``If-None-Match`` (304);
- tiempo de CPU del proceso (``time.process_time``) del callback del mapa, mediana y p95 de
  ``--veces`` peticiones después de calentar (no depende de la carga de la máquina tanto
  como el tiempo de reloj).

Uso::

    python benchmarks/geometria_mapa.py [--datos DIR] [--veces 40]

Sin ``--datos`` carga los datos de ejemplo en una carpeta temporal. No es una prueba: no
falla, imprime una tabla.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

RAIZ_REPO = Path(__file__).resolve().parents[1]
for ruta in (RAIZ_REPO, RAIZ_REPO / "benchmarks"):
    if str(ruta) not in sys.path:
        sys.path.insert(0, str(ruta))

from mapa import _descomprimir, llamadas_iniciales_tablero  # noqa: E402

import capas  # noqa: E402
from almacen.versiones import Almacen  # noqa: E402
from tablero.app import crear_app  # noqa: E402

CABECERAS = {"Accept-Encoding": "br", "Content-Type": "application/json"}


def medir(raiz: Path, veces: int) -> None:
    """Imprime los bytes de la carga de ``/`` y el tiempo del callback del mapa."""
    anio = max(int(a) for a in capas.tabla_estado(capas.abrir(raiz))["anio"])
    app = crear_app(raiz)
    cliente = app.server.test_client()
    cliente.get("/")  # registra los callbacks de las páginas
    llamadas = llamadas_iniciales_tablero(anio)
    total = 0
    url_base = None
    for cuerpo in llamadas:
        r = cliente.post("/_dash-update-component", data=json.dumps(cuerpo), headers=CABECERAS)
        assert r.status_code == 200, (cuerpo["output"], r.status_code)
        total += len(r.data)
        print(f"{cuerpo['output'][:40]:<42} {len(r.data):>9,} B")
        if cuerpo["output"] == "inicio-mapa-datos.data":
            datos = json.loads(_descomprimir(r.data))["response"]["inicio-mapa-datos"]["data"]
            url_base = datos.get("base")
    print(f"{'callbacks de la carga de /':<42} {total:>9,} B")
    if url_base:
        r = cliente.get(url_base, headers={"Accept-Encoding": "br"})
        print(f"{'base del mapa (una vez por versión)':<42} {len(r.data):>9,} B  {url_base}")
        etag = r.headers["ETag"]
        inicio = time.process_time()
        r304 = cliente.get(url_base, headers={"Accept-Encoding": "br", "If-None-Match": etag})
        cpu = (time.process_time() - inicio) * 1000
        print(f"{'revalidación (If-None-Match)':<42} {r304.status_code} en {cpu:.2f} ms de CPU")
    mapa = json.dumps(llamadas[1])
    for _ in range(5):  # calentar
        cliente.post("/_dash-update-component", data=mapa, headers=CABECERAS)
    tiempos = []
    for _ in range(veces):
        inicio = time.process_time()
        cliente.post("/_dash-update-component", data=mapa, headers=CABECERAS)
        tiempos.append((time.process_time() - inicio) * 1000)
    tiempos.sort()
    p95 = tiempos[min(len(tiempos) - 1, int(round(0.95 * (len(tiempos) - 1))))]
    print(f"callback del mapa, CPU: mediana {statistics.median(tiempos):.2f} ms, p95 {p95:.2f} ms")


def main() -> None:
    analizador = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    analizador.add_argument("--datos", help="almacén ya cargado (sin él: datos de ejemplo)")
    analizador.add_argument("--veces", type=int, default=40)
    args = analizador.parse_args()
    temporal = None if args.datos else tempfile.TemporaryDirectory(prefix="bench-geomapa-")
    raiz = Path(args.datos) if args.datos else Path(temporal.name) / "datos"
    try:
        if Almacen(raiz).id_actual() is None:
            from ingesta.carga import cargar_ejemplo

            cargar_ejemplo(raiz, cache=raiz.parent / (raiz.name + "-cache"))
        medir(raiz, args.veces)
    finally:
        if temporal is not None:
            temporal.cleanup()


if __name__ == "__main__":
    main()
