"""Fotos de los reportes: limpieza (sin EXIF ni GPS), rechazos con mensaje, moderación y
publicación solo después de aprobarlas.

Decisión: un PNG renombrado ``.jpg`` se **rechaza** (el contenido no coincide con la
extensión); sin extensión, decide el contenido. Corre contra SQLite y, con ``DATABASE_URL``,
contra PostgreSQL (``make test-postgresql``).
"""

from __future__ import annotations

import io
import re

import pytest
from PIL import ExifTags, Image

from tablero.reportes import fotos, servicio
from tablero.reportes.servicio import ErrorReporte
from tests.ayuda_reportes import crear_app_completa

OBRA = "05096400004"


def jpeg_con_gps(ancho=3000, alto=2000) -> bytes:
    """JPEG con EXIF de cámara y GPS (17°3'38" N, 96°43'36" O) y un comentario."""
    imagen = Image.new("RGB", (ancho, alto), (200, 100, 50))
    exif = Image.Exif()
    exif[0x010F] = "CamaraEspia"  # Make
    exif[0x0131] = "Programa 1.0"  # Software
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {1: "N", 2: (17.0, 3.0, 38.0), 3: "W", 4: (96.0, 43.0, 36.0)}
    )
    salida = io.BytesIO()
    imagen.save(salida, "JPEG", exif=exif, comment=b"casa de la denunciante")
    return salida.getvalue()


def jpeg_cortado() -> bytes:
    """Un JPEG con ruido (cuerpo grande) al que le falta la segunda mitad."""
    salida = io.BytesIO()
    Image.effect_noise((300, 200), 60).convert("RGB").save(salida, "JPEG", quality=90)
    completo = salida.getvalue()
    assert len(completo) > 20_000
    return completo[: len(completo) // 2]


def png(ancho=40, alto=30, modo="RGBA") -> bytes:
    salida = io.BytesIO()
    Image.new(modo, (ancho, alto), (0, 128, 0, 128) if modo == "RGBA" else 7).save(salida, "PNG")
    return salida.getvalue()


def webp() -> bytes:
    salida = io.BytesIO()
    Image.new("RGB", (20, 10), (1, 2, 3)).save(salida, "WEBP")
    return salida.getvalue()


# --- limpieza ------------------------------------------------------------------------------


def test_jpeg_con_gps_sale_sin_ningun_metadato_y_reducido():
    original = jpeg_con_gps()
    assert dict(Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825))  # trae GPS
    limpia = fotos.procesar(original, "IMG_0001.JPG")
    assert (limpia.ancho, limpia.alto) == (1600, 1067)  # 3000×2000 a 1600 de lado mayor
    abierta = Image.open(io.BytesIO(limpia.contenido))
    assert abierta.format == "JPEG" and abierta.size == (1600, 1067)
    assert len(abierta.getexif()) == 0
    assert not {"exif", "comment", "icc_profile", "xmp"} & set(abierta.info)
    for marca in (b"Exif", b"CamaraEspia", b"Programa", b"casa de la denunciante", b"GPS"):
        assert marca not in limpia.contenido


def test_orientacion_exif_se_aplica_antes_de_quitarla():
    imagen = Image.new("RGB", (40, 20), (0, 0, 0))
    exif = Image.Exif()
    exif[0x0112] = 6  # girar 90° al mostrar
    salida = io.BytesIO()
    imagen.save(salida, "JPEG", exif=exif)
    limpia = fotos.procesar(salida.getvalue(), "girada.jpg")
    assert (limpia.ancho, limpia.alto) == (20, 40)


@pytest.mark.parametrize(
    ("contenido", "nombre", "tamano"),
    [
        (png(), "captura.png", (40, 30)),  # RGBA: se aplana sobre blanco
        (png(modo="P"), "paleta.PNG", (40, 30)),
        (webp(), "foto.webp", (20, 10)),
        (png(), "sin_extension", (40, 30)),  # sin extensión, decide el contenido
        (png(), None, (40, 30)),
    ],
)
def test_png_y_webp_se_aceptan_y_salen_como_jpeg(contenido, nombre, tamano):
    limpia = fotos.procesar(contenido, nombre)
    abierta = Image.open(io.BytesIO(limpia.contenido))
    assert (abierta.format, abierta.mode, abierta.size) == ("JPEG", "RGB", tamano)


@pytest.mark.parametrize(
    ("contenido", "nombre", "mensaje"),
    [
        (
            png(),
            "foto.jpg",
            "El archivo «foto.jpg» dice ser JPEG por su extensión, pero su contenido es PNG: "
            "guárdelo con la extensión correcta o envíe otra foto",
        ),
        (
            jpeg_cortado(),
            "cortada.jpg",
            "La foto «cortada.jpg» está dañada o incompleta: no se pudo leer la imagen completa",
        ),
        (
            png(400, 300)[:200],
            "cortada.png",
            "La foto «cortada.png» está dañada o incompleta: no se pudo leer la imagen completa",
        ),
        (
            b"<html><script>alert(1)</script></html>",
            "foto.jpg",
            "El archivo «foto.jpg» no es una imagen JPEG, PNG ni WebP válida",
        ),
        (
            b"GIF89a" + b"\0" * 50,
            "animada.gif",
            "La foto «animada.gif» no es JPEG, PNG ni WebP (extensión .gif)",
        ),
        (b"", "vacia.jpg", "La foto «vacia.jpg» está vacía"),
        (
            b"\xff" * (6 * 1024 * 1024),
            "grande.jpg",
            "La foto «grande.jpg» pesa 6.0 MB; el máximo es 5 MB por foto",
        ),
    ],
)
def test_archivos_disfrazados_truncados_o_grandes_se_rechazan(contenido, nombre, mensaje):
    with pytest.raises(ErrorReporte) as error:
        fotos.procesar(contenido, nombre)
    assert (error.value.mensaje, error.value.campo) == (mensaje, "fotos")


def test_bomba_de_descompresion_se_rechaza_sin_decodificarla():
    salida = io.BytesIO()
    Image.new("1", (10_000, 6_000)).save(salida, "PNG")  # 60 Mpx en pocos KB
    assert len(salida.getvalue()) < 200_000
    with pytest.raises(ErrorReporte) as error:
        fotos.procesar(salida.getvalue(), "bomba.png")
    assert error.value.mensaje == (
        "La foto «bomba.png» mide 10,000 × 6,000 píxeles; el máximo es 50 megapíxeles"
    )


# --- por HTTP -------------------------------------------------------------------------------


@pytest.fixture()
def app(tmp_path, monkeypatch):
    return crear_app_completa(tmp_path, monkeypatch)


@pytest.fixture()
def cliente(app):
    return app.server.test_client()


def _con_fotos(cliente, *archivos, ruta="/api/reportes", **campos):
    datos = {"obra": OBRA, "tipo": "mala_calidad", "descripcion": "grietas", **campos}
    datos["fotos"] = [(io.BytesIO(contenido), nombre) for nombre, contenido in archivos]
    return cliente.post(ruta, data=datos, content_type="multipart/form-data")


def _archivos(app) -> list:
    from tablero.reportes.modelo import Foto

    with app.server.test_request_context():
        from tablero.reportes import web

        return [(f.id, f.archivo, f.estado) for f in web.sesion().query(Foto).order_by(Foto.id)]


def _entrar(app, cliente) -> str:
    with app.server.test_request_context():
        from tablero.reportes import web

        servicio.crear_usuario(web.sesion(), "modera", "una-contraseña-larga")
    pagina = cliente.get("/atencion/entrar").get_data(as_text=True)
    token = re.search(r'name="csrf" value="([^"]+)"', pagina).group(1)
    cliente.post(
        "/atencion/entrar",
        data={"usuario": "modera", "contrasena": "una-contraseña-larga", "csrf": token},
    )
    lista = cliente.get("/atencion").get_data(as_text=True)
    return re.search(r'name="csrf" value="([^"]+)"', lista).group(1)


def test_foto_no_aprobada_no_se_alcanza_y_aprobada_sale_sin_exif(app, cliente, tmp_path):
    r = _con_fotos(cliente, ("IMG_0001.jpg", jpeg_con_gps()), ("captura.png", png()))
    assert r.status_code == 201 and r.get_json()["fotos"] == 2
    folio = r.get_json()["folio"]
    (id1, archivo1, estado1), (id2, archivo2, _) = _archivos(app)
    assert estado1 == "pendiente" and re.fullmatch(r"[0-9a-f]{32}\.jpg", archivo1)
    # en la carpeta de datos, no en la base; solo para el dueño
    guardada = tmp_path / "datos" / "reportes_fotos" / archivo1
    assert guardada.is_file() and guardada.stat().st_mode & 0o777 == 0o600
    assert b"Exif" not in guardada.read_bytes()
    publico = cliente.get(f"/api/reportes/{folio}").get_json()
    assert (publico["fotos"], publico["fotos_en_revision"]) == ([], 2)
    assert archivo1 not in cliente.get("/descargas/reportes.csv").get_data(as_text=True)
    for archivo in (archivo1, archivo2, "../reportes.sqlite", "x.jpg"):
        assert cliente.get(f"/reportes/fotos/{archivo}").status_code == 404
    # sin sesión, tampoco la vista de funcionarios
    assert cliente.get(f"/atencion/foto/{id1}").status_code == 302

    token = _entrar(app, cliente)
    assert cliente.get(f"/atencion/foto/{id1}").status_code == 200  # el funcionario la revisa
    r = cliente.post(
        f"/atencion/reporte/{folio}",
        data={"csrf": token, "accion": "foto", "foto": str(id1), "decision": "aprobar"},
    )
    assert r.status_code == 302
    servida = cliente.get(f"/reportes/fotos/{archivo1}")
    assert servida.status_code == 200 and servida.mimetype == "image/jpeg"
    assert servida.headers["X-Content-Type-Options"] == "nosniff"
    abierta = Image.open(io.BytesIO(servida.get_data()))
    assert len(abierta.getexif()) == 0 and "exif" not in abierta.info
    assert b"GPS" not in servida.get_data() and b"CamaraEspia" not in servida.get_data()
    publico = cliente.get(f"/api/reportes/{folio}").get_json()
    assert publico["fotos"] == [{"url": f"/reportes/fotos/{archivo1}", "ancho": 1600, "alto": 1067}]
    assert publico["fotos_en_revision"] == 1
    assert f"/reportes/fotos/{archivo1}" in cliente.get("/descargas/reportes.csv").get_data(
        as_text=True
    )
    assert cliente.get(f"/reportes/fotos/{archivo2}").status_code == 404  # la otra, no
    # la página de seguimiento y la ficha de la obra la muestran con texto alternativo
    import importlib

    from tests import ayuda_paginas as ayuda

    pagina = importlib.import_module("paginas.reporte")
    obras = importlib.import_module("paginas.obras")
    with app.server.test_request_context():
        from tablero.datos import datos_servidos

        for arbol in (pagina.layout(folio=folio), obras._ficha(datos_servidos(), OBRA, None)[0]):
            imagenes = [i["props"] for i in ayuda.componentes(arbol, "Img")]
            assert [(i["src"], i["alt"]) for i in imagenes] == [
                (f"/reportes/fotos/{archivo1}", f"Foto 1 enviada con el reporte {folio}")
            ]
            assert "1 foto en revisión" in ayuda.texto(arbol)

    # ocultarla con nota: deja de servirse al instante y se publica la nota
    cliente.post(
        f"/atencion/reporte/{folio}",
        data={
            "csrf": token,
            "accion": "foto",
            "foto": str(id1),
            "decision": "ocultar",
            "nota": "se ve la cara de una persona",
        },
    )
    assert cliente.get(f"/reportes/fotos/{archivo1}").status_code == 404
    publico = cliente.get(f"/api/reportes/{folio}").get_json()
    assert publico["fotos"] == []
    assert publico["fotos_ocultas"] == [{"nota": "se ve la cara de una persona"}]


@pytest.mark.parametrize(
    ("archivos", "estado", "mensaje"),
    [
        (
            [("foto.jpg", png())],
            400,
            "El archivo «foto.jpg» dice ser JPEG por su extensión, pero su contenido es PNG: "
            "guárdelo con la extensión correcta o envíe otra foto",
        ),
        (
            [("cortada.jpg", jpeg_cortado())],
            400,
            "La foto «cortada.jpg» está dañada o incompleta: no se pudo leer la imagen completa",
        ),
        (
            [("enorme.jpg", b"\xff\xd8" + b"\0" * (20 * 1024 * 1024))],
            413,
            "El envío pasa de 15 MB: cada foto puede pesar hasta 5 MB (hasta 3 fotos); este "
            "pesa 20.0 MB",
        ),
        (
            [(f"f{i}.png", png()) for i in range(4)],
            400,
            "Se aceptan hasta 3 fotos por reporte",
        ),
    ],
)
def test_envio_rechazado_con_mensaje_y_sin_reporte_ni_archivos(
    app, cliente, tmp_path, archivos, estado, mensaje
):
    r = _con_fotos(cliente, *archivos)
    assert r.status_code == estado
    assert r.get_json() == {"error": mensaje, "campo": "fotos"}
    assert _archivos(app) == []
    assert cliente.get("/descargas/reportes.csv").get_data(as_text=True).count("\n") == 1
    carpeta = tmp_path / "datos" / "reportes_fotos"
    assert not carpeta.exists() or list(carpeta.iterdir()) == []


def test_formulario_de_la_ficha_con_foto_mala_explica_y_con_buena_lleva_al_folio(app, cliente):
    r = _con_fotos(cliente, ("foto.jpg", png()), ruta="/reportar", volver=f"/obras?folio={OBRA}")
    pagina = r.get_data(as_text=True)
    assert r.status_code == 400
    assert "dice ser JPEG por su extensión, pero su contenido es PNG" in pagina
    assert f'href="/obras?folio={OBRA}"' in pagina
    r = _con_fotos(cliente, ("bien.png", png()), ruta="/reportar", volver=f"/obras?folio={OBRA}")
    assert r.status_code == 303 and "&nuevo=1" in r.headers["Location"]
    assert [e for _, _, e in _archivos(app)] == ["pendiente"]


def test_fotos_de_mas_de_1_mb_pasan_el_limite_general_del_servidor(app, cliente):
    """El servidor limita todo cuerpo a 1 MB; los envíos con fotos, a 15 MB."""
    assert app.server.config["MAX_CONTENT_LENGTH"] == 1024 * 1024
    salida = io.BytesIO()
    Image.effect_noise((1000, 1000), 80).convert("RGB").save(salida, "PNG")
    grande = salida.getvalue()
    assert 2 * 1024 * 1024 < len(grande) < 5 * 1024 * 1024
    r = _con_fotos(cliente, ("a.png", grande), ("b.png", grande), ("c.png", grande))
    assert r.status_code == 201 and r.get_json()["fotos"] == 3
    r = _con_fotos(cliente, ("a.png", grande), ruta="/reportar", tipo="obra_detenida")
    assert r.status_code == 303
    assert [(e,) for _, _, e in _archivos(app)] == [("pendiente",)] * 4


def test_el_limite_de_la_foto_no_se_aplica_al_json(cliente):
    r = cliente.post(
        "/api/reportes",
        data=b'{"obra": "' + b"x" * (20 * 1024) + b'"}',
        content_type="application/json",
    )
    assert (r.status_code, r.get_json()["error"]) == (413, "El cuerpo pasa de 16 KB")
