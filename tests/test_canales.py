"""Canales Atom (RFC 4287) de municipio y obra: lógica pura (:mod:`capas.canales`) y rutas.

Las rutas corren contra SQLite y, con ``DATABASE_URL``, contra PostgreSQL. Datos publicados
de ``tests/ayuda_reportes.py``: tres versiones (cajones, obras de OPA 2016, escuelas); la
obra ``05096400004`` es del municipio 20067 y tiene la alerta «Vencida».
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pandas as pd
import pytest

from capas import canales
from capas.canales import Corte, Entrada
from tablero.canales import canal_de_la_pagina, etiqueta_link
from tablero.reportes import servicio
from tests.ayuda_reportes import crear_app_completa

A = "{http://www.w3.org/2005/Atom}"
OBRA = "05096400004"
CORREO = "vecino.privado@example.org"


def _obras(*filas: dict) -> pd.DataFrame:
    return canales.reducir_obras(pd.DataFrame(list(filas), columns=list(canales.COLUMNAS_OBRA)))


def _obra(folio, cvegeo="20067", alertas=None, **otros) -> dict:
    return {
        "folio": folio,
        "nombre": f"Obra {folio}",
        "cvegeo": cvegeo,
        "alertas": alertas,
        **otros,
    }


def _fecha(dia: int) -> datetime:
    return datetime(2026, 11, dia, 12, 0, tzinfo=UTC)


BASE = Corte(None, _fecha(1), _obras())


# --- lógica pura -----------------------------------------------------------------------------


def test_municipio_obras_nuevas_alertas_nuevas_y_versiones():
    v1 = Corte(
        "v0001",
        _fecha(2),
        _obras(_obra("A", alertas="vencida"), _obra("B", cvegeo="20001", alertas="sobrecosto")),
        tipo="obras",
        fecha_corte="2026-09-30",
    )
    v2 = Corte(
        "v0002",
        _fecha(3),
        _obras(
            _obra("A", alertas="vencida;pago_sin_avance"),
            _obra("B", cvegeo="20001", alertas="sobrecosto;vencida"),
            _obra("C"),
        ),
        tipo="obras",
    )
    entradas = canales.entradas_municipio([BASE, v1, v2], "20067")
    assert [(e.titulo, e.actualizado, e.enlace) for e in entradas] == [
        ("Datos nuevos publicados: versión v0001", _fecha(2), "/datos"),
        ("Obra nueva: Obra A", _fecha(2), "/obras?folio=A"),
        ("Alerta nueva en Obra A: Vencida", _fecha(2), "/obras?folio=A"),
        ("Datos nuevos publicados: versión v0002", _fecha(3), "/datos"),
        ("Alerta nueva en Obra A: Pago sin avance", _fecha(3), "/obras?folio=A"),
        ("Obra nueva: Obra C", _fecha(3), "/obras?folio=C"),
    ]
    assert entradas[0].resumen == (
        "Se publicó la versión v0001 (carga de obras, fecha de corte 2026-09-30)."
    )
    # ids estables y distintos: la misma novedad, el mismo id en cada lectura
    otra_vez = canales.entradas_municipio([BASE, v1, v2], "20067")
    assert [e.id for e in entradas] == [e.id for e in otra_vez]
    assert len({e.id for e in entradas}) == 6
    assert all(re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", e.id) for e in entradas)
    # v1 como base (ventana recortada): solo lo que trajo v2
    assert [e.titulo for e in canales.entradas_municipio([v1, v2], "20067")] == [
        "Datos nuevos publicados: versión v0002",
        "Alerta nueva en Obra A: Pago sin avance",
        "Obra nueva: Obra C",
    ]


def test_cambios_de_una_obra_entre_versiones():
    antes = _obra(
        "A", alertas="vencida", estatus="EN EJECUCION", avance_fisico=0.3,
        monto_ejercido=1000.0, monto_aprobado=5000.0,
    )  # fmt: skip
    despues = {**antes, "avance_fisico": 0.5, "monto_ejercido": 2500.5, "alertas": "sobrecosto"}
    assert canales.cambios_obra(antes, despues) == [
        "Avance físico: 30 % → 50 %",
        "Monto ejercido: $1,000.00 → $2,500.50",
        "Alerta nueva: Sobrecosto",
        "Ya no tiene la alerta: Vencida",
    ]
    v1 = Corte("v0001", _fecha(2), _obras(antes))
    v2 = Corte("v0002", _fecha(3), _obras(despues))
    v3 = Corte("v0003", _fecha(4), _obras(despues))  # sin cambios: sin entrada
    v4 = Corte("v0004", _fecha(5), _obras())
    entradas = canales.entradas_obra([BASE, v1, v2, v3, v4], "A")
    assert [(e.titulo, e.actualizado) for e in entradas] == [
        ("La obra aparece en los datos: Obra A", _fecha(2)),
        ("Cambios en la obra (versión v0002)", _fecha(3)),
        ("La obra ya no aparece en los datos publicados", _fecha(5)),
    ]
    assert entradas[1].resumen == (
        "Avance físico: 30 % → 50 %; Monto ejercido: $1,000.00 → $2,500.50; "
        "Alerta nueva: Sobrecosto; Ya no tiene la alerta: Vencida."
    )
    # un valor que falta de ambos lados no es un cambio; de un lado sí
    assert canales.cambios_obra({"estatus": None}, {"estatus": float("nan")}) == []
    assert canales.cambios_obra({"estatus": None}, {"estatus": "TERMINADA"}) == [
        "Estatus: sin dato → TERMINADA"
    ]


def _publico(folio="R-AAAA", **cambios) -> dict:
    reporte = {
        "folio": folio,
        "tipo": "obra_detenida",
        "descripcion": "Nadie trabaja",
        "texto_oculto": False,
        "nota_moderacion": None,
        "creado": "2026-11-02T10:00:00Z",
        "historial": [
            {"fecha": "2026-11-02T10:00:00Z", "de": None, "a": "recibido", "respuesta": None},
            {"fecha": "2026-11-03T09:30:00Z", "de": "recibido", "a": "atendido",
             "respuesta": "Se reanudó la obra"},
        ],
    }  # fmt: skip
    return {**reporte, **cambios}


def test_reportes_nuevos_y_respuestas():
    tipos = {"obra_detenida": "Obra detenida"}
    estados = {"atendido": "Atendido"}
    solo_respuestas = canales.entradas_reportes([_publico()], tipos, estados, nuevos=False)
    assert [(e.titulo, e.actualizado, e.enlace, e.resumen) for e in solo_respuestas] == [
        (
            "Respuesta al reporte R-AAAA (Obra detenida): Atendido",
            datetime(2026, 11, 3, 9, 30, tzinfo=UTC),
            "/reporte?folio=R-AAAA",
            "Se reanudó la obra",
        )
    ]
    oculto = _publico(texto_oculto=True, descripcion=None, nota_moderacion="Oculto por moderación")
    todas = canales.entradas_reportes([oculto], tipos, estados, nuevos=True)
    assert [(e.titulo, e.resumen) for e in todas] == [
        ("Reporte nuevo R-AAAA: Obra detenida", "Oculto por moderación"),
        ("Respuesta al reporte R-AAAA (Obra detenida): Atendido", "Se reanudó la obra"),
    ]


def test_documento_atom_valido_ordenado_y_recortado(monkeypatch):
    monkeypatch.setattr(canales, "MAXIMO_ENTRADAS", 2)
    entradas = [
        Entrada("urn:uuid:1", "vieja", _fecha(2), "/datos"),
        Entrada("urn:uuid:2", "nueva \x07<b>", _fecha(4), "/obras?folio=A&x=1", "resumen"),
        Entrada("urn:uuid:3", "media", _fecha(3), "/datos"),
    ]
    documento = canales.documento_atom(
        id="urn:uuid:canal",
        titulo="Canal",
        raiz="https://ejemplo.mx/",
        propio="/feeds/obra/A.atom",
        pagina="/obras?folio=A",
        entradas=entradas,
        actualizado=_fecha(1),
    )
    raiz = ET.fromstring(documento)
    assert raiz.tag == f"{A}feed"
    assert raiz.findtext(f"{A}updated") == "2026-11-04T12:00:00Z"
    assert [(e.get("rel"), e.get("href")) for e in raiz.findall(f"{A}link")] == [
        ("self", "https://ejemplo.mx/feeds/obra/A.atom"),
        ("alternate", "https://ejemplo.mx/obras?folio=A"),
    ]
    assert raiz.findtext(f"{A}author/{A}name") == "Sigue el dinero Oaxaca"
    elementos = raiz.findall(f"{A}entry")
    assert [e.findtext(f"{A}title") for e in elementos] == ["nueva <b>", "media"]
    assert elementos[0].find(f"{A}link").get("href") == "https://ejemplo.mx/obras?folio=A&x=1"
    assert elementos[0].findtext(f"{A}summary") == "resumen"
    # sin entradas: updated es la fecha dada
    vacio = canales.documento_atom(
        id="urn:uuid:c", titulo="t", raiz="/", propio="/f", pagina="/", entradas=[],
        actualizado=_fecha(1),
    )  # fmt: skip
    assert ET.fromstring(vacio).findtext(f"{A}updated") == "2026-11-01T12:00:00Z"


def test_canal_de_la_pagina():
    assert canal_de_la_pagina("/municipio", {"municipio": "20067"}) == (
        "Novedades del municipio (Atom)",
        "/feeds/municipio/20067.atom",
    )
    assert canal_de_la_pagina("/obras/", {"folio": OBRA}) == (
        "Novedades de la obra (Atom)",
        f"/feeds/obra/{OBRA}.atom",
    )
    assert canal_de_la_pagina("/municipio", {"municipio": "<x>"}) is None
    assert canal_de_la_pagina("/obras", {}) is None
    assert canal_de_la_pagina("/escuelas", {"folio": OBRA}) is None
    assert etiqueta_link('a"b', "/feeds/obra/<x>.atom") == (
        '<link rel="alternate" type="application/atom+xml" title="a&quot;b" '
        'href="/feeds/obra/&lt;x&gt;.atom">'
    )


# --- rutas -----------------------------------------------------------------------------------


@pytest.fixture()
def app(tmp_path, monkeypatch):
    return crear_app_completa(tmp_path, monkeypatch)


@pytest.fixture()
def cliente(app):
    return app.server.test_client()


def _validar(cliente, ruta: str) -> ET.Element:
    """El canal responde Atom válido y cada entrada tiene id, updated, title y un enlace que abre."""
    r = cliente.get(ruta)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert r.headers["Cache-Control"] == "public, max-age=300" and r.headers["ETag"]
    raiz = ET.fromstring(r.get_data())
    assert raiz.tag == f"{A}feed"
    for campo in ("id", "title", "updated"):
        assert raiz.findtext(f"{A}{campo}")
    for entrada in raiz.findall(f"{A}entry"):
        assert entrada.findtext(f"{A}id").startswith("urn:uuid:")
        assert entrada.findtext(f"{A}title")
        datetime.fromisoformat(entrada.findtext(f"{A}updated"))
        assert entrada.findtext(f"{A}updated").endswith("Z")
        assert entrada.findtext(f"{A}author/{A}name")
        [enlace] = entrada.findall(f"{A}link")
        assert enlace.get("rel") == "alternate"
        partes = urlsplit(enlace.get("href"))
        assert cliente.get(f"{partes.path}?{partes.query}").status_code == 200, enlace.get("href")
    return raiz


def _titulos(raiz: ET.Element) -> list[str]:
    return [e.findtext(f"{A}title") for e in raiz.findall(f"{A}entry")]


def test_canal_del_municipio_con_obras_alertas_versiones_y_respuestas(app, cliente):
    r = cliente.post(
        "/api/reportes",
        json={"obra": OBRA, "tipo": "obra_detenida", "descripcion": "x", "contacto": CORREO},
    )
    folio = r.get_json()["folio"]
    sin_respuesta = _titulos(_validar(cliente, "/feeds/municipio/20067.atom"))
    assert not any(folio in t for t in sin_respuesta)  # solo los reportes respondidos
    with app.server.test_request_context():
        from tablero.reportes import web

        servicio.cambiar_estado(web.sesion(), folio, "atendido", "Se reanudó", "ana")
    raiz = _validar(cliente, "/feeds/municipio/20067.atom")
    titulos = _titulos(raiz)
    assert f"Respuesta al reporte {folio} (Obra detenida): Atendido" == titulos[0]
    assert sorted(titulos[1:]) == sorted(
        [
            "Datos nuevos publicados: versión v0001",
            "Datos nuevos publicados: versión v0002",
            "Datos nuevos publicados: versión v0003",
            "Obra nueva: Amate Colorado - Zaragoza Itundujia",
            "Alerta nueva en Amate Colorado - Zaragoza Itundujia: Vencida",
        ]
    )
    assert raiz.findtext(f"{A}title") == "Oaxaca de Juárez: novedades en Sigue el dinero Oaxaca"
    assert CORREO not in cliente.get("/feeds/municipio/20067.atom").get_data(as_text=True)


def test_canal_de_la_obra_con_reportes_y_respuestas(app, cliente):
    folio = cliente.post(
        "/api/reportes",
        json={"obra": OBRA, "tipo": "mala_calidad", "descripcion": "Se cuartea",
              "contacto": CORREO},
    ).get_json()["folio"]  # fmt: skip
    with app.server.test_request_context():
        from tablero.reportes import web

        servicio.cambiar_estado(web.sesion(), folio, "en_atencion", "Vamos a revisar", "ana")
    raiz = _validar(cliente, f"/feeds/obra/{OBRA}.atom")
    assert _titulos(raiz) == [
        f"Respuesta al reporte {folio} (Mala calidad): En atención",
        f"Reporte nuevo {folio}: Mala calidad",
        "La obra aparece en los datos: Amate Colorado - Zaragoza Itundujia",
    ]
    assert CORREO not in cliente.get(f"/feeds/obra/{OBRA}.atom").get_data(as_text=True)


def test_etag_responde_304_sin_cambios(cliente):
    primera = cliente.get(f"/feeds/obra/{OBRA}.atom")
    etag = primera.headers["ETag"]
    segunda = cliente.get(f"/feeds/obra/{OBRA}.atom", headers={"If-None-Match": etag})
    assert segunda.status_code == 304 and segunda.get_data() == b""


@pytest.mark.parametrize(
    ("ruta", "mensaje"),
    [
        ("/feeds/municipio/99999.atom",
         "No existe un municipio con esa clave (CVEGEO) en los datos publicados."),
        ("/feeds/obra/NOEXISTE.atom", "No existe una obra con ese folio en los datos publicados."),
        ("/feeds/escuela/20DES0006A.atom",
         "No existe ese canal: hay canales de municipio (/feeds/municipio/<cvegeo>.atom) y de "
         "obra (/feeds/obra/<folio>.atom)."),
    ],
)  # fmt: skip
def test_municipio_u_obra_desconocidos_dan_404_en_espanol(cliente, ruta, mensaje):
    r = cliente.get(ruta)
    assert r.status_code == 404 and r.get_data(as_text=True) == mensaje


def test_las_paginas_anuncian_su_canal_en_el_head(cliente):
    def cabeza(ruta: str) -> str:
        html = cliente.get(ruta).get_data(as_text=True)
        return html[: html.index("</head>")]

    assert (
        '<link rel="alternate" type="application/atom+xml" '
        'title="Novedades del municipio (Atom)" href="/feeds/municipio/20067.atom">'
    ) in cabeza("/municipio?municipio=20067")
    assert (
        '<link rel="alternate" type="application/atom+xml" '
        f'title="Novedades de la obra (Atom)" href="/feeds/obra/{OBRA}.atom">'
    ) in cabeza(f"/obras?folio={OBRA}")
    assert "application/atom+xml" not in cabeza("/obras")
    assert "application/atom+xml" not in cabeza("/")


def _enlace_visible(arbol, clase: str) -> tuple[dict, dict]:
    """El enlace «Seguir…» de ``clase`` y la línea que lo explica (componentes JSON)."""
    from tests import ayuda_paginas as ayuda

    enlace = ayuda.por_id(arbol, f"canal-{clase}")
    ayuda_texto = ayuda.por_id(arbol, enlace["props"]["aria-describedby"])
    return enlace, ayuda_texto


def test_perfil_del_municipio_tiene_enlace_visible_al_canal_que_responde(app, cliente):
    import importlib

    municipio = importlib.import_module("paginas.municipio")
    with app.server.test_request_context("/municipio?municipio=20067"):
        arbol = municipio.layout(municipio="20067")
    enlace, ayuda_texto = _enlace_visible(arbol, "municipio")
    assert enlace["type"] == "A"  # un <a> normal: el navegador pide el canal, no Dash
    assert enlace["props"]["children"] == "Seguir este municipio (canal Atom)"
    assert enlace["props"]["href"] == "/feeds/municipio/20067.atom"
    assert ayuda_texto["props"]["children"].startswith(
        "Un canal Atom le avisa, sin crear una cuenta, de obras nuevas, alertas nuevas"
    )
    assert "lector de noticias" in ayuda_texto["props"]["children"]
    raiz = _validar(cliente, enlace["props"]["href"])
    assert raiz.findtext(f"{A}title") == "Oaxaca de Juárez: novedades en Sigue el dinero Oaxaca"
    # el mismo canal que anuncia el <link rel="alternate"> de la página
    pagina = cliente.get("/municipio?municipio=20067").get_data(as_text=True)
    assert f'href="{enlace["props"]["href"]}">' in pagina[: pagina.index("</head>")]


def test_ficha_de_la_obra_tiene_enlace_visible_al_canal_que_responde(app, cliente):
    import importlib

    obras = importlib.import_module("paginas.obras")
    with app.server.test_request_context(f"/obras?folio={OBRA}"):
        from tablero.datos import datos_servidos

        contenido, encontrada = obras._ficha(datos_servidos(), OBRA, None)
        sin_obra, _ = obras._ficha(datos_servidos(), "NOEXISTE", None)
    assert encontrada
    enlace, ayuda_texto = _enlace_visible(contenido, "obra")
    assert enlace["props"]["children"] == "Seguir esta obra (canal Atom)"
    assert enlace["props"]["href"] == f"/feeds/obra/{OBRA}.atom"
    assert "cambios de avance, montos y alertas" in ayuda_texto["props"]["children"]
    raiz = _validar(cliente, enlace["props"]["href"])
    assert raiz.findtext(f"{A}title") == f"Obra {OBRA}: Amate Colorado - Zaragoza Itundujia"
    # una obra que no existe no ofrece un canal que daría 404
    with pytest.raises(KeyError):
        _enlace_visible(sin_obra, "obra")


def test_enlace_visible_con_prefijo_de_la_aplicacion(raiz_ejemplo, monkeypatch):
    from tablero.app import crear_app
    from tablero.canales import enlace_suscribirse
    from tests import ayuda_paginas as ayuda

    monkeypatch.setenv("DASH_REQUESTS_PATHNAME_PREFIX", "/tablero/")
    monkeypatch.setenv("DASH_ROUTES_PATHNAME_PREFIX", "/tablero/")
    app = crear_app(raiz_ejemplo)
    with app.server.test_request_context("/tablero/municipio?municipio=20067"):
        enlace = ayuda.por_id(enlace_suscribirse("municipio", "20067"), "canal-municipio")
    assert enlace["props"]["href"] == "/tablero/feeds/municipio/20067.atom"
    html = app.server.test_client().get("/tablero/municipio?municipio=20067").get_data(as_text=True)
    cabeza = html[: html.index("</head>")]
    # un solo mecanismo agrega a la cabecera el manifiesto y el canal, una vez cada uno
    assert cabeza.count('href="/tablero/feeds/municipio/20067.atom"') == 1
    assert cabeza.count('<link rel="manifest" href="/tablero/manifest.webmanifest">') == 1
