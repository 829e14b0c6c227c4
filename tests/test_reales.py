"""Los archivos reales de ``../shared/reales/`` se cargan tal como se publican.

Cada prueba carga un archivo con la CLI (``ingesta cargar ... --json``), revisa las tres
cuentas (leídas = aceptadas + rechazadas + omitidas) y lee de las descargas valores que una
persona puede comprobar abriendo el archivo. Los valores esperados se contaron en los
archivos publicados con otra herramienta (el módulo ``csv`` de Python), no con este código.

Sin la carpeta de archivos reales estas pruebas se saltan, salvo con ``CI=true``: ahí la
falta del corpus es una falla.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pandas as pd
import pytest

from ingesta.cli import main
from tablero import descargas
from tablero.app import crear_app

#: Carpeta del corpus: ``SIGUE_REALES`` o ``../shared/reales`` junto al repositorio.
REALES = Path(
    os.environ.get("SIGUE_REALES") or Path(__file__).resolve().parents[2] / "shared" / "reales"
)


@pytest.fixture(scope="module")
def reales() -> Path:
    if not REALES.is_dir():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"Falta el corpus de archivos reales en {REALES} (CI=true)")
        pytest.skip(f"sin el corpus de archivos reales en {REALES}")
    return REALES


def _cargar(capsys, tipo: str, archivo: Path, datos: Path, *opciones: str) -> tuple[int, dict]:
    salida = main(["cargar", tipo, str(archivo), "--datos", str(datos), "--json", *opciones])
    texto = capsys.readouterr().out.strip().splitlines()
    return salida, json.loads(texto[-1])


def _descarga(datos: Path, ruta: str) -> pd.DataFrame:
    descargas.limpiar_cache()
    respuesta = crear_app(datos).server.test_client().get(ruta)
    assert respuesta.status_code == 200, respuesta.data[:300]
    return pd.read_csv(io.BytesIO(respuesta.data), dtype=str, keep_default_na=False)


def _cuentas(resultado: dict) -> tuple[int, int, int, int]:
    cuentas = (
        resultado["filas_leidas"],
        resultado["filas_aceptadas"],
        resultado["filas_rechazadas"],
        resultado["filas_omitidas"],
    )
    assert cuentas[0] == sum(cuentas[1:])
    return cuentas


def test_ojos_al_gasto_cog_estatal(reales, tmp_path, capsys):
    archivo = reales / "ojos-cog-estatal" / "COG Estatal 2026 aprobado.csv"
    salida, resultado = _cargar(capsys, "presupuesto", archivo, tmp_path)
    assert salida == 0
    # 21,024 filas de 32 entidades; 657 de Oaxaca (73 códigos × 9 años), ninguna rechazada.
    assert _cuentas(resultado) == (21024, 657, 0, 20367)
    tabla = _descarga(tmp_path, "/descargas/presupuesto.csv")
    assert len(tabla) == 657
    fila = tabla[(tabla["anio"] == "2018") & (tabla["codigo"] == "COG01")]
    assert fila[["clasificacion", "nivel", "cvegeo"]].values.tolist() == [
        ["objeto_gasto", "capitulo", ""]
    ]
    assert float(fila["aprobado"].iloc[0]) == 4273231268.16
    assert float(fila["devengado"].iloc[0]) == 4876831216.46
    total = tabla[(tabla["anio"] == "2024") & (tabla["codigo"] == "COGTOT")]
    assert total["nivel"].tolist() == ["total"]
    assert float(total["aprobado"].iloc[0]) == 99619332375.00
    assert float(total["devengado"].iloc[0]) == 121051855793.22
    # Conceptos publicados con espacios sobrantes se guardan recortados.
    assert fila["concepto"].tolist() == ["Servicios Personales"]
    # Procedencia: archivo, huella y licencia de origen (ODbL) en el paquete de datos.
    descargas.limpiar_cache()
    paquete = crear_app(tmp_path).server.test_client().get("/descargas/datapackage.json").get_json()
    fuente, inegi = paquete["sources"]
    assert "INEGI" in inegi["title"]
    assert fuente["archivo"] == archivo.name and fuente["filas_omitidas"] == 20367
    assert fuente["sha256"] == resultado["sha256"]
    assert fuente["licencia"] == "Open Data Commons Open Database License (ODbL) 1.0"


@pytest.mark.parametrize(
    ("estado", "aceptadas_mas_rechazadas"),
    [("15", 657), ("16", 657), ("24", 657), ("28", 657), ("09", 657)],
)
def test_ojos_al_gasto_nombres_de_entidad_publicados(
    reales, tmp_path, capsys, monkeypatch, estado, aceptadas_mas_rechazadas
):
    """«Estado de Mexico», «Michoacan», «San Luis Potosi » (con espacio), «Tamaulipas »,
    «Ciudad de Mexico»: cada entidad encuentra sus 657 filas."""
    monkeypatch.setenv("SIGUE_ESTADO", estado)
    archivo = reales / "ojos-cog-estatal" / "COG Estatal 2026 aprobado.csv"
    _, resultado = _cargar(capsys, "presupuesto", archivo, tmp_path)
    leidas, aceptadas, rechazadas, omitidas = _cuentas(resultado)
    assert aceptadas + rechazadas == aceptadas_mas_rechazadas
    assert omitidas == 21024 - aceptadas_mas_rechazadas


def test_obra_publica_abierta_2016_2017(reales, tmp_path, capsys):
    archivo = reales / "opa-2017-shcp" / "_opa.csv"
    salida, resultado = _cargar(capsys, "obras", archivo, tmp_path)
    assert salida == 0
    # 2,699 registros, 113 de Oaxaca (CVE_ENTFED = 20); 3 de ellos sin CICLO ni ANIO. Las
    # omitidas son de otras entidades o de las claves 34/35 (varias / no distribuible).
    assert _cuentas(resultado) == (2699, 110, 3, 2586)
    aceptadas = 110
    tabla = _descarga(tmp_path, "/descargas/obras.csv")
    assert len(tabla) == aceptadas
    obra = tabla[tabla["folio"] == "05096400004"]
    assert obra[["fuente", "nivel_gobierno", "fecha_inicio", "fecha_termino"]].values.tolist() == [
        ["opa", "FEDERAL", "2005-06-01", "2016-12-31"]  # «dic-16»: fin del mes de término
    ]
    assert float(obra["monto_aprobado"].iloc[0]) == 6000000.0
    assert float(obra["monto_ejercido"].iloc[0]) == 75258.0
    # Los folios conservan los ceros a la izquierda; ninguna obra queda en 0,0.
    assert tabla["folio"].str.len().eq(11).all()
    con_punto = tabla[tabla["latitud"] != ""]
    assert not (con_punto["latitud"].astype(float) == 0).any()
    # 18 obras de Oaxaca publican 0,0 (sin ubicación): quedan sin punto y con la alerta.
    sin_punto = tabla[tabla["latitud"] == ""]
    assert sin_punto["alertas"].str.contains("sin_georreferencia").all()
    otra = tabla[tabla["folio"] == "10096400016"]
    assert otra[["anio", "fecha_inicio", "monto_aprobado"]].values.tolist() == [
        ["2017", "2010-07-01", "11000000.0"]
    ]
    # Los datos del servidor público responsable no se publican.
    texto = tabla.to_csv(index=False)
    assert "@" not in texto and "sct.gob.mx" not in texto


def test_padron_publico_s311(reales, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SIGUE_ESTADO", "17")
    archivo = reales / "padron-s311-becas-morelos" / "S311_EDO_17_MORELOS_Q1.csv"
    salida, resultado = _cargar(
        capsys, "padron", archivo, tmp_path, "--programa", "S311", "--anio", "2025"
    )
    assert salida == 0
    assert _cuentas(resultado) == (19999, 19999, 0, 0)
    tabla = _descarga(tmp_path, "/descargas/programas.csv")
    por_municipio = tabla.groupby("cvegeo").agg(
        beneficiarios=("beneficiarios", lambda s: s.astype(int).sum()),
        monto=("monto", lambda s: s.astype(float).sum()),
    )
    # Contados en el archivo: cve_mun 1 (Amacuzac) 327 becas de 1,900; cve_mun 4 3,166.
    assert por_municipio.loc["17001"].tolist() == [327, 621300.0]
    assert por_municipio.loc["17004"].tolist() == [3166, 6015400.0]
    assert por_municipio["beneficiarios"].sum() == 19999
    assert set(tabla["programa"]) == {"S311"} and set(tabla["anio"]) == {"2025"}


def test_padron_publico_sin_programa_nombra_la_opcion(reales, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SIGUE_ESTADO", "17")
    archivo = reales / "padron-s311-becas-morelos" / "S311_EDO_17_MORELOS_Q1.csv"
    salida, resultado = _cargar(capsys, "padron", archivo, tmp_path)
    assert salida == 1
    assert "--programa" in resultado["error"] and resultado["archivo"] == archivo.name
    assert not (tmp_path / "ACTUAL").exists()


def test_oc4ids_de_ejemplo_en_libras_se_rechaza_claro(reales, tmp_path, capsys):
    archivo = reales / "oc4ids-ejemplo" / "example.json"
    salida, resultado = _cargar(capsys, "obras", archivo, tmp_path)
    assert salida == 1
    assert resultado["error"].startswith("Ninguna de las 1 filas de example.json se pudo aceptar")
    assert not (tmp_path / "ACTUAL").exists()
    motivos = next((tmp_path / "rechazos_fallidos").glob("obras-*.csv")).read_text()
    assert "importes en una moneda que no es MXN (no se comparan con pesos): GBP" in motivos
