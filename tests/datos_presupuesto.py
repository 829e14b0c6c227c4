"""Líneas de presupuesto por objeto del gasto hechas a mano (pruebas de capas y de páginas).

Escenario (montos en pesos; ``dev`` = devengado, ``eje`` = ejercido):

=====  ======  ============  ========================================================
año    zona    fuente        líneas
=====  ======  ============  ========================================================
2021   estado  ojos y shcp   COG01 100 (ojos) y COG01 200 (shcp): se usa solo la SHCP
2022   estado  ojos          COG01 apr 100, dev 90, eje 80: manda el ejercido
2023   estado  ojos          COG01 300/150, COG03 100/vacío; sin total: suma de capítulos
2024   estado  ojos          COG02 400/550, COG01 600/450, COG11 600/450 (concepto),
                             COGTOT 1000/1000, CA1 y CATOT (administrativa)
2025   estado  ojos          COG01 700, COGTOT 700, devengado vacío (aprobado)
2024   20002   ojos          COG01 50/25, COGTOT 50/25
2024   20001   ojos          COG01 9/9
=====  ======  ============  ========================================================

Los municipios 20001, 20002 y 20003 son los de :mod:`tests.conftest_capas`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MUNICIPIO = "20002"

# anio, cvegeo, clasificacion, codigo, nivel, concepto, aprobado, devengado, ejercido,
# fecha_corte, fuente
FILAS = [
    (2021, None, "objeto_gasto", "COG01", "capitulo", "Servicios personales", 100, None, None,
     "2021-12-31", "ojos_al_gasto"),
    (2021, None, "objeto_gasto", "COG01", "capitulo", "Servicios personales", 200, None, None,
     "2021-12-31", "shcp"),
    (2022, None, "objeto_gasto", "COG01", "capitulo", "Servicios personales", 100, 90, 80,
     "2022-12-31", "ojos_al_gasto"),
    (2023, None, "objeto_gasto", "COG01", "capitulo", "Servicios personales", 300, 150, None,
     "2023-06-30", "ojos_al_gasto"),
    (2023, None, "objeto_gasto", "COG03", "capitulo", "Servicios generales", 100, None, None,
     "2023-09-30", "ojos_al_gasto"),
    (2024, None, "objeto_gasto", "COG02", "capitulo", "Materiales y suministros", 400, 550,
     None, "2024-12-31", "ojos_al_gasto"),
    (2024, None, "objeto_gasto", "COG01", "capitulo", "Servicios personales", 600, 450, None,
     "2024-12-31", "ojos_al_gasto"),
    (2024, None, "objeto_gasto", "COG11", "concepto", "Remuneraciones", 600, 450, None,
     "2024-12-31", "ojos_al_gasto"),
    (2024, None, "objeto_gasto", "COGTOT", "total", "Total del gasto", 1000, 1000, None,
     "2024-12-31", "ojos_al_gasto"),
    (2024, None, "administrativa", "CA1", "concepto", "Secretaría de Finanzas", 1000, 1000,
     None, "2024-12-31", "ojos_al_gasto"),
    (2024, None, "administrativa", "CATOT", "total", "Total", 1000, 1000, None, "2024-12-31",
     "ojos_al_gasto"),
    (2025, None, "objeto_gasto", "COG01", "capitulo", "Servicios personales", 700, None, None,
     "2025-12-31", "ojos_al_gasto"),
    (2025, None, "objeto_gasto", "COGTOT", "total", "Total del gasto", 700, None, None,
     "2025-12-31", "ojos_al_gasto"),
    (2024, MUNICIPIO, "objeto_gasto", "COG01", "capitulo", "Servicios personales", 50, 25, None,
     "2024-12-31", "ojos_al_gasto"),
    (2024, MUNICIPIO, "objeto_gasto", "COGTOT", "total", "Total del gasto", 50, 25, None,
     "2024-12-31", "ojos_al_gasto"),
    (2024, "20001", "objeto_gasto", "COG01", "capitulo", "Servicios personales", 9, 9, None,
     "2024-12-31", "ojos_al_gasto"),
]  # fmt: skip


def lineas_presupuesto(filas=FILAS) -> pd.DataFrame:
    """Las filas en el esquema de la capa ``presupuesto`` del almacén."""
    (anio, cvegeo, clase, codigo, nivel, concepto, apr, dev, eje, corte, fuente) = zip(
        *filas, strict=True
    )

    def montos(valores):
        return np.array([np.nan if v is None else float(v) for v in valores])

    vacios = np.full(len(filas), np.nan)
    return pd.DataFrame(
        {
            "anio": pd.array(anio, dtype="Int64"),
            "cvegeo": pd.Series(cvegeo, dtype=object),
            "clasificacion": pd.Series(clase, dtype="str"),
            "codigo": pd.Series(codigo, dtype="str"),
            "nivel": pd.Series(nivel, dtype="str"),
            "concepto": pd.Series(concepto, dtype="str"),
            "programa": pd.Series([None] * len(filas), dtype=object),
            "aprobado": montos(apr),
            "modificado": vacios,
            "comprometido": vacios,
            "devengado": montos(dev),
            "ejercido": montos(eje),
            "pagado": vacios,
            "comprobado": vacios,
            "fecha_corte": pd.to_datetime(pd.Series(corte)),
            "fuente": pd.Series(fuente, dtype="str"),
        }
    )
