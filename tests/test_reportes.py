"""Reportes ciudadanos: API pública, límites, entrada hostil y atención por funcionarios.

Corre contra SQLite por omisión y contra PostgreSQL cuando ``DATABASE_URL`` apunta a uno
(``.ci/run`` levanta un PostgreSQL en 127.0.0.1 y repite estas pruebas).
"""

from __future__ import annotations

import json
import logging
import os
import re

import pytest

from tablero.app import crear_app
from tablero.reportes import bd, servicio
from tablero.reportes.modelo import Base
from tests import ayuda_paginas as ayuda

CONTACTO = "vecina.privada@example.org"
HOSTIL = "<script>alert('x')</script> <img src=x onerror=alert(1)> '; DROP TABLE reportes; --"
CAJONES = [
    ["ID", "LATITUD", "LONGITUD", "DIRECCION", "CAJONES", "ESTADO"],
    ["EST-001", "17.0606", "-96.7266", "Macedonio Alcalá 202, Centro", "1", "bueno"],
    ["EST-002", "17.0650", "-96.7230", "García Vigil 100, Centro", "2", "requiere_rehabilitacion"],
]


@pytest.fixture()
def base_limpia(tmp_path):
    """Con PostgreSQL (compartido entre pruebas) se empieza de cero; con SQLite ya lo es."""
    if os.environ.get("DATABASE_URL"):
        Base.metadata.drop_all(bd.motor(bd.url_base(tmp_path)))
        bd.motor.cache_clear()


@pytest.fixture()
def app(tmp_path, monkeypatch, base_limpia):
    from tests.ayuda_reportes import copiar_almacen

    monkeypatch.delenv("SIGUE_LIMITE_REPORTES", raising=False)
    aplicacion = crear_app(copiar_almacen(tmp_path))
    aplicacion.server.config["TESTING"] = True
    return aplicacion


@pytest.fixture()
def cliente(app):
    return app.server.test_client()


def _enviar(cliente, cuerpo, **kwargs):
    return cliente.post("/api/reportes", json=cuerpo, **kwargs)


def test_crear_y_consultar_un_reporte_sin_exponer_el_contacto(cliente):
    r = _enviar(
        cliente,
        {
            "estacionamiento_id": "EST-001",
            "tipo": "ocupado_indebidamente",
            "descripcion": "Un auto sin permiso",
            "contacto": CONTACTO,
        },
    )
    assert r.status_code == 201
    cuerpo = r.get_json()
    assert set(cuerpo) == {"folio", "estado"} and cuerpo["estado"] == "recibido"
    assert re.fullmatch(r"R-[2-9A-HJ-NP-Z]{7}", cuerpo["folio"])
    consulta = cliente.get(f"/api/reportes/{cuerpo['folio']}")
    assert consulta.status_code == 200
    publico = consulta.get_json()
    assert (publico["folio"], publico["estado"], publico["tipo"], publico["descripcion"]) == (
        cuerpo["folio"],
        "recibido",
        "ocupado_indebidamente",
        "Un auto sin permiso",
    )
    assert (publico["latitud"], publico["longitud"]) == (17.0606, -96.7266)
    assert [(h["de"], h["a"]) for h in publico["historial"]] == [(None, "recibido")]
    assert "contacto" not in publico and CONTACTO not in consulta.get_data(as_text=True)
    assert cliente.get("/api/reportes/R-NOEXIST").status_code == 404


def test_reporte_por_punto_donde_falta_un_cajon(cliente):
    r = _enviar(
        cliente,
        {
            "latitud": 17.0611,
            "longitud": -96.7201,
            "tipo": "falta_cajon",
            "descripcion": "Aquí hace falta",
        },
    )
    assert r.status_code == 201
    publico = cliente.get(f"/api/reportes/{r.get_json()['folio']}").get_json()
    assert publico["estacionamiento_id"] is None and publico["latitud"] == 17.0611


@pytest.mark.parametrize(
    ("cuerpo", "mensaje"),
    [
        (
            {"estacionamiento_id": "NO-EXISTE", "tipo": "danado", "descripcion": "x"},
            "No existe un estacionamiento con ese identificador",
        ),
        (
            {"estacionamiento_id": "EST-001", "tipo": "graffiti", "descripcion": "x"},
            "Tipo de reporte desconocido; use uno de: ocupado_indebidamente, danado, sin_senalizacion, obstruido, falta_cajon, otro",
        ),
        (
            {"estacionamiento_id": "EST-001", "tipo": "danado", "descripcion": "x" * 1001},
            "El campo descripcion pasa de 1,000 caracteres",
        ),
        (
            {
                "latitud": 19.0414,
                "longitud": -98.2063,
                "tipo": "falta_cajon",
                "descripcion": "Puebla",
            },
            "El punto está fuera de la entidad",
        ),
        (
            {"tipo": "danado", "descripcion": "sin lugar"},
            "Indique el estacionamiento (estacionamiento_id) o el punto (latitud y longitud)",
        ),
        (
            {
                "estacionamiento_id": "EST-001",
                "tipo": "danado",
                "descripcion": "x",
                "contacto": "no sé",
            },
            "El contacto debe ser un correo o un teléfono",
        ),
        (
            {"estacionamiento_id": "EST-001", "tipo": "danado", "descripcion": "x", "extra": 1},
            "Campos desconocidos: extra",
        ),
        ([1, 2], "El cuerpo debe ser un objeto JSON con los campos del reporte"),
    ],
)
def test_entrada_no_valida_400_con_mensaje_en_espanol(cliente, cuerpo, mensaje):
    r = _enviar(cliente, cuerpo)
    assert r.status_code == 400
    assert r.get_json()["error"] == mensaje


def test_descripcion_de_1000_caracteres_se_acepta(cliente):
    r = _enviar(
        cliente, {"estacionamiento_id": "EST-001", "tipo": "otro", "descripcion": "ñ" * 1000}
    )
    assert r.status_code == 201


def test_tipo_de_contenido_tamano_y_json_invalido(cliente):
    texto = cliente.post(
        "/api/reportes", data="tipo=danado", content_type="application/x-www-form-urlencoded"
    )
    assert texto.status_code == 415 and "JSON" in texto.get_json()["error"]
    grande = cliente.post(
        "/api/reportes",
        data=json.dumps({"descripcion": "x" * 20000}),
        content_type="application/json",
    )
    assert grande.status_code == 413
    roto = cliente.post("/api/reportes", data="{no es json", content_type="application/json")
    assert roto.status_code == 400 and roto.get_json()["error"] == "El cuerpo no es un JSON válido"


def test_limite_por_cliente_por_hora(cliente, monkeypatch):
    monkeypatch.setenv("SIGUE_LIMITE_REPORTES", "3")
    cuerpo = {"estacionamiento_id": "EST-002", "tipo": "danado", "descripcion": "bache"}
    estados = [_enviar(cliente, cuerpo).status_code for _ in range(4)]
    assert estados == [201, 201, 201, 429]
    otro = _enviar(cliente, cuerpo, environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert otro.status_code == 201  # el límite es por cliente


def test_texto_hostil_se_guarda_tal_cual_y_sale_como_texto(cliente):
    r = _enviar(cliente, {"estacionamiento_id": "EST-001", "tipo": "otro", "descripcion": HOSTIL})
    folio = r.get_json()["folio"]
    assert cliente.get(f"/api/reportes/{folio}").get_json()["descripcion"] == HOSTIL
    csv = cliente.get("/descargas/reportes.csv").get_data(as_text=True)
    assert HOSTIL.replace('"', '""') in csv
    geojson = cliente.get("/descargas/reportes.geojson").get_json()
    assert [f["properties"]["descripcion"] for f in geojson["features"]] == [HOSTIL]
    assert cliente.get("/api/reportes/" + folio).status_code == 200  # la tabla sigue ahí


def test_descargas_de_reportes_solo_campos_publicos(cliente):
    _enviar(
        cliente,
        {
            "estacionamiento_id": "EST-001",
            "tipo": "danado",
            "descripcion": "roto",
            "contacto": CONTACTO,
        },
    )
    _enviar(
        cliente,
        {"latitud": 17.0611, "longitud": -96.7201, "tipo": "falta_cajon", "descripcion": "falta"},
    )
    csv = cliente.get("/descargas/reportes.csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    lineas = csv.get_data(as_text=True).splitlines()
    assert (
        lineas[0]
        == "folio,estado,tipo,descripcion,estacionamiento_id,latitud,longitud,creado,actualizado,respuesta,adhesiones,"
        "objeto,objeto_id,cvegeo,texto_oculto,nota_moderacion,fotos"
    )
    assert len(lineas) == 3
    geojson = cliente.get("/descargas/reportes.geojson").get_json()
    assert geojson["type"] == "FeatureCollection" and len(geojson["features"]) == 2
    for respuesta in (csv, cliente.get("/descargas/reportes.geojson")):
        assert CONTACTO not in respuesta.get_data(as_text=True)


def test_sumarse_a_un_reporte_abierto_en_vez_de_duplicar(app):
    with app.server.test_request_context():
        from tablero.reportes import web

        s = web.sesion()
        campos = servicio.validar(
            {"estacionamiento_id": "EST-001", "tipo": "obstruido", "descripcion": "macetas"},
            web.cajones_publicados(),
        )
        primero = servicio.crear(s, campos, "cliente-a", 10)
        assert servicio.abierto_similar(s, "EST-001", "obstruido").folio == primero.folio
        assert servicio.abierto_similar(s, "EST-001", "danado") is None
        servicio.sumarse(s, primero.folio, "sigue igual", None, "cliente-b", 10)
        assert servicio.publico(servicio.consultar(s, primero.folio))["adhesiones"] == 1
        assert servicio.abiertos_por_cajon(s) == {"EST-001": 1}


def _entrar(cliente, usuario="atiende", contrasena="una-contraseña-larga"):
    pagina = cliente.get("/atencion/entrar").get_data(as_text=True)
    token = re.search(r'name="csrf" value="([^"]+)"', pagina).group(1)
    return cliente.post(
        "/atencion/entrar", data={"usuario": usuario, "contrasena": contrasena, "csrf": token}
    ), token


def test_atencion_requiere_entrar_y_csrf_y_registra_cada_cambio(app, cliente, caplog):
    caplog.set_level(logging.DEBUG)
    with app.server.test_request_context():
        from tablero.reportes import web

        servicio.crear_usuario(web.sesion(), "atiende", "una-contraseña-larga")
    folio = _enviar(
        cliente,
        {
            "estacionamiento_id": "EST-001",
            "tipo": "danado",
            "descripcion": "pintura borrada",
            "contacto": CONTACTO,
        },
    ).get_json()["folio"]

    assert cliente.get("/atencion").status_code == 302  # sin sesión
    sin_token = cliente.post(
        "/atencion/entrar", data={"usuario": "atiende", "contrasena": "una-contraseña-larga"}
    )
    assert sin_token.status_code == 400
    mala, _ = _entrar(cliente, contrasena="equivocada-123")
    assert mala.status_code == 401
    buena, token = _entrar(cliente)
    assert buena.status_code == 302

    lista = cliente.get("/atencion").get_data(as_text=True)
    assert folio in lista and CONTACTO in lista  # el contacto solo aquí
    token_nuevo = re.search(r'name="csrf" value="([^"]+)"', lista).group(1)
    assert token_nuevo != token  # la sesión y su token se renuevan al entrar
    token = token_nuevo
    sin_respuesta = cliente.post(
        f"/atencion/reporte/{folio}", data={"estado": "atendido", "csrf": token}
    )
    assert sin_respuesta.status_code == 400
    assert "Escriba la respuesta pública" in sin_respuesta.get_data(as_text=True)
    cliente.post(
        f"/atencion/reporte/{folio}", data={"estado": "en_atencion", "respuesta": "", "csrf": token}
    )
    cliente.post(
        f"/atencion/reporte/{folio}",
        data={"estado": "atendido", "respuesta": "Se repintó el cajón.", "csrf": token},
    )
    falsificado = cliente.post(
        f"/atencion/reporte/{folio}", data={"estado": "en_atencion", "csrf": "otro"}
    )
    assert falsificado.status_code == 400

    publico = cliente.get(f"/api/reportes/{folio}").get_json()
    assert publico["estado"] == "atendido" and publico["respuesta"] == "Se repintó el cajón."
    assert [(h["de"], h["a"], h["respuesta"]) for h in publico["historial"]] == [
        (None, "recibido", None),
        ("recibido", "en_atencion", None),
        ("en_atencion", "atendido", "Se repintó el cajón."),
    ]
    with app.server.test_request_context():
        from tablero.reportes import web

        cambios = servicio.consultar(web.sesion(), folio).cambios
        assert [c.usuario for c in cambios] == [None, "atiende", "atiende"]
    assert "atiende" not in json.dumps(publico)  # quién atendió no se publica
    assert CONTACTO not in caplog.text


def test_contrasenas_solo_como_hash(app):
    with app.server.test_request_context():
        from tablero.reportes import web

        usuario = servicio.crear_usuario(web.sesion(), "revisa", "otra-contraseña-larga")
        assert "otra-contraseña-larga" not in usuario.hash_contrasena
        assert usuario.hash_contrasena.startswith(("scrypt:", "pbkdf2:"))
        assert (
            servicio.verificar(web.sesion(), "revisa", "otra-contraseña-larga").nombre == "revisa"
        )
        assert servicio.verificar(web.sesion(), "revisa", "no") is None
        with pytest.raises(servicio.ErrorReporte, match="al menos 12"):
            servicio.crear_usuario(web.sesion(), "corta", "123")


def test_cli_crea_usuario_con_hash(tmp_path, monkeypatch, capsys, base_limpia):
    import io

    from tablero.cli import main

    monkeypatch.setattr("sys.stdin", io.StringIO("clave-de-prueba-larga\n"))
    assert main(["usuario", "crear", "funcionaria", "--datos", str(tmp_path)]) == 0
    assert "Usuario funcionaria creado" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("clave-de-prueba-larga\n"))
    assert main(["usuario", "crear", "funcionaria", "--datos", str(tmp_path)]) == 1
    assert "Ya existe el usuario funcionaria" in capsys.readouterr().err
    with bd.sesiones(bd.url_base(tmp_path))() as sesion:
        assert servicio.verificar(sesion, "funcionaria", "clave-de-prueba-larga") is not None


def _texto_de(componente) -> str:
    """Todo el texto de un árbol de componentes de Dash, con los espacios normalizados."""
    return " ".join(ayuda.texto(componente).split())


def test_pagina_publica_por_folio_y_por_cajon_sin_contacto(app, cliente):
    import importlib

    folio = _enviar(
        cliente,
        {
            "estacionamiento_id": "EST-002",
            "tipo": "sin_senalizacion",
            "descripcion": HOSTIL,
            "contacto": CONTACTO,
        },
    ).get_json()["folio"]
    pagina = importlib.import_module("paginas.reporte")
    with app.server.test_request_context():
        texto = _texto_de(pagina.layout(folio=folio))
        assert f"Reporte {folio}" in texto and "Recibido" in texto and "Sin señalización" in texto
        assert HOSTIL in texto and CONTACTO not in texto
        por_cajon = _texto_de(pagina.layout(estacionamiento="EST-002"))
        assert folio in por_cajon and "Reportes del cajón EST-002" in por_cajon
        assert "No hay ningún reporte con el folio R-NADA" in _texto_de(
            pagina.layout(folio="R-NADA")
        )


def test_formulario_de_la_pagina_de_estacionamientos(app, cliente):
    """Los callbacks del formulario: folio, no duplicar (sumarse), errores, conteo en el mapa."""
    import importlib

    pagina = importlib.import_module("paginas.estacionamientos")
    with app.server.test_request_context(environ_base={"REMOTE_ADDR": "10.1.1.1"}):
        mensaje, similar = pagina.enviar_reporte(
            1, "EST-001", "obstruido", "Macetas en el cajón", CONTACTO, None, None
        )
        texto = _texto_de(mensaje)
        folio = re.search(r"R-[2-9A-HJ-NP-Z]{7}", texto).group(0)
        assert f"Recibimos su reporte. Su folio es {folio} ." in texto and similar == ""
        assert CONTACTO not in texto

        # mismo espacio y tipo: se muestra el abierto y se ofrece sumarse
        mensaje, similar = pagina.enviar_reporte(
            1, "EST-001", "obstruido", "Siguen ahí", None, None, None
        )
        assert similar == folio and "ya tiene un reporte abierto del mismo tipo" in _texto_de(
            mensaje
        )
        sumado, _ = pagina.sumarse_al_reporte(1, similar, "Siguen ahí", None)
        assert "Se sumó al reporte existente" in _texto_de(sumado)

        # sin espacio: un punto donde falta un cajón
        mensaje, _ = pagina.enviar_reporte(
            1, "", "falta_cajon", "Falta aquí", None, "17.0611", "-96.7201"
        )
        assert "Su folio es" in _texto_de(mensaje)
        mensaje, _ = pagina.enviar_reporte(1, "", None, "sin tipo", None, None, None)
        assert "Tipo de reporte desconocido" in _texto_de(mensaje)

        # el mapa y la ficha cuentan los reportes abiertos del espacio
        ficha, _, _ = pagina.mostrar_ficha("EST-001", None)
        assert "Reportes abiertos sobre este espacio: 1 ." in _texto_de(ficha)
        figura, filas, *_ = pagina.actualizar([], None)
        assert {f["id"]: f["reportes_abiertos"] for f in filas} == {"EST-001": 1, "EST-002": 0}
    publico = cliente.get(f"/api/reportes/{folio}").get_json()
    assert publico["adhesiones"] == 1 and publico["descripcion"] == "Macetas en el cajón"


def test_csv_no_ejecuta_formulas_y_atencion_no_se_incrusta(app, cliente):
    _enviar(
        cliente,
        {"estacionamiento_id": "EST-001", "tipo": "otro", "descripcion": '=HYPERLINK("http://x")'},
    )
    csv = cliente.get("/descargas/reportes.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in csv
    respuesta = cliente.get("/atencion/entrar")
    assert respuesta.headers["X-Frame-Options"] == "DENY"
    assert respuesta.headers["Cache-Control"] == "no-store"


def test_usuario_dado_de_baja_pierde_la_sesion_y_solo_cuentan_los_fallos(app, cliente):
    with app.server.test_request_context():
        from tablero.reportes import web

        servicio.crear_usuario(web.sesion(), "atiende", "una-contraseña-larga")
    for _ in range(12):  # entradas correctas no cuentan para el límite de intentos
        assert _entrar(cliente)[0].status_code == 302
    assert cliente.get("/atencion").status_code == 200
    with app.server.test_request_context():
        from tablero.reportes import web
        from tablero.reportes.modelo import Usuario

        s = web.sesion()
        s.query(Usuario).filter_by(nombre="atiende").update({"activo": False})
        s.commit()
    assert cliente.get("/atencion").status_code == 302


def test_un_error_de_la_base_no_repite_el_contacto(app):
    from sqlalchemy.exc import IntegrityError

    from tablero.reportes.modelo import Reporte

    with app.server.test_request_context():
        from tablero.reportes import web

        s = web.sesion()
        s.add(Reporte(folio="R-DUPLICA", tipo="otro", descripcion="a", contacto=CONTACTO))
        s.commit()
        s.add(Reporte(folio="R-DUPLICA", tipo="otro", descripcion="b", contacto=CONTACTO))
        with pytest.raises(IntegrityError) as error:
            s.commit()
        s.rollback()
    assert CONTACTO not in str(error.value)


def test_soltar_motores_cierra_lo_abierto_antes_de_crear_procesos(tmp_path):
    """El proceso principal de gunicorn suelta los motores (y sus conexiones) antes de
    crear los hijos: el siguiente ``motor`` es otro, sin conexiones heredadas."""
    from sqlalchemy import text

    url = bd.url_base(tmp_path)
    primero = bd.motor(url)
    with primero.connect() as conexion:
        conexion.execute(text("select 1"))
    assert primero.pool.checkedin() == 1
    bd.soltar_motores()
    assert primero.pool.checkedin() == 0
    segundo = bd.motor(url)
    assert segundo is not primero
    bd.soltar_motores()
