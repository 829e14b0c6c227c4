"""Medición: todos los indicadores municipales de un ciclo, con la versión ya leída.

Carga los datos de ejemplo en una carpeta temporal (o usa ``--datos DIR``), lee la versión
y mide ``capas.tabla_municipios(datos, anio=...)`` en frío (nada calculado todavía, cada
repetición con la caché de cálculos vacía pero los Parquet ya leídos) y en caliente.

Uso::

    python benchmarks/indicadores.py [--datos DIR] [--repeticiones 20]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import capas
from almacen.versiones import Almacen
from ingesta.carga import cargar_ejemplo


def main() -> None:
    analizador = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    analizador.add_argument("--datos")
    analizador.add_argument("--repeticiones", type=int, default=20)
    args = analizador.parse_args()
    raiz = Path(args.datos) if args.datos else Path(tempfile.mkdtemp(prefix="bench-ind-"))
    if Almacen(raiz).id_actual() is None:
        inicio = time.perf_counter()
        cargar_ejemplo(raiz, cache=raiz.parent / (raiz.name + "-cache"))
        print(f"Datos de ejemplo cargados en {time.perf_counter() - inicio:.1f} s")
    version = Almacen(raiz).version()
    frio, caliente, cpu = [], [], []
    for _ in range(args.repeticiones):
        capas.limpiar_cache()
        datos = capas.datos_de(version)
        for capa in (
            "escuelas",
            "matricula",
            "padron",
            "padron_repetidos",
            "presupuesto",
            "obras",
            "municipios",
        ):
            datos.tabla(capa)  # lectura de Parquet: fuera de la medición
        anio = max(datos.anios_escolares)
        inicio, inicio_cpu = time.perf_counter(), time.process_time()
        tabla = capas.tabla_municipios(datos, anio=anio)
        frio.append(time.perf_counter() - inicio)
        cpu.append(time.process_time() - inicio_cpu)
        inicio = time.perf_counter()
        capas.tabla_municipios(datos, anio=anio)
        caliente.append(time.perf_counter() - inicio)
    print(f"Indicadores de {len(tabla)} municipios, ciclo {anio}-{anio + 1}:")
    print(
        f"  en frío:     mediana {statistics.median(frio) * 1000:.0f} ms, "
        f"p95 {sorted(frio)[int(0.95 * (len(frio) - 1))] * 1000:.0f} ms (meta ≤ 200 ms)"
    )
    print(f"  en caliente: mediana {statistics.median(caliente) * 1000:.0f} ms")
    # CPU del proceso: no depende de cuánto trabajan otros procesos en la máquina.
    print(f"  CPU en frío: mediana {statistics.median(cpu) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
