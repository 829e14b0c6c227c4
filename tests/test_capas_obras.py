"""Obras: estado actual, historial, las ocho alertas, semáforo y contratistas."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from capas import contratistas, obras, tabla_municipios, tabla_obras
from capas.config import CODIGOS_ALERTA

try:
    from tests.conftest_capas import A, B, C, almacen_prueba, datos_prueba
    from tests.conftest_capas import obras as obras_prueba
except ImportError:  # pytest sin la raíz del proyecto en sys.path
    from conftest_capas import A, B, C, almacen_prueba, datos_prueba
    from conftest_capas import obras as obras_prueba

__all__ = ["almacen_prueba", "datos_prueba"]

#: La obra de prueba que dispara cada alerta (y solo ella la tiene).
OBRA_DE_CADA_ALERTA = {
    "pago_sin_avance": "OAX-1",
    "sobrecosto": "OAX-2",
    "vencida": "OAX-3",
    "avance_invalido": "OAX-4",
    "terminada_sin_estatus": "OAX-5",
    "folio_duplicado": "OAX-6",
    "fuera_de_municipio": "OAX-7",
    "sin_georreferencia": "OAX-8",
}


@pytest.fixture(scope="module")
def evaluadas(datos_prueba) -> pd.DataFrame:
    return tabla_obras(datos_prueba).set_index("folio")


def _alerta(datos_prueba, folio: str, codigo: str):
    fila = datos_prueba.obras_evaluadas(None).set_index("folio").loc[folio]
    encontradas = obras.alertas_obra(
        fila,
        datos_prueba.fecha_referencia_obras,
        nombres_municipios=datos_prueba.nombres_municipios,
    )
    return next(a for a in encontradas if a.codigo == codigo)


def test_cada_alerta_la_dispara_solo_su_obra(evaluadas):
    for codigo, folio in OBRA_DE_CADA_ALERTA.items():
        con_alerta = sorted(evaluadas.index[evaluadas["alertas"].fillna("").str.contains(codigo)])
        assert con_alerta == [folio], codigo
    assert pd.isna(evaluadas.loc["OAX-9", "alertas"])


def test_alerta_pago_sin_avance(datos_prueba):
    alerta = _alerta(datos_prueba, "OAX-1", "pago_sin_avance")
    # financiero 800,000 / 1,000,000 = 0.8; físico 0.5; diferencia 30 puntos > 25
    assert alerta.datos["avance_financiero"] == pytest.approx(0.8)
    assert alerta.datos["avance_fisico"] == 0.5
    assert alerta.datos["diferencia"] == pytest.approx(0.3)
    assert alerta.mensaje == (
        "Se ha ejercido el 80 % del monto aprobado pero el avance físico es de 50 %: "
        "30 puntos de diferencia (el límite es 25)."
    )


def test_alerta_sobrecosto(datos_prueba):
    alerta = _alerta(datos_prueba, "OAX-2", "sobrecosto")
    # modificado 1,150,000 > ejercido 900,000; 1,150,000 / 1,000,000 - 1 = 15 % > 10 %
    assert alerta.datos["etapa"] == "modificado"
    assert alerta.datos["exceso"] == pytest.approx(0.15)
    assert alerta.mensaje == (
        "El monto modificado ($1,150,000.00) supera al aprobado ($1,000,000.00) en 15 % "
        "(el límite es 10 %)."
    )


def test_alerta_vencida(datos_prueba):
    alerta = _alerta(datos_prueba, "OAX-3", "vencida")
    # término estimado 2025-03-31, anterior al corte 2025-09-30, y avance 0.6 < 1
    assert alerta.datos == {
        "fecha_termino": date(2025, 3, 31),
        "fecha_referencia": date(2025, 9, 30),
        "avance_fisico": 0.6,
    }
    assert alerta.mensaje == (
        "Debía terminar el 31 de marzo de 2025 y al 30 de septiembre de 2025 su avance "
        "físico es de 60 %."
    )


def test_alerta_avance_invalido(datos_prueba):
    alerta = _alerta(datos_prueba, "OAX-4", "avance_invalido")
    # 360.0 como fracción = 36,000 %
    assert alerta.datos == {"avance_fisico": 360.0}
    assert "36,000 %" in alerta.mensaje


def test_alerta_terminada_sin_estatus(datos_prueba):
    alerta = _alerta(datos_prueba, "OAX-5", "terminada_sin_estatus")
    assert alerta.datos == {"avance_fisico": 1.0, "estatus": "En ejecución"}
    assert alerta.mensaje == (
        "Tiene avance físico de 100 % pero su estatus publicado es «En ejecución»."
    )


def test_alerta_folio_duplicado(datos_prueba):
    alerta = _alerta(datos_prueba, "OAX-6", "folio_duplicado")
    assert alerta.datos == {"veces": 2, "anio": 2024, "trimestre": 3}
    assert alerta.mensaje == "El folio OAX-6 aparece 2 veces en el reporte 2024 T3."


def test_alerta_fuera_de_municipio(datos_prueba, evaluadas):
    alerta = _alerta(datos_prueba, "OAX-7", "fuera_de_municipio")
    assert alerta.datos == {"cvegeo_declarado": A, "cvegeo_coordenadas": B}
    assert alerta.mensaje == (
        "Se declaró en el municipio Abejones (20001) pero sus coordenadas caen en "
        "Acatlán de Pérez Figueroa (20002)."
    )
    # la obra se cuenta en su municipio declarado (responsable)
    assert evaluadas.loc["OAX-7", "cvegeo"] == A


def test_alerta_sin_georreferencia(datos_prueba):
    alerta = _alerta(datos_prueba, "OAX-8", "sin_georreferencia")
    assert alerta.mensaje == "No tiene coordenadas utilizables: no se publicaron coordenadas."


def test_semaforo_de_cada_obra(evaluadas):
    assert evaluadas["semaforo"].to_dict() == {
        "OAX-1": "rojo",  # pago sin avance
        "OAX-2": "rojo",  # sobrecosto
        "OAX-3": "rojo",  # vencida
        "OAX-4": "gris",  # avance inválido: no se pueden comparar los avances
        "OAX-5": "verde",  # financiero 1.0 - físico 1.0 = 0 puntos
        "OAX-6": "amarillo",  # 120,000 / 400,000 = 0.3 - 0.1 = 20 puntos (10 a 25)
        "OAX-7": "verde",  # 0.5 - 0.5 = 0
        "OAX-8": "gris",  # sin monto aprobado no hay avance financiero
        "OAX-9": "verde",  # 1.0 - 1.0 = 0
    }
    assert evaluadas.loc["OAX-6", "etiqueta_semaforo"] == "vigilar"


def test_estado_actual_es_el_ultimo_reporte(evaluadas):
    # OAX-1: reportes 2024 T1 y T2; el actual es T2
    assert (evaluadas.loc["OAX-1", "trimestre"], evaluadas.loc["OAX-1", "reportes"]) == (2, 2)
    assert evaluadas.loc["OAX-1", "monto_ejercido"] == 800_000
    # OAX-9: el último reporte es 2025 T1
    assert (evaluadas.loc["OAX-9", "anio"], evaluadas.loc["OAX-9", "trimestre"]) == (2025, 1)
    assert evaluadas.loc["OAX-9", "estatus"] == "Terminado"
    # OAX-6: dos filas en el mismo reporte, se toma la última publicada
    assert evaluadas.loc["OAX-6", "monto_ejercido"] == 120_000
    assert evaluadas.loc["OAX-6", "avance_financiero"] == pytest.approx(0.3)
    assert len(evaluadas) == 9


def test_estado_en_un_anio_y_fecha_de_referencia_del_anio(datos_prueba):
    tabla = tabla_obras(datos_prueba, anio=2024).set_index("folio")
    # OAX-9 en 2024: reporte T2 (avance 0.7, término 2025-03-31): al cierre de 2024 aún
    # no vencía
    assert tabla.loc["OAX-9", "trimestre"] == 2
    assert tabla.loc["OAX-9", "avance_fisico"] == 0.7
    assert pd.isna(tabla.loc["OAX-9", "alertas"])
    # OAX-3 tampoco estaba vencida al 2024-12-31 (término 2025-03-31)
    assert pd.isna(tabla.loc["OAX-3", "alertas"])
    assert datos_prueba.fecha_referencia_obras_anio(2024) == date(2024, 12, 31)


def test_historial_de_una_obra():
    historial = obras.historial(obras_prueba(), "OAX-1")
    assert list(historial["reporte"]) == ["2024 T1", "2024 T2"]
    # 200,000 / 1,000,000 y 800,000 / 1,000,000
    assert list(historial["avance_financiero"]) == pytest.approx([0.2, 0.8])
    assert list(historial["avance_fisico"]) == [0.2, 0.5]


def test_obras_en_la_capa_municipios(datos_prueba):
    tabla = tabla_municipios(datos_prueba, anio=2024).set_index("cvegeo")
    # 2024: A = OAX-1, OAX-2, OAX-7 (declarada en A); B = OAX-3, OAX-4, OAX-8, OAX-9;
    # C = OAX-5, OAX-6
    assert tabla["obras"].to_dict() == {A: 3, B: 4, C: 2}
    # A: 1,000,000 + 1,000,000 + 200,000; B: 500,000 + 100,000 + (sin dato) + 100,000
    assert tabla["obras_monto_aprobado"].to_dict() == {A: 2_200_000, B: 700_000, C: 700_000}
    # con alerta en 2024 (fecha de referencia 2024-12-31): A las tres; B OAX-4 y OAX-8;
    # C OAX-5 y OAX-6
    assert tabla["obras_con_alerta"].to_dict() == {A: 3, B: 2, C: 2}


def test_municipio_sin_obras_tiene_cero(datos_prueba):
    tabla = tabla_municipios(datos_prueba, anio=2023)
    assert list(tabla["obras"]) == [0, 0, 0]
    assert list(tabla["obras_monto_aprobado"]) == [0.0, 0.0, 0.0]


def test_filtros_de_la_capa_obras(datos_prueba):
    assert list(tabla_obras(datos_prueba, municipio=C)["folio"]) == ["OAX-5", "OAX-6"]
    assert list(tabla_obras(datos_prueba, alerta="vencida")["folio"]) == ["OAX-3"]
    with pytest.raises(ValueError, match="alerta desconocida"):
        tabla_obras(datos_prueba, alerta="inventada")


def test_por_contratista(datos_prueba):
    tabla = contratistas.ranking(tabla_obras(datos_prueba)).set_index(["cvegeo", "contratista"])
    alfa = tabla.loc[(A, "Constructora Alfa")]
    # OAX-1 (licitación) + OAX-2 (adjudicación directa), 1 M cada una; A suma 2.2 M
    assert (alfa["obras"], alfa["monto"], alfa["obras_adjudicacion_directa"]) == (2, 2e6, 1)
    assert alfa["participacion"] == pytest.approx(0.9090909090909091)  # 2 / 2.2
    assert alfa["participacion_adjudicacion_directa"] == 0.5  # 1 M / 2 M
    beta = tabla.loc[(B, "Beta SA")]
    # OAX-3 (500,000, directa) + OAX-4 (100,000, sin tipo publicado); B suma 700,000
    assert (beta["obras"], beta["monto"]) == (2, 600_000)
    assert beta["participacion"] == pytest.approx(0.8571428571428571)  # 6 / 7
    assert beta["participacion_adjudicacion_directa"] == 1.0  # 500,000 / 500,000 conocidos
    gamma = tabla.loc[(C, "Gamma")]
    assert (gamma["participacion"], gamma["participacion_adjudicacion_directa"]) == (
        1.0,
        0.0,
    )
    delta = tabla.loc[(B, "Delta")]  # sin monto aprobado: participaciones sin dato
    assert np.isnan(delta["participacion"])


def test_por_contratista_en_la_entidad(datos_prueba):
    tabla = contratistas.ranking(tabla_obras(datos_prueba), por_municipio=False)
    tabla = tabla.set_index("contratista")
    # total de la entidad: 2.2 M + 700,000 + 700,000 = 3.6 M; Alfa 2 M / 3.6 M
    assert tabla.loc["Constructora Alfa", "participacion"] == pytest.approx(0.5555555555555556)


def _obra(**cambios) -> pd.DataFrame:
    base = {
        "folio": "X",
        "monto_aprobado": 100.0,
        "monto_modificado": None,
        "monto_ejercido": 50.0,
        "avance_fisico": 0.5,
        "fecha_termino": None,
        "estatus": "En ejecución",
        "duplicados": 1,
        "cvegeo_declarado": "20001",
        "cvegeo_coordenadas": "20001",
        "latitud": 17.0,
        "longitud": -96.0,
    }
    base.update(cambios)
    return pd.DataFrame([base])


@pytest.mark.parametrize(
    ("cambios", "alertas"),
    [
        # 0.80 - 0.55 = 25 puntos exactos: no pasa el límite (con tolerancia de redondeo)
        ({"monto_ejercido": 80.0, "avance_fisico": 0.55}, []),
        ({"monto_ejercido": 80.0, "avance_fisico": 0.54}, ["pago_sin_avance"]),
        # 110 / 100 = 10 % exacto: no es sobrecosto; 111 / 100 sí
        ({"monto_ejercido": 110.0, "avance_fisico": 1.0, "estatus": "Terminada"}, []),
        ({"monto_ejercido": 111.0, "avance_fisico": 1.0, "estatus": "Terminada"}, ["sobrecosto"]),
        ({"monto_modificado": 120.0}, ["sobrecosto"]),
        # aprobado 0: no se puede evaluar ni pago sin avance ni sobrecosto
        ({"monto_aprobado": 0.0}, []),
        ({"fecha_termino": "2025-01-01"}, ["vencida"]),
        ({"fecha_termino": "2025-01-01", "avance_fisico": 1.0, "estatus": "Concluida"}, []),
        ({"fecha_termino": "2025-09-30"}, []),  # termina el mismo día del corte
        ({"avance_fisico": -0.1}, ["avance_invalido"]),
        ({"avance_fisico": 1.0, "monto_ejercido": 100.0, "estatus": None}, ["terminada_sin_estatus"]),
        ({"avance_fisico": 1.0, "monto_ejercido": 100.0, "estatus": "No terminada"}, [
            "terminada_sin_estatus"
        ]),
        ({"duplicados": 3}, ["folio_duplicado"]),
        ({"cvegeo_coordenadas": "20002"}, ["fuera_de_municipio"]),
        ({"cvegeo_coordenadas": None}, ["sin_georreferencia"]),  # fuera de la entidad
        ({"latitud": None}, ["sin_georreferencia"]),
    ],
)  # fmt: skip
def test_reglas_de_alerta(cambios, alertas):
    banderas = obras.banderas_alertas(_obra(**cambios), date(2025, 9, 30)).iloc[0]
    assert [c for c in CODIGOS_ALERTA if banderas[c]] == alertas


@pytest.mark.parametrize(
    ("cambios", "luz"),
    [
        ({"monto_ejercido": 60.0, "avance_fisico": 0.5}, "amarillo"),  # 10 puntos
        ({"monto_ejercido": 59.0, "avance_fisico": 0.5}, "verde"),  # 9 puntos
        ({"monto_ejercido": 10.0, "avance_fisico": 0.9}, "verde"),  # físico adelantado
        ({"avance_fisico": None}, "gris"),
        ({"avance_fisico": None, "fecha_termino": "2025-01-01"}, "gris"),
        ({"monto_ejercido": 80.0, "avance_fisico": 0.5}, "rojo"),
    ],
)
def test_semaforo_de_obra(cambios, luz):
    tabla = _obra(**cambios)
    banderas = obras.banderas_alertas(tabla, date(2025, 9, 30))
    assert obras.semaforos_obra(tabla, banderas)[0] == luz


def test_sin_fecha_de_referencia_no_hay_vencidas():
    banderas = obras.banderas_alertas(_obra(fecha_termino="2020-01-01"), None)
    assert not banderas["vencida"].iloc[0]


def test_fecha_de_referencia_de_los_reportes():
    # último reporte 2025 T1 -> 31 de marzo de 2025
    assert obras.fecha_referencia_reportes(obras_prueba()) == date(2025, 3, 31)


def test_fecha_de_referencia_con_el_informe_definitivo_anual():
    # El SRFT publica el informe definitivo anual como trimestre 5: cierra el 31 de diciembre.
    reportes = pd.DataFrame({"anio": [2024, 2024], "trimestre": [4, 5]})
    assert obras.fecha_referencia_reportes(reportes) == date(2024, 12, 31)


def test_fuente_de_una_version_sin_la_columna(evaluadas):
    # La versión de prueba solo guarda ``formato`` (A): la descarga dice la fuente (srft).
    assert set(evaluadas["fuente"]) == {"srft"}


def test_alertas_e_historial_desde_la_version(datos_prueba):
    import capas

    alertas = capas.alertas_de_obra(datos_prueba, "OAX-3")
    assert [a.codigo for a in alertas] == ["vencida"]
    assert capas.alertas_de_obra(datos_prueba, "OAX-9") == []
    # en el estado de 2024 (referencia 2024-12-31) OAX-3 aún no estaba vencida
    assert capas.alertas_de_obra(datos_prueba, "OAX-3", anio=2024) == []
    with pytest.raises(KeyError, match="OAX-99"):
        capas.alertas_de_obra(datos_prueba, "OAX-99")
    assert list(capas.historial_obra(datos_prueba, "OAX-9")["reporte"]) == ["2024 T2", "2025 T1"]
