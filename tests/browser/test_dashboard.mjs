// Browser tests of the hafen dashboard in headless Chromium (Debian's
// /usr/bin/chromium driven by playwright-core): sign in, see the overview
// with its chart, record an admission and see the figures change, correct
// it, switch the language, move by keyboard, upload a broken CSV and see
// its errors, run a small match and see the assignments. Screenshots go to the build
// directory as test artefacts. Prints TAP.
// Usage: node test_dashboard.mjs PATH/TO/hafen OUTDIR
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [hafen, outdir] = process.argv.slice(2);
const shots = join(outdir, 'screenshots');
mkdirSync(shots, { recursive: true });
const tmp = mkdtempSync(join(tmpdir(), 'hafen-browser-'));
const db = join(tmp, 'b.db');
const PW = 'ein-langes-passwort';
const env = { ...process.env, HAFEN_USER: 'browser-test' };
delete env.HAFEN_LANG;

function run(args, input) {
  const p = spawnSync(hafen, ['--db', db, ...args], { input, env, encoding: 'utf8' });
  if (p.status !== 0) throw new Error(`${args.join(' ')}: ${p.stderr}`);
  return p.stdout;
}

function startServer() {
  return new Promise((resolve, reject) => {
    const p = spawn(hafen, ['--db', db, 'serve', '--listen', '127.0.0.1:0'], { env });
    let out = '';
    p.stdout.on('data', d => {
      out += d;
      const m = out.match(/127\.0\.0\.1:(\d+)\//);
      if (m) resolve({ p, base: `http://127.0.0.1:${m[1]}` });
    });
    p.on('exit', c => reject(new Error('serve exited ' + c)));
  });
}

const tests = [];
const test = (name, fn) => tests.push([name, fn]);
function assert(c, msg) { if (!c) throw new Error(msg); }

let page, base;
// waits until the unit page shows actual n (a selector, not a function:
// the dashboard's CSP forbids the eval that polling a function needs)
const figure = n => page.locator(`#fig-actual:text-is("${n}")`).waitFor();
const actualOf = async code => Number((await page.textContent(`#quota-table tr[data-unit="${code}"] td.actual`)).trim());

test('sign in and see the overview with its chart', async () => {
  await page.goto(base + '/');
  await page.waitForSelector('form.login');
  assert(await page.getAttribute('html', 'lang') === 'de', 'lang de');
  await page.getByLabel('Konto').fill('kiel');
  await page.getByLabel('Passwort').fill('falsch-falsch-falsch');
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.waitForSelector('#login-error:text("Konto oder Passwort falsch.")');
  await page.getByLabel('Passwort').fill(PW);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.waitForSelector('#quota-table tbody tr');
  const rows = await page.$$('#quota-table tbody tr');
  assert(rows.length === 15, 'rows ' + rows.length);
  assert(await page.textContent('h1') === 'Aufnahmesoll und Erfüllung', 'heading');
  const bars = await page.$$('svg.chart rect');
  assert(bars.length === 15, 'bars ' + bars.length);
  const colours = new Set(await Promise.all(bars.map(b => b.getAttribute('fill'))));
  assert(colours.size === 2, 'over and under both shown: ' + [...colours]);
  await page.screenshot({ path: join(shots, 'overview-de.png'), fullPage: true });
});

test('record an admission and see the figures change', async () => {
  const before = await actualOf('01002000');
  await page.click('#quota-table a[href^="#/unit/01002000"]');
  await page.waitForSelector('#record-form');
  const fig = Number(await page.textContent('#fig-actual'));
  assert(fig === before, `unit page ${fig} vs overview ${before}`);
  await page.getByLabel('Datum').fill('2023-06-15');
  await page.getByLabel('Personen', { exact: true }).fill('3');
  await page.getByLabel('Haushalt (pseudonyme Kennung)').fill('H-browser-1');
  await page.getByRole('button', { name: 'Eintragen' }).click();
  await page.waitForSelector('#status:text("gespeichert")');
  await figure(before + 3);
  assert(await page.isVisible('#ledger-table td:text("H-browser-1")'), 'entry in the ledger');
  await page.screenshot({ path: join(shots, 'unit-recorded.png'), fullPage: true });
  await page.screenshot({ path: join(shots, 'unit-top.png') });
  await page.click('a:text("Zurück zur Übersicht")');
  await page.waitForSelector('#quota-table tbody tr');
  assert(await actualOf('01002000') === before + 3, 'overview shows +3');
});

test('correct the admission', async () => {
  const before = await actualOf('01002000');
  await page.click('#quota-table a[href^="#/unit/01002000"]');
  await page.waitForSelector('#ledger-table');
  const row = page.locator('#ledger-table tr', { hasText: 'H-browser-1' }).first();
  await row.getByRole('button', { name: /berichtigen/ }).click();
  await page.getByLabel('Richtige Personenzahl (leer: nur ausbuchen)').fill('2');
  await page.getByLabel('Vermerk').last().fill('Tippfehler');
  await page.locator('#correct-form button[type=submit]').click();
  await page.waitForSelector('#status:text("berichtigt")');
  await figure(before - 1);
});

test('switch the language', async () => {
  await page.goto(base + '/#/');
  await page.waitForSelector('#quota-table tbody tr');
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await page.waitForSelector('h1:text("Quota and fulfilment")');
  assert(await page.getAttribute('html', 'lang') === 'en', 'lang en');
  assert(await page.isVisible('th:text("Fulfilled %")'), 'English table');
  assert(await page.textContent('#who') === 'kiel (unit office)', 'role in English');
  await page.screenshot({ path: join(shots, 'overview-en.png'), fullPage: true });
  await page.reload();
  await page.waitForSelector('h1:text("Quota and fulfilment")');
  await page.getByRole('button', { name: 'Auf Deutsch umschalten' }).click();
  await page.waitForSelector('h1:text("Aufnahmesoll und Erfüllung")');
});

test('keyboard: skip link first, focus visible, unit reachable', async () => {
  await page.goto(base + '/#/');
  await page.reload();
  await page.waitForSelector('#quota-table tbody tr');
  await page.keyboard.press('Tab');
  assert(await page.evaluate(() => document.activeElement.id) === 'skip', 'skip link first');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert(outline !== 'none', 'focus visible');
  await page.keyboard.press('Enter');
  assert(await page.evaluate(() => document.activeElement.id) === 'main', 'main focused');
  assert(await page.evaluate(() => location.hash) === '#/', 'the skip link keeps the route');
  await page.focus('#quota-table a[href^="#/unit/01003000"]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#explain-text');
  // on a unit's page too, the skip link moves focus and stays on the page
  await page.focus('#skip');
  const unitHash = await page.evaluate(() => location.hash);
  await page.keyboard.press('Enter');
  const after = await page.evaluate(() => location.hash);
  assert(unitHash.startsWith('#/unit/01003000') && after === unitHash,
    `skip link stays on the unit page (${unitHash} -> ${after})`);
  assert(await page.$('#explain-text'), 'unit page still shown');
  assert(/Lübeck/.test(await page.textContent('h1')), 'Lübeck page');
  // Kiel's office sees Lübeck's figures, but neither its entries nor a form
  assert(!(await page.$('#record-form')) && !(await page.$('#ledger-table')), 'no details of another unit');
});

test('shares with five decimals of a percent, as the key is published', async () => {
  await page.goto(base + '/#/');
  await page.waitForSelector('#quota-table tbody tr');
  const shares = await page.$$eval('#quota-table td.share', tds => tds.map(td => td.textContent));
  assert(shares.length === 15 && shares.every(x => /^\d+,\d{5}$/.test(x)), 'shares ' + shares);
  // Flensburg as hafen quota prints it (216530/... of Schleswig-Holstein)
  assert(await page.textContent('#quota-table tr[data-unit="01001000"] td.share') === '3,10506', 'Flensburg');
});

test('upload a broken CSV and see all its errors', async () => {
  await page.goto(base + '/#/import');
  await page.waitForSelector('#import-form');
  assert(await page.textContent('h1') === 'Import und Export', 'heading');
  await page.getByLabel('Art').selectOption('admissions');
  await page.getByLabel('Datei', { exact: true }).setInputFiles({
    name: 'kaputt.csv', mimeType: 'text/csv',
    buffer: Buffer.from('Datum;Einheit;Personen;Haushalt\n01.07.2023;01002000;drei;B-1\n' +
      '02.07.2023;01003000;2;B-2\n31.02.2023;01002000;1;B-3\n'),
  });
  await page.getByRole('button', { name: 'Importieren' }).click();
  await page.waitForSelector('#import-errors tbody tr');
  const rows = await page.$$eval('#import-errors tbody tr', trs => trs.map(tr =>
    [...tr.querySelectorAll('td')].map(td => td.textContent)));
  assert(rows.length === 3, 'three problems: ' + JSON.stringify(rows));
  const persons = rows.find(r => r[1] === 'Personen');
  assert(persons && persons[0] === '2' && persons[2] === 'drei' && persons[3] === 'eine ganze Zahl', JSON.stringify(persons));
  // Kiel's office may not write Lübeck's entries: that row is named too
  assert(rows.some(r => r[0] === '3' && r[2] === '01003000'), 'Lübeck row named');
  assert(rows.map(r => r[0]).join() === '2,3,4', 'in the order of the file');
  assert(!/null/.test(await page.textContent('#import-result')), 'no stray text');
  assert(/3 Fehler; nichts wurde importiert/.test(await page.textContent('#import-bad')), 'summary');
  await page.screenshot({ path: join(shots, 'import-errors.png'), fullPage: true });
  // the same file fixed, checked only, then imported
  await page.getByLabel('Datei', { exact: true }).setInputFiles({
    name: 'gut.csv', mimeType: 'text/csv',
    buffer: Buffer.from('Datum;Einheit;Personen;Haushalt\n01.07.2023;01002000;3;B-1\n'),
  });
  await page.getByLabel('Nur prüfen, nichts schreiben').check();
  await page.getByRole('button', { name: 'Importieren' }).click();
  await page.waitForSelector('#import-ok:text("nichts geschrieben")');
  await page.getByLabel('Nur prüfen, nichts schreiben').uncheck();
  await page.getByRole('button', { name: 'Importieren' }).click();
  await page.waitForSelector('#import-ok:text("1 Datensätze importiert")');
  assert(await page.isVisible('#export-admissions-csv-excel'), 'export links');
  assert(await page.getAttribute('#export-units-xlsx', 'href') === '/api/export/units?format=xlsx&lang=de', 'xlsx link');
  await page.screenshot({ path: join(shots, 'import-ok.png'), fullPage: true });
});

test('run a small match and see the assignments', async () => {
  assert(!(await page.$('nav a[href="#/match"]')), 'no matching for a unit office');
  await page.getByRole('button', { name: 'Abmelden' }).click();
  await page.waitForSelector('form.login');
  await page.getByLabel('Konto').fill('land');
  await page.getByLabel('Passwort').fill(PW);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.waitForSelector('#quota-table tbody tr');
  await page.click('nav a[href="#/match"]');
  await page.waitForSelector('#match-form');
  await page.getByLabel('Haushalte (CSV)').setInputFiles({ name: 'haushalte.csv', mimeType: 'text/csv',
    buffer: Buffer.from('id,persons,needs,ties\nH1,3,,U2\nH2,2,rollstuhl,\nH3,1,,\n') });
  await page.getByLabel('Aufnahmeorte (CSV)').setInputFiles({ name: 'orte.csv', mimeType: 'text/csv',
    buffer: Buffer.from('code,capacity,services\nU1,4,rollstuhl\nU2,3,\n') });
  await page.getByLabel('Verfahren').selectOption('optimal');
  await page.getByRole('button', { name: 'Zuordnen' }).click();
  await page.waitForSelector('#match-assignment tbody tr');
  const rows = await page.$$eval('#match-assignment tbody tr', trs => trs.map(tr =>
    [tr.querySelector('th').textContent, ...[...tr.querySelectorAll('td')].map(td => td.textContent)]));
  assert(rows.length === 3, JSON.stringify(rows));
  const unit = Object.fromEntries(rows.map(r => [r[0], r[2]]));
  assert(unit.H1 === 'U2' && unit.H2 === 'U1' && unit.H3 === 'U1', JSON.stringify(rows));
  assert(rows.every(r => r[4].length > 0), 'every household has its reason');
  assert(await page.textContent('#m-gap') !== '', 'gap shown');
  await page.screenshot({ path: join(shots, 'match.png'), fullPage: true });
});

let server, browser;
let failed = 0;
try {
  run(['init', '--demo']);
  run(['user', 'add', 'kiel', '--role', 'office', '--unit', '01002000'], PW + '\n');
  run(['user', 'add', 'land', '--role', 'land'], PW + '\n');
  server = await startServer();
  base = server.base;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  page = await browser.newPage({ locale: 'de-DE' });
  page.setDefaultTimeout(20000);
  console.log(`1..${tests.length}`);
  for (const [i, [name, fn]] of tests.entries()) {
    try {
      await fn();
      console.log(`ok ${i + 1} - ${name}`);
    } catch (e) {
      failed++;
      console.log(`not ok ${i + 1} - ${name}`);
      for (const l of String(e.stack || e).split('\n')) console.log('# ' + l);
      try { await page.screenshot({ path: join(shots, `failed-${i + 1}.png`), fullPage: true }); } catch (e2) { /* none */ }
    }
  }
} catch (e) {
  console.log('1..1\nnot ok 1 - setup');
  for (const l of String(e.stack || e).split('\n')) console.log('# ' + l);
  failed++;
} finally {
  if (browser) await browser.close();
  if (server && server.p.exitCode === null && server.p.signalCode === null) {
    const gone = new Promise(res => server.p.once('exit', res));
    server.p.kill('SIGTERM');
    await gone;
  }
  rmSync(tmp, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
