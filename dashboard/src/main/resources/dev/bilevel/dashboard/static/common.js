'use strict';
/* Shared helpers. Every piece of text from the database reaches the page through textContent
   or ECharts canvas text, never through innerHTML. */
const bl = {
  el(tag, props, text) {
    const e = document.createElement(tag);
    if (props) {
      for (const k of Object.keys(props)) {
        if (k === 'className') e.className = props[k]; else e.setAttribute(k, props[k]);
      }
    }
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  },
  num(v) {
    if (typeof v === 'number') return v;
    if (v === 'Infinity') return Infinity;
    if (v === '-Infinity') return -Infinity;
    if (v === 'NaN') return NaN;
    return typeof v === 'string' && v.trim() !== '' && !isNaN(Number(v)) ? Number(v) : NaN;
  },
  fmt(v) {
    if (v === null || v === undefined) return '';
    if (typeof v === 'number') {
      if (Number.isInteger(v)) return String(v);
      const a = Math.abs(v);
      return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(4) : String(Number(v.toPrecision(6)));
    }
    if (typeof v === 'object') return JSON.stringify(v);
    return String(v);
  },
  async json(url) {
    const r = await fetch(url, { headers: { Accept: 'application/json' } });
    const body = await r.json().catch(() => ({ error: r.statusText }));
    if (!r.ok) throw new Error(body.error || r.statusText);
    return body;
  },
};
