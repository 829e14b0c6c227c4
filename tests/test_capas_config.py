"""Configuración: umbrales por omisión, textos, iconos y paleta apta para daltonismo."""

from __future__ import annotations

import itertools
from dataclasses import fields

import numpy as np
import pytest

from capas import config


def test_umbrales_por_omision_de_la_metodologia():
    u = config.UMBRALES
    assert (u.gasto_verde, u.gasto_amarillo, u.gasto_sobregiro) == (0.90, 0.70, 1.00)
    assert (u.cobertura_verde, u.cobertura_amarillo) == (0.95, 0.80)
    assert (u.obra_pago_sin_avance, u.obra_amarillo, u.obra_sobrecosto) == (0.25, 0.10, 0.10)


def test_cada_umbral_esta_documentado():
    nombres = {f.name for f in fields(config.Umbrales)}
    assert nombres == set(config.DESCRIPCION_UMBRALES)
    metodologia = config.metodologia()
    assert {u["nombre"] for u in metodologia["umbrales"]} == nombres


def test_metodologia_llena_las_reglas_con_los_umbrales():
    alertas = {a["codigo"]: a for a in config.metodologia()["alertas"]}
    assert list(alertas) == list(config.CODIGOS_ALERTA)
    assert "25 puntos" in alertas["pago_sin_avance"]["regla"]
    assert "10 %" in alertas["sobrecosto"]["regla"]
    propios = config.metodologia(config.Umbrales(obra_pago_sin_avance=0.3))
    assert "30 puntos" in propios["alertas"][0]["regla"]


def test_ocho_alertas_y_tres_rojas():
    assert config.CODIGOS_ALERTA == (
        "pago_sin_avance",
        "sobrecosto",
        "vencida",
        "avance_invalido",
        "terminada_sin_estatus",
        "folio_duplicado",
        "fuera_de_municipio",
        "sin_georreferencia",
    )
    assert config.ALERTAS_ROJAS == ("pago_sin_avance", "sobrecosto", "vencida")


def test_etiquetas_del_semaforo_del_gasto():
    assert config.ETIQUETAS_GASTO == {
        "en_tiempo": "en tiempo",
        "con_rezago": "con rezago",
        "rezago_grave": "rezago grave",
        "sobregiro": "sobregiro",
        "sin_dato": "sin dato",
    }


def test_cada_luz_tiene_icono_y_texto_distintos():
    assert set(config.PALETA) == set(config.LUCES)
    iconos = [config.PALETA[luz].icono for luz in config.LUCES]
    colores = [config.PALETA[luz].color for luz in config.LUCES]
    assert len(set(iconos)) == 4 and len(set(colores)) == 4
    for etiquetas in (config.ETIQUETAS_COBERTURA, config.ETIQUETAS_OBRA):
        assert set(etiquetas) == set(config.LUCES)


def _lineal(color: str) -> np.ndarray:
    c = np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)]) / 255
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _luminancia(color: str) -> float:
    return float(_lineal(color) @ np.array([0.2126, 0.7152, 0.0722]))


def _lab(lineal: np.ndarray) -> np.ndarray:
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    x = (xyz @ np.clip(lineal, 0, 1)) / np.array([0.95047, 1.0, 1.08883])
    f = np.where(x > 0.008856, np.cbrt(x), 7.787 * x + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


# Simulación de daltonismo de Machado, Oliveira y Fernandes (2009), severidad 1.
_SIMULACION = {
    "deuteranopia": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.01182, 0.04294, 0.968881],
        ]
    ),
    "protanopia": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
}


@pytest.mark.parametrize("tipo", sorted(_SIMULACION))
def test_paleta_distinguible_con_daltonismo(tipo):
    matriz = _SIMULACION[tipo]
    simulados = {luz: _lab(matriz @ _lineal(config.PALETA[luz].color)) for luz in config.LUCES}
    for a, b in itertools.combinations(config.LUCES, 2):
        assert np.linalg.norm(simulados[a] - simulados[b]) > 30, (a, b)


def test_texto_sobre_cada_color_tiene_contraste_suficiente():
    for luz in config.PALETA.values():
        claro, oscuro = sorted([_luminancia(luz.color), _luminancia(luz.color_texto)])[::-1]
        assert (claro + 0.05) / (oscuro + 0.05) >= 4.5, luz.valor


def test_estados_de_estacionamiento():
    assert [e.valor for e in config.ESTADOS_ESTACIONAMIENTO] == [
        "bueno",
        "requiere_rehabilitacion",
        "en_rehabilitacion",
        "rehabilitado",
        "propuesto",
    ]
