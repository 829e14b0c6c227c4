/* Arnés de Node para tablero/assets/instalable.js sin navegador (lo usa
 * tests/test_instalable_cola.py): un DOM mínimo, localStorage en memoria, navigator.onLine y
 * un fetch falso que anota los pedidos. Lee de la entrada estándar
 * {"script", "callbacks": [cuerpo de _dash-update-component...], "respuestas": {url: [estado, json]}}
 * y escribe en la salida estándar lo que pasó sin conexión y al volver la conexión.
 */
"use strict";
const fs = require("fs");
const vm = require("vm");

class Elemento {
  constructor(etiqueta) {
    this.tagName = etiqueta.toUpperCase();
    this.children = [];
    this.atributos = {};
    this.hidden = false;
    this.textContent = "";
    this.id = "";
    this.className = "";
    this.href = "";
  }
  setAttribute(nombre, valor) {
    this.atributos[nombre] = String(valor);
  }
  append(...hijos) {
    this.children.push(...hijos);
  }
  insertBefore(hijo) {
    this.children.unshift(hijo);
  }
  replaceChildren() {
    this.children = [];
  }
  get childElementCount() {
    return this.children.filter((h) => typeof h !== "string").length;
  }
  querySelector(selector) {
    for (const hijo of this.children) {
      if (typeof hijo === "string") continue;
      if ("#" + hijo.id === selector) return hijo;
      const dentro = hijo.querySelector(selector);
      if (dentro) return dentro;
    }
    return null;
  }
}

function texto(nodo) {
  if (typeof nodo === "string") return nodo;
  return nodo.textContent + nodo.children.map(texto).join("");
}

const entrada = JSON.parse(fs.readFileSync(0, "utf-8"));
const cuerpo = new Elemento("body");
const guardado = new Map();
const pedidos = [];
const eventos = {};
const contexto = {
  console,
  Intl,
  JSON,
  Response,
  Promise,
  setTimeout,
  setInterval: () => 0,
  encodeURIComponent,
  MutationObserver: class {
    observe() {}
  },
  navigator: { onLine: false },
  localStorage: {
    getItem: (k) => (guardado.has(k) ? guardado.get(k) : null),
    setItem: (k, v) => guardado.set(k, String(v)),
    removeItem: (k) => guardado.delete(k),
  },
  document: {
    readyState: "complete",
    body: cuerpo,
    addEventListener() {},
    createElement: (etiqueta) => new Elemento(etiqueta),
    querySelector: () => null,
    getElementById: (id) =>
      id === "_dash-config"
        ? { textContent: JSON.stringify({ requests_pathname_prefix: "/" }) }
        : cuerpo.querySelector("#" + id),
  },
  addEventListener: (tipo, funcion) => {
    (eventos[tipo] = eventos[tipo] || []).push(funcion);
  },
  fetch: async (url, opciones) => {
    if (!contexto.navigator.onLine) throw new TypeError("Failed to fetch");
    pedidos.push({
      url,
      metodo: opciones.method,
      tipo: opciones.headers["Content-Type"],
      cuerpo: JSON.parse(opciones.body),
    });
    const [estado, json] = entrada.respuestas[url] || [500, {}];
    return new Response(JSON.stringify(json), {
      status: estado,
      headers: { "Content-Type": "application/json" },
    });
  },
};
contexto.window = contexto;
vm.createContext(contexto);
vm.runInContext(entrada.script, contexto);

const pendientes = () => texto(cuerpo.querySelector("#reportes-pendientes"));

(async () => {
  const respuestas = [];
  for (const callback of entrada.callbacks) {
    try {
      const r = await contexto.window.fetch("/_dash-update-component", {
        method: "POST",
        body: JSON.stringify(callback),
      });
      respuestas.push(await r.json());
    } catch (error) {
      respuestas.push({ error: String(error) }); // el callback no se guardó: Dash ve el error
    }
  }
  const sinConexion = { cola: JSON.parse(guardado.get("sigue-reportes-pendientes") || "[]"), aviso: pendientes() };
  contexto.navigator.onLine = true;
  for (const funcion of eventos.online || []) funcion();
  for (let i = 0; i < 20; i++) await new Promise((listo) => setTimeout(listo, 0));
  process.stdout.write(
    JSON.stringify({
      respuestas,
      sinConexion,
      pedidos,
      conConexion: { cola: guardado.get("sigue-reportes-pendientes") || null, aviso: pendientes() },
    })
  );
})();
