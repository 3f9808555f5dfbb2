// The query page: YASGUI (vendored in yasgui/) set up for this endpoint alone. It sends queries to this
// server only: no CORS proxy, no endpoint list beyond this one, no fetching of class or property names from
// the Linked Open Vocabularies service; prefixes complete from the list in the page and YASGUI's own.
"use strict";

function templateTexts(id) {
  return [...document.getElementById(id).content.querySelectorAll("pre")];
}

// A link in the results to an IRI of this dataset opens on this server, whatever host and port the
// browser reached it on (the IRIs name things under the dataset's base, which may be another address).
function localHref(href, base) {
  if (base && href.startsWith(base + "/")) return href.slice(base.length);
  return href;
}

document.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("yasgui");
  const base = root.dataset.base;
  const endpoint = new URL("/sparql", window.location.href).href;
  const examples = templateTexts("example-queries").map((pre) => pre.textContent);
  const initial = templateTexts("initial-query")[0].textContent;
  const prefixes = {};
  for (const pre of templateTexts("prefixes")) prefixes[pre.dataset.prefix] = pre.textContent;

  const Yasqe = Yasgui.Yasqe;
  // Only these completers: "property" and "class" would ask lov.linkeddata.es for names.
  Yasqe.defaults.autocompleters = ["variables", "prefixes"];
  Yasqe.defaults.prefixCcApi = null;

  const yasgui = new Yasgui(root, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: () => [{ endpoint: endpoint }], keys: [] },
    corsProxy: undefined,
    populateFromUrl: false,
    persistenceId: "rdfpub-query-page",
    yasqe: { autocompleters: ["variables", "prefixes"], prefixCcApi: null, value: initial },
    yasr: { prefixes: prefixes },
  });
  const tab = yasgui.getTab();
  tab.setEndpoint(endpoint);
  const yasqe = tab.getYasqe();
  // A query in the page's URL (a link to run it) wins; otherwise the last query of this browser stays.
  if (root.dataset.run === "yes" || !yasqe.getValue().trim()) yasqe.setValue(initial);
  if (root.dataset.run === "yes") yasqe.query();

  document.getElementById("examples").addEventListener("change", (event) => {
    if (event.target.value === "") return;
    const current = yasgui.getTab().getYasqe();
    current.setValue(examples[Number(event.target.value)]);
    current.query();
  });

  root.addEventListener("click", (event) => {
    const link = event.target.closest("a[href]");
    if (!link) return;
    const local = localHref(link.getAttribute("href"), base);
    if (local !== link.getAttribute("href")) {
      event.preventDefault();
      window.location.assign(local);
    }
  });
});
