"""Preparar una versión (``tablero.preparar``): las cachés de las páginas caras, antes de la
primera visita."""

from __future__ import annotations

import threading

from tablero import preparar as modulo
from tablero.app import crear_app
from tablero.paginas import modulo_de


def test_preparar_arma_las_paginas_caras_y_deja_sus_calculos_en_la_version(raiz_ejemplo):
    import capas
    from almacen.versiones import Almacen

    app = crear_app(raiz_ejemplo)
    app.server.test_client().get("/")  # Dash termina de armarse (registra las páginas)
    capas.limpiar_cache()
    assert modulo.preparar(app) == ["/", "/obras", "/escuelas"]
    datos = capas.datos_de(Almacen(raiz_ejemplo).version())
    # lo que /obras arma una vez por versión ya está (las opciones de sus filtros)
    llamadas = []
    datos.memo(("tablero", "obras", "publicados"), lambda: llamadas.append(1))
    assert llamadas == []


def test_un_error_al_preparar_no_tumba_nada(raiz_ejemplo, monkeypatch, caplog):
    app = crear_app(raiz_ejemplo)
    app.server.test_client().get("/")
    obras = modulo_de("/obras")

    def falla(**_):
        raise RuntimeError("capa rota")

    monkeypatch.setattr(obras, "layout", falla)
    assert modulo.preparar(app) == ["/", "/escuelas"]
    assert "No se pudo preparar /obras" in caplog.text


def test_cada_version_nueva_se_prepara_una_vez_en_otro_hilo(monkeypatch):
    preparadas = []
    listo = threading.Event()

    def anotar(app):
        preparadas.append(app)
        listo.set()

    monkeypatch.setattr(modulo, "preparar", anotar)
    preparador = modulo.Preparador("app")
    # la primera versión que ve el proceso ya la preparó el arranque (o la visita)
    assert preparador.ver("v0001") is None
    assert preparador.ver("v0001") is None
    assert preparador.ver(None) is None
    hilo = preparador.ver("v0002")
    assert hilo is not None and hilo.daemon
    hilo.join(5)
    assert listo.is_set() and preparadas == ["app"]
    assert preparador.ver("v0002") is None
    assert preparadas == ["app"]


def test_el_tablero_prepara_en_otro_hilo_la_version_publicada_en_marcha(
    tmp_path, monkeypatch, raiz_ejemplo
):
    import shutil

    from almacen.versiones import Almacen

    raiz = shutil.copytree(raiz_ejemplo, tmp_path / "datos")
    vistas = []
    monkeypatch.setattr(modulo, "preparar", lambda app: vistas.append(app))
    app = crear_app(raiz)
    cliente = app.server.test_client()
    assert cliente.get("/_dash-layout").status_code == 200
    actual = Almacen(raiz).id_actual()
    anterior = sorted(p.name for p in (raiz / "versiones").iterdir() if p.name != actual)[-1]
    (raiz / "ACTUAL").write_text(anterior + "\n")  # otra versión publicada (la anterior)
    assert cliente.get("/_dash-layout").status_code == 200
    for hilo in threading.enumerate():
        if hilo.name.startswith("preparar-"):
            hilo.join(5)
    assert vistas == [app]
