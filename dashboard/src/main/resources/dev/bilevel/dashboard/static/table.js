'use strict';
/* The trial table: client-side sorting and filtering over all rows, rendered one page at a time
   so that 10,000 trials cost one page of DOM nodes. */
class TrialTable {
  constructor(table, opts) {
    this.table = table;
    this.onSelect = opts.onSelect;
    this.pageSize = opts.pageSize || 50;
    this.rows = [];
    this.columns = [];
    this.sortKey = 'number';
    this.sortDir = 1;
    this.filterText = '';
    this.stateFilter = '';
    this.page = 0;
    this.selected = null;
    this.view = [];
  }

  setColumns(nObjectives, params) {
    const cols = [{ key: 'number', label: '#' }, { key: 'state', label: 'State' }];
    for (let i = 0; i < nObjectives; i++) {
      cols.push({ key: 'value' + (nObjectives > 1 ? i : ''), label: nObjectives > 1 ? 'Value ' + i : 'Value', get: r => bl.num(r.values[i]) });
    }
    cols.push({ key: 'duration', label: 'Duration (s)' });
    for (const p of params) cols.push({ key: 'param:' + p, label: p, param: p, get: r => r.params[p] });
    cols.push({ key: 'steps', label: 'Steps' });
    this.columns = cols;
    const head = this.table.tHead.rows[0];
    head.replaceChildren();
    for (const c of cols) {
      const th = bl.el('th', { 'data-key': c.key }, c.label);
      th.title = c.label;
      th.addEventListener('click', () => this.sortBy(c.key));
      head.append(th);
    }
    this.refresh();
  }

  value(row, col) {
    return col.get ? col.get(row) : row[col.key];
  }

  setRows(rows) {
    this.rows = rows;
    this.refresh();
  }

  sortBy(key) {
    this.sortDir = this.sortKey === key ? -this.sortDir : 1;
    this.sortKey = key;
    this.page = 0;
    this.refresh();
  }

  setFilter(text, state) {
    this.filterText = text.trim();
    this.stateFilter = state;
    this.page = 0;
    this.refresh();
  }

  turn(delta) {
    const pages = Math.max(1, Math.ceil(this.view.length / this.pageSize));
    this.page = Math.min(pages - 1, Math.max(0, this.page + delta));
    this.render();
  }

  matcher() {
    const tests = [];
    for (const tok of this.filterText.split(/\s+/).filter(Boolean)) {
      const m = /^([^<>=!]+)(<=|>=|!=|=|<|>)(.*)$/.exec(tok);
      const col = m && this.columns.find(c => c.label.toLowerCase() === m[1].toLowerCase() || c.key === m[1].toLowerCase());
      if (col) {
        const want = m[3];
        const wn = bl.num(want);
        tests.push(r => {
          const v = this.value(r, col);
          const vn = bl.num(v);
          const both = !isNaN(vn) && !isNaN(wn);
          switch (m[2]) {
            case '<': return both && vn < wn;
            case '>': return both && vn > wn;
            case '<=': return both && vn <= wn;
            case '>=': return both && vn >= wn;
            case '!=': return both ? vn !== wn : String(v).toLowerCase() !== want.toLowerCase();
            default: return both ? vn === wn : String(v).toLowerCase() === want.toLowerCase();
          }
        });
      } else {
        const needle = tok.toLowerCase();
        tests.push(r => this.columns.some(c => String(bl.fmt(this.value(r, c))).toLowerCase().includes(needle)));
      }
    }
    return r => (!this.stateFilter || r.state === this.stateFilter) && tests.every(t => t(r));
  }

  refresh() {
    const col = this.columns.find(c => c.key === this.sortKey) || this.columns[0];
    const match = this.matcher();
    const view = this.rows.filter(match);
    if (col) {
      const dir = this.sortDir;
      const key = r => this.value(r, col);
      view.sort((a, b) => {
        const x = key(a), y = key(b);
        const xn = bl.num(x), yn = bl.num(y);
        let c;
        if (!isNaN(xn) || !isNaN(yn)) {
          c = isNaN(xn) ? 1 : isNaN(yn) ? -1 : (xn < yn ? -1 : xn > yn ? 1 : 0) * dir;
        } else {
          c = String(x ?? '').localeCompare(String(y ?? '')) * dir;
        }
        return c || a.number - b.number;
      });
    }
    this.view = view;
    this.render();
  }

  render() {
    for (const th of this.table.tHead.rows[0].cells) {
      th.classList.toggle('asc', th.dataset.key === this.sortKey && this.sortDir > 0);
      th.classList.toggle('desc', th.dataset.key === this.sortKey && this.sortDir < 0);
    }
    const pages = Math.max(1, Math.ceil(this.view.length / this.pageSize));
    this.page = Math.min(this.page, pages - 1);
    const start = this.page * this.pageSize;
    const frag = document.createDocumentFragment();
    for (const r of this.view.slice(start, start + this.pageSize)) {
      const tr = bl.el('tr', { 'data-number': r.number });
      if (r.number === this.selected) tr.className = 'selected';
      for (const c of this.columns) {
        const v = this.value(r, c);
        const td = bl.el('td', null, c.key === 'state' ? r.state : bl.fmt(typeof v === 'string' && c.get && !c.param ? bl.num(v) : v));
        if (c.key === 'state') td.className = 'state-' + r.state;
        tr.append(td);
      }
      tr.addEventListener('click', () => { this.selected = r.number; this.render(); this.onSelect(r.number); });
      frag.append(tr);
    }
    this.table.tBodies[0].replaceChildren(frag);
    document.getElementById('page-info').textContent =
      this.view.length === 0 ? 'no trials' : (start + 1) + '–' + Math.min(start + this.pageSize, this.view.length) + ' of ' + this.view.length;
  }
}
