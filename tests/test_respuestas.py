"""Respuestas guardadas (``tablero.respuestas``): qué se guarda, con qué clave y qué nunca.

Una aplicación Dash mínima cuenta cuántas veces corre cada callback: una respuesta guardada
no vuelve a correrlo y sale idéntica, byte a byte.
"""

from __future__ import annotations

import gzip
import json
import threading

import brotli
import dash
import pytest
from dash import Input, Output, dcc, html
from sqlalchemy import create_engine, text

from tablero import respuestas

CUERPO = {
    "output": "salida.children",
    "outputs": {"id": "salida", "property": "children"},
    "inputs": [{"id": "entrada", "property": "value", "value": "a"}],
    "changedPropIds": ["entrada.value"],
    "state": [],
}


def _cuerpo(valor="a", salida="salida") -> bytes:
    cuerpo = json.loads(json.dumps(CUERPO))
    cuerpo["output"] = f"{salida}.children"
    cuerpo["outputs"]["id"] = salida
    cuerpo["inputs"][0]["value"] = valor
    return json.dumps(cuerpo).encode()


@pytest.fixture
def montaje(tmp_path, monkeypatch):
    """Aplicación con un callback puro, uno sin marcar, uno puro que abre una base y uno lento."""
    monkeypatch.delenv(respuestas.VARIABLE_MB, raising=False)
    app = dash.Dash(__name__)
    app.layout = html.Div(
        [dcc.Input(id="entrada")]
        + [html.Div(id=i) for i in ("salida", "otra", "base", "lenta", "error")]
    )
    cuentas = {"salida": 0, "otra": 0, "base": 0, "lenta": 0, "error": 0}
    version = {"id": "v0001"}
    motor = create_engine(f"sqlite:///{tmp_path / 'reportes.sqlite'}")
    puerta = threading.Event()

    @app.callback(Output("salida", "children"), Input("entrada", "value"))
    @respuestas.pura
    def salida(valor):
        cuentas["salida"] += 1
        return f"{valor}-{cuentas['salida']}-{version['id']}" + "x" * 2000

    @app.callback(Output("otra", "children"), Input("entrada", "value"))
    def otra(valor):
        cuentas["otra"] += 1
        return f"{valor}-{cuentas['otra']}"

    @app.callback(Output("base", "children"), Input("entrada", "value"))
    @respuestas.pura
    def base(valor):
        cuentas["base"] += 1
        with motor.connect() as conexion:  # como leer los reportes ciudadanos
            conexion.execute(text("select 1"))
        return f"{valor}-{cuentas['base']}"

    @app.callback(Output("lenta", "children"), Input("entrada", "value"))
    @respuestas.pura
    def lenta(valor):
        cuentas["lenta"] += 1
        puerta.wait(10)
        return f"{valor}-{cuentas['lenta']}"

    @app.callback(Output("error", "children"), Input("entrada", "value"))
    @respuestas.pura
    def error(valor):
        cuentas["error"] += 1
        if valor == "nada":
            raise dash.exceptions.PreventUpdate
        raise ValueError("falla")

    guardadas = respuestas.instalar(app.server, lambda: version["id"])
    return app, app.server.test_client(), cuentas, version, guardadas, puerta


def _pedir(cliente, cuerpo: bytes, consulta: str = "", codificacion: str = "br"):
    return cliente.post(
        "/_dash-update-component" + consulta,
        data=cuerpo,
        content_type="application/json",
        headers={"Accept-Encoding": codificacion},
    )


def _texto(respuesta) -> str:
    cuerpo = respuesta.get_data()
    if respuesta.headers.get("Content-Encoding") == "br":
        cuerpo = brotli.decompress(cuerpo)
    elif respuesta.headers.get("Content-Encoding") == "gzip":
        cuerpo = gzip.decompress(cuerpo)
    return json.loads(cuerpo)["response"]["salida"]["children"]


def test_la_segunda_peticion_igual_no_corre_el_callback_y_sale_identica(montaje):
    _app, cliente, cuentas, _version, guardadas, _ = montaje
    primera = _pedir(cliente, _cuerpo("a"))
    segunda = _pedir(cliente, _cuerpo("a"))
    assert primera.status_code == segunda.status_code == 200
    assert cuentas["salida"] == 1
    assert segunda.get_data() == primera.get_data()
    assert _texto(segunda).startswith("a-1-v0001")
    assert respuestas.CABECERA not in primera.headers
    assert respuestas.CABECERA not in segunda.headers
    # la guardada conserva sus cabeceras (compresión y seguridad de la aplicación)
    assert segunda.headers.get("Content-Encoding") == primera.headers.get("Content-Encoding")
    assert guardadas.aciertos == 1


def test_otro_cuerpo_otra_version_u_otra_codificacion_se_arman_de_nuevo(montaje):
    _app, cliente, cuentas, version, _guardadas, _ = montaje
    _pedir(cliente, _cuerpo("a"))
    assert _texto(_pedir(cliente, _cuerpo("b"))).startswith("b-2-v0001")
    version["id"] = "v0002"  # versión nueva publicada: las claves cambian
    assert _texto(_pedir(cliente, _cuerpo("a"))).startswith("a-3-v0002")
    gz = _pedir(cliente, _cuerpo("a"), codificacion="gzip")
    assert gz.headers.get("Content-Encoding") != "br"
    assert _texto(gz).startswith("a-4-v0002")
    assert cuentas["salida"] == 4
    # y cada una, pedida otra vez, sale de la memoria
    for valor, codificacion in (("a", "br"), ("b", "br"), ("a", "gzip")):
        _pedir(cliente, _cuerpo(valor), codificacion=codificacion)
    assert cuentas["salida"] == 4 + 1  # ("b", v0002) no se había pedido


def test_la_consulta_entra_en_la_clave_menos_endid(montaje):
    _app, cliente, cuentas, _version, _guardadas, _ = montaje
    _pedir(cliente, _cuerpo("a"), "?endId=uno")
    _pedir(cliente, _cuerpo("a"), "?endId=dos")  # otra carga de página: la misma respuesta
    assert cuentas["salida"] == 1
    _pedir(cliente, _cuerpo("a"), "?entidad=07&endId=tres")  # lo leen los títulos: aparte
    assert cuentas["salida"] == 2


def test_lo_no_marcado_lo_que_abre_la_base_y_lo_que_no_es_200_nunca_se_guarda(montaje):
    _app, cliente, cuentas, _version, guardadas, _ = montaje
    for _ in range(2):
        assert _pedir(cliente, _cuerpo("a", "otra")).status_code == 200
        assert _pedir(cliente, _cuerpo("a", "base")).status_code == 200
        assert _pedir(cliente, _cuerpo("nada", "error")).status_code == 204
        assert _pedir(cliente, _cuerpo("a", "error")).status_code == 500
    assert cuentas == {"salida": 0, "otra": 2, "base": 2, "lenta": 0, "error": 4}
    assert len(guardadas.memoria) == 0


def test_varias_peticiones_iguales_a_la_vez_arman_una_sola_respuesta(montaje):
    _app, _cliente, cuentas, _version, _guardadas, puerta = montaje
    app = montaje[0]
    resultados = []

    def pedir():
        resultados.append(_pedir(app.server.test_client(), _cuerpo("a", "lenta")).get_data())

    # la espera solo vale para salidas que ya se guardaron alguna vez (una no pura no espera)
    puerta.set()
    _pedir(app.server.test_client(), _cuerpo("b", "lenta"))
    puerta.clear()
    assert cuentas["lenta"] == 1
    hilos = [threading.Thread(target=pedir) for _ in range(4)]
    for hilo in hilos:
        hilo.start()
    # las cuatro están dentro: una corre el callback, las otras esperan su turno
    for _ in range(200):
        if cuentas["lenta"] == 2:
            break
        threading.Event().wait(0.01)
    threading.Event().wait(0.2)  # las otras tres ya esperan
    puerta.set()
    for hilo in hilos:
        hilo.join(10)
    assert cuentas["lenta"] == 2
    assert len(resultados) == 4 and len(set(resultados)) == 1


def test_armazon_y_dependencias_se_guardan_y_las_condicionales_pasan(montaje):
    app, cliente, _cuentas, _version, guardadas, _ = montaje
    llamadas = []

    @respuestas.pura
    def armazon():
        llamadas.append(1)
        return html.Div(id="armazon")

    app.layout = armazon
    primera = cliente.get("/_dash-layout")
    antes = len(llamadas)  # Dash lo llama también al asignarlo y al validar
    assert cliente.get("/_dash-dependencies").status_code == 200
    segunda = cliente.get("/_dash-layout")
    assert cliente.get("/_dash-dependencies").status_code == 200
    assert segunda.get_data() == primera.get_data()
    assert len(llamadas) == antes
    assert len(guardadas.memoria) == 2
    # una petición condicional va siempre a Dash
    cliente.get("/_dash-layout", headers={"If-None-Match": '"x"'})
    assert len(llamadas) > antes


def test_con_tamano_cero_no_hay_memoria(monkeypatch):
    monkeypatch.setenv(respuestas.VARIABLE_MB, "0")
    app = dash.Dash(__name__)
    app.layout = html.Div()
    original = app.server.wsgi_app
    assert respuestas.instalar(app.server, lambda: "v0001") is None
    assert app.server.wsgi_app == original
    monkeypatch.setenv(respuestas.VARIABLE_MB, "no-es-numero")
    assert respuestas.megabytes() == respuestas.MB_OMISION


def test_la_memoria_tiene_tope_en_bytes(montaje, monkeypatch):
    _app, cliente, _cuentas, _version, guardadas, _ = montaje
    tope = 3 * 4096
    guardadas.memoria = type(guardadas.memoria)(maxsize=tope, getsizeof=respuestas._tamano)
    for i in range(20):
        _pedir(cliente, _cuerpo(f"v{i}"), codificacion="identity")
    assert 0 < len(guardadas.memoria) < 20
    assert guardadas.memoria.currsize <= tope


# --- En el tablero: las páginas y callbacks marcados, y la ficha con reportes ---------------

OBRA = "05096400004"  # obra publicada en tests/ayuda_reportes.py (OPA 2016)


def _pedir_pagina(app, cliente, ruta: str, busqueda: str):
    """El callback de Dash que arma una página (``_pages_content``), como lo manda el navegador."""
    clave = next(k for k in app.callback_map if "_pages_content" in k)
    registro = app.callback_map[clave]
    valores = {"pathname": ruta, "search": busqueda}

    def entrada(dependencia):
        propiedad = dependencia["property"]
        return {**dependencia, "value": valores.get(propiedad)}

    cuerpo = {
        "output": clave,
        "outputs": [
            {"id": s.split(".")[0], "property": s.split(".")[1]}
            for s in clave.strip(".").split("...")
        ],
        "inputs": [entrada(d) for d in registro["inputs"]],
        "changedPropIds": [f"{d['id']}.{d['property']}" for d in registro["inputs"]],
        "state": [entrada(d) for d in registro["state"]],
    }
    respuesta = cliente.post(
        "/_dash-update-component", data=json.dumps(cuerpo), content_type="application/json"
    )
    assert respuesta.status_code == 200, respuesta.get_data(as_text=True)[:300]
    return respuesta.get_data(as_text=True)


def test_en_el_tablero_la_pagina_se_guarda_pero_la_ficha_con_reportes_no(tmp_path, monkeypatch):
    from tests.ayuda_reportes import crear_app_completa

    monkeypatch.delenv(respuestas.VARIABLE_MB, raising=False)
    app = crear_app_completa(tmp_path, monkeypatch)
    cliente = app.server.test_client()
    assert cliente.get("/obras").status_code == 200  # Dash termina de armarse
    guardadas = app.server.extensions["sigue_respuestas"]

    # /obras sin obra elegida: depende solo de la versión y de la dirección
    primera = _pedir_pagina(app, cliente, "/obras", "")
    assert _pedir_pagina(app, cliente, "/obras", "") == primera
    assert guardadas.aciertos == 1

    # con ?folio= la ficha lee la base de reportes: cada vez se arma, y un reporte nuevo sale
    ficha = _pedir_pagina(app, cliente, "/obras", f"?folio={OBRA}")
    assert "Nadie trabaja desde marzo" not in ficha
    creado = cliente.post(
        "/api/reportes",
        json={"obra": OBRA, "tipo": "obra_detenida", "descripcion": "Nadie trabaja desde marzo"},
    )
    assert creado.status_code == 201
    folio = creado.get_json()["folio"]
    otra = _pedir_pagina(app, cliente, "/obras", f"?folio={OBRA}")
    assert folio in otra
    assert guardadas.aciertos == 1


def test_la_marca_es_de_la_peticion_no_de_lo_que_dash_llama_al_armarse(monkeypatch):
    """En su primera petición Dash llama al layout (puro) al validar: un callback no puro de
    esa misma petición no se guarda."""
    monkeypatch.delenv(respuestas.VARIABLE_MB, raising=False)
    app = dash.Dash(__name__)
    app.layout = respuestas.pura(lambda: html.Div([dcc.Input(id="entrada"), html.Div(id="otra")]))
    cuentas = []

    @app.callback(Output("otra", "children"), Input("entrada", "value"))
    def otra(valor):
        cuentas.append(valor)
        return str(len(cuentas))

    respuestas.instalar(app.server, lambda: "v0001")
    cliente = app.server.test_client()
    for _ in range(3):
        assert _pedir(cliente, _cuerpo("a", "otra")).status_code == 200
    assert len(cuentas) == 3


def test_una_respuesta_mayor_que_la_memoria_sale_bien_y_no_se_guarda(montaje):
    _app, cliente, cuentas, _version, guardadas, _ = montaje
    guardadas.memoria = type(guardadas.memoria)(maxsize=1000, getsizeof=respuestas._tamano)
    for _ in range(2):
        respuesta = _pedir(cliente, _cuerpo("a"), codificacion="identity")
        assert respuesta.status_code == 200
        assert _texto(respuesta).startswith("a-")
    assert cuentas["salida"] == 2 and len(guardadas.memoria) == 0


def test_cabeceras_y_consultas_inventadas_no_multiplican_las_claves(montaje):
    _app, cliente, cuentas, _version, guardadas, _ = montaje
    for i in range(5):
        _pedir(cliente, _cuerpo("a"), f"?x={i}&endId={i}", codificacion=f"br, gzip, inventada{i}")
        _pedir(cliente, _cuerpo("a"), codificacion=f"gzip;q=0.{i + 1}, br")
    assert cuentas["salida"] == 1 and len(guardadas.memoria) == 1
    # quien no acepta brotli (q=0) tiene su propia clave: nunca recibe la guardada en brotli
    solo_gzip = _pedir(cliente, _cuerpo("a"), codificacion="br;q=0, gzip")
    assert _texto(solo_gzip).startswith("a-2-")
    assert respuestas._codificaciones("br;q=0, gzip, x") == "gzip"
    assert respuestas._codificaciones("GZIP;q=0.5, br, zstd;q=x") == "br,gzip"


def test_con_la_base_de_reportes_caida_la_ficha_no_se_guarda(tmp_path, monkeypatch):
    """Si la base no responde, la ficha dice que los reportes no están disponibles, y esa
    página no se guarda: cuando la base vuelve, la siguiente petición ya los muestra."""
    from sqlalchemy.exc import OperationalError

    from tablero.reportes import bd
    from tests.ayuda_reportes import crear_app_completa

    monkeypatch.delenv(respuestas.VARIABLE_MB, raising=False)
    app = crear_app_completa(tmp_path, monkeypatch)
    cliente = app.server.test_client()
    assert cliente.get("/obras").status_code == 200
    guardadas = app.server.extensions["sigue_respuestas"]
    original = bd.sesiones

    def caida(_url):
        raise OperationalError("connect", None, ConnectionRefusedError())

    monkeypatch.setattr(bd, "sesiones", caida)
    primera = _pedir_pagina(app, cliente, "/obras", f"?folio={OBRA}")
    monkeypatch.setattr(bd, "sesiones", original)
    segunda = _pedir_pagina(app, cliente, "/obras", f"?folio={OBRA}")
    assert guardadas.aciertos == 0
    assert primera != segunda
