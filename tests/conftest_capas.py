"""Datos mínimos, hechos a mano, para probar las capas (``tests/test_capas_*.py``).

Tres municipios, seis escuelas (una privada, una fuera de su municipio declarado, una sin
coordenadas), dos ciclos (2023 y 2024), un padrón con alumnos repetidos en dos escuelas,
presupuestos con y sin modificado y comprobado, obras que disparan cada alerta, tres
cajones de estacionamiento y padrones públicos de dos programas. Los valores esperados de
cada prueba se calculan a mano en la propia prueba.

Los módulos de prueba importan los fixtures de aquí (no es un ``conftest.py``).

Resumen del escenario (municipio de cada escuela = coordenadas, si no el declarado):

==========  =========  =======  ============  ===========  ========================
escuela     nivel      control  declarado     coordenadas  municipio
==========  =========  =======  ============  ===========  ========================
20DPR0001A  PRIMARIA   PUBLICO  20001 (A)     20001        A
20DPR0002B  PRIMARIA   PUBLICO  20001 (A)     20002        B (fuera de su municipio)
20DJN0003C  PREESCOLAR PUBLICO  20002 (B)     (sin)        B
20DES0004D  SECUNDARIA PUBLICO  20002 (B)     20002        B
20PPR0005E  PRIMARIA   PRIVADO  20001 (A)     20001        A (fuera del programa)
20DJN0006F  PREESCOLAR PUBLICO  20002 (B)     20002        B
==========  =========  =======  ============  ===========  ========================

El municipio C (20003) no tiene escuelas.
"""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from almacen.versiones import Almacen
from capas.lectura import limpiar_cache

A, B, C = "20001", "20002", "20003"
E1, E2, E3, E4, E5, E6 = (
    "20DPR0001A",
    "20DPR0002B",
    "20DJN0003C",
    "20DES0004D",
    "20PPR0005E",
    "20DJN0006F",
)
PROGRAMA = "Uniformes y Útiles Escolares Gratuitos"
FECHA_CORTE = "2025-09-30"


def _enteros(valores) -> pd.array:
    return pd.array(valores, dtype="Int64")


def _flotantes(valores) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in valores], dtype="float64")


def _texto(valores) -> pd.Series:
    return pd.Series(valores, dtype="str")


def municipios() -> gpd.GeoDataFrame:
    """Tres municipios cuadrados de 1° × 1°, uno junto a otro."""
    cajas = [shapely.box(-98 + i, 16, -97 + i, 17) for i in range(3)]
    return gpd.GeoDataFrame(
        {
            "cvegeo": _texto([A, B, C]),
            "cve_ent": _texto(["20"] * 3),
            "cve_mun": _texto(["001", "002", "003"]),
            "municipio": _texto(["Abejones", "Acatlán de Pérez Figueroa", "Asunción Cacalotepec"]),
        },
        geometry=cajas,
        crs="EPSG:4326",
    )


def escuelas() -> pd.DataFrame:
    """Las seis escuelas del escenario."""
    return pd.DataFrame(
        {
            "cct": _texto([E1, E2, E3, E4, E5, E6]),
            "nombre": _texto(
                [
                    "Benito Juárez",
                    "Margarita Maza",
                    "Jardín Rosario Castellanos",
                    "Secundaria Técnica 1",
                    "Colegio Particular",
                    "Jardín Sor Juana",
                ]
            ),
            "nivel": _texto(
                ["PRIMARIA", "PRIMARIA", "PREESCOLAR", "SECUNDARIA", "PRIMARIA", "PREESCOLAR"]
            ),
            "control": _texto(["PUBLICO"] * 4 + ["PRIVADO", "PUBLICO"]),
            "basica_publica": pd.array([True, True, True, True, False, True], dtype="boolean"),
            "cvegeo_declarado": _texto([A, A, B, B, A, B]),
            "cvegeo_coordenadas": _texto([A, B, None, B, A, B]),
            "latitud": _flotantes([16.5, 16.5, None, 16.6, 16.4, 16.7]),
            "longitud": _flotantes([-97.5, -96.5, None, -96.4, -97.4, -96.6]),
            "localidad": _texto(["Abejones"] * 6),
            "cve_loc": _texto(["0001"] * 6),
            "turno": _texto(["MATUTINO"] * 6),
            "advertencias": _texto([None, "fuera_de_municipio", None, None, None, None]),
        }
    )


def matricula() -> pd.DataFrame:
    """Inscritos, existencia y aprobados por escuela y ciclo (ver cada prueba)."""
    filas = [
        # cct, anio, inscritos, existencia, aprobados
        (E1, 2023, 100, 90, 81),
        (E2, 2023, 50, 50, 45),
        (E3, 2023, 40, 38, None),
        (E4, 2023, 200, 180, 150),
        (E5, 2023, 80, 80, 80),
        (E6, 2023, 30, 30, 30),
        (E1, 2024, 110, 104, 94),
        (E2, 2024, 60, 57, 57),
        (E3, 2024, 40, 40, None),
        (E4, 2024, 0, 0, 0),
        (E5, 2024, 85, 85, 85),
        (E6, 2024, 25, 24, 20),
    ]
    cct, anio, ins, exi, apr = zip(*filas, strict=True)
    return pd.DataFrame(
        {
            "cct": _texto(cct),
            "ciclo": _texto([f"{a}-{a + 1}" for a in anio]),
            "anio": _enteros(anio),
            "inscritos": _enteros(ins),
            "existencia": _enteros(exi),
            "aprobados": _enteros(apr),
        }
    )


def padron() -> pd.DataFrame:
    """Alumnos distintos por escuela, ciclo y beneficio (la fila TOTAL es la que cuenta)."""
    total = [
        (E2, 2023, 45),
        (E3, 2023, 40),
        (E4, 2023, 150),
        (E5, 2023, 10),
        (E6, 2023, 20),
        (E1, 2024, 100),
        (E2, 2024, 60),
        (E3, 2024, 30),
        (E5, 2024, 5),
        (E6, 2024, 30),
    ]
    filas = []
    for cct, anio, alumnos in total:
        filas.append((cct, anio, "TOTAL", alumnos, 2 * alumnos))
        filas.append((cct, anio, "UNIFORME", alumnos, alumnos))
        filas.append((cct, anio, "UTILES", alumnos, alumnos))
    cct, anio, beneficio, alumnos, paquetes = zip(*filas, strict=True)
    return pd.DataFrame(
        {
            "cct": _texto(cct),
            "anio": _enteros(anio),
            "beneficio": _texto(beneficio),
            "alumnos": _enteros(alumnos),
            "paquetes": _enteros(paquetes),
            "monto": _flotantes([None] * len(filas)),
            "mujeres": _enteros([None] * len(filas)),
            "hombres": _enteros([None] * len(filas)),
        }
    )


def padron_repetidos() -> pd.DataFrame:
    """Tres alumnos de 2024 en dos escuelas cada uno.

    - grupo 1: E1 (A) y E2 (B): municipios distintos, cuenta doble solo en la entidad.
    - grupo 2: E2 y E3, ambas en B: cuenta doble en B y en la entidad.
    - grupo 3: E1 y E5 (privada): solo E1 está en el programa, no sobra nada.
    """
    filas = [
        (2024, 1, E1),
        (2024, 1, E2),
        (2024, 2, E2),
        (2024, 2, E3),
        (2024, 3, E1),
        (2024, 3, E5),
    ]
    anio, grupo, cct = zip(*filas, strict=True)
    return pd.DataFrame({"anio": _enteros(anio), "grupo": _enteros(grupo), "cct": _texto(cct)})


def presupuesto() -> pd.DataFrame:
    """Líneas del programa y una de otro programa (ver pruebas de gasto)."""
    filas = [
        # anio, cvegeo, programa, aprobado, modificado, devengado, ejercido, comprobado, corte
        (2024, A, PROGRAMA, 1_000_000, 1_200_000, 1_150_000, 1_100_000, None, None),
        (2024, B, PROGRAMA, 500_000, None, None, 450_000, 300_000, None),
        (2024, C, PROGRAMA, 200_000, None, None, 230_000, None, None),
        (2024, None, PROGRAMA, 2_000_000, 2_100_000, None, 1_500_000, None, None),
        (2024, A, "Caminos rurales", 9_999, None, None, None, None, None),
        (2025, A, PROGRAMA, 1_000_000, None, 400_000, None, None, "2025-06-30"),
        (2025, B, PROGRAMA, None, None, None, 10, None, "2025-06-30"),
    ]
    anio, cvegeo, programa, apr, mod, dev, eje, comp, corte = zip(*filas, strict=True)
    return pd.DataFrame(
        {
            "anio": _enteros(anio),
            "cvegeo": _texto(cvegeo),
            "clasificacion": _texto(["programa"] * len(filas)),
            "codigo": _texto([None] * len(filas)),
            "nivel": _texto([None] * len(filas)),
            "concepto": _texto([None] * len(filas)),
            "programa": _texto(programa),
            "aprobado": _flotantes(apr),
            "modificado": _flotantes(mod),
            "comprometido": _flotantes([None] * len(filas)),
            "devengado": _flotantes(dev),
            "ejercido": _flotantes(eje),
            "pagado": _flotantes([None] * len(filas)),
            "comprobado": _flotantes(comp),
            "fecha_corte": pd.to_datetime(pd.Series(corte, dtype=object)),
            "fuente": _texto(["shcp"] * len(filas)),
        }
    )


#: Cada obra y la alerta que debe disparar (ver pruebas de obras).
OBRAS = [
    # folio, anio, trim, declarado, coordenadas, aprobado, modificado, ejercido, avance,
    # fecha_termino, estatus, contratista, adjudicacion
    ("OAX-1", 2024, 1, A, A, 1_000_000, None, 200_000, 0.2, "2026-12-31", "En ejecución",
     "Constructora Alfa", "LICITACION PUBLICA"),
    ("OAX-1", 2024, 2, A, A, 1_000_000, None, 800_000, 0.5, "2026-12-31", "En ejecución",
     "Constructora Alfa", "LICITACION PUBLICA"),
    ("OAX-2", 2024, 2, A, A, 1_000_000, 1_150_000, 900_000, 0.9, "2026-06-30", "En ejecución",
     "Constructora Alfa", "ADJUDICACION DIRECTA"),
    ("OAX-3", 2024, 4, B, B, 500_000, None, 250_000, 0.6, "2025-03-31", "En ejecución",
     "Beta SA", "ADJUDICACION DIRECTA"),
    ("OAX-4", 2024, 4, B, B, 100_000, None, 50_000, 360.0, None, "En ejecución",
     "Beta SA", None),
    ("OAX-5", 2024, 3, C, C, 300_000, None, 300_000, 1.0, "2025-12-31", "En ejecución",
     "Gamma", "LICITACION PUBLICA"),
    ("OAX-6", 2024, 3, C, C, 400_000, None, 100_000, 0.1, "2026-12-31", "En ejecución",
     "Gamma", "LICITACION PUBLICA"),
    ("OAX-6", 2024, 3, C, C, 400_000, None, 120_000, 0.1, "2026-12-31", "En ejecución",
     "Gamma", "LICITACION PUBLICA"),
    ("OAX-7", 2024, 2, A, B, 200_000, None, 100_000, 0.5, "2026-12-31", "En ejecución",
     None, None),
    ("OAX-8", 2024, 2, B, None, None, None, 50_000, 0.3, None, "En ejecución",
     "Delta", "ADJUDICACION DIRECTA"),
    ("OAX-9", 2024, 2, B, B, 100_000, None, 70_000, 0.7, "2025-03-31", "En ejecución",
     "Epsilon", "LICITACION PUBLICA"),
    ("OAX-9", 2025, 1, B, B, 100_000, None, 100_000, 1.0, "2025-03-31", "Terminado",
     "Epsilon", "LICITACION PUBLICA"),
]  # fmt: skip


def obras() -> pd.DataFrame:
    """Reportes trimestrales de las nueve obras (ver :data:`OBRAS`)."""
    (folio, anio, trim, decl, coord, apr, mod, eje, avance, termino, estatus, contr, adj) = zip(
        *OBRAS, strict=True
    )
    n = len(OBRAS)
    latitud = [None if c is None else 16.5 for c in coord]
    longitud = [None if c is None else -98 + int(c[-1]) - 0.5 for c in coord]
    return pd.DataFrame(
        {
            "folio": _texto(folio),
            "anio": _enteros(anio),
            "trimestre": _enteros(trim),
            "nombre": _texto([f"Obra {f}" for f in folio]),
            "nivel_gobierno": _texto(["MUNICIPAL"] * n),
            "cvegeo_declarado": _texto(decl),
            "cvegeo_coordenadas": _texto(coord),
            "categoria": _texto(["Urbanización"] * n),
            "clasificacion": _texto([None] * n),
            "monto_aprobado": _flotantes(apr),
            "monto_modificado": _flotantes(mod),
            "monto_comprometido": _flotantes([None] * n),
            "monto_devengado": _flotantes([None] * n),
            "monto_ejercido": _flotantes(eje),
            "monto_pagado": _flotantes(eje),
            "fecha_inicio": pd.Series([date(2024, 1, 15)] * n, dtype=object),
            "fecha_termino": pd.Series(
                [None if t is None else date.fromisoformat(t) for t in termino], dtype=object
            ),
            "estatus": _texto(estatus),
            "avance_fisico": _flotantes(avance),
            "latitud": _flotantes(latitud),
            "longitud": _flotantes(longitud),
            "contratista": _texto(contr),
            "rfc_contratista": _texto([None] * n),
            "tipo_adjudicacion": _texto(adj),
            "formato": _texto(["A"] * n),
            "advertencias": _texto([None] * n),
        }
    )


def estacionamientos() -> pd.DataFrame:
    """Tres cajones: dos en buen estado (2 y 1 cajones) y uno por rehabilitar."""
    return pd.DataFrame(
        {
            "id": _texto(["P1", "P2", "P3"]),
            "direccion": _texto(["Centro 1", "Centro 2", "Centro 3"]),
            "cajones": _enteros([2, 1, 1]),
            "estado": _texto(["bueno", "requiere_rehabilitacion", "bueno"]),
            "fecha_revision": pd.Series([date(2025, 8, 1)] * 3, dtype=object),
            "observaciones": _texto([None] * 3),
            "foto_url": _texto([None] * 3),
            "latitud": _flotantes([17.06, 17.07, 17.08]),
            "longitud": _flotantes([-96.72, -96.73, -96.74]),
            "cvegeo": _texto(["20067"] * 3),
            "origen": _texto(["csv"] * 3),
            "advertencias": _texto([None] * 3),
        }
    )


def programas() -> pd.DataFrame:
    """Padrones públicos: S311 en 2024 y 2025 y U084 en 2025; C sin programas.

    En B, la localidad 0005 no publicó importe (monto vacío).
    """
    return pd.DataFrame(
        {
            "programa": _texto(["S311", "S311", "S311", "S311", "U084"]),
            "anio": np.array([2025, 2025, 2025, 2024, 2025], dtype="int64"),
            "cvegeo": _texto([A, B, B, A, A]),
            "cve_loc": _texto(["0001", "0001", "0005", "0001", "0002"]),
            "localidad": _texto(["Abejones", "Acatlán", "La Cinco", "Abejones", "El Dos"]),
            "beneficiarios": np.array([10, 4, 1, 8, 3], dtype="int64"),
            "monto": _flotantes([19000.0, 7600.0, None, 15200.0, 4500.0]),
        }
    )


def capas_prueba() -> dict[str, pd.DataFrame]:
    """Todas las capas del escenario, en el esquema del almacén."""
    return {
        "municipios": municipios(),
        "escuelas": escuelas(),
        "matricula": matricula(),
        "padron": padron(),
        "padron_repetidos": padron_repetidos(),
        "presupuesto": presupuesto(),
        "obras": obras(),
        "estacionamientos": estacionamientos(),
        "programas": programas(),
    }


def crear_almacen(raiz, capas: dict[str, pd.DataFrame] | None = None) -> Almacen:
    """Un almacén con una versión que contiene ``capas`` (por omisión, el escenario)."""
    almacen = Almacen(raiz)
    cambios = {nombre: (tabla, None) for nombre, tabla in (capas or capas_prueba()).items()}
    almacen.crear_version(
        cambios, carga={"tipo": "prueba", "archivo": "x", "fecha_corte": FECHA_CORTE}
    )
    return almacen


@pytest.fixture(scope="session")
def almacen_prueba(tmp_path_factory) -> Almacen:
    """Almacén con el escenario de prueba (una versión)."""
    return crear_almacen(tmp_path_factory.mktemp("almacen_capas"))


@pytest.fixture(scope="session")
def datos_prueba(almacen_prueba):
    """Los datos en caché de la versión del escenario (:func:`capas.abrir`)."""
    import capas

    limpiar_cache()
    return capas.abrir(almacen_prueba.raiz)
