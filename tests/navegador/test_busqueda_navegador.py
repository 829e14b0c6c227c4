"""Búsqueda sin acentos en Chromium: desplegables (Dash 4) y tablas (AG Grid).

La gente escribe en el teléfono sin acentos: "santa lucia" debe ofrecer «Santa Lucía del
Camino», "jicara" a los contratistas «Jícara» y "juchitan" en el buscador de una tabla debe
dejar las filas de Juchitán. Lo esperado se calcula en Python con
:func:`capas.busqueda.coincide` sobre los mismos datos de ejemplo.
"""

from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.by import By

import capas
from capas.busqueda import clave_busqueda, coincide
from tablero.figuras import obras as figuras_obras
from tests.navegador.test_shell import ESCRITORIO, TELEFONO, _ancho

pytestmark = [
    pytest.mark.navegador,
    pytest.mark.filterwarnings("ignore:HTTPResponse.getheader:DeprecationWarning"),
]

ESPERA = 30
JUCHITAN = "Heroica Ciudad de Juchitán de Zaragoza"


@pytest.fixture(scope="module")
def datos(raiz_ejemplo):
    return capas.abrir(raiz_ejemplo)


def _esperar(condicion, mensaje: str, espera: float = ESPERA):
    limite = time.monotonic() + espera
    while time.monotonic() < limite:
        resultado = condicion()
        if resultado:
            return resultado
        time.sleep(0.2)
    raise AssertionError(mensaje)


def _abrir(duo, ruta: str, selector: str, ancho: int = ESCRITORIO) -> None:
    _ancho(duo, ancho)
    duo.wait_for_page(url=duo.server_url.rstrip("/") + ruta)
    duo.wait_for_element(selector, timeout=ESPERA)


def _errores(duo) -> list[dict]:
    return [entrada for entrada in duo.get_logs() if entrada["level"] == "SEVERE"]


def _buscar_en_lista(duo, id_lista: str, texto: str) -> list[str]:
    """Abre el ``dcc.Dropdown``, escribe ``texto`` en su buscador y devuelve lo que ofrece."""
    lista = duo.find_element(f"#{id_lista}")
    duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", lista)
    lista.click()
    buscador = _esperar(
        lambda: next(
            (
                e
                for e in duo.driver.find_elements(By.CSS_SELECTOR, "input.dash-dropdown-search")
                if e.is_displayed()
            ),
            None,
        ),
        f"{id_lista}: no se abrió el buscador de la lista",
    )
    buscador.send_keys(texto)
    _esperar(
        lambda: buscador.get_attribute("value") == texto, f"{id_lista}: no se escribió {texto!r}"
    )

    def ofrecidas():
        textos = [
            o.text.strip()
            for o in duo.driver.find_elements(
                By.CSS_SELECTOR, ".dash-dropdown-content .dash-options-list-option"
            )
            if o.is_displayed()
        ]
        return textos or None

    # la lista se filtra en el navegador: se espera a que se estabilice
    anterior = _esperar(ofrecidas, f"{id_lista}: {texto!r} no ofreció nada")
    time.sleep(0.5)
    actual = ofrecidas()
    return actual if actual == anterior else _esperar(ofrecidas, "lista inestable")


def _cerrar_lista(duo) -> None:
    duo.driver.switch_to.active_element.send_keys("\ue00c")  # ESC


def _filas_mostradas(duo, id_tabla: str) -> list[dict]:
    """Las filas que la tabla (por bloques) ya recibió del servidor."""
    return duo.driver.execute_script(
        """
        const api = dash_ag_grid.getApi(arguments[0]);
        const filas = [];
        api.forEachNode((n) => { if (n.data) filas.push(n.data); });
        return filas;
        """,
        id_tabla,
    )


def _total(duo, id_tabla: str) -> int:
    """Filas de la vista según la tabla (el ``rowCount`` que manda el servidor)."""
    return duo.driver.execute_script(
        "return dash_ag_grid.getApi(arguments[0]).getDisplayedRowCount()", id_tabla
    )


def _escribir_busqueda(duo, id_busqueda: str, texto: str) -> None:
    campo = duo.find_element(f"#{id_busqueda}")
    duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", campo)
    campo.clear()
    campo.send_keys(texto)


# --- desplegables ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ruta", "id_lista", "selector"),
    [
        ("/", "inicio-buscar", "#inicio-buscar"),
        ("/municipio", "municipio-buscar", "#municipio-buscar"),
        ("/obras", "obras-municipio", ".tabla-datos .ag-row"),
        ("/escuelas", "escuelas-municipio", ".tabla-datos .ag-row"),
    ],
)
def test_lista_de_municipios_encuentra_sin_acentos(tablero, datos, ruta, id_lista, selector):
    _abrir(tablero, ruta, selector)
    ofrecidas = _buscar_en_lista(tablero, id_lista, "santa lucia")
    esperadas = sorted(n for n in datos.nombres_municipios.values() if coincide("santa lucia", n))
    assert "Santa Lucía del Camino" in esperadas
    assert sorted(ofrecidas) == esperadas
    _cerrar_lista(tablero)
    assert _errores(tablero) == []


def test_lista_de_municipios_con_mayusculas_y_espacios_de_mas(tablero, datos):
    _abrir(tablero, "/", "#inicio-buscar")
    ofrecidas = _buscar_en_lista(tablero, "inicio-buscar", "OAXACA   de juarez")
    assert ofrecidas == ["Oaxaca de Juárez"]
    _cerrar_lista(tablero)


def test_lista_de_contratistas_encuentra_jicara(tablero, datos):
    _abrir(tablero, "/obras", ".tabla-datos .ag-row")
    ofrecidas = _buscar_en_lista(tablero, "obras-contratista", "jicara")
    contratistas = capas.tabla_obras(datos)["contratista"].dropna().unique()
    esperadas = sorted(c for c in contratistas if coincide("jicara", c))
    assert esperadas and all("Jícara" in c for c in esperadas)
    assert sorted(ofrecidas) == esperadas
    _cerrar_lista(tablero)
    assert _errores(tablero) == []


# --- tablas ---------------------------------------------------------------------------------


@pytest.mark.parametrize("texto", ["juchitan", "JUCHITÁN", "  juchi   zaragoza "])
def test_buscador_de_la_tabla_de_obras_encuentra_juchitan(tablero, datos, texto):
    """La tabla va por bloques: busca el servidor (capas.paginado) en todas las columnas."""
    _abrir(tablero, "/obras", ".tabla-datos .ag-row")
    filas = figuras_obras.filas(capas.tabla_obras(datos))
    campos = [c["field"] for c in figuras_obras.COLUMNAS]
    esperadas = sorted(
        f["folio"] for f in filas if any(coincide(texto, f.get(c)) for c in campos if c)
    )
    assert esperadas, "el conjunto de ejemplo tiene obras en Juchitán"
    assert all(f["municipio"] == JUCHITAN for f in filas if f["folio"] in esperadas)
    _escribir_busqueda(tablero, "obras-buscar", texto)
    _esperar(
        lambda: sorted(f["folio"] for f in _filas_mostradas(tablero, "obras-tabla")) == esperadas,
        f"la tabla no quedó con las obras de Juchitán al buscar {texto!r}",
    )
    assert _errores(tablero) == []


@pytest.mark.parametrize("ancho", [ESCRITORIO, TELEFONO])
def test_buscador_de_escuelas_sin_acentos(tablero, datos, ancho):
    """En el teléfono la columna del municipio se oculta, pero se sigue buscando en ella."""
    _abrir(tablero, "/escuelas", ".tabla-datos .ag-row", ancho)
    oculta = ancho == TELEFONO
    _esperar(
        lambda: (
            tablero.driver.execute_script(
                "return !dash_ag_grid.getApi('escuelas-tabla').getColumn('municipio').isVisible()"
            )
            is oculta
        ),
        f"a {ancho} px la columna del municipio debía estar {'oculta' if oculta else 'visible'}",
    )
    anio = datos.anios_escolares[-1]
    esperadas = int((capas.tabla_escuelas(datos, anio=anio)["municipio"] == JUCHITAN).sum())
    assert 0 < esperadas <= 100, "caben en el primer bloque"
    _escribir_busqueda(tablero, "escuelas-buscar", "juchitan de zaragoza")
    _esperar(
        lambda: (
            _total(tablero, "escuelas-tabla") == esperadas
            and len(_filas_mostradas(tablero, "escuelas-tabla")) == esperadas
        ),
        f"a {ancho} px la tabla de escuelas no quedó con las de Juchitán",
    )
    assert {f["municipio"] for f in _filas_mostradas(tablero, "escuelas-tabla")} == {JUCHITAN}


def test_la_clave_del_navegador_es_la_de_python(tablero):
    """``sigueClaveBusqueda`` (tablas.js) da lo mismo que :func:`clave_busqueda`."""
    _abrir(tablero, "/obras", ".tabla-datos .ag-row")
    muestras = [
        "Santa Lucía  del Camino",
        "JUCHITÁN",
        "PEÑA Alta",
        "Güelatao\tde  Juárez ",
        "Juchita\u0301n",
        "Constructora JÍCARA S.A. de C.V.",
        "",
    ]
    claves = tablero.driver.execute_script(
        "return arguments[0].map((t) => window.dashAgGridFunctions.sigueClaveBusqueda(t))",
        muestras,
    )
    assert claves == [clave_busqueda(t) for t in muestras]
