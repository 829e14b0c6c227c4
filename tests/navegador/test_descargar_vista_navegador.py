"""«Descargar esta vista» en Chromium: el enlace de una vista filtrada baja las filas en pantalla."""

from __future__ import annotations

import csv
import io
import urllib.request

import pytest

# Las mismas piezas (servidor del módulo, apertura, casillas) que las pruebas de esas páginas.
from tests.navegador.test_escuelas_obras_estacionamientos import (  # noqa: F401
    _abrir,
    _errores,
    _esperar,
    _filas_visibles,
    _marcar,
    datos,
)

pytestmark = [
    pytest.mark.navegador,
    pytest.mark.filterwarnings("ignore:HTTPResponse.getheader:DeprecationWarning"),
]

BOM = b"\xef\xbb\xbf"


def _bajar(href: str) -> bytes:
    with urllib.request.urlopen(href, timeout=60) as respuesta:  # noqa: S310 (servidor local)
        assert respuesta.status == 200
        return respuesta.read()


def _folios_en_pantalla(duo) -> list[str]:
    """Folios de las filas que la tabla (por bloques) recibió del servidor, en su orden."""
    return duo.driver.execute_script(
        """
        const folios = [];
        dash_ag_grid.getApi(arguments[0]).forEachNode((nodo) => {
            if (nodo.data) folios.push(String(nodo.data.folio));
        });
        return folios;
        """,
        "obras-tabla",
    )


def test_obras_vista_filtrada_descarga_exactamente_las_filas_en_pantalla(tablero, datos):  # noqa: F811
    _abrir(tablero, "/obras")
    _marcar(tablero, "obras-nivel", "FEDERAL")
    _marcar(tablero, "obras-semaforo", "rojo")
    _esperar(
        lambda: (
            "nivel=FEDERAL" in tablero.driver.current_url
            and "semaforo=rojo" in tablero.driver.current_url
        ),
        "la URL no cambió",
    )
    enlace = tablero.find_element("#obras-descarga-csv")
    _esperar(
        lambda: (
            "nivel=FEDERAL" in (enlace.get_attribute("href") or "")
            and "semaforo=rojo" in (enlace.get_attribute("href") or "")
        ),
        f"el enlace no tiene los filtros: {enlace.get_attribute('href')}",
    )
    href = enlace.get_attribute("href")
    assert href.startswith(tablero.server_url.rstrip("/") + "/descargas/obras.csv?")
    assert enlace.get_attribute("download") == "obras.csv"

    en_pantalla = _folios_en_pantalla(tablero)
    assert en_pantalla, "la vista filtrada no tiene filas: elija otro filtro"
    assert len(en_pantalla) == _filas_visibles(tablero, "obras-tabla")
    normal = _bajar(href)
    filas = list(csv.DictReader(io.StringIO(normal.decode("utf-8"))))
    assert sorted(f["folio"] for f in filas) == sorted(en_pantalla)
    assert {f["nivel_gobierno"] for f in filas} == {"FEDERAL"}
    assert {f["semaforo"] for f in filas} == {"rojo"}

    # CSV para Excel: la marca delante y el resto idéntico.
    excel = _bajar(tablero.find_element("#obras-descarga-excel").get_attribute("href"))
    assert excel[:3] == BOM and excel[3:] == normal

    # Objetivo táctil de 44 px en cada enlace.
    alturas = tablero.driver.execute_script(
        """
        return [...document.querySelectorAll('#obras-descarga a')].map(
            (a) => [a.getBoundingClientRect().height, a.getBoundingClientRect().width]);
        """
    )
    assert len(alturas) == 3 and all(alto >= 44 and ancho >= 44 for alto, ancho in alturas)
    assert _errores(tablero) == []
