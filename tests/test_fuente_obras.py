"""Obras: SRFT (A, CSV Latin-1 y XLSX), Obra Pública Abierta (B) y OC4IDS (C)."""

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from ingesta.almacen import Almacen
from ingesta.carga import cargar
from ingesta.errores import ColumnaFaltante, ErrorIngesta, TipoDesconocido
from ingesta.esquemas import columnas
from tests.conftest import escribir_csv, leer_advertencias, leer_rechazos, valores

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
    # filas 9 a 12: municipio desconocido, importe con texto, sin folio, trimestre 5
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
    assert (carga_a.formato, carga_a.filas_leidas, carga_a.filas_aceptadas) == ("A", 11, 5)
    assert carga_a.fecha_corte == "2024-03-31"
    assert leer_rechazos(carga_a) == [
        (6, "MONTO_GLOBAL_APROBADO", "importe negativo: -500"),
        (7, "ID_ENTIDAD_FEDERATIVA", "fila de otra entidad: se omite"),
        (9, "ID_MUNICIPIO_RESPONSABLE", "municipio 'Narnia' no existe en la entidad 20"),
        (10, "MONTO_GLOBAL_APROBADO", "importe no numérico: abc"),
        (11, "FOLIO", "valor obligatorio vacío"),
        (12, "TRIMESTRE", "trimestre no reconocido (se espera 1 a 4): 5"),
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
    ]  # fmt: skip


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
    ]
    assert valores(obras, ["cvegeo_declarado", "cvegeo_coordenadas", "latitud", "longitud"]) == [
        ["20439", "20439", 15.7822, -96.6834],
        ["20067", "20067", 17.0606, -96.7266],
        ["20067", "20390", 17.0677, -96.6734],
        ["20390", None, None, None],
        ["20067", None, 19.0414, -98.2063],
    ]
    assert valores(obras, ["monto_aprobado", "monto_ejercido", "avance_fisico", "estatus"]) == [
        [1234.5, 1000.0, 0.45, "En ejecución"],
        [500000.0, None, 36000.0, None],
        [100.0, None, None, None],
        [100.0, None, None, None],
        [100.0, None, -0.05, None],
    ]
    assert valores(obras, ["contratista", "rfc_contratista", "tipo_adjudicacion"]) == [
        ["Construcciones Ñandú SA de CV", "CNA010101AB1", "ADJUDICACION DIRECTA"],
        [None, None, "LICITACION PUBLICA"],
        [None, None, "INVITACION A TRES"],
        [None, None, "CONCURSO"],
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
    assert (resultado.formato, resultado.filas_aceptadas, resultado.filas_rechazadas) == ("B", 2, 1)
    # OPA no publica fecha de corte: se usa la fecha de la carga.
    assert resultado.fecha_corte == date.today().isoformat()
    assert leer_rechazos(resultado) == [
        (4, "ID_ENTIDAD_FEDERATIVA", "fila de otra entidad: se omite")
    ]
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
    with pytest.raises(ColumnaFaltante, match="FOLIO .*en el archivo o.csv"):
        cargar("obras", escribir_csv(tmp_path, "o.csv", filas), tmp_path / "datos")
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
