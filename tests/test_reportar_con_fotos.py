"""Fotos en los reportes de ``/estacionamientos``: el formulario de Dash lleva a
``/reportar?estacionamiento=<id>``, que muestra el formulario HTML con fotos de las fichas
(``POST /reportar``, validación de :mod:`tablero.reportes.fotos`).

Decisión: las fotos no viajan por el callback de Dash (base64 de hasta 15 MB en el JSON del
callback, cuyo límite es 1 MB, y sin lugar en la cola sin conexión del teléfono).
Datos: ``tests/ayuda_reportes.py`` (cajones ``EST-001`` y ``EST-002``).
"""

from __future__ import annotations

import importlib
import io
import re

import pytest

from tablero.reportes import formulario
from tablero.reportes.servicio import TIPOS_CAJON
from tests import ayuda_paginas as ayuda
from tests.ayuda_reportes import crear_app_completa
from tests.test_reportes_fotos import jpeg_cortado, png

CAJON = "EST-001"


@pytest.fixture()
def app(tmp_path, monkeypatch):
    return crear_app_completa(tmp_path, monkeypatch)


@pytest.fixture()
def cliente(app):
    return app.server.test_client()


def _texto(arbol) -> str:
    return " ".join(ayuda.texto(arbol).split())


def _enviar(cliente, *archivos, **campos):
    datos = {
        "estacionamiento_id": CAJON,
        "tipo": "danado",
        "descripcion": "Rampa rota",
        "volver": f"/reportar?estacionamiento={CAJON}",
        **campos,
    }
    datos["fotos"] = [(io.BytesIO(contenido), nombre) for nombre, contenido in archivos]
    return cliente.post("/reportar", data=datos, content_type="multipart/form-data")


def _fotos_guardadas(app) -> list[str]:
    from tablero.reportes.modelo import Foto

    with app.server.test_request_context():
        from tablero.reportes import web

        return [f.estado for f in web.sesion().query(Foto).order_by(Foto.id)]


def test_formulario_de_dash_lleva_al_de_fotos_del_espacio_elegido():
    assert _texto(formulario.enlace_fotos(None)) == (
        "¿Quiere enviar fotos (hasta 3, JPEG, PNG o WebP de hasta 5 MB cada una)? "
        "Elija primero un espacio en el mapa o la tabla."
    )
    elegido = formulario.enlace_fotos(CAJON)
    assert _texto(elegido) == (
        "¿Quiere enviar fotos (hasta 3, JPEG, PNG o WebP de hasta 5 MB cada una)? Este "
        f"formulario no las lleva: reporte el espacio {CAJON} con fotos ."
    )
    (enlace,) = ayuda.componentes(elegido, "Link")
    assert enlace["props"]["href"] == f"/reportar?estacionamiento={CAJON}"
    # un identificador con caracteres especiales no rompe la dirección
    (raro,) = ayuda.componentes(formulario.enlace_fotos("A&B C"), "Link")
    assert raro["props"]["href"] == "/reportar?estacionamiento=A%26B%20C"
    # está en la sección del formulario desde el principio
    seccion = formulario.seccion(CAJON)
    assert ayuda.por_id(seccion, formulario.ID["fotos"])["props"]["children"][1]["props"][
        "href"
    ] == (f"/reportar?estacionamiento={CAJON}")


def test_al_elegir_un_espacio_el_formulario_actualiza_el_enlace_a_fotos(app):
    pagina = importlib.import_module("paginas.estacionamientos")
    with app.server.test_request_context():
        lugar, abierto, fotos = pagina.lugar_del_reporte("EST-002")
        _, abierto_sin, sin_espacio = pagina.lugar_del_reporte(None)
    assert abierto is False and abierto_sin is True
    (enlace,) = ayuda.componentes(fotos, "Link")
    assert enlace["props"]["href"] == "/reportar?estacionamiento=EST-002"
    assert "Elija primero un espacio" in _texto(sin_espacio)


def test_pagina_reportar_muestra_el_formulario_con_fotos_del_cajon(app, cliente):
    pagina = importlib.import_module("paginas.reportar")
    assert cliente.get(f"/reportar?estacionamiento={CAJON}").status_code == 200
    with app.server.test_request_context(f"/reportar?estacionamiento={CAJON}"):
        arbol = pagina.layout(estacionamiento=CAJON)
    texto = _texto(arbol)
    assert "Reportar un problema con fotos" in texto
    assert "Reportar un problema en este cajón de estacionamiento" in texto
    (form,) = ayuda.componentes(arbol, "Form")
    # títulos en orden: <h1> de la página y <h2> del formulario
    assert [c["type"] for c in ayuda.componentes(arbol) if c["type"][:1] == "H"] == ["H1", "H2"]
    props = form["props"]
    assert (props["action"], props["method"], props["encType"]) == (
        "/reportar",
        "post",
        "multipart/form-data",
    )
    entradas = {
        (c["props"].get("name"), c["props"].get("value")) for c in ayuda.componentes(form, "Input")
    }
    assert entradas == {
        ("estacionamiento_id", CAJON),
        ("volver", f"/reportar?estacionamiento={CAJON}"),
        ("contacto", None),
    }
    (tipo,) = ayuda.componentes(form, "Select")
    assert [o["props"]["value"] for o in ayuda.componentes(tipo, "Option")] == ["", *TIPOS_CAJON]
    marcas = [c["props"]["data-campo-fotos"] for c in ayuda.componentes(form, "Div")
              if "data-campo-fotos" in c["props"]]  # fmt: skip
    assert marcas == ["reportar-cajon-fotos"]  # el <input type=file> de reportes_fotos.js
    (volver,) = ayuda.componentes(arbol, "Link")
    assert volver["props"]["href"] == f"/estacionamientos?espacio={CAJON}"
    assert volver["props"]["children"] == f"← Volver al cajón {CAJON}"


def test_pagina_reportar_sin_objeto_o_con_uno_que_no_existe(app):
    pagina = importlib.import_module("paginas.reportar")
    with app.server.test_request_context("/reportar"):
        vacia = pagina.layout()
        inexistente = pagina.layout(estacionamiento="EST-999")
    assert ayuda.componentes(vacia, "Form") == []
    assert "Elija primero qué quiere reportar:" in _texto(vacia)
    assert "No encontramos el cajón «EST-999»." in _texto(inexistente)
    assert ayuda.componentes(inexistente, "Form") == []
    assert [e["props"]["href"] for e in ayuda.componentes(vacia, "Link")] == [
        "/estacionamientos",
        "/obras",
        "/escuelas",
    ]


@pytest.mark.parametrize(
    ("archivos", "estado", "mensaje"),
    [
        (
            [("rampa.jpg", png())],
            400,
            "El archivo «rampa.jpg» dice ser JPEG por su extensión, pero su contenido es PNG",
        ),
        ([("rampa.jpg", jpeg_cortado())], 400, "La foto «rampa.jpg» está dañada o incompleta"),
        ([("notas.txt", b"hola")], 400, "La foto «notas.txt» no es JPEG, PNG ni WebP"),
        ([(f"f{i}.png", png()) for i in range(4)], 400, "Se aceptan hasta 3 fotos por reporte"),
    ],
)
def test_foto_invalida_del_cajon_se_explica_en_espanol_sin_reporte(
    app, cliente, archivos, estado, mensaje
):
    r = _enviar(cliente, *archivos)
    pagina = r.get_data(as_text=True)
    assert r.status_code == estado
    assert mensaje in pagina and 'role="alert"' in pagina
    # «Volver y corregir» regresa al formulario con fotos del mismo cajón
    assert f'href="/reportar?estacionamiento={CAJON}"' in pagina
    assert _fotos_guardadas(app) == []
    assert cliente.get("/descargas/reportes.csv").get_data(as_text=True).count("\n") == 1


def test_envio_demasiado_grande_es_413_con_mensaje(cliente):
    r = _enviar(cliente, ("a.jpg", b"\xff" * (16 * 1024 * 1024)))
    assert r.status_code == 413
    assert "El envío pasa de 15 MB" in r.get_data(as_text=True)


def test_fotos_validas_del_cajon_quedan_en_revision_y_llevan_al_folio(app, cliente):
    r = _enviar(cliente, ("rampa.png", png()), ("otra.png", png(modo="RGB")))
    assert r.status_code == 303
    folio = re.fullmatch(r"/reporte\?folio=(R-[A-Z0-9]+)&nuevo=1", r.headers["Location"])[1]
    assert _fotos_guardadas(app) == ["pendiente", "pendiente"]
    publico = cliente.get(f"/api/reportes/{folio}").get_json()
    assert (publico["estacionamiento_id"], publico["objeto"]) == (CAJON, "cajon")
    assert publico["fotos"] == [] and publico["fotos_en_revision"] == 2


def test_formulario_de_dash_ofrece_solo_los_tipos_de_un_cajon():
    (opciones,) = ayuda.componentes(formulario.seccion(None), "RadioItems")
    assert [o["value"] for o in opciones["props"]["options"]] == list(TIPOS_CAJON)
