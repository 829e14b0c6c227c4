"""Contratistas de obra pública (capas.contratistas): ranking, resumen y búsqueda.

Valores esperados calculados a mano sobre seis obras escritas aquí.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from capas import contratistas

ANIL = "Constructora Añil, S.A. de C.V."
SUR = "Obras del Sur S.A."
NAN = math.nan


def _obras() -> pd.DataFrame:
    """Seis obras en el layout de la capa ``obras`` (solo las columnas que se usan)."""
    columnas = [
        "folio",
        "cvegeo",
        "municipio",
        "anio",
        "contratista",
        "monto_aprobado",
        "monto_ejercido",
        "monto_pagado",
        "alertas",
        "num_alertas",
        "tipo_adjudicacion",
    ]
    filas = [
        ("F1", "20001", "Abejones", 2024, ANIL, 100.0, 120.0, 90.0, "sobrecosto;vencida", 2,
         "ADJUDICACION DIRECTA"),
        ("F2", "20001", "Abejones", 2025, ANIL, 300.0, 150.0, 100.0, None, 0,
         "LICITACION PUBLICA"),
        ("F3", "20002", "Acatlán", 2025, ANIL, 200.0, 200.0, NAN, "vencida", 1, None),
        ("F4", "20001", "Abejones", 2025, SUR, 500.0, 510.0, 500.0, None, 0,
         "Adjudicación directa"),
        ("F5", "20001", "Abejones", 2025, None, 50.0, NAN, NAN, "sin_georreferencia", 1, None),
        ("F6", "20002", "Acatlán", 2024, "N/D", 80.0, 90.0, 0.0, None, 0, "INVITACION A TRES"),
    ]  # fmt: skip
    return pd.DataFrame(filas, columns=columnas)


def test_sin_dato_reconoce_vacios_y_marcadores():
    serie = pd.Series([None, "", "  ", "N/D", "sin dato", "Sin Dato", "No aplica", ANIL, "ND S.A."])
    assert contratistas.sin_dato(serie).tolist() == [
        True, True, True, True, True, True, True, False, False,
    ]  # fmt: skip


def test_marcas_por_obra():
    marcas = contratistas.marcas(_obras())
    assert marcas["con_alerta"].tolist() == [True, False, True, False, True, False]
    # ejercido > aprobado: F1 (120 > 100), F4 (510 > 500), F6 (90 > 80); F3 200 = 200 no
    assert marcas["sobregiro"].tolist() == [True, False, False, True, False, True]
    assert marcas["retraso"].tolist() == [True, False, True, False, False, False]
    assert marcas["directa"].tolist() == [True, False, False, True, False, False]
    assert marcas["adjudicacion_conocida"].tolist() == [True, True, False, True, False, True]


def _filas(tabla: pd.DataFrame) -> list[dict]:
    return [
        {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in fila.items()}
        for fila in tabla.to_dict("records")
    ]


def test_ranking_por_municipio_con_sin_dato_al_final():
    tabla = contratistas.ranking(_obras(), por_municipio=True)
    assert list(tabla.columns) == ["cvegeo", "municipio", *contratistas.COLUMNAS_RANKING]
    filas = _filas(tabla)
    assert [(f["cvegeo"], f["contratista"], f["sin_dato"]) for f in filas] == [
        ("20001", SUR, False),
        ("20001", ANIL, False),
        ("20002", ANIL, False),
        ("20001", None, True),
        ("20002", None, True),
    ]
    assert [f["municipio"] for f in filas] == [
        "Abejones", "Abejones", "Acatlán", "Abejones", "Acatlán",
    ]  # fmt: skip
    assert [f["obras"] for f in filas] == [1, 2, 1, 1, 1]
    assert [f["monto"] for f in filas] == [500.0, 400.0, 200.0, 50.0, 80.0]
    # Abejones: 100 + 300 + 500 + 50 = 950; Acatlán: 200 + 80 = 280
    assert [f["participacion"] for f in filas] == pytest.approx(
        [500 / 950, 400 / 950, 200 / 280, 50 / 950, 80 / 280]
    )
    assert [f["obras_adjudicacion_directa"] for f in filas] == [1, 1, 0, 0, 0]
    # sobre el monto con tipo publicado: Añil en Abejones 100 / (100 + 300); F3 y F5 sin tipo
    assert [f["participacion_adjudicacion_directa"] for f in filas] == [1.0, 0.25, None, None, 0.0]
    assert [f["obras_con_alerta"] for f in filas] == [0, 1, 1, 1, 0]
    assert [f["obras_con_sobregiro"] for f in filas] == [1, 1, 0, 0, 1]
    assert [f["obras_con_retraso"] for f in filas] == [0, 1, 1, 0, 0]


def test_ranking_en_la_entidad():
    filas = _filas(contratistas.ranking(_obras(), por_municipio=False))
    assert list(filas[0]) == contratistas.COLUMNAS_RANKING
    assert filas == [
        {
            "contratista": ANIL,
            "sin_dato": False,
            "obras": 3,
            "monto": 600.0,
            "participacion": pytest.approx(600 / 1230),
            "obras_adjudicacion_directa": 1,
            "participacion_adjudicacion_directa": 0.25,
            "obras_con_alerta": 2,
            "obras_con_sobregiro": 1,
            "obras_con_retraso": 2,
        },
        {
            "contratista": SUR,
            "sin_dato": False,
            "obras": 1,
            "monto": 500.0,
            "participacion": pytest.approx(500 / 1230),
            "obras_adjudicacion_directa": 1,
            "participacion_adjudicacion_directa": 1.0,
            "obras_con_alerta": 0,
            "obras_con_sobregiro": 1,
            "obras_con_retraso": 0,
        },
        {
            "contratista": None,
            "sin_dato": True,
            "obras": 2,
            "monto": 130.0,
            "participacion": pytest.approx(130 / 1230),
            "obras_adjudicacion_directa": 0,
            "participacion_adjudicacion_directa": 0.0,
            "obras_con_alerta": 1,
            "obras_con_sobregiro": 1,
            "obras_con_retraso": 0,
        },
    ]


def test_sin_dato_nunca_entre_las_empresas_aunque_tenga_el_mayor_monto():
    obras = _obras()
    obras.loc[obras["folio"] == "F5", "monto_aprobado"] = 10_000.0
    filas = _filas(contratistas.ranking(obras, por_municipio=False))
    assert [f["contratista"] for f in filas] == [ANIL, SUR, None]
    assert filas[-1]["monto"] == 10_080.0


def test_ranking_de_obras_filtradas_vacias():
    vacia = _obras().iloc[0:0]
    assert contratistas.ranking(vacia, por_municipio=True).empty
    tabla = contratistas.ranking(vacia, por_municipio=False)
    assert tabla.empty and list(tabla.columns) == contratistas.COLUMNAS_RANKING


def test_resumen_de_un_contratista():
    obras = _obras()
    resumen = contratistas.resumen(obras[obras["contratista"] == ANIL])
    assert resumen == contratistas.Resumen(
        obras=3,
        municipios=2,
        anios=(2024, 2025),
        monto_aprobado=600.0,
        monto_ejercido=470.0,
        monto_pagado=190.0,
        obras_adjudicacion_conocida=2,
        obras_adjudicacion_directa=1,
        directa_por_numero=0.5,
        directa_por_monto=0.25,
        obras_con_alerta=2,
        obras_con_sobregiro=1,
        obras_con_retraso=2,
    )


def test_resumen_sin_tipo_de_adjudicacion_publicado():
    obras = _obras()
    resumen = contratistas.resumen(obras[obras["folio"].isin(["F3", "F5"])])
    assert resumen.obras_adjudicacion_conocida == 0
    assert resumen.directa_por_numero is None and resumen.directa_por_monto is None
    assert resumen.monto_ejercido == 200.0 and resumen.monto_pagado is None


def test_obras_por_municipio_y_anio():
    obras = _obras()
    tabla = contratistas.obras_por_municipio_anio(obras[obras["contratista"] == ANIL])
    assert tabla["folio"].tolist() == ["F2", "F1", "F3"]
    assert tabla["sobregiro"].tolist() == [False, True, False]
    assert tabla["retraso"].tolist() == [False, True, True]
    # «Ábside» (con acento) va antes que «Acatlán» y «Abejones» no; sin municipio al final
    obras.loc[obras["folio"] == "F3", "municipio"] = "Ábside"
    obras.loc[obras["folio"] == "F1", "municipio"] = None
    tabla = contratistas.obras_por_municipio_anio(obras[obras["contratista"] == ANIL])
    assert tabla["folio"].tolist() == ["F2", "F3", "F1"]


@pytest.mark.parametrize(
    ("consulta", "esperado"),
    [
        (ANIL, [ANIL]),
        ("constructora anil sa de cv", [ANIL]),
        ("  CONSTRUCTORA AÑIL S.A. DE C.V. ", [ANIL]),
        ("N/D", []),
        ("Otra empresa", []),
        ("", []),
        (None, []),
    ],
)
def test_nombres_coincidentes(consulta, esperado):
    publicados = [ANIL, SUR, "N/D", None]
    assert contratistas.nombres_coincidentes(publicados, consulta) == esperado


def test_nombres_y_rfc():
    reportes = pd.DataFrame(
        {
            "contratista": [ANIL, ANIL, "CONSTRUCTORA AÑIL SA DE CV", SUR, None],
            "rfc_contratista": ["CAN010101AB1", None, "CAN010101AB1", "OSU020202CD2", None],
        }
    )
    assert contratistas.nombres_por_rfc(reportes, "can010101-ab1") == [
        "CONSTRUCTORA AÑIL SA DE CV",
        ANIL,
    ]
    assert contratistas.nombres_por_rfc(reportes, "XXX000000XX0") == []
    assert contratistas.nombres_por_rfc(reportes, None) == []
    assert contratistas.rfcs_de(reportes, [ANIL]) == ["CAN010101AB1"]
    assert contratistas.rfcs_de(reportes.drop(columns="rfc_contratista"), [ANIL]) == []
