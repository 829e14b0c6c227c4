"""Búsqueda sin acentos, mayúsculas ni espacios de más: la clave, los desplegables y las tablas.

Lo que hace el navegador con estas claves (Dash 4 y AG Grid) se prueba en
``tests/navegador/test_busqueda_navegador.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from capas.busqueda import clave_busqueda, coincide
from tablero import tablas
from tablero.app import crear_app
from tablero.componentes import opcion, opciones_municipios
from tablero.figuras import obras as figuras_obras

try:
    from tests import ayuda_paginas as ayuda
except ImportError:  # pytest sin la raíz del proyecto en sys.path
    import ayuda_paginas as ayuda

ASSETS = Path(__file__).resolve().parents[1] / "tablero" / "assets"


# --- la clave -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("texto", "clave"),
    [
        ("Santa Lucía  del Camino", "santa lucia del camino"),
        ("JUCHITÁN", "juchitan"),
        ("Heroica Ciudad de Juchitán de Zaragoza", "heroica ciudad de juchitan de zaragoza"),
        ("Oaxaca de Juárez", "oaxaca de juarez"),
        ("Constructora JÍCARA S.A. de C.V.", "constructora jicara s.a. de c.v."),
        ("Peña Alta", "pena alta"),
        ("PEÑA", "pena"),
        ("San Andrés Huaxpaltepec", "san andres huaxpaltepec"),
        ("Güelatao", "guelatao"),
        ("  oaxaca\tde\n juárez  ", "oaxaca de juarez"),
        # ya descompuesto (NFD): la marca suelta también se quita
        ("Juchita\u0301n", "juchitan"),
        ("", ""),
        ("   ", ""),
        (None, ""),
        (20067, "20067"),
    ],
)
def test_clave_busqueda(texto, clave):
    assert clave_busqueda(texto) == clave


@pytest.mark.parametrize(
    ("consulta", "texto", "esperado"),
    [
        ("santa lucia", "Santa Lucía del Camino", True),
        ("SANTA   LUCÍA", "Santa Lucía del Camino", True),
        ("juchitan", "Heroica Ciudad de Juchitán de Zaragoza", True),
        ("juchi zara", "Heroica Ciudad de Juchitán de Zaragoza", True),  # partes de palabras
        ("zaragoza juchitan", "Heroica Ciudad de Juchitán de Zaragoza", True),  # sin orden
        ("jicara", "Construcciones Jícara S.A. de C.V.", True),
        ("pena", "Grupo Constructor Peña Alta", True),
        ("juchitan", "Santa Lucía del Camino", False),
        ("santa juarez", "Santa Lucía del Camino", False),  # cada palabra debe estar
        ("", "Santa Lucía del Camino", True),
    ],
)
def test_coincide(consulta, texto, esperado):
    assert coincide(consulta, texto) is esperado


# --- opciones de los desplegables ------------------------------------------------------------


def test_opcion_lleva_la_clave_de_la_etiqueta():
    assert opcion("Santa Lucía del Camino", "20390") == {
        "label": "Santa Lucía del Camino",
        "value": "20390",
        "search": "santa lucia del camino",
    }
    assert opcion("Sí", 1, disabled=True) == {
        "label": "Sí",
        "value": 1,
        "search": "si",
        "disabled": True,
    }


def test_opciones_municipios_con_homonimos_y_orden_sin_acentos():
    nombres = {
        "20390": "Santa Lucía del Camino",
        "20043": "Heroica Ciudad de Juchitán de Zaragoza",
        "20001": "Ánimas Trujano",
        "20501": "San Juan",
        "20502": "San Juan",
    }
    assert opciones_municipios(nombres) == [
        {"label": "Ánimas Trujano", "value": "20001", "search": "animas trujano"},
        {
            "label": "Heroica Ciudad de Juchitán de Zaragoza",
            "value": "20043",
            "search": "heroica ciudad de juchitan de zaragoza",
        },
        {"label": "San Juan (20501)", "value": "20501", "search": "san juan (20501)"},
        {"label": "San Juan (20502)", "value": "20502", "search": "san juan (20502)"},
        {"label": "Santa Lucía del Camino", "value": "20390", "search": "santa lucia del camino"},
    ]


def test_opciones_de_contratistas_y_estatus():
    assert figuras_obras.opciones_texto(["Construcciones JÍCARA S.A. de C.V.", "Terminada"]) == [
        {
            "label": "Construcciones JÍCARA S.A. de C.V.",
            "value": "Construcciones JÍCARA S.A. de C.V.",
            "search": "construcciones jicara s.a. de c.v.",
        },
        {"label": "Terminada", "value": "Terminada", "search": "terminada"},
    ]
    # con formato: la clave es la del texto que se ve
    assert figuras_obras.opciones_texto(["FEDERAL"], figuras_obras.nivel_gobierno) == [
        {"label": "Federal", "value": "FEDERAL", "search": "federal"}
    ]


# --- en las páginas --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def app(raiz_ejemplo):
    return crear_app(raiz_ejemplo)


def _layout(app, ruta: str, **parametros):
    with app.server.test_request_context(ruta):
        return ayuda.modulo(ruta).layout(**parametros)


#: Páginas con desplegables que se pueden buscar escribiendo.
PAGINAS = ["/", "/municipio", "/obras", "/escuelas"]


@pytest.mark.parametrize("ruta", PAGINAS)
def test_todo_desplegable_buscable_lleva_su_clave(app, ruta):
    buscables = [
        nodo
        for nodo in ayuda.componentes(_layout(app, ruta), "Dropdown")
        if nodo["props"].get("searchable", True) is not False
    ]
    assert buscables, f"{ruta}: ningún desplegable para buscar"
    for nodo in buscables:
        opciones = nodo["props"]["options"]
        assert opciones, nodo["props"]["id"]
        for opcion_ in opciones:
            assert opcion_["search"] == clave_busqueda(opcion_["label"]), opcion_


def test_desplegables_de_municipio_encuentran_sin_acentos(app):
    ids = {"/": "inicio-buscar", "/municipio": None, "/obras": "obras-municipio"}
    ids["/escuelas"] = "escuelas-municipio"
    for ruta, id_lista in ids.items():
        arbol = _layout(app, ruta)
        if id_lista is None:  # el buscador del perfil: el único desplegable de municipios
            (nodo,) = [
                n
                for n in ayuda.componentes(arbol, "Dropdown")
                if len(n["props"].get("options") or []) == 570
            ]
        else:
            nodo = ayuda.por_id(arbol, id_lista)
        claves = {o["label"]: o["search"] for o in nodo["props"]["options"]}
        assert claves["Santa Lucía del Camino"] == "santa lucia del camino", ruta
        assert claves["Oaxaca de Juárez"] == "oaxaca de juarez", ruta
        assert claves["Heroica Ciudad de Juchitán de Zaragoza"] == (
            "heroica ciudad de juchitan de zaragoza"
        ), ruta


def test_contratistas_de_obras_encuentran_jicara(app):
    opciones = ayuda.por_id(_layout(app, "/obras"), "obras-contratista")["props"]["options"]
    con_jicara = sorted(o["label"] for o in opciones if "jicara" in o["search"])
    # los del conjunto de ejemplo (ver tests/navegador): ningún "jicara" sin la tilde
    assert con_jicara == sorted(o["label"] for o in opciones if "Jícara" in o["label"])
    assert len(con_jicara) >= 1


# --- tablas ---------------------------------------------------------------------------------


@pytest.mark.parametrize("ruta", ["/", "/obras", "/escuelas", "/estacionamientos"])
def test_toda_tabla_busca_sin_acentos(app, ruta):
    rejillas = ayuda.componentes(_layout(app, ruta), "AgGrid")
    assert rejillas, ruta
    for rejilla in rejillas:
        props = rejilla["props"]
        opciones = props["dashGridOptions"]
        if props.get("rowModelType") == "infinite":
            # tabla por bloques: busca el servidor con las mismas claves (capas.paginado,
            # probado en tests/test_paginado.py); la cuadrícula no filtra nada
            assert "quickFilterMatcher" not in opciones and "quickFilterText" not in opciones
            continue
        assert opciones["quickFilterParser"] == {"function": "siguePalabrasBusqueda(params)"}
        assert opciones["quickFilterMatcher"] == {"function": "sigueCoincideBusqueda"}
        assert opciones["cacheQuickFilter"] is True
        assert opciones["includeHiddenColumnsInQuickFilter"] is True
        assert props["defaultColDef"]["filterParams"] == {
            "textFormatter": {"function": "sigueClaveBusqueda"}
        }


def test_las_funciones_de_busqueda_estan_en_un_asset_con_nombre():
    """dash-ag-grid resuelve ``{"function": ...}`` con estas funciones, sin ``eval`` (CSP)."""
    codigo = (ASSETS / "tablas.js").read_text(encoding="utf-8")
    for nombre in ("sigueClaveBusqueda", "siguePalabrasBusqueda", "sigueCoincideBusqueda"):
        assert f"window.dashAgGridFunctions.{nombre} =" in codigo
    assert "eval(" not in codigo and "new Function" not in codigo
    assert tablas.OPCIONES_BUSQUEDA["quickFilterMatcher"] == {"function": "sigueCoincideBusqueda"}


def test_los_textos_largos_no_llenan_la_cache_de_claves():
    """Lo que alguien escribe puede pesar casi 1 MB: se busca igual, pero no se guarda."""
    from capas import busqueda

    largo = "Santa Lucía " * 100_000
    antes = busqueda._clave.cache_info().currsize
    assert busqueda.clave_busqueda(largo) == " ".join(["santa lucia"] * 100_000)
    assert busqueda._clave.cache_info().currsize == antes
    corto = "Heroica Ciudad de Juchitán de Zaragoza (prueba de caché)"
    assert (
        busqueda.clave_busqueda(corto) == "heroica ciudad de juchitan de zaragoza (prueba de cache)"
    )
    assert busqueda._clave.cache_info().currsize == antes + 1
