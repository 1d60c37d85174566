'use strict';
(function () {
  const studyId = location.pathname.split('/')[2];
  const query = new URLSearchParams(location.search);
  const pollMs = Math.max(200, Number(query.get('poll')) || 2000);
  const api = '/api/studies/' + encodeURIComponent(studyId);
  const KINDS = [['history', 'History'], ['intermediate', 'Intermediate values'], ['parallel', 'Parallel coordinates'],
    ['contour', 'Contour'], ['slice', 'Slice'], ['importance', 'Importance'], ['edf', 'EDF'], ['pareto', 'Pareto front'], ['timeline', 'Timeline']];
  const $ = id => document.getElementById(id);
  const trials = new Map();
  let study = null;
  let params = [];
  let kind = query.get('plot') || 'history';
  let chart = null;
  let plotSeq = 0;
  let loadedOnce = false;
  let plotDrawn = false;
  let tableDrawn = false;

  const table = new TrialTable($('trials'), { onSelect: showDetail });

  /* The page counts as loaded once the first plot is drawn and the table's first page is shown. */
  function ready() {
    if (loadedOnce || !plotDrawn || !tableDrawn) return;
    loadedOnce = true;
    window.bilevelLoadMs = performance.now();
    document.body.dataset.ready = '1';
  }

  function fillSelect(sel, names, keep) {
    const old = sel.value;
    sel.replaceChildren(...names.map(n => bl.el('option', { value: n }, n)));
    if (keep && names.includes(old)) sel.value = old;
  }

  function setupTabs() {
    const nav = $('plot-tabs');
    const multi = study.directions.length > 1;
    for (const [k, label] of KINDS) {
      if (k === 'pareto' && study.directions.length !== 2) continue;
      const b = bl.el('button', { type: 'button', 'data-kind': k }, label);
      b.addEventListener('click', () => { kind = k; loadPlot(); });
      nav.append(b);
    }
    if (multi) {
      $('objective-box').hidden = false;
      fillSelect($('objective'), study.directions.map((d, i) => String(i)), false);
      $('objective').addEventListener('change', loadPlot);
    }
    $('param-x').addEventListener('change', loadPlot);
    $('param-y').addEventListener('change', loadPlot);
  }

  function updateParams(names) {
    if (names.join('\u0000') === params.join('\u0000')) return;
    params = names;
    fillSelect($('param-x'), params, true);
    fillSelect($('param-y'), params, true);
    if ($('param-y').selectedIndex <= 0 && params.length > 1) $('param-y').selectedIndex = 1;
    table.setColumns(study.directions.length, params);
  }

  async function loadPlot() {
    const seq = ++plotSeq;
    for (const b of $('plot-tabs').children) b.classList.toggle('active', b.dataset.kind === kind);
    const usesX = kind === 'slice' || kind === 'contour';
    $('param-x-box').hidden = !usesX;
    $('param-y-box').hidden = kind !== 'contour';
    $('param-x-label').textContent = kind === 'contour' ? 'x' : 'Parameter';
    const q = new URLSearchParams();
    if (usesX && $('param-x').value) {
      q.set('params', kind === 'contour' ? $('param-x').value + ',' + $('param-y').value : $('param-x').value);
    }
    if (study.directions.length > 1 && kind !== 'pareto') q.set('objective', $('objective').value || '0');
    let option;
    try {
      option = await bl.json(api + '/plots/' + kind + (q.toString() ? '?' + q : ''));
      $('plot-message').textContent = '';
    } catch (e) {
      if (seq !== plotSeq) return;
      chart.clear();
      $('plot-message').textContent = e.message;
      plotDrawn = true;
      ready();
      return;
    }
    if (seq !== plotSeq) return;
    if (!loadedOnce) {
      const done = () => { chart.off('finished', done); plotDrawn = true; ready(); };
      chart.on('finished', done);
    }
    chart.setOption(option, true);
    const series = option.series || [];
    const empty = series.every(s => !s.data || s.data.length === 0);
    $('plot-message').textContent = empty ? 'No data to plot yet.' : '';
    if (empty) {
      plotDrawn = true;
      ready();
    }
  }

  async function showDetail(number) {
    const body = $('detail-body');
    $('detail').hidden = false;
    $('detail-title').textContent = 'Trial ' + number;
    let t;
    try {
      t = await bl.json(api + '/trials/' + encodeURIComponent(number));
    } catch (e) {
      body.replaceChildren(bl.el('p', null, e.message));
      return;
    }
    const dl = bl.el('dl');
    const row = (k, v) => dl.append(bl.el('dt', null, k), bl.el('dd', null, v));
    row('State', t.state);
    t.values.forEach((v, i) => row(t.values.length > 1 ? 'Value ' + i : 'Value', bl.fmt(bl.num(v))));
    row('Started', t.start || '');
    row('Completed', t.complete || '');
    if (t.duration !== undefined) row('Duration', bl.fmt(t.duration) + ' s');
    const pdl = bl.el('dl');
    for (const [k, v] of Object.entries(t.params)) pdl.append(bl.el('dt', null, k), bl.el('dd', null, bl.fmt(v)));
    const parts = [dl, bl.el('h3', null, 'Parameters'), pdl];
    const dists = bl.el('pre', null, Object.entries(t.distributions).map(([k, v]) => k + ': ' + v).join('\n'));
    parts.push(bl.el('h3', null, 'Distributions'), dists);
    if (t.intermediate.length) {
      parts.push(bl.el('h3', null, 'Intermediate values (' + t.intermediate.length + ')'),
        bl.el('pre', null, t.intermediate.map(([s, v]) => s + ': ' + bl.fmt(bl.num(v))).join('\n')));
    }
    parts.push(bl.el('h3', null, 'User attributes'), bl.el('pre', null, JSON.stringify(t.userAttrs, null, 2)));
    parts.push(bl.el('h3', null, 'System attributes'), bl.el('pre', null, JSON.stringify(t.systemAttrs, null, 2)));
    body.replaceChildren(...parts);
  }

  function summary() {
    const rows = [...trials.values()];
    $('trial-count').textContent = rows.length + (rows.length === 1 ? ' trial' : ' trials');
    if (study.directions.length === 1) {
      const min = study.directions[0] === 'MINIMIZE';
      let best = null;
      for (const r of rows) {
        const v = r.state === 'COMPLETE' ? bl.num(r.values[0]) : NaN;
        if (!isNaN(v) && (best === null || (min ? v < best.v : v > best.v))) best = { v, n: r.number };
      }
      $('best').textContent = best ? 'best ' + bl.fmt(best.v) + ' (trial ' + best.n + ')' : '';
    }
  }

  /* Asks only for trials from the first one that may still change: new and unfinished trials. */
  function since() {
    let first = Infinity;
    let max = -1;
    for (const r of trials.values()) {
      max = Math.max(max, r.number);
      if (r.state === 'RUNNING' || r.state === 'WAITING') first = Math.min(first, r.number);
    }
    return Math.min(first, max + 1);
  }

  async function poll() {
    try {
      const res = await bl.json(api + '/trials?since=' + since());
      $('live').classList.remove('stale');
      let changed = res.count !== trials.size;
      for (const r of res.trials) {
        const old = trials.get(r.number);
        if (!old || old.state !== r.state || old.values.join() !== r.values.join() || old.steps !== r.steps) changed = true;
        trials.set(r.number, r);
      }
      if (changed) {
        const names = new Set(params);
        for (const r of res.trials) for (const p of Object.keys(r.params)) names.add(p);
        updateParams([...names].sort());
        table.setRows([...trials.values()]);
        summary();
        loadPlot();
      }
    } catch (e) {
      $('live').classList.add('stale');
    }
    setTimeout(poll, pollMs);
  }

  async function init() {
    const firstTrials = bl.json(api + '/trials?since=0');
    try {
      study = await bl.json(api);
    } catch (e) {
      firstTrials.catch(() => null);
      $('study-name').textContent = 'Study not found';
      document.body.dataset.ready = '1';
      return;
    }
    document.title = study.name + ' · Bilevel dashboard';
    $('study-name').textContent = study.name;
    $('directions').textContent = study.directions.join(', ').toLowerCase();
    chart = echarts.init($('plot'), null, { renderer: 'canvas' });
    window.addEventListener('resize', () => chart.resize());
    setupTabs();
    updateParams(study.params);
    $('filter').addEventListener('input', () => table.setFilter($('filter').value, $('state-filter').value));
    $('state-filter').addEventListener('change', () => table.setFilter($('filter').value, $('state-filter').value));
    $('prev').addEventListener('click', () => table.turn(-1));
    $('next').addEventListener('click', () => table.turn(1));
    $('detail-close').addEventListener('click', () => { $('detail').hidden = true; });
    const plotted = loadPlot();
    const first = await firstTrials;
    for (const r of first.trials) trials.set(r.number, r);
    table.setRows([...trials.values()]);
    summary();
    tableDrawn = true;
    ready();
    await plotted;
    setTimeout(poll, pollMs);
  }

  document.addEventListener('DOMContentLoaded', init);
})();
