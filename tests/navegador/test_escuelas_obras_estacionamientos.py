"""Escuelas, obras y estacionamientos en Chromium con los datos de ejemplo.

Un solo servidor para el módulo. En cada página: sin errores en la consola, axe-core sin
violaciones a 1280 y 375 px, nada fuera de la pantalla del teléfono, y un filtro que cambia la
URL (la vista se puede compartir) y las filas de la tabla. Capturas en ``capturas/``
(``<pagina>-ejemplo-<ancho>.png``) para mirarlas.
"""

from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.keys import Keys

import capas
from tests.navegador.test_shell import ESCRITORIO, TELEFONO, _ancho, _axe, _captura

pytestmark = [
    pytest.mark.navegador,
    pytest.mark.filterwarnings("ignore:HTTPResponse.getheader:DeprecationWarning"),
]

PAGINAS = {
    "/escuelas": ("Escuelas: uniformes y útiles escolares", "escuelas"),
    "/obras": ("Obra pública", "obras"),
    "/estacionamientos": ("Estacionamientos para personas con discapacidad", "estacionamientos"),
}


@pytest.fixture(scope="module")
def datos(raiz_ejemplo):
    return capas.abrir(raiz_ejemplo)


def _abrir(duo, ruta: str, ancho: int = ESCRITORIO) -> None:
    """Abre ``ruta`` y espera el encabezado, el mapa dibujado (WebGL) y la tabla."""
    _ancho(duo, ancho)
    duo.wait_for_page(url=duo.server_url.rstrip("/") + ruta)
    duo.wait_for_text_to_equal("h1", PAGINAS[ruta.split("?")[0]][0])
    duo.wait_for_element(".figura-mapa canvas.maplibregl-canvas", timeout=20)
    duo.wait_for_element(".tabla-datos .ag-row", timeout=20)


def _errores(duo) -> list[dict]:
    """Errores de la consola (los avisos WARNING de WebGL por software no cuentan)."""
    return [entrada for entrada in duo.get_logs() if entrada["level"] == "SEVERE"]


def _filas_visibles(duo, id_tabla: str) -> int:
    return duo.driver.execute_script(
        "return dash_ag_grid.getApi(arguments[0]).getDisplayedRowCount()", id_tabla
    )


def _esperar(condicion, mensaje: str, espera: float = 15) -> None:
    limite = time.monotonic() + espera
    while time.monotonic() < limite:
        if condicion():
            return
        time.sleep(0.2)
    raise AssertionError(mensaje)


def _fuera_de_pantalla(duo) -> dict:
    """Lo que se sale de una pantalla de 375 px (mismo criterio que test_shell)."""
    return duo.driver.execute_script(
        """
        const fuera = [...document.querySelectorAll('#react-entry-point *')]
            .filter((e) => e.getClientRects().length && e.getBoundingClientRect().right > 376)
            .map((e) => (e.closest('[id]') || {}).id + ' ' + e.tagName + '.' + e.className);
        return {ancho: document.documentElement.scrollWidth, fuera: fuera};
        """
    )


def _cabe_en_el_telefono(duo) -> None:
    """Nada se sale de la pantalla de 375 px (las tablas tardan un poco en ajustarse)."""
    limite = time.monotonic() + 5
    while True:
        medidas = _fuera_de_pantalla(duo)
        if medidas["ancho"] <= TELEFONO and medidas["fuera"] == []:
            return
        if time.monotonic() > limite:
            raise AssertionError(f"se sale de la pantalla del teléfono: {medidas}")
        time.sleep(0.25)


def _marcar(duo, id_lista: str, valor: str) -> None:
    """Marca la casilla ``valor`` de un ``dcc.Checklist`` (clic en su etiqueta)."""
    casilla = duo.find_element(f"#{id_lista} input[value='{valor}']")
    duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", casilla)
    casilla.click()


@pytest.mark.parametrize("ruta", list(PAGINAS))
def test_pagina_accesible_sin_errores_y_en_el_telefono(tablero, ruta):
    nombre = PAGINAS[ruta][1] + "-ejemplo"
    for ancho in (ESCRITORIO, TELEFONO):
        _abrir(tablero, ruta, ancho)  # se abre a cada ancho: el mapa se encuadra al abrir
        violaciones, informe = _axe(tablero)
        assert violaciones == [], f"axe-core a {ancho} px en {ruta}:\n{informe}"
        _captura(tablero, nombre, ancho)
    _cabe_en_el_telefono(tablero)
    # cada control tiene etiqueta visible; las listas desplegables entran con TAB y se nombran
    sin_nombre = tablero.driver.execute_script(
        """
        return [...document.querySelectorAll('button.dash-dropdown')].filter((b) => {
            const ids = (b.getAttribute('aria-labelledby') || '').split(' ');
            const etiqueta = document.getElementById(ids[0]);
            return !etiqueta || etiqueta.tagName !== 'LABEL' || b.tabIndex !== 0;
        }).map((b) => b.id);
        """
    )
    assert sin_nombre == []
    # un tablero de un solo estado no muestra el filtro «Entidad» (solo el modo nacional)
    entidad = tablero.driver.find_elements("css selector", f"#{PAGINAS[ruta][1]}-entidad")
    assert len(entidad) == (0 if ruta == "/estacionamientos" else 1)
    assert not any(e.is_displayed() for e in entidad)
    assert _errores(tablero) == []


def test_escuelas_filtro_en_la_url_y_en_la_tabla(tablero, datos):
    _abrir(tablero, "/escuelas")
    anio = datos.anios_escolares[-1]
    assert _filas_visibles(tablero, "escuelas-tabla") == len(capas.tabla_escuelas(datos, anio=anio))
    _marcar(tablero, "escuelas-nivel", "PRIMARIA")
    _esperar(lambda: "nivel=PRIMARIA" in tablero.driver.current_url, "la URL no cambió")
    esperado = capas.tabla_escuelas(datos, anio=anio)
    esperado = esperado[esperado["nivel"] == "PRIMARIA"]
    _esperar(
        lambda: _filas_visibles(tablero, "escuelas-tabla") == len(esperado),
        "la tabla no se filtró",
    )
    tablero.wait_for_contains_text("#escuelas-resumen", f"Se muestran {len(esperado):,} escuelas")
    # la URL compartida abre la misma vista
    tablero.driver.get(tablero.driver.current_url)
    tablero.wait_for_element(".tabla-datos .ag-row", timeout=20)
    assert _filas_visibles(tablero, "escuelas-tabla") == len(esperado)
    assert _errores(tablero) == []


def test_obras_filtro_y_ficha_de_una_obra(tablero, datos):
    _abrir(tablero, "/obras")
    _marcar(tablero, "obras-semaforo", "rojo")
    _esperar(lambda: "semaforo=rojo" in tablero.driver.current_url, "la URL no cambió")
    rojas = capas.tabla_obras(datos)
    rojas = rojas[rojas["semaforo"] == "rojo"]
    _esperar(lambda: _filas_visibles(tablero, "obras-tabla") == len(rojas), "la tabla no se filtró")
    # elegir la primera fila abre la ficha y pone el folio en la URL
    fila = tablero.find_element("#obras-tabla .ag-center-cols-container .ag-row[row-index='0']")
    folio = fila.find_element("css selector", "[col-id='folio']").text
    fila.find_element("css selector", "[col-id='folio']").click()
    tablero.wait_for_contains_text("#obras-detalle h2", f"Obra {folio}")
    _esperar(lambda: f"folio={folio}" in tablero.driver.current_url, "el folio no está en la URL")
    for alerta in capas.alertas_de_obra(datos, folio):
        tablero.wait_for_contains_text("#obras-detalle", alerta.mensaje)
    tablero.wait_for_element("#obras-detalle .js-plotly-plot")
    violaciones, informe = _axe(tablero)
    assert violaciones == [], f"axe-core con la ficha abierta:\n{informe}"
    tablero.driver.execute_script(
        "document.getElementById('obras-detalle').scrollIntoView({block: 'start'})"
    )
    _captura(tablero, "obras-ficha-ejemplo", ESCRITORIO)
    _ancho(tablero, TELEFONO)
    _cabe_en_el_telefono(tablero)
    _captura(tablero, "obras-ficha-ejemplo", TELEFONO)
    assert _errores(tablero) == []


def test_obras_por_bloques_abre_en_la_pagina_de_la_ficha_y_elige_con_el_teclado(tablero, datos):
    """La tabla de obras pide sus filas por bloques: con ``?folio=`` abre en la página de esa
    obra y la marca cuando llega su bloque; TAB entra una vez, las flechas y ENTER eligen."""
    obras = capas.tabla_obras(datos)
    assert len(obras) > 160
    folio = obras["folio"].iloc[157]  # fila 157: segundo bloque (100-199), página 16 (0, 1...)
    _abrir(tablero, f"/obras?folio={folio}")
    tablero.wait_for_contains_text("#obras-detalle h2", f"Obra {folio}")
    estado = """
        const api = dash_ag_grid.getApi('obras-tabla');
        const fila = api.getRowNode(arguments[0]);
        return [api.paginationGetCurrentPage(), api.getDisplayedRowCount(),
                Boolean(fila && fila.isSelected())];
    """
    _esperar(
        lambda: tablero.driver.execute_script(estado, folio) == [15, len(obras), True],
        "la tabla no abrió en la página de la obra elegida con su fila marcada",
    )
    # con el teclado: de la búsqueda, TAB a la tabla, FLECHA ABAJO a la primera fila de la
    # página, ENTER la elige (la ficha cambia y el folio va a la URL)
    primera = obras["folio"].iloc[150]
    tablero.find_element("#obras-buscar").click()
    activo = tablero.driver.switch_to.active_element
    activo.send_keys(Keys.TAB)
    activo = tablero.driver.switch_to.active_element
    assert "ag-header-cell" in activo.get_attribute("class")
    activo.send_keys(Keys.ARROW_DOWN)
    tablero.driver.switch_to.active_element.send_keys(Keys.ENTER)
    tablero.wait_for_contains_text("#obras-detalle h2", f"Obra {primera}")
    _esperar(lambda: f"folio={primera}" in tablero.driver.current_url, "el folio no está en la URL")
    # TAB sale de las celdas (una sola parada): sigue con el control siguiente (la paginación)
    tablero.find_element("#obras-buscar").click()
    tablero.driver.switch_to.active_element.send_keys(Keys.TAB)
    tablero.driver.switch_to.active_element.send_keys(Keys.TAB)
    fuera = tablero.driver.execute_script(
        "return !document.activeElement.closest('.ag-header-cell, .ag-cell')"
    )
    assert fuera, "TAB recorrió las celdas de la tabla en lugar de salir de ellas"
    assert _errores(tablero) == []


def test_estacionamientos_filtro_y_ficha(tablero, datos):
    _abrir(tablero, "/estacionamientos")
    _marcar(tablero, "estacionamientos-estado", "propuesto")
    _esperar(lambda: "estado=propuesto" in tablero.driver.current_url, "la URL no cambió")
    propuestos = capas.tabla_estacionamientos(datos, estado="propuesto")
    _esperar(
        lambda: _filas_visibles(tablero, "estacionamientos-tabla") == len(propuestos),
        "la tabla no se filtró",
    )
    clave = tablero.find_element(
        "#estacionamientos-tabla .ag-center-cols-container .ag-row[row-index='0'] [col-id='id']"
    ).text
    # con el teclado: de la búsqueda, TAB a la tabla, FLECHA ABAJO a la primera fila, ESPACIO
    tablero.find_element("#estacionamientos-buscar").click()
    activo = tablero.driver.switch_to.active_element
    activo.send_keys(Keys.TAB)
    activo = tablero.driver.switch_to.active_element
    assert "ag-header-cell" in activo.get_attribute("class")
    activo.send_keys(Keys.ARROW_DOWN)
    tablero.driver.switch_to.active_element.send_keys(Keys.SPACE)
    tablero.wait_for_contains_text("#estacionamientos-detalle h2", f"Espacio {clave}")
    _esperar(
        lambda: f"espacio={clave}" in tablero.driver.current_url, "el espacio no está en la URL"
    )
    tablero.wait_for_contains_text("#estacionamientos-detalle", "Reportes ciudadanos")
    violaciones, informe = _axe(tablero)
    assert violaciones == [], f"axe-core con la ficha abierta:\n{informe}"
    assert _errores(tablero) == []


def test_obras_url_honesta_aviso_y_quitar_filtros(tablero, datos):
    _abrir(tablero, "/obras?contratista=Nadie&anio=abc")
    tablero.wait_for_text_to_equal(
        "#obras-aviso", "No reconocimos anio=abc ni contratista=Nadie; se muestran todas las obras."
    )
    assert tablero.find_element("#obras-aviso").get_attribute("role") == "status"
    assert _filas_visibles(tablero, "obras-tabla") == len(capas.tabla_obras(datos))
    assert not tablero.find_element("#obras-vacio").is_displayed()
    violaciones, informe = _axe(tablero)
    assert violaciones == [], f"axe-core con el aviso:\n{informe}"
    # Un filtro sin resultados ofrece quitarlos; el enlace vuelve a la página limpia.
    _marcar(tablero, "obras-semaforo", "rojo")
    _marcar(tablero, "obras-semaforo", "verde")
    tablero.find_element("#obras-monto-min").send_keys("999,999,999,999" + Keys.ENTER)
    _esperar(lambda: tablero.find_element("#obras-vacio").is_displayed(), "sin «Quitar filtros»")
    _captura(tablero, "obras-vacio-ejemplo", ESCRITORIO)
    tablero.find_element("#obras-vacio a").click()
    _esperar(lambda: tablero.driver.current_url.endswith("/obras"), "no volvió a /obras")
    tablero.wait_for_element(".tabla-datos .ag-row", timeout=20)
    assert _filas_visibles(tablero, "obras-tabla") == len(capas.tabla_obras(datos))
    assert _errores(tablero) == []


def test_pagina_desconocida_es_404_con_la_pagina_en_espanol(tablero):
    import urllib.request
    from urllib.error import HTTPError

    with pytest.raises(HTTPError) as error:
        urllib.request.urlopen(tablero.server_url.rstrip("/") + "/no-existe")
    assert error.value.code == 404
    tablero.driver.get(tablero.server_url.rstrip("/") + "/no-existe")
    tablero.wait_for_text_to_equal("h1", "Página no encontrada")
    # (la consola registra el 404 del documento: es lo esperado, no se revisa aquí)


@pytest.mark.parametrize("ruta", ["/obras", "/escuelas"])
def test_el_mapa_abre_acercado_a_la_entidad(tablero, ruta):
    """El acercamiento se calcula con el alto real del mapa, no con el aviso «Cargando…».

    plotly.js llega después de la página (bundle parcial): cuando el navegador calcula el
    acercamiento, la gráfica mide unos 24 px. Con esa medida el mapa quedaba en el mínimo
    (zoom 1, el mundo entero, Oaxaca como un punto). A 1280 px, la entidad cabe con zoom > 5.
    """
    _abrir(tablero, ruta)
    id_mapa = f"{PAGINAS[ruta][1]}-mapa"

    def acercamiento():
        return tablero.driver.execute_script(
            "var g = document.querySelector('#' + arguments[0] + ' .js-plotly-plot');"
            "return g && g._fullLayout && g._fullLayout.map ? g._fullLayout.map.zoom : null;",
            id_mapa,
        )

    _esperar(lambda: (acercamiento() or 0) > 5, f"el mapa quedó con zoom {acercamiento()}")


def test_puntos_de_escuelas_en_binario_y_su_texto_al_pasar(tablero):
    """Las coordenadas y los colores llegan como arreglos binarios de Plotly (``bdata``) y
    plotly.js los dibuja; al pasar sobre una escuela se lee «CCT · nombre» y su cobertura
    con la luz en palabras (plantilla con ``customdata``, ``hovertext`` y ``text``)."""
    _abrir(tablero, "/escuelas")
    lectura = """
        var g = document.querySelector('#escuelas-mapa .js-plotly-plot');
        if (!g || !g._fullData || !g.calcdata) return null;
        var d = g._fullData[3], e = g.data[3];
        return {n: d.lat.length, ids: e.customdata.length, lat: Array.from(d.lat.slice(0, 1)),
                borde: g._fullData[2].lat.length, colores: Array.from(d.marker.color).length,
                binario: typeof e.lat.bdata === 'string',
                calculados: g.calcdata[3].filter(function (p) { return p.lonlat; }).length};
    """
    _esperar(lambda: tablero.driver.execute_script(lectura), "el mapa no tiene puntos")
    puntos = tablero.driver.execute_script(lectura)
    assert puntos["binario"] and puntos["n"] == puntos["ids"] == puntos["borde"] > 0
    assert puntos["colores"] == puntos["n"] and puntos["calculados"] == puntos["n"]
    assert 15 < puntos["lat"][0] < 19
    texto = tablero.driver.execute_script(
        """
        var g = document.querySelector('#escuelas-mapa .js-plotly-plot');
        Plotly.Fx.hover(g, [{curveNumber: 3, pointNumber: 0}], 'map');
        var t = g.querySelector('.hoverlayer .hovertext');
        return t ? t.textContent : null;
        """
    )
    cct = tablero.driver.execute_script(
        "return document.querySelector('#escuelas-mapa .js-plotly-plot').data[3].customdata[0]"
    )
    assert texto and texto.startswith(f"{cct} · ") and "Cobertura: " in texto
    assert any(luz in texto for luz in ("cobertura alta", "cobertura media", "cobertura baja"))
