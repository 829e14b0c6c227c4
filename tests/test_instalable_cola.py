"""Cola sin conexión de ``assets/instalable.js``: «Enviar reporte» y «Sumarme a ese reporte».

Corre el script real en Node (``tests/js/cola_sin_conexion.js``: DOM mínimo, ``localStorage``
en memoria, ``navigator.onLine`` y un ``fetch`` falso): sin conexión, el callback de Dash se
guarda en la cola y el formulario dice «pendiente»; al volver la conexión se manda a la API.
Lo que el script manda se repite contra el servidor real (``POST /api/reportes`` y
``POST /api/reportes/<folio>/adhesiones``) para probar que lo acepta.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tablero.reportes import formulario, servicio
from tests.ayuda_reportes import crear_app_completa

RAIZ = Path(__file__).resolve().parents[1]
SCRIPT = RAIZ / "tablero" / "assets" / "instalable.js"
ARNES = RAIZ / "tests" / "js" / "cola_sin_conexion.js"
CAJON = "EST-001"
CONTACTO = "vecina.privada@example.org"

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="hace falta Node.js")


@pytest.fixture()
def app(tmp_path, monkeypatch):
    return crear_app_completa(tmp_path, monkeypatch)


@pytest.fixture()
def cliente(app):
    return app.server.test_client()


def _estado(id_: str, valor, propiedad: str = "value") -> dict:
    return {"id": id_, "property": propiedad, "value": valor}


def callback(boton: str, estados: list[dict]) -> dict:
    """Cuerpo de ``_dash-update-component`` de un clic en ``boton`` del formulario de reporte."""
    return {
        "output": "..reportar-resultado.children...reportar-similar.data..",
        "outputs": [
            {"id": formulario.ID["resultado"], "property": "children"},
            {"id": formulario.ID["similar"], "property": "data"},
        ],
        "inputs": [_estado(formulario.ID[boton], 1, "n_clicks")],
        "changedPropIds": [f"{formulario.ID[boton]}.n_clicks"],
        "state": estados,
    }


def callback_sumarse(folio: str, descripcion: str, contacto: str | None) -> dict:
    """El botón «Sumarme a ese reporte» (States de ``sumarse_al_reporte``)."""
    return callback(
        "sumarse",
        [
            _estado(formulario.ID["similar"], folio, "data"),
            _estado(formulario.ID["descripcion"], descripcion),
            _estado(formulario.ID["contacto"], contacto),
        ],
    )


def callback_enviar(espacio: str, tipo: str, descripcion: str) -> dict:
    """El botón «Enviar reporte» (States de ``enviar_reporte``)."""
    return callback(
        "enviar",
        [
            _estado("estacionamientos-espacio", espacio, "data"),
            _estado(formulario.ID["tipo"], tipo),
            _estado(formulario.ID["descripcion"], descripcion),
            _estado(formulario.ID["contacto"], None),
            _estado(formulario.ID["latitud"], ""),
            _estado(formulario.ID["longitud"], ""),
        ],
    )


def correr(callbacks: list[dict], respuestas: dict[str, list]) -> dict:
    entrada = {
        "script": SCRIPT.read_text(encoding="utf-8"),
        "callbacks": callbacks,
        "respuestas": respuestas,
    }
    salida = subprocess.run(
        ["node", str(ARNES)],
        input=json.dumps(entrada),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(salida.stdout)


def _mensaje(respuesta: dict) -> str:
    return respuesta["response"][formulario.ID["resultado"]]["children"]["props"]["children"]


def test_sumarme_sin_conexion_queda_pendiente_y_se_envia_al_volver(app, cliente):
    folio = cliente.post(
        "/api/reportes",
        json={"estacionamiento_id": CAJON, "tipo": "danado", "descripcion": "Rampa rota"},
    ).get_json()["folio"]
    api_adhesion = f"/api/reportes/{folio}/adhesiones"
    resultado = correr(
        [
            callback_sumarse(folio, "También la vi rota", CONTACTO),
            callback_enviar("EST-002", "obstruido", "Un puesto tapa el cajón"),
        ],
        {api_adhesion: [201, {"folio": folio}], "/api/reportes": [201, {"folio": "R-NUEVO23"}]},
    )
    # sin conexión: el formulario dice «pendiente» y la cola guarda los dos envíos
    assert _mensaje(resultado["respuestas"][0]) == (
        f"Sin conexión: su adhesión al reporte {folio} quedó guardada en este teléfono, "
        "pendiente de envío. Se enviará sola al volver la conexión y entonces lo verá arriba "
        "de la página."
    )
    assert _mensaje(resultado["respuestas"][1]).startswith(
        "Sin conexión: su reporte quedó guardado en este teléfono, pendiente de envío."
    )
    cola = resultado["sinConexion"]["cola"]
    assert [(e["api"], e["cuerpo"], e.get("clase"), e.get("folio")) for e in cola] == [
        (
            api_adhesion,
            {"descripcion": "También la vi rota", "contacto": CONTACTO},
            "adhesion",
            folio,
        ),
        (
            "/api/reportes",
            {
                "estacionamiento_id": "EST-002",
                "tipo": "obstruido",
                "descripcion": "Un puesto tapa el cajón",
            },
            None,
            None,
        ),
    ]
    assert resultado["sinConexion"]["aviso"] == (
        "1 reporte pendiente de envío: está guardado en este teléfono y se enviará al volver "
        f"la conexión.1 adhesión pendiente de envío (sumarse al reporte {folio}): está "
        "guardada en este teléfono y se enviará al volver la conexión."
    )
    # al volver la conexión: se mandan en orden, la cola queda vacía y se ve el resultado
    assert [(p["url"], p["metodo"], p["tipo"]) for p in resultado["pedidos"]] == [
        (api_adhesion, "POST", "application/json"),
        ("/api/reportes", "POST", "application/json"),
    ]
    assert resultado["conConexion"]["cola"] is None
    assert resultado["conConexion"]["aviso"] == (
        f"Se envió su adhesión escrita sin conexión: se sumó al reporte {folio} (ver el "
        f"reporte {folio}).Se envió su reporte escrito sin conexión. Su folio es R-NUEVO23 "
        "(ver el reporte R-NUEVO23)."
    )
    # el servidor acepta lo que manda el script
    pedido = resultado["pedidos"][0]
    r = cliente.post(pedido["url"], json=pedido["cuerpo"])
    assert r.status_code == 201
    assert r.get_json() == {"folio": folio, "estado": "recibido", "adhesiones": 1}
    assert cliente.get(f"/api/reportes/{folio}").get_json()["adhesiones"] == 1
    assert CONTACTO not in json.dumps(cliente.get(f"/api/reportes/{folio}").get_json())
    nuevo = resultado["pedidos"][1]
    assert cliente.post(nuevo["url"], json=nuevo["cuerpo"]).status_code == 201


def test_adhesion_sin_conexion_a_un_reporte_ya_cerrado_se_explica(app, cliente):
    folio = cliente.post(
        "/api/reportes",
        json={"estacionamiento_id": CAJON, "tipo": "danado", "descripcion": "Rampa rota"},
    ).get_json()["folio"]
    with app.server.test_request_context():
        from tablero.reportes import web

        servicio.cambiar_estado(web.sesion(), folio, "no_procede", "No procede", "ana")
    r = cliente.post(f"/api/reportes/{folio}/adhesiones", json={"descripcion": "x"})
    assert (r.status_code, r.get_json()) == (
        400,
        {"error": "Ese reporte ya está cerrado; levante uno nuevo", "campo": "folio"},
    )
    resultado = correr(
        [callback_sumarse(folio, "Sigue rota", None)],
        {f"/api/reportes/{folio}/adhesiones": [r.status_code, r.get_json()]},
    )
    assert resultado["conConexion"]["cola"] is None
    assert resultado["conConexion"]["aviso"] == (
        f"No se pudo sumar al reporte {folio} su adhesión escrita sin conexión: Ese reporte ya "
        "está cerrado; levante uno nuevo Su descripción era: «Sigue rota»."
    )


def test_sin_folio_el_boton_sumarse_no_se_guarda():
    resultado = correr([callback_sumarse("", "x", None)], {})
    assert resultado["respuestas"] == [{"error": "TypeError: Failed to fetch"}]
    assert resultado["sinConexion"]["cola"] == []
    assert resultado["pedidos"] == []


def test_api_de_adhesiones_errores(cliente):
    assert cliente.post("/api/reportes/R-ZZZZZZZ/adhesiones", json={}).status_code == 404
    folio = cliente.post(
        "/api/reportes",
        json={"estacionamiento_id": CAJON, "tipo": "danado", "descripcion": "Rampa rota"},
    ).get_json()["folio"]
    ruta = f"/api/reportes/{folio}/adhesiones"
    r = cliente.post(ruta, data="descripcion=x", content_type="application/x-www-form-urlencoded")
    assert r.status_code == 415
    assert cliente.post(ruta, json=["x"]).get_json() == {
        "error": "El cuerpo debe ser un objeto JSON"
    }
    r = cliente.post(ruta, json={"contacto": "no es contacto"})
    assert (r.status_code, r.get_json()["campo"]) == (400, "contacto")
    r = cliente.post(ruta, json={"descripcion": 5})
    assert r.get_json() == {"error": "El campo descripcion debe ser texto", "campo": "descripcion"}
    r = cliente.post(ruta, data=b'{"descripcion": "' + b"x" * 20000 + b'"}',
                     content_type="application/json")  # fmt: skip
    assert r.status_code == 413
    assert cliente.get(f"/api/reportes/{folio}").get_json()["adhesiones"] == 0
