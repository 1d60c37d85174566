'use strict';
(async function () {
  const status = document.getElementById('status');
  const tbody = document.querySelector('#studies tbody');
  try {
    const studies = await bl.json('/api/studies');
    status.textContent = studies.length + (studies.length === 1 ? ' study' : ' studies');
    for (const s of studies) {
      const tr = bl.el('tr');
      tr.append(bl.el('td', null, s.id));
      const name = bl.el('td');
      name.append(bl.el('a', { href: '/studies/' + encodeURIComponent(s.id) }, s.name));
      tr.append(name, bl.el('td', null, s.directions.join(', ')), bl.el('td', null, s.nTrials));
      for (const st of ['COMPLETE', 'PRUNED', 'FAIL', 'RUNNING']) tr.append(bl.el('td', null, s.states[st]));
      tr.append(bl.el('td', null, s.bestValue === undefined ? '' : bl.fmt(bl.num(s.bestValue))));
      tr.append(bl.el('td', null, s.lastActivity ? s.lastActivity.replace('T', ' ').replace(/\..*|Z$/, '') : ''));
      tbody.append(tr);
    }
    document.body.dataset.ready = '1';
  } catch (e) {
    status.textContent = 'Could not load studies: ' + e.message;
  }
})();
