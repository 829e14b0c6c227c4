"""Reportes sobre obras y escuelas: API, tipos por objeto, atención, duplicados, fichas,
perfil del municipio, descargas, moderación del texto y migración de una base vieja.

Corre contra SQLite y, con ``DATABASE_URL``, contra PostgreSQL (``make test-postgresql``).
Los datos publicados son los de las pruebas de las fuentes (``tests/ayuda_reportes.py``):
obra ``05096400004`` (municipio 20067, 17.0606, -96.7266), obra ``0912X000001`` (sin
ubicación ni municipio), escuela ``20DES0006A`` (declara 20067, cae en 20043) y los cajones
``EST-001`` y ``EST-002``.
"""

from __future__ import annotations

import csv
import importlib
import io
import os
import re

import pytest

from tablero.reportes import bd, servicio
from tablero.reportes.servicio import TIPOS_ESCUELA, TIPOS_OBRA
from tests import ayuda_paginas as ayuda
from tests.ayuda_reportes import crear_app_completa

CONTACTO = "vecino.privado@example.org"
OBRA = "05096400004"
OBRA_SIN_UBICACION = "0912X000001"
ESCUELA = "20DES0006A"


@pytest.fixture()
def app(tmp_path, monkeypatch):
    return crear_app_completa(tmp_path, monkeypatch)


@pytest.fixture()
def cliente(app):
    return app.server.test_client()


def _enviar(cliente, cuerpo):
    return cliente.post("/api/reportes", json=cuerpo)


def _texto(componente) -> str:
    return " ".join(ayuda.texto(componente).split())


def _entrar(app, cliente):
    with app.server.test_request_context():
        from tablero.reportes import web

        servicio.crear_usuario(web.sesion(), "atiende", "una-contraseña-larga")
    pagina = cliente.get("/atencion/entrar").get_data(as_text=True)
    token = re.search(r'name="csrf" value="([^"]+)"', pagina).group(1)
    r = cliente.post(
        "/atencion/entrar",
        data={"usuario": "atiende", "contrasena": "una-contraseña-larga", "csrf": token},
    )
    assert r.status_code == 302
    # la sesión y su token se renuevan al entrar
    lista = cliente.get("/atencion").get_data(as_text=True)
    return re.search(r'name="csrf" value="([^"]+)"', lista).group(1)


def test_reporte_de_una_obra_por_api_con_su_lugar_y_sin_contacto(cliente):
    r = _enviar(
        cliente,
        {"obra": OBRA, "tipo": "obra_detenida", "descripcion": "Nadie trabaja desde marzo",
         "contacto": CONTACTO},
    )  # fmt: skip
    assert r.status_code == 201 and set(r.get_json()) == {"folio", "estado"}
    publico = cliente.get(r.headers["Location"]).get_json()
    assert {k: publico[k] for k in ("objeto", "objeto_id", "cvegeo", "estacionamiento_id")} == {
        "objeto": "obra",
        "objeto_id": OBRA,
        "cvegeo": "20067",
        "estacionamiento_id": None,
    }
    assert (publico["latitud"], publico["longitud"]) == (17.0606, -96.7266)
    assert (publico["tipo"], publico["estado"], publico["texto_oculto"]) == (
        "obra_detenida",
        "recibido",
        False,
    )
    assert (publico["fotos"], publico["fotos_ocultas"], publico["fotos_en_revision"]) == ([], [], 0)
    assert CONTACTO not in cliente.get(r.headers["Location"]).get_data(as_text=True)
    # una obra publicada sin coordenadas ni municipio: el reporte tampoco los tiene
    r = _enviar(cliente, {"obra": OBRA_SIN_UBICACION, "tipo": "no_existe", "descripcion": "x"})
    publico = cliente.get(r.headers["Location"]).get_json()
    assert (publico["latitud"], publico["longitud"], publico["cvegeo"]) == (None, None, None)


def test_reporte_de_una_escuela_con_cct_en_minusculas(cliente):
    r = _enviar(
        cliente,
        {"escuela": ESCUELA.lower(), "tipo": "no_llegaron_uniformes", "descripcion": "Nada"},
    )
    assert r.status_code == 201
    publico = cliente.get(r.headers["Location"]).get_json()
    # su municipio es el de sus coordenadas (20043), no el declarado (20067)
    assert (publico["objeto"], publico["objeto_id"], publico["cvegeo"]) == (
        "escuela",
        ESCUELA,
        "20043",
    )


@pytest.mark.parametrize(
    ("cuerpo", "estado", "mensaje", "campo"),
    [
        (
            {"obra": OBRA, "tipo": "danado", "descripcion": "x"},
            400,
            "Tipo de reporte desconocido; use uno de: " + ", ".join(TIPOS_OBRA),
            "tipo",
        ),
        (
            {"escuela": ESCUELA, "tipo": "obra_detenida", "descripcion": "x"},
            400,
            "Tipo de reporte desconocido; use uno de: " + ", ".join(TIPOS_ESCUELA),
            "tipo",
        ),
        (
            {"obra": "NO-EXISTE", "tipo": "otro", "descripcion": "x"},
            400,
            "No existe una obra con ese folio en los datos publicados",
            "obra",
        ),
        (
            {"escuela": "20DPR9999Z", "tipo": "otro", "descripcion": "x"},
            400,
            "No existe una escuela con esa clave (CCT) en los datos publicados",
            "escuela",
        ),
        (
            {"obra": OBRA, "escuela": ESCUELA, "tipo": "otro", "descripcion": "x"},
            400,
            "Un reporte es de un solo objeto: envíe obra y escuela por separado",
            None,
        ),
        (
            {"obra": ["lista"], "tipo": "otro", "descripcion": "x"},
            400,
            "El campo obra debe ser texto",
            "obra",
        ),
    ],
)
def test_tipos_por_objeto_y_objetos_inexistentes(cliente, cuerpo, estado, mensaje, campo):
    r = _enviar(cliente, cuerpo)
    assert r.status_code == estado
    assert r.get_json().get("error") == mensaje and r.get_json().get("campo") == campo


def test_limite_por_hora_comun_a_todos_los_objetos(cliente, monkeypatch):
    monkeypatch.setenv("SIGUE_LIMITE_REPORTES", "2")
    assert (
        _enviar(
            cliente, {"estacionamiento_id": "EST-001", "tipo": "danado", "descripcion": "x"}
        ).status_code
        == 201
    )
    assert _enviar(cliente, {"obra": OBRA, "tipo": "otro", "descripcion": "x"}).status_code == 201
    r = _enviar(cliente, {"escuela": ESCUELA, "tipo": "otro", "descripcion": "x"})
    assert r.status_code == 429
    assert r.get_json()["error"] == "Llegó al límite de 2 reportes por hora; intente más tarde"


@pytest.mark.parametrize(
    ("objeto", "campo", "id_", "tipo"),
    [("obra", "obra", OBRA, "mala_calidad"), ("escuela", "escuela", ESCUELA, "cobro_indebido")],
)
def test_atencion_de_obras_y_escuelas_con_historial(app, cliente, objeto, campo, id_, tipo):
    folio = _enviar(
        cliente, {campo: id_, "tipo": tipo, "descripcion": "grietas", "contacto": CONTACTO}
    ).get_json()["folio"]
    token = _entrar(app, cliente)
    pendientes = cliente.get("/atencion").get_data(as_text=True)
    assert folio in pendientes and f"{objeto} {id_}" in pendientes and CONTACTO in pendientes
    detalle = cliente.get(f"/atencion/reporte/{folio}").get_data(as_text=True)
    assert CONTACTO in detalle and id_ in detalle
    r = cliente.post(
        f"/atencion/reporte/{folio}",
        data={"csrf": token, "estado": "en_atencion", "respuesta": ""},
    )
    assert r.status_code == 302
    r = cliente.post(
        f"/atencion/reporte/{folio}",
        data={"csrf": token, "estado": "atendido", "respuesta": "Se revisó con la dependencia"},
    )
    assert r.status_code == 302
    publico = cliente.get(f"/api/reportes/{folio}").get_json()
    assert (
        publico["estado"] == "atendido" and publico["respuesta"] == "Se revisó con la dependencia"
    )
    assert [(c["de"], c["a"]) for c in publico["historial"]] == [
        (None, "recibido"),
        ("recibido", "en_atencion"),
        ("en_atencion", "atendido"),
    ]
    assert folio not in cliente.get("/atencion").get_data(as_text=True)


def test_formulario_de_la_ficha_folio_duplicado_y_sumarse(app, cliente):
    datos = {"obra": OBRA, "tipo": "obra_detenida", "descripcion": "parada", "volver": "/obras"}
    r = cliente.post("/reportar", data=datos, content_type="multipart/form-data")
    assert r.status_code == 303
    folio = re.fullmatch(r"/reporte\?folio=(R-[A-Z0-9]+)&nuevo=1", r.headers["Location"]).group(1)
    # mismo objeto y tipo: no se duplica, se ofrece sumarse (con lo escrito)
    r = cliente.post(
        "/reportar",
        data={**datos, "descripcion": "sigue parada", "contacto": CONTACTO},
        content_type="multipart/form-data",
    )
    pagina = r.get_data(as_text=True)
    assert r.status_code == 200 and "Ya hay un reporte abierto igual" in pagina
    assert f'name="folio" value="{folio}"' in pagina and "sigue parada" in pagina
    r = cliente.post(
        "/reportar/sumarse",
        data={"folio": folio, "descripcion": "sigue parada", "contacto": CONTACTO},
    )
    assert (r.status_code, r.headers["Location"]) == (303, f"/reporte?folio={folio}&sumado=1")
    assert cliente.get(f"/api/reportes/{folio}").get_json()["adhesiones"] == 1
    # otro tipo sobre la misma obra sí es un reporte nuevo
    r = cliente.post(
        "/reportar", data={**datos, "tipo": "mala_calidad"}, content_type="multipart/form-data"
    )
    assert r.status_code == 303 and folio not in r.headers["Location"]


def test_formulario_con_error_y_desde_otro_sitio(cliente):
    r = cliente.post(
        "/reportar",
        data={"obra": OBRA, "tipo": "obra_detenida", "descripcion": "", "volver": "/obras?folio=1"},
        content_type="multipart/form-data",
    )
    pagina = r.get_data(as_text=True)
    assert r.status_code == 400 and "Describa el problema (máximo 1,000 caracteres)" in pagina
    assert 'href="/obras?folio=1"' in pagina
    # «volver» a otro sitio no se respeta
    r = cliente.post(
        "/reportar",
        data={"obra": OBRA, "tipo": "x", "descripcion": "x", "volver": "//malo.example"},
        content_type="multipart/form-data",
    )
    assert r.status_code == 400 and 'href="/"' in r.get_data(as_text=True)
    r = cliente.post(
        "/reportar",
        data={"obra": OBRA, "tipo": "obra_detenida", "descripcion": "x"},
        content_type="multipart/form-data",
        headers={"Origin": "https://otro.example"},
    )
    assert r.status_code == 403 and "El formulario no vino de este sitio." in r.get_data(
        as_text=True
    )
    for cabeceras, estado in (
        ({"Sec-Fetch-Site": "cross-site"}, 403),
        ({"Sec-Fetch-Site": "same-site"}, 403),
        # detrás de un proxy que cambia Host, Sec-Fetch-Site manda sobre Origin
        ({"Sec-Fetch-Site": "same-origin", "Origin": "https://publico.example"}, 303),
        ({"Origin": "http://localhost"}, 303),
    ):
        r = cliente.post(
            "/reportar",
            data={"obra": OBRA, "tipo": "obra_detenida", "descripcion": str(cabeceras)},
            content_type="multipart/form-data",
            headers=cabeceras,
        )
        # aceptado: el reporte nuevo (303) o, si ya hay uno igual, la página para sumarse (200)
        assert r.status_code in ((403,) if estado == 403 else (200, 303)), cabeceras


def test_ficha_de_la_obra_muestra_reportes_respuestas_y_formulario(app, cliente):
    folio = _enviar(
        cliente, {"obra": OBRA, "tipo": "obra_detenida", "descripcion": "<b>parada</b>",
                  "contacto": CONTACTO}
    ).get_json()["folio"]  # fmt: skip
    obras = importlib.import_module("paginas.obras")
    with app.server.test_request_context():
        from tablero.datos import datos_servidos

        contenido, encontrada = obras._ficha(datos_servidos(), OBRA, None)
        texto = _texto(contenido)
        formularios = ayuda.componentes(contenido, "Form")
    assert encontrada
    assert "Reportes ciudadanos" in texto and "1 reporte abierto y 0 cerrados" in texto
    assert folio in texto and "<b>parada</b>" in texto and CONTACTO not in texto
    assert len(formularios) == 1
    props = formularios[0]["props"]
    assert (props["action"], props["method"], props["encType"]) == (
        "/reportar",
        "post",
        "multipart/form-data",
    )
    entradas = {
        (c["props"].get("name"), c["props"].get("value"))
        for c in ayuda.componentes(formularios[0], "Input")
    }
    assert entradas == {("obra", OBRA), ("volver", f"/obras?folio={OBRA}"), ("contacto", None)}
    (tipo,) = ayuda.componentes(formularios[0], "Select")
    assert tipo["props"]["name"] == "tipo" and tipo["props"]["required"] is True
    opciones = [o["props"]["value"] for o in ayuda.componentes(tipo, "Option")]
    assert opciones == ["", *TIPOS_OBRA]
    (descripcion,) = ayuda.componentes(formularios[0], "Textarea")
    assert (descripcion["props"]["name"], descripcion["props"]["maxLength"]) == (
        "descripcion",
        1000,
    )
    # el campo de fotos lo pone assets/reportes_fotos.js en el lugar marcado
    marcas = [
        c for c in ayuda.componentes(formularios[0], "Div") if "data-campo-fotos" in c["props"]
    ]
    assert [m["props"]["data-campo-fotos"] for m in marcas] == ["reportar-obra-fotos"]


def test_escuela_buscada_muestra_sus_reportes_y_el_formulario(app, cliente):
    _enviar(cliente, {"escuela": ESCUELA, "tipo": "entrega_incompleta", "descripcion": "faltan"})
    from tablero.reportes import fichas

    with app.server.test_request_context():
        texto = _texto(fichas.contenido_escuela(ESCUELA.lower()))
        vacio = _texto(fichas.contenido_escuela("Juárez"))
    assert f"Escuela Secundaria técnica ({ESCUELA})" in texto
    assert "Entrega incompleta" in texto and "Reportar un problema en esta escuela" in texto
    assert "escriba su clave (CCT)" in vacio


def test_perfil_del_municipio_cuenta_los_reportes(app, cliente):
    _enviar(cliente, {"obra": OBRA, "tipo": "otro", "descripcion": "x"})
    _enviar(cliente, {"estacionamiento_id": "EST-001", "tipo": "danado", "descripcion": "x"})
    _enviar(cliente, {"escuela": ESCUELA, "tipo": "otro", "descripcion": "x"})  # 20043
    from tablero.reportes import fichas

    with app.server.test_request_context():
        texto = _texto(fichas.reportes_del_municipio("20067"))
        otro = _texto(fichas.reportes_del_municipio("20043"))
        nada = _texto(fichas.reportes_del_municipio("20001"))
    assert "2 reportes ciudadanos : 2 abiertos y 0 cerrados." in texto
    assert "Recibido: 2" in texto and "Sobre obras: 1" in texto and "Sobre cajones: 1" in texto
    assert "1 reporte ciudadano : 1 abierto y 0 cerrados." in otro
    assert "Todavía no hay reportes ciudadanos en este municipio." in nada


def test_descargas_incluyen_obras_y_escuelas_con_columnas_al_final(cliente):
    folio = _enviar(
        cliente, {"obra": OBRA, "tipo": "otro", "descripcion": "=1+1", "contacto": CONTACTO}
    ).get_json()["folio"]
    texto = cliente.get("/descargas/reportes.csv").get_data(as_text=True)
    assert CONTACTO not in texto
    filas = list(csv.DictReader(io.StringIO(texto)))
    assert len(filas) == 1
    fila = filas[0]
    assert list(fila)[:11] == [
        "folio", "estado", "tipo", "descripcion", "estacionamiento_id", "latitud", "longitud",
        "creado", "actualizado", "respuesta", "adhesiones",
    ]  # fmt: skip
    assert {k: fila[k] for k in list(fila)[11:]} == {
        "objeto": "obra",
        "objeto_id": OBRA,
        "cvegeo": "20067",
        "texto_oculto": "False",
        "nota_moderacion": "",
        "fotos": "",
    }
    assert (fila["folio"], fila["descripcion"], fila["estacionamiento_id"]) == (folio, "'=1+1", "")
    rasgo = cliente.get("/descargas/reportes.geojson").get_json()["features"][0]
    assert rasgo["geometry"] == {"type": "Point", "coordinates": [-96.7266, 17.0606]}
    assert rasgo["properties"]["objeto_id"] == OBRA


def test_ocultar_el_texto_con_nota_publica(app, cliente):
    folio = _enviar(
        cliente, {"obra": OBRA, "tipo": "otro", "descripcion": "Mi vecino Juan Pérez robó"}
    ).get_json()["folio"]
    token = _entrar(app, cliente)
    r = cliente.post(
        f"/atencion/reporte/{folio}",
        data={"csrf": token, "accion": "texto", "ocultar": "1", "nota": "datos personales"},
    )
    assert r.status_code == 302
    publico = cliente.get(f"/api/reportes/{folio}").get_json()
    assert (publico["descripcion"], publico["texto_oculto"], publico["nota_moderacion"]) == (
        None,
        True,
        "datos personales",
    )
    for ruta in ("/descargas/reportes.csv", f"/api/reportes/{folio}"):
        assert "Juan Pérez" not in cliente.get(ruta).get_data(as_text=True)
    pagina = importlib.import_module("paginas.reporte")
    with app.server.test_request_context():
        assert "datos personales" in _texto(pagina.layout(folio=folio))
        assert "Juan Pérez" not in _texto(pagina.layout(folio=folio))
    # el funcionario la sigue viendo y puede volver a publicarla (nota vacía = la genérica)
    assert "Juan Pérez" in cliente.get(f"/atencion/reporte/{folio}").get_data(as_text=True)
    cliente.post(
        f"/atencion/reporte/{folio}", data={"csrf": token, "accion": "texto", "ocultar": "0"}
    )
    assert cliente.get(f"/api/reportes/{folio}").get_json()["descripcion"] == (
        "Mi vecino Juan Pérez robó"
    )
    cliente.post(
        f"/atencion/reporte/{folio}",
        data={"csrf": token, "accion": "texto", "ocultar": "1", "nota": ""},
    )
    assert cliente.get(f"/api/reportes/{folio}").get_json()["nota_moderacion"] == (
        "Oculto por moderación"
    )


def test_pagina_de_seguimiento_por_obra_y_aviso_de_folio_nuevo(app, cliente):
    folio = _enviar(cliente, {"obra": OBRA, "tipo": "mala_calidad", "descripcion": "x"}).get_json()[
        "folio"
    ]
    pagina = importlib.import_module("paginas.reporte")
    with app.server.test_request_context():
        nuevo = _texto(pagina.layout(folio=folio, nuevo="1"))
        lista = _texto(pagina.layout(obra=OBRA))
    assert f"Recibimos su reporte. Su folio es {folio} ." in nuevo
    assert f"obra {OBRA} ( todos sus reportes )" in nuevo
    assert f"Reportes de la obra {OBRA}" in lista and folio in lista and "Mala calidad" in lista


# --- migración ------------------------------------------------------------------------------

#: Esquema 2 tal como lo creaba la versión anterior (``CREATE TABLE`` de SQLAlchemy).
ESQUEMA_2 = """
CREATE TABLE esquema (id INTEGER NOT NULL, version INTEGER NOT NULL, PRIMARY KEY (id));
CREATE TABLE reportes (
    id {id}, folio VARCHAR(16) NOT NULL, estacionamiento_id VARCHAR(100), latitud FLOAT,
    longitud FLOAT, tipo VARCHAR(40) NOT NULL, descripcion TEXT NOT NULL,
    contacto VARCHAR(200), estado VARCHAR(20) NOT NULL, respuesta TEXT,
    creado {fecha} NOT NULL, actualizado {fecha} NOT NULL);
CREATE UNIQUE INDEX ix_reportes_folio ON reportes (folio);
CREATE INDEX ix_reportes_estacionamiento_id ON reportes (estacionamiento_id);
CREATE TABLE adhesiones (
    id {id}, reporte_id INTEGER NOT NULL REFERENCES reportes (id), fecha {fecha} NOT NULL,
    descripcion TEXT, contacto VARCHAR(200));
CREATE TABLE cambios (
    id {id}, reporte_id INTEGER NOT NULL REFERENCES reportes (id), fecha {fecha} NOT NULL,
    de_estado VARCHAR(20), a_estado VARCHAR(20) NOT NULL, respuesta TEXT, usuario VARCHAR(80));
INSERT INTO esquema (id, version) VALUES (1, 2);
INSERT INTO reportes (folio, estacionamiento_id, latitud, longitud, tipo, descripcion,
    contacto, estado, respuesta, creado, actualizado) VALUES
    ('R-VIEJO22', 'EST-001', 17.0606, -96.7266, 'danado', 'roto', 'a@b.mx', 'atendido',
     'Se pintó', '2025-01-02 03:04:05', '2025-01-03 00:00:00'),
    ('R-PUNTO22', NULL, 17.0611, -96.7201, 'falta_cajon', 'falta', NULL, 'recibido',
     NULL, '2025-01-04 00:00:00', '2025-01-04 00:00:00');
INSERT INTO cambios (reporte_id, fecha, de_estado, a_estado, respuesta, usuario) VALUES
    (1, '2025-01-02 03:04:05', NULL, 'recibido', NULL, NULL),
    (1, '2025-01-03 00:00:00', 'recibido', 'atendido', 'Se pintó', 'atiende');
INSERT INTO adhesiones (reporte_id, fecha, descripcion, contacto) VALUES
    (1, '2025-01-02 05:00:00', 'también', NULL);
"""


def test_una_base_del_esquema_2_se_migra_sin_perder_reportes(tmp_path, monkeypatch):
    from sqlalchemy import create_engine, inspect, text

    from tablero.reportes.modelo import VERSION_ESQUEMA, Base
    from tests.ayuda_reportes import limpiar_base

    limpiar_base(tmp_path)
    url = bd.url_base(tmp_path / "vieja")
    motor = create_engine(url)
    postgres = motor.dialect.name == "postgresql"
    if postgres:  # base compartida: sin las tablas de las pruebas anteriores
        Base.metadata.drop_all(motor)
    ddl = ESQUEMA_2.format(
        id="SERIAL PRIMARY KEY" if postgres else "INTEGER NOT NULL PRIMARY KEY",
        fecha="TIMESTAMP WITHOUT TIME ZONE" if postgres else "DATETIME",
    )
    with motor.begin() as conexion:
        for sentencia in ddl.split(";"):
            if sentencia.strip():
                conexion.execute(text(sentencia))
    motor.dispose()

    bd.motor.cache_clear()
    motor = bd.motor(url)
    columnas = {c["name"] for c in inspect(motor).get_columns("reportes")}
    assert {"objeto", "objeto_id", "cvegeo", "texto_oculto", "nota_moderacion"} <= columnas
    assert "fotos" in inspect(motor).get_table_names()
    with motor.connect() as conexion:
        assert conexion.execute(text("SELECT version FROM esquema")).scalar() == VERSION_ESQUEMA
    sesion = bd.sesiones(url)()
    try:
        viejo = servicio.publico(servicio.consultar(sesion, "R-VIEJO22"))
        punto = servicio.publico(servicio.consultar(sesion, "R-PUNTO22"))
        assert {k: viejo[k] for k in ("objeto", "objeto_id", "estacionamiento_id", "estado")} == {
            "objeto": "cajon",
            "objeto_id": "EST-001",
            "estacionamiento_id": "EST-001",
            "estado": "atendido",
        }
        assert (viejo["respuesta"], viejo["adhesiones"], viejo["creado"]) == (
            "Se pintó",
            1,
            "2025-01-02T03:04:05Z",
        )
        assert [(c["de"], c["a"]) for c in viejo["historial"]] == [
            (None, "recibido"),
            ("recibido", "atendido"),
        ]
        assert (viejo["texto_oculto"], viejo["fotos"]) == (False, [])
        assert (punto["objeto"], punto["objeto_id"], punto["latitud"]) == ("punto", None, 17.0611)
        assert servicio.consultar(sesion, "R-VIEJO22").contacto == "a@b.mx"
        assert servicio.abiertos_por_cajon(sesion) == {}
        # el municipio de los reportes viejos se completa con los datos publicados
        assert (viejo["cvegeo"], punto["cvegeo"]) == (None, None)
        catalogo = servicio.Catalogo(
            dentro=lambda lat, lon: True,
            objetos={"cajon": {"EST-001": servicio.Lugar(17.0606, -96.7266, "20067")}},
            municipio=lambda lat, lon: "20068" if (lat, lon) == (17.0611, -96.7201) else None,
        )
        assert servicio.completar_municipios(sesion, catalogo) == 2
        assert servicio.completar_municipios(sesion, catalogo) == 0
        assert servicio.conteo_por_estado(sesion, cvegeo="20067") == {"atendido": 1}
        assert servicio.conteo_por_estado(sesion, cvegeo="20068") == {"recibido": 1}
        # la base migrada recibe reportes nuevos (de obras) y fotos
        nuevo = servicio.crear(
            sesion,
            {"objeto": "obra", "objeto_id": OBRA, "estacionamiento_id": None, "cvegeo": "20067",
             "latitud": None, "longitud": None, "tipo": "otro", "descripcion": "x",
             "contacto": None},
            "cliente",
            10,
        )  # fmt: skip
        assert servicio.consultar(sesion, nuevo.folio).objeto == "obra"
    finally:
        sesion.close()
    # arrancar otra vez no repite la migración
    bd.motor.cache_clear()
    bd.motor(url)
    bd.motor.cache_clear()


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="solo con SQLite")
def test_la_migracion_es_idempotente_si_otro_proceso_ya_agrego_columnas(tmp_path):
    from sqlalchemy import create_engine, text

    url = bd.url_base(tmp_path / "vieja")
    motor = create_engine(url)
    ddl = ESQUEMA_2.format(id="INTEGER NOT NULL PRIMARY KEY", fecha="DATETIME")
    with motor.begin() as conexion:
        for sentencia in ddl.split(";"):
            if sentencia.strip():
                conexion.execute(text(sentencia))
        # otro proceso alcanzó a agregar una columna antes de registrar la versión
        conexion.execute(text("ALTER TABLE reportes ADD COLUMN objeto_id VARCHAR(100)"))
    motor.dispose()
    bd.motor.cache_clear()
    sesion = bd.sesiones(url)()
    try:
        assert servicio.consultar(sesion, "R-VIEJO22").objeto_id == "EST-001"
    finally:
        sesion.close()
        bd.motor.cache_clear()
