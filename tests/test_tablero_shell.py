"""Armazón del tablero sin navegador: páginas, enrutado, banda de versión, compresión, CLI."""

from __future__ import annotations

import gzip
import importlib
import json
import os
import re
import types
from datetime import date, datetime
from pathlib import Path

import brotli
import pandas as pd
import plotly.utils
import pytest

from almacen.versiones import Almacen
from tablero import cli
from tablero.app import armazon, crear_app, paginas_del_menu
from tablero.componentes import AVISO_EJEMPLO
from tablero.formato import fecha_larga

RUTAS = {
    "/": "Sigue el dinero",
    "/municipio": "Mi municipio",
    "/escuelas": "Escuelas: uniformes y útiles escolares",
    "/obras": "Obra pública",
    "/estacionamientos": "Estacionamientos para personas con discapacidad",
    "/datos": "Datos abiertos",
    "/metodologia": "Metodología",
    "/no-existe": "Página no encontrada",
}


def _publicar(raiz, fecha_corte="2025-09-30", ejemplo=True):
    return Almacen(raiz).crear_version(
        {"estacionamientos": (pd.DataFrame({"id": ["1"]}), None)},
        carga={
            "tipo": "estacionamientos",
            "archivo": "x.csv",
            "sha256": "0",
            "fecha_corte": fecha_corte,
            "ejemplo": ejemplo,
        },
    )


@pytest.fixture
def carpeta(tmp_path):
    raiz = tmp_path / "datos"
    _publicar(raiz)
    return raiz


@pytest.fixture
def app(carpeta):
    return crear_app(carpeta)


@pytest.fixture
def cliente(app):
    return app.server.test_client()


def _texto(arbol) -> str:
    """Todo el texto visible de un árbol de componentes (objeto Dash o JSON ya decodificado)."""
    if not isinstance(arbol, dict | list | str | int | float | type(None)):
        arbol = json.loads(json.dumps(arbol, cls=plotly.utils.PlotlyJSONEncoder))
    partes: list[str] = []

    def recorrer(nodo):
        if isinstance(nodo, str):
            partes.append(nodo)
        elif isinstance(nodo, int | float) and not isinstance(nodo, bool):
            partes.append(str(nodo))
        elif isinstance(nodo, list):
            for hijo in nodo:
                recorrer(hijo)
        elif isinstance(nodo, dict):
            recorrer(nodo.get("props", {}).get("children"))

    recorrer(arbol)
    return "".join(partes)


def _h1(arbol) -> list[str]:
    encontrados = []

    def recorrer(nodo):
        if isinstance(nodo, list):
            for hijo in nodo:
                recorrer(hijo)
        elif isinstance(nodo, dict):
            if nodo.get("type") == "H1":
                encontrados.append(_texto(nodo))
            recorrer(nodo.get("props", {}).get("children"))

    recorrer(arbol)
    return encontrados


def _enrutar(cliente, ruta: str) -> dict:
    """Pide al servidor el contenido de ``ruta`` como lo hace el navegador al navegar."""
    cliente.get("/")  # la primera petición registra el callback de enrutado de Dash Pages
    cuerpo = {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [
            {"id": "_pages_content", "property": "children"},
            {"id": "_pages_store", "property": "data"},
        ],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": ruta},
            {"id": "_pages_location", "property": "search", "value": ""},
        ],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [],
    }
    respuesta = cliente.post("/_dash-update-component", json=cuerpo)
    assert respuesta.status_code == 200, respuesta.data[:500]
    return respuesta.get_json()["response"]


def _banda_por_callback(cliente) -> str:
    cliente.get("/")
    cuerpo = {
        "output": "banda-version.children",
        "outputs": {"id": "banda-version", "property": "children"},
        "inputs": [{"id": "ubicacion", "property": "pathname", "value": "/obras"}],
        "changedPropIds": ["ubicacion.pathname"],
        "state": [],
    }
    respuesta = cliente.post("/_dash-update-component", json=cuerpo)
    assert respuesta.status_code == 200, respuesta.data[:500]
    return _texto(respuesta.get_json()["response"]["banda-version"]["children"])


# --- páginas y enrutado ---------------------------------------------------------------------


@pytest.mark.parametrize("ruta", list(RUTAS))
def test_cada_ruta_responde_200_con_html_en_espanol(cliente, ruta):
    respuesta = cliente.get(ruta)
    # una dirección que no es página responde 404, con la misma app (que dibuja la 404)
    assert respuesta.status_code == (404 if ruta == "/no-existe" else 200)
    html = respuesta.get_data(as_text=True)
    assert '<html lang="es">' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "<title>Sigue el dinero Oaxaca</title>" in html
    assert "Este tablero necesita JavaScript" in html


@pytest.mark.parametrize(("ruta", "encabezado"), list(RUTAS.items()))
def test_el_enrutador_entrega_el_h1_de_cada_pagina(cliente, ruta, encabezado):
    respuesta = _enrutar(cliente, ruta)
    assert _h1(respuesta["_pages_content"]["children"]) == [encabezado]


def test_la_404_tiene_titulo_y_enlace_al_inicio(cliente):
    respuesta = _enrutar(cliente, "/no-existe")
    contenido = respuesta["_pages_content"]["children"]
    assert "Volver al inicio" in _texto(contenido)
    assert '"href": "/"' in json.dumps(contenido)
    assert respuesta["_pages_store"]["data"] == {
        "title": "Página no encontrada · Sigue el dinero Oaxaca"
    }


def test_titulos_de_ventana(cliente):
    assert _enrutar(cliente, "/")["_pages_store"]["data"] == {"title": "Sigue el dinero Oaxaca"}
    assert _enrutar(cliente, "/obras")["_pages_store"]["data"] == {
        "title": "Obra pública · Sigue el dinero Oaxaca"
    }


def test_menu_desde_page_registry_en_orden(app):
    assert [(p["name"], p["path"]) for p in paginas_del_menu()] == [
        ("Inicio", "/"),
        ("Mi municipio", "/municipio"),
        ("Escuelas", "/escuelas"),
        ("Obras", "/obras"),
        ("Estacionamientos", "/estacionamientos"),
        ("Datos abiertos", "/datos"),
        ("Metodología", "/metodologia"),
    ]


def test_armazon_tiene_salto_menu_principal_y_pie(app):
    with app.server.test_request_context("/"):
        arbol = json.loads(json.dumps(armazon(), cls=plotly.utils.PlotlyJSONEncoder))
    hijos = arbol["props"]["children"]
    tipos = [h["type"] for h in hijos]
    assert tipos == ["Location", "A", "Header", "Section", "Main", "Footer"]
    salto = hijos[1]["props"]
    assert (salto["children"], salto["href"]) == ("Saltar al contenido", "#contenido")
    assert hijos[4]["props"]["id"] == "contenido"
    menu = json.dumps(hijos[2])
    assert '"aria-label": "Secciones"' in menu
    assert "Metodología" in _texto(hijos[2])


def test_paginas_sin_parametros_y_con_parametros_de_consulta(app):
    import dash

    for pagina in dash.page_registry.values():
        assert _h1(json.loads(json.dumps(pagina["layout"](), cls=plotly.utils.PlotlyJSONEncoder)))
        pagina["layout"](municipio="20067", anio="2024")  # una URL con filtros no la rompe


# --- banda de versión -----------------------------------------------------------------------


def test_banda_con_version_fecha_de_corte_y_aviso_de_ejemplo(app):
    with app.server.test_request_context("/"):
        texto = _texto(armazon())
    assert "Versión de los datos: v0001" in texto
    assert "Fecha de corte: 30 de septiembre de 2025" in texto
    assert AVISO_EJEMPLO == "Datos de ejemplo (sintéticos): no son cifras oficiales"
    assert AVISO_EJEMPLO in texto


def test_banda_se_calcula_en_cada_peticion(carpeta, cliente):
    assert "v0001" in _texto(cliente.get("/_dash-layout").get_json())
    _publicar(carpeta, fecha_corte="2025-12-31", ejemplo=False)
    # con la aplicación en marcha: la carga siguiente y la navegación ya ven la versión nueva
    texto = _texto(cliente.get("/_dash-layout").get_json())
    assert "Versión de los datos: v0002" in texto
    # la carga real de la misma fuente reemplazó a la de ejemplo: el aviso desaparece
    assert "Datos de ejemplo" not in texto
    assert "Fecha de corte: 31 de diciembre de 2025" in _banda_por_callback(cliente)


def test_banda_sin_aviso_si_no_es_ejemplo(tmp_path):
    _publicar(tmp_path, ejemplo=False)
    texto = _texto(crear_app(tmp_path).server.test_client().get("/_dash-layout").get_json())
    assert "Versión de los datos: v0001" in texto
    assert "Datos de ejemplo" not in texto


def test_banda_sin_fecha_de_corte(tmp_path):
    _publicar(tmp_path, fecha_corte=None, ejemplo=False)
    texto = _texto(crear_app(tmp_path).server.test_client().get("/_dash-layout").get_json())
    assert "Fecha de corte: sin dato" in texto


def test_almacen_vacio_no_rompe_el_tablero(tmp_path):
    cliente = crear_app(tmp_path / "vacio").server.test_client()
    respuesta = cliente.get("/_dash-layout")
    assert respuesta.status_code == 200
    assert "Todavía no hay datos publicados" in _texto(respuesta.get_json())
    assert _h1(_enrutar(cliente, "/")["_pages_content"]["children"]) == ["Sigue el dinero"]


def test_construir_la_app_no_lee_ni_crea_la_carpeta(tmp_path):
    raiz = tmp_path / "no-existe"
    app = crear_app(raiz)
    assert app.server.config["SIGUE_DATOS"] == str(raiz.resolve())
    assert not raiz.exists()


def test_dos_apps_en_un_proceso_sirven_cada_una_su_carpeta(tmp_path):
    _publicar(tmp_path / "a")
    _publicar(tmp_path / "b")
    _publicar(tmp_path / "b", fecha_corte="2025-10-31")
    cliente_a = crear_app(tmp_path / "a").server.test_client()
    cliente_b = crear_app(tmp_path / "b").server.test_client()
    assert "v0002" in _texto(cliente_b.get("/_dash-layout").get_json())
    assert "v0001" in _texto(cliente_a.get("/_dash-layout").get_json())
    for cliente in (cliente_a, cliente_b):
        salidas = [c["output"] for c in cliente.get("/_dash-dependencies").get_json()]
        assert len(salidas) == len(set(salidas)), "callbacks duplicados entre aplicaciones"


# --- compresión -----------------------------------------------------------------------------


def _un_script_de_dash(cliente) -> str:
    html = cliente.get("/").get_data(as_text=True)
    scripts = re.findall(r'src="(/_dash-component-suites/[^"]+\.js)"', html)
    assert scripts
    return scripts[0]


@pytest.mark.parametrize("tipo", ["layout", "dependencias", "script", "css"])
def test_respuestas_comprimidas_con_gzip(cliente, tipo):
    ruta = {
        "layout": "/_dash-layout",
        "dependencias": "/_dash-dependencies",
        "script": None,
        "css": "/assets/estilos.css",
    }[tipo] or _un_script_de_dash(cliente)
    sin = cliente.get(ruta)
    con = cliente.get(ruta, headers={"Accept-Encoding": "gzip"})
    assert con.status_code == 200
    assert con.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in con.headers["Vary"]
    assert gzip.decompress(con.get_data()) == sin.get_data()


def test_brotli_si_el_navegador_lo_acepta(cliente):
    sin = cliente.get("/_dash-layout")
    con = cliente.get("/_dash-layout", headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert con.headers["Content-Encoding"] == "br"
    assert brotli.decompress(con.get_data()) == sin.get_data()


# --- formato de fechas ----------------------------------------------------------------------


MESES = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
]


@pytest.mark.parametrize(("mes", "nombre"), list(enumerate(MESES, start=1)))
def test_fecha_larga_con_meses_en_espanol(mes, nombre):
    assert fecha_larga(f"2025-{mes:02d}-01") == f"1 de {nombre} de 2025"


@pytest.mark.parametrize(
    ("valor", "esperado"),
    [
        ("2025-09-30", "30 de septiembre de 2025"),
        ("2025-09-30T23:10:00+00:00", "30 de septiembre de 2025"),
        (date(2024, 2, 29), "29 de febrero de 2024"),
        (datetime(2024, 12, 1, 8, 0), "1 de diciembre de 2024"),
        (None, "sin dato"),
        ("", "sin dato"),
    ],
)
def test_fecha_larga_variantes(valor, esperado):
    assert fecha_larga(valor) == esperado


def test_fecha_larga_errores():
    with pytest.raises(ValueError, match=r"'valor' debe ser una fecha ISO .*'30/09/2025'"):
        fecha_larga("30/09/2025")
    with pytest.raises(TypeError, match="se recibió int"):
        fecha_larga(20250930)


# --- CLI y WSGI -----------------------------------------------------------------------------


@pytest.fixture
def carga_falsa(monkeypatch):
    """Sustituye la orden ``python -m ingesta ejemplo`` por una que publica una versión mínima."""
    llamadas = []

    def correr(orden, check=False):
        assert orden[1:5] == ["-m", "ingesta", "ejemplo", "--datos"]
        raiz = Path(orden[5])
        llamadas.append(raiz)
        _publicar(raiz)
        return types.SimpleNamespace(returncode=0)

    monkeypatch.setattr(cli.subprocess, "run", correr)
    return llamadas


def test_asegurar_datos_carga_el_ejemplo_solo_si_esta_vacio(tmp_path, carga_falsa):
    assert cli.asegurar_datos(tmp_path) is True
    assert cli.asegurar_datos(tmp_path) is False
    assert carga_falsa == [tmp_path]


def test_main_produccion(tmp_path, carga_falsa, monkeypatch, capsys):
    servidas = []
    monkeypatch.setattr(cli, "servir_produccion", lambda *a: servidas.append(a))
    monkeypatch.setenv("SIGUE_DATOS", str(tmp_path / "otra"))  # main la cambia; se restaura
    codigo = cli.main(["--datos", str(tmp_path), "--puerto", "8123", "--trabajadores", "3"])
    assert codigo == 0
    assert servidas == [(tmp_path.resolve(), "127.0.0.1", 8123, 3)]
    assert carga_falsa == [tmp_path.resolve()]
    assert os.environ["SIGUE_DATOS"] == str(tmp_path.resolve())
    salida = capsys.readouterr().out
    assert "cargando los datos de ejemplo" in salida
    assert "Sigue el dinero Oaxaca en http://127.0.0.1:8123/ (3 procesos" in salida


def test_main_desarrollo(tmp_path, carga_falsa, monkeypatch, capsys):
    import dash

    corridas = []
    monkeypatch.setattr(dash.Dash, "run", lambda self, **opciones: corridas.append(opciones))
    monkeypatch.setenv("SIGUE_DATOS", str(tmp_path / "otra"))
    assert cli.main(["--datos", str(tmp_path), "--desarrollo", "--anfitrion", "0.0.0.0"]) == 0
    assert corridas == [{"host": "0.0.0.0", "port": 8050, "debug": True}]
    assert "http://127.0.0.1:8050/ (desarrollo" in capsys.readouterr().out


def test_main_error_de_carga_sale_con_1(tmp_path, monkeypatch, capsys):
    # La ingesta (otro proceso) ya escribió su mensaje; el tablero dice que no pudo y sale con 1.
    monkeypatch.setattr(
        cli.subprocess, "run", lambda orden, check=False: types.SimpleNamespace(returncode=1)
    )
    assert cli.main(["--datos", str(tmp_path)]) == 1
    assert (
        f"Error: No se pudieron cargar los datos de ejemplo en {tmp_path}"
        in capsys.readouterr().err
    )


@pytest.mark.parametrize(
    ("argumentos", "mensaje"),
    [
        (["--puerto", "0"], "--puerto debe estar entre 1 y 65535; se recibió 0"),
        (["--trabajadores", "dos"], "--trabajadores debe ser un número entero; se recibió 'dos'"),
    ],
)
def test_main_argumentos_invalidos(argumentos, mensaje, capsys):
    with pytest.raises(SystemExit) as salida:
        cli.main(argumentos)
    assert salida.value.code == 2
    assert mensaje in capsys.readouterr().err


def test_gunicorn_configurado_sin_arrancar(carpeta):
    aplicacion = cli._AplicacionGunicorn(
        carpeta, {"bind": "127.0.0.1:8123", "workers": 3, "worker_class": "gthread"}
    )
    assert aplicacion.cfg.bind == ["127.0.0.1:8123"]
    assert aplicacion.cfg.workers == 3
    servidor = aplicacion.load()
    assert servidor.config["SIGUE_DATOS"] == str(carpeta)
    assert servidor.test_client().get("/").status_code == 200


def test_wsgi_lee_sigue_datos(carpeta, monkeypatch):
    monkeypatch.setenv("SIGUE_DATOS", str(carpeta))
    wsgi = importlib.reload(importlib.import_module("tablero.wsgi"))
    assert wsgi.server is wsgi.app.server
    assert wsgi.server.config["SIGUE_DATOS"] == str(carpeta)
    assert "v0001" in _texto(wsgi.server.test_client().get("/_dash-layout").get_json())
