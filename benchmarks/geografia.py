"""Medición: ubicar 15,000 escuelas en su municipio (punto en polígono con STRtree).

Uso::

    python benchmarks/geografia.py [--puntos 15000] [--repeticiones 5]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from ingesta.geografia import municipios


def main() -> None:
    analizador = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    analizador.add_argument("--puntos", type=int, default=15_000)
    analizador.add_argument("--repeticiones", type=int, default=5)
    args = analizador.parse_args()

    inicio = time.perf_counter()
    geo = municipios()
    geo.completos  # noqa: B018
    print(
        f"Lectura y reproyección de {len(geo.lcc)} municipios: {time.perf_counter() - inicio:.2f} s"
    )
    inicio = time.perf_counter()
    geo.simplificados  # noqa: B018
    print(f"Simplificación de cobertura: {time.perf_counter() - inicio:.2f} s")

    rng = np.random.default_rng(15)
    xmin, ymin, xmax, ymax = geo.completos.total_bounds
    lon = rng.uniform(xmin, xmax, args.puntos)
    lat = rng.uniform(ymin, ymax, args.puntos)
    geo.ubicar(lon[:10], lat[:10])  # construye el índice STRtree (una vez por proceso)
    tiempos = []
    for _ in range(args.repeticiones):
        inicio = time.perf_counter()
        claves = geo.ubicar(lon, lat)
        tiempos.append(time.perf_counter() - inicio)
    dentro = int(np.sum(claves != None))  # noqa: E711
    print(
        f"Ubicar {args.puntos:,} puntos: mediana {statistics.median(tiempos) * 1000:.0f} ms "
        f"(mín {min(tiempos) * 1000:.0f}, máx {max(tiempos) * 1000:.0f}); "
        f"{dentro:,} dentro de la entidad. Meta: ≤ 1 s"
    )


if __name__ == "__main__":
    main()
