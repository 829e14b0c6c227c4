"""Entrada de funcionarios: límites que no se vuelven contra el usuario, tiempo constante y
sesiones que terminan (salir, desactivar, cambiar la contraseña).

Corre contra SQLite y, con ``DATABASE_URL``, contra PostgreSQL (``make test-postgresql``).
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
from datetime import datetime, timedelta

import pytest

from tablero.reportes import servicio
from tests.ayuda_reportes import crear_app_de_prueba
from tests.test_reportes import _enviar


@pytest.fixture()
def app(tmp_path, monkeypatch):
    return crear_app_de_prueba(tmp_path, monkeypatch)


@pytest.fixture()
def cliente(app):
    return app.server.test_client()


CONTRASENA = "una-contraseña-larga"


def _crear_usuario(app, nombre="atiende", contrasena=CONTRASENA):
    with app.server.test_request_context():
        from tablero.reportes import web

        servicio.crear_usuario(web.sesion(), nombre, contrasena)


def _token(cliente, direccion="10.1.1.1") -> str:
    pagina = cliente.get("/atencion/entrar", environ_base={"REMOTE_ADDR": direccion}).get_data(
        as_text=True
    )
    return re.search(r'name="csrf" value="([^"]+)"', pagina).group(1)


def _entrar(cliente, direccion="10.1.1.1", usuario="atiende", contrasena=CONTRASENA, token=None):
    token = token or _token(cliente, direccion)
    return cliente.post(
        "/atencion/entrar",
        data={"usuario": usuario, "contrasena": contrasena, "csrf": token},
        environ_base={"REMOTE_ADDR": direccion},
    )


class Reloj:
    """Reloj de prueba para ``servicio.ahora``: avanza solo cuando se le pide."""

    def __init__(self):
        self.momento = datetime(2026, 3, 1, 12, 0, 0)

    def __call__(self) -> datetime:
        return self.momento

    def avanzar(self, espera: timedelta) -> None:
        self.momento += espera


@pytest.fixture()
def reloj(monkeypatch):
    reloj = Reloj()
    monkeypatch.setattr(servicio, "ahora", reloj)
    return reloj


@pytest.fixture()
def contar_scrypt(monkeypatch):
    """Cuenta las llamadas a ``hashlib.scrypt`` (cada verificación de contraseña hace una)."""
    original = hashlib.scrypt
    cuenta = {"n": 0}
    candado = threading.Lock()

    def scrypt(*args, **kwargs):
        with candado:
            cuenta["n"] += 1
        return original(*args, **kwargs)

    # El hash ficticio se calcula al arrancar el servidor, no en una entrada.
    getattr(servicio, "hash_ficticio", lambda: None)()
    monkeypatch.setattr(hashlib, "scrypt", scrypt)
    return cuenta


# --- límite de entradas -------------------------------------------------------------------


def test_fallos_desde_otras_direcciones_no_bloquean_al_usuario_en_la_suya(app, reloj):
    _crear_usuario(app)
    atacante = app.server.test_client()
    # Diez contraseñas equivocadas desde diez direcciones distintas...
    for i in range(10):
        assert _entrar(atacante, f"10.6.6.{i}", contrasena="equivocada-123").status_code == 401
    # ... y doce más desde una sola: esa dirección queda en espera tras cinco fallos.
    estados = [
        _entrar(atacante, "10.6.6.200", contrasena="equivocada-123").status_code for _ in range(12)
    ]
    assert estados == [401] * 5 + [429] * 7
    # El funcionario, desde su dirección, entra a la primera.
    real = app.server.test_client()
    assert _entrar(real, "10.1.1.1").status_code == 302
    assert real.get("/atencion").status_code == 200


def test_esperas_crecientes_por_direccion_y_cuenta(app, reloj):
    """Cinco fallos libres por (dirección, cuenta); luego 30 s, 1, 2, 4, 8 min, hasta 15 min."""
    with app.server.test_request_context():
        from tablero.reportes import web

        s = web.sesion()
        claves = servicio.claves_entrada("cliente-x", "atiende")
        esperas = []
        permitidos = 0
        while len(esperas) < 8:
            espera = servicio.reservar_entrada(s, claves)
            if espera is None:
                permitidos += 1
                continue
            esperas.append(espera)
            assert servicio.reservar_entrada(s, claves) == espera  # sigue en espera
            reloj.avanzar(espera - timedelta(seconds=1))
            assert servicio.reservar_entrada(s, claves) == timedelta(seconds=1)
            reloj.avanzar(timedelta(seconds=1))
        assert [e.total_seconds() for e in esperas] == [30, 60, 120, 240, 480, 900, 900, 900]
        assert permitidos == 5 + 7
        # Otra cuenta desde la misma dirección no hereda la espera (13 fallos < 20).
        assert servicio.reservar_entrada(s, servicio.claves_entrada("cliente-x", "otra")) is None
        # Una entrada correcta borra los fallos del par: cinco intentos libres otra vez.
        servicio.entrada_correcta(s, claves)
        assert [servicio.reservar_entrada(s, claves) for _ in range(5)] == [None] * 5
        assert servicio.reservar_entrada(s, claves) == timedelta(seconds=30)


def test_limite_por_direccion_con_cualquier_cuenta(app, reloj):
    """Veinte fallos desde una dirección (cuentas distintas) la ponen en espera para todas."""
    _crear_usuario(app)
    atacante = app.server.test_client()
    for i in range(20):
        r = _entrar(atacante, "10.7.7.7", usuario=f"prueba{i}", contrasena="equivocada-123")
        assert r.status_code == 401
    bloqueado = _entrar(atacante, "10.7.7.7")  # ni con la contraseña correcta
    assert bloqueado.status_code == 429
    assert bloqueado.headers["Retry-After"] == "30"
    assert "Demasiados intentos fallidos: espere 30 segundos" in bloqueado.get_data(as_text=True)
    assert _entrar(app.server.test_client(), "10.1.1.1").status_code == 302
    reloj.avanzar(timedelta(seconds=30))
    assert _entrar(atacante, "10.7.7.7").status_code == 302


def test_ipv6_cuenta_por_su_red_64(app, reloj):
    """Cambiar de dirección dentro de la misma red /64 no da intentos nuevos."""
    _crear_usuario(app)
    atacante = app.server.test_client()
    estados = [
        _entrar(atacante, f"2001:db8:1:2::{i:x}", contrasena="equivocada-123").status_code
        for i in range(1, 8)
    ]
    assert estados == [401] * 5 + [429] * 2
    assert _entrar(atacante, "2001:db8:1:3::1", contrasena="equivocada-123").status_code == 401


def test_rafaga_de_entradas_verifica_exactamente_los_intentos_libres(app, reloj, contar_scrypt):
    """60 entradas simultáneas con contraseña equivocada: 5 verificadas, 55 en espera."""
    _crear_usuario(app)
    clientes = [app.server.test_client() for _ in range(60)]
    tokens = [_token(c, "10.8.8.8") for c in clientes]
    contar_scrypt["n"] = 0
    barrera = threading.Barrier(len(clientes))
    estados = [None] * len(clientes)

    def intentar(i: int) -> None:
        barrera.wait()
        estados[i] = _entrar(
            clientes[i], "10.8.8.8", contrasena="equivocada-123", token=tokens[i]
        ).status_code

    hilos = [threading.Thread(target=intentar, args=(i,)) for i in range(len(clientes))]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join(timeout=120)
    assert sorted(estados) == [401] * 5 + [429] * 55
    assert contar_scrypt["n"] == 5


def test_mismo_numero_de_scrypt_para_usuario_existente_y_desconocido(app, contar_scrypt):
    """El tiempo de la entrada no dice qué usuarios existen: un scrypt en cada caso."""
    _crear_usuario(app)
    _crear_usuario(app, "dado.de.baja")
    with app.server.test_request_context():
        from tablero.reportes import web

        s = web.sesion()
        servicio.desactivar_usuario(s, "dado.de.baja")
        casos = {
            "existente, contraseña equivocada": ("atiende", "equivocada-123"),
            "existente, contraseña correcta": ("atiende", CONTRASENA),
            "desconocido": ("nadie-asi", "equivocada-123"),
            "dado de baja": ("dado.de.baja", CONTRASENA),
            "nombre no válido": ("a\x00b", "equivocada-123"),
            "contraseña con sustituto": ("atiende", "\ud800" * 20),
        }
        llamadas = {}
        for caso, (nombre, contrasena) in casos.items():
            contar_scrypt["n"] = 0
            resultado = servicio.verificar(s, nombre, contrasena)
            llamadas[caso] = (contar_scrypt["n"], resultado is not None)
    assert llamadas == {
        "existente, contraseña equivocada": (1, False),
        "existente, contraseña correcta": (1, True),
        "desconocido": (1, False),
        "dado de baja": (1, False),
        "nombre no válido": (1, False),
        "contraseña con sustituto": (1, False),
    }


# --- sesiones que terminan ----------------------------------------------------------------


def _folio_abierto(cliente) -> str:
    return _enviar(
        cliente, {"estacionamiento_id": "EST-001", "tipo": "danado", "descripcion": "roto"}
    ).get_json()["folio"]


def _cerrar(cliente, folio, token):
    return cliente.post(
        f"/atencion/reporte/{folio}",
        data={"estado": "atendido", "respuesta": "Cerrado con una cookie copiada.", "csrf": token},
    )


def _copiar_sesion(app, cliente):
    copia = app.server.test_client()
    copia.set_cookie("session", cliente.get_cookie("session").value)
    return copia


def test_cookie_copiada_antes_de_salir_ya_no_sirve(app, cliente):
    _crear_usuario(app)
    folio = _folio_abierto(cliente)
    assert _entrar(cliente).status_code == 302
    pagina = cliente.get("/atencion").get_data(as_text=True)
    token = re.search(r'name="csrf" value="([^"]+)"', pagina).group(1)
    copia, otra_copia = _copiar_sesion(app, cliente), _copiar_sesion(app, cliente)
    assert copia.get("/atencion").status_code == 200  # la copia sirve mientras siga abierta

    assert cliente.post("/atencion/salir", data={"csrf": token}).status_code == 302
    assert copia.get("/atencion").status_code == 302
    # Con la cookie copiada (que trae su token CSRF válido) no se puede cerrar el reporte.
    cerrar = _cerrar(otra_copia, folio, token)
    assert cerrar.status_code == 302 and "/atencion/entrar" in cerrar.headers["Location"]
    publico = cliente.get(f"/api/reportes/{folio}").get_json()
    assert publico["estado"] == "recibido" and len(publico["historial"]) == 1


def test_desactivar_desde_la_cli_cierra_sus_sesiones(app, cliente, monkeypatch, capsys):
    from tablero.cli import main

    _crear_usuario(app)
    _crear_usuario(app, "otra.persona")
    folio = _folio_abierto(cliente)
    assert _entrar(cliente).status_code == 302
    otra = app.server.test_client()
    assert _entrar(otra, usuario="otra.persona").status_code == 302
    token = re.search(
        r'name="csrf" value="([^"]+)"', cliente.get("/atencion").get_data(as_text=True)
    ).group(1)
    copia = _copiar_sesion(app, cliente)

    datos = app.server.config["SIGUE_DATOS"]
    assert main(["usuario", "desactivar", "atiende", "--datos", datos]) == 0
    assert (
        capsys.readouterr().out.strip()
        == "Usuario atiende desactivado; sus sesiones abiertas se cerraron."
    )
    assert cliente.get("/atencion").status_code == 302
    cerrar = _cerrar(copia, folio, token)
    assert cerrar.status_code == 302 and "/atencion/entrar" in cerrar.headers["Location"]
    assert cliente.get(f"/api/reportes/{folio}").get_json()["estado"] == "recibido"
    assert _entrar(app.server.test_client(), "10.2.2.2").status_code == 401
    assert otra.get("/atencion").status_code == 200  # las sesiones de otros siguen

    assert main(["usuario", "desactivar", "nadie", "--datos", datos]) == 1
    assert capsys.readouterr().err.strip() == "Error: No existe el usuario nadie."


def test_cambiar_contrasena_desde_la_cli_cierra_sus_sesiones(app, cliente, monkeypatch, capsys):
    from tablero.cli import main

    _crear_usuario(app)
    assert _entrar(cliente).status_code == 302
    datos = app.server.config["SIGUE_DATOS"]
    monkeypatch.setattr("sys.stdin", io.StringIO("corta\n"))
    assert main(["usuario", "contrasena", "atiende", "--datos", datos]) == 1
    assert "al menos 12 caracteres" in capsys.readouterr().err
    assert cliente.get("/atencion").status_code == 200  # sin cambio, la sesión sigue

    monkeypatch.setattr("sys.stdin", io.StringIO("otra-contraseña-nueva\n"))
    assert main(["usuario", "contrasena", "atiende", "--datos", datos]) == 0
    assert (
        capsys.readouterr().out.strip()
        == "Contraseña de atiende cambiada; sus sesiones abiertas se cerraron."
    )
    assert cliente.get("/atencion").status_code == 302
    nuevo = app.server.test_client()
    assert _entrar(nuevo, "10.3.3.3").status_code == 401  # la contraseña vieja ya no
    assert _entrar(nuevo, "10.3.3.3", contrasena="otra-contraseña-nueva").status_code == 302


def test_la_base_guarda_solo_el_hash_del_token_de_sesion(app, cliente):
    from tablero.reportes.modelo import SesionAtencion

    _crear_usuario(app)
    assert _entrar(cliente).status_code == 302
    with app.server.test_request_context():
        from tablero.reportes import web

        filas = web.sesion().query(SesionAtencion).all()
    assert len(filas) == 1 and re.fullmatch(r"[0-9a-f]{64}", filas[0].token)
    assert filas[0].expira - filas[0].creada == timedelta(hours=8)
