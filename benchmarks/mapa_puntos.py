"""Medición: la figura del mapa de puntos de ``/obras`` y ``/escuelas`` con muchas filas.

Carga los datos de ejemplo (o usa ``--datos``), toma :func:`capas.tabla_obras` y
:func:`capas.tabla_escuelas` y las repite con coordenadas movidas unos metros y claves
nuevas hasta ``--obras`` obras y ``--escuelas`` escuelas (las mismas columnas y tipos que
la capa). Para cada tabla mide, en el mismo proceso y seguidas:

- la figura inicial (``figura_mapa``) y el ``Patch`` de un cambio de filtro
  (``parche_mapa``), más su serialización a JSON como la hace Dash
  (``plotly.io.json.to_json_plotly``);
- tiempo de CPU (``time.process_time``, mediana de ``--repeticiones``) y bytes del JSON
  (sin comprimir y con gzip nivel 6).

Resultado en la máquina de desarrollo (2 núcleos compartidos, datos de ejemplo repetidos),
antes (``go.Scattermap`` con todas las filas) y después (a lo más 1,000 puntos, el resto
contado por municipio; diccionarios planos), corridas seguidas:

=========================  =============  ==========  =========  ==============
caso                       CPU antes      JSON antes  CPU ahora  JSON ahora
=========================  =============  ==========  =========  ==============
/obras 75k, figura         7,510 ms       13.9 MB     51 ms      187 kB (20 gz)
/obras 75k, ``Patch``      1,108 ms       13.9 MB     50 ms      187 kB (20 gz)
/escuelas 50k, figura      4,971 ms       7.1 MB      41 ms      173 kB (26 gz)
/escuelas 50k, ``Patch``   556 ms         7.1 MB      43 ms      173 kB (26 gz)
=========================  =============  ==========  =========  ==============

No es una prueba: no falla, imprime una tabla. Uso::

    python benchmarks/mapa_puntos.py [--obras 75000] [--escuelas 50000] [--repeticiones 5]
        [--datos DIR] [--perfil]
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

RAIZ_REPO = Path(__file__).resolve().parents[1]
if str(RAIZ_REPO) not in sys.path:
    sys.path.insert(0, str(RAIZ_REPO))


def repetir(tabla: pd.DataFrame, n: int, clave: str, semilla: int = 11) -> pd.DataFrame:
    """``tabla`` repetida hasta ``n`` filas: claves nuevas y coordenadas movidas (±500 m)."""
    rng = np.random.default_rng(semilla)
    veces = -(-n // len(tabla))
    partes = []
    for copia in range(veces):
        parte = tabla.copy()
        if copia:
            parte[clave] = parte[clave].astype(str) + f"-{copia}"
            for columna in ("latitud", "longitud"):
                parte[columna] = parte[columna] + rng.uniform(-5e-3, 5e-3, len(parte))
        partes.append(parte)
    return pd.concat(partes, ignore_index=True).head(n)


def medir(funcion, repeticiones: int) -> tuple[float, int, int]:
    """Mediana de ms de CPU de construir y serializar, bytes del JSON y bytes con gzip."""
    from plotly.io.json import to_json_plotly

    tiempos = []
    for _ in range(repeticiones):
        inicio = time.process_time()
        texto = to_json_plotly(funcion())
        tiempos.append((time.process_time() - inicio) * 1000)
    crudo = texto.encode()
    return statistics.median(tiempos), len(crudo), len(gzip.compress(crudo, 6))


def main() -> None:
    args = _argumentos()
    import capas
    from tablero.figuras import escuelas as figuras_escuelas
    from tablero.figuras import obras as figuras_obras
    from tablero.figuras import puntos as mapa_puntos

    raiz = Path(args.datos) if args.datos else None
    if raiz is None:
        from ingesta.carga import cargar_ejemplo

        raiz = Path(tempfile.mkdtemp(prefix="bench-puntos-")) / "datos"
        cargar_ejemplo(raiz, cache=raiz.parent / "cache")
    datos = capas.abrir(raiz)
    obras = repetir(capas.tabla_obras(datos), args.obras, "folio")
    escuelas = repetir(
        capas.tabla_escuelas(datos, anio=datos.anios_escolares[-1]), args.escuelas, "cct"
    )
    vista = mapa_puntos.vista(None)
    casos = [
        (f"/obras {len(obras):,} figura", lambda: figuras_obras.figura_mapa(obras, vista=vista, entidad=None)),
        (f"/obras {len(obras):,} parche", lambda: figuras_obras.parche_mapa(obras, vista=vista)),
        (f"/escuelas {len(escuelas):,} figura", lambda: figuras_escuelas.figura_mapa(escuelas, vista=vista, entidad=None)),
        (f"/escuelas {len(escuelas):,} parche", lambda: figuras_escuelas.parche_mapa(escuelas, vista=vista)),
    ]  # fmt: skip
    print(f"{'caso':<28} {'CPU ms':>8} {'JSON kB':>9} {'gzip kB':>9}")
    for nombre, funcion in casos:
        ms, crudo, comprimido = medir(funcion, args.repeticiones)
        print(f"{nombre:<28} {ms:>8.1f} {crudo / 1000:>9.1f} {comprimido / 1000:>9.1f}")
    if args.perfil:
        perfil = cProfile.Profile()
        perfil.runcall(casos[0][1])
        pstats.Stats(perfil).sort_stats("cumulative").print_stats(15)


def _argumentos() -> argparse.Namespace:
    analizador = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    analizador.add_argument("--obras", type=int, default=75_000)
    analizador.add_argument("--escuelas", type=int, default=50_000)
    analizador.add_argument("--repeticiones", type=int, default=5)
    analizador.add_argument("--datos", help="almacén ya cargado (sin él: datos de ejemplo)")
    analizador.add_argument("--perfil", action="store_true", help="cProfile de la figura de obras")
    return analizador.parse_args()


if __name__ == "__main__":
    main()
