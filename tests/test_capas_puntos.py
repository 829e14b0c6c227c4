"""Qué puntos dibuja un mapa (capas.puntos) y el peso de las figuras de /obras y /escuelas."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from plotly.io.json import to_json_plotly

from capas.puntos import elegir_puntos, prioridad_escuelas, prioridad_obras
from tablero.figuras import escuelas as figuras_escuelas
from tablero.figuras import obras as figuras_obras
from tablero.figuras import puntos as mapa_puntos

#: Cinco obras con coordenadas y una sin ellas. Por prioridad (rojo, amarillo, gris, verde;
#: más alertas; mayor monto): D (rojo, 2 alertas), B (rojo, 1), C (amarillo), E (verde,
#: $900), A (verde, $100). F es la más grave pero no tiene coordenadas.
OBRAS = pd.DataFrame(
    {
        "folio": ["A", "B", "C", "D", "E", "F"],
        "nombre": ["Obra A", "Obra B", "Obra C", "Obra D", "Obra E", "Obra F"],
        "semaforo": ["verde", "rojo", "amarillo", "rojo", "verde", "rojo"],
        "num_alertas": [0, 1, 0, 2, 0, 3],
        "monto_aprobado": [100.0, 10.0, 500.0, 5.0, 900.0, 1.0],
        "latitud": [17.0, 17.2, 16.0, 16.2, 17.4, np.nan],
        "longitud": [-96.0, -96.2, -97.0, -97.2, -96.4, np.nan],
        "cvegeo": ["20001", "20001", "20002", "20002", "20001", "20001"],
        "municipio": ["Uno", "Uno", "Dos", "Dos", "Uno", "Uno"],
    }
)


def test_prioridad_de_obras():
    # posiciones: F (sin coordenadas, aquí cuenta), D, B, C, E, A
    assert prioridad_obras(OBRAS).tolist() == [5, 3, 1, 2, 4, 0]


def test_prioridad_de_escuelas_empates_y_sin_dato():
    escuelas = pd.DataFrame(
        {
            "semaforo_cobertura": ["verde", "rojo", "rojo", "gris", "rojo"],
            "alumnos_inscritos": pd.array([500, 20, None, 900, 20], dtype="Int64"),
        }
    )
    # rojo con 20 (dos empatadas: orden de la tabla), rojo sin dato, gris, verde
    assert prioridad_escuelas(escuelas).tolist() == [1, 4, 2, 3, 0]


def test_con_tres_puntos_quedan_las_tres_mas_graves_y_el_resto_por_municipio():
    seleccion = elegir_puntos(OBRAS, prioridad_obras(OBRAS), maximo=3, clave="folio")
    # D, B y C, en el orden de la tabla
    assert OBRAS["folio"].iloc[seleccion.posiciones].tolist() == ["B", "C", "D"]
    assert (seleccion.con_coordenadas, seleccion.sin_coordenadas) == (5, 1)
    assert (seleccion.dibujados, seleccion.no_dibujados) == (3, 2)
    # A y E, las dos en el municipio 20001: un círculo en su punto medio
    assert seleccion.grupos.to_dict("records") == [
        {"grupo": "20001", "nombre": "Uno", "cuantos": 2, "latitud": 17.2, "longitud": -96.2}
    ]
    assert mapa_puntos.nota(5, "obras", "primero las graves", maximo=3) == (
        "El mapa dibuja 3 de las 5 obras con coordenadas (primero las graves); 2 más se "
        "cuentan en círculos grises, uno por municipio: elija un municipio o filtre para verlas."
    )
    assert mapa_puntos.nota(3, "obras", "primero las graves", maximo=3) == ""


def test_la_elegida_siempre_se_dibuja():
    # A es la última por prioridad: entra en lugar de C (la tercera)
    seleccion = elegir_puntos(OBRAS, prioridad_obras(OBRAS), maximo=3, clave="folio", elegido="A")
    assert OBRAS["folio"].iloc[seleccion.posiciones].tolist() == ["A", "B", "D"]
    assert seleccion.grupos[["grupo", "cuantos"]].to_dict("records") == [
        {"grupo": "20001", "cuantos": 1},
        {"grupo": "20002", "cuantos": 1},
    ]
    # si ya estaba entre las tres, nada cambia
    ya = elegir_puntos(OBRAS, prioridad_obras(OBRAS), maximo=3, clave="folio", elegido="B")
    assert OBRAS["folio"].iloc[ya.posiciones].tolist() == ["B", "C", "D"]
    # sin coordenadas o inexistente: no se dibuja ni desplaza a nadie
    for elegido in ("F", "ZZZ"):
        otra = elegir_puntos(
            OBRAS, prioridad_obras(OBRAS), maximo=3, clave="folio", elegido=elegido
        )
        assert OBRAS["folio"].iloc[otra.posiciones].tolist() == ["B", "C", "D"]


def test_sin_luz_al_final_y_sin_municipio_en_su_propio_grupo():
    obras = OBRAS.iloc[:5].copy()
    obras["semaforo"] = pd.array(["verde", None, "rojo", "morado", "rojo"], dtype="string")
    obras["cvegeo"] = pd.array(["20001", "20002", None, None, "20002"], dtype="string")
    # rojas E y C (0 alertas las dos: $900 antes que $500), la verde A; al final la sin luz
    # (B) y la de luz desconocida (D), entre ellas por alertas: D (2) antes que B (1)
    assert prioridad_obras(obras).tolist() == [4, 2, 0, 3, 1]
    seleccion = elegir_puntos(obras, prioridad_obras(obras), maximo=2, clave="folio")
    assert obras["folio"].iloc[seleccion.posiciones].tolist() == ["C", "E"]
    # A (20001), B (20002) y D (sin municipio: grupo "")
    assert seleccion.grupos[["grupo", "nombre", "cuantos"]].to_dict("records") == [
        {"grupo": "", "nombre": "Dos", "cuantos": 1},
        {"grupo": "20001", "nombre": "Uno", "cuantos": 1},
        {"grupo": "20002", "nombre": "Uno", "cuantos": 1},
    ]


def test_caben_todas_y_tabla_vacia():
    todas = elegir_puntos(OBRAS, prioridad_obras(OBRAS), maximo=10, clave="folio")
    assert todas.posiciones.tolist() == [0, 1, 2, 3, 4]
    assert todas.grupos.empty and todas.no_dibujados == 0
    vacia = OBRAS.iloc[:0]
    nada = elegir_puntos(vacia, prioridad_obras(vacia), maximo=3, clave="folio")
    assert nada.posiciones.tolist() == [] and nada.grupos.empty


def test_figura_de_obras_con_tres_puntos(monkeypatch):
    monkeypatch.setattr(mapa_puntos, "MAXIMO_PUNTOS", 3)
    vista = mapa_puntos.vista(None)
    figura = figuras_obras.figura_mapa(OBRAS, vista=vista, entidad=None, elegida="E")
    assert isinstance(figura, dict)  # sin go.Figure: nada que validar
    puntos = figura["data"][mapa_puntos.TRAZA_PUNTOS]
    assert puntos["customdata"] == ["B", "D", "E"]
    # posiciones en LUCES (rojo, rojo, verde) y coordenadas como arreglos binarios de Plotly
    assert puntos["marker"]["color"]["dtype"] == "u1"
    assert mapa_puntos.como_lista(puntos["marker"]["color"]) == [2, 2, 0]
    borde = figura["data"][mapa_puntos.TRAZA_PUNTOS - 1]
    assert borde["lat"]["dtype"] == "f4" and borde["lat"] == puntos["lat"]
    assert mapa_puntos.como_lista(borde["lat"]) == pytest.approx([17.2, 16.2, 17.4], abs=1e-5)
    circulos = figura["data"][mapa_puntos.TRAZA_GRUPOS]
    # A (20001) y C (20002) no caben: un círculo por municipio, en la posición de cada una
    assert circulos["text"] == ["Uno: 1 obra más", "Dos: 1 obra más"]
    assert mapa_puntos.como_lista(circulos["lat"]) == [17.0, 16.0]  # exactos en float32
    assert mapa_puntos.como_lista(circulos["lon"]) == [-96.0, -97.0]
    leyenda = figura["data"][-1]
    assert leyenda["name"] == "Más obras por municipio (no dibujadas): 2"
    assert leyenda["showlegend"] is True
    assert figuras_obras.resumen(OBRAS).endswith(
        "El mapa dibuja 3 de las 5 obras con coordenadas (primero las de semáforo rojo, con "
        "más alertas y de mayor monto); 2 más se cuentan en círculos grises, uno por "
        "municipio: elija un municipio o filtre para verlas."
    )


def _bytes(figura) -> int:
    """Bytes del JSON de la figura como lo manda Dash (``to_json_plotly``)."""
    return len(to_json_plotly(figura).encode())


def _obras_sinteticas(n: int) -> pd.DataFrame:
    """``n`` obras con nombres largos en 570 municipios (como una capa de obras grande)."""
    rng = np.random.default_rng(3)
    municipios = rng.integers(1, 571, n)
    return pd.DataFrame(
        {
            "folio": [f"OAX{2300000000 + i}" for i in range(n)],
            "nombre": [
                f"Construcción de la obra número {i} en una localidad lejana" for i in range(n)
            ],
            "semaforo": rng.choice(["verde", "amarillo", "rojo", "gris"], n),
            "num_alertas": rng.integers(0, 4, n),
            "monto_aprobado": rng.uniform(1e5, 5e7, n),
            "latitud": rng.uniform(15.6, 18.7, n),
            "longitud": rng.uniform(-98.6, -93.8, n),
            "cvegeo": [f"20{m:03d}" for m in municipios],
            "municipio": [f"Municipio {m}" for m in municipios],
        }
    )


def test_figura_acotada_con_veinte_mil_puntos():
    obras = _obras_sinteticas(20_000)
    vista = mapa_puntos.vista(None)
    ultima = obras["folio"].iloc[prioridad_obras(obras)[-1]]  # la menos importante
    figura = figuras_obras.figura_mapa(obras, vista=vista, entidad=None, elegida=ultima)
    json.dumps(figura)  # tipos de Python: nada de numpy
    assert _bytes(figura) <= 200_000
    puntos = figura["data"][mapa_puntos.TRAZA_PUNTOS]
    assert len(puntos["customdata"]) == mapa_puntos.MAXIMO_PUNTOS
    assert ultima in puntos["customdata"]
    circulos = figura["data"][mapa_puntos.TRAZA_GRUPOS]
    assert len(mapa_puntos.como_lista(circulos["lat"])) <= 570
    parche = figuras_obras.parche_mapa(obras, vista=vista)
    assert _bytes(parche) <= 200_000


def test_figura_de_escuelas_acotada():
    obras = _obras_sinteticas(20_000)
    escuelas = pd.DataFrame(
        {
            "cct": [f"20DPR{i:05d}X" for i in range(len(obras))],
            "nombre": obras["nombre"].str.upper(),
            "cobertura": np.linspace(0.2, 1.1, len(obras)),
            "semaforo_cobertura": obras["semaforo"],
            "alumnos_inscritos": obras["num_alertas"] * 100,
            **{c: obras[c] for c in ("latitud", "longitud", "cvegeo", "municipio")},
        }
    )
    figura = figuras_escuelas.figura_mapa(
        escuelas, vista=mapa_puntos.vista(None), entidad=None, elegida="20DPR00007X"
    )
    assert _bytes(figura) <= 200_000
    assert "20DPR00007X" in figura["data"][mapa_puntos.TRAZA_PUNTOS]["customdata"]


def test_pagina_de_obras_dibuja_la_elegida_y_dice_cuantas_faltan(raiz_ejemplo, monkeypatch):
    import capas
    from tablero.app import crear_app

    try:
        from tests import ayuda_paginas as ayuda
    except ImportError:  # pytest sin la raíz del proyecto en sys.path
        import ayuda_paginas as ayuda

    app = crear_app(raiz_ejemplo)
    pagina = ayuda.modulo("/obras")
    obras = capas.tabla_obras(capas.abrir(raiz_ejemplo))
    con_coordenadas = obras.dropna(subset=["latitud", "longitud"])
    ultima = con_coordenadas["folio"].iloc[prioridad_obras(con_coordenadas)[-1]]
    monkeypatch.setattr(mapa_puntos, "MAXIMO_PUNTOS", 3)
    with app.server.test_request_context("/obras"):
        arbol = pagina.layout(folio=ultima)
    figura = ayuda.por_id(arbol, "obras-mapa")["props"]["figure"]
    dibujadas = figura["data"][mapa_puntos.TRAZA_PUNTOS]["customdata"]
    assert len(dibujadas) == 3 and ultima in dibujadas
    resto = len(con_coordenadas) - 3
    resumen = ayuda.por_id(arbol, "obras-resumen")["props"]
    assert resumen["role"] == "status"  # texto visible que se anuncia al cambiar
    assert resumen["children"].endswith(
        f"El mapa dibuja 3 de las {len(con_coordenadas):,} obras con coordenadas (primero las "
        f"de semáforo rojo, con más alertas y de mayor monto); {resto:,} más se cuentan en "
        "círculos grises, uno por municipio: elija un municipio o filtre para verlas."
    )
    leyenda = figura["data"][-1]
    assert leyenda["name"] == f"Más obras por municipio (no dibujadas): {resto:,}"
