"""Avisos por correo de los reportes: bandeja de salida, envío, reintentos, baja y privacidad.

Un servidor SMTP de verdad (``aiosmtpd``) escucha en 127.0.0.1 con un puerto efímero,
arrancado por cada prueba. Corre contra SQLite y, con ``DATABASE_URL``, contra PostgreSQL
(``make test-postgresql``). Datos publicados: los de ``tests/ayuda_reportes.py`` (obra
``05096400004`` del municipio 20067).
"""

from __future__ import annotations

import importlib
import logging
import re
import socket
import time
from datetime import timedelta
from email import message_from_bytes
from email.policy import default as politica

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from tablero.reportes import bd, correo, servicio
from tablero.reportes.modelo import Aviso, Suscripcion
from tests import ayuda_paginas as ayuda
from tests.ayuda_reportes import crear_app_completa

CORREO = "vecina.privada@example.org"
OTRO_CORREO = "otro.vecino@example.net"
OBRA = "05096400004"
SITIO = "https://sigue.ejemplo.mx"
ENLACE_BAJA = re.compile(rf"{re.escape(SITIO)}/reportes/baja/([A-Za-z0-9_-]{{43}})")


class _Buzon:
    """Manejador de aiosmtpd que guarda cada mensaje; rechaza (550) las direcciones dadas."""

    def __init__(self):
        self.recibidos = []
        self.rechazar: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.rechazar:
            return "550 5.1.1 Buzón inexistente"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.recibidos.append(envelope)
        return "250 OK"

    def mensajes(self):
        return [message_from_bytes(e.content, policy=politica) for e in self.recibidos]


def _cuerpo(mensaje) -> str:
    return mensaje.get_body(("plain",)).get_content().replace("\r\n", "\n")


def _bitacora(caplog) -> str:
    """Lo que escribió el tablero en la bitácora (sin la del servidor SMTP de la prueba)."""
    return "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("mail"))


class _ControladorEfimero(Controller):
    """Controller de aiosmtpd en el puerto 0: el sistema elige uno libre."""

    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@pytest.fixture()
def buzon():
    manejador = _Buzon()
    # La bitácora del servidor de prueba (anota cada RCPT) no se mezcla con la del tablero.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    controlador = _ControladorEfimero(manejador, hostname="127.0.0.1", port=0)
    controlador.start()
    manejador.puerto = controlador.port
    try:
        yield manejador
    finally:
        controlador.stop()


def _puerto_cerrado() -> int:
    """Un puerto de 127.0.0.1 donde no escucha nadie (conexión rechazada)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _configurar(monkeypatch, puerto: int) -> None:
    monkeypatch.setenv("SIGUE_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SIGUE_SMTP_PUERTO", str(puerto))
    monkeypatch.setenv("SIGUE_SMTP_SEGURIDAD", "ninguna")
    monkeypatch.setenv("SIGUE_SMTP_REMITENTE", "avisos@sigue.ejemplo.mx")
    monkeypatch.setenv("SIGUE_SMTP_TIEMPO", "5")
    monkeypatch.setenv("SIGUE_URL_BASE", SITIO + "/")
    for nombre in ("SIGUE_SMTP_USUARIO", "SIGUE_SMTP_CLAVE"):
        monkeypatch.delenv(nombre, raising=False)


@pytest.fixture()
def app(tmp_path, monkeypatch):
    for nombre in ("SIGUE_SMTP_HOST", "SIGUE_SMTP_PUERTO", "SIGUE_URL_BASE", "SIGUE_SECRETO"):
        monkeypatch.delenv(nombre, raising=False)
    return crear_app_completa(tmp_path, monkeypatch)


@pytest.fixture()
def cliente(app):
    return app.server.test_client()


def _reportar(cliente, contacto=CORREO, tipo="obra_detenida") -> str:
    r = cliente.post(
        "/api/reportes",
        json={"obra": OBRA, "tipo": tipo, "descripcion": "Nadie trabaja", "contacto": contacto},
    )
    assert r.status_code == 201, r.get_json()
    return r.get_json()["folio"]


def _entrar(app, cliente) -> str:
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
    lista = cliente.get("/atencion").get_data(as_text=True)
    return re.search(r'name="csrf" value="([^"]+)"', lista).group(1)


def _cambiar(cliente, token, folio, estado, respuesta=""):
    """Cambia el estado como un funcionario; cerrar la respuesta dispara el envío (como en
    un servidor real, que la cierra al terminar de mandarla)."""
    r = cliente.post(
        f"/atencion/reporte/{folio}",
        data={"csrf": token, "estado": estado, "respuesta": respuesta},
    )
    r.close()
    assert r.status_code == 302, r.get_data(as_text=True)
    assert r.headers["Location"].endswith(f"/atencion/reporte/{folio}?hecho=1")
    return r


def _avisos(app) -> list[tuple[str, int, str | None]]:
    with bd.sesiones(app.server.config["SIGUE_BASE_REPORTES"])() as s:
        return [
            (a.estado, a.intentos, a.error) for a in s.scalars(select(Aviso).order_by(Aviso.id))
        ]


def test_el_aviso_llega_con_seguimiento_y_baja_y_el_correo_no_sale_en_ningun_lado_publico(
    app, cliente, buzon, monkeypatch, caplog
):
    _configurar(monkeypatch, buzon.puerto)
    caplog.set_level(logging.DEBUG)
    folio = _reportar(cliente)
    token = _entrar(app, cliente)
    assert buzon.recibidos == []  # recibir un reporte no manda correo
    _cambiar(cliente, token, folio, "en_atencion", "Vamos a revisar la obra.\nBcc: x@example.com")

    [sobre] = buzon.recibidos
    assert sobre.mail_from == "avisos@sigue.ejemplo.mx" and sobre.rcpt_tos == [CORREO]
    [mensaje] = buzon.mensajes()
    assert mensaje["To"] == CORREO and mensaje["From"] == "avisos@sigue.ejemplo.mx"
    assert mensaje["Subject"] == f"Su reporte {folio}: En atención"
    assert mensaje["Bcc"] is None  # el texto del funcionario va solo en el cuerpo
    assert mensaje["Auto-Submitted"] == "auto-generated"
    assert mensaje["Message-ID"].startswith("<aviso-") and folio.lower() in mensaje["Message-ID"]
    cuerpo = _cuerpo(mensaje)
    assert f"Su reporte {folio} (Obra detenida, obra {OBRA}) cambió de estado" in cuerpo
    assert "de «Recibido» a «En atención»" in cuerpo
    assert "Respuesta de la autoridad:\n\nVamos a revisar la obra.\nBcc: x@example.com" in cuerpo
    seguimiento = f"{SITIO}/reporte?folio={folio}"
    assert seguimiento in cuerpo.splitlines()
    [enlace_baja] = [linea for linea in cuerpo.splitlines() if ENLACE_BAJA.fullmatch(linea)]
    assert mensaje["List-Unsubscribe"] == f"<{enlace_baja}>"
    assert mensaje["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert _avisos(app) == [("enviado", 1, None)]

    # los enlaces abren (sin el sitio: el cliente de pruebas es el mismo servidor)
    assert cliente.get(f"/reporte?folio={folio}").status_code == 200
    assert cliente.get(enlace_baja.removeprefix(SITIO)).status_code == 200
    # en la base no está el token de baja, solo su hash
    token_baja = ENLACE_BAJA.fullmatch(enlace_baja).group(1)
    with bd.sesiones(app.server.config["SIGUE_BASE_REPORTES"])() as s:
        [guardado] = s.scalars(select(Suscripcion.token)).all()
    assert guardado == correo.huella(token_baja) and token_baja not in guardado

    # el correo del reportante no aparece en nada público...
    publicas = [
        f"/api/reportes/{folio}",
        f"/reporte?folio={folio}",
        "/open311/v2/requests.json",
        f"/open311/v2/requests/{folio}.json",
        "/descargas/reportes.csv",
        "/descargas/reportes.geojson",
        f"/feeds/obra/{OBRA}.atom",
        "/feeds/municipio/20067.atom",
        enlace_baja.removeprefix(SITIO),
    ]
    for ruta in publicas:
        r = cliente.get(ruta)
        assert r.status_code == 200, ruta
        assert CORREO not in r.get_data(as_text=True), ruta
    assert folio in cliente.get(f"/feeds/obra/{OBRA}.atom").get_data(as_text=True)
    pagina = importlib.import_module("paginas.reporte")
    with app.server.test_request_context():
        texto = ayuda.texto(pagina.layout(folio=folio))
    assert folio in texto and "Vamos a revisar la obra." in texto and CORREO not in texto
    # ...ni en la bitácora, que sí dice qué aviso salió
    assert f"aviso enviado del reporte {folio}" in caplog.messages
    assert CORREO not in _bitacora(caplog)


def test_baja_de_un_clic_get_sin_efecto_post_da_de_baja(app, cliente, buzon, monkeypatch):
    _configurar(monkeypatch, buzon.puerto)
    folio = _reportar(cliente)
    token = _entrar(app, cliente)
    _cambiar(cliente, token, folio, "en_atencion")
    enlace = buzon.mensajes()[0]["List-Unsubscribe"].strip("<>").removeprefix(SITIO)

    # GET (lo que hacen los revisores de enlaces del correo): una página con un botón, nada más
    pagina = cliente.get(enlace)
    html = pagina.get_data(as_text=True)
    assert pagina.status_code == 200 and pagina.headers["Cache-Control"] == "no-store"
    assert pagina.headers["Referrer-Policy"] == "no-referrer"
    assert "Dejar de recibir avisos" in html and folio in html
    assert re.search(rf'<form method="post" action="{re.escape(enlace)}">', html)
    assert len(re.findall(r"<button", html)) == 1
    assert CORREO not in html
    _cambiar(cliente, token, folio, "atendido", "Se reanudó la obra")
    assert len(buzon.recibidos) == 2  # el GET no dio de baja

    # POST de un clic (RFC 8058), como lo manda el cliente de correo, sin cookies ni CSRF
    otro = cliente.application.test_client()
    hecho = otro.post(
        enlace,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert hecho.status_code == 200
    assert "Listo: ya no recibirá avisos" in hecho.get_data(as_text=True)
    assert otro.post(enlace).status_code == 200  # repetirlo no cambia nada
    assert "Ya no recibe avisos" in cliente.get(enlace).get_data(as_text=True)

    _cambiar(cliente, token, folio, "en_atencion", "Se reabre")
    assert len(buzon.recibidos) == 2  # no llegan más correos
    assert [e for e, _i, _x in _avisos(app)] == ["enviado", "enviado"]
    assert cliente.get(f"/api/reportes/{folio}").get_json()["estado"] == "en_atencion"


@pytest.mark.parametrize("token", ["A" * 43, "corto", "x" * 500, "%00", "..%5C..", "á" * 43])
def test_token_de_baja_invalido_es_404_en_espanol(cliente, token):
    for metodo in (cliente.get, cliente.post):
        r = metodo(f"/reportes/baja/{token}")
        assert r.status_code == 404
        assert "Enlace de baja no válido" in r.get_data(as_text=True)


def test_sin_smtp_no_se_envia_nada_y_el_cambio_funciona(app, cliente, buzon, caplog):
    caplog.set_level(logging.DEBUG)
    folio = _reportar(cliente)
    token = _entrar(app, cliente)
    _cambiar(cliente, token, folio, "atendido", "Listo")
    assert cliente.get(f"/api/reportes/{folio}").get_json()["estado"] == "atendido"
    assert buzon.recibidos == [] and _avisos(app) == []  # ni se encola
    assert not [m for m in caplog.messages if "aviso" in m.lower()]


def test_smtp_caido_guarda_el_cambio_y_el_aviso_sale_al_reintentar(
    app, cliente, buzon, monkeypatch, caplog, capsys
):
    from tablero.cli import main

    _configurar(monkeypatch, _puerto_cerrado())
    caplog.set_level(logging.DEBUG)
    folio = _reportar(cliente)
    token = _entrar(app, cliente)
    _cambiar(cliente, token, folio, "atendido", "Se reanudó")
    assert cliente.get(f"/api/reportes/{folio}").get_json()["estado"] == "atendido"
    assert _avisos(app) == [("pendiente", 1, "ConnectionRefusedError")]
    assert any(f"{folio}" in m and "queda pendiente" in m for m in caplog.messages)

    # el servidor vuelve; la orden respeta la espera del siguiente intento (1 minuto)...
    monkeypatch.setenv("SIGUE_SMTP_PUERTO", str(buzon.puerto))
    datos = app.server.config["SIGUE_DATOS"]
    assert main(["avisos", "--datos", str(datos)]) == 0
    assert "0 enviados, 0 pendientes" in capsys.readouterr().out and buzon.recibidos == []
    # ...y --todos envía ya
    assert main(["avisos", "--datos", str(datos), "--todos"]) == 0
    assert "1 enviados, 0 pendientes" in capsys.readouterr().out
    [mensaje] = buzon.mensajes()
    assert mensaje["Subject"] == f"Su reporte {folio}: Atendido"
    assert _avisos(app) == [("enviado", 2, None)]
    # un correo no se envía dos veces
    assert main(["avisos", "--datos", str(datos), "--todos"]) == 0
    assert len(buzon.recibidos) == 1
    # el enlace de baja que armó la orden vale en el sitio (mismo secreto)
    enlace = mensaje["List-Unsubscribe"].strip("<>").removeprefix(SITIO)
    assert "Listo" in cliente.post(enlace).get_data(as_text=True)
    assert CORREO not in _bitacora(caplog)


def test_la_respuesta_no_espera_al_servidor_de_correo(app, cliente, monkeypatch):
    """Un servidor que acepta la conexión y nunca saluda: la respuesta del cambio de estado
    ya salió sin intento alguno; el envío corre al cerrarla y se rinde a los
    ``SIGUE_SMTP_TIEMPO`` segundos, con el aviso pendiente."""
    with socket.socket() as mudo:
        mudo.bind(("127.0.0.1", 0))
        mudo.listen(5)  # acepta en la cola del sistema y nunca contesta
        _configurar(monkeypatch, mudo.getsockname()[1])
        monkeypatch.setenv("SIGUE_SMTP_TIEMPO", "1")
        folio = _reportar(cliente)
        token = _entrar(app, cliente)
        r = cliente.post(
            f"/atencion/reporte/{folio}",
            data={"csrf": token, "estado": "en_atencion", "respuesta": ""},
        )
        assert r.status_code == 302
        assert _avisos(app) == [("pendiente", 0, None)]  # guardado, sin intento todavía
        inicio = time.perf_counter()
        r.close()
        assert time.perf_counter() - inicio >= 0.9
    assert _avisos(app) == [("pendiente", 1, "SMTPServerDisconnected")]  # smtplib: «timed out»


def test_el_siguiente_cambio_reintenta_los_pendientes_que_ya_toca(app, cliente, buzon, monkeypatch):
    _configurar(monkeypatch, _puerto_cerrado())
    folio = _reportar(cliente)
    token = _entrar(app, cliente)
    _cambiar(cliente, token, folio, "en_atencion")
    assert _avisos(app) == [("pendiente", 1, "ConnectionRefusedError")]
    monkeypatch.setenv("SIGUE_SMTP_PUERTO", str(buzon.puerto))
    ajustes = correo.ajustes_del_entorno()
    fabrica = bd.sesiones(app.server.config["SIGUE_BASE_REPORTES"])
    secreto = app.server.secret_key
    # antes de su espera no sale; pasada la espera, sí
    assert correo.enviar_pendientes(fabrica, ajustes, secreto).enviados == 0
    despues = servicio.ahora() + timedelta(minutes=2)
    assert correo.enviar_pendientes(fabrica, ajustes, secreto, momento=despues).enviados == 1
    assert correo.enviar_pendientes(fabrica, ajustes, secreto, momento=despues).enviados == 0
    assert len(buzon.recibidos) == 1


def test_un_aviso_reclamado_por_un_proceso_no_lo_toma_otro(app, cliente, monkeypatch):
    _configurar(monkeypatch, _puerto_cerrado())
    folio = _reportar(cliente)
    url = app.server.config["SIGUE_BASE_REPORTES"]
    with bd.sesiones(url)() as s:
        servicio.cambiar_estado(s, folio, "en_atencion", None, "ana")  # encola, sin enviar
    momento = servicio.ahora()
    with bd.sesiones(url)() as uno, bd.sesiones(url)() as otro:
        [reclamado] = correo._reclamar(uno, momento, todos=False, tope=None)
        assert correo._reclamar(otro, momento, todos=True, tope=None) == []
        # si el proceso que lo reclamó murió, el aviso vuelve a salir pasado el plazo
        tarde = momento + correo.RECLAMO_VENCE + timedelta(seconds=1)
        assert correo._reclamar(otro, tarde, todos=False, tope=None) == [reclamado]
    assert _avisos(app) == [("enviando", 2, None)]


def test_un_rechazo_definitivo_no_se_reintenta(app, cliente, buzon, monkeypatch, caplog):
    _configurar(monkeypatch, buzon.puerto)
    caplog.set_level(logging.DEBUG)
    buzon.rechazar.add(CORREO)
    folio = _reportar(cliente)
    token = _entrar(app, cliente)
    _cambiar(cliente, token, folio, "en_atencion")
    assert buzon.recibidos == []
    assert _avisos(app) == [("fallido", 1, "SMTPRecipientsRefused 550")]
    assert any("no se reintenta" in m and folio in m for m in caplog.messages)
    assert CORREO not in _bitacora(caplog)  # el error de smtplib sí trae la dirección: no se copia
    fabrica = bd.sesiones(app.server.config["SIGUE_BASE_REPORTES"])
    later = servicio.ahora() + timedelta(days=1)
    ajustes = correo.ajustes_del_entorno()
    assert correo.enviar_pendientes(fabrica, ajustes, "s", momento=later).enviados == 0


def test_quien_se_sumo_con_correo_tambien_recibe_su_aviso(app, cliente, buzon, monkeypatch):
    _configurar(monkeypatch, buzon.puerto)
    folio = _reportar(cliente)
    with app.server.test_request_context():
        from tablero.reportes import web

        servicio.sumarse(web.sesion(), folio, "Yo también", OTRO_CORREO, "otro-cliente", 10)
        servicio.sumarse(web.sesion(), folio, "Igual", CORREO.upper(), "tercero", 10)
    token = _entrar(app, cliente)
    _cambiar(cliente, token, folio, "en_atencion")
    por_destino = {m["To"]: m for m in buzon.mensajes()}
    assert sorted(por_destino) == sorted([CORREO, OTRO_CORREO])  # la misma dirección, una vez
    cuerpo = _cuerpo(por_destino[OTRO_CORREO])
    assert f"El reporte {folio} al que usted se sumó" in cuerpo
    assert por_destino[OTRO_CORREO]["Subject"] == f"Reporte {folio}: En atención"
    assert por_destino[CORREO]["Subject"] == f"Su reporte {folio}: En atención"
    bajas = {m["List-Unsubscribe"] for m in por_destino.values()}
    assert len(bajas) == 2  # cada quien con su propio enlace de baja


@pytest.mark.parametrize(
    ("contacto", "valido"),
    [
        ("ana.lopez+obras@correo.oaxaca.gob.mx", True),
        ("951 123 4567", True),
        ("x,y@example.org", False),
        ("Ana <ana@example.org>", False),
        ("a@b", False),
        ("a@@b.mx", False),
        ('"a b"@example.org', False),
        ("ana@example.org\nBcc: otro@example.org", False),
    ],
)
def test_el_correo_se_valida_al_recibirlo(cliente, contacto, valido):
    r = cliente.post(
        "/api/reportes",
        json={"obra": OBRA, "tipo": "otro", "descripcion": "x", "contacto": contacto},
    )
    if valido:
        assert r.status_code == 201
    else:
        assert r.status_code == 400
        assert r.get_json() == {
            "error": "El correo no es válido; escríbalo como nombre@dominio.mx",
            "campo": "contacto",
        }


def test_ajustes_del_entorno():
    assert correo.ajustes_del_entorno({}) is None
    base = {"SIGUE_SMTP_HOST": "smtp.ejemplo.mx", "SIGUE_URL_BASE": "https://sigue.mx/"}
    ajustes = correo.ajustes_del_entorno(base)
    assert (ajustes.seguridad, ajustes.puerto, ajustes.tiempo) == ("starttls", 587, 10.0)
    assert (ajustes.remitente, ajustes.url_publica) == ("no-responder@sigue.mx", "https://sigue.mx")
    ssl = correo.ajustes_del_entorno(
        {**base, "SIGUE_SMTP_SEGURIDAD": "SSL", "SIGUE_SMTP_USUARIO": "avisos@sigue.mx"}
    )
    assert (ssl.seguridad, ssl.puerto, ssl.remitente) == ("ssl", 465, "avisos@sigue.mx")
    assert correo.ajustes_del_entorno({**base, "SIGUE_URL_BASE": "sigue.mx"}).url_publica == ""
    for clave, valor, mensaje in [
        ("SIGUE_SMTP_SEGURIDAD", "tls", "SIGUE_SMTP_SEGURIDAD debe ser starttls, ssl o ninguna"),
        ("SIGUE_SMTP_PUERTO", "veinticinco", "SIGUE_SMTP_PUERTO debe ser un número de 1 a 65535"),
        ("SIGUE_SMTP_TIEMPO", "0", "SIGUE_SMTP_TIEMPO debe ser un número de segundos mayor"),
    ]:
        with pytest.raises(correo.ErrorAjustes, match=mensaje):
            correo.ajustes_del_entorno({**base, clave: valor})


def test_sin_url_publica_los_avisos_esperan(app, cliente, buzon, monkeypatch, caplog):
    _configurar(monkeypatch, buzon.puerto)
    monkeypatch.delenv("SIGUE_URL_BASE")
    folio = _reportar(cliente)
    token = _entrar(app, cliente)
    _cambiar(cliente, token, folio, "en_atencion")
    assert buzon.recibidos == [] and _avisos(app) == [("pendiente", 0, None)]
    assert any("defina SIGUE_URL_BASE" in m for m in caplog.messages)
    with bd.sesiones(app.server.config["SIGUE_BASE_REPORTES"])() as s:
        assert s.scalar(select(func.count()).select_from(Suscripcion)) == 1


def test_una_base_del_esquema_3_recibe_las_tablas_de_avisos(tmp_path, app):
    from sqlalchemy import create_engine, inspect, text

    from tablero.reportes.modelo import VERSION_ESQUEMA, Base, Esquema

    url = app.server.config.get("SIGUE_BASE_REPORTES") or bd.url_base(tmp_path / "vieja")
    bd.motor.cache_clear()
    motor = create_engine(url)
    Base.metadata.drop_all(motor)
    viejas = [t for n, t in Base.metadata.tables.items() if n not in ("avisos", "suscripciones")]
    Base.metadata.create_all(motor, tables=viejas)
    with motor.begin() as conexion:
        conexion.execute(Esquema.__table__.insert().values(id=1, version=3))
    motor.dispose()
    assert VERSION_ESQUEMA == 4
    motor = bd.motor(url)
    assert {"avisos", "suscripciones"} <= set(inspect(motor).get_table_names())
    with motor.connect() as conexion:
        assert conexion.execute(text("SELECT version FROM esquema")).scalar() == 4
    bd.motor.cache_clear()


def test_la_ficha_promete_avisos_solo_si_hay_servidor_de_correo(app, monkeypatch):
    from tablero.reportes import fichas

    def texto():
        with app.server.test_request_context():
            return ayuda.texto(fichas.formulario("obra", OBRA, "Obra de prueba"))

    assert "le avisaremos" not in texto()
    monkeypatch.setenv("SIGUE_SMTP_HOST", "127.0.0.1")
    assert "Si deja su correo, le avisaremos cada vez que cambie el estado." in texto()
