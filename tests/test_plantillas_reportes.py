"""Plantillas de servidor de los reportes: una sola base (``base.html``) con bloques; la
pública y la de atención solo cambian la cabecera, el título y la clase de la página."""

from __future__ import annotations

import re

import pytest

from tests.ayuda_reportes import crear_app_completa


@pytest.fixture()
def cliente(tmp_path, monkeypatch):
    return crear_app_completa(tmp_path, monkeypatch).server.test_client()


def _partes(html: str) -> dict:
    return {
        "titulo": re.search(r"<title>(.*?)</title>", html).group(1),
        "robots": 'name="robots" content="noindex"' in html,
        "hojas": re.findall(
            r'<link rel="stylesheet" href="/assets/([a-z]+\.css)(?:\?m=[0-9.]+)?">', html
        ),
        "main": re.search(r'<main id="contenido" tabindex="-1" class="([^"]+)">', html).group(1),
        "saltar": '<a class="saltar" href="#contenido">Saltar al contenido</a>' in html,
    }


def test_pagina_publica_y_de_atencion_comparten_la_base(cliente):
    publica = cliente.post(
        "/reportar",
        data={"obra": "05096400004", "tipo": "obra_detenida", "descripcion": ""},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    atencion = cliente.get("/atencion/entrar").get_data(as_text=True)
    hojas = ["estilos.css", "paginas.css", "reportes.css"]
    assert _partes(publica) == {
        "titulo": "No se pudo enviar el reporte · Sigue el dinero Oaxaca",
        "robots": False,
        "hojas": hojas,
        "main": "contenido pagina-reporte",
        "saltar": True,
    }
    assert _partes(atencion) == {
        "titulo": "Entrar · Sigue el dinero Oaxaca",
        "robots": True,
        "hojas": hojas,
        "main": "contenido pagina-atencion",
        "saltar": True,
    }
    assert '<p class="marca"><a href="/">Sigue el dinero Oaxaca</a></p>' in publica
    assert '<p class="marca">Sigue el dinero Oaxaca · Atención de reportes</p>' in atencion
    assert "Atención de reportes" not in publica
    # sin sesión no hay botón «Salir»
    assert "Salir" not in atencion
