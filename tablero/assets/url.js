// Lleva los filtros de una página a la URL sin volver a dibujar la página.
// history.replaceState no avisa al enrutador de Dash Pages: la vista se puede compartir y
// al recargar la página se abre con esos filtros (layout(**parametros)).
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  sigue: {
    actualizar_url: function (nombres, ...valores) {
      const parametros = new URLSearchParams();
      nombres.forEach(function (nombre, i) {
        const valor = valores[i];
        const vacio = valor === null || valor === undefined || valor === "" ||
          (Array.isArray(valor) && valor.length === 0);
        if (!vacio) {
          parametros.set(nombre, Array.isArray(valor) ? valor.join(",") : String(valor));
        }
      });
      const consulta = parametros.toString();
      const destino = window.location.pathname + (consulta ? "?" + consulta : "");
      if (destino !== window.location.pathname + window.location.search) {
        window.history.replaceState(window.history.state, "", destino);
      }
      return window.dash_clientside.no_update;
    },
  },
});
