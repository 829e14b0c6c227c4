/* Aplicación instalable: registra el service worker (<prefijo>sw.js), muestra el aviso
 * "Sin conexión" cuando los datos vienen de la caché del teléfono y guarda los reportes
 * escritos sin conexión para enviarlos al volver la conexión.
 *
 * Reportes sin conexión (cualquier formulario de reporte hecho con Dash): el botón
 * "<prefijo>-enviar" dispara un callback con los campos como State ("<prefijo>-tipo",
 * "-descripcion", "-contacto", "-latitud", "-longitud" y el objeto elegido, p. ej.
 * "estacionamientos-espacio"). Si no hay red, ese callback no llega al servidor: aquí se
 * convierte en el cuerpo de POST <prefijo>api/reportes, se guarda en localStorage, el
 * formulario dice "pendiente de envío" y se manda al volver la conexión (evento "online", al
 * abrir la página y cada 30 s mientras haya pendientes), y se muestra el folio.
 * Otro formulario añade sus campos en window.sigueReportes.campos (sufijo del id -> campo).
 *
 * "Sumarme a ese reporte" sin conexión: el botón "<prefijo>-sumarse" (lo ofrece el formulario
 * cuando ya hay un reporte abierto igual) con el folio en "<prefijo>-similar" y la descripción
 * y el contacto del formulario se guarda igual, como POST <prefijo>api/reportes/<folio>/
 * adhesiones, y se ve pendiente hasta que se envía.
 */
(function () {
  "use strict";

  const CLAVE = "sigue-reportes-pendientes";
  const ID_AVISOS = "sigue-fuera-de-linea";
  const configuracion = (() => {
    try {
      return JSON.parse(document.getElementById("_dash-config").textContent);
    } catch (error) {
      return {};
    }
  })();
  const PREFIJO = configuracion.requests_pathname_prefix || "/";

  /* Sufijo del id del componente en el formulario -> campo del cuerpo de la API. */
  const campos = {
    tipo: "tipo",
    descripcion: "descripcion",
    contacto: "contacto",
    latitud: "latitud",
    longitud: "longitud",
    espacio: "estacionamiento_id",
  };
  window.sigueReportes = { campos: campos, api: PREFIJO + "api/reportes" };

  const formatoFecha = new Intl.DateTimeFormat("es-MX", { dateStyle: "long", timeStyle: "short" });
  let sinConexion = null; // {guardado: ISO | null} mientras se muestran datos guardados
  let enviados = []; // [{clase, folio} | {clase, folio, error, descripcion}] de esta visita

  /* --- Avisos (fuera del árbol de React, antes del contenido) ------------------------- */

  function avisos() {
    let caja = document.getElementById(ID_AVISOS);
    if (!caja) {
      caja = document.createElement("section");
      caja.id = ID_AVISOS;
      caja.className = "fuera-de-linea";
      caja.setAttribute("aria-label", "Conexión y reportes pendientes");
      const aviso = document.createElement("p");
      aviso.id = "aviso-sin-conexion";
      aviso.className = "fuera-de-linea__aviso";
      aviso.setAttribute("role", "status");
      aviso.hidden = true;
      const cola = document.createElement("div");
      cola.id = "reportes-pendientes";
      cola.className = "fuera-de-linea__reportes";
      cola.setAttribute("role", "status");
      cola.hidden = true;
      caja.append(aviso, cola);
      const entrada = document.getElementById("react-entry-point");
      document.body.insertBefore(caja, entrada || document.body.firstChild);
    }
    return caja;
  }

  function fechaDeCorte() {
    const corte = document.querySelector(".banda-version__corte strong");
    return corte ? corte.textContent.trim() : "";
  }

  function pintarAviso() {
    const aviso = avisos().querySelector("#aviso-sin-conexion");
    if (!sinConexion) {
      aviso.hidden = true;
      aviso.textContent = "";
      return;
    }
    const cuando = sinConexion.guardado ? new Date(sinConexion.guardado) : null;
    const corte = fechaDeCorte();
    const texto =
      "Sin conexión: se muestran los datos vistos por última vez" +
      (cuando && !isNaN(cuando) ? " el " + formatoFecha.format(cuando) : "") +
      (corte ? ", con corte al " + corte : "") +
      ".";
    if (aviso.textContent !== texto) aviso.textContent = texto;
    aviso.hidden = false;
  }

  function pintarReportes() {
    const cola = avisos().querySelector("#reportes-pendientes");
    const pendientes = leer();
    const adhesiones = pendientes.filter((e) => e.clase === "adhesion");
    const reportes = pendientes.length - adhesiones.length;
    cola.replaceChildren();
    if (reportes) {
      const p = document.createElement("p");
      p.className = "fuera-de-linea__pendiente";
      p.textContent =
        reportes === 1
          ? "1 reporte pendiente de envío: está guardado en este teléfono y se enviará al volver la conexión."
          : reportes +
            " reportes pendientes de envío: están guardados en este teléfono y se enviarán al volver la conexión.";
      cola.append(p);
    }
    if (adhesiones.length) {
      const p = document.createElement("p");
      p.className = "fuera-de-linea__pendiente";
      const folios = [...new Set(adhesiones.map((e) => e.folio))].join(", ");
      p.textContent =
        (adhesiones.length === 1
          ? "1 adhesión pendiente de envío (sumarse al reporte " + folios + "): está guardada"
          : adhesiones.length +
            " adhesiones pendientes de envío (sumarse a " + folios + "): están guardadas") +
        " en este teléfono y se enviará" + (adhesiones.length === 1 ? "" : "n") +
        " al volver la conexión.";
      cola.append(p);
    }
    for (const enviado of enviados) {
      const p = document.createElement("p");
      const adhesion = enviado.clase === "adhesion";
      if (!enviado.error) {
        p.className = "mensaje-ok";
        p.append(
          adhesion
            ? "Se envió su adhesión escrita sin conexión: se sumó al reporte "
            : "Se envió su reporte escrito sin conexión. Su folio es "
        );
        const fuerte = document.createElement("strong");
        fuerte.textContent = enviado.folio;
        p.append(fuerte, " (");
        const enlace = document.createElement("a");
        enlace.href = PREFIJO + "reporte?folio=" + encodeURIComponent(enviado.folio);
        enlace.textContent = "ver el reporte " + enviado.folio;
        p.append(enlace, ").");
      } else {
        p.className = "mensaje-error";
        p.textContent =
          (adhesion
            ? "No se pudo sumar al reporte " + enviado.folio + " su adhesión escrita sin conexión: "
            : "No se pudo enviar su reporte escrito sin conexión: ") +
          enviado.error +
          (enviado.descripcion ? " Su descripción era: «" + enviado.descripcion + "»." : "");
      }
      cola.append(p);
    }
    cola.hidden = !cola.childElementCount;
  }

  /* --- Cola de reportes ------------------------------------------------------------------ */

  function leer() {
    try {
      const lista = JSON.parse(localStorage.getItem(CLAVE) || "[]");
      return Array.isArray(lista) ? lista : [];
    } catch (error) {
      return [];
    }
  }

  function escribir(lista) {
    if (lista.length) localStorage.setItem(CLAVE, JSON.stringify(lista));
    else localStorage.removeItem(CLAVE);
  }

  function numero(valor) {
    const n = Number(String(valor).trim().replace(",", "."));
    return String(valor).trim() !== "" && isFinite(n) ? n : valor;
  }

  /* Envío a la API a partir del cuerpo de un callback de Dash "Enviar reporte" o "Sumarme
   * a ese reporte": {clase: "reporte" | "adhesion", api, cuerpo, folio, resultado}, o null. */
  function envioDeCallback(textoCuerpo) {
    let datos;
    try {
      datos = JSON.parse(textoCuerpo);
    } catch (error) {
      return null;
    }
    const boton = (datos.inputs || []).find(
      (e) => typeof e.id === "string" && /-(enviar|sumarse)$/.test(e.id) && e.property === "n_clicks"
    );
    if (!boton || !(datos.changedPropIds || []).includes(boton.id + ".n_clicks")) return null;
    const salidas = [].concat(datos.outputs || []);
    const resultado = salidas.find(
      (s) => typeof s.id === "string" && /-resultado$/.test(s.id) && s.property === "children"
    );
    if (!resultado) return null;
    const cuerpo = {};
    let folio = null;
    for (const estado of datos.state || []) {
      if (typeof estado.id !== "string") continue;
      const sufijo = estado.id.slice(estado.id.lastIndexOf("-") + 1);
      const valor = estado.value;
      if (valor === null || valor === undefined || String(valor).trim() === "") continue;
      if (sufijo === "similar") folio = String(valor);
      const campo = campos[sufijo];
      if (!campo) continue;
      cuerpo[campo] = campo === "latitud" || campo === "longitud" ? numero(valor) : valor;
    }
    if (/-sumarse$/.test(boton.id)) {
      if (!folio) return null;
      const adhesion = {};
      for (const campo of ["descripcion", "contacto"]) if (campo in cuerpo) adhesion[campo] = cuerpo[campo];
      return {
        clase: "adhesion",
        api: window.sigueReportes.api + "/" + encodeURIComponent(folio) + "/adhesiones",
        cuerpo: adhesion,
        folio: folio,
        resultado: resultado.id,
      };
    }
    if (cuerpo.estacionamiento_id) {
      delete cuerpo.latitud;
      delete cuerpo.longitud;
    }
    return { clase: "reporte", api: window.sigueReportes.api, cuerpo: cuerpo, resultado: resultado.id };
  }

  function encolar(envio) {
    const lista = leer();
    const pendiente = { api: envio.api, cuerpo: envio.cuerpo, creado: new Date().toISOString() };
    if (envio.clase === "adhesion") {
      pendiente.clase = "adhesion";
      pendiente.folio = envio.folio;
    }
    lista.push(pendiente);
    escribir(lista);
    pintarReportes();
    const mensaje = {
      type: "P",
      namespace: "dash_html_components",
      props: {
        className: "mensaje-pendiente",
        children:
          envio.clase === "adhesion"
            ? "Sin conexión: su adhesión al reporte " +
              envio.folio +
              " quedó guardada en este teléfono, pendiente de envío. Se enviará sola al " +
              "volver la conexión y entonces lo verá arriba de la página."
            : "Sin conexión: su reporte quedó guardado en este teléfono, pendiente de envío. " +
              "Se enviará solo al volver la conexión y entonces verá su folio arriba de la página.",
      },
    };
    const respuesta = { multi: true, response: {} };
    respuesta.response[envio.resultado] = { children: mensaje };
    return new Response(JSON.stringify(respuesta), {
      status: 200,
      headers: { "Content-Type": "application/json" },
    });
  }

  let enviando = false;

  /* Con varias pestañas abiertas, una sola envía la cola a la vez (Web Locks, si existe). */
  function enviarPendientes() {
    if (enviando || !navigator.onLine) return Promise.resolve();
    if (navigator.locks && navigator.locks.request) {
      return navigator.locks.request("sigue-reportes-pendientes", enviarCola);
    }
    return enviarCola();
  }

  async function enviarCola() {
    if (enviando) return;
    enviando = true;
    try {
      let lista = leer();
      while (lista.length) {
        const [primero] = lista;
        let respuesta;
        try {
          respuesta = await fetchOriginal(primero.api, {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify(primero.cuerpo),
            credentials: "same-origin",
          });
        } catch (error) {
          break; // sin red todavía: se intenta después
        }
        if (respuesta.status === 429 || respuesta.status >= 500) break;
        let datos = {};
        try {
          datos = await respuesta.json();
        } catch (error) {
          datos = {};
        }
        const clase = primero.clase || "reporte";
        if (respuesta.ok && datos.folio) enviados.push({ clase: clase, folio: datos.folio });
        else
          enviados.push({
            clase: clase,
            folio: primero.folio,
            error: datos.error || "el servidor no lo aceptó.",
            descripcion: primero.cuerpo.descripcion,
          });
        lista = leer().slice(1);
        escribir(lista);
      }
    } finally {
      enviando = false;
      pintarReportes();
    }
  }

  /* Los callbacks "Enviar reporte" y "Sumarme a ese reporte" que no llegan al servidor se guardan en la cola. */
  const fetchOriginal = window.fetch.bind(window);
  window.fetch = async function (recurso, opciones) {
    const url = typeof recurso === "string" ? recurso : recurso && recurso.url;
    const metodo = (opciones && opciones.method) || (recurso && recurso.method) || "GET";
    if (
      metodo.toUpperCase() === "POST" &&
      typeof url === "string" &&
      url.indexOf("_dash-update-component") !== -1 &&
      opciones &&
      typeof opciones.body === "string"
    ) {
      const envio = envioDeCallback(opciones.body);
      if (envio) {
        if (!navigator.onLine) return encolar(envio);
        try {
          return await fetchOriginal(recurso, opciones);
        } catch (error) {
          return encolar(envio);
        }
      }
    }
    return fetchOriginal(recurso, opciones);
  };

  /* --- Service worker ---------------------------------------------------------------- */

  function mensajeDelServiceWorker(evento) {
    const datos = evento.data || {};
    if (datos.tipo === "sin-conexion") {
      // Se muestra la fecha más antigua de lo que se está viendo.
      const anterior = sinConexion && sinConexion.guardado;
      const guardado = anterior && datos.guardado && anterior < datos.guardado ? anterior : datos.guardado || anterior;
      sinConexion = { guardado: guardado || null };
      pintarAviso();
    } else if (datos.tipo === "con-conexion") {
      sinConexion = null;
      pintarAviso();
      enviarPendientes();
    }
  }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", mensajeDelServiceWorker);
    navigator.serviceWorker
      .register(PREFIJO + "sw.js", { scope: PREFIJO })
      .catch(() => undefined);
    navigator.serviceWorker.ready.then((registro) => {
      if (navigator.serviceWorker.controller) {
        navigator.serviceWorker.controller.postMessage({ tipo: "estado" });
      } else if (registro.active) {
        registro.active.postMessage({ tipo: "estado" });
      }
    });
  }

  function alCargar() {
    avisos();
    pintarReportes();
    enviarPendientes();
    // La fecha de corte llega con la banda de versión (la dibuja Dash después).
    new MutationObserver(() => {
      if (sinConexion) pintarAviso();
    }).observe(document.body, { childList: true, subtree: true });
  }

  window.addEventListener("online", () => {
    if (sinConexion && !sinConexion.guardado) {
      sinConexion = null; // solo lo había puesto el evento "offline"
      pintarAviso();
    }
    enviarPendientes();
  });
  window.addEventListener("offline", () => {
    if (!sinConexion) {
      sinConexion = { guardado: null };
      pintarAviso();
    }
  });
  setInterval(() => {
    if (leer().length) enviarPendientes();
  }, 30000);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", alCargar);
  else alCargar();
})();
