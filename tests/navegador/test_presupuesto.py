"""Presupuesto por capítulo en Chromium sin pantalla (portada y perfil del municipio).

Almacenes pequeños hechos a mano (:mod:`tests.datos_presupuesto`): el ejercicio cambia sin
recargar y vive en la URL, sin errores en la consola, accesible (axe-core) a 1280 y 375 px y
sin desplazamiento lateral. La portada con solo presupuesto (sin ciclos escolares) ya no falla.
"""

from __future__ import annotations

import pandas as pd
import pytest

from capas.lectura import limpiar_cache
from tablero.app import crear_app
from tests.conftest_capas import capas_prueba, crear_almacen, municipios
from tests.datos_presupuesto import MUNICIPIO, lineas_presupuesto
from tests.navegador.test_inicio_municipio import ESPERA, _abrir, _elegir, _errores, _esperar
from tests.navegador.test_shell import ESCRITORIO, TELEFONO, _ancho, _axe, _captura

pytestmark = [
    pytest.mark.navegador,
    pytest.mark.filterwarnings("ignore:HTTPResponse.getheader:DeprecationWarning"),
]


def _servir(duo, raiz, capas: dict):
    crear_almacen(raiz, capas)
    limpiar_cache()
    duo.start_server(crear_app(raiz))
    duo.driver.set_script_timeout(60)
    return duo


@pytest.fixture
def completo(dash_duo, tmp_path):
    todas = capas_prueba()
    todas["presupuesto"] = pd.concat(
        [todas["presupuesto"], lineas_presupuesto()], ignore_index=True
    )
    return _servir(dash_duo, tmp_path, todas)


@pytest.fixture
def solo_presupuesto(dash_duo, tmp_path):
    return _servir(
        dash_duo, tmp_path, {"municipios": municipios(), "presupuesto": lineas_presupuesto()}
    )


def _sin_desplazamiento_lateral(duo, ancho: int) -> None:
    assert duo.driver.execute_script("return document.documentElement.scrollWidth") <= ancho


def test_portada_cambia_de_ejercicio_en_la_url_y_es_accesible(completo):
    _abrir(completo, "/?ejercicio=abc", "Sigue el dinero")
    completo.wait_for_contains_text(
        "#inicio-presupuesto-contenido",
        "No hay presupuesto del ejercicio «abc»; se muestra el de 2024.",
        timeout=ESPERA,
    )
    completo.wait_for_text_to_equal("#inicio-presupuesto-aprobado", "$1,000", timeout=ESPERA)
    for ancho in (ESCRITORIO, TELEFONO):
        _ancho(completo, ancho)
        completo.wait_for_element("#inicio-presupuesto-grafica .main-svg", timeout=ESPERA)
        violaciones, informe = _axe(completo)
        assert violaciones == [], f"axe-core a {ancho} px en /:\n{informe}"
        _sin_desplazamiento_lateral(completo, ancho)
        _captura(completo, "inicio-presupuesto", ancho)
    _ancho(completo, ESCRITORIO)
    _elegir(completo, "inicio-ejercicio", "2025")
    completo.wait_for_contains_text(
        "#inicio-presupuesto-aviso-aprobado",
        "Presupuesto aprobado: aún no hay ejercicio publicado",
        timeout=ESPERA,
    )
    completo.wait_for_text_to_equal("#inicio-presupuesto-aprobado", "$700", timeout=ESPERA)
    _esperar(
        completo,
        lambda: "ejercicio=2025" in completo.driver.current_url,
        "el ejercicio no llegó a la URL",
    )
    assert (
        "No hay presupuesto del ejercicio"
        not in completo.find_element("#inicio-presupuesto-contenido").text
    )
    descarga = completo.find_element("#inicio-presupuesto-descarga").get_attribute("href")
    assert descarga.endswith("/descargas/presupuesto.csv?anio=2025&clasificacion=objeto_gasto")
    # Cambiar de ciclo escolar conserva el ejercicio en la URL.
    _elegir(completo, "inicio-anio", "Ciclo 2023-2024 (ejercicio 2023)")
    _esperar(
        completo,
        lambda: (
            "anio=2023" in completo.driver.current_url
            and "ejercicio=2025" in completo.driver.current_url
        ),
        "el ciclo y el ejercicio no quedaron juntos en la URL",
    )
    assert _errores(completo) == []


def test_portada_y_perfil_solo_con_presupuesto(solo_presupuesto):
    duo = solo_presupuesto
    _abrir(duo, "/", "Sigue el dinero")
    duo.wait_for_text_to_equal("#inicio-presupuesto-aprobado", "$1,000", timeout=ESPERA)
    duo.wait_for_contains_text("#inicio-sin-ciclos", "Todavía no hay indicadores", timeout=ESPERA)
    _elegir(duo, "inicio-ejercicio", "2023")
    duo.wait_for_text_to_equal("#inicio-presupuesto-aprobado", "$400", timeout=ESPERA)
    _esperar(duo, lambda: "ejercicio=2023" in duo.driver.current_url, "sin ejercicio en la URL")
    # El buscador funciona sin mapa ni ciclo (entradas opcionales).
    _elegir(duo, "inicio-buscar", "Acatlán de Pérez Figueroa")
    duo.wait_for_text_to_equal("h1", "Acatlán de Pérez Figueroa", timeout=ESPERA)
    assert f"municipio={MUNICIPIO}" in duo.driver.current_url
    duo.wait_for_text_to_equal("#municipio-capitulos-aprobado", "$50", timeout=ESPERA)
    for ancho in (ESCRITORIO, TELEFONO):
        _ancho(duo, ancho)
        violaciones, informe = _axe(duo)
        assert violaciones == [], f"axe-core a {ancho} px en /municipio:\n{informe}"
        _sin_desplazamiento_lateral(duo, ancho)
        _captura(duo, "municipio-presupuesto", ancho)
    assert _errores(duo) == []
