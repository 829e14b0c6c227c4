"""Página de un contratista y ranking de /obras en Chromium con los datos de ejemplo.

La página de un contratista lista sus obras, es accesible (axe-core sin violaciones a 1280 y
375 px), cabe en el teléfono, y el folio de una obra abre su ficha en ``/obras``. Desde el
ranking de ``/obras`` el nombre de un contratista abre su página.
"""

from __future__ import annotations

import time

import pytest
from selenium.common.exceptions import StaleElementReferenceException

import capas
from tablero.figuras.contratista import enlace_contratista
from tests.navegador.test_escuelas_obras_estacionamientos import (
    _cabe_en_el_telefono,
    _errores,
    _esperar,
)
from tests.navegador.test_shell import ESCRITORIO, TELEFONO, _ancho, _axe, _captura

pytestmark = [
    pytest.mark.navegador,
    pytest.mark.filterwarnings("ignore:HTTPResponse.getheader:DeprecationWarning"),
]


@pytest.fixture(scope="module")
def obras(raiz_ejemplo):
    return capas.tabla_obras(capas.abrir(raiz_ejemplo))


@pytest.fixture(scope="module")
def nombre(obras):
    """El contratista con más obras (lleva acentos y puntos)."""
    return obras["contratista"].value_counts().index[0]


def _abrir_contratista(duo, nombre: str, ancho: int = ESCRITORIO) -> None:
    _ancho(duo, ancho)
    duo.wait_for_page(url=duo.server_url.rstrip("/") + enlace_contratista(nombre))
    duo.wait_for_text_to_equal("h1", nombre)
    duo.wait_for_element("#contratista-obras .ag-row", timeout=20)


def test_pagina_del_contratista_accesible_y_en_el_telefono(tablero, obras, nombre):
    for ancho in (ESCRITORIO, TELEFONO):
        _abrir_contratista(tablero, nombre, ancho)
        violaciones, informe = _axe(tablero)
        assert violaciones == [], f"axe-core a {ancho} px:\n{informe}"
        _captura(tablero, "contratista-ejemplo", ancho)
    _cabe_en_el_telefono(tablero)
    total = tablero.driver.execute_script(
        "return dash_ag_grid.getApi('contratista-obras').getDisplayedRowCount()"
    )
    assert total == (obras["contratista"] == nombre).sum()
    assert _errores(tablero) == []


def test_el_folio_de_una_obra_abre_su_ficha_en_obras(tablero, obras, nombre):
    _abrir_contratista(tablero, nombre)
    enlace = tablero.find_element(
        "#contratista-obras .ag-center-cols-container .ag-row[row-index='0'] [col-id='folio'] a"
    )
    folio = enlace.text
    assert folio in set(obras.loc[obras["contratista"] == nombre, "folio"])
    tablero.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", enlace)
    enlace.click()
    _esperar(lambda: "/obras?folio=" in tablero.driver.current_url, "no se abrió /obras")
    tablero.wait_for_contains_text("#obras-detalle h2", f"Obra {folio}", timeout=20)
    assert _errores(tablero) == []


def _primera_fila(duo, id_tabla: str, columna: str):
    """El enlace de la primera fila visible (la cuadrícula puede volver a dibujarse)."""
    return duo.find_element(
        f"#{id_tabla} .ag-center-cols-container .ag-row[row-index='0'] [col-id='{columna}'] a"
    )


def _clic(duo, buscar) -> str:
    """Clic en el elemento que da ``buscar()``; reintenta si la cuadrícula lo redibujó."""
    for _ in range(20):
        try:
            elemento = buscar()
            texto = elemento.text
            duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", elemento)
            elemento.click()
            return texto
        except StaleElementReferenceException:
            time.sleep(0.25)
    raise AssertionError("el elemento cambió 20 veces seguidas")


def test_el_ranking_de_obras_abre_la_pagina_del_contratista(tablero, obras):
    _ancho(tablero, ESCRITORIO)
    tablero.wait_for_page(url=tablero.server_url.rstrip("/") + "/obras?agrupar=entidad")
    tablero.wait_for_element("#obras-contratistas .ag-row", timeout=20)
    montos = obras.groupby("contratista")["monto_aprobado"].sum()
    primero = montos.idxmax()
    # las filas vienen por bloques del servidor: la primera y la última ya cargadas
    orden = """
        const api = dash_ag_grid.getApi('obras-contratistas');
        const n = api.getDisplayedRowCount();
        const primera = api.getDisplayedRowAtIndex(0), ultima = api.getDisplayedRowAtIndex(n - 1);
        if (!primera || !primera.data || !ultima || !ultima.data) { return null; }
        return [primera.data.sin_dato, ultima.data.sin_dato, primera.data.monto];
    """

    def extremos(sin_dato: list, monto: float) -> bool:
        valor = tablero.driver.execute_script(orden)
        return valor is not None and valor[:2] == sin_dato and valor[2] == pytest.approx(monto)

    _esperar(lambda: extremos([False, True], montos.max()), "«sin dato» no quedó al final")
    # ordenar (en el servidor) por monto de menor a mayor no sube «sin dato» entre las empresas
    tablero.driver.execute_script(
        "dash_ag_grid.getApi('obras-contratistas').applyColumnState("
        "{state: [{colId: 'monto', sort: 'asc'}], defaultState: {sort: null}})"
    )
    _esperar(lambda: extremos([False, True], montos.min()), "el orden del servidor no llegó")
    tablero.driver.execute_script(
        "dash_ag_grid.getApi('obras-contratistas').applyColumnState("
        "{state: [{colId: 'monto', sort: 'desc'}], defaultState: {sort: null}})"
    )
    _esperar(lambda: extremos([False, True], montos.max()), "el orden del servidor no llegó")
    texto = _clic(tablero, lambda: _primera_fila(tablero, "obras-contratistas", "contratista"))
    assert texto == primero
    tablero.wait_for_text_to_equal("h1", primero, timeout=20)
    assert _errores(tablero) == []
