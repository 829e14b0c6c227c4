"""Obras: SRFT (A, CSV Latin-1, ZIP y XLSX), Obra Pública Abierta (B, archivo viejo y nuevo),
OC4IDS (C) y Ramo 23 (D)."""

import io
import json
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import shapely

from almacen.esquemas import columnas
from almacen.versiones import Almacen
from ingesta.carga import cargar
from ingesta.cli import main
from ingesta.errores import ColumnaFaltante, ErrorIngesta, OpcionFaltante, TipoDesconocido
from ingesta.geografia import municipios
from tests.conftest import (
    escribir_csv,
    leer_advertencias,
    leer_rechazos,
    textos_de_archivos,
    valores,
)

OTRA_ENTIDAD = "fila de otra entidad"
SIN_ENTIDAD = "proyecto de varias entidades o no distribuible geográficamente"

ENCABEZADO_A = [
    "FOLIO", "CICLO", "TRIMESTRE", "ID_ENTIDAD_FEDERATIVA", "ID_MUNICIPIO_RESPONSABLE",
    "NOMBRE_PROYECTO", "NIVEL_GOBIERNO", "MONTO_GLOBAL_APROBADO", "MONTO_EJERCIDO",
    "FECHA_INICIO", "FECHA_ESTIMADA_TERMINO", "ESTATUS", "AVANCE_FISICO", "LATITUD", "LONGITUD",
    "CONTRATISTA", "RFC_CONTRATISTA", "TIPO_ADJUDICACION",
]  # fmt: skip
FILAS_A = [
    # fila 2: municipio por nombre sin acentos, importes con $ y comas, fecha mexicana
    ["OAX-001", "2024", "1", "20", "Santa Maria Tonameca", "Pavimentación en Santa María Tonameca, Ñuu Savi", "Municipal", "$1,234.50", "1,000.00", "31/03/2024", "2024-12-31", "En ejecución", "45", "15.7822", "-96.6834", "Construcciones Ñandú SA de CV", "CNA010101AB1", "Adjudicación directa"],
    # fila 3: coordenadas invertidas, avance de 3,600,000 %, fecha como número de serie de Excel
    ["OAX-002", "2024", "1", "20", "Oaxaca de Juarez", "Drenaje", "ESTATAL", "500000", "", "45382", "", "", "3,600,000", "-96.7266", "17.0606", "", "GOMJ800101AB1", "LICITACIÓN PÚBLICA"],
    # filas 4 y 5: el mismo folio dos veces en el reporte; la 4 cae en otro municipio
    ["OAX-003", "2024", "1", "20", "067", "Aula", "", "100", "", "", "", "", "", "17.0677", "-96.6734", "", "", "Invitación a cuando menos tres personas"],
    ["OAX-003", "2024", "1", "20", "20390", "Aula (repetida)", "", "100", "", "", "", "", "", "", "", "", "", "Concurso"],
    # fila 6: importe negativo; fila 7: otra entidad; fila 8: punto en Puebla (se acepta)
    ["OAX-004", "2024", "1", "20", "067", "Negativa", "", "-500", "", "", "", "", "", "", "", "", "", ""],
    ["PUE-001", "2024", "1", "21", "114", "Puebla", "", "100", "", "", "", "", "", "", "", "", "", ""],
    ["OAX-005", "2024", "1", "20", "067", "Fuera", "", "100", "", "", "", "", "-5", "19.0414", "-98.2063", "", "", ""],
    # filas 9 a 12: municipio desconocido, importe con texto, sin folio, informe anual (5)
    ["OAX-006", "2024", "1", "20", "Narnia", "X", "", "100", "", "", "", "", "", "", "", "", "", ""],
    ["OAX-007", "2024", "1", "20", "067", "X", "", "abc", "", "", "", "", "", "", "", "", "", ""],
    ["", "2024", "1", "20", "067", "X", "", "100", "", "", "", "", "", "", "", "", "", ""],
    ["OAX-008", "2024", "5", "20", "067", "X", "", "100", "", "", "", "", "", "", "", "", "", ""],
]  # fmt: skip


def _dias(serie: pd.Series) -> list[str | None]:
    return [None if pd.isna(f) else f.date().isoformat() for f in serie]


@pytest.fixture(scope="module")
def carga_a(tmp_path_factory):
    """Una sola carga del SRFT de prueba para las pruebas que la revisan."""
    carpeta = tmp_path_factory.mktemp("srft")
    ruta = escribir_csv(carpeta, "srft.csv", [ENCABEZADO_A, *FILAS_A], "cp1252")
    return cargar("obras", ruta, carpeta / "datos")


def test_srft_cuenta_filas_y_motivos_exactos(carga_a):
    # 11 leídas = 6 aceptadas + 4 rechazadas (6, 9, 10, 11) + 1 omitida (7, Puebla).
    cuentas = (carga_a.filas_leidas, carga_a.filas_aceptadas, carga_a.filas_rechazadas)
    assert (carga_a.formato, *cuentas, carga_a.filas_omitidas) == ("A", 11, 6, 4, 1)
    # El informe definitivo anual (TRIMESTRE 5) de 2024 es el reporte más reciente: 31-dic.
    assert carga_a.fecha_corte == "2024-12-31"
    assert leer_rechazos(carga_a) == [
        (6, "MONTO_GLOBAL_APROBADO", "importe negativo: -500"),
        (9, "ID_MUNICIPIO_RESPONSABLE", "municipio 'Narnia' no existe en la entidad 20"),
        (10, "MONTO_GLOBAL_APROBADO", "importe no numérico: abc"),
        (11, "FOLIO", "valor obligatorio vacío"),
    ]
    invalido = "avance_invalido: el avance físico publicado está fuera de 0 a 100 %: "
    duplicado = "folio_duplicado: el folio OAX-003 aparece 2 veces en el mismo reporte"
    assert leer_advertencias(carga_a) == [
        (3, "LATITUD", "coordenadas_invertidas: latitud y longitud se intercambiaron"),
        (3, "AVANCE_FISICO", invalido + "3,600,000"),
        (3, "RFC_CONTRATISTA", "RFC de persona física: no se guarda por ser dato personal"),
        (4, "LATITUD", "fuera_de_municipio: las coordenadas caen en Santa Lucía del Camino"),
        (4, "FOLIO", duplicado),
        (5, "LATITUD", "sin_georreferencia: sin coordenadas"),
        (5, "FOLIO", duplicado),
        (5, "TIPO_ADJUDICACION", "tipo de adjudicación no reconocido: se conserva como se publicó: Concurso"),
        (8, "LATITUD", "fuera_del_estado: las coordenadas caen fuera de la entidad"),
        (8, "AVANCE_FISICO", invalido + "-5"),
        (12, "LATITUD", "sin_georreferencia: sin coordenadas"),
    ]  # fmt: skip
    meta = Almacen(Path(carga_a.rechazos).parents[3]).version().meta
    assert meta["carga"]["omisiones"] == {OTRA_ENTIDAD: 1}


def test_srft_filas_aceptadas_exactas(carga_a):
    obras = Almacen(Path(carga_a.rechazos).parents[3]).version().leer("obras")
    assert list(obras.columns) == [*columnas("obras"), "geometry"]
    assert obras.crs.to_epsg() == 4326
    assert valores(obras, ["folio", "anio", "trimestre", "nombre", "nivel_gobierno"]) == [
        ["OAX-001", 2024, 1, "Pavimentación en Santa María Tonameca, Ñuu Savi", "MUNICIPAL"],
        ["OAX-002", 2024, 1, "Drenaje", "ESTATAL"],
        ["OAX-003", 2024, 1, "Aula", None],
        ["OAX-003", 2024, 1, "Aula (repetida)", None],
        ["OAX-005", 2024, 1, "Fuera", None],
        ["OAX-008", 2024, 5, "X", None],
    ]
    assert set(obras["fuente"]) == {"srft"} and set(obras["formato"]) == {"A"}
    assert valores(obras, ["cvegeo_declarado", "cvegeo_coordenadas", "latitud", "longitud"]) == [
        ["20439", "20439", 15.7822, -96.6834],
        ["20067", "20067", 17.0606, -96.7266],
        ["20067", "20390", 17.0677, -96.6734],
        ["20390", None, None, None],
        ["20067", None, 19.0414, -98.2063],
        ["20067", None, None, None],
    ]
    assert valores(obras, ["monto_aprobado", "monto_ejercido", "avance_fisico", "estatus"]) == [
        [1234.5, 1000.0, 0.45, "En ejecución"],
        [500000.0, None, 36000.0, None],
        [100.0, None, None, None],
        [100.0, None, None, None],
        [100.0, None, -0.05, None],
        [100.0, None, None, None],
    ]
    assert valores(obras, ["contratista", "rfc_contratista", "tipo_adjudicacion"]) == [
        ["Construcciones Ñandú SA de CV", "CNA010101AB1", "ADJUDICACION DIRECTA"],
        [None, None, "LICITACION PUBLICA"],
        [None, None, "INVITACION A TRES"],
        [None, None, "CONCURSO"],
        [None, None, None],
        [None, None, None],
    ]
    assert _dias(obras["fecha_inicio"])[:2] == ["2024-03-31", "2024-03-31"]
    assert _dias(obras["fecha_termino"])[:2] == ["2024-12-31", None]
    assert valores(obras, ["advertencias"]) == [
        [None],
        ["coordenadas_invertidas;avance_invalido"],
        ["fuera_de_municipio;folio_duplicado"],
        ["sin_georreferencia;folio_duplicado"],
        ["fuera_del_estado;avance_invalido"],
        ["sin_georreferencia"],
    ]
    assert obras.geometry.iloc[0].coords[0] == (-96.6834, 15.7822)
    assert obras.geometry.iloc[3] is None


def test_historia_de_un_folio_en_dos_trimestres_csv_y_xlsx(tmp_path):
    encabezado = ["FOLIO", "CICLO", "TRIMESTRE", "ID_ENTIDAD_FEDERATIVA", "ID_MUNICIPIO", "MONTO_EJERCIDO", "AVANCE_FISICO"]  # fmt: skip
    datos = tmp_path / "datos"
    primero = escribir_csv(
        tmp_path, "t1.csv", [encabezado, ["OAX-001", "2024", "1", "20", "067", "100", "10"]]
    )
    cargar("obras", primero, datos)
    segundo = tmp_path / "t2.xlsx"
    pd.DataFrame([["OAX-001", 2024, 2, 20, 67, 250.5, 80]], columns=encabezado).to_excel(
        segundo, index=False
    )
    resultado = cargar("obras", segundo, datos)
    assert (resultado.formato, resultado.fecha_corte) == ("A", "2024-06-30")
    obras = Almacen(datos).version().leer("obras")
    columnas_historia = ["folio", "anio", "trimestre", "cvegeo_declarado", "monto_ejercido", "avance_fisico"]  # fmt: skip
    assert valores(obras, columnas_historia) == [
        ["OAX-001", 2024, 1, "20067", 100.0, 0.1],
        ["OAX-001", 2024, 2, "20067", 250.5, 0.8],
    ]
    # Recargar el primer trimestre corregido reemplaza solo ese reporte.
    corregido = escribir_csv(tmp_path, "t1b.csv", [encabezado, ["OAX-001", "2024", "T1", "20", "067", "120", "15"]])  # fmt: skip
    cargar("obras", corregido, datos)
    obras = Almacen(datos).version().leer("obras")
    assert valores(obras.sort_values("trimestre"), columnas_historia) == [
        ["OAX-001", 2024, 1, "20067", 120.0, 0.15],
        ["OAX-001", 2024, 2, "20067", 250.5, 0.8],
    ]


def test_cada_obra_se_ubica_una_vez_por_coordenadas(tmp_path, monkeypatch):
    """Las filas trimestrales de una obra con las mismas coordenadas se ubican una sola vez
    y reciben el mismo municipio."""
    preparados = municipios()._preparados
    consultados = []
    original = shapely.STRtree.query

    def espia(self, geometrias, *args, **kwargs):
        # Los municipios se consultan contra un árbol con los puntos a ubicar.
        if geometrias is preparados:
            consultados.append(len(self))
        return original(self, geometrias, *args, **kwargs)

    monkeypatch.setattr(shapely.STRtree, "query", espia)
    encabezado = ["FOLIO", "CICLO", "TRIMESTRE", "ID_ENTIDAD_FEDERATIVA", "ID_MUNICIPIO_RESPONSABLE", "MONTO_EJERCIDO", "LATITUD", "LONGITUD"]  # fmt: skip
    filas = [
        # OAX-010 en tres reportes, en Santa María Tonameca (20439)
        *[["OAX-010", "2024", t, "20", "439", "100", "15.7822", "-96.6834"] for t in "123"],
        # OAX-011 en dos reportes en Oaxaca de Juárez (20067) y un tercero sin coordenadas
        *[["OAX-011", "2024", t, "20", "067", "100", "17.0606", "-96.7266"] for t in "12"],
        ["OAX-011", "2024", "3", "20", "067", "100", "", ""],
        # OAX-012 en dos reportes con latitud y longitud invertidas (20390 al corregirlas)
        *[["OAX-012", "2024", t, "20", "390", "100", "-96.6734", "17.0677"] for t in "12"],
    ]
    resultado = cargar(
        "obras", escribir_csv(tmp_path, "srft.csv", [encabezado, *filas]), tmp_path / "d"
    )
    assert (resultado.filas_leidas, resultado.filas_aceptadas) == (8, 8)
    # 3 pares de coordenadas distintos (de 7 filas con coordenadas); después solo el par
    # invertido, otra vez una sola vez (de 2 filas).
    assert consultados == [3, 1]
    obras = Almacen(tmp_path / "d").version().leer("obras").sort_values(["folio", "trimestre"])
    assert valores(obras, ["folio", "trimestre", "cvegeo_coordenadas"]) == [
        ["OAX-010", 1, "20439"],
        ["OAX-010", 2, "20439"],
        ["OAX-010", 3, "20439"],
        ["OAX-011", 1, "20067"],
        ["OAX-011", 2, "20067"],
        ["OAX-011", 3, None],
        ["OAX-012", 1, "20390"],
        ["OAX-012", 2, "20390"],
    ]


ENCABEZADO_B = [
    "CVE_CARTERA", "NOMBRE_PPI", "ID_RAMO", "DESCRIPCION_RAMO", "ID_UR", "DESCRIPCION_TIPO_PPI",
    "ID_ENTIDAD_FEDERATIVA", "LATITUD", "LONGITUD", "LOCALIZACION", "FECHA_INICIO_CAL_FF",
    "FECHA_FIN_CAL_FF", "BENEFICIOS_ESPERADOS", "APROBADO", "MODIFICADO", "EJERCIDO",
    "AVANCE_FISICO", "MONTO_TOTAL_INVERSION", "CICLO", "ESTATUS_OPERACION", "MAIL_ADMIN",
]  # fmt: skip


def _opa(aprobado: str) -> list[list[str]]:
    return [
        ENCABEZADO_B,
        ["'1709B000012", "Carretera Oaxaca–Puerto Escondido", "9", "Comunicaciones y Transportes", "600", "Proyecto de Infraestructura Económica", "20", "17.0606", "-96.7266", "Oaxaca", "01/01/2024", "31/12/2025", "", aprobado, "", "1,000", "50", "9000", "2024", "En ejecución", "persona@ejemplo.mx"],
        ["", "", "12", "Salud", "610", "Proyecto de Infraestructura Social", "20", "", "", "Juchitán", "2024-02-01", "", "Hospital", "300", "", "", "", "", "2024", "", ""],
        ["0912X000001", "Otro estado", "9", "SCT", "600", "Proyecto", "09", "", "", "CDMX", "", "", "", "1", "", "", "", "", "2024", "", ""],
    ]  # fmt: skip


def test_obra_publica_abierta(tmp_path):
    datos = tmp_path / "datos"
    resultado = cargar("obras", escribir_csv(tmp_path, "proyectos_opa.csv", _opa("2,000")), datos)
    cuentas = (resultado.filas_aceptadas, resultado.filas_rechazadas, resultado.filas_omitidas)
    assert (resultado.formato, resultado.filas_leidas, *cuentas) == ("B", 3, 2, 0, 1)
    # OPA no publica fecha de corte: se usa el cierre del ciclo más reciente (2024).
    assert resultado.fecha_corte == "2024-12-31"
    assert leer_rechazos(resultado) == []
    assert Almacen(datos).version().meta["carga"]["omisiones"] == {OTRA_ENTIDAD: 1}
    assert leer_advertencias(resultado) == [(3, "LATITUD", "sin_georreferencia: sin coordenadas")]
    obras = Almacen(datos).version().leer("obras")
    folio_estable = obras["folio"].iloc[1]
    assert folio_estable.startswith("OPA-") and len(folio_estable) == 16
    assert valores(obras, ["folio", "anio", "trimestre", "nombre", "nivel_gobierno", "cvegeo_declarado", "cvegeo_coordenadas"]) == [
        ["1709B000012", 2024, None, "Carretera Oaxaca–Puerto Escondido", "FEDERAL", None, "20067"],
        [folio_estable, 2024, None, "Proyecto de Infraestructura Social — Juchitán", "FEDERAL", None, None],
    ]  # fmt: skip
    assert valores(obras, ["categoria", "clasificacion", "monto_aprobado", "monto_ejercido", "avance_fisico", "estatus"]) == [
        ["Proyecto de Infraestructura Económica", "Comunicaciones y Transportes", 2000.0, 1000.0, 0.5, "En ejecución"],
        ["Proyecto de Infraestructura Social", "Salud", 300.0, None, None, None],
    ]  # fmt: skip
    assert _dias(obras["fecha_termino"]) == ["2025-12-31", None]
    assert valores(obras, ["fuente", "formato"]) == [["opa", "B"], ["opa", "B"]]
    # Recargar el mismo ciclo (trimestre vacío) reemplaza sus filas; el folio armado es estable.
    cargar("obras", escribir_csv(tmp_path, "opa2.csv", _opa("2,500")), datos)
    obras = Almacen(datos).version().leer("obras")
    assert valores(obras, ["folio", "monto_aprobado"]) == [
        ["1709B000012", 2500.0],
        [folio_estable, 300.0],
    ]


PAQUETE_OC4IDS = {
    "version": "0.9",
    "publishedDate": "2025-08-15T10:00:00Z",
    "projects": [
        {
            "id": "oc4ids-mx-oax-0001",
            "title": "Rehabilitación del mercado de Santa Lucía del Camino",
            "status": "implementation",
            "sector": ["economy", "economy.markets"],
            "type": "rehabilitation",
            "period": {"startDate": "2025-02-01T00:00:00Z", "endDate": "2025-11-30T00:00:00Z"},
            "locations": [{"geometry": {"type": "Point", "coordinates": [-96.6734, 17.0677]}}],
            "budget": {"amount": {"amount": 2000000, "currency": "MXN"}},
            "parties": [
                {"id": "MX-MUN-20390", "name": "Municipio de Santa Lucía del Camino", "roles": ["buyer"]},
                {
                    "id": "MX-RFC-COA0101011A1",
                    "name": "Constructora Oaxaqueña SA de CV",
                    "identifier": {"scheme": "MX-RFC", "id": "COA0101011A1"},
                    "roles": ["supplier", "tenderer"],
                },
            ],
            "contractingProcesses": [
                {
                    "id": "ocds-1",
                    "summary": {
                        "tender": {"procurementMethod": "direct"},
                        "contractValue": {"amount": 1800000, "currency": "MXN"},
                        "transactions": [
                            {"value": {"amount": 500000, "currency": "MXN"}},
                            {"value": {"amount": 250000.5, "currency": "MXN"}},
                        ],
                    },
                }
            ],
            "metrics": [
                {
                    "id": "physicalProgress",
                    "observations": [
                        {"measure": "60", "unit": {"name": "percent"}, "period": {"endDate": "2025-07-31"}},
                        {"measure": "30", "unit": {"name": "percent"}, "period": {"endDate": "2025-04-30"}},
                    ],
                }
            ],
        },
        {
            "id": "oc4ids-mx-oax-0002",
            "title": "Estacionamiento del Llano",
            "status": "completion",
            "locations": [
                {"description": "sin geometría"},
                {
                    "geometry": {
                        "type": "Polygon",
                        "coordinates": [[[-96.72, 17.064], [-96.719, 17.064], [-96.719, 17.065], [-96.72, 17.065], [-96.72, 17.064]]],
                    }
                },
            ],
            "budget": {"amount": 1000000},
            "physicalProgress": "35%",
            "financialProgress": 50,
            "contractingProcesses": [
                {"summary": {"tender": {"procurementMethod": "selective"}, "suppliers": [{"name": "Obras del Valle"}]}}
            ],
            "completion": {"endDate": "2025-06-30"},
        },
    ],
}  # fmt: skip


def test_oc4ids_dos_proyectos(tmp_path):
    ruta = tmp_path / "proyectos.json"
    ruta.write_text(json.dumps(PAQUETE_OC4IDS, ensure_ascii=False), encoding="utf-8")
    resultado = cargar("obras", ruta, tmp_path / "datos")
    assert (resultado.formato, resultado.filas_leidas, resultado.filas_aceptadas) == ("C", 2, 2)
    assert resultado.fecha_corte == "2025-08-15"
    assert leer_rechazos(resultado) == []
    assert leer_advertencias(resultado) == []
    obras = Almacen(tmp_path / "datos").version().leer("obras")
    assert valores(obras, ["folio", "anio", "trimestre", "nombre", "estatus", "categoria", "clasificacion"]) == [
        ["oc4ids-mx-oax-0001", 2025, 3, "Rehabilitación del mercado de Santa Lucía del Camino", "implementation", "economy, economy.markets", "rehabilitation"],
        ["oc4ids-mx-oax-0002", 2025, 3, "Estacionamiento del Llano", "completion", None, None],
    ]  # fmt: skip
    assert valores(obras, ["monto_aprobado", "monto_comprometido", "monto_ejercido", "monto_pagado", "avance_fisico"]) == [
        [2_000_000.0, 1_800_000.0, 750_000.5, 750_000.5, 0.6],
        [1_000_000.0, None, 500_000.0, None, 0.35],
    ]  # fmt: skip
    assert valores(obras, ["contratista", "rfc_contratista", "tipo_adjudicacion", "nivel_gobierno"]) == [
        ["Constructora Oaxaqueña SA de CV", "COA0101011A1", "ADJUDICACION DIRECTA", None],
        ["Obras del Valle", None, "INVITACION A TRES", None],
    ]  # fmt: skip
    assert valores(obras, ["cvegeo_declarado", "cvegeo_coordenadas", "latitud"]) == [
        [None, "20390", 17.0677],
        [None, "20067", pytest.approx(17.0645)],
    ]
    assert _dias(obras["fecha_termino"]) == ["2025-11-30", "2025-06-30"]


def test_oc4ids_rechazos(tmp_path):
    paquete = {
        "projects": [
            {"title": "Sin id", "budget": {"amount": {"amount": 5, "currency": "MXN"}}},
            {"id": "p-2", "budget": {"amount": {"amount": 5, "currency": "USD"}}},
            {"id": "p-3", "budget": {"amount": {"amount": -5, "currency": "MXN"}}},
            {"id": "p-4", "locations": [{"geometry": {"type": "Polygon", "coordinates": "x"}}]},
            "no soy un proyecto",
        ]
    }
    ruta = tmp_path / "p.json"
    ruta.write_text(json.dumps(paquete), encoding="utf-8")
    resultado = cargar("obras", ruta, tmp_path / "datos")
    assert (resultado.filas_leidas, resultado.filas_aceptadas) == (5, 1)
    # Sin publishedDate no hay fecha de corte en el archivo: se usa la de la carga.
    assert resultado.fecha_corte == date.today().isoformat()
    assert leer_rechazos(resultado) == [
        (1, "id", "valor obligatorio vacío"),
        (2, "currency", "importes en una moneda que no es MXN (no se comparan con pesos): USD"),
        (3, "budget.amount", "importe negativo: -5"),
        (5, "projects", "el proyecto no es un objeto JSON"),
    ]
    assert leer_advertencias(resultado) == [
        (4, "locations", "geometría no reconocida (se ignora): Polygon"),
        (4, "locations", "sin_georreferencia: sin coordenadas"),
    ]


def test_falta_folio_no_crea_version(tmp_path):
    filas = [["CICLO", "TRIMESTRE", "ID_ENTIDAD_FEDERATIVA", "ID_MUNICIPIO_RESPONSABLE"], ["2024", "1", "20", "067"]]  # fmt: skip
    with pytest.raises(ColumnaFaltante) as error:
        cargar("obras", escribir_csv(tmp_path, "o.csv", filas), tmp_path / "datos")
    assert str(error.value) == (
        "No se reconoce el formato de o.csv como obras. El más cercano es «SHCP SRFT (destino "
        "del gasto)», al que le faltan las columnas: FOLIO. Columnas encontradas: CICLO, "
        "TRIMESTRE, ID_ENTIDAD_FEDERATIVA, ID_MUNICIPIO_RESPONSABLE"
    )
    assert Almacen(tmp_path / "datos").versiones() == []


def test_sin_columnas_de_importe(tmp_path):
    filas = [["FOLIO", "CICLO", "TRIMESTRE", "ID_ENTIDAD_FEDERATIVA", "ID_MUNICIPIO"], ["F", "2024", "1", "20", "067"]]  # fmt: skip
    with pytest.raises(ColumnaFaltante, match="ninguna columna de importe"):
        cargar("obras", escribir_csv(tmp_path, "o.csv", filas), tmp_path / "datos")


def test_solo_encabezado(tmp_path):
    ruta = escribir_csv(tmp_path, "o.csv", [ENCABEZADO_A])
    with pytest.raises(ErrorIngesta, match="solo encabezado"):
        cargar("obras", ruta, tmp_path / "datos")
    assert Almacen(tmp_path / "datos").id_actual() is None


def test_json_que_no_es_oc4ids(tmp_path):
    ruta = tmp_path / "o.json"
    ruta.write_text('{"releases": []}', encoding="utf-8")
    with pytest.raises(TipoDesconocido, match="no corresponde a ningún formato de obras"):
        cargar("obras", ruta, tmp_path / "datos")


# --- SRFT tal como se publica: ZIP, Latin-1, encabezado en minúsculas, informe anual --------

ENCABEZADO_SRFT = [
    "folio", "ciclo", "trimestre", "id_entidad_federativa", "id_municipio_responsable",
    "nombre_proyecto", "monto_global_aprobado", "monto_pagado", "fecha_inicio", "latitud",
    "longitud",
]  # fmt: skip
FILAS_SRFT = [
    # fila 2: cuarto trimestre; fila 3: el mismo folio en el informe definitivo anual (5)
    ["OAX-101", "2023", "4", "20", "20067", "Rehabilitación de la Peña", "1000", "900", "2023-02-01", "17.0606", "-96.7266"],
    ["OAX-101", "2023", "5", "20", "20067", "Rehabilitación de la Peña", "1000", "1000", "2023-02-01", "17.0606", "-96.7266"],
    # filas 4 y 5: obras estatales (municipio 0 y CVEGEO terminado en 000); la 4 en 0,0
    ["OAX-102", "2023", "5", "20", "0", "Carretera estatal", "5000", "", "", "0", "0"],
    ["OAX-103", "2023", "5", "20", "20000", "Red estatal de agua", "7000", "", "", "", ""],
    # fila 6: otra entidad (se omite); fila 7: trimestre 6 (se rechaza)
    ["CHIS-001", "2023", "5", "7", "7001", "Chiapas", "1", "", "", "", ""],
    ["OAX-104", "2023", "6", "20", "067", "Sexto", "1", "", "", "", ""],
]  # fmt: skip


def _zip_srft(carpeta: Path) -> Path:
    """``ef2023.zip`` como lo publica la SHCP: el reporte en Latin-1 y el catálogo de fuentes."""
    texto = io.StringIO()
    import csv

    csv.writer(texto, lineterminator="\r\n").writerows([ENCABEZADO_SRFT, *FILAS_SRFT])
    ruta = carpeta / "ef2023.zip"
    with zipfile.ZipFile(ruta, "w") as archivo:
        archivo.writestr("ef2023.csv", texto.getvalue().encode("latin-1"))
        archivo.writestr(
            "fuentes_financiamiento.csv", "ID_FUENTE,FUENTE\r\n1,FAIS\r\n".encode("latin-1")
        )
    return ruta


def test_srft_zip_latin1_minusculas_informe_anual_y_obras_estatales(tmp_path):
    datos = tmp_path / "datos"
    resultado = cargar("obras", _zip_srft(tmp_path), datos)
    # 6 leídas = 4 aceptadas + 1 rechazada (7) + 1 omitida (6, Chiapas).
    cuentas = (resultado.filas_aceptadas, resultado.filas_rechazadas, resultado.filas_omitidas)
    assert (resultado.formato, resultado.filas_leidas, *cuentas) == ("A", 6, 4, 1, 1)
    assert resultado.archivo == "ef2023.zip:ef2023.csv"
    # El informe definitivo anual es el más reciente de 2023: corte al 31 de diciembre.
    assert resultado.fecha_corte == "2023-12-31"
    assert leer_rechazos(resultado) == [
        (7, "trimestre", "trimestre no reconocido (se espera 1 a 4, o 5 = informe definitivo anual): 6"),
    ]  # fmt: skip
    assert leer_advertencias(resultado) == [
        (4, "latitud", "sin_georreferencia: coordenadas 0,0 (sin ubicación)"),
        (5, "latitud", "sin_georreferencia: sin coordenadas"),
    ]
    obras = Almacen(datos).version().leer("obras")
    assert valores(obras, ["folio", "anio", "trimestre", "nombre", "cvegeo_declarado"]) == [
        ["OAX-101", 2023, 4, "Rehabilitación de la Peña", "20067"],
        ["OAX-101", 2023, 5, "Rehabilitación de la Peña", "20067"],
        ["OAX-102", 2023, 5, "Carretera estatal", None],
        ["OAX-103", 2023, 5, "Red estatal de agua", None],
    ]
    assert valores(obras, ["latitud", "longitud", "monto_pagado", "fuente"]) == [
        [17.0606, -96.7266, 900.0, "srft"],
        [17.0606, -96.7266, 1000.0, "srft"],
        [None, None, None, "srft"],
        [None, None, None, "srft"],
    ]
    assert [g is None for g in obras.geometry] == [False, False, True, True]
    # Capas: el informe anual (5) es el estado actual de la obra, después del cuarto trimestre.
    import capas

    actual = capas.tabla_obras(Almacen(datos).version()).set_index("folio")
    assert valores(actual.loc[["OAX-101"]], ["trimestre", "monto_pagado", "fuente"]) == [
        [5, 1000.0, "srft"]
    ]
    assert valores(actual, ["cvegeo"]) == [["20067"], [None], [None]]
    historial = capas.historial_obra(Almacen(datos).version(), "OAX-101")
    assert list(historial["reporte"]) == ["2023 T4", "2023 anual"]


# --- Obra Pública Abierta, archivo de 2016-2017 (_opa.csv) ------------------------------------

#: Encabezado del archivo publicado (45 columnas, ver FORMATOS.md).
ENCABEZADO_OPA_2016 = (
    "CVE_PPI,NOMBRE,RAMO,DESC_RAMO,UNIDAD,DESC_UNIDAD,TIPO_PPI,DESCRIPCION,LOCALIZACION,"
    "CVE_ENTFED,ENT_FED,LATITUD_INICIAL,LONGITUD_INICIAL,FECHA_INI_CAL_FISCAL,"
    "FECHA_FIN_CAL_FISCAL,FECHA_INI_FF,FECHA_FIN_FF,ANIOS_HE,NOMBRE_ADMIN,AP_MATERNO_ADMIN,"
    "AP_PATERNO_ADMIN,CARGO_ADMIN,MAIL_ADMIN,TELEFONO_ADMIN,META_FISICA,META_BENEFICIOS,ID_PPI,"
    "APROBADO,MODIFICADO,EJERCIDO,AVANCE_FISICO,GRUPO_FUNCIONAL,FUNCION,MONTO_TOTAL_INVERSION,"
    "TOTAL_GASTO_OPERACION_HE,TOTAL_GASTO_NO_CONSID,COSTO_TOTAL_PPI,ANIO,"
    "CALENDARIO_FISCAL_DEL_CICLO,RECURSOS_ESTATALES,RECURSOS_MUNICIPALES,PRIVADOS,FIDEICOMISO,"
    "CLASIFICACION_CIUDADANA,CICLO"
).split(",")
#: Datos (ficticios) del servidor público responsable: nunca se leen ni se publican.
PERSONA = {
    "NOMBRE_ADMIN": "Juanita",
    "AP_PATERNO_ADMIN": "Zapotequilla",
    "AP_MATERNO_ADMIN": "Robledales",
    "CARGO_ADMIN": "Directora de Caminos Rurales",
    "MAIL_ADMIN": "jzapotequilla@ejemplo.gob.mx",
    "TELEFONO_ADMIN": "951 555 0199",
}


def _fila_opa(**campos: str) -> list[str]:
    fila = {c: "" for c in ENCABEZADO_OPA_2016} | PERSONA | campos
    return [fila[c] for c in ENCABEZADO_OPA_2016]


OAXACA = {"CVE_ENTFED": "20", "ENT_FED": "OAXACA", "RAMO": "9", "UNIDAD": "640"}
FILAS_OPA_2016 = [
    ENCABEZADO_OPA_2016,
    # fila 2: folio con cero a la izquierda, fechas mes-año, CICLO (2017) manda sobre ANIO
    _fila_opa(
        **OAXACA, CVE_PPI="05096400004", NOMBRE="Amate Colorado - Zaragoza Itundujia",
        DESC_RAMO="Comunicaciones y Transportes",
        TIPO_PPI="Proyecto de Inversión de Infraestructura Económica",
        LATITUD_INICIAL="17.0606", LONGITUD_INICIAL="-96.7266",
        FECHA_INI_CAL_FISCAL="jun-05", FECHA_FIN_CAL_FISCAL="dic-16", ID_PPI="1831",
        APROBADO="6000000", MODIFICADO="6000000", EJERCIDO="75258", AVANCE_FISICO="99.54",
        ANIO="2016", CICLO="2017",
    ),
    # fila 3: CICLO vacío (vale ANIO), coordenadas 0,0 (sin ubicación)
    _fila_opa(
        **OAXACA, CVE_PPI="0912X000001", NOMBRE="Puente Tehuantepec", LATITUD_INICIAL="0",
        LONGITUD_INICIAL="0", FECHA_INI_CAL_FISCAL="mar-09", FECHA_FIN_CAL_FISCAL="dic-17",
        APROBADO="0", ANIO="2016",
    ),
    # fila 4: sin CICLO ni ANIO; filas 5 y 6: otra entidad y «varios»; fila 7: negativo
    _fila_opa(**OAXACA, CVE_PPI="1412U000032", NOMBRE="Sin ciclo", APROBADO="1"),
    _fila_opa(CVE_PPI="06056130001", NOMBRE="Cancillería", CVE_ENTFED="9", ANIO="2016"),
    _fila_opa(CVE_PPI="1709T000001", NOMBRE="Red nacional", CVE_ENTFED="35", ANIO="2016"),
    _fila_opa(**OAXACA, CVE_PPI="1509X000002", NOMBRE="Negativo", APROBADO="(5,000)", CICLO="2017"),
]  # fmt: skip


def test_obra_publica_abierta_2016(tmp_path):
    datos = tmp_path / "datos"
    resultado = cargar("obras", escribir_csv(tmp_path, "_opa.csv", FILAS_OPA_2016), datos)
    # 6 leídas = 2 aceptadas + 2 rechazadas (4, 7) + 2 omitidas (5, 6).
    cuentas = (resultado.filas_aceptadas, resultado.filas_rechazadas, resultado.filas_omitidas)
    assert (resultado.formato, resultado.filas_leidas, *cuentas) == ("B", 6, 2, 2, 2)
    assert Almacen(datos).version().meta["carga"]["omisiones"] == {
        SIN_ENTIDAD: 1,
        OTRA_ENTIDAD: 1,
    }
    assert leer_rechazos(resultado) == [
        (4, "CICLO", "sin ciclo (CICLO y ANIO vacíos): puede indicarse con --anio"),
        (7, "APROBADO", "importe negativo: (5,000)"),
    ]
    assert leer_advertencias(resultado) == [
        (3, "LATITUD_INICIAL", "sin_georreferencia: coordenadas 0,0 (sin ubicación)")
    ]
    obras = Almacen(datos).version().leer("obras")
    assert valores(obras, ["folio", "anio", "trimestre", "nombre", "nivel_gobierno", "fuente"]) == [
        ["05096400004", 2017, None, "Amate Colorado - Zaragoza Itundujia", "FEDERAL", "opa"],
        ["0912X000001", 2016, None, "Puente Tehuantepec", "FEDERAL", "opa"],
    ]  # fmt: skip
    assert valores(obras, ["categoria", "clasificacion", "monto_aprobado", "monto_modificado", "monto_ejercido", "avance_fisico"]) == [
        ["Proyecto de Inversión de Infraestructura Económica", "Comunicaciones y Transportes", 6_000_000.0, 6_000_000.0, 75_258.0, pytest.approx(0.9954)],
        [None, None, 0.0, None, None, None],
    ]  # fmt: skip
    # jun-05 = 1 de junio de 2005; un término dic-16 es el último día de diciembre de 2016.
    assert _dias(obras["fecha_inicio"]) == ["2005-06-01", "2009-03-01"]
    assert _dias(obras["fecha_termino"]) == ["2016-12-31", "2017-12-31"]
    assert valores(obras, ["cvegeo_declarado", "cvegeo_coordenadas", "latitud", "longitud"]) == [
        [None, "20067", 17.0606, -96.7266],
        [None, None, None, None],
    ]
    assert obras.geometry.iloc[1] is None
    assert valores(obras, ["advertencias"]) == [[None], ["sin_georreferencia"]]


def test_obra_publica_abierta_2016_con_anio_acepta_la_fila_sin_ciclo(tmp_path):
    ruta = escribir_csv(tmp_path, "_opa.csv", FILAS_OPA_2016)
    resultado = cargar("obras", ruta, tmp_path / "datos", opciones={"anio": 2016})
    cuentas = (resultado.filas_aceptadas, resultado.filas_rechazadas, resultado.filas_omitidas)
    assert (resultado.filas_leidas, *cuentas) == (6, 3, 1, 2)
    obras = Almacen(tmp_path / "datos").version().leer("obras")
    assert valores(obras, ["folio", "anio"]) == [
        ["05096400004", 2017],
        ["0912X000001", 2016],
        ["1412U000032", 2016],
    ]


def test_obra_publica_abierta_no_lee_ni_publica_al_servidor_publico(tmp_path, capsys):
    ruta = escribir_csv(tmp_path, "_opa.csv", FILAS_OPA_2016)
    datos = tmp_path / "datos"
    resultado = cargar("obras", ruta, datos)
    assert main(["cargar", "obras", str(ruta), "--datos", str(datos), "--json"]) == 0
    salida = capsys.readouterr()
    textos = [json.dumps(resultado.como_dict(), ensure_ascii=False), salida.out, salida.err]
    textos += [texto for _, texto in textos_de_archivos(datos)]
    assert len(textos) > 6  # resultado, salida de la CLI y los archivos de dos versiones
    for valor in PERSONA.values():
        assert not any(valor in texto for texto in textos), valor
    obras = Almacen(datos).version().leer("obras")
    assert not any(c.endswith("_ADMIN") or "admin" in c for c in obras.columns)


# --- Ramo 23 (SHCP, proyectos por municipio, sin año) ----------------------------------------

FILAS_RAMO23 = [
    ["numero_de_proyecto", "clave_del_proyecto", "fondo", "id_entidad", "entidad", "id_municipio", "municipio", "proyecto", "monto", "pagado"],
    # fila 2: municipal; fila 3: cobertura estatal (9999)
    ["777", "U128", "Proyectos de Desarrollo Regional", "20", "Oaxaca", "67", "Oaxaca de Juarez", "Pavimentación con concreto hidráulico", "1,500,000.00", "750,000.00"],
    ["778", "U128", "Proyectos de Desarrollo Regional", "20", "Oaxaca", "9999", "Cobertura estatal", "Equipamiento de hospitales", "2000000", "-"],
    # fila 4: otra entidad (se omite); fila 5: municipio inexistente; fila 6: monto negativo
    ["12", "U093", "Fondo Regional", "21", "Puebla", "114", "Puebla", "Obra en Puebla", "100", "100"],
    ["779", "U128", "Proyectos de Desarrollo Regional", "20", "Oaxaca", "999", "Sin nombre", "Alumbrado", "300", ""],
    ["780", "U128", "Proyectos de Desarrollo Regional", "20", "Oaxaca", "67", "Oaxaca de Juarez", "Bacheo", "-10", ""],
]  # fmt: skip


def test_ramo23(tmp_path):
    datos = tmp_path / "datos"
    ruta = escribir_csv(tmp_path, "_ramo23_2016.csv", FILAS_RAMO23)
    resultado = cargar("obras", ruta, datos, opciones={"anio": 2016})
    # 5 leídas = 2 aceptadas + 2 rechazadas (5, 6) + 1 omitida (4, Puebla).
    cuentas = (resultado.filas_aceptadas, resultado.filas_rechazadas, resultado.filas_omitidas)
    assert (resultado.formato, resultado.filas_leidas, *cuentas) == ("D", 5, 2, 2, 1)
    assert resultado.fecha_corte == "2016-12-31"  # cierre del año dado con --anio
    assert resultado.avisos == [
        "El Ramo 23 no publica coordenadas: sus obras quedan sin punto en el mapa "
        "(sin_georreferencia)"
    ]
    assert leer_rechazos(resultado) == [
        (5, "id_municipio", "clave de municipio '999' no existe en la entidad 20"),
        (6, "monto", "importe negativo: -10"),
    ]
    assert leer_advertencias(resultado) == []
    obras = Almacen(datos).version().leer("obras")
    assert valores(obras, ["folio", "anio", "trimestre", "nombre", "nivel_gobierno", "cvegeo_declarado"]) == [
        ["U128-2016-777", 2016, None, "Pavimentación con concreto hidráulico", "FEDERAL", "20067"],
        ["U128-2016-778", 2016, None, "Equipamiento de hospitales", "FEDERAL", None],
    ]  # fmt: skip
    assert valores(obras, ["monto_aprobado", "monto_pagado", "categoria", "clasificacion"]) == [
        [1_500_000.0, 750_000.0, "Proyectos de Desarrollo Regional", "Ramo 23"],
        [2_000_000.0, None, "Proyectos de Desarrollo Regional", "Ramo 23"],
    ]
    assert valores(obras, ["fuente", "formato", "latitud", "advertencias"]) == [
        ["ramo23", "D", None, "sin_georreferencia"],
        ["ramo23", "D", None, "sin_georreferencia"],
    ]
    assert list(obras.geometry) == [None, None]


def test_ramo23_no_pisa_obra_publica_abierta_del_mismo_anio(tmp_path):
    datos = tmp_path / "datos"
    cargar("obras", escribir_csv(tmp_path, "proyectos_opa.csv", _opa("2,000")), datos)
    ruta = escribir_csv(tmp_path, "_ramo23_2024.csv", FILAS_RAMO23)
    for _ in range(2):  # recargar Ramo 23 reemplaza solo su partición
        cargar("obras", ruta, datos, opciones={"anio": 2024})
        obras = Almacen(datos).version().leer("obras")
        assert valores(obras, ["fuente", "anio", "folio"])[1:] == [
            ["opa", 2024, obras["folio"].iloc[1]],
            ["ramo23", 2024, "U128-2024-777"],
            ["ramo23", 2024, "U128-2024-778"],
        ]
        assert valores(obras, ["fuente", "folio"])[0] == ["opa", "1709B000012"]


def test_ramo23_sin_anio_es_un_error_que_nombra_la_opcion(tmp_path, capsys):
    ruta = escribir_csv(tmp_path, "_ramo23_2016.csv", FILAS_RAMO23)
    datos = tmp_path / "datos"
    with pytest.raises(OpcionFaltante) as error:
        cargar("obras", ruta, datos)
    mensaje = "El archivo _ramo23_2016.csv no trae el año (Ramo 23): indíquelo con --anio"
    assert str(error.value) == mensaje
    assert Almacen(datos).id_actual() is None
    assert main(["cargar", "obras", str(ruta), "--datos", str(datos), "--json"]) == 1
    salida = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert salida == {"error": mensaje, "archivo": "_ramo23_2016.csv", "columna": "anio"}


def test_procesar_srft_no_cambia_la_tabla_de_quien_llama():
    """El SRFT suelta cada columna leída al usarla (memoria), pero sobre su propia copia
    superficial: la tabla que recibe queda igual."""
    import numpy as np

    from ingesta.fuentes import obras
    from ingesta.fuentes.base import Contexto
    from ingesta.lectura import Archivo
    from ingesta.normalizacion import Registro

    tabla = pd.DataFrame(
        {
            "FOLIO": ["OAX1", "OAX1"],
            "CICLO": ["2025", "2025"],
            "TRIMESTRE": ["2", "3"],
            "ID_ENTIDAD_FEDERATIVA": ["20", "20"],
            "ID_MUNICIPIO_RESPONSABLE": ["067", "067"],
            "MONTO_GLOBAL_APROBADO": ["1,000.50", "1,000.50"],
            "NOMBRE_PROYECTO": ["Pozo", "Pozo"],
            "LATITUD": ["17.06", "17.06"],
            "LONGITUD": ["-96.72", "-96.72"],
        },
        dtype="str",
    )
    antes = tabla.copy()
    ctx = Contexto(
        archivo=Archivo(Path("srft.csv"), b""),
        geo=municipios(),
        registro=Registro(np.arange(2) + 2),
    )
    capa = obras.procesar_srft(tabla, ctx).capas["obras"][0]
    pd.testing.assert_frame_equal(tabla, antes)
    assert capa["monto_aprobado"].tolist() == [1000.5, 1000.5]
    assert capa["nombre"].tolist() == ["Pozo", "Pozo"]
    assert capa["trimestre"].tolist() == [2, 3]
