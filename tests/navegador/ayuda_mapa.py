"""El mapa (Plotly + MapLibre) en las pruebas de navegador: su estado y un toque en un punto."""

from __future__ import annotations

from selenium.webdriver.common.action_chains import ActionChains

#: ``data[0]`` y el estado de MapLibre de la gráfica de ``arguments[0]`` (``null`` si todavía
#: no hay mapa). ``listo``: MapLibre terminó de cargar y no se está moviendo (el mapa llega en
#: su propio callback, después de la página: hay que esperarlo antes de tocar un punto).
ESTADO_MAPA = """
const g = document.querySelector(arguments[0] + ' .js-plotly-plot');
if (!g || !g.data || !g._fullLayout || !g._fullLayout.map) return null;
const mapa = g._fullLayout.map._subplot && g._fullLayout.map._subplot.map;
return {z: g.data[0].z, text: g.data[0].text, claves: g.data[0].locations,
        zoom: g._fullLayout.map.zoom,
        lienzo: !!g.querySelector('canvas.maplibregl-canvas'),
        listo: !!mapa && mapa.loaded() && !mapa.isMoving()};
"""


def datos_mapa(duo, selector: str) -> dict | None:
    """Estado del mapa dentro de ``selector``: ``z``, ``text``, ``claves`` (``locations``),
    ``zoom``, ``lienzo`` (hay lienzo WebGL) y ``listo``; ``None`` si todavía no se dibujó."""
    return duo.driver.execute_script(ESTADO_MAPA, selector)


def tocar_mapa(duo, selector: str, punto: list[float]) -> None:
    """Un clic en el lienzo del mapa de ``selector`` en ``punto`` (lon, lat)."""
    lienzo = duo.find_element(f"{selector} canvas.maplibregl-canvas")
    duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", lienzo)
    x, y, ancho, alto = duo.driver.execute_script(
        """
        const gd = document.querySelector(arguments[2] + ' .js-plotly-plot');
        const p = gd._fullLayout.map._subplot.map.project(arguments[0]);
        const r = arguments[1].getBoundingClientRect();
        return [p.x, p.y, r.width, r.height];
        """,
        punto,
        lienzo,
        selector,
    )
    (
        ActionChains(duo.driver)
        .move_to_element(lienzo)
        .move_by_offset(round(x - ancho / 2), round(y - alto / 2))
        .pause(0.5)
        .click()
        .perform()
    )
