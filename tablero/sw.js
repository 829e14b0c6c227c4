/* Service worker de Sigue el dinero Oaxaca (lo sirve tablero/instalable.py en <prefijo>sw.js).
 *
 * - Al instalarse guarda el "armazón": la página de inicio y los scripts, estilos e íconos que
 *   carga (con su huella en la dirección), para abrir al instante en la segunda visita.
 * - Scripts, estilos e íconos (_dash-component-suites/, assets/): primero la caché.
 * - Bases de los mapas (_sigue/mapa/: geometría por versión, con la huella en la dirección, no
 *   cambian nunca): primero la caché de datos (con las respuestas de los callbacks, que solo
 *   traen la dirección y los valores); así el mapa se dibuja sin red.
 * - Páginas, _dash-layout, _dash-dependencies y los callbacks de Dash (POST
 *   _dash-update-component, guardados con la huella de su cuerpo): primero la red; sin red, la
 *   última respuesta guardada, y se avisa a la página ("sin-conexion", con la fecha en que se
 *   guardó) para que muestre el aviso.
 * - Nunca se guardan: la API (reportes: POST), las descargas, la atención de funcionarios ni
 *   los callbacks disparados por un botón (acciones como "Enviar reporte").
 * - La caché lleva la versión; al activarse se borran las de otras versiones.
 */
"use strict";

const VERSION = "__VERSION__";
const PREFIJO = "__PREFIJO__";
const CACHE_ARMAZON = "sigue-armazon-" + VERSION;
const CACHE_DATOS = "sigue-datos-" + VERSION;
const MAXIMO_DATOS = 200;
const CABECERA_GUARDADO = "X-Sigue-Guardado";
const ICONOS = [
  "assets/iconos/icono-192.png",
  "assets/iconos/icono-512.png",
  "assets/iconos/icono-maskable-512.png",
  "assets/iconos/apple-touch-icon.png",
];
const NUNCA = ["api/", "descargas/", "atencion", "sw.js", "open311/", "feeds/", "reportes/baja"];

/* Último estado de la red visto por el service worker: la página lo pide al cargar. */
let estado = { tipo: "con-conexion" };

function rutaRelativa(url) {
  return url.pathname.startsWith(PREFIJO) ? url.pathname.slice(PREFIJO.length) : null;
}

function recursosDeLaPagina(html) {
  const urls = new Set();
  const patron = /<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]+)"/g;
  let m;
  while ((m = patron.exec(html)) !== null) {
    const url = new URL(m[1].replace(/&amp;/g, "&"), self.location.href);
    const ruta = url.origin === self.location.origin ? rutaRelativa(url) : null;
    if (ruta !== null && (ruta.startsWith("_dash-component-suites/") || ruta.startsWith("assets/"))) {
      urls.add(url.href);
    }
  }
  return [...urls];
}

async function conFecha(respuesta) {
  const cabeceras = new Headers(respuesta.headers);
  cabeceras.delete("Content-Encoding");
  cabeceras.delete("Content-Length");
  cabeceras.set(CABECERA_GUARDADO, new Date().toISOString());
  return new Response(await respuesta.blob(), {
    status: respuesta.status,
    statusText: respuesta.statusText,
    headers: cabeceras,
  });
}

async function guardar(clave, respuesta) {
  const cache = await caches.open(CACHE_DATOS);
  await cache.put(clave, await conFecha(respuesta));
  const claves = await cache.keys();
  for (const vieja of claves.slice(0, Math.max(0, claves.length - MAXIMO_DATOS))) {
    await cache.delete(vieja);
  }
}

async function avisar(mensaje) {
  estado = mensaje;
  const clientes = await self.clients.matchAll({ type: "window" });
  for (const cliente of clientes) cliente.postMessage(mensaje);
}

self.addEventListener("install", (evento) => {
  evento.waitUntil(
    (async () => {
      const armazon = await caches.open(CACHE_ARMAZON);
      const inicio = await fetch(PREFIJO, { cache: "no-store", credentials: "same-origin" });
      if (inicio.ok) {
        const html = await inicio.clone().text();
        await guardar(PREFIJO, inicio);
        // sin repetidos: addAll rechaza una lista con la misma dirección dos veces
        const iconos = ICONOS.map((i) => new URL(PREFIJO + i, self.location.href).href);
        await armazon.addAll([...new Set([...recursosDeLaPagina(html), ...iconos])]);
      }
      await self.skipWaiting();
    })()
  );
});

self.addEventListener("activate", (evento) => {
  evento.waitUntil(
    (async () => {
      const vigentes = [CACHE_ARMAZON, CACHE_DATOS];
      for (const nombre of await caches.keys()) {
        if (nombre.startsWith("sigue-") && !vigentes.includes(nombre)) await caches.delete(nombre);
      }
      await self.clients.claim();
    })()
  );
});

self.addEventListener("message", (evento) => {
  if (evento.data && evento.data.tipo === "estado" && evento.source) {
    evento.source.postMessage(estado);
  }
});

async function primeroCache(peticion) {
  const guardada = await caches.match(peticion);
  if (guardada) return guardada;
  const respuesta = await fetch(peticion);
  if (respuesta.ok && respuesta.status === 200) {
    const cache = await caches.open(CACHE_ARMAZON);
    await cache.put(peticion, respuesta.clone());
  }
  return respuesta;
}

async function primeroCacheDatos(peticion, evento) {
  const cache = await caches.open(CACHE_DATOS);
  const guardada = await cache.match(peticion.url);
  if (guardada) return guardada;
  const respuesta = await fetch(peticion);
  if (respuesta.status === 200) evento.waitUntil(guardar(peticion.url, respuesta.clone()));
  return respuesta;
}

async function primeroRed(peticion, clave, respaldo, evento) {
  try {
    const respuesta = await fetch(peticion);
    if (respuesta.status === 200) {
      evento.waitUntil(guardar(clave, respuesta.clone()));
    }
    if (estado.tipo !== "con-conexion") evento.waitUntil(avisar({ tipo: "con-conexion" }));
    return respuesta;
  } catch (error) {
    const cache = await caches.open(CACHE_DATOS);
    let guardada = await cache.match(clave);
    if (!guardada && respaldo) guardada = await cache.match(respaldo);
    evento.waitUntil(
      avisar({
        tipo: "sin-conexion",
        guardado: guardada ? guardada.headers.get(CABECERA_GUARDADO) : null,
      })
    );
    if (guardada) return guardada;
    throw error;
  }
}

async function huella(texto) {
  const bytes = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(texto));
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function callback(peticion, evento) {
  const cuerpo = await peticion.clone().text();
  let accion = true;
  try {
    const datos = JSON.parse(cuerpo);
    accion = (datos.changedPropIds || []).some((p) => String(p).endsWith(".n_clicks"));
  } catch (error) {
    accion = true;
  }
  if (accion) return fetch(peticion);
  const clave = PREFIJO + "_dash-update-component?cuerpo=" + (await huella(cuerpo));
  return primeroRed(peticion, clave, null, evento);
}

self.addEventListener("fetch", (evento) => {
  const peticion = evento.request;
  const url = new URL(peticion.url);
  if (url.origin !== self.location.origin) return;
  const ruta = rutaRelativa(url);
  if (ruta === null || NUNCA.some((n) => ruta.startsWith(n))) return;
  if (peticion.method === "POST") {
    if (ruta === "_dash-update-component") evento.respondWith(callback(peticion, evento));
    return;
  }
  if (peticion.method !== "GET") return;
  if (ruta.startsWith("_dash-component-suites/") || ruta.startsWith("assets/")) {
    evento.respondWith(primeroCache(peticion));
  } else if (ruta.startsWith("_sigue/mapa/")) {
    evento.respondWith(primeroCacheDatos(peticion, evento));
  } else if (ruta === "_dash-layout" || ruta === "_dash-dependencies") {
    evento.respondWith(primeroRed(peticion, peticion.url, null, evento));
  } else if (peticion.mode === "navigate") {
    evento.respondWith(primeroRed(peticion, peticion.url, PREFIJO, evento));
  }
});
