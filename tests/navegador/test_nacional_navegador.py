"""Modo nacional en Chromium sin pantalla: del mapa de entidades a los municipios de una.

Almacén nacional pequeño (el SRFT y la SHCP de dos y tres entidades de
``tests/test_nacional.py``): tocar una entidad en el mapa o elegirla en la lista lleva a
``/?entidad=NN`` sin recargar, con sus municipios en el mapa; sin errores en la consola y sin
violaciones de accesibilidad (axe-core).
"""

from __future__ import annotations

import pytest
import shapely
from selenium.webdriver.support.ui import WebDriverWait

from ingesta.carga import cargar
from tablero.app import crear_app
from tests.conftest import escribir_csv
from tests.navegador.ayuda_mapa import datos_mapa, tocar_mapa
from tests.navegador.test_busqueda_navegador import _buscar_en_lista
from tests.navegador.test_inicio_municipio import _elegir, _elegir_visible, _errores
from tests.navegador.test_shell import ESCRITORIO, _ancho, _axe
from tests.test_nacional import ENCABEZADO_SHCP, ENCABEZADO_SRFT, FILAS_SHCP, FILAS_SRFT

pytestmark = [
    pytest.mark.navegador,
    pytest.mark.filterwarnings("ignore:HTTPResponse.getheader:DeprecationWarning"),
]

ESPERA = 30


@pytest.fixture(scope="module")
def raiz(tmp_path_factory):
    carpeta = tmp_path_factory.mktemp("nacional-navegador")
    with pytest.MonkeyPatch.context() as parche:
        parche.setenv("SIGUE_ESTADO", "00")
        cargar(
            "obras",
            escribir_csv(carpeta, "srft.csv", [ENCABEZADO_SRFT, *FILAS_SRFT]),
            carpeta / "d",
        )
        cargar(
            "presupuesto",
            escribir_csv(carpeta, "shcp.csv", [ENCABEZADO_SHCP, *FILAS_SHCP]),
            carpeta / "d",
        )
    return carpeta / "d"


@pytest.fixture
def tablero(dash_duo, raiz):
    dash_duo.start_server(crear_app(raiz))
    dash_duo.driver.set_script_timeout(60)
    return dash_duo


def _esperar(duo, condicion, mensaje: str):
    return WebDriverWait(duo.driver, ESPERA).until(lambda _: condicion(), message=mensaje)


def _mapa(duo) -> dict | None:
    return datos_mapa(duo, "#inicio-mapa")


def _abrir_pais(duo, consulta: str = "anio=2024") -> None:
    _ancho(duo, ESCRITORIO)
    duo.wait_for_page(url=duo.server_url.rstrip("/") + "/?" + consulta)
    duo.wait_for_text_to_equal("#inicio-titulo-mapa", "Mapa de las entidades", timeout=ESPERA)
    # dibujado y con el acercamiento ya ajustado al ancho (el país entero: menos de 6)
    _esperar(
        duo, lambda: (m := _mapa(duo)) and m["lienzo"] and m["zoom"] < 6, "el mapa no se dibujó"
    )
    duo.driver.execute_script("window.__sin_recarga = true")


def _tocar_entidad(duo, clave: str) -> None:
    """Clic en el punto interior de la entidad ``clave``, en píxeles del lienzo del mapa."""
    rasgo = next(
        r
        for r in duo.driver.execute_script(
            "return document.querySelector('#inicio-mapa .js-plotly-plot').data[0].geojson.features"
        )
        if r["properties"]["cvegeo"] == clave
    )
    punto = list(shapely.geometry.shape(rasgo["geometry"]).representative_point().coords[0])
    tocar_mapa(duo, "#inicio-mapa", punto)


def test_tocar_una_entidad_baja_a_sus_municipios(tablero):
    # Con el monto de obras todas las entidades tienen valor (0 sin obras).
    _abrir_pais(tablero, "anio=2024&indicador=obras_monto_aprobado")
    assert len(_mapa(tablero)["claves"]) == 32
    # Chihuahua, la entidad más grande.
    _tocar_entidad(tablero, "08")
    _esperar(tablero, lambda: "entidad=08" in tablero.driver.current_url, "el clic no bajó")
    tablero.wait_for_text_to_equal(
        "#inicio-titulo-mapa", "Mapa de los municipios de Chihuahua", timeout=ESPERA
    )
    _esperar(
        tablero,
        lambda: (m := _mapa(tablero)) and len(m["claves"]) == 67 and m["lienzo"],
        "el mapa no mostró los 67 municipios de Chihuahua",
    )
    assert tablero.driver.execute_script("return window.__sin_recarga") is True
    assert _errores(tablero) == []


def test_una_entidad_sin_dato_se_dibuja_en_gris_y_se_puede_tocar(tablero):
    # Cobertura: el almacén no tiene escuelas, ninguna entidad tiene dato. La traza gris de
    # abajo las dibuja todas; tocar Chihuahua baja a sus municipios y el encabezado la nombra.
    _abrir_pais(tablero, "anio=2024&indicador=cobertura")
    trazas = tablero.driver.execute_script(
        "return document.querySelector('#inicio-mapa .js-plotly-plot').data"
        ".map(t => [t.locations.length, t.showscale, (t.z || []).filter(v => v !== null).length])"
    )
    assert trazas == [[32, False, 32], [32, True, 0]]
    tablero.wait_for_text_to_equal(".marca", "Sigue el dinero México", timeout=ESPERA)
    _tocar_entidad(tablero, "08")
    _esperar(tablero, lambda: "entidad=08" in tablero.driver.current_url, "el clic no bajó")
    tablero.wait_for_text_to_equal(
        "#inicio-titulo-mapa", "Mapa de los municipios de Chihuahua", timeout=ESPERA
    )
    tablero.wait_for_text_to_equal(".marca", "Sigue el dinero Chihuahua", timeout=ESPERA)
    assert _errores(tablero) == []


def test_elegir_una_entidad_en_la_lista(tablero):
    _abrir_pais(tablero)
    violaciones, _ = _axe(tablero)
    assert violaciones == []
    _elegir(tablero, "inicio-lista-entidad", "Morelos")
    tablero.wait_for_text_to_equal(
        "#inicio-titulo-cifras", "Cifras de Morelos, ciclo 2024-2025", timeout=ESPERA
    )
    assert "entidad=17" in tablero.driver.current_url
    _esperar(
        tablero,
        lambda: (m := _mapa(tablero)) and len(m["claves"]) == 35,
        "el mapa no mostró los 35 municipios de Morelos",
    )
    # cambiar de indicador deja la entidad en la URL
    _elegir(tablero, "inicio-indicador", "Monto aprobado de obra pública")
    _esperar(
        tablero,
        lambda: "indicador=obras_monto_aprobado" in tablero.driver.current_url,
        "el indicador no llegó a la URL",
    )
    assert "entidad=17" in tablero.driver.current_url
    violaciones, _ = _axe(tablero)
    assert violaciones == []
    assert _errores(tablero) == []


def test_lista_de_municipios_de_obras_busca_en_el_pais(tablero):
    """En ``/obras`` del país la lista «Municipio» llega vacía y busca en el servidor lo
    escrito; con una entidad elegida, solo sus municipios (filtrados en el navegador)."""
    _ancho(tablero, ESCRITORIO)
    tablero.wait_for_page(url=tablero.server_url.rstrip("/") + "/obras")
    tablero.wait_for_element("#obras-municipio", timeout=ESPERA)
    assert _buscar_en_lista(tablero, "obras-municipio", "cuernav") == ["Cuernavaca, Morelos"]
    _elegir_visible(tablero, "Cuernavaca, Morelos")
    _esperar(
        tablero,
        lambda: "municipio=17007" in tablero.driver.current_url,
        "elegir Cuernavaca no llegó a la URL",
    )
    _esperar(
        tablero,
        lambda: "Cuernavaca, Morelos" in tablero.find_element("#obras-municipio").text,
        "la lista no muestra el municipio elegido",
    )
    # «juarez» en el país: los de varias entidades, con el nombre de su entidad
    tablero.driver.get(tablero.server_url.rstrip("/") + "/obras")
    tablero.wait_for_element("#obras-municipio", timeout=ESPERA)
    ofrecidas = _buscar_en_lista(tablero, "obras-municipio", "juarez chihuahua")
    assert ofrecidas == ["Juárez, Chihuahua"]
    assert _errores(tablero) == []
