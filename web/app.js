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
  importExport: ['Import und Export', 'Import and export'],
  importTitle: ['Datei importieren', 'Import a file'],
  importHelp: ['CSV (Excel oder Werkzeug), JSON oder XLSX. Alles oder nichts: eine Datei mit Fehlern schreibt nichts, alle Fehler werden aufgelistet.',
               'CSV (Excel or tool), JSON or XLSX. All or nothing: a file with problems writes nothing, and every problem is listed.'],
  kind: ['Art', 'Kind'],
  kind_units: ['Einheiten', 'Units'],
  kind_indicators: ['Kennzahlen', 'Indicators'],
  kind_keys: ['Schlüssel', 'Keys'],
  kind_admissions: ['Zugänge', 'Admissions'],
  kind_pledges: ['Aufnahmezusagen', 'Pledges'],
  kind_programmes: ['Aufnahmeprogramme', 'Programmes'],
  file: ['Datei', 'File'],
  sheet: ['Blatt (XLSX, leer: das erste)', 'Sheet (XLSX, empty: the first)'],
  checkOnly: ['Nur prüfen, nichts schreiben', 'Check only, write nothing'],
  force: ['Auch wenn schon einmal importiert', 'Even if imported before'],
  doImport: ['Importieren', 'Import'],
  importing: ['Wird gelesen …', 'Reading …'],
  importOk: ['%s: %s Datensätze importiert.', '%s: %s records imported.'],
  checkOk: ['%s: %s Datensätze geprüft, keine Fehler; nichts geschrieben.', '%s: %s records checked, no problems; nothing written.'],
  importBad: ['%s: %s Fehler; nichts wurde importiert.', '%s: %s problems; nothing was imported.'],
  problems: ['Fehler der Datei', 'Problems of the file'],
  row: ['Zeile', 'Row'],
  column: ['Spalte', 'Column'],
  value: ['Wert', 'Value'],
  expected: ['erwartet', 'Expected'],
  message: ['Meldung', 'Message'],
  moreProblems: ['… und %s weitere.', '… and %s more.'],
  exportTitle: ['Exportieren', 'Export'],
  exportHelp: ['Jede Art als Datei zum Herunterladen; Zugänge nur mit den Haushalten, die Ihre Rolle sehen darf.',
               'Every kind as a file to download; admissions with the households your role may see only.'],
  csvExcel: ['CSV (Excel)', 'CSV (Excel)'],
  csvTool: ['CSV (Werkzeug)', 'CSV (tool)'],
  matching: ['Zuordnung', 'Matching'],
  matchTitle: ['Haushalte Aufnahmeorten zuordnen', 'Match households to units'],
  matchHelp: ['Haushalte und Aufnahmeorte als CSV (Spalten wie bei hafen match), optional Bewertungen als .npy. Es wird nichts gespeichert.',
              'Households and units as CSV (columns as for hafen match), optional scores as .npy. Nothing is stored.'],
  hhFile: ['Haushalte (CSV)', 'Households (CSV)'],
  unitsFile: ['Aufnahmeorte (CSV)', 'Units (CSV)'],
  scoresFile: ['Bewertungen (.npy, optional)', 'Scores (.npy, optional)'],
  mode: ['Verfahren', 'Mode'],
  mode_optimal: ['optimal (mit bewiesener Schranke)', 'optimal (with proven bound)'],
  mode_stable: ['stabil (verzögerte Annahme)', 'stable (deferred acceptance)'],
  mode_allocate: ['nach Soll-Defizit', 'by quota deficit'],
  runMatch: ['Zuordnen', 'Match'],
  summary: ['Ergebnis', 'Summary'],
  objective: ['Zielwert', 'Objective'],
  bound: ['Schranke (bewiesen)', 'Bound (proven)'],
  gap: ['Lücke %', 'Gap %'],
  assigned: ['zugeordnet', 'assigned'],
  unassigned: ['ohne Einheit', 'unassigned'],
  intake: ['Aufnahme je Einheit', 'Intake per unit'],
  capacity: ['Plätze', 'Places'],
  households: ['Haushalte', 'Households'],
  price: ['Preis/Person', 'Price/person'],
  assignment: ['Zuordnung je Haushalt', 'Assignment per household'],
  score: ['Wert', 'Score'],
  reason: ['Begründung', 'Reason'],
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
    err.data = data;
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
  items.push(['#/import', t('importExport')]);
  if (state.me.all_units) items.push(['#/match', t('matching')]);
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

/* A share (a fraction of 1 with seven decimals, exact from the API) as a
 * percent with five decimals, as the Königsteiner Schlüssel is published
 * (3,10506): the decimal point moved by text, no float in between. */
function pct5(dec) {
  if (dec === null || dec === undefined) return '–';
  const m = /^(-?)(\d+)(?:\.(\d*))?$/.exec(String(dec));
  if (!m) return String(dec);
  const frac = ((m[3] || '') + '0000000').slice(0, 7);
  const whole = String(Number(m[2]) * 100 + Number(frac.slice(0, 2)));
  return m[1] + whole + (state.lang === 'en' ? '.' : ',') + frac.slice(2);
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
      cell(pct5(r.share_decimal), 'num share'), cell(String(r.actual), 'num actual'),
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

/* A file's bytes as base64, for the JSON body of an upload. */
async function fileBase64(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

const KINDS = ['admissions', 'pledges', 'units', 'indicators', 'keys', 'programmes'];

function kindSelect(id, kinds) {
  return el('select', { name: 'kind', id }, kinds.map(k => el('option', { value: k }, t('kind_' + k))));
}

function problemsTable(res) {
  return [el('table', { id: 'import-errors' },
    el('caption', {}, t('problems') + ': ' + res.file),
    el('thead', {}, el('tr', {}, [t('row'), t('column'), t('value'), t('expected'), t('message')].map(h => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, res.issues.slice().sort((a, b) => (a.row || 0) - (b.row || 0)).map(i => el('tr', {},
      cell(i.row === null ? '' : String(i.row), 'num'), cell(i.sheet ? i.sheet + ': ' + i.column : i.column),
      cell(i.value), cell(i.expected), cell(i.message))))),
  res.more ? el('p', {}, t('moreProblems', res.more)) : ''];
}

function showImport() {
  const main = document.getElementById('main');
  const mayAll = state.me.all_units;
  const result = el('div', { id: 'import-result', 'aria-live': 'polite' });
  const f = el('form', { class: 'grid', id: 'import-form', 'aria-labelledby': 'import-title' },
    el('label', {}, t('kind'), kindSelect('imp-kind', mayAll ? KINDS : ['admissions', 'pledges'])),
    el('label', {}, t('file'), el('input', { type: 'file', name: 'file', id: 'imp-file', required: true,
      accept: '.csv,.txt,.json,.xlsx,text/csv,application/json,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' })),
    el('label', {}, t('sheet'), el('input', { name: 'sheet', id: 'imp-sheet' })),
    el('label', { class: 'check' }, el('input', { type: 'checkbox', name: 'check', id: 'imp-check' }), t('checkOnly')),
    el('label', { class: 'check' }, el('input', { type: 'checkbox', name: 'force', id: 'imp-force' }), t('force')),
    el('button', { type: 'submit', class: 'primary' }, t('doImport')));
  f.addEventListener('submit', async ev => {
    ev.preventDefault();
    const file = f.file.files[0];
    if (!file) { f.file.focus(); return; }
    result.replaceChildren(el('p', {}, t('importing')));
    const body = { kind: f.kind.value, name: file.name, content_base64: await fileBase64(file),
      check: f.check.checked, force: f.force.checked };
    if (f.sheet.value) body.sheet = f.sheet.value;
    try {
      const r = await api('POST', '/api/import', body);
      result.replaceChildren(el('p', { class: 'ok', role: 'status', id: 'import-ok' },
        t(r.written ? 'importOk' : 'checkOk', r.file, r.rows)));
    } catch (e) {
      if (e.message === '401') return;
      const r = e.data;
      if (r && r.issues && r.issues.length) {
        result.replaceChildren(el('p', { class: 'error', role: 'alert', id: 'import-bad' },
          t('importBad', r.file, r.issues.length + r.more)), ...problemsTable(r));
      } else result.replaceChildren(el('p', { class: 'error', role: 'alert', id: 'import-bad' }, e.message));
    }
  });
  const formats = [['csv-excel', 'format=csv&dialect=excel', t('csvExcel')], ['csv-tool', 'format=csv&dialect=tool', t('csvTool')],
    ['json', 'format=json', 'JSON'], ['xlsx', 'format=xlsx', 'XLSX']];
  const kinds = state.me.role === 'viewer' ? KINDS.filter(k => k !== 'admissions') : KINDS;
  const exp = el('table', { id: 'export-table' },
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('kind')), formats.map(x => el('th', { scope: 'col' }, x[2])))),
    el('tbody', {}, kinds.map(k => el('tr', {}, el('th', { scope: 'row' }, t('kind_' + k)),
      formats.map(([id, q, label]) => el('td', {}, el('a', { href: `/api/export/${k}?${q}&lang=${state.lang}`, download: true,
        id: `export-${k}-${id}`, 'aria-label': `${t('kind_' + k)}: ${label}` }, label)))))));
  const parts = [el('h1', {}, t('importExport'))];
  if (state.me.role !== 'viewer')
    parts.push(el('h2', { id: 'import-title' }, t('importTitle')), el('p', { class: 'muted' }, t('importHelp')), f, result);
  parts.push(el('h2', {}, t('exportTitle')), el('p', { class: 'muted' }, t('exportHelp')), exp);
  main.replaceChildren(...parts);
  focusMain(t('importExport'));
}

function showMatch() {
  const main = document.getElementById('main');
  const out = el('div', { id: 'match-result', 'aria-live': 'polite' });
  const f = el('form', { class: 'grid', id: 'match-form', 'aria-labelledby': 'match-title' },
    el('label', {}, t('hhFile'), el('input', { type: 'file', name: 'households', id: 'm-households', required: true, accept: '.csv,text/csv' })),
    el('label', {}, t('unitsFile'), el('input', { type: 'file', name: 'units', id: 'm-units', required: true, accept: '.csv,text/csv' })),
    el('label', {}, t('scoresFile'), el('input', { type: 'file', name: 'scores', id: 'm-scores', accept: '.npy' })),
    el('label', {}, t('mode'), el('select', { name: 'mode', id: 'm-mode' },
      ['optimal', 'stable', 'allocate'].map(m => el('option', { value: m }, t('mode_' + m))))),
    el('button', { type: 'submit', class: 'primary' }, t('runMatch')));
  f.addEventListener('submit', async ev => {
    ev.preventDefault();
    const h = f.households.files[0], u = f.units.files[0], s = f.scores.files[0];
    if (!h || !u) { (h ? f.units : f.households).focus(); return; }
    out.replaceChildren(el('p', {}, t('loading')));
    const body = { households: await h.text(), units: await u.text(), mode: f.mode.value };
    if (s) body.scores_base64 = await fileBase64(s);
    let r;
    try { r = await api('POST', '/api/match', body); } catch (e) {
      if (e.message !== '401') out.replaceChildren(el('p', { class: 'error', role: 'alert' }, e.message));
      return;
    }
    const sum = [[t('mode'), t('mode_' + r.mode), 'm-mode-out'], [t('objective'), num(r.objective, 4), 'm-objective']];
    if (r.bound !== null) sum.push([t('bound'), num(r.bound, 4), 'm-bound'], [t('gap'), num(r.gap * 100, 4), 'm-gap']);
    sum.push([t('households'), `${r.assigned} ${t('assigned')}, ${r.unassigned} ${t('unassigned')}`, 'm-count']);
    out.replaceChildren(
      el('table', { id: 'match-summary' }, el('caption', {}, t('summary')),
        el('tbody', {}, sum.map(([k, v, id]) => el('tr', {}, el('th', { scope: 'row' }, k), el('td', { id }, v))))),
      el('table', { id: 'match-units' }, el('caption', {}, t('intake')),
        el('thead', {}, el('tr', {}, [t('unit'), 'min', 'max', t('capacity'), t('persons'), t('households'), t('price')]
          .map((x, i) => el('th', { scope: 'col', class: i ? 'num' : null }, x)))),
        el('tbody', {}, r.units.map(x => el('tr', {}, el('th', { scope: 'row' }, x.unit), cell(String(x.min), 'num'),
          cell(String(x.max), 'num'), cell(String(x.capacity), 'num'), cell(String(x.persons), 'num'),
          cell(String(x.households), 'num'), cell(x.price === null ? '' : num(x.price, 3), 'num'))))),
      el('table', { id: 'match-assignment' }, el('caption', {}, t('assignment')),
        el('thead', {}, el('tr', {}, [t('household'), t('persons'), t('unit'), t('score'), t('reason')]
          .map(x => el('th', { scope: 'col' }, x)))),
        el('tbody', {}, r.assignment.map(a => el('tr', { 'data-household': a.household },
          el('th', { scope: 'row' }, a.household), cell(String(a.persons), 'num'), cell(a.unit || '–', 'unit'),
          cell(a.score === null ? '' : num(a.score, 2), 'num'), cell(a.reason))))));
  });
  main.replaceChildren(el('h1', { id: 'match-title' }, t('matchTitle')), el('p', { class: 'muted' }, t('matchHelp')), f, out);
  focusMain(t('matchTitle'));
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
  if (path === '/import') return showImport();
  if (path === '/match' && state.me.all_units) return showMatch();
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
  /* the skip link moves focus only: as a plain "#main" link it would
   * change the route (and leave a unit's page for the overview) */
  document.getElementById('skip').addEventListener('click', ev => {
    ev.preventDefault();
    document.getElementById('main').focus();
  });
  window.addEventListener('hashchange', () => { state.navigated = true; route(); });
  try { state.me = await api('GET', '/api/session'); } catch (e) { state.me = null; return; }
  route();
}

document.addEventListener('DOMContentLoaded', start);
