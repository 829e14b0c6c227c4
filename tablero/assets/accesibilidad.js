// Arreglos de accesibilidad para controles de Dash 4 (dcc), en el navegador.
//
// dcc 4.x pinta algunos controles con ARIA que axe-core marca como errores graves:
// - dcc.Checklist y dcc.RadioItems: role="listbox" con role="option" alrededor de casillas
//   nativas (controles anidados, lista sin nombre). Las casillas nativas dentro de un
//   <fieldset> con <legend> ya dicen todo: se quita el ARIA sobrante (role="group").
// - dcc.Dropdown: el botón toma su nombre solo del valor ("Todos"), no de su <label for>, y un
//   <input aria-hidden> recibe el foco con Tab y lo pasa al botón. Se nombra el botón con su
//   etiqueta + su valor y el botón entra directo en el orden de Tab (el <input> sale de él).
// Y dos detalles que axe-core 3 (el de axe-selenium-python) marca y el 4 ya no:
// - AG Grid deja contenedores role="rowgroup" vacíos (filas fijas que no usamos): pasan a
//   role="presentation" mientras no tengan filas.
// - Plotly deja en <body> un <svg> de medición fuera de la pantalla: aria-hidden.
// React no vuelve a escribir un atributo cuyo valor en las props no cambió, así que basta con
// corregir cada vez que el DOM cambia (un MutationObserver, barato: pocos selectores; solo
// escribe si el valor es otro, así no se llama a sí mismo sin fin).
(function () {
  "use strict";

  function fijar(elemento, nombre, valor) {
    if (valor === null) {
      if (elemento.hasAttribute(nombre)) elemento.removeAttribute(nombre);
    } else if (elemento.getAttribute(nombre) !== valor) {
      elemento.setAttribute(nombre, valor);
    }
  }

  function corregirListas(raiz) {
    raiz.querySelectorAll(".dash-options-list[role='listbox']").forEach(function (lista) {
      fijar(lista, "role", "group");
    });
    raiz.querySelectorAll(".dash-options-list-option").forEach(function (opcion) {
      fijar(opcion, "role", null);
      fijar(opcion, "aria-selected", null);
    });
  }

  function corregirDesplegables(raiz) {
    raiz.querySelectorAll("button.dash-dropdown[id]").forEach(function (boton) {
      const etiqueta = document.querySelector("label[for='" + CSS.escape(boton.id) + "']");
      if (etiqueta) {
        if (!etiqueta.id) etiqueta.id = boton.id + "-etiqueta";
        fijar(
          boton,
          "aria-labelledby",
          etiqueta.id + " " + boton.id + "-value-count " + boton.id + "-value"
        );
      }
      if (!boton.disabled) fijar(boton, "tabindex", "0");
      const proxy = boton.previousElementSibling;
      if (proxy && proxy.classList.contains("dash-dropdown-focus-target")) {
        fijar(proxy, "tabindex", "-1");
      }
    });
  }

  function corregirTablas(raiz) {
    raiz
      .querySelectorAll(".ag-root [role='rowgroup'], .ag-root [data-sigue-grupo]")
      .forEach(function (grupo) {
        if (grupo.querySelector("[role='row']")) {
          if (grupo.hasAttribute("data-sigue-grupo")) fijar(grupo, "role", "rowgroup");
        } else {
          fijar(grupo, "data-sigue-grupo", "");
          fijar(grupo, "role", "presentation");
        }
      });
    const medidor = document.getElementById("js-plotly-tester");
    if (medidor) fijar(medidor, "aria-hidden", "true");
  }

  function corregir() {
    corregirListas(document);
    corregirDesplegables(document);
    corregirTablas(document);
  }

  function iniciar() {
    corregir();
    new MutationObserver(corregir).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ["role", "aria-selected", "aria-labelledby", "tabindex"],
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", iniciar);
  } else {
    iniciar();
  }
})();
