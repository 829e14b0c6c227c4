"""Mapas de puntos acotados: la fila elegida siempre se ve y /estacionamientos también tiene tope.

Con ``MAXIMO_PUNTOS`` chico (``monkeypatch``) el ejemplo no cabe entero: una obra, escuela o
espacio elegido fuera de los que el mapa dibuja primero se dibuja igual, al cambiar un
filtro y al elegirlo (solo se mandan los puntos).
"""

from __future__ import annotations

import dash
import numpy as np
import pandas as pd
import pytest

import capas
from capas.puntos import falta_dibujar, prioridad_estacionamientos, prioridad_obras
from tablero.app import crear_app
from tablero.figuras import estacionamientos as figuras_estacionamientos
from tablero.figuras import puntos as mapa_puntos
from tests import ayuda_paginas as ayuda
from tests.test_capas_puntos import OBRAS


@pytest.fixture(scope="module")
def app(raiz_ejemplo):
    return crear_app(raiz_ejemplo)


@pytest.fixture(scope="module")
def datos(raiz_ejemplo):
    return capas.abrir(raiz_ejemplo)


@pytest.fixture
def peticion(app):
    with app.server.test_request_context("/"):
        yield


# --- capas.puntos ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("elegido", "falta"),
    [
        ("C", True),  # tercera por prioridad (D, B, C...): con maximo=2 no se dibuja sola
        ("A", True),
        ("D", False),  # ya está entre las dos primeras
        ("B", False),
        ("F", False),  # sin coordenadas: no se puede dibujar
        ("Z", False),  # no está en la tabla
        (None, False),
    ],
)
def test_falta_dibujar(elegido, falta):
    assert (
        falta_dibujar(OBRAS, prioridad_obras(OBRAS), maximo=2, clave="folio", elegido=elegido)
        is falta
    )


def test_prioridad_de_estacionamientos():
    espacios = pd.DataFrame(
        {
            "estado": ["bueno", "requiere_rehabilitacion", "otro", None, "propuesto", "bueno"],
            "reportes_abiertos": [0, 0, 0, 3, 0, 1],
        }
    )
    # más reportes abiertos primero (3: posición 3; 1: posición 5), luego por estado:
    # requiere rehabilitación (1), propuesto (4), bueno (0), otro estado al final (2)
    assert prioridad_estacionamientos(espacios).tolist() == [3, 5, 1, 4, 0, 2]


# --- páginas --------------------------------------------------------------------------------


def _ids(parche) -> list:
    return ayuda.asignaciones(parche)[("data", mapa_puntos.TRAZA_PUNTOS, "customdata")]


#: Controles de /obras sin filtros (en el orden de ``FILTROS`` de la página).
SIN_FILTROS = [None, None, [], [], None, None, [], "", "", None]


def _obras_en_orden(pagina, datos) -> list[str]:
    """Folios con coordenadas que muestra la página sin filtros, del más al menos importante."""
    filtros, _ = pagina.filtros_de_la_pagina(
        datos, dict(zip(pagina.FILTROS, SIN_FILTROS, strict=True))
    )
    tabla = pagina.CAPA.leer(datos, **filtros)
    validas = (tabla["latitud"].notna() & tabla["longitud"].notna()).to_numpy()
    return [tabla["folio"].iloc[i] for i in prioridad_obras(tabla) if validas[i]]


def _actualizar_obras(pagina, folio, version):
    return pagina.actualizar(*SIN_FILTROS, folio, version)


def test_obras_la_elegida_fuera_del_tope_se_dibuja(app, datos, peticion, monkeypatch):
    monkeypatch.setattr(mapa_puntos, "MAXIMO_PUNTOS", 5)
    pagina = ayuda.modulo("/obras")
    orden = _obras_en_orden(pagina, datos)
    ultima, primera = orden[-1], orden[0]
    # al cambiar un filtro con una obra elegida que no está entre las 5 primeras: las 4
    # primeras y la elegida
    parche, *_ = _actualizar_obras(pagina, ultima, datos.id)
    assert set(_ids(parche)) == set(orden[:4] + [ultima])
    # sin elegida: las 5 primeras
    parche, *_ = _actualizar_obras(pagina, None, datos.id)
    assert set(_ids(parche)) == set(orden[:5])
    # al elegirla (solo cambia la elegida): solo los puntos, sin encuadre ni resumen
    with ayuda.disparado_por("obras-folio.data") as llamar:
        salida = llamar(_actualizar_obras, pagina, ultima, datos.id)
    assert set(_ids(salida[0])) == set(orden[:4] + [ultima])
    assert salida[1:] == (dash.no_update,) * 4
    # una que ya se ve: nada que mandar
    with ayuda.disparado_por("obras-folio.data") as llamar:
        assert llamar(_actualizar_obras, pagina, primera, datos.id) == (dash.no_update,) * 5


def test_escuelas_la_buscada_fuera_del_tope_se_dibuja(app, datos, peticion):
    from capas.puntos import prioridad_escuelas

    pagina = ayuda.modulo("/escuelas")
    filtros, _ = pagina.filtros_de_la_pagina(datos, {})
    tabla = capas.capa("escuelas").leer(datos, **filtros)
    validas = np.isfinite(pd.to_numeric(tabla["latitud"], errors="coerce")) & np.isfinite(
        pd.to_numeric(tabla["longitud"], errors="coerce")
    )
    orden = [tabla["cct"].iloc[i] for i in prioridad_escuelas(tabla) if validas.iloc[i]]
    assert len(orden) > mapa_puntos.MAXIMO_PUNTOS  # el ejemplo no cabe entero
    ultima = orden[-1]
    parche, *_ = pagina.actualizar(None, None, [], [], ultima, None, datos.id)
    assert ultima in _ids(parche) and len(_ids(parche)) == mapa_puntos.MAXIMO_PUNTOS
    with ayuda.disparado_por("escuelas-buscar.value") as llamar:
        salida = llamar(pagina.actualizar, None, None, [], [], ultima, None, datos.id)
    assert ultima in _ids(salida[0]) and salida[1:] == (dash.no_update,) * 3
    # escribir algo que no es una escuela fuera del mapa no manda nada
    with ayuda.disparado_por("escuelas-buscar.value") as llamar:
        salida = llamar(pagina.actualizar, None, None, [], [], "oax", None, datos.id)
    assert salida == (dash.no_update,) * 4


def test_estacionamientos_con_tope_nota_y_elegido(app, datos, peticion, monkeypatch):
    monkeypatch.setattr(mapa_puntos, "MAXIMO_PUNTOS", 3)
    pagina = ayuda.modulo("/estacionamientos")
    tabla = capas.capa("estacionamientos").leer(datos)
    con = int((tabla["latitud"].notna() & tabla["longitud"].notna()).sum())
    parche, _, resumen, _ = pagina.actualizar([], None, datos.id)
    ids = ayuda.asignaciones(parche)[("data", figuras_estacionamientos.TRAZA_PUNTOS, "customdata")]
    orden = [tabla["id"].iloc[i] for i in prioridad_estacionamientos(tabla)]
    assert ids == sorted(orden[:3], key=list(tabla["id"]).index)
    assert resumen.endswith(
        f"El mapa dibuja 3 de los {con:,} espacios con coordenadas (primero los que tienen "
        f"reportes abiertos y los que requieren rehabilitación); {con - 3:,} más están en la "
        "tabla: filtre por estado para verlos en el mapa."
    )
    ultimo = orden[-1]
    with ayuda.disparado_por("estacionamientos-espacio.data") as llamar:
        salida = llamar(pagina.actualizar, [], ultimo, datos.id)
    ids = ayuda.asignaciones(salida[0])[
        ("data", figuras_estacionamientos.TRAZA_PUNTOS, "customdata")
    ]
    assert ultimo in ids and len(ids) == 3
    assert salida[1:] == (dash.no_update,) * 3
    # la figura de la página abre con el espacio de la URL aunque quede fuera del tope
    arbol = pagina.layout(espacio=ultimo)
    figura = ayuda.por_id(arbol, "estacionamientos-mapa")["props"]["figure"]
    assert ultimo in figura["data"][figuras_estacionamientos.TRAZA_PUNTOS]["customdata"]
