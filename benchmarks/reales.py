"""Medición: cargar archivos publicados completos de punta a punta.

- El archivo completo de Ojos al Gasto «COG Estatal» (21,024 filas de 32 entidades), tomado
  de ``../shared/reales`` o de ``--ojos ARCHIVO``.
- Un reporte SRFT «destino del gasto» sintético de 300,000 filas en el formato publicado
  (Latin-1, nacional: todas las entidades, cinco reportes incluido el definitivo), como CSV y
  dentro de un ZIP ``efAAAA.zip`` junto a ``fuentes_financiamiento.csv``.

Cada medición corre en un proceso propio (tiempo de ``cargar`` y memoria pico con
``ru_maxrss``); se informa la mediana de las repeticiones.

Uso::

    python benchmarks/reales.py [--filas 300000] [--repeticiones 3] [--carpeta DIR] [--ojos ARCHIVO]
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
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

RAIZ = Path(__file__).resolve().parents[1]
OJOS = RAIZ.parent / "shared" / "reales" / "ojos-cog-estatal" / "COG Estatal 2026 aprobado.csv"


def main() -> None:
    args = _argumentos()
    if args.medir:
        _medir(args.medir, Path(args.archivo), args.datos)
        return
    carpeta = Path(args.carpeta or tempfile.mkdtemp(prefix="bench-reales-"))
    carpeta.mkdir(parents=True, exist_ok=True)
    casos: list[tuple[str, str, Path]] = []
    ojos = Path(args.ojos) if args.ojos else OJOS
    if ojos.exists():
        casos.append(("Ojos al Gasto COG estatal (completo)", "presupuesto", ojos))
    else:
        print(f"Sin el archivo de Ojos al Gasto ({ojos}): se mide solo el SRFT.")
    srft = carpeta / f"srft_{args.filas}.csv"
    if not srft.exists():
        inicio = time.perf_counter()
        escribir_srft(srft, args.filas)
        print(f"SRFT sintético generado en {time.perf_counter() - inicio:.1f} s: {srft}")
    comprimido = carpeta / "ef2025.zip"
    if not comprimido.exists():
        with zipfile.ZipFile(comprimido, "w", zipfile.ZIP_DEFLATED) as zip_:
            zip_.write(srft, "ef2025.csv")
            zip_.writestr("fuentes_financiamiento.csv", "FOLIO,FUENTE\nOAX0001,FAIS\n")
    casos.append((f"SRFT sintético {args.filas:,} filas (CSV Latin-1)", "obras", srft))
    casos.append((f"SRFT sintético {args.filas:,} filas (ZIP)", "obras", comprimido))
    for titulo, tipo, archivo in casos:
        medidas = []
        for i in range(args.repeticiones):
            datos = carpeta / f"datos-{tipo}-{archivo.suffix[1:]}-{i}"
            salida = subprocess.run(
                [sys.executable, __file__, "--medir", tipo, "--archivo", str(archivo)]
                + ["--datos", str(datos)],
                check=True,
                capture_output=True,
                text=True,
            )
            medidas.append(json.loads(salida.stdout.strip().splitlines()[-1]))
        _reportar(titulo, archivo, medidas)


def escribir_srft(ruta: Path, filas: int, semilla: int = 7) -> None:
    """Reporte SRFT nacional sintético en el formato publicado (Latin-1, mayúsculas)."""
    from ingesta.geografia import municipios

    rng = np.random.default_rng(semilla)
    oaxaca = municipios("20").completos
    puntos = oaxaca.geometry.representative_point()
    # Una obra por folio en cinco reportes de 2025 (T1-T4 y el definitivo, TRIMESTRE 5).
    obras = filas // 5
    entidad = rng.integers(1, 33, obras)
    entidad[: obras // 8] = 20  # ~1/8 de las obras en Oaxaca
    mun = rng.integers(0, len(oaxaca), obras)
    lat = np.where(entidad == 20, puntos.y.to_numpy()[mun], 19.4 + rng.normal(0, 0.5, obras))
    lon = np.where(entidad == 20, puntos.x.to_numpy()[mun], -99.1 + rng.normal(0, 0.5, obras))
    clave_mun = np.where(
        entidad == 20,
        oaxaca["cve_mun"].to_numpy()[mun].astype(int),
        rng.integers(1, 100, obras),
    )
    aprobado = rng.integers(100_000, 50_000_000, obras).astype(float)
    tabla = pd.DataFrame(
        {
            "FOLIO": [f"OAX{entidad[i]:02d}{i:07d}" for i in range(obras)],
            "ID_ENTIDAD_FEDERATIVA": entidad,
            "ID_MUNICIPIO_RESPONSABLE": clave_mun,
            "NOMBRE_PROYECTO": rng.choice(
                ["Construcción de aula", "Pavimentación de calle", "Ampliación de red de agua"],
                obras,
            ),
            "CATEGORIA": rng.choice(["Educación", "Urbanización", "Agua y saneamiento"], obras),
            "TIPO_PROGRAMA_PROYECTO": "Proyecto de inversión",
            "CLASIFICACION": rng.choice(["Construcción", "Ampliación", "Mejoramiento"], obras),
            "MONTO_GLOBAL_APROBADO": aprobado,
            "FECHA_INICIO": "15/02/2025",
            "FECHA_ESTIMADA_TERMINO": "30/11/2025",
            "NIVEL_GOBIERNO": rng.choice(["MUNICIPAL", "ESTATAL", "FEDERAL"], obras),
            "LATITUD": np.round(lat, 6),
            "LONGITUD": np.round(lon, 6),
        }
    )
    partes = []
    for trimestre in range(1, 6):
        avance = min(trimestre * 22, 100)
        parte = tabla.assign(
            CICLO=2025,
            TRIMESTRE=trimestre,
            MONTO_COMPROMETIDO=aprobado,
            MONTO_DEVENGADO=np.round(aprobado * avance / 110, 2),
            MONTO_EJERCIDO=np.round(aprobado * avance / 110, 2),
            MONTO_PAGADO=np.round(aprobado * avance / 120, 2),
            AVANCE_FISICO=avance,
            ESTATUS="En ejecución" if avance < 100 else "Terminado",
        )
        partes.append(parte)
    completo = pd.concat(partes, ignore_index=True).head(filas)
    completo.to_csv(ruta, index=False, encoding="latin-1")


def _medir(tipo: str, archivo: Path, datos: str) -> None:
    from ingesta.carga import cargar
    from ingesta.geografia import municipios

    municipios().simplificados  # noqa: B018 - la geografía se prepara una vez por proceso
    inicio = time.perf_counter()
    resultado = cargar(tipo, archivo, datos)
    segundos = time.perf_counter() - inicio
    memoria_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "segundos": segundos,
                "memoria_mb": memoria_mb,
                "leidas": resultado.filas_leidas,
                "aceptadas": resultado.filas_aceptadas,
                "rechazadas": resultado.filas_rechazadas,
                "omitidas": resultado.filas_omitidas,
            }
        )
    )


def _reportar(titulo: str, archivo: Path, medidas: list[dict]) -> None:
    segundos = statistics.median(m["segundos"] for m in medidas)
    memoria = max(m["memoria_mb"] for m in medidas)
    m = medidas[0]
    todas = ", ".join(f"{x['segundos']:.2f}" for x in medidas)
    print(
        f"{titulo}: {archivo.stat().st_size / 1e6:.1f} MB; mediana {segundos:.2f} s "
        f"(de {todas}), memoria pico "
        f"{memoria:,.0f} MB; leídas {m['leidas']:,} = aceptadas {m['aceptadas']:,} + "
        f"rechazadas {m['rechazadas']:,} + omitidas {m['omitidas']:,}"
    )


def _argumentos() -> argparse.Namespace:
    analizador = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    analizador.add_argument("--filas", type=int, default=300_000)
    analizador.add_argument("--repeticiones", type=int, default=3)
    analizador.add_argument("--carpeta")
    analizador.add_argument("--ojos", help="archivo COG Estatal de Ojos al Gasto")
    analizador.add_argument("--medir", help=argparse.SUPPRESS)
    analizador.add_argument("--archivo", help=argparse.SUPPRESS)
    analizador.add_argument("--datos", help=argparse.SUPPRESS)
    return analizador.parse_args()


if __name__ == "__main__":
    main()
