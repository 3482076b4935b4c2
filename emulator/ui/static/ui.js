// Hover values on charts: the nearest plotted point under the pointer, in data units.
// Progressive enhancement only: the charts are complete SVG without it. (A sweep's
// scatter and parallel-coordinates plots need none: each point or line has its own SVG
// title and links to its run.)
"use strict";
document.querySelectorAll("figure.chart:not(.scatter):not(.parallel)").forEach((figure) => {
  const svg = figure.querySelector("svg");
  const [x0, x1, y0, y1] = svg.dataset.domain.split(",").map(Number);
  const [left, right, top, bottom] = svg.dataset.box.split(",").map(Number);
  const lines = [...svg.querySelectorAll("polyline")].map((line) => ({
    label: line.dataset.label,
    points: line.getAttribute("points").trim().split(" ").map((p) => p.split(",").map(Number)),
  }));
  const tip = document.createElement("div");
  tip.className = "hover";
  tip.hidden = true;
  figure.appendChild(tip);
  const format = (v) => Math.abs(v) >= 1e5 || Number.isInteger(v) ? String(Math.round(v)) : v.toPrecision(5);
  svg.addEventListener("mousemove", (event) => {
    const box = svg.getBoundingClientRect();
    const vx = (event.clientX - box.left) * svg.viewBox.baseVal.width / box.width;
    let best = null;
    for (const line of lines) {
      for (const [px, py] of line.points) {
        const d = Math.abs(px - vx);
        if (best === null || d < best.d) best = { d, px, py, label: line.label };
      }
    }
    if (best === null) return;
    const x = x0 + (best.px - left) * (x1 - x0) / (right - left);
    const y = y0 + (bottom - best.py) * (y1 - y0) / (bottom - top);
    tip.textContent = (lines.length > 1 ? best.label + ": " : "") + format(y) + " @ " + format(x);
    tip.style.left = (event.clientX - figure.getBoundingClientRect().left + 12) + "px";
    tip.style.top = (event.clientY - figure.getBoundingClientRect().top - 28) + "px";
    tip.hidden = false;
  });
  svg.addEventListener("mouseleave", () => { tip.hidden = true; });
});
