"""Fuzz acotado de la ingesta: archivos con valores arbitrarios en cada columna de cada
formato tabular registrado. Nunca una traza: o se carga con todas las filas contadas
(leídas = aceptadas + rechazadas + omitidas) o es un error de ingesta en español; y una
CURP escrita en cualquier columna nunca aparece en el almacén ni en un mensaje."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingesta.carga import cargar
from ingesta.errores import ErrorIngesta
from ingesta.fuentes import FUENTES
from tests.conftest import textos_de_archivos

pytestmark = pytest.mark.fuzz

CURP = "PEMJ150312HOCRRN09"

#: Cada formato tabular de cada fuente (del registro: un formato nuevo entra solo).
FORMATOS = [
    (tipo, formato)
    for tipo, fuente in FUENTES.items()
    for formato in fuente.formatos
    if not formato.json
]

valores = st.one_of(
    st.sampled_from(
        [
            "",
            "-",
            "N/D",
            "0",
            "1,234.50",
            "1.234,56",
            "(5)",
            "-7",
            "2024-2025",
            "2024",
            "31/03/2024",
            "jun-05",
            "99999",
            "067",
            "20067",
            "Oaxaca de Juárez",
            "20DPR0001X",
            "17.06",
            "-96.72",
            "1e400",
            "9" * 30,
            "=HYPERLINK(1)",
            CURP,
            "Estado de Mexico",
            "Oaxaca",
        ]
    ),
    st.text(max_size=12),
)


@pytest.mark.parametrize(("tipo", "formato"), FORMATOS, ids=lambda v: getattr(v, "nombre", v))
@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(filas=st.lists(st.lists(valores, min_size=40, max_size=40), min_size=1, max_size=4))
def test_fuzz_formato(tipo, formato, filas):
    columnas = [c.nombre for c in formato.columnas]
    texto = io.StringIO()
    escritor = csv.writer(texto, lineterminator="\n")
    escritor.writerow(columnas)
    for fila in filas:
        escritor.writerow(
            [v.replace("\x00", "").replace("\r", " ").replace("\n", " ") for v in fila][
                : len(columnas)
            ]
        )
    with tempfile.TemporaryDirectory() as carpeta:
        ruta = Path(carpeta) / "f.csv"
        ruta.write_text(texto.getvalue(), encoding="utf-8")
        raiz = Path(carpeta) / "datos"
        opciones = {"anio": 2024, "programa": "S311"}
        try:
            resultado = cargar(tipo, ruta, raiz, opciones=opciones)
        except ErrorIngesta as error:
            assert CURP not in str(error)
        else:
            assert resultado.filas_leidas == len(filas)
            assert resultado.filas_leidas == (
                resultado.filas_aceptadas + resultado.filas_rechazadas + resultado.filas_omitidas
            )
        for ruta_archivo, contenido in textos_de_archivos(Path(carpeta)):
            if ruta_archivo != ruta:
                assert CURP not in contenido, ruta_archivo
