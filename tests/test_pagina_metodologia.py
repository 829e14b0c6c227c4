"""Página «Metodología»: todo sale de capas.config (cambiar un umbral cambia la página)."""

from __future__ import annotations

import json

import dash
import plotly.utils
import pytest

import capas
from capas import config
from capas.config import Umbrales
from tablero.app import crear_app


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return crear_app(tmp_path_factory.mktemp("vacio"))


def _contenido(app, umbrales: Umbrales | None = None) -> dict:
    """Contenido de la página (con ``umbrales`` o con los del tablero) como JSON."""
    pagina = next(p for p in dash.page_registry.values() if p["path"] == "/metodologia")
    modulo = __import__(pagina["module"], fromlist=["contenido"])
    with app.server.test_request_context("/metodologia"):
        arbol = pagina["layout"]() if umbrales is None else modulo.contenido(umbrales)
    return json.loads(json.dumps(arbol, cls=plotly.utils.PlotlyJSONEncoder))


def _nodos(arbol, tipo: str | None = None):
    if isinstance(arbol, list):
        for hijo in arbol:
            yield from _nodos(hijo, tipo)
    elif isinstance(arbol, dict):
        if tipo is None or arbol.get("type") == tipo:
            yield arbol
        yield from _nodos(arbol.get("props", {}).get("children"), tipo)


def _texto(arbol) -> str:
    if isinstance(arbol, str):
        return arbol
    if isinstance(arbol, int | float) and not isinstance(arbol, bool):
        return str(arbol)
    if isinstance(arbol, list):
        return "".join(_texto(h) for h in arbol)
    if isinstance(arbol, dict):
        return _texto(arbol.get("props", {}).get("children"))
    return ""


def _seccion(arbol, id_: str) -> dict:
    return next(n for n in _nodos(arbol, "Section") if n["props"].get("id") == id_)


def _filas_luces(seccion) -> list[tuple[str, str, str]]:
    """``(luz, etiqueta, regla)`` de cada fila de las tablas de luces de la sección."""
    filas = []
    for fila in _nodos(seccion, "Tr"):
        luz = fila["props"].get("data-luz")
        if luz:
            celdas = [n for n in fila["props"]["children"]]
            filas.append((luz, _texto(celdas[0]), _texto(celdas[1])))
    return filas


def test_titulo_y_encabezado(app):
    pagina = next(p for p in dash.page_registry.values() if p["path"] == "/metodologia")
    assert pagina["title"] == "Metodología · Sigue el dinero Oaxaca"
    assert [_texto(h) for h in _nodos(_contenido(app), "H1")] == ["Metodología"]


def test_los_seis_indicadores(app):
    seccion = _seccion(_contenido(app), "indicadores")
    titulos = [_texto(h) for h in _nodos(seccion, "H3")]
    assert titulos == [
        "1. Cobertura estatal",
        "2. Eficacia presupuestal",
        "3. Cobertura municipal",
        "4. Cobertura por escuela",
        "5. Deserción (variación)",
        "6. Aprovechamiento (variación)",
    ]
    texto = _texto(seccion)
    for indicador in config.INDICADORES:
        assert indicador.definicion in texto and indicador.formula in texto
    assert config.LECTURA_VARIACION["desercion"][0] in texto


def test_las_columnas_de_cada_indicador_existen_en_las_capas():
    for indicador in config.INDICADORES:
        for columna in indicador.columnas:
            capa, _, nombre = columna.partition(".")
            assert nombre in capas.capa(capa).nombres_campos, columna


def test_semaforo_de_cobertura_con_los_umbrales_por_omision(app):
    filas = _filas_luces(_seccion(_contenido(app), "semaforo-cobertura"))
    assert filas == [
        ("verde", "✔cobertura alta", "Cobertura de al menos 95 %."),
        ("amarillo", "▲cobertura media", "Cobertura de al menos 80 % y menor que 95 %."),
        ("rojo", "✖cobertura baja", "Cobertura menor que 80 %."),
        (
            "gris",
            "?sin dato",
            "No se puede calcular: no hay alumnos inscritos o no hay padrón del ciclo.",
        ),
    ]


def test_cambiar_un_umbral_cambia_la_pagina(app):
    propios = Umbrales(cobertura_verde=0.9, gasto_verde=0.85, obra_pago_sin_avance=0.3)
    arbol = _contenido(app, propios)
    cobertura = _filas_luces(_seccion(arbol, "semaforo-cobertura"))
    assert cobertura[0][2] == "Cobertura de al menos 90 %."
    assert cobertura[1][2] == "Cobertura de al menos 80 % y menor que 90 %."
    gasto = _texto(_seccion(arbol, "semaforo-gasto"))
    assert "r es de al menos 0.85 (el avance llega al 85 % de lo esperado)" in gasto
    assert "menor que 0.85" in gasto and "0.9" not in gasto
    obras = _texto(_seccion(arbol, "alertas-obra"))
    assert "por más de 30 puntos" in obras
    assert "supera al físico por 10 a 30 puntos" in obras
    umbrales = _texto(_seccion(arbol, "umbrales"))
    assert "0.9 (90 %)" in umbrales and "0.95" not in umbrales
    # Los de siempre no cambiaron.
    original = _texto(_contenido(app))
    assert "Cobertura de al menos 95 %." in original and "por más de 25 puntos" in original


def test_semaforo_del_gasto_y_sus_etapas(app):
    seccion = _seccion(_contenido(app), "semaforo-gasto")
    texto = _texto(seccion)
    assert "en este orden: comprobado, ejercido o devengado" in texto
    assert "la primera publicada de: modificado o aprobado" in texto
    assert config.NOTAS_METODOLOGIA["esperado"] in texto
    filas = _filas_luces(seccion)
    assert [(luz, etiqueta) for luz, etiqueta, _ in filas] == [
        ("verde", "✔en tiempo"),
        ("amarillo", "▲con rezago"),
        ("rojo", "✖rezago grave"),
        ("rojo", "✖sobregiro"),
        ("gris", "?sin dato"),
    ]
    assert filas[0][2] == (
        "r es de al menos 0.9 (el avance llega al 90 % de lo esperado) y el avance no pasa "
        "del 100 % del monto asignado."
    )
    assert filas[1][2] == "r es de al menos 0.7 y menor que 0.9."
    assert filas[2][2] == "r es menor que 0.7."


def test_alertas_de_obra_y_semaforo_de_la_obra(app):
    seccion = _seccion(_contenido(app), "alertas-obra")
    texto = _texto(seccion)
    for alerta in config.metodologia()["alertas"]:
        assert alerta["codigo"] in texto and alerta["titulo"] in texto
        assert alerta["regla"] in texto
    filas = [f for f in _nodos(next(_nodos(seccion, "Tbody")), "Tr")]
    assert len(filas) == 8
    rojas = ["pone la obra en rojo" in _texto(f) for f in filas]
    assert rojas == [True, True, True, False, False, False, False, False]
    luces = _filas_luces(seccion)
    assert [luz for luz, _, _ in luces] == ["rojo", "gris", "amarillo", "verde"]
    assert luces[0][2] == "Tiene la alerta «Pago sin avance», «Sobrecosto» o «Vencida»."
    assert luces[2][2] == "El avance financiero supera al físico por 10 a 25 puntos."


def test_estados_de_los_estacionamientos(app):
    texto = _texto(_seccion(_contenido(app), "estados-cajon"))
    for estado in config.ESTADOS_ESTACIONAMIENTO:
        assert estado.etiqueta in texto and estado.valor in texto and estado.icono in texto


def test_cada_umbral_y_cada_luz(app):
    arbol = _contenido(app)
    umbrales = _texto(_seccion(arbol, "umbrales"))
    for umbral in config.metodologia()["umbrales"]:
        assert umbral["nombre"] in umbrales and umbral["descripcion"] in umbrales
    colores = _texto(_seccion(arbol, "colores"))
    for luz in config.PALETA.values():
        assert luz.icono in colores and luz.color in colores and luz.nombre_icono in colores


def test_reglas_de_calculo(app):
    texto = _texto(_seccion(_contenido(app), "reglas"))
    for nota in config.NOTAS_METODOLOGIA.values():
        assert nota in texto
