"""Medición: cargar un padrón sintético de 1,000,000 de filas (formato SIIPP-G) de punta a punta.

Compara, en la misma corrida y con el mismo archivo, la carga completa (``ingesta.carga``:
lectura, validación, agregación, escritura de la versión) contra un
``pyarrow.csv.read_csv`` simple. Cada medición corre en un proceso propio para medir su
memoria pico (``ru_maxrss``).

Uso::

    python benchmarks/padron.py [--filas 1000000] [--repeticiones 3] [--carpeta DIR]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    args = _argumentos()
    if args.medir:
        _medir(args.medir, Path(args.archivo), args.datos)
        return
    carpeta = Path(args.carpeta or tempfile.mkdtemp(prefix="bench-padron-"))
    carpeta.mkdir(parents=True, exist_ok=True)
    archivo = carpeta / f"padron_{args.filas}.csv"
    if not archivo.exists():
        from ingesta.ejemplo import escribir_padron

        inicio = time.perf_counter()
        escribir_padron(archivo, args.filas)
        print(f"Padrón sintético generado en {time.perf_counter() - inicio:.1f} s: {archivo}")
    print(f"Archivo: {archivo.stat().st_size / 1e6:.0f} MB, {args.filas:,} filas")
    # Se calienta la geografía (lectura del GeoPackage) una vez para no medir la caché de disco.
    resultados: dict[str, list[dict]] = {"pyarrow": [], "carga": []}
    for i in range(args.repeticiones):
        for modo in ("pyarrow", "carga"):
            datos = carpeta / f"datos-{i}"
            salida = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--medir",
                    modo,
                    "--archivo",
                    str(archivo),
                    "--datos",
                    str(datos),
                ],
                check=True,
                capture_output=True,
                text=True,
            )
            resultados[modo].append(json.loads(salida.stdout.strip().splitlines()[-1]))
    _reportar(resultados)


def _medir(modo: str, archivo: Path, datos: str) -> None:
    antes = resource.getrusage(resource.RUSAGE_SELF)
    if modo == "pyarrow":
        import pyarrow.csv as pacsv

        inicio = time.perf_counter()
        tabla = pacsv.read_csv(archivo)
        segundos = time.perf_counter() - inicio
        extra = {"filas": tabla.num_rows}
    else:
        from ingesta.carga import cargar
        from ingesta.geografia import municipios

        municipios().completos  # noqa: B018 - la geografía no es parte del padrón
        antes = resource.getrusage(resource.RUSAGE_SELF)
        inicio = time.perf_counter()
        resultado = cargar("padron", archivo, datos)
        segundos = time.perf_counter() - inicio
        extra = {"filas": resultado.filas_leidas, "aceptadas": resultado.filas_aceptadas}
    uso = resource.getrusage(resource.RUSAGE_SELF)
    memoria_mb = uso.ru_maxrss / 1024
    # Tiempo de CPU (usuario + sistema, todos los hilos): menos sensible que el de reloj a
    # una máquina compartida.
    cpu = uso.ru_utime + uso.ru_stime - antes.ru_utime - antes.ru_stime
    print(json.dumps({"segundos": segundos, "cpu_s": cpu, "memoria_mb": memoria_mb, **extra}))


def _reportar(resultados: dict[str, list[dict]]) -> None:
    base = statistics.median(r["segundos"] for r in resultados["pyarrow"])
    carga = statistics.median(r["segundos"] for r in resultados["carga"])
    memoria = max(r["memoria_mb"] for r in resultados["carga"])
    memoria_base = max(r["memoria_mb"] for r in resultados["pyarrow"])
    print(f"pyarrow.csv.read_csv (mediana): {base:.2f} s, memoria pico {memoria_base:,.0f} MB")
    print(f"Carga completa del padrón (mediana): {carga:.2f} s, memoria pico {memoria:,.0f} MB")
    print(f"Razón carga / pyarrow: {carga / base:.2f}")
    cpu_base = statistics.median(r["cpu_s"] for r in resultados["pyarrow"])
    cpu_carga = statistics.median(r["cpu_s"] for r in resultados["carga"])
    print(
        f"Tiempo de CPU (mediana): pyarrow {cpu_base:.2f} s, carga {cpu_carga:.2f} s "
        f"(razón {cpu_carga / cpu_base:.2f})"
    )
    todas = ", ".join(f"{r['segundos']:.2f}" for r in resultados["carga"])
    print(f"Carga, cada repetición: {todas} s")
    print(
        f"Filas leídas: {resultados['carga'][0]['filas']:,}; aceptadas: {resultados['carga'][0]['aceptadas']:,}"
    )
    print("Metas: ≤ 20 s, ≤ 3,000 MB, razón ≤ 4")


def _argumentos() -> argparse.Namespace:
    analizador = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    analizador.add_argument("--filas", type=int, default=1_000_000)
    analizador.add_argument("--repeticiones", type=int, default=3)
    analizador.add_argument("--carpeta")
    analizador.add_argument("--medir", choices=["pyarrow", "carga"], help=argparse.SUPPRESS)
    analizador.add_argument("--archivo", help=argparse.SUPPRESS)
    analizador.add_argument("--datos", help=argparse.SUPPRESS)
    return analizador.parse_args()


if __name__ == "__main__":
    main()
