"""Datos personales enmascarados por su forma, en cualquier columna (no solo en las suyas)."""

import logging

import pytest

from ingesta.carga import cargar
from ingesta.errores import ErrorIngesta
from ingesta.privacidad import FiltroPrivacidad, enmascarar
from tests.conftest import escribir_csv, leer_advertencias, leer_rechazos, textos_de_archivos
from tests.test_fuente_padron import CURP_A, ENCABEZADO, FILAS

CORREO = "ana.perez@ejemplo.gob.mx"
RFC_FISICA = "PEMJ800101AB1"


@pytest.mark.parametrize(
    ("texto", "esperado"),
    [
        (f"clave CCT no válida: {CURP_A}", "clave CCT no válida: [CURP oculta]"),
        (f"clave: {CURP_A.lower()}.", "clave: [CURP oculta]."),
        (f"contacto {CORREO} o {RFC_FISICA}", "contacto [correo oculto] o [RFC oculto]"),
        ("RFC PEMJ-800101-AB1 guiones", "RFC [RFC oculto] guiones"),
        # Claves que no son personales quedan tal cual.
        ("clave CCT no válida: 20DPR0001X", "clave CCT no válida: 20DPR0001X"),
        ("folio U128-2016-777, fila 12", "folio U128-2016-777, fila 12"),
    ],
)
def test_enmascarar(texto, esperado):
    assert enmascarar(texto) == esperado


#: Columnas del padrón donde una persona podría teclear una CURP por error.
COLUMNAS = ["CV_CCT", "CICLO", "CD_BENEFICIO", "FH_ENTREGA", "NU_IMP_MONETARIO", "CD_SEXO"]


@pytest.mark.parametrize("columna", COLUMNAS)
def test_curp_en_otra_columna_del_padron_no_se_publica(tmp_path, columna):
    fila = list(FILAS[0])
    fila[ENCABEZADO.index(columna)] = CURP_A
    ruta = escribir_csv(tmp_path, "padron.csv", [ENCABEZADO, fila, *FILAS[1:3]])
    try:
        resultado = cargar("padron", ruta, tmp_path / "datos")
        motivos = leer_rechazos(resultado) + leer_advertencias(resultado)
        mensaje = ""
    except ErrorIngesta as error:  # ninguna fila aceptada: los motivos quedan aparte
        motivos, mensaje = [], str(error)
    assert CURP_A not in mensaje
    assert all(CURP_A not in m for _, _, m in motivos)
    for ruta_archivo, texto in textos_de_archivos(tmp_path / "datos"):
        assert CURP_A not in texto, ruta_archivo


def test_curp_en_el_cct_se_rechaza_con_el_valor_oculto(tmp_path):
    fila = list(FILAS[0])
    fila[ENCABEZADO.index("CV_CCT")] = CURP_A
    ruta = escribir_csv(tmp_path, "padron.csv", [ENCABEZADO, fila, *FILAS[1:3]])
    resultado = cargar("padron", ruta, tmp_path / "datos")
    assert leer_rechazos(resultado) == [(2, "CV_CCT", "clave CCT no válida: [CURP oculta]")]


def test_curp_como_nombre_de_columna_no_aparece_en_el_error(tmp_path):
    ruta = tmp_path / "x.csv"
    ruta.write_text(f"A,{CURP_A},{CORREO}\n1,2,3\n", encoding="utf-8")
    with pytest.raises(ErrorIngesta) as error:
        cargar("matricula", ruta, tmp_path / "d")
    assert str(error.value).endswith("Columnas encontradas: A, [CURP oculta], [correo oculto]")


def test_bitacora_enmascarada():
    registro = logging.LogRecord("x", logging.INFO, __file__, 1, "fila %s: %s", (3, CURP_A), None)
    assert FiltroPrivacidad().filter(registro)
    assert registro.getMessage() == "fila 3: [CURP oculta]"


def test_rechazos_no_llevan_formulas(tmp_path):
    from almacen.csv_seguro import celda_segura

    assert [celda_segura(v) for v in ["=1+1", "@SUM(A1)", "+cmd|' /C calc'!A0", "-5", "-x", 3]] == [
        "'=1+1",
        "'@SUM(A1)",
        "'+cmd|' /C calc'!A0",
        "-5",
        "'-x",
        3,
    ]
    ruta = tmp_path / "m.csv"
    ruta.write_text(
        'CV_CCT,CICLO,INSCRITOS\n20DPR0001X,2024,10\n20DPR0002Y,2024,"=HYPERLINK(""x"")"\n',
        encoding="utf-8",
    )
    resultado = cargar("matricula", ruta, tmp_path / "d")
    texto = open(resultado.rechazos, encoding="utf-8").read()
    assert texto == (
        'fila,columna,motivo\n3,INSCRITOS,"se espera un entero no negativo: =HYPERLINK(""x"")"\n'
    )


def test_descarga_de_capa_sin_formulas(tmp_path):
    """Texto publicado que parece fórmula sale con ``'`` delante en el CSV de la capa (y tal
    cual en GeoJSON)."""
    from tablero import descargas
    from tablero.app import crear_app

    ruta = escribir_csv(
        tmp_path,
        "cajones.csv",
        [
            ["ID", "LATITUD", "LONGITUD", "DIRECCION", "CAJONES", "ESTADO", "OBSERVACIONES"],
            [
                "EST-1",
                "17.077960",
                "-96.726341",
                '=HYPERLINK("http://x")',
                "2",
                "bueno",
                "@SUM(A1)",
            ],
            ["EST-2", "17.053189", "-96.726856", "+cmd|' /C calc'!A0", "1", "bueno", "-5"],
        ],
    )
    cargar("estacionamientos", ruta, tmp_path / "d")
    descargas.limpiar_cache()
    cliente = crear_app(tmp_path / "d").server.test_client()
    texto = cliente.get("/descargas/estacionamientos.csv").data.decode("utf-8")
    assert '\'=HYPERLINK(""http://x"")' in texto and "'@SUM(A1)" in texto
    assert "'+cmd|' /C calc'!A0" in texto
    assert ",-5" in texto and "'-5" not in texto
    geojson = cliente.get("/descargas/estacionamientos.geojson").get_json()
    direcciones = sorted(f["properties"]["direccion"] for f in geojson["features"])
    assert direcciones == ["+cmd|' /C calc'!A0", '=HYPERLINK("http://x")']


def test_texto_libre_del_almacen_sin_datos_personales(tmp_path):
    """Una CURP, un correo o un teléfono escritos en el nombre de la obra o el contratista no
    llegan al almacén; el RFC de una empresa contratista sí (es público)."""
    ruta = tmp_path / "srft.csv"
    ruta.write_text(
        "FOLIO,CICLO,TRIMESTRE,ID_ENTIDAD_FEDERATIVA,ID_MUNICIPIO_RESPONSABLE,"
        "MONTO_GLOBAL_APROBADO,NOMBRE_PROYECTO,CONTRATISTA,RFC_CONTRATISTA\n"
        f"F1,2024,4,20,067,100,Aula {CURP_A},Juan 951 123 4567 {CORREO},ABC123456T12\n",
        encoding="utf-8",
    )
    cargar("obras", ruta, tmp_path / "d")
    for ruta_archivo, texto in textos_de_archivos(tmp_path / "d"):
        assert CURP_A not in texto and CORREO not in texto and "123 4567" not in texto, ruta_archivo
    from almacen.versiones import Almacen

    obra = Almacen(tmp_path / "d").version().leer("obras").iloc[0]
    assert obra["nombre"] == "Aula [CURP oculta]"
    assert obra["contratista"] == "Juan [teléfono oculto] [correo oculto]"
    assert obra["rfc_contratista"] == "ABC123456T12"


def test_matricula_rechaza_una_curp_como_cct(tmp_path):
    ruta = tmp_path / "m.csv"
    ruta.write_text(f"CV_CCT,CICLO,INSCRITOS\n20DPR0001X,2024,10\n{CURP_A},2024,10\n")
    resultado = cargar("matricula", ruta, tmp_path / "d")
    assert leer_rechazos(resultado) == [(3, "CV_CCT", "clave CCT no válida: [CURP oculta]")]
    for ruta_archivo, texto in textos_de_archivos(tmp_path / "d"):
        assert CURP_A not in texto, ruta_archivo
