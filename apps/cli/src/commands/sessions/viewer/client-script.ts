/**
 * The viewer's front end, shipped inside the bundle as one script. It builds every element with
 * `textContent` (session content is untrusted: never parsed as HTML), draws tool calls as SVG bars, renders
 * only the rows in view (a 10,000-event session opens at once) and is driven by keyboard: j/k or arrows
 * move, Enter opens the step's payloads, Escape closes them.
 */
export const TIMELINE_SCRIPT = String.raw`
(function () {
  var data = JSON.parse(document.getElementById('timeline-data').textContent);
  var ROW = 28, BUFFER = 20;
  var steps, events, span;
  var selected = -1;
  var list = document.getElementById('rows');
  var spacer = document.getElementById('spacer');
  var detail = document.getElementById('detail');
  var detailBody = document.getElementById('detail-body');
  var SVG = 'http://www.w3.org/2000/svg';
  function use(model) {
    data = model; steps = model.steps; events = model.events; span = Math.max(1, model.durationMs);
    spacer.style.height = (steps.length * ROW) + 'px';
    var meta = document.getElementById('meta');
    while (meta.firstChild) meta.removeChild(meta.firstChild);
    var lanes = model.lanes.length - 1;
    meta.appendChild(document.createTextNode(model.firstSeen + ' → ' + model.lastSeen + ' (' + fmt(model.durationMs) + ') · ' + (model.partial ? 'loading… · ' : model.events.length + ' events · ' + model.toolCalls + ' tool calls · ')));
    if (!model.partial) meta.appendChild(el('span', model.failures > 0 ? 'failed' : '', model.failures + ' failed'));
    meta.appendChild(document.createTextNode((lanes > 0 ? ' · ' + lanes + ' subagent lane' + (lanes > 1 ? 's' : '') : '') + ' · j/k move, Enter opens, f next failure'));
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) appendMarked(node, text);
    return node;
  }
  // Redaction markers stay visible as such: [REDACTED:kind] gets its own span.
  function appendMarked(node, text) {
    var parts = String(text).split(/(\[REDACTED:[^\]]{0,40}\])/);
    for (var i = 0; i < parts.length; i++) {
      if (!parts[i]) continue;
      if (i % 2 === 1) { var mark = document.createElement('span'); mark.className = 'redacted'; mark.textContent = parts[i]; node.appendChild(mark); }
      else node.appendChild(document.createTextNode(parts[i]));
    }
  }
  function fmt(ms) {
    if (ms < 1000) return ms + ' ms';
    var s = ms / 1000; if (s < 60) return s.toFixed(s < 10 ? 1 : 0) + ' s';
    var m = Math.floor(s / 60); if (m < 60) return m + 'm ' + Math.round(s % 60) + 's';
    return Math.floor(m / 60) + 'h ' + (m % 60) + 'm';
  }
  function bar(step) {
    var svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('class', 'bar'); svg.setAttribute('viewBox', '0 0 1000 10'); svg.setAttribute('preserveAspectRatio', 'none');
    var rect = document.createElementNS(SVG, 'rect');
    var x = Math.round(1000 * step.start / span);
    var w = step.end !== undefined ? Math.max(4, Math.round(1000 * (step.end - step.start) / span)) : 4;
    rect.setAttribute('x', String(Math.min(x, 996))); rect.setAttribute('y', '1'); rect.setAttribute('width', String(w)); rect.setAttribute('height', '8');
    rect.setAttribute('class', 'k-' + step.kind + ' s-' + step.status);
    svg.appendChild(rect);
    return svg;
  }
  function row(step) {
    var r = el('div', 'row k-' + step.kind + ' s-' + step.status + (step.index === selected ? ' selected' : ''));
    r.setAttribute('role', 'row'); r.setAttribute('data-index', String(step.index)); r.setAttribute('data-status', step.status);
    r.style.top = (step.index * ROW) + 'px';
    r.appendChild(el('span', 'offset', '+' + fmt(step.start)));
    r.appendChild(el('span', 'lane' + (step.lane === 'main' ? '' : ' sub'), step.lane === 'main' ? '' : step.lane.slice(0, 8)));
    r.appendChild(el('span', 'label', step.label));
    var title = el('span', 'title', step.title);
    if (step.error) { var err = el('span', 'error', step.error.split('\n').slice(0, 2).join(' ⏎ ')); title.appendChild(err); }
    r.appendChild(title);
    r.appendChild(el('span', 'duration', step.end !== undefined ? fmt(step.end - step.start) : ''));
    r.appendChild(bar(step));
    r.addEventListener('click', function () { select(step.index); open(); });
    return r;
  }
  var rendered = { from: -1, to: -1 };
  function render(force) {
    var top = list.scrollTop, height = list.clientHeight || 600;
    var from = Math.max(0, Math.floor(top / ROW) - BUFFER), to = Math.min(steps.length, Math.ceil((top + height) / ROW) + BUFFER);
    if (!force && from === rendered.from && to === rendered.to) return;
    rendered = { from: from, to: to };
    var rows = list.querySelectorAll('.row');
    for (var i = 0; i < rows.length; i++) rows[i].remove();
    var frag = document.createDocumentFragment();
    for (var j = from; j < to; j++) frag.appendChild(row(steps[j]));
    list.appendChild(frag);
  }
  function select(index) {
    if (steps.length === 0) return;
    selected = Math.max(0, Math.min(steps.length - 1, index));
    var top = selected * ROW;
    if (top < list.scrollTop) list.scrollTop = top;
    else if (top + ROW > list.scrollTop + list.clientHeight) list.scrollTop = top + ROW - list.clientHeight;
    render(true);
    document.getElementById('status').textContent = 'step ' + (selected + 1) + ' of ' + steps.length;
  }
  function open() {
    if (selected < 0) return;
    var step = steps[selected];
    var missing = step.events.filter(function (i) { return events[i].payload === undefined; });
    if (missing.length > 0) {
      // Served viewer: payloads come redacted from the server when a step is opened.
      fetch('../api/session/' + encodeURIComponent(data.sessionId) + '/events?i=' + missing.join(','), { credentials: 'same-origin' })
        .then(function (r) { return r.json(); })
        .then(function (got) { missing.forEach(function (i) { events[i].payload = got[i] || {}; }); if (steps[selected] === step) open(); });
      return;
    }
    while (detailBody.firstChild) detailBody.removeChild(detailBody.firstChild);
    detailBody.appendChild(el('h2', '', step.label + ': ' + step.title));
    if (step.error) detailBody.appendChild(el('pre', 'error', step.error));
    for (var i = 0; i < step.events.length; i++) {
      var ev = events[step.events[i]];
      detailBody.appendChild(el('h3', '', ev.eventName + ' · ' + ev.observedAt + ' · ' + ev.eventId));
      detailBody.appendChild(el('pre', 'payload', JSON.stringify(ev.payload, null, 2)));
      if (ev.redactions) detailBody.appendChild(el('p', 'note', 'redacted: ' + JSON.stringify(ev.redactions)));
    }
    detail.hidden = false;
    detail.focus();
  }
  function close() { detail.hidden = true; list.focus(); }
  list.addEventListener('scroll', function () { render(false); });
  window.addEventListener('resize', function () { render(true); });
  document.addEventListener('keydown', function (e) {
    if (e.target && e.target.tagName === 'INPUT') return;
    if (e.key === 'j' || e.key === 'ArrowDown') { select(selected + 1); e.preventDefault(); }
    else if (e.key === 'k' || e.key === 'ArrowUp') { select(selected - 1); e.preventDefault(); }
    else if (e.key === 'Enter') { open(); e.preventDefault(); }
    else if (e.key === 'Escape') { close(); }
    else if (e.key === 'f') { var next = steps.findIndex(function (s, i) { return i > selected && s.status === 'failed'; }); if (next >= 0) select(next); }
  });
  document.getElementById('detail-close').addEventListener('click', close);
  use(data);
  render(true);
  list.focus();
  document.body.setAttribute('data-ready', 'true');
  if (data.partial) {
    // The first screen came with the page; the whole session follows.
    fetch('../api/session/' + encodeURIComponent(data.sessionId) + '/timeline', { credentials: 'same-origin' })
      .then(function (r) { return r.json(); })
      .then(function (full) { use(full); render(true); document.body.setAttribute('data-complete', 'true'); });
  } else {
    document.body.setAttribute('data-complete', 'true');
  }
})();
`;

/** The sessions list page's script: a table from /api/sessions, filtered as you type. */
export const LIST_SCRIPT = `
(function () {
  var body = document.getElementById('sessions');
  var filter = document.getElementById('filter');
  var all = [];
  function cell(tr, text, cls) { var td = document.createElement('td'); if (cls) td.className = cls; td.textContent = text === undefined || text === null ? '' : String(text); tr.appendChild(td); return td; }
  function draw() {
    var q = filter.value.toLowerCase();
    while (body.firstChild) body.removeChild(body.firstChild);
    all.filter(function (s) { return !q || (s.sessionId + ' ' + (s.firstPrompt || '')).toLowerCase().indexOf(q) >= 0; }).forEach(function (s) {
      var tr = document.createElement('tr');
      var a = document.createElement('a'); a.href = 'session/' + encodeURIComponent(s.sessionId); a.textContent = s.sessionId;
      var td = document.createElement('td'); td.appendChild(a); tr.appendChild(td);
      cell(tr, (s.firstSeen || '') + ' → ' + (s.lastSeen || ''));
      cell(tr, s.eventCount, 'num');
      cell(tr, s.failures, s.failures > 0 ? 'num failed' : 'num');
      cell(tr, s.learned ? 'yes' : '');
      cell(tr, s.firstPrompt || '', 'prompt');
      body.appendChild(tr);
    });
    document.body.setAttribute('data-ready', 'true');
  }
  filter.addEventListener('input', draw);
  fetch('api/sessions', { credentials: 'same-origin' }).then(function (r) { return r.json(); }).then(function (list) { all = list; draw(); });
})();
`;
