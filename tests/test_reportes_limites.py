"""Límite por hora de reportes por cliente ante ráfagas: se cumple exactamente.

Corre contra SQLite y, con ``DATABASE_URL``, contra PostgreSQL (``make test-postgresql``).
"""

from __future__ import annotations

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


def _rafaga(app, cantidad: int, direccion: str) -> list[int]:
    clientes = [app.server.test_client() for _ in range(cantidad)]
    barrera = threading.Barrier(cantidad)
    estados: list[int | None] = [None] * cantidad

    def enviar(i: int) -> None:
        cuerpo = {
            "estacionamiento_id": "EST-001" if i % 2 else "EST-002",
            "tipo": "ocupado_indebidamente",
            "descripcion": f"ráfaga n.º {i}",
        }
        barrera.wait()
        estados[i] = _enviar(
            clientes[i], cuerpo, environ_base={"REMOTE_ADDR": direccion}
        ).status_code

    hilos = [threading.Thread(target=enviar, args=(i,)) for i in range(cantidad)]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join(timeout=120)
    return estados


def test_rafaga_de_40_del_mismo_cliente_acepta_exactamente_10(app, cliente):
    assert cliente.get("/api/reportes/R-CALIENTA").status_code == 404  # base ya preparada
    estados = _rafaga(app, 40, "10.4.4.4")
    assert sorted(estados) == [201] * 10 + [429] * 30
    descargas = cliente.get("/descargas/reportes.csv").get_data(as_text=True).splitlines()
    assert len(descargas) == 1 + 10  # encabezado y exactamente los 10 aceptados
    # Otro cliente no comparte el límite.
    assert _rafaga(app, 3, "10.5.5.5") == [201, 201, 201]


def test_el_limite_cuenta_la_ultima_hora_y_tambien_las_adhesiones(app, monkeypatch):
    reloj = {"ahora": datetime(2026, 3, 1, 12, 0, 0)}
    monkeypatch.setattr(servicio, "ahora", lambda: reloj["ahora"])
    with app.server.test_request_context():
        from tablero.reportes import web

        s = web.sesion()
        campos = servicio.validar(
            {"estacionamiento_id": "EST-001", "tipo": "obstruido", "descripcion": "macetas"},
            web.cajones_publicados(),
        )
        primero = servicio.crear(s, campos, "cliente-c", 3)  # 12:00
        servicio.sumarse(s, primero.folio, "sigue igual", None, "cliente-c", 3)  # 12:00
        reloj["ahora"] += timedelta(minutes=30)
        servicio.crear(s, campos, "cliente-c", 3)  # 12:30
        with pytest.raises(servicio.LimiteExcedido) as error:
            servicio.crear(s, campos, "cliente-c", 3)
        assert error.value.mensaje == "Llegó al límite de 3 reportes por hora; intente más tarde"
        # A las 13:00:01 los dos envíos de las 12:00 ya salieron de la ventana (deslizante).
        reloj["ahora"] += timedelta(minutes=30, seconds=1)
        servicio.crear(s, campos, "cliente-c", 3)
        servicio.crear(s, campos, "cliente-c", 3)
        with pytest.raises(servicio.LimiteExcedido):
            servicio.crear(s, campos, "cliente-c", 3)


def test_una_base_de_la_version_1_se_migra_al_arrancar(tmp_path, monkeypatch):
    """Una base de antes (sin las tablas de límites ni de sesiones) las recibe al arrancar."""
    from sqlalchemy import create_engine, inspect
    from sqlalchemy.orm import Session

    from tablero.reportes import bd
    from tablero.reportes.modelo import VERSION_ESQUEMA, Base, Esquema, Limite, SesionAtencion

    crear_app_de_prueba(tmp_path, monkeypatch)  # con PostgreSQL, base vacía
    url = bd.url_base(tmp_path / "vieja")
    motor = create_engine(url)
    nuevas = [Limite.__table__, SesionAtencion.__table__]
    Base.metadata.create_all(
        motor, tables=[t for t in Base.metadata.sorted_tables if t not in nuevas]
    )
    with Session(motor) as sesion:
        sesion.add(Esquema(id=1, version=1))
        sesion.commit()
    motor.dispose()

    bd.motor.cache_clear()
    motor = bd.motor(url)
    assert {"limites", "sesiones"} <= set(inspect(motor).get_table_names())
    with Session(motor) as sesion:
        assert sesion.get(Esquema, 1).version == VERSION_ESQUEMA
    bd.motor.cache_clear()
