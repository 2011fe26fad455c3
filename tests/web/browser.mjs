// browser.mjs — `missive serve` in a real browser (Debian's chromium driven
// by playwright-core): the workspace page, the seed letter and its preview
// image, the preview following an edit on disk (timed: it must show within
// 200 ms), an error introduced in the file shown at its line (as `missive
// check` prints it), and the CSRF-less request and the path traversal
// refused. Screenshots go to WEB_ARTEFACTS (default build/web-artefacts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { check, finish, missive, ROOT, serve, workspace } from './lib.mjs';

const artefacts = process.env.WEB_ARTEFACTS || path.join(ROOT, 'build', 'web-artefacts');
fs.mkdirSync(artefacts, { recursive: true });
// Under ASan the server itself runs several times slower; the 200 ms bound
// is for the real build.
const bound = Number(process.env.PREVIEW_BOUND_MS || 200);
// The bound holds on a machine that is not busy with other work. How busy
// it is shows in an anchor measured in the same run: the wall time of
// `missive check` of the seed letter (the same load, merge and render the
// preview does). When the anchor is over 13 ms the machine is shared, and
// the bound grows in proportion. (It was 40 ms, for a check of about 25 ms
// when idle; since a check no longer loads the web server's libraries nor
// loads every glyph of every font (issue 17), it is about a third of that:
// 64-92 ms against 216-229 ms before, side by side at load 14.)
const ANCHOR_IDLE_MS = 13;
function anchor(dir) {
  const times = [];
  for (let i = 0; i < 5; i++) {
    const t0 = process.hrtime.bigint();
    missive(dir, ['check', '-q', 'letters/kazakhstan-2011.xml']);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return times.sort((a, b) => a - b)[2];
}

const dir = workspace();
const env = { SOURCE_DATE_EPOCH: '1700000000' };
const s = await serve(dir, env);
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'missive-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1400, height: 1000 },
});
const page = context.pages()[0] || (await context.newPage());
// The viewport, cut to the page's content when that is shorter.
const shot = async (name) => {
  const height = await page.evaluate(() => Math.min(1000, Math.max(240, document.body.scrollHeight + 24)));
  await page.screenshot({ path: path.join(artefacts, `${name}.png`), clip: { x: 0, y: 0, width: 1400, height } });
};

try {
  // The workspace page, from the printed URL (the token becomes a cookie).
  await page.goto(s.url);
  check('the token leaves the address bar', page.url(), `${s.base}/`);
  check('workspace page', await page.textContent('h1'), 'Workspace');
  const letters = await page.$$eval('#letters tbody tr td:first-child', (tds) => tds.map((t) => t.textContent));
  check('every letter listed', letters, ['letters/belarus-2023.xml', 'letters/kazakhstan-2011.xml',
    'letters/mangystau-2011.xml', 'letters/petition-2022.xml', 'letters/zhanaozen-2021.xml']);
  await shot('workspace');
  await page.fill('#search', 'Тоқаев');
  const visible = await page.$$eval('table.searchable tbody tr', (trs) =>
    trs.filter((t) => !t.hidden).map((t) => t.cells[0].textContent));
  check('search finds the recipient by a Kazakh name', visible, ['kz-president-2021']);
  await page.fill('#search', '');

  // The seed letter: checked, previewed, its text beside it.
  await page.click('text=letters/kazakhstan-2011.xml');
  await page.waitForSelector('#pages img.page');
  await page.waitForFunction(() => [...document.querySelectorAll('#pages img')].every((i) => i.complete && i.naturalWidth > 0));
  check('seed letter: check ok', await page.textContent('#check-ok'), 'letters/kazakhstan-2011.xml: ok');
  check('seed letter: two pages previewed', await page.$$eval('#pages img', (imgs) => imgs.map((i) => i.naturalWidth)), [744, 744]);
  const text = missive(dir, ['render', 'letters/kazakhstan-2011.xml', '--format', 'txt', '-o', 'cli-out'], env);
  check('render for the text', text.status, 0);
  check('the text version is the one render writes', await page.textContent('#text'),
    fs.readFileSync(path.join(dir, 'cli-out', 'ICEM-IMF11-EN-LT-107.txt'), 'utf8'));
  await shot('letter');

  // Edits on disk show up by themselves; each one timed from the write
  // to the new page images decoded in the page.
  const file = path.join(dir, 'letters', 'kazakhstan-2011.xml');
  const original = fs.readFileSync(file, 'utf8');
  const delays = [], steps = [], serverWall = [], serverCpu = [];
  for (let i = 1; i <= 7; i++) {
    const before = await page.getAttribute('#letter', 'data-stamp');
    const t0 = Date.now();
    fs.writeFileSync(file, original.replace('we are writing to you', `we are writing (${i}) to you`));
    await page.waitForFunction((b) => window.missivePreview && window.missivePreview.stamp !== b, before);
    const shown = await page.evaluate(() => window.missivePreview);
    delays.push(shown.shownAt - t0);
    serverWall.push(shown.server.ready_ms);
    serverCpu.push(shown.server.cpu_ms);
    steps.push(`${shown.dataAt - t0}/${shown.shownAt - t0}`);
    check(`edit ${i}: the text follows`, (await page.textContent('#text')).includes(`writing (${i}) to`), true);
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const shownMedian = median(delays);
  const check_ms = anchor(dir);
  const scaled = Math.round(bound * Math.max(1, check_ms / ANCHOR_IDLE_MS));
  const load = fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  // Two figures: the whole delay the user sees (file written to new images
  // decoded in the page), which other work on the machine stretches, and
  // the server's CPU time for its part (change noticed to new state ready,
  // pages rasterised), which it does not. The second holds the bound on
  // any machine; the first is held to it scaled by the anchor.
  console.log(`preview after a file change: shown ${shownMedian} ms median (${delays.join(', ')}; data/shown: ${steps.join(' ')}); ` +
    `server: ready ${median(serverWall).toFixed(1)} ms median wall (${serverWall.map((x) => x.toFixed(0)).join(', ')}), ` +
    `${median(serverCpu).toFixed(1)} ms median CPU (${serverCpu.map((x) => x.toFixed(0)).join(', ')}); ` +
    `anchor: missive check ${check_ms.toFixed(1)} ms; load average ${load}; bound ${scaled} ms`);
  // + 10 ms: the server waits that long for an editor's writes to settle.
  check(`the server's own work for a new preview: its CPU time and the 10 ms settle under ${bound} ms (median)`,
    median(serverCpu) + 10 < bound, true);
  check(`preview shown within ${bound} ms of the change (median; ${scaled} ms on a machine this busy)`, shownMedian < scaled, true);
  check('a new preview image', (await page.getAttribute('#pages img', 'src')).includes(`v=${await page.getAttribute('#letter', 'data-stamp')}`), true);

  // An error introduced in the file appears at its line, as check prints it.
  const before = await page.getAttribute('#letter', 'data-stamp');
  const broken = original.replace('<p>To our knowledge,', '<p>{{ recipient.honorfic }} To our knowledge,');
  fs.writeFileSync(file, broken);
  await page.waitForFunction((b) => window.missivePreview && window.missivePreview.stamp !== b, before);
  const cli = missive(dir, ['check', 'letters/kazakhstan-2011.xml'], env);
  const shown = await page.$$eval('#check-result li.error', (lis) => lis.map((l) => l.textContent));
  check('the error as missive check prints it', shown, cli.stderr.trim().split('\n'));
  const line = broken.split('\n').findIndex((l) => l.includes('recipient.honorfic')) + 1;
  check('at its line', /^letters\/kazakhstan-2011\.xml:(\d+):/.exec(shown[0] || '')?.[1], String(line));
  check('check exits 1', cli.status, 1);
  check('the old pages stay, faded', await page.$$eval('#pages img.stale', (i) => i.length), 2);
  await shot('error');
  await page.click('#check-result li.error a');
  await page.waitForSelector('table.source');
  check('the link opens the file at that line', await page.$eval(':target', (tr) => tr.id), `L${line}`);
  check('which holds the mistake', (await page.textContent(':target')).includes('recipient.honorfic'), true);
  await page.evaluate(() => document.querySelector(':target').scrollIntoView({ block: 'center' }));
  await shot('source');
  fs.writeFileSync(file, original);

  // Small edits through forms, written in place as `missive set` writes
  // them (the same edits made by the command in a copy): the letter's date,
  // the recipient's salutation; every other byte of both files kept.
  const twin = workspace();
  const people = path.join(dir, 'letters', 'recipients.ini');
  const peopleBefore = fs.readFileSync(people, 'utf8');
  const edit = async (link, value) => {
    await page.goto(`${s.base}/letter?path=letters/kazakhstan-2011.xml`);
    await page.click(link);
    await page.waitForSelector('#edit');
    const shown = await page.inputValue('#value');
    await page.fill('#value', value);
    return shown;
  };
  check('the date form shows the date', await edit('#edit-date', '2011-09-07'), '2011-09-06');
  await shot('edit');
  await page.click('#save');
  await page.waitForSelector('#edited');
  const bySet = missive(twin, ['set', 'letters/kazakhstan-2011.xml', 'date', '2011-09-07'], env);
  check('the date changed: the line missive set prints', await page.textContent('#edited'), bySet.stdout.trim());
  check('the letter: byte for byte what missive set writes', fs.readFileSync(file, 'utf8'),
    fs.readFileSync(path.join(twin, 'letters', 'kazakhstan-2011.xml'), 'utf8'));
  check('and every other byte as it was', fs.readFileSync(file, 'utf8'),
    original.replace('<date>2011-09-06</date>', '<date>2011-09-07</date>'));
  check('the salutation form shows the salutation', await edit('#edit-salutation', 'Dear President Nazarbayev'),
    'Dear Mr. President');
  await page.click('#save');
  await page.waitForSelector('#edited');
  const salSet = missive(twin, ['set', 'letters/recipients.ini', 'kz-president-2011', 'salutation', 'Dear President Nazarbayev'], env);
  check('the salutation changed: the line missive set prints', await page.textContent('#edited'), salSet.stdout.trim());
  check('recipients.ini: byte for byte what missive set writes', fs.readFileSync(people, 'utf8'),
    fs.readFileSync(path.join(twin, 'letters', 'recipients.ini'), 'utf8'));
  const firstSalutation = peopleBefore.indexOf('salutation = Dear Mr. President') + 'salutation = '.length;
  check('and every other byte as it was (the comments, the other recipients)', fs.readFileSync(people, 'utf8'),
    peopleBefore.slice(0, firstSalutation) + 'Dear President Nazarbayev' + peopleBefore.slice(firstSalutation + 'Dear Mr. President'.length));
  await page.click('text=Back to the workspace');
  await page.goto(`${s.base}/letter?path=letters/kazakhstan-2011.xml`);
  await page.waitForSelector('#pages img.page');
  check('the letter follows: the new salutation and date in its text',
    [(await page.textContent('#text')).includes('Dear President Nazarbayev,'), (await page.textContent('#letter dl')).includes('2011-09-07')], [true, true]);
  await shot('edited');
  // The form sent again, as if from a page shown before the edit: the
  // value it showed is no longer the file's, so nothing is written.
  const stale = await page.evaluate(async () => {
    const csrf = document.querySelector('meta[name=csrf]').content;
    const body = new URLSearchParams({ csrf, file: 'letters/kazakhstan-2011.xml', key: 'date', expect: '2011-09-06', value: '2011-09-08' });
    const r = await fetch('/edit', { method: 'POST', body });
    return [r.status, (await r.text()).includes('the date changed since it was shown')];
  });
  check('a form older than the file: refused, nothing written', [...stale, fs.readFileSync(file, 'utf8').includes('2011-09-07')], [200, true, true]);
  const editWithoutCsrf = await page.evaluate(async () => (await fetch('/edit', { method: 'POST',
    body: new URLSearchParams({ file: 'letters/kazakhstan-2011.xml', key: 'date', value: '2011-09-09' }) })).status);
  check('an edit without the CSRF token: refused', [editWithoutCsrf, fs.readFileSync(file, 'utf8').includes('2011-09-07')], [403, true]);
  fs.writeFileSync(file, original);
  fs.writeFileSync(people, peopleBefore);
  fs.rmSync(twin, { recursive: true, force: true });

  // Issuing through the confirmation, which shows what `missive issue
  // --dry-run` says; a second click issues nothing more.
  const dry = missive(dir, ['issue', '--dry-run', 'letters/zhanaozen-2021.xml'], env).stdout.trim()
    .split('\n').map((l) => l.trim());
  await page.goto(`${s.base}/letter?path=letters/zhanaozen-2021.xml`);
  await page.click('#issue');
  await page.waitForSelector('#plan');
  const plan = await page.$$eval('#plan tbody tr', (trs) => trs.map((tr) =>
    [tr.cells[0].textContent, ...tr.cells[3].innerHTML.split('<br>')]));
  check('the confirmation: the reference and files issue --dry-run gives', plan, [dry]);
  check('nothing issued by the confirmation', fs.existsSync(path.join(dir, 'archive')), false);
  await shot('confirm');
  const form = await page.$eval('#confirm', (b) => new URLSearchParams(new FormData(b.form)).toString());
  await page.dblclick('#confirm');
  await page.waitForSelector('#issued');
  check('issued with the reference confirmed', await page.textContent('#result td.reference'), dry[0]);
  await shot('issued');
  const again = await page.evaluate(async (body) => {
    const r = await fetch('/issue', { method: 'POST', body,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    return [r.status, (await r.text()).includes('Issued 1 letter')];
  }, form);
  check('the same confirmation sent again shows the same result', again, [200, true]);
  const all = JSON.parse(missive(dir, ['register', 'list', '--json'], env).stdout);
  check('and issued nothing more', all.map((e) => e.reference), [dry[0]]);

  // The register: the letter found by a filter, its entry, and verify.
  await page.goto(`${s.base}/register`);
  await page.fill('input[name=year]', '2021');
  await page.click('text=Filter');
  await page.waitForSelector('#register');
  const refs = await page.$$eval('#register tbody tr td:first-child', (tds) => tds.map((t) => t.textContent));
  const listed = JSON.parse(missive(dir, ['register', 'list', '--json', '--year', '2021'], env).stdout);
  check('the register filtered by year, as register list --year', refs, listed.map((e) => e.reference));
  await shot('register');
  await page.click(`text=${refs[0]}`);
  await page.waitForSelector('#entry');
  await shot('entry');
  await page.goto(`${s.base}/register`);
  await page.click('#verify');
  await page.waitForLoadState();
  if (!(await page.$('#verify-result'))) console.error(await page.content());
  await page.waitForSelector('#verify-result');
  check('verify from the page, as register verify', await page.textContent('#verify-result'),
    missive(dir, ['register', 'verify'], env).stdout.trim());
  await shot('verify');
  await page.goto(`${s.base}/register/entry?ref=${encodeURIComponent(refs[0])}`);
  await page.click('#reprint');
  await page.waitForSelector('#reprinted');
  check('reprint from the page: byte for byte', (await page.textContent('#reprinted')).endsWith('byte for byte the archived letter:'), true);
  await shot('reprint');

  // Refused: a state change without the CSRF token, a path outside.
  const csrfless = await page.evaluate(async () => (await fetch('/issue', { method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'path=letters/zhanaozen-2021.xml' })).status);
  check('a POST without the CSRF token is refused', csrfless, 403);
  const outside = await page.goto(`${s.base}/source?path=..%2f..%2f..%2fetc%2fpasswd`);
  check('a path outside the workspace is refused', [outside.status(), (await page.textContent('body')).includes('root:')], [403, false]);
  await shot('refused');
} finally {
  await context.close();
  const stopped = await s.stop();
  check('the server stops cleanly', stopped.code, 0);
  fs.rmSync(profile, { recursive: true, force: true });
  fs.rmSync(dir, { recursive: true, force: true });
}
finish('serve-browser');
