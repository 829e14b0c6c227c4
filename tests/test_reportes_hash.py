"""Costo de scrypt de las contraseñas: seguro por omisión, bajo solo dentro de pytest."""

from __future__ import annotations

import logging

from werkzeug.security import check_password_hash, generate_password_hash

from tablero.reportes import servicio
from tablero.reportes.servicio import ENTORNO_SCRYPT_N, metodo_hash


def test_sin_variable_el_costo_es_el_seguro(monkeypatch):
    monkeypatch.delenv(ENTORNO_SCRYPT_N, raising=False)
    assert servicio.SCRYPT_SEGURO == (2**15, 8, 1)
    assert metodo_hash() == "scrypt:32768:8:1"


def test_las_pruebas_corren_con_el_costo_bajo():
    """``tests/conftest.py`` fija 2**7: cada hash de la suite cuesta ~1 ms."""
    assert metodo_hash() == "scrypt:128:8:1"


def test_costo_bajo_fuera_de_pytest_se_ignora_y_se_avisa(monkeypatch, caplog):
    monkeypatch.setenv(ENTORNO_SCRYPT_N, "128")
    monkeypatch.delenv("PYTEST_CURRENT_TEST")
    with caplog.at_level(logging.WARNING, logger="tablero.reportes.servicio"):
        assert metodo_hash() == "scrypt:32768:8:1"
    assert caplog.messages == [
        "SIGUE_SCRYPT_N=128 es menor que el costo seguro y solo vale en las pruebas; se usa n=32768"
    ]


def test_costo_mayor_fuera_de_pytest_se_acepta(monkeypatch):
    monkeypatch.setenv(ENTORNO_SCRYPT_N, "65536")
    monkeypatch.delenv("PYTEST_CURRENT_TEST")
    assert metodo_hash() == "scrypt:65536:8:1"


def test_valor_no_valido_se_ignora_y_se_avisa(monkeypatch, caplog):
    with caplog.at_level(logging.WARNING, logger="tablero.reportes.servicio"):
        for pedido in ("mil", "100", "64", str(2**21)):
            monkeypatch.setenv(ENTORNO_SCRYPT_N, pedido)
            assert metodo_hash() == "scrypt:32768:8:1"
    assert caplog.messages == [
        f"SIGUE_SCRYPT_N={pedido!r} no es una potencia de 2 de 128 a 1048576; se usa n=32768"
        for pedido in ("mil", "100", "64", str(2**21))
    ]


def test_el_hash_lleva_su_costo_y_se_verifica_con_otro_configurado(monkeypatch):
    """Un hash hecho con el costo seguro se verifica con el bajo configurado, y al revés."""
    seguro = generate_password_hash("una-contraseña-larga", "scrypt:32768:8:1")
    bajo = generate_password_hash("una-contraseña-larga", metodo_hash())
    assert seguro.startswith("scrypt:32768:8:1$")
    assert bajo.startswith("scrypt:128:8:1$")
    assert check_password_hash(seguro, "una-contraseña-larga")
    monkeypatch.delenv(ENTORNO_SCRYPT_N)
    assert metodo_hash() == "scrypt:32768:8:1"
    assert check_password_hash(bajo, "una-contraseña-larga")
    assert not check_password_hash(bajo, "otra-contraseña-larga")
