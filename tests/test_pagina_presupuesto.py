"""«Presupuesto del estado» en la portada y «Presupuesto del municipio» en el perfil.

Sin navegador: layouts y callbacks se llaman dentro de una petición de prueba de una
aplicación sobre almacenes pequeños hechos a mano (:mod:`tests.datos_presupuesto`):

- ``completo``: el escenario de las capas (ciclos escolares, programa, obras) más las líneas
  por objeto del gasto: la portada tiene mapa y la sección de presupuesto.
- ``solo_presupuesto``: municipios y líneas por objeto del gasto, sin ciclos escolares.
- ``sin_presupuesto``: el escenario de las capas sin líneas por objeto del gasto.
"""

from __future__ import annotations

import sys

import pandas as pd
import pytest

from capas.lectura import limpiar_cache
from tablero.app import crear_app
from tablero.figuras import presupuesto as figuras_presupuesto
from tests import ayuda_paginas as ayuda

try:
    from tests.conftest_capas import capas_prueba, crear_almacen, municipios
    from tests.datos_presupuesto import MUNICIPIO, lineas_presupuesto
except ImportError:  # pytest sin la raíz del proyecto en sys.path
    from conftest_capas import capas_prueba, crear_almacen, municipios
    from datos_presupuesto import MUNICIPIO, lineas_presupuesto

FRASE_2024 = (
    "En 2024 el gobierno del estado aprobó $1,000 y devengó $1,000: el 100.0 % de lo aprobado. "
    "El capítulo con más gasto fue «Materiales y suministros», con el 55.0 % del total "
    "devengado."
)
CITA_ESTATAL = (
    "Fuente: Ojos al Gasto (Política Colectiva), a partir de la Cuenta Pública estatal; "
    "licencia ODbL 1.0 . Fecha de corte: 31 de diciembre de 2024."
)


def _app(raiz, capas: dict) -> object:
    crear_almacen(raiz, capas)
    limpiar_cache()
    return crear_app(raiz)


@pytest.fixture(scope="module")
def completo(tmp_path_factory):
    todas = capas_prueba()
    todas["presupuesto"] = pd.concat(
        [todas["presupuesto"], lineas_presupuesto()], ignore_index=True
    )
    return _app(tmp_path_factory.mktemp("completo"), todas)


@pytest.fixture(scope="module")
def solo_presupuesto(tmp_path_factory):
    return _app(
        tmp_path_factory.mktemp("solo_presupuesto"),
        {"municipios": municipios(), "presupuesto": lineas_presupuesto()},
    )


@pytest.fixture(scope="module")
def sin_presupuesto(tmp_path_factory):
    return _app(tmp_path_factory.mktemp("sin_presupuesto"), capas_prueba())


def _inicio():
    return sys.modules["paginas.inicio"]


def _municipio():
    return sys.modules["paginas.municipio"]


def _texto(arbol) -> str:
    return " ".join(ayuda.texto(arbol).split())


def _tabla(arbol, id_: str) -> dict:
    """Encabezados, filas y pie de una tabla HTML, como textos (y el ``scope`` de cada th)."""
    contenedor = ayuda.por_id(arbol, id_)
    tabla = ayuda.componentes(contenedor, "Table")[0]

    def filas(tipo):
        return [
            [_texto(celda) for celda in fila["props"]["children"]]
            for seccion in ayuda.componentes(tabla, tipo)
            for fila in ayuda.componentes(seccion, "Tr")
        ]

    alcances = [th["props"].get("scope") for th in ayuda.componentes(tabla, "Th")]
    return {
        "titulo": _texto(ayuda.componentes(tabla, "Caption")[0]),
        "encabezado": filas("Thead"),
        "cuerpo": filas("Tbody"),
        "pie": filas("Tfoot"),
        "alcances": alcances,
        "region": (contenedor["props"].get("role"), contenedor["props"].get("aria-label")),
    }


# --- portada ----------------------------------------------------------------------------------


def test_portada_con_el_presupuesto_del_estado(completo):
    with completo.server.test_request_context("/"):
        arbol = _inicio().layout()
    # Tiene mapa (hay ciclos escolares) y la sección de presupuesto con su selector.
    assert "inicio-mapa" in {n["props"].get("id") for n in ayuda.componentes(arbol)}
    assert ayuda.por_id(arbol, "inicio-titulo-presupuesto")["props"]["children"] == (
        "Presupuesto del estado"
    )
    selector = arbol["inicio-ejercicio"]
    # Por omisión 2024: el último con devengado publicado (2025 es solo aprobado).
    assert selector.value == 2024
    assert [o["value"] for o in selector.options] == [2025, 2024, 2023, 2022, 2021]
    assert _texto(arbol["inicio-presupuesto-aprobado"]) == "$1,000"
    assert _texto(arbol["inicio-presupuesto-ejercido"]) == "$1,000"
    assert _texto(arbol["inicio-presupuesto-frase"]) == FRASE_2024
    tabla = _tabla(arbol, "inicio-presupuesto-tabla")
    assert tabla["titulo"] == "Presupuesto del estado por capítulo del gasto, 2024"
    assert tabla["encabezado"] == [
        [
            "Capítulo",
            "Aprobado",
            "Devengado",
            "Devengado / aprobado",
            "Parte del total devengado",
        ]
    ]
    # Capítulos en orden de código; el total es la línea COGTOT (no capítulos + concepto).
    assert tabla["cuerpo"] == [
        ["Servicios personales", "$600", "$450", "75.0 %", "45.0 %"],
        ["Materiales y suministros", "$400", "$550", "137.5 %", "55.0 %"],
    ]
    assert tabla["pie"] == [["Total", "$1,000", "$1,000", "100.0 %", "100.0 %"]]
    assert tabla["alcances"] == ["col"] * 5 + ["row"] * 3
    assert tabla["region"] == ("region", tabla["titulo"])
    assert _texto(ayuda.componentes(arbol["inicio-presupuesto-contenido"], "P")[-2]) == (
        CITA_ESTATAL
    )
    enlace = arbol["inicio-presupuesto-descarga"]
    assert enlace.href == "/descargas/presupuesto.csv?anio=2024&clasificacion=objeto_gasto"
    assert "Descargar (CSV)" in enlace.children


def test_grafica_por_capitulo_sin_depender_del_color(completo):
    with completo.server.test_request_context("/"):
        arbol = _inicio().layout()
    figura = arbol["inicio-presupuesto-grafica"].figure
    aprobado, devengado = figura.data
    assert (aprobado.name, devengado.name) == ("Aprobado", "Devengado")
    # Montos en pesos (el mayor es menor que un millón): eje «Pesos».
    assert list(aprobado.x) == [600.0, 400.0] and list(devengado.x) == [450.0, 550.0]
    assert (aprobado.marker.pattern.shape, devengado.marker.pattern.shape) == ("", "/")
    assert figura.layout.xaxis.title.text == "Pesos"
    assert [a.text for a in figura.layout.annotations] == [
        "Servicios personales",
        "Materiales y suministros",
    ]
    assert [c[1] for c in devengado.customdata] == ["$450", "$550"]
    contenedor = [
        n
        for n in ayuda.componentes(arbol["inicio-presupuesto-contenido"], "Div")
        if n["props"].get("role") == "img"
    ]
    assert [n["props"]["aria-label"] for n in contenedor] == [
        "Barras horizontales de cada capítulo en 2024: aprobado (barra lisa) y devengado "
        "(barra rayada). Los montos exactos están en la tabla."
    ]


@pytest.mark.parametrize("pedido", ["abc", "1999", "2024.5"])
def test_ejercicio_que_no_hay_vuelve_al_de_omision_y_lo_dice(completo, pedido):
    with completo.server.test_request_context("/"):
        arbol = _inicio().layout(ejercicio=pedido)
    assert arbol["inicio-ejercicio"].value == 2024
    texto = _texto(arbol["inicio-presupuesto-contenido"])
    assert texto.startswith(f"No hay presupuesto del ejercicio «{pedido}»; se muestra el de 2024.")
    assert FRASE_2024 in texto


def test_ejercicio_de_la_url_y_anio_solo_aprobado(completo):
    with completo.server.test_request_context("/"):
        arbol = _inicio().layout(ejercicio="2025")
    assert arbol["inicio-ejercicio"].value == 2025
    assert "No hay presupuesto del ejercicio" not in _texto(arbol)
    assert _texto(arbol["inicio-presupuesto-aprobado"]) == "$700"
    assert _texto(arbol["inicio-presupuesto-ejercido"]) == "sin dato"
    assert _texto(arbol["inicio-presupuesto-frase"]) == (
        "Para 2025 el gobierno del estado tiene aprobados $700. El capítulo con más "
        "presupuesto es «Servicios personales», con el 100.0 % del total aprobado."
    )
    assert _texto(arbol["inicio-presupuesto-aviso-aprobado"]) == (
        "Presupuesto aprobado: aún no hay ejercicio publicado. Los montos son lo que se "
        "planeó gastar, no lo gastado."
    )
    tabla = _tabla(arbol, "inicio-presupuesto-tabla")
    assert tabla["encabezado"] == [["Capítulo", "Aprobado", "Parte del total aprobado"]]
    assert tabla["cuerpo"] == [["Servicios personales", "$700", "100.0 %"]]
    assert tabla["pie"] == [["Total", "$700", "100.0 %"]]
    assert [t.name for t in arbol["inicio-presupuesto-grafica"].figure.data] == ["Aprobado"]


def test_sin_total_publicado_suma_los_capitulos_y_lo_dice(completo):
    with completo.server.test_request_context("/"):
        arbol = _inicio().layout(ejercicio="2023")
    tabla = _tabla(arbol, "inicio-presupuesto-tabla")
    assert tabla["cuerpo"] == [
        ["Servicios personales", "$300", "$150", "50.0 %", "100.0 %"],
        ["Servicios generales", "$100", "sin dato", "sin dato", "sin dato"],
    ]
    assert tabla["pie"] == [["Total (suma de los capítulos)", "$400", "$150", "37.5 %", "100.0 %"]]
    texto = _texto(arbol["inicio-presupuesto-contenido"])
    assert "No se publicó el total: es la suma de los capítulos." in texto
    assert "Fecha de corte: 30 de septiembre de 2023." in texto


def test_cambiar_de_ejercicio_rehace_solo_el_presupuesto(completo):
    pagina = _inicio()
    with completo.server.test_request_context("/"):
        version = pagina.layout()["inicio-version"].data
        contenido = pagina.actualizar_presupuesto(2022, version)
        assert _texto(contenido) == _texto(
            pagina.layout(ejercicio="2022")["inicio-presupuesto-contenido"]
        )
        # Un valor que no hay (no debería llegar del selector) vuelve al de omisión sin aviso.
        omision = _texto(pagina.actualizar_presupuesto("abc", version))
    texto = _texto(contenido)
    assert (
        "En 2022 el gobierno del estado aprobó $100 y ejerció $80: el 80.0 % de lo aprobado."
        in texto
    )
    assert _tabla(contenido, "inicio-presupuesto-tabla")["encabezado"][0][2:] == [
        "Ejercido",
        "Ejercido / aprobado",
        "Parte del total ejercido",
    ]
    assert omision.startswith("Aprobado $1,000")
    assert "No hay presupuesto del ejercicio" not in omision


def test_portada_sin_presupuesto_lo_dice_en_una_linea(sin_presupuesto):
    with sin_presupuesto.server.test_request_context("/"):
        arbol = _inicio().layout(ejercicio="2024")
    seccion = [
        n
        for n in ayuda.componentes(arbol, "Section")
        if n["props"].get("aria-labelledby") == "inicio-titulo-presupuesto"
    ]
    assert _texto(seccion) == (
        "Presupuesto del estado No hay datos del presupuesto total del gobierno del estado por "
        "capítulo (su Cuenta Pública) en esta versión. El presupuesto del programa de uniformes "
        "y útiles es otro dato y se mide aparte, en la eficacia presupuestal."
    )
    ids = {n["props"].get("id") for n in ayuda.componentes(arbol)}
    assert "inicio-ejercicio" not in ids and "inicio-mapa" in ids


def test_portada_solo_con_presupuesto_no_rompe(solo_presupuesto):
    """Sin ciclos escolares no hay mapa ni cifras del programa, pero sí el presupuesto."""
    with solo_presupuesto.server.test_request_context("/"):
        arbol = _inicio().layout(indicador="cobertura", anio="2024")
    ids = {n["props"].get("id") for n in ayuda.componentes(arbol)}
    assert {"inicio-mapa", "inicio-anio"}.isdisjoint(ids)
    assert {"inicio-buscar", "inicio-ejercicio", "inicio-version"} <= ids
    assert _texto(arbol["inicio-presupuesto-frase"]) == FRASE_2024
    assert _texto(arbol["inicio-sin-ciclos"]).startswith("Todavía no hay indicadores")
    # El buscador sigue llevando al perfil (el mapa y el ciclo son entradas opcionales).
    assert _inicio().destino("inicio-buscar", MUNICIPIO, None, None) == (
        f"/municipio?municipio={MUNICIPIO}"
    )


def test_los_filtros_de_la_url_incluyen_el_ejercicio_y_son_opcionales(completo):
    entradas = completo.callback_map["inicio-parametros-url.id"]["inputs"]
    assert [(e["id"], e.get("allow_optional", False)) for e in entradas] == [
        ("inicio-parametros-url", False),
        ("inicio-indicador", True),
        ("inicio-anio", True),
        ("inicio-ejercicio", True),
        ("inicio-entidad", True),  # solo existe en el modo nacional
    ]
    # El buscador funciona sin selector de ciclo; el mapa tiene su propio callback.
    navegar = completo.callback_map["inicio-navegar.href"]
    assert [(e["id"], e.get("allow_optional", False)) for e in navegar["inputs"]] == [
        ("inicio-buscar", False)
    ]
    assert [e.get("allow_optional", False) for e in navegar["state"]] == [True]
    entradas = completo.callback_map["municipio-parametros-url.id"]["inputs"]
    assert [e["id"] for e in entradas][-1] == "municipio-ejercicio"


# --- perfil del municipio -----------------------------------------------------------------------


def test_perfil_con_presupuesto_municipal(completo):
    with completo.server.test_request_context("/municipio"):
        arbol = _municipio().layout(municipio=MUNICIPIO)
    assert arbol["municipio-ejercicio"].value == 2024
    assert [o["value"] for o in arbol["municipio-ejercicio"].options] == [2024]
    assert _texto(arbol["municipio-capitulos-frase"]) == (
        "En 2024 el municipio aprobó $50 y devengó $25: el 50.0 % de lo aprobado. El capítulo "
        "con más gasto fue «Servicios personales», con el 100.0 % del total devengado."
    )
    tabla = _tabla(arbol, "municipio-capitulos-tabla")
    assert tabla["titulo"] == "Presupuesto del municipio por capítulo del gasto, 2024"
    # 25 / 50 = 50 %; el único capítulo es el 100 % del total devengado (25 / 25).
    assert tabla["cuerpo"] == [["Servicios personales", "$50", "$25", "50.0 %", "100.0 %"]]
    assert tabla["pie"] == [["Total", "$50", "$25", "50.0 %", "100.0 %"]]
    texto = _texto(arbol["municipio-capitulos-contenido"])
    assert "a partir de la Cuenta Pública municipal; licencia ODbL 1.0" in texto
    assert arbol["municipio-capitulos-descarga"].href == (
        f"/descargas/presupuesto.csv?anio=2024&municipio={MUNICIPIO}&clasificacion=objeto_gasto"
    )
    # El perfil del programa sigue ahí (el presupuesto municipal va aparte).
    assert "municipio-perfil" in {n["props"].get("id") for n in ayuda.componentes(arbol)}


def test_perfil_con_ejercicio_que_no_hay_y_callback(completo):
    pagina = _municipio()
    with completo.server.test_request_context("/municipio"):
        arbol = pagina.layout(municipio=MUNICIPIO, ejercicio="2019")
        contenido = pagina.cambiar_ejercicio(2024, MUNICIPIO)
    assert _texto(arbol["municipio-capitulos-contenido"]).startswith(
        "No hay presupuesto del ejercicio «2019»; se muestra el de 2024."
    )
    assert _texto(contenido) == _texto(arbol["municipio-capitulos-contenido"]).removeprefix(
        "No hay presupuesto del ejercicio «2019»; se muestra el de 2024. "
    )


@pytest.mark.parametrize("app", ["completo", "solo_presupuesto"])
def test_perfil_sin_presupuesto_municipal_una_linea(request, app):
    aplicacion = request.getfixturevalue(app)
    with aplicacion.server.test_request_context("/municipio"):
        arbol = _municipio().layout(municipio="20003", ejercicio="2024")
    assert _texto(ayuda.por_id(arbol, "municipio-capitulos-contenido")) == (
        "Sin presupuesto municipal publicado: no se ha cargado la Cuenta Pública de este "
        "municipio por capítulo del gasto."
    )
    assert "municipio-ejercicio" not in {n["props"].get("id") for n in ayuda.componentes(arbol)}


def test_perfil_solo_con_presupuesto_municipal(solo_presupuesto):
    """Sin ciclos escolares: el perfil corto también muestra el presupuesto del municipio."""
    with solo_presupuesto.server.test_request_context("/municipio"):
        arbol = _municipio().layout(municipio=MUNICIPIO)
    ids = {n["props"].get("id") for n in ayuda.componentes(arbol)}
    assert "municipio-anio" not in ids
    assert {"municipio-ejercicio", "municipio-clave", "municipio-parametros-url"} <= ids
    assert _tabla(arbol, "municipio-capitulos-tabla")["pie"] == [
        ["Total", "$50", "$25", "50.0 %", "100.0 %"]
    ]


# --- piezas -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("maximo", "esperado"),
    [
        (62_160_541_798.0, (1e9, "Miles de millones de pesos")),
        (-2_000_000_000.0, (1e9, "Miles de millones de pesos")),
        (650_000_000.0, (1e6, "Millones de pesos")),
        (999_999.0, (1, "Pesos")),
        (float("nan"), (1, "Pesos")),
    ],
)
def test_unidad_del_eje(maximo, esperado):
    assert figuras_presupuesto.unidad_grafica(maximo) == esperado


#: Un capítulo con nombre largo (dos líneas en la gráfica) y otro sin devengado.
FILAS_LARGAS = [
    (2024, None, "objeto_gasto", "COG04", "capitulo",
     "Transferencias, Asignaciones, Subsidios y Otras Ayudas", 3_000_000_000, 2_500_000_000,
     None, "2024-12-31", "ojos_al_gasto"),
    (2024, None, "objeto_gasto", "COG09", "capitulo", "Deuda Pública", 500_000_000, None, None,
     "2024-12-31", "ojos_al_gasto"),
]  # fmt: skip


def test_nombres_largos_en_dos_lineas_y_montos_en_la_unidad_del_eje():
    from capas.presupuesto import presupuesto_por_capitulo

    lineas = lineas_presupuesto(FILAS_LARGAS)
    figura = figuras_presupuesto.grafica_capitulos(presupuesto_por_capitulo(lineas, 2024))
    # Renglones: nombre (2 líneas) 0-1, barras 2-3; nombre 4, barras 5-6.
    assert [a.text for a in figura.layout.annotations] == [
        "Transferencias, Asignaciones,<br>Subsidios y Otras Ayudas",
        "Deuda Pública",
    ]
    assert [a.y for a in figura.layout.annotations] == [0.5, 4]
    assert [list(t.y) for t in figura.data] == [[2, 5], [3, 6]]
    assert [list(t.x) for t in figura.data] == [[3.0, 0.5], [2.5, None]]
    assert figura.layout.xaxis.title.text == "Miles de millones de pesos"
    assert list(figura.layout.yaxis.range) == [6.5, -0.6]
