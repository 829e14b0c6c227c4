"""Inicio y perfil de un municipio en Chromium sin pantalla, con los datos de ejemplo.

Sin errores en la consola, filtros en la URL, números iguales a los de capas, navegación sin
recargar, accesibilidad (axe-core) y capturas a 1280 y 375 px en ``capturas/``.
"""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

import capas
from tablero.app import crear_app
from tablero.formato import porcentaje
from tests.navegador.ayuda_mapa import datos_mapa, tocar_mapa
from tests.navegador.test_shell import ESCRITORIO, TELEFONO, _ancho, _axe, _captura

pytestmark = [
    pytest.mark.navegador,
    pytest.mark.filterwarnings("ignore:HTTPResponse.getheader:DeprecationWarning"),
]

ESPERA = 30


@pytest.fixture
def tablero(dash_duo, raiz_ejemplo):
    """``dash_duo`` con el tablero servido sobre el almacén con los datos de ejemplo."""
    dash_duo.start_server(crear_app(raiz_ejemplo))
    dash_duo.driver.set_script_timeout(60)
    return dash_duo


@pytest.fixture(scope="module")
def datos(raiz_ejemplo):
    return capas.abrir(raiz_ejemplo)


def _abrir(duo, ruta: str, encabezado: str, ancho: int = ESCRITORIO) -> None:
    _ancho(duo, ancho)
    duo.wait_for_page(url=duo.server_url.rstrip("/") + ruta)
    duo.wait_for_text_to_equal("h1", encabezado, timeout=ESPERA)


def _esperar(duo, condicion, mensaje: str):
    return WebDriverWait(duo.driver, ESPERA).until(lambda _: condicion(), message=mensaje)


def _datos_mapa(duo, id_mapa: str):
    """Estado del mapa ``#id_mapa`` (ver :func:`tests.navegador.ayuda_mapa.datos_mapa`)."""
    return datos_mapa(duo, f"#{id_mapa}")


def _elegir(duo, id_lista: str, texto: str) -> None:
    """Abre un ``dcc.Dropdown`` (Dash 4) y elige la opción con ese texto."""
    duo.find_element(f"#{id_lista}").click()
    opcion = WebDriverWait(duo.driver, ESPERA).until(
        lambda d: next(
            (
                o
                for o in d.find_elements(By.CSS_SELECTOR, ".dash-options-list-option")
                if o.text.strip() == texto and o.is_displayed()
            ),
            None,
        ),
        message=f"no apareció la opción {texto!r}",
    )
    opcion.click()


def _transferencias(duo, contiene: str) -> list[int]:
    """Bytes transferidos (comprimidos) de cada respuesta cuya dirección contiene ``contiene``."""
    return duo.driver.execute_script(
        "return performance.getEntriesByType('resource')"
        ".filter(e => e.name.includes(arguments[0])).map(e => e.transferSize)",
        contiene,
    )


def _errores(duo) -> list[dict]:
    """Mensajes SEVERE de la consola (los avisos de WebGL «GPU stall» son WARNING)."""
    return [e for e in duo.get_logs() if "GPU stall" not in e.get("message", "")]


def test_inicio_mapa_filtros_en_la_url_y_numeros_de_capas(tablero, datos):
    _abrir(tablero, "/", "Sigue el dinero")
    estado = capas.tabla_estado(datos)
    por_anio = estado.set_index("anio")
    tablero.wait_for_text_to_equal(
        "#inicio-cobertura-estatal", porcentaje(por_anio.loc[2025, "cobertura"])
    )
    tablero.wait_for_text_to_equal(
        "#inicio-eficacia-estatal", porcentaje(por_anio.loc[2025, "eficacia"])
    )
    mapa = _esperar(
        tablero,
        lambda: (m := _datos_mapa(tablero, "inicio-mapa")) and m["lienzo"] and m,
        "el mapa no se dibujó",
    )
    tabla = capas.tabla_municipios(datos, anio=2025)
    assert mapa["z"] == [None if v != v else v for v in tabla["cobertura"]]
    assert mapa["zoom"] > 6  # ajustado al ancho de la pantalla en el navegador
    # la primera carga completa pesa menos de 3 MB comprimida (medida por el navegador)
    total = tablero.driver.execute_script(
        "return performance.getEntriesByType('navigation').concat("
        "performance.getEntriesByType('resource')).reduce((s, e) => s + e.transferSize, 0)"
    )
    assert 0 < total < 3_000_000, total

    # Otro indicador: la URL cambia sin recargar y el mapa trae los valores nuevos.
    tablero.driver.execute_script("window.__sin_recarga = true")
    antes = len(_transferencias(tablero, "_dash-update-component"))
    _elegir(tablero, "inicio-indicador", "Obras con alguna alerta")
    _esperar(
        tablero,
        lambda: "indicador=obras_con_alerta" in tablero.driver.current_url,
        "la URL no cambió con el indicador",
    )
    alertas = [float(v) for v in tabla["obras_con_alerta"]]
    _esperar(
        tablero,
        lambda: _datos_mapa(tablero, "inicio-mapa")["z"] == alertas,
        "el mapa no muestra las obras con alerta",
    )
    tablero.wait_for_contains_text("#inicio-pie-mapa", "Obras con alguna alerta por municipio")
    nuevas = _transferencias(tablero, "_dash-update-component")[antes:]
    assert nuevas and max(nuevas) < 25_000, nuevas  # solo valores: sin geometría

    # Otro ciclo: cambian la URL, las cifras del estado y el mapa.
    _elegir(tablero, "inicio-anio", "Ciclo 2024-2025 (ejercicio 2024)")
    _esperar(
        tablero,
        lambda: (
            "anio=2024" in tablero.driver.current_url
            and "indicador=obras_con_alerta" in tablero.driver.current_url
        ),
        "la URL no cambió con el ciclo",
    )
    tablero.wait_for_text_to_equal(
        "#inicio-eficacia-estatal", porcentaje(por_anio.loc[2024, "eficacia"])
    )
    alertas_2024 = [float(v) for v in capas.tabla_municipios(datos, anio=2024)["obras_con_alerta"]]
    _esperar(
        tablero,
        lambda: _datos_mapa(tablero, "inicio-mapa")["z"] == alertas_2024,
        "el mapa no cambió de ciclo",
    )
    assert tablero.driver.execute_script("return window.__sin_recarga") is True
    assert _errores(tablero) == []

    # La URL con filtros abre la misma vista.
    _abrir(tablero, "/?indicador=obras_con_alerta&anio=2024", "Sigue el dinero")
    _esperar(
        tablero,
        lambda: (m := _datos_mapa(tablero, "inicio-mapa")) and m["z"] == alertas_2024,
        "la URL con filtros no abrió la misma vista",
    )
    assert _errores(tablero) == []


def test_inicio_accesible_con_la_tabla_abierta(tablero):
    _abrir(tablero, "/", "Sigue el dinero")
    _esperar(
        tablero,
        lambda: (m := _datos_mapa(tablero, "inicio-mapa")) and m["lienzo"],
        "el mapa no se dibujó",
    )
    # La alternativa al mapa: se abre con el teclado y lleva al perfil de cada municipio.
    resumen = tablero.find_element(".inicio-tabla summary")
    resumen.send_keys(Keys.ENTER)
    tablero.wait_for_element("#inicio-tabla .ag-row", timeout=ESPERA)
    enlaces = tablero.driver.find_elements(By.CSS_SELECTOR, "#inicio-tabla a[href^='/municipio']")
    assert enlaces and enlaces[0].text
    for ancho in (ESCRITORIO, TELEFONO):
        _ancho(tablero, ancho)
        _esperar(
            tablero,
            lambda: (m := _datos_mapa(tablero, "inicio-mapa")) and m["lienzo"],
            "el mapa no se dibujó",
        )
        violaciones, informe = _axe(tablero)
        assert violaciones == [], f"axe-core a {ancho} px en /:\n{informe}"
        _captura(tablero, "inicio-datos", ancho)
        ancho_pagina = tablero.driver.execute_script("return document.documentElement.scrollWidth")
        assert ancho_pagina <= ancho  # nada obliga a desplazarse a los lados
    assert _errores(tablero) == []


def test_buscar_y_tocar_un_municipio_lleva_a_su_perfil(tablero, datos):
    _abrir(tablero, "/", "Sigue el dinero")
    tablero.driver.execute_script("window.__sin_recarga = true")
    tablero.find_element("#inicio-buscar").click()
    buscar = WebDriverWait(tablero.driver, ESPERA).until(
        lambda d: next(
            (
                e
                for e in d.find_elements(By.CSS_SELECTOR, "input")
                if e.is_displayed() and e.get_attribute("type") in ("search", "text")
            ),
            None,
        )
    )
    buscar.send_keys("Juárez")
    _elegir_visible(tablero, "Oaxaca de Juárez")
    tablero.wait_for_text_to_equal("h1", "Oaxaca de Juárez", timeout=ESPERA)
    assert "municipio=20067" in tablero.driver.current_url
    assert tablero.driver.execute_script("return window.__sin_recarga") is True

    # Tocar un municipio en el mapa también lleva a su perfil.
    _abrir(tablero, "/", "Sigue el dinero")
    _esperar(
        tablero,
        lambda: (m := _datos_mapa(tablero, "inicio-mapa")) and m["lienzo"] and m["listo"],
        "el mapa no se dibujó",
    )
    # El municipio más grande (un blanco fácil): su punto interior, en píxeles del lienzo.
    municipios = datos.tabla("municipios")
    grande = municipios.loc[municipios.geometry.to_crs(6372).area.idxmax()]  # LCC del INEGI
    punto = list(grande.geometry.representative_point().coords[0])
    tocar_mapa(tablero, "#inicio-mapa", punto)
    _esperar(
        tablero,
        lambda: f"/municipio?municipio={grande['cvegeo']}" in tablero.driver.current_url,
        "el clic en el mapa no llevó al perfil del municipio",
    )
    tablero.wait_for_text_to_equal("h1", grande["municipio"], timeout=ESPERA)
    assert _errores(tablero) == []


def _elegir_visible(duo, texto: str) -> None:
    opcion = WebDriverWait(duo.driver, ESPERA).until(
        lambda d: next(
            (
                o
                for o in d.find_elements(By.CSS_SELECTOR, ".dash-options-list-option")
                if o.text.strip() == texto and o.is_displayed()
            ),
            None,
        ),
        message=f"no apareció la opción {texto!r}",
    )
    opcion.click()


def test_perfil_de_oaxaca_de_juarez(tablero, datos):
    fila = capas.tabla_municipios(datos, anio=2025, municipio="20067").iloc[0]
    _abrir(tablero, "/municipio?municipio=20067", "Oaxaca de Juárez")
    tablero.wait_for_text_to_equal("#municipio-cobertura", porcentaje(fila["cobertura"]))
    assert tablero.find_element("#municipio-cobertura").text == "85.5 %"
    tablero.wait_for_text_to_equal("#municipio-eficacia", porcentaje(fila["eficacia"]))
    _esperar(
        tablero,
        lambda: (m := _datos_mapa(tablero, "municipio-mapa")) and m["lienzo"],
        "el mapa de escuelas no se dibujó",
    )
    tablero.wait_for_element("#municipio-tabla-escuelas .ag-row", timeout=ESPERA)
    texto = tablero.find_element("#municipio-perfil").text
    assert "9 de cada 10 alumnos inscritos recibieron uniforme o útiles" in texto
    assert "Compara lo comprobado con lo modificado" in texto
    assert "menos deserción que el ciclo anterior (mejoró)" in texto

    for ancho in (ESCRITORIO, TELEFONO):
        _ancho(tablero, ancho)
        violaciones, informe = _axe(tablero)
        assert violaciones == [], f"axe-core a {ancho} px en el perfil:\n{informe}"
        _captura(tablero, "municipio-20067", ancho)
        ancho_pagina = tablero.driver.execute_script("return document.documentElement.scrollWidth")
        assert ancho_pagina <= ancho

    # Otro ciclo: el perfil cambia y la URL conserva el municipio.
    _ancho(tablero, ESCRITORIO)
    fila_2024 = capas.tabla_municipios(datos, anio=2024, municipio="20067").iloc[0]
    _elegir(tablero, "municipio-anio", "Ciclo 2024-2025 (ejercicio 2024)")
    tablero.wait_for_text_to_equal("#municipio-eficacia", porcentaje(fila_2024["eficacia"]))
    _esperar(
        tablero,
        lambda: (
            "municipio=20067" in tablero.driver.current_url
            and "anio=2024" in tablero.driver.current_url
        ),
        "la URL no conservó el municipio y el ciclo",
    )
    assert _errores(tablero) == []


def test_perfil_sin_municipio_y_con_clave_desconocida(tablero):
    _abrir(tablero, "/municipio?municipio=99999", "Mi municipio")
    tablero.wait_for_contains_text(".aviso-municipio", "«99999»")
    for ancho in (ESCRITORIO, TELEFONO):
        _ancho(tablero, ancho)
        violaciones, informe = _axe(tablero)
        assert violaciones == [], f"axe-core a {ancho} px con clave desconocida:\n{informe}"
        _captura(tablero, "municipio-desconocido", ancho)
    _abrir(tablero, "/municipio", "Mi municipio")
    tablero.wait_for_element("#municipio-buscar")
    assert _errores(tablero) == []
