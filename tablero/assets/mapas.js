// Mapas de las páginas de inicio y de un municipio: acercamiento según el ancho de la pantalla.
//
// Inicio: el servidor manda a un dcc.Store {base, valores, vista}. «base» es la URL de lo fijo
// del mapa en esa versión (geometría, ubicaciones, nombres, layout; caché de un año, con la
// huella en la dirección): se pide una vez y se guarda aquí y en el navegador. figura_ajustada
// suma los valores (z, colores, textos) a la última traza y pasa la figura a la gráfica con
// layout.map.zoom ya calculado (se dibuja una vez, sin saltar de acercamiento).
//
// El servidor no sabe el ancho de la pantalla: manda en un dcc.Store los límites del mapa
// {limites: [oeste, sur, este, norte], margen: px bajo el mapa, maximo: acercamiento máximo}
// y aquí se calcula el acercamiento con el que caben enteros (teselas de 512 px, proyección de
// Mercator). Al cargar solo cambia layout.map.zoom (un Patch: la geometría no se vuelve a
// mandar); si después cambia el ancho de la ventana (girar el teléfono) se vuelve a ajustar.
(function () {
  "use strict";

  const vistas = {};
  let espera = null;
  // URL de la base → promesa de su texto. Se guarda el texto (no el objeto) y se lee en cada
  // figura: Plotly no comparte objetos entre dos dibujos del mapa.
  const bases = new Map();

  function pedirBase(url) {
    if (!bases.has(url)) {
      const promesa = fetch(url, { credentials: "same-origin" }).then(function (respuesta) {
        if (!respuesta.ok) throw new Error("mapa " + url + ": " + respuesta.status);
        return respuesta.text();
      });
      promesa.catch(function () {
        bases.delete(url); // sin red: se vuelve a intentar en la próxima carga
      });
      bases.set(url, promesa);
      if (bases.size > 8) bases.delete(bases.keys().next().value);
    }
    return bases.get(url).then(JSON.parse);
  }

  function acercamiento(vista, id) {
    const [oeste, sur, este, norte] = vista.limites.map(Number);
    const grafica = id ? document.getElementById(id) : null;
    // Mientras llega plotly.js la gráfica es el aviso «Cargando…», pero ya con el alto del
    // mapa: lo reserva el CSS (.inicio-mapa, .perfil-mapa, .figura-mapa .mapa: 460 px).
    const ancho = (grafica && grafica.clientWidth) || Math.min(window.innerWidth, 1152) - 34;
    const alto = ((grafica && grafica.clientHeight) || 460) - (Number(vista.margen) || 0);
    const mercator = (lat) => Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));
    const porAncho = Math.log2((ancho * 360) / (512 * Math.max(este - oeste, 1e-6)));
    const porAlto = Math.log2(
      (alto * 2 * Math.PI) / (512 * Math.max(mercator(norte) - mercator(sur), 1e-9))
    );
    const zoom = Math.max(1, Math.min(porAncho, porAlto, Number(vista.maximo) || 16) - 0.15);
    return Math.round(zoom * 100) / 100;
  }

  function reajustar() {
    Object.keys(vistas).forEach(function (id) {
      const contenedor = document.getElementById(id);
      const grafica = contenedor && contenedor.querySelector(".js-plotly-plot");
      if (!grafica || !window.Plotly || !grafica._fullLayout || !grafica._fullLayout.map) {
        if (!contenedor) delete vistas[id];
        return;
      }
      const zoom = acercamiento(vistas[id], id);
      if (Math.abs(grafica._fullLayout.map.zoom - zoom) > 0.05) {
        window.Plotly.relayout(grafica, { "map.zoom": zoom });
      }
    });
  }

  function ajustada(figura, vista, id) {
    if (!vista || !vista.limites || vista.limites.length !== 4 || !figura.layout) {
      return figura;
    }
    if (id) vistas[id] = vista;
    // Objetos nuevos solo en el camino a layout.map.zoom: la geometría no se copia.
    const mapa = Object.assign({}, figura.layout.map, { zoom: acercamiento(vista, id) });
    return Object.assign({}, figura, {
      layout: Object.assign({}, figura.layout, { map: mapa }),
    });
  }

  window.addEventListener("resize", function () {
    window.clearTimeout(espera);
    espera = window.setTimeout(reajustar, 250);
  });

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    sigue_mapas: {
      figura_ajustada: function (datos, id) {
        if (!datos || (!datos.figura && !datos.base)) {
          return window.dash_clientside.no_update;
        }
        if (datos.base) {
          return pedirBase(datos.base).then(
            function (base) {
              // los valores van en la última traza (la de abajo, si la hay, es el gris de
              // «sin dato» del mapa de entidades del modo nacional)
              const ultima = base.data.length - 1;
              const traza = Object.assign({}, base.data[ultima], datos.valores || {});
              const figura = Object.assign({}, base, {
                data: base.data.slice(0, ultima).concat([traza]),
              });
              return ajustada(figura, datos.vista, id);
            },
            function (error) {
              window.console.warn("No se pudo cargar el mapa", error);
              return window.dash_clientside.no_update;
            }
          );
        }
        return ajustada(datos.figura, datos.vista, id);
      },
      ajustar_acercamiento: function (vista, id) {
        if (!vista || !vista.limites || vista.limites.length !== 4) {
          return window.dash_clientside.no_update;
        }
        if (id) vistas[id] = vista;
        return new window.dash_clientside.Patch()
          .assign(["layout", "map", "zoom"], acercamiento(vista, id))
          .build();
      },
    },
  });
})();
