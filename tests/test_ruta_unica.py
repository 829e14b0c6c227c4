"""Una sola ruta de lectura: lo que una página escribe en su URL filtra igual en la descarga.

Sobre el escenario pequeño de ``tests/conftest_capas.py`` (nueve obras, seis escuelas, tres
cajones): para cada control de filtro de cada página se toman sus valores posibles (las
opciones de los desplegables y casillas, montos escritos como los escribe una persona), se
arma la URL como la escribe ``assets/url.js`` (listas con comas) y se comprueba que
(1) la declaración de la capa los acepta sin «no reconocidos», y (2) la tabla de la página y
``/descargas/<capa>.csv`` con los mismos parámetros tienen las mismas filas, en el mismo orden.
"""

from __future__ import annotations

import io
from urllib.parse import urlencode

import pandas as pd
import pytest

import capas
from capas.parametros import NoReconocido, ParametroInvalido, leer_parametros, visible
from tablero.app import crear_app

try:
    from tests import ayuda_paginas as ayuda
    from tests.conftest_capas import A, B, C, almacen_prueba, datos_prueba  # noqa: F401
except ImportError:  # pytest sin la raíz del proyecto en sys.path
    import ayuda_paginas as ayuda
    from conftest_capas import A, B, C, almacen_prueba, datos_prueba  # noqa: F401

#: Página, capa, clave de cada fila y parámetros de la página que no son filtros de la capa.
PAGINAS = {
    "/obras": ("obras", "folio", {"buscar", "folio", "agrupar"}),
    "/escuelas": ("escuelas", "cct", {"buscar"}),
    "/estacionamientos": ("estacionamientos", "id", {"buscar", "espacio"}),
}

#: Montos como los escribe una persona en «Desde» y «Hasta» (la URL guarda el texto tal cual).
MONTOS = ["150,000", "1000000", "$100,000.00", " 250000 "]


@pytest.fixture(scope="module")
def app(almacen_prueba):
    return crear_app(almacen_prueba.raiz)


@pytest.fixture(scope="module")
def cliente(app):
    return app.server.test_client()


def _en_url(valor) -> str:
    """El valor de un control como lo escribe ``assets/url.js`` en la URL."""
    return ",".join(map(str, valor)) if isinstance(valor, list) else str(valor)


def _valores_de_controles(app, ruta: str) -> dict[str, list[str]]:
    """Cada filtro de la página y los valores que su control puede escribir en la URL."""
    pagina = ayuda.modulo(ruta)
    with app.server.test_request_context(ruta):
        arbol = pagina.layout()
    valores: dict[str, list[str]] = {}
    for nombre, (id_, _propiedad) in pagina.CONTROLES.items():
        if nombre in PAGINAS[ruta][2]:
            continue
        props = ayuda.por_id(arbol, id_)["props"]
        if "options" in props:
            opciones = [o["value"] for o in props["options"]]
            valores[nombre] = [_en_url(v) for v in opciones]
            if props.get("multi") or isinstance(props.get("value"), list):  # varios a la vez
                valores[nombre].append(_en_url(opciones[:2]))
        else:  # entrada de texto libre: los montos
            valores[nombre] = MONTOS
    return valores


def _filas_pagina(app, ruta: str, parametros: dict) -> list[str]:
    pagina = ayuda.modulo(ruta)
    clave = PAGINAS[ruta][1]
    with app.server.test_request_context(ruta):
        arbol = pagina.layout(**parametros)
        return [f[clave] for f in ayuda.filas_del_layout(pagina, arbol)]


def _filas_descarga(cliente, capa: str, clave: str, parametros: dict) -> list[str]:
    respuesta = cliente.get(f"/descargas/{capa}.csv?{urlencode(parametros)}")
    assert respuesta.status_code == 200, respuesta.get_json()
    return list(pd.read_csv(io.BytesIO(respuesta.data), dtype=str)[clave])


def _casos(app, ruta):
    return [
        (nombre, valor)
        for nombre, posibles in _valores_de_controles(app, ruta).items()
        for valor in posibles
    ]


@pytest.mark.parametrize("ruta", list(PAGINAS))
def test_los_controles_de_la_pagina_son_filtros_de_su_capa(app, ruta):
    pagina = ayuda.modulo(ruta)
    nombre_capa, _, propios = PAGINAS[ruta]
    assert pagina.CAPA is capas.capa(nombre_capa)
    assert set(pagina.CONTROLES) - propios == set(pagina.CAPA.filtros)


def test_valores_posibles_del_escenario(app):
    """Los valores que se prueban abajo son los del escenario (no una lista vacía)."""
    obras = _valores_de_controles(app, "/obras")
    assert obras["anio"] == ["2025", "2024"]
    assert obras["municipio"][:3] == [A, B, C] or sorted(obras["municipio"][:3]) == [A, B, C]
    assert sorted(obras["contratista"]) == [
        "Beta SA",
        "Constructora Alfa",
        "Delta",
        "Epsilon",
        "Gamma",
    ]
    assert obras["alerta"][:2] == ["cualquiera", "ninguna"] and len(obras["alerta"]) == 10
    assert obras["nivel"] == ["MUNICIPAL", "MUNICIPAL"]
    assert obras["semaforo"][-1] == "verde,amarillo"
    escuelas = _valores_de_controles(app, "/escuelas")
    assert escuelas["anio"] == ["2024", "2023"]
    assert escuelas["nivel"] == ["PREESCOLAR", "PRIMARIA", "SECUNDARIA", "PREESCOLAR,PRIMARIA"]
    estacionamientos = _valores_de_controles(app, "/estacionamientos")
    assert len(estacionamientos["estado"]) == 6  # cinco estados y dos a la vez


@pytest.mark.parametrize("ruta", list(PAGINAS))
def test_la_declaracion_acepta_lo_que_escribe_la_pagina(app, datos_prueba, ruta):
    capa = ayuda.modulo(ruta).CAPA
    for nombre, valor in _casos(app, ruta):
        filtros, no_reconocidos = leer_parametros(capa, {nombre: valor}, datos_prueba, False)
        assert no_reconocidos == [], (nombre, valor)
        assert nombre in filtros, (nombre, valor)
        # y en modo estricto (descargas) tampoco es un error
        assert leer_parametros(capa, {nombre: valor}, datos_prueba, True)[0] == filtros


@pytest.mark.parametrize("ruta", list(PAGINAS))
def test_la_descarga_tiene_las_filas_de_la_pagina(app, cliente, ruta):
    nombre_capa, clave, _ = PAGINAS[ruta]
    for nombre, valor in _casos(app, ruta):
        parametros = {nombre: valor}
        if ruta == "/escuelas" and nombre != "anio":
            parametros["anio"] = "2024"  # el desplegable del ciclo siempre escribe su valor
        pagina = _filas_pagina(app, ruta, parametros)
        assert pagina == _filas_descarga(cliente, nombre_capa, clave, parametros), parametros


def test_filtros_combinados_como_los_escribe_la_pagina(app, cliente):
    parametros = {
        "anio": "2024",
        "municipio": B,
        "alerta": "cualquiera",
        "semaforo": "gris,rojo",
        "monto_min": "100,000",
        "monto_max": "$600,000",
    }
    pagina = _filas_pagina(app, "/obras", parametros)
    # En 2024, municipio B: OAX-3 y OAX-9 (verdes, sin alertas), OAX-4 (gris, avance
    # inválido, $100,000) y OAX-8 (gris, sin georreferencia, sin monto aprobado: el rango lo
    # deja fuera).
    assert pagina == ["OAX-4"]
    assert pagina == _filas_descarga(cliente, "obras", "folio", parametros)


def test_cualquiera_y_ninguna_parten_las_obras(app, cliente, datos_prueba):
    todas = capas.tabla_obras(datos_prueba)
    con = _filas_descarga(cliente, "obras", "folio", {"alerta": "cualquiera"})
    sin = _filas_descarga(cliente, "obras", "folio", {"alerta": "ninguna"})
    assert con == list(todas.loc[todas["num_alertas"] > 0, "folio"])
    assert sin == list(todas.loc[todas["num_alertas"] == 0, "folio"])
    assert sorted(con + sin) == sorted(todas["folio"])
    # «sin_alertas» es otro nombre de «ninguna»: misma vista
    assert _filas_descarga(cliente, "obras", "folio", {"alerta": "sin_alertas"}) == sin


def test_url_descarga_con_los_filtros_de_la_pagina(app, cliente, datos_prueba):
    from tablero.descargas import url_descarga

    pagina = ayuda.modulo("/obras")
    filtros, _ = pagina.filtros_de_la_pagina(
        datos_prueba, {"nivel": ["MUNICIPAL"], "semaforo": ["rojo", "verde"], "anio": 2024}
    )
    url = url_descarga("obras", "csv", **filtros)
    assert url == "/descargas/obras.csv?anio=2024&nivel=MUNICIPAL&semaforo=rojo,verde"
    respuesta = cliente.get(url)
    descargadas = list(pd.read_csv(io.BytesIO(respuesta.data), dtype=str)["folio"])
    assert descargadas == list(capas.capa("obras").leer(datos_prueba, **filtros)["folio"])


# --- URLs honestas ---------------------------------------------------------------------------


def _layout(app, ruta: str, **parametros):
    with app.server.test_request_context(ruta):
        return ayuda.modulo(ruta).layout(**parametros)


@pytest.mark.parametrize(
    ("parametros", "aviso"),
    [
        (
            {"contratista": "Nadie"},
            "No reconocimos contratista=Nadie; se muestran todas las obras.",
        ),
        ({"anio": "abc"}, "No reconocimos anio=abc; se muestran todas las obras."),
        ({"anio": "1999"}, "No reconocimos anio=1999; se muestran todas las obras."),
        (
            {"anio": "2024", "contratista": "Nadie", "alerta": "robo"},
            "No reconocimos alerta=robo ni contratista=Nadie; se muestran las obras sin esos "
            "filtros.",
        ),
        (
            {"semaforo": "rojo,azul"},
            "No reconocimos semaforo=azul; se muestran las obras sin ese filtro.",
        ),
        (
            {"municipio": f"{A},{B}"},
            f"No reconocimos municipio={A},{B}; se muestran todas las obras.",
        ),
    ],
)
def test_aviso_de_lo_no_reconocido_en_obras(app, datos_prueba, parametros, aviso):
    arbol = _layout(app, "/obras", **parametros)
    props = ayuda.por_id(arbol, "obras-aviso")["props"]
    assert props["role"] == "status"
    assert props["children"] == aviso and not props.get("hidden")
    # lo no reconocido no filtra: la tabla es la de los filtros reconocidos
    filtros, _ = ayuda.modulo("/obras").filtros_de_la_pagina(datos_prueba, parametros)
    esperadas = list(capas.tabla_obras(datos_prueba, **filtros)["folio"])
    with app.server.test_request_context("/obras"):
        filas = ayuda.filas_del_layout(ayuda.modulo("/obras"), arbol)
    assert [f["folio"] for f in filas] == esperadas


def test_sin_nada_que_avisar_el_aviso_esta_oculto(app):
    arbol = _layout(app, "/obras", anio="2024", buscar="Alfa", folio="OAX-1", agrupar="entidad")
    props = ayuda.por_id(arbol, "obras-aviso")["props"]
    assert props["children"] == "" and props["hidden"] is True
    assert ayuda.por_id(arbol, "obras-vacio")["props"]["hidden"] is True


def test_aviso_en_escuelas_y_estacionamientos(app):
    arbol = _layout(app, "/escuelas", anio="2024", nivel="PRIMARIA,KINDER")
    assert ayuda.por_id(arbol, "escuelas-aviso")["props"]["children"] == (
        "No reconocimos nivel=KINDER; se muestran las escuelas del ciclo 2024-2025 sin ese filtro."
    )
    arbol = _layout(app, "/estacionamientos", estado="roto")
    assert ayuda.por_id(arbol, "estacionamientos-aviso")["props"]["children"] == (
        "No reconocimos estado=roto; se muestran todos los espacios."
    )


def test_resultado_vacio_ofrece_quitar_filtros(app):
    # Gamma solo tiene obras en C: en A no hay ninguna.
    arbol = _layout(app, "/obras", contratista="Gamma", municipio=A)
    vacio = ayuda.por_id(arbol, "obras-vacio")
    assert vacio["props"]["hidden"] is False
    enlace = ayuda.componentes(vacio, "A")[0]["props"]
    assert enlace["children"] == "Quitar filtros" and enlace["href"] == "/obras"
    with app.server.test_request_context("/obras"):
        assert ayuda.filas_del_layout(ayuda.modulo("/obras"), arbol) == []


def test_callback_sin_resultados_muestra_quitar_filtros(app, datos_prueba):
    pagina = ayuda.modulo("/obras")
    with app.server.test_request_context("/obras"):
        valores = [None, A, [], [], "Gamma", None, [], "", "", None]
        salida = pagina.actualizar(*valores, None, datos_prueba.id)
        filas = ayuda.filas_por_bloques(pagina, valores, datos_prueba.id)
    assert filas == [] and salida[-1] is False


# --- modo estricto (descargas) ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("consulta", "fragmento"),
    [
        ("contratista=Nadie", "El filtro «contratista» debe ser un contratista de la versión"),
        ("anio=1999", "debe ser un año con datos en la versión v0001 (2024, 2025)"),
        ("anio=abc", "debe ser un año de cuatro cifras"),
        ("monto_min=mucho", "debe ser un monto en pesos"),
        ("alerta=robo", "un código de alerta, «cualquiera» o «ninguna»"),
        ("nivel=IMPERIAL", "debe ser un nivel de gobierno"),
    ],
)
def test_descarga_con_valor_malo_es_400(cliente, consulta, fragmento):
    respuesta = cliente.get(f"/descargas/obras.csv?{consulta}")
    assert respuesta.status_code == 400
    assert fragmento in respuesta.get_json()["error"]


def test_estricto_lanza_y_tolerante_devuelve(datos_prueba):
    capa = capas.capa("obras")
    with pytest.raises(ParametroInvalido) as error:
        leer_parametros(capa, {"color": "rojo"}, datos_prueba, estricto=True)
    assert "no acepta el parámetro «color»" in error.value.mensaje
    filtros, no_reconocidos = leer_parametros(
        capa, {"color": "rojo", "anio": "1999", "municipio": f"{B},{A},{B}"}, datos_prueba, False
    )
    assert filtros == {"municipio": [A, B]}
    assert [(n.nombre, n.valor) for n in no_reconocidos] == [("anio", "1999")]


def test_valores_sin_mayusculas_ni_acentos_nombran_el_valor_publicado(datos_prueba):
    # Se escribe como en el teléfono: sin mayúsculas ni acentos, con espacios de más.
    filtros, no_reconocidos = leer_parametros(
        capas.capa("obras"),
        {
            "nivel": "municipal",
            "contratista": "  constructora   ALFA ",
            "estatus": "en ejecucion",
            "semaforo": "ROJO",
        },
        datos_prueba,
        estricto=True,
    )
    assert no_reconocidos == []
    assert filtros == {
        "nivel": "MUNICIPAL",
        "contratista": "Constructora Alfa",
        "estatus": "En ejecución",
        "semaforo": "rojo",
    }


def test_descarga_sin_mayusculas_da_las_mismas_filas(cliente):
    exacta = cliente.get("/descargas/obras.csv?contratista=Constructora%20Alfa")
    escrita = cliente.get("/descargas/obras.csv?contratista=constructora%20alfa")
    assert exacta.status_code == escrita.status_code == 200
    folios = pd.read_csv(io.BytesIO(escrita.data), dtype=str)["folio"].tolist()
    assert folios == ["OAX-1", "OAX-2"]
    assert escrita.data == exacta.data


def test_caracteres_de_control_no_se_repiten():
    # U+202E invierte lo que sigue; U+0007 es un control: ninguno llega al aviso ni al 400.
    malo = NoReconocido("contratista", "Nadie\u202eatsil\u0007", "motivo")
    assert str(malo) == "contratista=Nadieatsil"
    assert visible("x" * 100) == "x" * 59 + "…"


def test_descarga_no_repite_controles_en_el_400(cliente):
    respuesta = cliente.get("/descargas/obras.csv?contratista=Nadie%E2%80%AE%07")
    assert respuesta.status_code == 400
    error = respuesta.get_json()["error"]
    assert "se recibió «Nadie»" in error and "\u202e" not in error


# --- 404 -------------------------------------------------------------------------------------


@pytest.mark.parametrize("ruta", ["/no-existe", "/obras/x", "/404"])
def test_pagina_desconocida_responde_404_con_la_app(cliente, ruta):
    respuesta = cliente.get(ruta)
    assert respuesta.status_code == 404
    assert respuesta.content_type.startswith("text/html")
    assert b'id="react-entry-point"' in respuesta.data  # la app, que dibuja la página 404


@pytest.mark.parametrize("ruta", ["/", "/obras", "/obras/", "/escuelas?anio=abc", "/datos"])
def test_paginas_registradas_responden_200(cliente, ruta):
    assert cliente.get(ruta).status_code == 200


def test_las_otras_rutas_conservan_su_estado(cliente):
    assert cliente.get("/_dash-layout").status_code == 200
    assert cliente.get("/descargas/no-existe.csv").status_code == 404  # JSON de descargas
    assert cliente.get("/descargas/obras.csv").status_code == 200
