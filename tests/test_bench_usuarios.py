"""Piezas de ``benchmarks/usuarios.py`` (la prueba de carga): percentiles, oleadas, filtros,
solo 127.0.0.1 y la repetición contra un servidor HTTP mínimo en un puerto libre."""

from __future__ import annotations

import importlib.util
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

_ruta = Path(__file__).resolve().parents[1] / "benchmarks" / "usuarios.py"
_spec = importlib.util.spec_from_file_location("bench_usuarios", _ruta)
usuarios = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = usuarios  # las dataclasses buscan su módulo aquí
_spec.loader.exec_module(usuarios)


def test_percentil_por_rango_mas_cercano():
    valores = [float(i) for i in range(1, 101)]
    assert [usuarios._percentil(valores, p) for p in (50, 95, 99)] == [50.0, 95.0, 99.0]
    diez = [float(i) for i in range(1, 11)]
    # rango ceil(0.95 * 10) = 10 -> el mayor; ceil(0.5 * 10) = 5
    assert (usuarios._percentil(diez, 50), usuarios._percentil(diez, 95)) == (5.0, 10.0)
    assert usuarios._percentil([7.0], 99) == 7.0


def _peticion(espera: int, ruta: str = "/") -> usuarios.Peticion:
    return usuarios.Peticion("t", "GET", ruta, {}, None, espera)


def test_oleadas_agrupan_lo_que_el_navegador_mando_a_la_vez():
    accion = usuarios.Accion("carga /", [_peticion(e) for e in (-1, 0, 0, 1, 1, 3)])
    assert [len(o) for o in accion.oleadas()] == [1, 2, 2, 1]


def test_otro_valor_de_un_filtro():
    opciones = [{"label": "A", "value": "a"}, {"label": "B", "value": "b"}, "c"]
    assert usuarios._otro_valor({"value": "b", "options": opciones}) == "c"
    assert usuarios._otro_valor({"value": "c", "options": opciones}) == "a"
    assert usuarios._otro_valor({"value": None, "options": opciones}) == "a"
    assert usuarios._otro_valor({"value": ["a"], "options": opciones}) == ["b"]
    deshabilitada = [{"value": 1}, {"value": 2, "disabled": True}, {"value": 3}]
    assert usuarios._otro_valor({"value": 1, "options": deshabilitada}) == 3


def test_solo_servidores_locales():
    assert usuarios._solo_local("http://localhost:8207/obras") == "http://127.0.0.1:8207"
    assert usuarios._solo_local("http://127.0.0.1:8217") == "http://127.0.0.1:8217"
    for url in ("http://10.0.0.5:8050", "https://127.0.0.1:8050", "http://ejemplo.mx:80"):
        with pytest.raises(SystemExit):
            usuarios._solo_local(url)


class _Manejador(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _responder(self):
        largo = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(largo)
        estado = {"/bien": 200, "/igual": 304, "/mal": 500, "/vacio": 204}[self.path]
        cuerpo = b"" if estado in (204, 304) else b"hola"
        self.send_response(estado)
        if estado not in (204, 304):
            self.send_header("Content-Length", str(len(cuerpo)))
        self.end_headers()
        self.wfile.write(cuerpo)

    do_GET = do_POST = _responder

    def log_message(self, *args):
        pass


def test_repetir_cuenta_peticiones_y_errores_exactos():
    servidor = ThreadingHTTPServer(("127.0.0.1", 0), _Manejador)
    hilo = threading.Thread(target=servidor.serve_forever, daemon=True)
    hilo.start()
    try:
        url = f"http://127.0.0.1:{servidor.server_address[1]}"
        acciones = [
            usuarios.Accion(
                "carga /",
                [
                    usuarios.Peticion("página /", "GET", "/bien", {}, None, -1),
                    usuarios.Peticion("callback /", "POST", "/vacio", {}, b"{}", 0),
                    usuarios.Peticion("callback /", "POST", "/igual", {}, b"{}", 0),
                ],
            ),
            usuarios.Accion("descarga", [usuarios.Peticion("descarga", "GET", "/mal", {}, None)]),
        ]
        resultado = usuarios.repetir(url, acciones, usuarios=3, iteraciones=2, duracion=60)
    finally:
        servidor.shutdown()
        servidor.server_close()
    # 3 usuarios x 2 vueltas x 4 peticiones; solo el 500 de la descarga es error
    assert (resultado["iteraciones_completas"], resultado["peticiones"]) == (6, 24)
    assert (resultado["errores"], resultado["estados_con_error"]) == (6, ["500"])
    tipos = resultado["tipos"]
    assert {t: (f["n"], f["errores"]) for t, f in tipos.items()} == {
        "página /": (6, 0),
        "callback /": (12, 0),
        "descarga": (6, 6),
        "acción: carga /": (6, 0),
        "acción: descarga": (6, 6),
    }


def test_salidas_cortas_de_un_callback():
    assert usuarios.salidas_cortas("banda-version.children") == "banda-version"
    assert usuarios.salidas_cortas("..mapa.figure@0a1b2c..") == "mapa"
    assert (
        usuarios.salidas_cortas(".._pages_content.children..._pages_store.data..")
        == "_pages_content+_pages_store"
    )
    assert usuarios.salidas_cortas("..a.href...b.href...c.href...a.title..") == "a+b+1 más"
