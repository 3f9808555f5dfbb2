// The query page: sends the query to this endpoint by POST and shows the answer; talks to no other site.
"use strict";

const FORMATS = {
  table: "application/sparql-results+json, text/turtle;q=0.9",
  json: "application/sparql-results+json", xml: "application/sparql-results+xml",
  csv: "text/csv", tsv: "text/tab-separated-values", turtle: "text/turtle",
  nt: "application/n-triples", jsonld: "application/ld+json", rdfxml: "application/rdf+xml",
};

function cell(term) {
  const td = document.createElement("td");
  if (!term) return td;
  if (term.type === "uri") {
    const link = document.createElement("a");
    link.href = term.value;
    link.textContent = term.value;
    td.append(link);
  } else {
    td.append(term.type === "bnode" ? "_:" + term.value : term.value);
    const note = term["xml:lang"] ? "@" + term["xml:lang"] : term.datatype ? "^^" + term.datatype : "";
    if (note) {
      const small = document.createElement("small");
      small.textContent = " " + note;
      td.append(small);
    }
  }
  return td;
}

function showTable(data, target) {
  if ("boolean" in data) {
    target.textContent = data.boolean ? "true" : "false";
    return 1;
  }
  const table = document.createElement("table");
  const head = table.createTHead().insertRow();
  for (const name of data.head.vars) {
    const th = document.createElement("th");
    th.textContent = name;
    head.append(th);
  }
  const body = table.createTBody();
  for (const row of data.results.bindings) {
    const tr = body.insertRow();
    for (const name of data.head.vars) tr.append(cell(row[name]));
  }
  target.append(table);
  return data.results.bindings.length;
}

async function run(event) {
  if (event) event.preventDefault();
  const status = document.getElementById("status");
  const target = document.getElementById("results");
  const format = document.getElementById("format").value;
  status.className = "";
  status.textContent = "Running…";
  target.replaceChildren();
  const started = performance.now();
  try {
    const response = await fetch("sparql", {
      method: "POST",
      headers: {"Content-Type": "application/x-www-form-urlencoded", "Accept": FORMATS[format]},
      body: new URLSearchParams({query: document.getElementById("query").value}),
    });
    const text = await response.text();
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    if (!response.ok) {
      status.className = "error";
      status.textContent = `${response.status}: ${text}`;
      return;
    }
    const type = response.headers.get("Content-Type") || "";
    let summary = `${seconds} s`;
    if (format === "table" && type.startsWith("application/sparql-results+json")) {
      summary = `${showTable(JSON.parse(text), target)} result(s) in ${summary}`;
    } else {
      const pre = document.createElement("pre");
      pre.className = "raw";
      pre.textContent = text;
      target.append(pre);
    }
    const truncated = response.headers.get("Rdfpub-Truncated");
    status.textContent = summary + (truncated ? ` (cut short: ${truncated})` : "");
  } catch (error) {
    status.className = "error";
    status.textContent = String(error);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("query-form");
  const examples = document.getElementById("example-queries").content.querySelectorAll("pre");
  document.getElementById("examples").addEventListener("change", (event) => {
    if (event.target.value !== "") document.getElementById("query").value = examples[event.target.value].textContent;
  });
  form.addEventListener("submit", run);
  if (form.dataset.run === "yes") run();
});
