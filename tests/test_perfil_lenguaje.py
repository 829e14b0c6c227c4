"""Perfil sin callejones (enlaces a /obras), conteos con su año, una sola frase de presupuesto,
alertas contadas y listadas con la misma definición, glosario, fechas en español con hora del
centro de México y valores de la fuente con acentos (solo en pantalla).
"""

from __future__ import annotations

import io
import math
import sys
from datetime import UTC, date, datetime

import pandas as pd
import pytest

import capas
from tablero import glosario
from tablero.app import crear_app
from tablero.figuras import inicio as figuras_inicio
from tablero.figuras import municipio as figuras
from tablero.figuras import obras as figuras_obras
from tablero.formato import fecha_hora, fecha_larga, valor_fuente
from tests import ayuda_paginas as ayuda

ANIO = 2025
CLAVE = "20067"


@pytest.fixture(scope="module")
def app(raiz_ejemplo):
    return crear_app(raiz_ejemplo)


@pytest.fixture(scope="module")
def datos(raiz_ejemplo):
    return capas.abrir(raiz_ejemplo)


@pytest.fixture
def peticion(app):
    with app.server.test_request_context("/municipio"):
        yield


def _texto(arbol) -> str:
    return " ".join(ayuda.texto(arbol).split())


def _enlaces(arbol) -> list[tuple[str, str]]:
    return [
        (_texto(nodo["props"].get("children")), nodo["props"]["href"])
        for nodo in ayuda.componentes(arbol, "A")
    ]


# --- fechas y horas -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("valor", "esperado"),
    [
        ("2024-08-10", "10 de agosto de 2024"),
        (date(2025, 9, 30), "30 de septiembre de 2025"),
        ("2024-01-01T12:00:00", "1 de enero de 2024"),  # sin zona: la fecha tal cual
        # con zona: el día en el centro de México (UTC-6), no en UTC
        ("2026-12-02T00:18:50+00:00", "1 de diciembre de 2026"),
        ("2026-12-02T06:00:00Z", "2 de diciembre de 2026"),
        (None, "sin dato"),
    ],
)
def test_fecha_larga(valor, esperado):
    assert fecha_larga(valor) == esperado


@pytest.mark.parametrize(
    ("valor", "esperado"),
    [
        (
            "2026-12-02T00:18:50+00:00",
            "1 de diciembre de 2026, 18:18 h (hora del centro de México)",
        ),
        ("2024-08-10T12:00:00Z", "10 de agosto de 2024, 06:00 h (hora del centro de México)"),
        # sin zona: se guarda en UTC
        (datetime(2024, 8, 10, 5, 30), "9 de agosto de 2024, 23:30 h (hora del centro de México)"),
        (
            datetime(2025, 3, 1, 18, 5, tzinfo=UTC),
            "1 de marzo de 2025, 12:05 h (hora del centro de México)",
        ),
        ("", "sin dato"),
    ],
)
def test_fecha_hora_en_el_centro_de_mexico(valor, esperado):
    assert fecha_hora(valor) == esperado


def test_fecha_no_iso_da_un_error_claro():
    with pytest.raises(ValueError, match="fecha ISO"):
        fecha_hora("10/08/2024")


# --- valores de la fuente con acentos -------------------------------------------------------


@pytest.mark.parametrize(
    ("valor", "esperado"),
    [
        ("LICITACION PUBLICA", "Licitación pública"),
        ("Licitacion publica", "Licitación pública"),
        ("ADJUDICACION DIRECTA", "Adjudicación directa"),
        ("Adjudicacion directa", "Adjudicación directa"),
        ("INVITACION A TRES", "Invitación a cuando menos tres personas"),
        ("Invitacion a cuando menos tres personas", "Invitación a cuando menos tres personas"),
        ("EN EJECUCION", "En ejecución"),
        ("En ejecución", "En ejecución"),
        ("Otro valor", "Otro valor"),  # lo que no está en el mapa, tal cual
        (None, None),
        (float("nan"), None),
    ],
)
def test_mapa_de_acentos(valor, esperado):
    assert valor_fuente(valor) == esperado


def test_la_ficha_muestra_acentos_y_la_descarga_conserva_la_fuente(app, datos):
    obras = capas.tabla_obras(datos, anio=ANIO, municipio=CLAVE)
    obra = obras[obras["tipo_adjudicacion"] == "LICITACION PUBLICA"].iloc[0].to_dict()
    ficha = _texto(figuras_obras.ficha(obra, obras.iloc[0:0], []))
    assert "Tipo de adjudicación Licitación pública" in ficha
    csv = app.server.test_client().get(f"/descargas/obras.csv?anio={ANIO}&municipio={CLAVE}")
    tabla = pd.read_csv(io.BytesIO(csv.data), dtype=str)
    fila = tabla[tabla["folio"] == obra["folio"]].iloc[0]
    assert fila["tipo_adjudicacion"] == "LICITACION PUBLICA"


# --- enlaces del perfil a /obras ------------------------------------------------------------


def test_enlace_a_obras_con_parametros_exactos():
    assert figuras.enlace_obras(CLAVE, ANIO) == "/obras?municipio=20067&anio=2025"
    assert (
        figuras.enlace_obras(CLAVE, ANIO, "OAX2312293744")
        == "/obras?municipio=20067&anio=2025&folio=OAX2312293744"
    )
    assert (
        figuras.enlace_obras(CLAVE, 2024, "A&B") == "/obras?municipio=20067&anio=2024&folio=A%26B"
    )


def test_cada_obra_del_perfil_enlaza_a_su_ficha(datos):
    obras = capas.tabla_obras(datos, anio=ANIO, municipio=CLAVE)
    enlaces = dict(
        (href, texto)
        for texto, href in _enlaces(figuras.tabla_obras(obras, ANIO, CLAVE, lambda r: "/app" + r))
    )
    for obra in obras.to_dict("records"):
        href = f"/app/obras?municipio=20067&anio=2025&folio={obra['folio']}"
        assert enlaces[href] == obra["nombre"]
    assert enlaces["/app/obras?municipio=20067&anio=2025"] == (
        "Ver las 18 obras de este municipio en 2025 en la página de Obras"
    )
    assert len(enlaces) == len(obras) + 1 == 19


def test_ver_las_obras_abre_obras_con_el_mismo_conteo(app, datos, peticion):
    """El número del enlace es el de /obras con los mismos filtros (municipio y año)."""
    pagina_obras = sys.modules["paginas.obras"]

    def en_pagina(**valores):
        filtros, no_reconocidos = pagina_obras.filtros_de_la_pagina(datos, valores)
        assert no_reconocidos == []
        return pagina_obras.CAPA.leer(datos, **filtros)

    en_obras = en_pagina(anio=str(ANIO), municipio=CLAVE)
    fila = capas.tabla_municipios(datos, anio=ANIO, municipio=CLAVE).iloc[0]
    assert len(en_obras) == fila["obras"] == 18
    # /obras sin año cuenta todos los años: por eso el perfil dice de qué año es su número
    assert len(en_pagina(municipio=CLAVE)) > 18
    pagina = sys.modules["paginas.municipio"]
    arbol = pagina.layout(municipio=CLAVE)
    enlaces = _enlaces(arbol)
    assert (
        "Ver las 18 obras de 2025 en la página de Obras",
        "/obras?municipio=20067&anio=2025",
    ) in (enlaces)
    assert ayuda.por_id(arbol, "municipio-obras")["props"]["children"] == "18 obras en 2025"


def test_conteo_de_obras_dice_su_anio():
    assert figuras.texto_obras(4, 2025) == "4 obras en 2025"
    assert figuras.texto_obras(1, 2024) == "1 obra en 2024"
    assert figuras.texto_obras(0, 2024) == "0 obras en 2024"
    assert figuras.texto_obras(float("nan"), 2024) == "sin dato"


# --- alertas: la lista y el conteo con la misma definición ----------------------------------


def test_lista_de_obras_con_alerta_igual_al_conteo(datos):
    obras = capas.tabla_obras(datos, anio=ANIO, municipio=CLAVE)
    fila = capas.tabla_municipios(datos, anio=ANIO, municipio=CLAVE).iloc[0]
    tabla = ayuda.a_json(figuras.tabla_obras(obras, ANIO, CLAVE))
    tablas = ayuda.componentes(tabla, "Table")
    titulos = [_texto(ayuda.componentes(t, "Caption")[0]) for t in tablas]
    assert titulos == ["Obras con alguna alerta (7)", "Obras sin alertas (11)"]
    filas_alerta = ayuda.componentes(ayuda.componentes(tablas[0], "Tbody")[0], "Tr")
    assert len(filas_alerta) == fila["obras_con_alerta"] == (obras["num_alertas"] > 0).sum() == 7
    # la que está en verde («sin alertas graves») dice que su alerta es leve
    textos = [_texto(f) for f in filas_alerta]
    verdes = [t for t in textos if "sin alertas graves" in t]
    assert len(verdes) == 1 and "Alertas leves: Sin georreferencia" in verdes[0]
    assert all("Alertas graves:" in t for t in textos if "sin alertas graves" not in t)
    # el resumen de /obras con el mismo municipio y año cuenta lo mismo
    assert "7 con alguna alerta" in figuras_obras.resumen(obras)


def test_alertas_por_gravedad():
    assert figuras.alertas_por_gravedad("sin_georreferencia;vencida") == [
        "Alertas graves: Vencida",
        "Alertas leves: Sin georreferencia",
    ]
    assert figuras.alertas_por_gravedad("") == ["Alertas: ninguna"]


# --- presupuesto: una sola frase --------------------------------------------------------------


def test_una_sola_frase_de_presupuesto_con_aprobado_y_sin_ejercido(datos):
    nan = math.nan
    fila = {
        "presupuesto_aprobado": 1698519.0,
        "presupuesto_ejercido": nan,
        "eficacia": nan,
        "eficacia_modificado": nan,
    }
    assert figuras_inicio.frase_eficacia(fila) == (
        "Se aprobaron $1,698,519 para el programa; todavía no se ha publicado cuánto se "
        "ejerció, así que no se puede calcular la eficacia."
    )
    # en el perfil entero: el aprobado aparece y nada dice que no hay aprobado
    historial = capas.tabla_municipios(datos, municipio=CLAVE).copy()
    elegido = historial["anio"] == ANIO
    for columna in (
        "presupuesto_modificado",
        "presupuesto_ejercido",
        "presupuesto_comprobado",
        "eficacia",
        "eficacia_modificado",
    ):
        historial.loc[elegido, columna] = nan
    historial.loc[elegido, "presupuesto_aprobado"] = 1698519.0
    perfil = _texto(
        figuras.perfil(
            CLAVE,
            ANIO,
            historial,
            capas.tabla_estado(datos, anio=ANIO),
            capas.tabla_escuelas(datos, anio=ANIO, municipio=CLAVE),
            capas.tabla_obras(datos, anio=ANIO, municipio=CLAVE),
            None,
            {},
        )
    )
    assert "Sin datos de presupuesto" not in perfil
    assert "Aprobado $1,698,519" in perfil
    assert perfil.count("Se aprobaron $1,698,519 para el programa") == 2  # tarjeta y sección


def test_frases_sin_eficacia():
    nan = math.nan
    assert figuras_inicio.frase_eficacia(
        {"presupuesto_aprobado": nan, "presupuesto_ejercido": 500.0, "eficacia": nan}
    ) == (
        "Se han ejercido $500 del programa; el presupuesto aprobado no se publicó, así que no "
        "se puede calcular la eficacia."
    )
    assert figuras_inicio.frase_eficacia(
        {"presupuesto_aprobado": 0.0, "presupuesto_ejercido": 500.0, "eficacia": nan}
    ).startswith("Se han ejercido $500 del programa; el presupuesto aprobado es cero")
    assert figuras_inicio.frase_eficacia(
        {"presupuesto_aprobado": nan, "presupuesto_ejercido": nan, "eficacia": nan}
    ) == ("Sin datos de presupuesto del programa (aprobado ni ejercido) para este ejercicio.")


# --- glosario ---------------------------------------------------------------------------------


def test_glosario_desplegable_con_sus_textos():
    detalle = ayuda.a_json(glosario.ayuda("eficacia"))
    assert detalle["type"] == "Details"
    resumen = ayuda.componentes(detalle, "Summary")[0]
    assert _texto(resumen) == "? ¿Qué es la eficacia presupuestal?"
    assert _texto(ayuda.componentes(detalle, "P")[0]) == glosario.explicacion("eficacia")
    with pytest.raises(KeyError):
        glosario.ayuda("no-existe")


def test_el_perfil_explica_sus_terminos_tecnicos(peticion):
    pagina = sys.modules["paginas.municipio"]
    arbol = pagina.layout(municipio=CLAVE)
    terminos = {nodo["props"].get("data-termino") for nodo in ayuda.componentes(arbol, "Details")}
    assert {
        "eficacia",
        "sobregiro",
        "semaforo_gasto",
        "clave_inegi",
        "cobertura",
        "semaforo_cobertura",
        "semaforo_obra",
        "alerta",
        "variacion",
    } <= terminos
    texto = _texto(arbol)
    # las fórmulas con barra se dicen con palabras
    assert "ejercido / aprobado" not in texto
    assert "presupuesto ejercido dividido entre el aprobado" in texto


# --- barra de herramientas de los mapas y escala de color -----------------------------------


def test_barra_de_los_mapas_en_espanol_y_sin_subir_a_la_nube():
    from tablero.mapas import CONFIGURACION_MAPA, ESCALA_CONTINUA

    assert CONFIGURACION_MAPA["locale"] == "es"
    assert CONFIGURACION_MAPA["displaylogo"] is False
    assert {"sendChartToCloud", "sendDataToCloud", "toImage"} <= set(
        CONFIGURACION_MAPA["modeBarButtonsToRemove"]
    )
    traducciones = CONFIGURACION_MAPA["locales"]["es"]["dictionary"]
    for boton in ("Zoom in", "Zoom out", "Pan", "Reset view"):
        assert traducciones[boton]
    # la escala continua no pasa por gris: el gris es solo «sin dato»
    assert ESCALA_CONTINUA == "Viridis"


def test_reporte_ciudadano_con_fechas_del_centro_de_mexico(app):
    pagina = sys.modules["paginas.reporte"]
    reporte = {
        "folio": "R-1",
        "estado": "en_atencion",
        "tipo": "danado",
        "estacionamiento_id": None,
        "latitud": 17.06,
        "longitud": -96.72,
        "descripcion": "Cajón dañado",
        "creado": "2024-08-10T03:15:00Z",
        "respuesta": None,
        "adhesiones": 0,
        "historial": [
            {"fecha": "2024-08-10T03:15:00Z", "de": None, "a": "recibido", "respuesta": None},
            {
                "fecha": "2024-08-12T18:00:00Z",
                "de": "recibido",
                "a": "en_atencion",
                "respuesta": None,
            },
        ],
    }
    texto = _texto(pagina.detalle_publico(reporte))
    assert "Recibido 9 de agosto de 2024, 21:15 h (hora del centro de México)" in texto
    assert "12 de agosto de 2024, 12:00 h (hora del centro de México) : Recibido → En atención" in (
        texto
    )
    assert "2024-08" not in texto
    lista = _texto(pagina.lista_del_cajon("E1", [{**reporte, "estado": "recibido"}]))
    assert lista == "Reportes del cajón E1 R-1 · Dañado · Recibido · 9 de agosto de 2024"


def test_opciones_de_estatus_con_acentos_y_el_valor_de_la_fuente():
    assert figuras_obras.opciones_texto(["EN EJECUCION", "Terminado"], valor_fuente) == [
        {"label": "En ejecución", "value": "EN EJECUCION", "search": "en ejecucion"},
        {"label": "Terminado", "value": "Terminado", "search": "terminado"},
    ]
