"""Las cifras de la entidad en el HTML de ``/`` (``tablero/previo.py``) y las precargas de
la primera carga (``tablero/estaticos.py::precargar_inicio``)."""

from __future__ import annotations

import html as html_std
import re

import pytest
from dash import dcc, html

import capas
from tablero.app import crear_app
from tablero.previo import a_html
from tests import ayuda_paginas as ayuda

BR = {"Accept-Encoding": "br"}


@pytest.fixture(scope="module")
def app(raiz_ejemplo):
    return crear_app(raiz_ejemplo)


def _previo(indice: str) -> str:
    hallado = re.search(
        r'<div id="sigue-previo">(.*?)</div>\s*<div id="react-entry-point">', indice, re.S
    )
    assert hallado, "sin vista previa antes de #react-entry-point"
    return hallado.group(1)


def _texto_html(fragmento: str) -> str:
    return " ".join(html_std.unescape(re.sub(r"<[^>]+>", " ", fragmento)).split())


def _cifras_de_la_pagina(app, url: str) -> tuple[str, str]:
    """Título y texto de ``#inicio-cifras`` del layout de la página (lo que dibuja Dash)."""
    pagina = ayuda.modulo("/")
    consulta = dict(re.findall(r"(\w+)=(\w+)", url.partition("?")[2]))
    with app.server.test_request_context(url):
        arbol = pagina.layout(**consulta)
    titulo = ayuda.texto(ayuda.por_id(arbol, "inicio-titulo-cifras"))
    return titulo, " ".join(ayuda.texto(ayuda.por_id(arbol, "inicio-cifras")).split())


@pytest.mark.parametrize("consulta", ["", "?anio=2024"])
def test_la_vista_previa_trae_las_mismas_cifras_que_la_pagina(app, raiz_ejemplo, consulta):
    estado = capas.tabla_estado(capas.abrir(raiz_ejemplo))
    assert 2024 in set(estado["anio"]) and 2025 in set(estado["anio"])
    indice = app.server.test_client().get("/" + consulta).get_data(as_text=True)
    previo = _previo(indice)
    titulo, cifras = _cifras_de_la_pagina(app, "/" + consulta)
    assert titulo == (
        "Cifras del estado, ciclo 2024-2025" if consulta else "Cifras del estado, ciclo 2025-2026"
    )
    assert f"<h2>{titulo}</h2>" in previo
    tarjetas = re.search(r'<div class="indicadores">(.*)$', previo, re.S).group(1)
    assert _texto_html(tarjetas) == cifras
    assert "%" in cifras  # hay números de verdad
    # Sin id: nada se duplica cuando Dash dibuja la página (previo.js la quita).
    assert " id=" not in previo
    # Los iconos siguen ocultos para lectores de pantalla.
    assert '<span aria-hidden="true" class="semaforo__icono">' in previo


def test_solo_en_inicio_y_con_datos(app, tmp_path):
    cliente = app.server.test_client()
    assert "sigue-previo" not in cliente.get("/obras").get_data(as_text=True)
    assert "sigue-previo" not in cliente.get("/no-existe").get_data(as_text=True)
    vacia = crear_app(tmp_path / "vacio")
    indice = vacia.server.test_client().get("/").get_data(as_text=True)
    assert "sigue-previo" not in indice
    assert '<div id="react-entry-point">' in indice


def test_a_html_escapa_y_omite_lo_que_necesita_javascript():
    arbol = html.Div(
        [
            html.P("5 < 6 & «ñ»", id="quitado", className="a b", style={"backgroundColor": "#fff"}),
            html.Br(),
            html.Span("?", **{"aria-hidden": "true", "data-termino": 'x"y'}),
            dcc.Graph(id="g"),
            html.Details([html.Summary("Más"), 3, None]),
        ],
        n_clicks=0,
    )
    assert a_html(arbol) == (
        '<div><p class="a b" style="background-color: #fff">5 &lt; 6 &amp; «ñ»</p><br>'
        '<span aria-hidden="true" data-termino="x&quot;y">?</span>'
        "<details><summary>Más</summary>3</details></div>"
    )


def test_precarga_de_plotly_y_de_los_chunks_solo_en_inicio(app):
    cliente = app.server.test_client()
    indice = cliente.get("/").get_data(as_text=True)
    precargas = re.findall(
        r'<link rel="preload" as="script" href="([^"]+)" fetchpriority="low">', indice
    )
    plotly = re.search(r'<meta name="sigue-plotly" content="([^"]+)"', indice).group(1)
    assert precargas == [
        "/_dash-component-suites/dash/dcc/async-graph.js",
        "/_dash-component-suites/dash/dcc/async-dropdown.js",
        plotly,
    ]
    for url in precargas:
        assert cliente.get(url, headers=BR).status_code == 200
    assert 'rel="preload"' not in cliente.get("/obras").get_data(as_text=True)
