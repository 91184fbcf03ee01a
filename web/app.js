/* hafen dashboard: a small plain-JS front end over the JSON API.
 * German by default, English switchable; every element built with the DOM
 * (no innerHTML), so no text from the API is ever read as markup. */
'use strict';

const T = {
  skip: ['Zum Inhalt springen', 'Skip to content'],
  nav: ['Hauptnavigation', 'Main navigation'],
  overview: ['Übersicht', 'Overview'],
  audit: ['Prüfprotokoll', 'Audit log'],
  logout: ['Abmelden', 'Sign out'],
  switchTo: ['English', 'Deutsch'],
  switchLabel: ['Switch to English', 'Auf Deutsch umschalten'],
  login: ['Anmelden', 'Sign in'],
  account: ['Konto', 'Account'],
  password: ['Passwort', 'Password'],
  loginTitle: ['Bei hafen anmelden', 'Sign in to hafen'],
  title: ['Aufnahmesoll und Erfüllung', 'Quota and fulfilment'],
  period: ['Zeitraum', 'Period'],
  parent: ['Übergeordnete Einheit (Code)', 'Parent unit (code)'],
  show: ['Anzeigen', 'Show'],
  unit: ['Einheit', 'Unit'],
  share: ['Anteil %', 'Share %'],
  actual: ['Ist', 'Actual'],
  credited: ['angerechnet', 'Credited'],
  quota: ['Soll', 'Quota'],
  quotaR: ['Soll (Pers.)', 'Quota (pers.)'],
  balance: ['Saldo', 'Balance'],
  percent: ['Erfüllung %', 'Fulfilled %'],
  total: ['Summe', 'Total'],
  over: ['über dem Soll', 'above quota'],
  under: ['unter dem Soll', 'below quota'],
  quotaMark: ['Soll (Strich)', 'Quota (line)'],
  chartTitle: ['Angerechnete Zugänge je Einheit gegen ihr Soll', 'Credited admissions per unit against its quota'],
  chartDesc: ['Balken: angerechnet; Strich: Soll. Grün: über, Rot: unter dem Soll. Die Zahlen stehen in der Tabelle.',
              'Bars: credited; line: quota. Green: above, red: below quota. The figures are in the table.'],
  key: ['Schlüssel', 'Key'],
  explain: ['Erklärung der Zahlen', 'The figures explained'],
  record: ['Zugang eintragen', 'Record an admission'],
  date: ['Datum', 'Date'],
  persons: ['Personen', 'Persons'],
  category: ['Kategorie', 'Category'],
  household: ['Haushalt (pseudonyme Kennung)', 'Household (pseudonymous id)'],
  reference: ['Aktenzeichen', 'Reference'],
  programme: ['Programm', 'Programme'],
  note: ['Vermerk', 'Note'],
  save: ['Eintragen', 'Record'],
  saved: ['Eintrag %s gespeichert.', 'Entry %s recorded.'],
  ledger: ['Register der Zugänge', 'Admission ledger'],
  no: ['Nr.', 'No.'],
  corrects: ['berichtigt', 'corrects'],
  correct: ['Berichtigen', 'Correct'],
  correctTitle: ['Eintrag %s berichtigen', 'Correct entry %s'],
  newPersons: ['Richtige Personenzahl (leer: nur ausbuchen)', 'Correct persons (empty: reverse only)'],
  corrected: ['Eintrag %s berichtigt (Gegenbuchung %s).', 'Entry %s corrected (reversal %s).'],
  cancel: ['Abbrechen', 'Cancel'],
  pledges: ['Aufnahmezusagen', 'Pledges'],
  places: ['Plätze', 'Places'],
  status: ['Stand', 'Status'],
  from: ['von', 'from'],
  to: ['bis', 'to'],
  programmes: ['Aufnahmeprogramme', 'Admission programmes'],
  contingentShare: ['Anteil am Kontingent (Pers.)', 'Share of contingent (pers.)'],
  admitted: ['aufgenommen', 'admitted'],
  open: ['offen', 'open'],
  none: ['Keine.', 'None.'],
  noDetails: ['Einzelne Einträge sehen nur die Landeskoordination und das Amt der Einheit.',
              'Single entries are shown to the Land coordination and the unit\'s office only.'],
  loading: ['Lädt …', 'Loading …'],
  time: ['Zeit (UTC)', 'Time (UTC)'],
  action: ['Aktion', 'Action'],
  object: ['Objekt', 'Object'],
  details: ['Einzelheiten', 'Details'],
  exportCsv: ['Als CSV exportieren', 'Export as CSV'],
  back: ['Zurück zur Übersicht', 'Back to the overview'],
  role: ['Rolle', 'Role'],
  role_admin: ['Administration', 'administrator'],
  role_land: ['Landeskoordination', 'Land coordination'],
  role_office: ['Amt einer Einheit', 'unit office'],
  role_viewer: ['lesend', 'viewer'],
  latest: ['Die neuesten %s von %s Einträgen im Zeitraum %s', 'The latest %s of %s entries in the period %s'],
  foot: ['hafen – Verteilung, Anrechnung und Aufnahmesoll. API-Beschreibung:', 'hafen – distribution, crediting and quotas. API description:'],
};
const CATS = [
  ['regulaer', 'Regelverteilung', 'regular distribution'],
  ['sicherer-hafen', 'Sonderaufnahme Sicherer Hafen', 'special admission Safe Harbour'],
  ['bundesprogramm', 'Bundesaufnahmeprogramm', 'federal programme'],
  ['landesprogramm', 'Landesaufnahmeprogramm', 'Land programme'],
  ['resettlement', 'Resettlement', 'resettlement'],
  ['familiennachzug', 'Familiennachzug', 'family reunification'],
  ['umverteilung-ab', 'Umverteilung (Abgang)', 'transfer out'],
  ['umverteilung-zu', 'Umverteilung (Zugang)', 'transfer in'],
  ['fortzug', 'Fortzug', 'departure'],
];

const state = { lang: localStorage.getItem('hafen-lang') === 'en' ? 'en' : 'de', me: null };

function t(k, ...args) {
  let s = T[k] ? T[k][state.lang === 'en' ? 1 : 0] : k;
  for (const a of args) s = s.replace('%s', a);
  return s;
}
function catName(slug) {
  const c = CATS.find(x => x[0] === slug);
  return c ? c[state.lang === 'en' ? 2 : 1] : slug;
}
function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const k of kids.flat()) if (k !== null && k !== undefined) e.append(k.nodeType ? k : String(k));
  return e;
}
const SVG = 'http://www.w3.org/2000/svg';
function sv(tag, attrs, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}
function num(dec, places) {
  if (dec === null || dec === undefined) return '–';
  const x = Number(dec);
  return x.toLocaleString(state.lang === 'en' ? 'en-GB' : 'de-DE',
    { minimumFractionDigits: places, maximumFractionDigits: places });
}
function say(msg, isError) {
  const s = document.getElementById('status');
  s.textContent = msg || '';
  s.className = 'status' + (isError ? ' error' : '');
}

async function api(method, path, body) {
  const sep = path.includes('?') ? '&' : '?';
  const opt = { method, headers: { 'Accept-Language': state.lang }, credentials: 'same-origin' };
  if (body !== undefined) {
    opt.headers['Content-Type'] = 'application/json';
    opt.body = JSON.stringify(body);
  }
  if (method !== 'GET' && state.me) opt.headers['X-CSRF-Token'] = state.me.csrf;
  const res = await fetch(path + sep + 'lang=' + state.lang, opt);
  let data = null;
  try { data = await res.json(); } catch (e) { data = null; }
  if (res.status === 401 && path !== '/api/login') {
    state.me = null;
    renderChrome();
    showLogin(data && data.error ? data.error.message : '');
    throw new Error('401');
  }
  if (!res.ok) {
    const e = data && data.error ? data.error : { message: res.statusText, where: '' };
    const err = new Error((e.where ? e.where + ': ' : '') + e.message);
    err.api = e;
    throw err;
  }
  return data;
}

/* After a navigation inside the page, focus goes to the new content so a
 * screen reader reads it; on the first load it stays at the document's
 * start (skip link first). */
function focusMain(title) {
  document.title = title + ' – hafen';
  if (state.navigated) document.getElementById('main').focus();
}

function renderChrome() {
  document.documentElement.lang = state.lang;
  document.getElementById('skip').textContent = t('skip');
  const lb = document.getElementById('lang');
  lb.textContent = t('switchTo');
  lb.setAttribute('lang', state.lang === 'en' ? 'de' : 'en');
  lb.setAttribute('aria-label', t('switchLabel'));
  const out = document.getElementById('logout');
  out.textContent = t('logout');
  out.hidden = !state.me;
  const nav = document.getElementById('nav');
  nav.setAttribute('aria-label', t('nav'));
  nav.replaceChildren();
  document.getElementById('foot-text').textContent = t('foot');
  document.getElementById('who').textContent = state.me ? state.me.user + ' (' + t('role_' + state.me.role) + ')' : '';
  if (!state.me) return;
  const here = location.hash || '#/';
  const items = [['#/', t('overview')]];
  if (state.me.admin) items.push(['#/audit', t('audit')]);
  nav.append(el('ul', {}, items.map(([h, label]) =>
    el('li', {}, el('a', { href: h, 'aria-current': here === h ? 'page' : null }, label)))));
}

function showLogin(msg) {
  const main = document.getElementById('main');
  const err = el('p', { id: 'login-error', class: 'error', role: 'alert' }, msg || '');
  const form = el('form', { class: 'login', novalidate: true },
    el('label', {}, t('account'), el('input', { name: 'user', id: 'user', autocomplete: 'username', required: true })),
    el('label', {}, t('password'), el('input', { name: 'password', id: 'password', type: 'password', autocomplete: 'current-password', required: true })),
    el('button', { type: 'submit', class: 'primary' }, t('login')), err);
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    try {
      state.me = await api('POST', '/api/login', { user: form.user.value, password: form.password.value });
      state.navigated = true;
      renderChrome();
      route();
    } catch (e) {
      err.textContent = e.message;
      form.password.focus();
    }
  });
  main.replaceChildren(el('h1', {}, t('loginTitle')), form);
  document.title = t('loginTitle') + ' – hafen';
  form.user.focus();
}

function chart(rows) {
  const W = 760, bar = 22, gap = 8, left = 190, right = 70;
  const H = rows.length * (bar + gap) + 30;
  const max = Math.max(1, ...rows.map(r => Math.max(Number(r.credited_decimal), Number(r.quota_decimal))));
  const sx = v => left + (W - left - right) * v / max;
  const svg = sv('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-labelledby': 'chart-title chart-desc' });
  svg.append(sv('title', { id: 'chart-title' }, t('chartTitle')), sv('desc', { id: 'chart-desc' }, t('chartDesc')));
  rows.forEach((r, i) => {
    const y = 10 + i * (bar + gap), c = Number(r.credited_decimal), q = Number(r.quota_decimal);
    const over = c >= q;
    svg.append(sv('text', { x: left - 8, y: y + bar * 0.7, 'text-anchor': 'end' }, r.name));
    svg.append(sv('rect', { x: left, y, width: Math.max(1, sx(c) - left), height: bar,
      fill: over ? '#1b6e3a' : '#b3261e', 'data-unit': r.unit }));
    svg.append(sv('line', { x1: sx(q), x2: sx(q), y1: y - 3, y2: y + bar + 3, stroke: '#1a1a1a', 'stroke-width': 3 }));
    svg.append(sv('text', { x: Math.max(sx(c), sx(q)) + 6, y: y + bar * 0.7 },
      r.percent_decimal === null ? '–' : num(r.percent_decimal, 1) + ' %'));
  });
  return svg;
}

function legend() {
  return el('p', { class: 'legend' },
    el('span', {}, el('span', { class: 'sw sw-over' }), t('over')),
    el('span', {}, el('span', { class: 'sw sw-under' }), t('under')),
    el('span', {}, el('span', { class: 'sw sw-quota' }), t('quotaMark')));
}

function cell(text, cls) { return el('td', { class: cls || null }, text); }

async function showOverview(params) {
  const period = params.get('period') || String(state.me.latest_year || new Date().getFullYear());
  const parent = params.get('parent') || '01';
  const main = document.getElementById('main');
  const form = el('form', { class: 'inline', id: 'overview-form' },
    el('label', {}, t('period'), el('input', { name: 'period', id: 'period', value: period, size: 12 })),
    el('label', {}, t('parent'), el('input', { name: 'parent', id: 'parent', value: parent, size: 10 })),
    el('button', { type: 'submit' }, t('show')));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    location.hash = '#/?period=' + encodeURIComponent(form.period.value) + '&parent=' + encodeURIComponent(form.parent.value);
  });
  const body = el('div', { id: 'overview' }, el('p', {}, t('loading')));
  main.replaceChildren(el('h1', {}, t('title')), form, body);
  focusMain(t('title'));
  let q;
  try {
    q = await api('GET', '/api/quota?parent=' + encodeURIComponent(parent) + '&period=' + encodeURIComponent(period));
  } catch (e) {
    body.replaceChildren(el('p', { class: 'error', role: 'alert' }, e.message));
    return;
  }
  const cls = r => Number(r.balance_decimal) >= 0 ? 'num over' : 'num under';
  const table = el('table', { id: 'quota-table' },
    el('caption', {}, `${t('title')} ${q.period}, ${q.parent.name} – ${t('key')}: ${q.key.title}`),
    el('thead', {}, el('tr', {}, [t('unit'), t('share'), t('actual'), t('credited'), t('quota'), t('quotaR'), t('balance'), t('percent')]
      .map((h, i) => el('th', { scope: 'col', class: i ? 'num' : null }, h)))),
    el('tbody', {}, q.rows.map(r => el('tr', { 'data-unit': r.unit },
      el('th', { scope: 'row' }, el('a', { href: '#/unit/' + r.unit + '?period=' + encodeURIComponent(period) }, r.name)),
      cell(num(Number(r.share_decimal) * 100, 3), 'num'), cell(String(r.actual), 'num actual'),
      cell(num(r.credited_decimal, 2), 'num'), cell(num(r.quota_decimal, 2), 'num'),
      cell(String(r.quota_rounded), 'num'), cell(num(r.balance_decimal, 2), cls(r)),
      cell(r.percent_decimal === null ? '–' : num(r.percent_decimal, 1), 'num')))),
    el('tfoot', {}, el('tr', {}, el('th', { scope: 'row' }, t('total')), cell(''), cell(String(q.total.actual), 'num'),
      cell(num(q.total.credited_decimal, 2), 'num'), cell(num(q.total.quota_decimal, 2), 'num'),
      cell(String(q.total.base_rounded), 'num'), cell(num(q.total.balance_decimal, 2), 'num'), cell(''))));
  body.replaceChildren(chart(q.rows), legend(), table,
    el('p', { class: 'muted' }, `${q.method_name}. ${q.key.source}`));
}

function catSelect(name, value) {
  return el('select', { name, id: name }, CATS.map(c => el('option', { value: c[0], selected: c[0] === value }, catName(c[0]))));
}

function recordForm(code, period, after) {
  const today = new Date().toISOString().slice(0, 10);
  const f = el('form', { class: 'grid', id: 'record-form', 'aria-labelledby': 'record-title' },
    el('label', {}, t('date'), el('input', { name: 'date', id: 'rec-date', type: 'date', required: true, value: today })),
    el('label', {}, t('persons'), el('input', { name: 'persons', id: 'rec-persons', type: 'number', min: 1, required: true, value: 1 })),
    el('label', {}, t('category'), catSelect('category', 'regulaer')),
    el('label', {}, t('household'), el('input', { name: 'household', id: 'rec-household', pattern: '[A-Za-z0-9._:-]*' })),
    el('label', {}, t('reference'), el('input', { name: 'reference', id: 'rec-reference' })),
    el('label', {}, t('note'), el('input', { name: 'note', id: 'rec-note' })),
    el('button', { type: 'submit', class: 'primary' }, t('save')));
  f.addEventListener('submit', async ev => {
    ev.preventDefault();
    try {
      const r = await api('POST', '/api/ledger', { unit: code, date: f.date.value, persons: Number(f.persons.value),
        category: f.category.value, household: f.household.value, reference: f.reference.value, note: f.note.value });
      say(t('saved', r.entry.id));
      after();
    } catch (e) { if (e.message !== '401') say(e.message, true); }
  });
  return [el('h2', { id: 'record-title' }, t('record')), f];
}

function correctForm(entry, after) {
  const f = el('form', { class: 'grid', id: 'correct-form', 'aria-labelledby': 'correct-title' },
    el('h3', { id: 'correct-title' }, t('correctTitle', entry.id)),
    el('label', {}, t('newPersons'), el('input', { name: 'persons', id: 'cor-persons', type: 'number', min: 1 })),
    el('label', {}, t('note'), el('input', { name: 'note', id: 'cor-note', required: true })),
    el('button', { type: 'submit', class: 'primary' }, t('correct')),
    el('button', { type: 'button', onclick: () => { f.remove(); } }, t('cancel')));
  f.addEventListener('submit', async ev => {
    ev.preventDefault();
    const body = { note: f.note.value };
    if (f.persons.value) body.persons = Number(f.persons.value);
    try {
      const r = await api('POST', `/api/ledger/${entry.id}/correct`, body);
      say(t('corrected', entry.id, r.reversal));
      after();
    } catch (e) { if (e.message !== '401') say(e.message, true); }
  });
  return f;
}

async function showUnit(code, params) {
  const period = params.get('period') || String(state.me.latest_year || new Date().getFullYear());
  const main = document.getElementById('main');
  main.replaceChildren(el('p', {}, t('loading')));
  let u, ex;
  try {
    u = await api('GET', '/api/units/' + encodeURIComponent(code));
    ex = await api('GET', '/api/explain?unit=' + encodeURIComponent(code) + '&period=' + encodeURIComponent(period));
  } catch (e) {
    if (e.message !== '401') main.replaceChildren(el('p', { class: 'error', role: 'alert' }, e.message));
    return;
  }
  const reload = () => showUnit(code, params);
  const title = `${u.name} (${u.code}) – ${period}`;
  const figs = el('table', { id: 'unit-figures' }, el('caption', {}, t('title') + ' ' + ex.period),
    el('tbody', {}, [[t('actual'), String(ex.actual), 'fig-actual'], [t('credited'), num(ex.credited_decimal, 2), 'fig-credited'],
      [t('quota'), num(ex.quota_decimal, 2), 'fig-quota'], [t('balance'), num(ex.balance_decimal, 2), 'fig-balance'],
      [t('percent'), ex.percent_decimal === null ? '–' : num(ex.percent_decimal, 1), 'fig-percent']]
      .map(([k, v, id]) => el('tr', {}, el('th', { scope: 'row' }, k), el('td', { class: 'num', id }, v)))));
  const parts = [el('p', {}, el('a', { href: '#/?period=' + encodeURIComponent(period) }, t('back'))),
    el('h1', {}, title), figs,
    el('h2', {}, t('explain')), el('div', { class: 'explain', id: 'explain-text' }, ex.text)];
  if (u.writable) parts.push(...recordForm(code, period, reload));
  parts.push(el('h2', {}, t('ledger')));
  if (ex.entries) {
    const ledgerBox = el('div', { id: 'ledger' });
    const entries = ex.entries.slice().reverse().slice(0, 50);
    ledgerBox.append(el('table', { id: 'ledger-table' },
      el('caption', {}, t('latest', entries.length, ex.entries.length, ex.period)),
      el('thead', {}, el('tr', {}, [t('no'), t('date'), t('persons'), t('category'), t('household'), t('reference'), t('corrects'), t('note'), '']
        .map(h => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, entries.map(a => el('tr', { 'data-id': a.id },
        cell(String(a.id), 'num'), cell(a.date), cell(String(a.persons), 'num'), cell(catName(a.category)),
        cell(a.household), cell(a.reference), cell(a.corrects ? String(a.corrects) : ''), cell(a.note),
        el('td', {}, u.writable && !a.corrects ? el('button', { type: 'button', 'aria-label': t('correctTitle', a.id),
          onclick: ev => { const f = correctForm(a, reload); ev.target.closest('tr').after(el('tr', {}, el('td', { colspan: 9 }, f))); f.persons.focus(); } }, t('correct')) : ''))))));
    parts.push(ledgerBox);
  } else parts.push(el('p', { class: 'muted' }, t('noDetails')));
  main.replaceChildren(...parts);
  focusMain(title);
  /* pledges and programmes follow; they are not needed to read the rest */
  try {
    const p = await api('GET', '/api/pledges?unit=' + encodeURIComponent(code));
    main.append(el('h2', {}, t('pledges')), p.pledges.length ? el('table', { id: 'pledges' },
      el('thead', {}, el('tr', {}, [t('no'), t('places'), t('programme'), t('from'), t('to'), t('status'), t('note')].map(h => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, p.pledges.map(x => el('tr', {}, cell(String(x.id), 'num'), cell(String(x.places), 'num'), cell(x.programme),
        cell(x.from), cell(x.to), cell(x.status), cell(x.note))))) : el('p', {}, t('none')));
    const pl = await api('GET', '/api/programmes');
    const rows = [];
    for (const pr of pl.programmes) {
      const f = await api('GET', '/api/programmes/' + encodeURIComponent(pr.name) + '/fulfilment');
      const r = f.rows.find(x => x.unit === code);
      if (r) rows.push(el('tr', {}, el('th', { scope: 'row' }, pr.title), cell(String(r.quota_rounded), 'num'),
        cell(String(r.admitted), 'num'), cell(String(r.open), r.open < 0 ? 'num under' : 'num')));
    }
    main.append(el('h2', {}, t('programmes')), rows.length ? el('table', { id: 'programmes' },
      el('thead', {}, el('tr', {}, [t('programme'), t('contingentShare'), t('admitted'), t('open')].map(h => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, rows)) : el('p', {}, t('none')));
  } catch (e) { if (e.message !== '401') say(e.message, true); }
}

async function showAudit() {
  const main = document.getElementById('main');
  main.replaceChildren(el('h1', {}, t('audit')), el('p', {}, t('loading')));
  focusMain(t('audit'));
  try {
    const a = await api('GET', '/api/audit?limit=500');
    main.replaceChildren(el('h1', {}, t('audit')),
      el('p', {}, el('a', { class: 'button', href: '/api/audit?format=csv&lang=' + state.lang, download: 'hafen-audit.csv' }, t('exportCsv'))),
      el('table', { id: 'audit-table' },
        el('thead', {}, el('tr', {}, [t('no'), t('time'), t('account'), t('action'), t('object'), t('details')].map(h => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, a.audit.slice().reverse().map(x => el('tr', {}, cell(String(x.id), 'num'), cell(x.time), cell(x.user),
          cell(x.action), cell(x.object), cell(x.details))))));
  } catch (e) { if (e.message !== '401') main.append(el('p', { class: 'error', role: 'alert' }, e.message)); }
}

function route() {
  renderChrome();
  if (!state.me) return showLogin('');
  const h = location.hash.replace(/^#/, '') || '/';
  const [path, qs] = h.split('?');
  const params = new URLSearchParams(qs || '');
  say('');
  if (path.startsWith('/unit/')) return showUnit(decodeURIComponent(path.slice(6)), params);
  if (path === '/audit' && state.me.admin) return showAudit();
  return showOverview(params);
}

async function start() {
  document.getElementById('lang').addEventListener('click', () => {
    state.lang = state.lang === 'en' ? 'de' : 'en';
    localStorage.setItem('hafen-lang', state.lang);
    state.navigated = false; /* keep focus on the button */
    route();
  });
  document.getElementById('logout').addEventListener('click', async () => {
    try { await api('POST', '/api/logout', {}); } catch (e) { /* signed out anyway */ }
    state.me = null;
    location.hash = '#/';
    route();
  });
  window.addEventListener('hashchange', () => { state.navigated = true; route(); });
  try { state.me = await api('GET', '/api/session'); } catch (e) { state.me = null; return; }
  route();
}

document.addEventListener('DOMContentLoaded', start);
