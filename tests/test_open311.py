"""Open311 GeoReport v2 (``/open311/v2/``) contra la lista de campos del estándar.

Los mismos reportes de la API propia: validación, límite por hora, duplicados (sumarse) y
privacidad (el correo nunca sale). Corre contra SQLite y, con ``DATABASE_URL``, contra
PostgreSQL. Datos publicados de ``tests/ayuda_reportes.py``: obra ``05096400004``
(17.0606, -96.7266), escuela ``20DES0006A``, cajones ``EST-001``/``EST-002``.
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
from PIL import Image

from tablero.reportes import fotos, open311, servicio
from tablero.reportes.modelo import Reporte
from tablero.reportes.servicio import TIPOS_CAJON, TIPOS_ESCUELA, TIPOS_OBRA
from tests.ayuda_reportes import crear_app_completa

CORREO = "vecina.privada@example.org"
OBRA = "05096400004"
ESCUELA = "20DES0006A"
#: Campos de una solicitud en GeoReport v2 (GET requests), en el orden del estándar.
CAMPOS_SOLICITUD = {
    "service_request_id", "status", "status_notes", "service_name", "service_code",
    "description", "agency_responsible", "service_notice", "requested_datetime",
    "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat",
    "long", "media_url",
}  # fmt: skip
CAMPOS_SERVICIO = {
    "service_code", "service_name", "description", "metadata", "type", "keywords", "group",
}  # fmt: skip
V2 = "/open311/v2"


@pytest.fixture()
def app(tmp_path, monkeypatch):
    return crear_app_completa(tmp_path, monkeypatch)


@pytest.fixture()
def cliente(app):
    return app.server.test_client()


def _obra(cliente, tipo="obra_detenida", **extra):
    datos = {
        "service_code": f"obra.{tipo}",
        "attribute[folio]": OBRA,
        "description": "Nadie trabaja desde marzo",
        "email": CORREO,
        **extra,
    }
    return cliente.post(f"{V2}/requests.json", data=datos)


def _error(respuesta, estado: int) -> str:
    assert respuesta.status_code == estado
    cuerpo = respuesta.get_json()
    assert isinstance(cuerpo, list) and len(cuerpo) == 1
    assert set(cuerpo[0]) == {"code", "description"} and cuerpo[0]["code"] == estado
    return cuerpo[0]["description"]


# --- services ------------------------------------------------------------------------------


def test_services_un_servicio_por_objeto_y_tipo_con_los_siete_campos(cliente):
    r = cliente.get(f"{V2}/services.json")
    assert r.status_code == 200 and r.mimetype == "application/json"
    lista = r.get_json()
    assert all(set(s) == CAMPOS_SERVICIO for s in lista)
    # cajón y punto comparten los tipos de estacionamiento: 6 + 6 + 5 + 4
    esperados = (
        [f"cajon.{t}" for t in TIPOS_CAJON]
        + [f"obra.{t}" for t in TIPOS_OBRA]
        + [f"escuela.{t}" for t in TIPOS_ESCUELA]
        + [f"punto.{t}" for t in TIPOS_CAJON]
    )
    assert [s["service_code"] for s in lista] == esperados and len(esperados) == 21
    obra = next(s for s in lista if s["service_code"] == "obra.obra_detenida")
    assert obra == {
        "service_code": "obra.obra_detenida",
        "service_name": "Obra: Obra detenida",
        "description": "Reporte «Obra detenida» de una obra publicada (attribute[folio]).",
        "metadata": True,
        "type": "realtime",
        "keywords": "obra, obra_detenida, folio",
        "group": "Obras públicas",
    }
    punto = next(s for s in lista if s["service_code"] == "punto.danado")
    assert (punto["metadata"], punto["type"]) == (False, "realtime")


def test_descubrimiento(cliente):
    [punto] = cliente.get(f"{V2}/discovery.json").get_json()["endpoints"]
    assert (punto["url"], punto["formats"]) == (f"http://localhost{V2}/", ["application/json"])


def test_sin_datos_publicados_el_post_responde_503_y_la_lectura_sigue(tmp_path, monkeypatch):
    from tablero.app import crear_app
    from tests.ayuda_reportes import limpiar_base

    limpiar_base(tmp_path)
    vacio = crear_app(tmp_path / "vacio").server.test_client()
    assert _error(_obra(vacio), 503) == "Todavía no hay datos publicados: intente más tarde"
    assert vacio.get(f"{V2}/requests.json").get_json() == []


def test_definicion_de_servicio_con_su_atributo_y_404(cliente):
    r = cliente.get(f"{V2}/services/escuela.cobro_indebido.json")
    assert r.status_code == 200
    definicion = r.get_json()
    assert definicion["service_code"] == "escuela.cobro_indebido"
    [atributo] = definicion["attributes"]
    assert (atributo["code"], atributo["required"], atributo["datatype"], atributo["variable"]) == (
        "cct",
        True,
        "string",
        True,
    )
    assert cliente.get(f"{V2}/services/punto.danado.json").get_json()["attributes"] == []
    assert "No existe ese servicio" in _error(cliente.get(f"{V2}/services/obra.nada.json"), 404)


# --- POST y GET de una solicitud --------------------------------------------------------------


def test_crear_y_leer_una_solicitud_de_obra_con_los_campos_del_estandar(cliente):
    r = _obra(cliente)
    assert r.status_code == 201
    [creada] = r.get_json()
    assert set(creada) == {"service_request_id", "service_notice", "account_id"}
    folio = creada["service_request_id"]
    assert folio.startswith("R-") and creada["service_notice"] is None
    assert r.headers["Location"] == f"{V2}/requests/{folio}.json"
    leida = cliente.get(r.headers["Location"])
    assert leida.status_code == 200
    [solicitud] = leida.get_json()
    assert set(solicitud) == CAMPOS_SOLICITUD
    creado = solicitud.pop("requested_datetime")
    actualizado = solicitud.pop("updated_datetime")
    assert solicitud == {
        "service_request_id": folio,
        "status": "open",
        "status_notes": "Recibido",
        "service_name": "Obra: Obra detenida",
        "service_code": "obra.obra_detenida",
        "description": "Nadie trabaja desde marzo",
        "agency_responsible": None,
        "service_notice": None,
        "expected_datetime": None,
        "address": solicitud["address"],
        "address_id": OBRA,
        "zipcode": None,
        "lat": 17.0606,
        "long": -96.7266,
        "media_url": None,
    }
    assert solicitud["address"].startswith(f"Obra {OBRA}: ")
    # ISO 8601 con zona (UTC)
    for fecha in (creado, actualizado):
        assert fecha.endswith("Z") and datetime.fromisoformat(fecha).utcoffset() == timedelta(0)
    # el mismo reporte en la API propia
    propio = cliente.get(f"/api/reportes/{folio}").get_json()
    assert (propio["objeto"], propio["objeto_id"], propio["tipo"]) == (
        "obra",
        OBRA,
        "obra_detenida",
    )


def test_el_correo_nunca_sale_en_ninguna_respuesta(cliente):
    r = _obra(cliente)
    folio = r.get_json()[0]["service_request_id"]
    for ruta in (
        f"{V2}/requests.json",
        f"{V2}/requests/{folio}.json",
        f"{V2}/requests.json?service_request_id={folio}",
    ):
        assert CORREO not in cliente.get(ruta).get_data(as_text=True)
    assert CORREO not in r.get_data(as_text=True)


def test_escuela_cajon_y_punto(cliente):
    r = cliente.post(
        f"{V2}/requests.json",
        data={
            "service_code": "escuela.no_llegaron_uniformes",
            "attribute[cct]": ESCUELA.lower(),
            "description": "Nada llegó",
        },
    )
    assert r.status_code == 201
    [s] = cliente.get(f"{V2}/requests/{r.get_json()[0]['service_request_id']}.json").get_json()
    assert (s["service_code"], s["address_id"]) == ("escuela.no_llegaron_uniformes", ESCUELA)
    r = cliente.post(
        f"{V2}/requests.json",
        data={"service_code": "cajon.obstruido", "attribute[estacionamiento_id]": "EST-001",
              "description": "Hay macetas"},
    )  # fmt: skip
    assert r.status_code == 201
    # un punto: lat y long (coma decimal también), sin dirección ni address_id
    r = cliente.post(
        f"{V2}/requests.json",
        data={"service_code": "punto.falta_cajon", "lat": "17,0606", "long": "-96.7266",
              "address_string": "Calle que no se guarda", "description": "Aquí falta uno"},
    )  # fmt: skip
    assert r.status_code == 201
    folio = r.get_json()[0]["service_request_id"]
    [s] = cliente.get(f"{V2}/requests/{folio}.json").get_json()
    assert (s["lat"], s["long"], s["address"], s["address_id"]) == (17.0606, -96.7266, None, None)
    assert "Calle que no se guarda" not in cliente.get(f"/api/reportes/{folio}").get_data(
        as_text=True
    )


def test_duplicado_se_suma_a_la_solicitud_abierta(app, cliente):
    primero = _obra(cliente).get_json()[0]["service_request_id"]
    r = _obra(cliente, description="Sigue igual")
    assert r.status_code == 200
    [sumado] = r.get_json()
    assert sumado["service_request_id"] == primero
    assert sumado["service_notice"] == (
        f"Ya había una solicitud abierta igual ({primero}): su envío se sumó a ella"
    )
    assert cliente.get(f"/api/reportes/{primero}").get_json()["adhesiones"] == 1
    # otro tipo sí es una solicitud nueva
    assert _obra(cliente, tipo="mala_calidad").status_code == 201


@pytest.mark.parametrize(
    ("datos", "mensaje"),
    [
        ({}, "Falta service_code: consulte services.json"),
        ({"service_code": "obra.nada"}, "No existe el servicio 'obra.nada': consulte services.json"),
        (
            {"service_code": "obra.obra_detenida", "description": "x"},
            "Falta attribute[folio]: folio de la obra en los datos publicados (p. ej. 05096400004)",
        ),
        (
            {"service_code": "obra.obra_detenida", "attribute[folio]": OBRA,
             "attribute[cct]": ESCUELA, "description": "x"},
            "El servicio obra.obra_detenida no tiene el atributo 'cct'",
        ),
        (
            {"service_code": "obra.obra_detenida", "attribute[folio]": "NOEXISTE",
             "description": "x"},
            "attribute[folio]: No existe una obra con ese folio en los datos publicados",
        ),
        (
            {"service_code": "obra.obra_detenida", "attribute[folio]": OBRA},
            "description: Describa el problema (máximo 1,000 caracteres)",
        ),
        (
            {"service_code": "obra.obra_detenida", "attribute[folio]": OBRA,
             "description": "x", "email": "no es correo"},
            "email: El contacto debe ser un correo o un teléfono",
        ),
        (
            {"service_code": "punto.danado", "address_string": "Centro", "description": "x"},
            "Indique lat y long del punto (este servidor no ubica address_string)",
        ),
        (
            {"service_code": "punto.danado", "lat": "40.0", "long": "-96.7", "description": "x"},
            "lat: El punto está fuera de la entidad",
        ),
        (
            {"service_code": "punto.danado", "lat": "norte", "long": "-96.7", "description": "x"},
            "lat: La latitud debe ser un número en grados decimales entre -90 y 90",
        ),
    ],
)  # fmt: skip
def test_post_no_valido_responde_400_con_la_lista_de_errores(cliente, datos, mensaje):
    assert _error(cliente.post(f"{V2}/requests.json", data=datos), 400) == mensaje
    assert cliente.get(f"{V2}/requests.json").get_json() == []


def test_post_en_json_o_con_archivos_o_demasiado_grande(cliente):
    r = cliente.post(f"{V2}/requests.json", json={"service_code": "obra.obra_detenida"})
    assert "application/x-www-form-urlencoded" in _error(r, 400)
    r = cliente.post(
        f"{V2}/requests.json",
        data={"service_code": "obra.otro", "attribute[folio]": OBRA, "description": "x",
              "media": (io.BytesIO(b"abc"), "f.jpg")},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert "no recibe archivos" in _error(r, 400)
    r = _obra(cliente, description="x" * 20_000)
    assert _error(r, 413) == "El envío pasa de 16 KB"


def test_limite_por_hora_es_el_de_la_api_propia(cliente, monkeypatch):
    monkeypatch.setenv("SIGUE_LIMITE_REPORTES", "2")
    assert cliente.post("/api/reportes", json={
        "obra": OBRA, "tipo": "otro", "descripcion": "por la API propia"}).status_code == 201  # fmt: skip
    assert _obra(cliente).status_code == 201
    assert _error(_obra(cliente, tipo="mala_calidad"), 429) == (
        "Llegó al límite de 2 reportes por hora; intente más tarde"
    )


def test_solicitud_desconocida_y_rutas_desconocidas_dan_404_open311(cliente):
    assert _error(cliente.get(f"{V2}/requests/R-ZZZZZZZ.json"), 404) == (
        "No existe una solicitud con ese service_request_id"
    )
    assert "No existe una solicitud" in _error(cliente.get(f"{V2}/requests/%00.json"), 404)
    for ruta in (f"{V2}/requests.xml", f"{V2}/nada", "/open311/v3/services.json"):
        assert "No existe esa dirección de Open311" in _error(cliente.get(ruta), 404)


# --- estados, filtros y tope ---------------------------------------------------------------


def _ids(cliente, consulta: str) -> list[str]:
    respuesta = cliente.get(f"{V2}/requests.json{consulta}")
    return [s["service_request_id"] for s in respuesta.get_json()]


def _sesion(app):
    from tablero.reportes import web

    return web.sesion()


def test_estados_propios_se_mapean_a_open_y_closed(app, cliente):
    assert open311.ESTADO_OPEN311 == {
        "recibido": "open",
        "en_atencion": "open",
        "atendido": "closed",
        "no_procede": "closed",
        "duplicado": "closed",
    }
    abierta = _obra(cliente).get_json()[0]["service_request_id"]
    cerrada = _obra(cliente, tipo="mala_calidad").get_json()[0]["service_request_id"]
    with app.server.test_request_context():
        servicio.cambiar_estado(_sesion(app), abierta, "en_atencion", "Vamos a revisar", "ana")
        servicio.cambiar_estado(_sesion(app), cerrada, "no_procede", "Es de otra obra", "ana")
    [s] = cliente.get(f"{V2}/requests/{abierta}.json").get_json()
    assert (s["status"], s["status_notes"]) == ("open", "En atención: Vamos a revisar")
    [s] = cliente.get(f"{V2}/requests/{cerrada}.json").get_json()
    assert (s["status"], s["status_notes"]) == ("closed", "No procede: Es de otra obra")

    def ids(consulta: str) -> list[str]:
        return _ids(cliente, consulta)

    assert ids("?status=open") == [abierta]
    assert ids("?status=closed") == [cerrada]
    assert ids("?status=open,closed") == [cerrada, abierta]  # la más nueva primero
    assert ids("?service_code=obra.mala_calidad") == [cerrada]
    assert ids("?service_code=obra.mala_calidad,obra.obra_detenida") == [cerrada, abierta]
    assert ids(f"?service_request_id={abierta},R-NOEXISTE,{cerrada}&status=closed") == [
        cerrada,
        abierta,
    ]  # service_request_id manda sobre los demás filtros
    assert "status debe ser open, closed" in _error(
        cliente.get(f"{V2}/requests.json?status=x"), 400
    )
    assert "No existe el servicio" in _error(
        cliente.get(f"{V2}/requests.json?service_code=obra.nada"), 400
    )


def test_fechas_ventana_de_90_dias_y_fechas_no_validas(app, cliente):
    vieja = _obra(cliente).get_json()[0]["service_request_id"]
    nueva = _obra(cliente, tipo="mala_calidad").get_json()[0]["service_request_id"]
    with app.server.test_request_context():
        s = _sesion(app)
        reporte = s.query(Reporte).filter_by(folio=vieja).one()
        reporte.creado = datetime(2020, 3, 1, 12, 0, 0)
        s.commit()

    def ids(consulta: str) -> list[str]:
        return _ids(cliente, consulta)

    assert ids("") == [nueva]  # por omisión, los últimos 90 días
    assert ids("?start_date=2020-01-01T00:00:00Z") == [nueva, vieja]
    assert ids("?start_date=2020-01-01T00:00:00Z&end_date=2020-12-31T00:00:00-06:00") == [vieja]
    # solo end_date: los 90 días antes de ella (1 de marzo cae dentro de los 90 días a mayo)
    assert ids("?end_date=2020-05-01T00:00:00Z") == [vieja]
    assert ids("?end_date=2020-07-01T00:00:00Z") == []
    # con zona: 06:00 en México (-06:00) son las 12:00 UTC en que se creó
    assert ids("?start_date=2020-03-01T06:00:00-06:00&end_date=2020-03-01T06:00:00-06:00") == [
        vieja
    ]
    assert ids("?start_date=2020-03-01T06:00:01-06:00&end_date=2020-03-02T00:00:00Z") == []
    assert _error(cliente.get(f"{V2}/requests.json?start_date=ayer"), 400) == (
        "start_date no es una fecha ISO 8601 (p. ej. 2026-01-31T00:00:00-06:00)"
    )
    for fuera in ("99999-01-01", "2026-13-01", "2026-01-01T25:00"):
        assert "end_date no es una fecha ISO 8601" in _error(
            cliente.get(f"{V2}/requests.json?end_date={fuera}"), 400
        )
    for temprana in ("0001-01-01T00:00:00%2B14:00", "0001-01-02", "1899-12-31T23:59:59Z"):
        assert _error(cliente.get(f"{V2}/requests.json?end_date={temprana}"), 400) == (
            "end_date debe ser posterior al año 1900"
        )
    assert (
        _error(cliente.get(f"{V2}/requests.json?start_date=2021-01-01&end_date=2020-01-01"), 400)
        == "start_date es posterior a end_date"
    )


def test_filtros_puros():
    momento = datetime(2026, 12, 2, 5, 0, 0)
    assert open311.filtros({}, momento) == {
        "tope": 1000,
        "desde": datetime(2026, 9, 3, 5, 0, 0),
        "hasta": None,
    }
    assert open311.filtros({"end_date": "2026-03-31T00:00:00+00:00"}, momento) == {
        "tope": 1000,
        "desde": datetime(2025, 12, 31, 0, 0, 0),
        "hasta": datetime(2026, 3, 31, 0, 0, 0),
    }
    assert open311.filtros({"service_request_id": " R-A , r-b ", "status": "x"}, momento) == {
        "folios": ["R-A", "r-b"],
        "tope": 1000,
    }
    assert open311.filtros({"status": "Closed", "service_code": "punto.otro"}, momento) == {
        "tope": 1000,
        "estados": ["atendido", "no_procede", "duplicado"],
        "tipos": [("punto", "otro")],
        "desde": datetime(2026, 9, 3, 5, 0, 0),
        "hasta": None,
    }


def test_tope_de_resultados(cliente, monkeypatch):
    monkeypatch.setattr(open311, "TOPE", 2)
    for tipo in ("obra_detenida", "mala_calidad", "otro"):
        assert _obra(cliente, tipo=tipo).status_code == 201
    todas = cliente.get(f"{V2}/requests.json").get_json()
    assert [s["service_code"] for s in todas] == ["obra.otro", "obra.mala_calidad"]


# --- moderación: descripción oculta y solo fotos aprobadas -----------------------------------


def test_media_url_solo_de_foto_aprobada_y_descripcion_oculta(app, cliente):
    salida = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 20, 30)).save(salida, "JPEG")
    with app.server.test_request_context():
        from tablero.reportes import web

        s = web.sesion()
        campos = servicio.validar(
            {"obra": OBRA, "tipo": "otro", "descripcion": "texto con datos"},
            web.catalogo_publicado(),
        )
        limpia = fotos.procesar(salida.getvalue(), "f.jpg")
        reporte = servicio.crear(s, campos, "cliente", 10, [limpia], web.carpeta_fotos())
        folio, foto_id, archivo = reporte.folio, reporte.fotos[0].id, reporte.fotos[0].archivo
    [sol] = cliente.get(f"{V2}/requests/{folio}.json").get_json()
    assert sol["media_url"] is None  # pendiente: no se publica
    with app.server.test_request_context():
        s = _sesion(app)
        servicio.moderar_foto(s, folio, foto_id, "aprobar", None, "ana")
        servicio.moderar_texto(s, folio, True, "Tenía datos personales", "ana")
    [sol] = cliente.get(f"{V2}/requests/{folio}.json").get_json()
    assert sol["media_url"] == f"http://localhost/reportes/fotos/{archivo}"
    assert cliente.get(sol["media_url"]).status_code == 200
    assert sol["description"] == "Tenía datos personales"
    assert "texto con datos" not in cliente.get(f"{V2}/requests.json").get_data(as_text=True)
