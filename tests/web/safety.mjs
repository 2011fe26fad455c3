// safety.mjs — `missive serve` refuses what it must: requests without the
// access token, state changes without the CSRF token or from another
// origin, a wrong Host, paths outside the workspace (plain, encoded and
// through a symbolic link), oversized requests; and it answers the same as
// the CLI (`check`, `render`) for what the pages show. Plain HTTP, no
// browser.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { check, finish, MISSIVE, missive, ROOT, serve, workspace } from './lib.mjs';

// A raw request: the path is sent exactly as given (no normalising).
function request(port, method, target, headers = {}, body = null) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: target,
      headers: { Host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers,
        body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

const dir = workspace();
const env = { SOURCE_DATE_EPOCH: '1700000000' };
const s = await serve(dir, env);
const auth = { Cookie: s.cookie };
const get = (target, headers = auth) => request(s.port, 'GET', target, headers);
// A page as the user reads it: tags dropped, entities decoded.
const text = async (target) => (await get(target)).body.toString().replace(/<[^>]+>/g, '')
  .replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>')
  .replace(/&amp;/g, '&');

// The access token.
check('no token: refused', (await get('/', {})).status, 403);
check('a wrong token: refused', (await get('/?token=0123', {})).status, 403);
check('a wrong cookie: refused', (await get('/', { Cookie: `${s.cookie}x` })).status, 403);
const first = await get(`/?token=${s.token}`, {});
check('the printed URL: a cookie and a redirect without the token',
  [first.status, first.headers.location, /HttpOnly; SameSite=Strict/.test(first.headers['set-cookie'])],
  [303, '/', true]);
check('with the cookie: the workspace page', (await get('/')).status, 200);
check('another Host (DNS rebinding): refused',
  (await request(s.port, 'GET', '/', { ...auth, Host: `evil.example:${s.port}` })).status, 403);
check('images and scripts only from the server itself',
  (await get('/')).headers['content-security-policy'].includes("default-src 'self'"), true);

// Paths outside the workspace, every spelling.
fs.writeFileSync(path.join(path.dirname(dir), 'missive-secret.txt'), 'TOP-SECRET-CONTENT\n');
fs.symlinkSync('/etc/passwd', path.join(dir, 'letters', 'link.xml'));
for (const p of ['../missive-secret.txt', '..%2fmissive-secret.txt', '%2e%2e%2fmissive-secret.txt',
  '%2E%2E/missive-secret.txt', 'letters/../../missive-secret.txt', '/etc/passwd',
  '%2fetc%2fpasswd', 'letters%2f..%2f..%2fmissive-secret.txt', 'letters/link.xml', './missive.ini',
  'letters//recipients.ini', '....//missive-secret.txt', 'letters\\..\\..\\x']) {
  for (const page of ['/source', '/letter', '/page.png', '/letter.pdf', '/api/letter']) {
    const r = await get(`${page}?path=${p}`);
    check(`${page}?path=${p}: refused`, [r.status === 403 || r.status === 404,
      r.body.includes('TOP-SECRET') || r.body.includes('root:')], [true, false]);
  }
}
for (const target of ['/static/../../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/../missive.ini',
  '/letters/recipients.ini']) {
  const r = await get(target);
  check(`${target}: not served`, [r.status, r.body.includes('root:')], [404, false]);
}
check('a file inside the workspace is shown', (await get('/source?path=missive.ini')).status, 200);
// The edit form: only files of letters/, inside the workspace; a GET
// writes nothing whatever it carries.
for (const f of ['../missive-secret.txt', 'letters/../../missive-secret.txt', 'letters/link.xml', 'missive.ini',
  'letters%2f..%2f..%2fmissive-secret.txt', '/etc/passwd', 'letters/nothere.ini']) {
  const r = await get(`/edit?file=${f}&key=date`);
  check(`/edit?file=${f}: refused`, [r.status >= 400, r.body.includes('TOP-SECRET') || r.body.includes('root:')], [true, false]);
}
const recipientsBefore = fs.readFileSync(path.join(dir, 'letters', 'recipients.ini'));
await get('/edit?file=letters/recipients.ini&section=kz-president-2011&key=salutation&value=Hacked');
check('GET /edit with a value: nothing written',
  Buffer.compare(fs.readFileSync(path.join(dir, 'letters', 'recipients.ini')), recipientsBefore), 0);

// State changes: POST needs the CSRF token and the server's own origin.
const page = (await get('/')).body.toString();
const csrf = page.match(/name="csrf" content="([0-9a-f]+)"/)[1];
const form = { ...auth, 'Content-Type': 'application/x-www-form-urlencoded' };
check('POST without the CSRF token: refused',
  (await request(s.port, 'POST', '/issue', form, 'path=letters/zhanaozen-2021.xml')).status, 403);
check('POST with a wrong CSRF token: refused',
  (await request(s.port, 'POST', '/issue', form, 'csrf=00&path=letters/zhanaozen-2021.xml')).status, 403);
check('POST from another origin: refused',
  (await request(s.port, 'POST', '/issue', { ...form, Origin: 'http://evil.example' },
    `csrf=${csrf}&path=letters/zhanaozen-2021.xml`)).status, 403);
check('POST without the access token: refused',
  (await request(s.port, 'POST', '/issue', { 'Content-Type': form['Content-Type'] },
    `csrf=${csrf}`)).status, 403);
check('GET with a body or POST to a page that only reads: refused',
  (await request(s.port, 'POST', '/', form, `csrf=${csrf}`)).status, 405);
const big = `csrf=${csrf}&x=${'a'.repeat(200 * 1024)}`;
check('a request body over 64 KiB: refused',
  (await request(s.port, 'POST', '/issue', form, big)).status, 413);
check('an address over 4 KiB: refused', (await get(`/letter?path=${'a'.repeat(5000)}`)).status, 414);

// The same results as the CLI.
const broken = path.join(dir, 'letters', 'broken.xml');
fs.writeFileSync(broken, fs.readFileSync(path.join(dir, 'letters', 'kazakhstan-2011.xml'), 'utf8')
  .replace('{{ recipient.salutation }}', '{{ recipient.salutaton }}')
  .replace('<recipient ref="kz-president-2011"/>', '<recipient ref="kz-presidnt-2011"/>'));
for (const letter of ['letters/kazakhstan-2011.xml', 'letters/broken.xml', 'letters/mangystau-2011.xml',
  'letters/petition-2022.xml']) {
  const cli = missive(dir, ['check', letter], env);
  const api = JSON.parse((await get(`/api/letter?path=${letter}`)).body.toString());
  // Errors only: a petition's note on merged signers is no error.
  const lines = cli.stderr.split('\n').filter((l) => / error: /.test(l));
  check(`${letter}: the page's check equals missive check`, api.errors, lines);
  check(`${letter}: ok on both`, api.ok, cli.status === 0);
}
const out = path.join(dir, 'cli-out');
missive(dir, ['render', 'letters/zhanaozen-2021.xml', '-o', out], env);
const pdf = await get('/letter.pdf?path=letters/zhanaozen-2021.xml');
check('the page\'s PDF is missive render\'s, byte for byte',
  Buffer.compare(pdf.body, fs.readFileSync(path.join(out, 'zhanaozen-2021.pdf'))), 0);
const api = JSON.parse((await get('/api/letter?path=letters/zhanaozen-2021.xml')).body.toString());
check('the page\'s text is missive render\'s', api.text,
  fs.readFileSync(path.join(out, 'zhanaozen-2021.txt'), 'utf8'));
// A campaign's variants: the recipients and languages of its letters, as
// the command's table gives them; each variant previewed in its language.
const table = missive(dir, ['issue', '--dry-run', 'letters/mangystau-2011.xml'], env).stdout.trim()
  .split('\n').slice(1).map((l) => l.split(/\s{2,}/).slice(1, 3));
const variantsPage = (await get('/letter?path=letters/mangystau-2011.xml')).body.toString();
const variants = [...variantsPage.split('id="variants"')[1].split('</table>')[0]
  .matchAll(/<tr[^>]*><td><a[^>]*>([^<]*)<\/a><\/td><td>[^<]*<\/td><td>([^<]*)<\/td>/g)].map((m) => [m[1], m[2]]);
check('a campaign\'s variants: those issue --dry-run lists', variants, table);
const fr = JSON.parse((await get('/api/letter?path=letters/mangystau-2011.xml&variant=1')).body.toString());
check('the French variant previewed in French', [fr.ok, fr.pages > 0, fr.text.includes('Monsieur')], [true, true, true]);
const png = await get(`/page.png?path=letters/zhanaozen-2021.xml&page=1`);
check('page 1 is a PNG', [png.status, png.headers['content-type'], png.body.subarray(1, 4).toString()],
  [200, 'image/png', 'PNG']);
check('no page 9', (await get('/page.png?path=letters/zhanaozen-2021.xml&page=9')).status, 404);

// The register pages against `missive register list/show --json`.
check('no register yet: said as the CLI says it',
  (await text('/register')).includes('archive: error: no register here (nothing has been issued into this archive)'), true);
// The seed letter recorded by an office (GVA), for the office filter.
const ini = path.join(dir, 'missive.ini');
const settings = fs.readFileSync(ini, 'utf8');
check(`issue letters/zhanaozen-2021.xml (CLI)`, missive(dir, ['issue', 'letters/zhanaozen-2021.xml'], env).status, 0);
fs.writeFileSync(ini, settings.replace('organisation = ICEM-IMF\n', 'organisation = ICEM-IMF\noffice = GVA\n'));
check(`issue letters/kazakhstan-2011.xml (CLI, office GVA)`, missive(dir, ['issue', 'letters/kazakhstan-2011.xml'], env).status, 0);
fs.writeFileSync(ini, settings);
const zhRef = JSON.parse(missive(dir, ['register', 'list', '--json', '--year', '2021'], env).stdout)[0].reference;
const states = Object.fromEntries([...(await get('/')).body.toString().matchAll(
  /<tr><td><a href="\/letter\?path=([^"]+)">.*?<\/td><\/tr>/g)].map((m) =>
  [m[1], m[0].match(/class="state [a-z]+">([a-z]+)<\/span> ?(.*?)<\/td><\/tr>/).slice(1).map((x) => x.replace(/<[^>]+>/g, ''))]));
check('the workspace page: issued letters with their references, drafts as drafts', states, {
  'letters/belarus-2023.xml': ['numbered', 'IA-ETUC/2023/BY 01'],
  'letters/broken.xml': ['numbered', 'ICEM-IMF11/EN LT/107'], // another recipient: not that entry
  'letters/kazakhstan-2011.xml': ['issued', 'ICEM-IMF11/EN LT/107'],
  'letters/link.xml': ['error', ''],
  'letters/mangystau-2011.xml': ['draft', ''],
  'letters/petition-2022.xml': ['numbered', 'IA-ITUC22/EN PT/12'],
  'letters/zhanaozen-2021.xml': ['issued', zhRef],
});
// The workspace page's table is what `missive status --json` lists.
const statusRows = (await get('/')).body.toString().split('id="letters"')[1].split('</table>')[0]
  .split('<tbody>')[1];
const pageLetters = [...statusRows.matchAll(/<tr>(.*?)<\/tr>/g)].map((m) =>
  m[1].split('</td>').slice(0, -1).map((c) => c.replace(/<[^>]+>/g, '').replace(/&#39;/g, "'").replace(/&amp;/g, '&')));
const status = JSON.parse(missive(dir, ['status', '--json'], env).stdout);
check('the workspace page: the letters of missive status', pageLetters, status.map((l) => l.state === 'error'
  ? [l.path, `${l.errors} error${l.errors === 1 ? '' : 's'} (open it to see where)`, 'error']
  : [l.path, l.subject, l.kind,
    l.recipients.map((r) => (l.kind === 'campaign' ? `${r.id} (${r.language})` : r.id)).join(', '), l.date,
    l.references.length ? `${l.state} ${l.references.join(', ')}` : l.state]));
check('missive status: the same, one line each', missive(dir, ['status'], env).stdout.split('\n')
  .filter((l) => l.startsWith('letters/zhanaozen')), [`letters/zhanaozen-2021.xml  issued  ${zhRef}  letter  2021-12-16  kz-president-2021 (en)  Ten years after the killings in Zhanaozen`]);
const cells = (html, id) => [...html.matchAll(/<tr><td>(.*?)<\/td><\/tr>/g)].map((m) =>
  m[1].split('</td><td>').map((c) => c.replace(/<[^>]+>/g, '').replace(/&#39;/g, "'").replace(/&amp;/g, '&')));
for (const [query, args] of [['', []], ['?year=2023', ['--year', '2023']],
  ['?country=KZ&language=en', ['--country', 'KZ', '--language', 'en']],
  ['?search=zhanaozen', ['--search', 'zhanaozen']], ['?recipient=nobody', ['--recipient', 'nobody']],
  ['?series=LT', ['--series', 'LT']], ['?series=PT', ['--series', 'PT']],
  ['?office=GVA', ['--office', 'GVA']], ['?office=BRU', ['--office', 'BRU']],
  ['?year=2011&series=LT&language=en&country=KZ&office=GVA&signatory=Warda',
    ['--year', '2011', '--series', 'LT', '--language', 'en', '--country', 'KZ', '--office', 'GVA', '--signatory', 'Warda']],
  ['?year=&series=&office=', []]]) {
  const cli = JSON.parse(missive(dir, ['register', 'list', '--json', ...args], env).stdout);
  if (query === '?office=GVA')
    check('register --office GVA: the one letter that office recorded', cli.map((e) => [e.reference, e.office]),
      [['ICEM-IMF11/EN LT/107', 'GVA']]);
  const rows = cells((await get(`/register${query}`)).body.toString().split('<tbody>')[1] || '');
  check(`register${query}: the rows of register list`, rows,
    cli.map((e) => [e.reference, e.letter_date, e.language, e.recipient.country, e.recipient.name,
      e.subject, e.origin === 'imported' ? 'imported' : 'issued']));
}
check('a bad year: refused as the CLI refuses --year',
  (await text('/register?year=20x1')).includes("missive: error: --year takes a year such as 2011, not '20x1'"), true);
const [entry] = JSON.parse(missive(dir, ['register', 'list', '--json', '--year', '2021'], env).stdout);
const shown = (await get(`/register/entry?ref=${encodeURIComponent(entry.reference)}`)).body.toString();
check('entry: the hash register show gives', shown.includes(`${entry.entry}, hash ${entry.hash}`), true);
// Every entry, row for row what `register show REF` prints (the office one too).
const unescape = (t) => t.replace(/<[^>]+>/g, '').replace(/&#39;/g, "'").replace(/&quot;/g, '"')
  .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
for (const e of JSON.parse(missive(dir, ['register', 'list', '--json'], env).stdout)) {
  const html = (await get(`/register/entry?ref=${encodeURIComponent(e.reference)}`)).body.toString();
  const facts = [...html.split('id="entry">')[1].split('</dl>')[0].matchAll(/<dt>(.*?)<\/dt><dd>(.*?)<\/dd>/g)]
    .map((m) => `${unescape(m[1])}|${unescape(m[2])}`);
  const files = [...html.split('id="files">')[1].split('</table>')[0].matchAll(/<tr><td>(.*?)<\/td><td>(.*?)<\/td><td>(.*?)<\/td><td>(.*?)<\/td><\/tr>/g)]
    .map((m) => `file|${unescape(m[1])} ${unescape(m[2])}, ${m[3]} bytes, SHA-256 ${unescape(m[4])}`);
  const cli = missive(dir, ['register', 'show', e.reference], env).stdout.trim().split('\n')
    .map((l) => `${l.slice(0, 12).trim()}|${l.slice(13)}`);
  const order = (lines) => [...lines.filter((l) => !l.startsWith('file|') && !l.startsWith('made with|') && !l.startsWith('entry|')),
    ...lines.filter((l) => l.startsWith('file|')), ...lines.filter((l) => l.startsWith('made with|') || l.startsWith('entry|'))];
  check(`entry ${e.reference}: what register show prints`, order([...facts, ...files]), order(cli));
}
for (const f of entry.files) {
  const r = await get(`/register/file?ref=${encodeURIComponent(entry.reference)}&role=${f.role}`);
  const archived = fs.readFileSync(path.join(dir, 'archive', f.path));
  check(`download ${f.role}: the archived file`, [r.status, Buffer.compare(r.body, archived)], [200, 0]);
}
check('no such role', (await get(`/register/file?ref=${encodeURIComponent(entry.reference)}&role=../x`)).status, 404);
check('no such reference', (await text('/register/entry?ref=XX%2F1')).includes("no reference 'XX/1' in the register"), true);
const post = (target, body) => request(s.port, 'POST', target, form, body);
const verifyText = async () => (await post('/register/verify', `csrf=${csrf}`)).body.toString()
  .match(/id="verify-result">(.*?)<\/p>/)[1];
const verified = missive(dir, ['register', 'verify'], env);
check('verify: the line register verify prints', await verifyText(), verified.stdout.trim());
check('verify without the CSRF token: refused', (await post('/register/verify', '')).status, 403);
const untampered = fs.readFileSync(path.join(dir, 'archive', entry.files[0].path));
fs.appendFileSync(path.join(dir, 'archive', entry.files[0].path), 'tampered');
const problems = missive(dir, ['register', 'verify'], env);
check('verify of a tampered archive: exit 4', problems.status, 4);
check('verify: the problems register verify finds', await verifyText(),
  problems.stderr.trim().split('\n').pop());
check('a tampered archived file is not served',
  (await get(`/register/file?ref=${encodeURIComponent(entry.reference)}&role=${entry.files[0].role}`)).status, 409);
fs.writeFileSync(path.join(dir, 'archive', entry.files[0].path), untampered);

// Issuing: the confirmation's idempotency token, a stale confirmation,
// and the result against `missive issue` of the same letter elsewhere.
const confirmation = async (letter) => {
  const page = (await get(`/issue?path=${letter}`)).body.toString();
  return page.match(/name="token" value="([0-9a-f]+)"/)?.[1];
};
const before = JSON.parse(missive(dir, ['register', 'list', '--json'], env).stdout).length;
const token = await confirmation('letters/mangystau-2011.xml');
check('a confirmation has a token', /^[0-9a-f]{32}$/.test(token || ''), true);
const body = `csrf=${csrf}&path=letters/mangystau-2011.xml&token=${token}`;
const twice = await Promise.all([post('/issue', body), post('/issue', body)]);
check('two clicks at once: both see the result', twice.map((r) => [r.status, r.headers.location]),
  [[303, `/issued?token=${token}`], [303, `/issued?token=${token}`]]);
const after = JSON.parse(missive(dir, ['register', 'list', '--json'], env).stdout);
check('two clicks at once: the campaign issued once (6 letters)', after.length - before, 6);
check('an unknown token: refused', (await post('/issue', `csrf=${csrf}&path=letters/mangystau-2011.xml&token=00`)).status, 400);
const stale = await confirmation('letters/petition-2022.xml');
fs.appendFileSync(path.join(dir, 'letters', 'signatories.ini'), '\n');
const refused = await post('/issue', `csrf=${csrf}&path=letters/petition-2022.xml&token=${stale}`);
check('a confirmation older than a change: refused, nothing issued',
  [refused.status, JSON.parse(missive(dir, ['register', 'list', '--json'], env).stdout).length], [409, after.length]);
// The same letter issued by the page here and by the command in a copy.
const twin = workspace();
const pageRef = await confirmation('letters/petition-2022.xml');
const issued = await post('/issue', `csrf=${csrf}&path=letters/petition-2022.xml&token=${pageRef}`);
check('issued', issued.status, 303);
const result = (await get(issued.headers.location)).body.toString();
const cli = missive(twin, ['issue', 'letters/petition-2022.xml'], env);
check('the page issues what missive issue issues', result.match(/class="reference"><a[^>]*>([^<]*)</)?.[1], cli.stdout.trim());
const mine = JSON.parse(missive(dir, ['register', 'show', '--json', cli.stdout.trim()], env).stdout);
const theirs = JSON.parse(missive(twin, ['register', 'show', '--json', cli.stdout.trim()], env).stdout);
// The PDF and the merged source hold the issue time; the text does not.
check('the archived text: byte for byte the command\'s',
  mine.files.find((f) => f.role === 'text').sha256, theirs.files.find((f) => f.role === 'text').sha256);
const same = (e) => ({ ...e, recorded_at: 0, hash: 0, entry: 0, files: e.files.map((f) => f.role) });
check('the register entry: the command\'s (but the time and the chain)', same(mine), same(theirs));
fs.rmSync(twin, { recursive: true, force: true });
const byPage = cells((await get('/register?series=PT')).body.toString().split('<tbody>')[1] || '').map((c) => c[0]);
check('register?series=PT: the petition, as register list --series PT',
  [byPage, JSON.parse(missive(dir, ['register', 'list', '--json', '--series', 'PT'], env).stdout).map((e) => e.reference)],
  [[mine.reference], [mine.reference]]);

// Reprint and verify change things: POST only, with the CSRF token.
check('GET /register/verify: refused', (await get('/register/verify')).status, 405);
check('GET /register/reprint: refused', (await get(`/register/reprint?ref=${encodeURIComponent(mine.reference)}`)).status, 405);
check('reprint without the CSRF token: refused',
  (await post('/register/reprint', `ref=${encodeURIComponent(mine.reference)}`)).status, 403);
const reprint = (await post('/register/reprint', `csrf=${csrf}&ref=${encodeURIComponent(mine.reference)}`)).body.toString();
const written = [...reprint.matchAll(/<li>([^<]*)<\/li>/g)].map((m) => m[1]);
const cliReprint = missive(dir, ['reprint', mine.reference, '-o', path.join(dir, 'cli-reprint')], env);
check('reprint: the files missive reprint writes', written.map((f) => path.basename(f)),
  cliReprint.stdout.trim().split('\n').map((f) => path.basename(f)));
for (const f of written)
  check(`reprinted ${path.basename(f)}: byte for byte the command's`,
    Buffer.compare(fs.readFileSync(path.join(dir, f)), fs.readFileSync(path.join(dir, 'cli-reprint', path.basename(f)))), 0);

// The page and the command issuing at the same moment: the register's
// lock orders them, each letter gets its own number.
for (const n of [2, 3])
  fs.writeFileSync(path.join(dir, 'letters', `z${n}.xml`), fs.readFileSync(path.join(dir, 'letters', 'zhanaozen-2021.xml')));
const t3 = await confirmation('letters/z3.xml');
const [viaCli, viaPage] = await Promise.all([
  new Promise((done) => {
    const child = spawn(MISSIVE, ['issue', 'letters/z2.xml'], { cwd: dir, env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.on('exit', (code) => done([code, out.trim()]));
  }),
  post('/issue', `csrf=${csrf}&path=letters/z3.xml&token=${t3}`),
]);
const pageResult = (await get(viaPage.headers.location)).body.toString().match(/class="reference"><a[^>]*>([^<]*)</)?.[1];
check('concurrent issues: both issued, different numbers', [viaCli[0], viaPage.status, viaCli[1] !== pageResult && !!pageResult], [0, 303, true]);
check('and the register verifies', missive(dir, ['register', 'verify'], env).status, 0);

// A signed letter: its entry shows the signatures as verify-pdf checks
// them, before and after a byte is added to the archived PDF.
const signedDir = workspace();
const keys = path.join(signedDir, 'keys');
spawnSync('bash', [path.join(ROOT, 'tests', 'sign', 'make-ca.sh'), keys]);
const people = path.join(signedDir, 'letters', 'signatories.ini');
fs.writeFileSync(people, fs.readFileSync(people, 'utf8').replace('[warda]\n', '[warda]\nkey = keys/warda.p12\n'));
fs.appendFileSync(path.join(signedDir, 'missive.ini'), '\n[signing]\ntrust = keys/ca.pem\n\n[passphrases]\nwarda = keys/warda.pass\n');
fs.writeFileSync(path.join(keys, 'warda.pass'), 'secret\n');
const signedRef = missive(signedDir, ['issue', 'letters/kazakhstan-2011.xml'], env).stdout.trim();
let signedPdf = JSON.parse(missive(signedDir, ['register', 'show', '--json', signedRef], env).stdout)
  .files.find((f) => f.role === 'pdf').path;
const signedServer = await serve(signedDir, env);
const signaturesShown = async () => {
  const r = await request(signedServer.port, 'GET', `/register/entry?ref=${encodeURIComponent(signedRef)}`,
    { Cookie: signedServer.cookie });
  const list = r.body.toString().split('id="signatures">')[1]?.split('</ul>')[0] || '';
  return [...list.matchAll(/<li class="[a-z]+">(.*?)<\/li>/g)].map((m) => m[1]);
};
const verifyPdf = () => {
  const file = path.join('archive', signedPdf);
  const r = missive(signedDir, ['verify-pdf', file], env);
  return [...r.stdout.trim().split('\n'), ...r.stderr.trim().split('\n')].filter((l) => l)
    .map((l) => l.slice(file.length + 2));
};
const signedLines = verifyPdf();
check('a signed letter: verify-pdf finds its signature', signedLines,
  ['signature 1 of 1: Manfred Warda (Signature1): valid, trusted, covers the whole file']);
check('its entry shows the signatures as verify-pdf checks them', await signaturesShown(), signedLines);
// Signing later from the page, as `missive sign REF` does: the second
// signatory's key is configured here now.
const entryPage = async () => (await request(signedServer.port, 'GET',
  `/register/entry?ref=${encodeURIComponent(signedRef)}`, { Cookie: signedServer.cookie })).body.toString();
const unsignedPage = await entryPage();
check('an entry one signatory has not signed: the sign button',
  [unsignedPage.includes('id="sign"'), unsignedPage.includes('1 of 2 signatories signed this letter.')], [true, true]);
fs.writeFileSync(people, fs.readFileSync(people, 'utf8').replace('[raina]\n', '[raina]\nkey = keys/malentacchi.p12\n'));
fs.appendFileSync(path.join(signedDir, 'missive.ini'), 'raina = keys/raina.pass\n');
fs.writeFileSync(path.join(keys, 'raina.pass'), 'secret\n');
const signedCsrf = unsignedPage.match(/name="csrf" content="([0-9a-f]+)"/)[1];
const signPost = (body) => request(signedServer.port, 'POST', '/register/sign',
  { Cookie: signedServer.cookie, 'Content-Type': 'application/x-www-form-urlencoded' }, body);
check('GET /register/sign: refused', (await request(signedServer.port, 'GET',
  `/register/sign?ref=${encodeURIComponent(signedRef)}`, { Cookie: signedServer.cookie })).status, 405);
check('sign without the CSRF token: refused', (await signPost(`ref=${encodeURIComponent(signedRef)}`)).status, 403);
const entriesBefore = missive(signedDir, ['register', 'list'], env).stdout;
const signResult = (await signPost(`csrf=${signedCsrf}&ref=${encodeURIComponent(signedRef)}`)).body.toString();
check('sign: the line missive sign prints', signResult.match(/id="signed">(.*?)<\/p>/)?.[1],
  `${signedRef}: signed by Jyrki Raina (2 signatures now, 2 signatories)`);
const newestPdf = JSON.parse(missive(signedDir, ['register', 'show', '--json', signedRef], env).stdout).signed_pdf?.path;
const both = missive(signedDir, ['verify-pdf', path.join('archive', newestPdf || 'none')], env).stdout.trim().split('\n')
  .map((l) => l.slice(l.indexOf(': ') + 2));
check('the newest signed PDF: both signatures, as verify-pdf checks them', both,
  ['signature 1 of 2: Manfred Warda (Signature1): valid, trusted',
    'signature 2 of 2: Marcello Malentacchi (Signature2): valid, trusted, covers the whole file']);
check('the entry shows them, and no sign button', [await signaturesShown(), (await entryPage()).includes('id="sign"')],
  [both, false]);
const again2 = (await signPost(`csrf=${signedCsrf}&ref=${encodeURIComponent(signedRef)}`)).body.toString();
check('signing again: refused as missive sign refuses it, nothing recorded',
  [again2.includes('id="not-signed"'), missive(signedDir, ['register', 'verify'], env).status],
  [true, 0]);
check('the register lists the letter once still', missive(signedDir, ['register', 'list'], env).stdout, entriesBefore);
signedPdf = newestPdf; // what the entry shows now, and what is tampered with below
fs.appendFileSync(path.join(signedDir, 'archive', signedPdf), '%% added\n');
const tamperedLines = verifyPdf();
check('bytes added after the signature: verify-pdf says so', tamperedLines.at(-1), 'error: bytes were added after the last signature');
// The entry page reads the PDF through the register, which checks its hash
// first: a changed archived file is named as such (as `register verify`
// names it), and its signatures are not shown as if they held.
const tamperedShown = await signaturesShown();
check('and the entry says the archived PDF changed',
  [tamperedShown.length, /^error: archived pdf .* has changed: SHA-256 [0-9a-f]{64}, \d+ bytes; the register recorded [0-9a-f]{64}, \d+ bytes$/.test(tamperedShown[0] || '')],
  [1, true]);
const unsigned = (await get(`/register/entry?ref=${encodeURIComponent(entry.reference)}`)).body.toString();
check('an unsigned letter: no signatures shown', unsigned.includes('id="signatures"'), false);
await signedServer.stop();
fs.rmSync(signedDir, { recursive: true, force: true });

// A clean stop.
const stopped = await s.stop('SIGINT');
check('SIGINT: exit 0', [stopped.code, /stopped \(SIGINT\)/.test(stopped.out)], [0, true]);
const again = await serve(dir, env);
check('a new start has a new token', again.token !== s.token, true);
check('SIGTERM: exit 0', (await again.stop()).code, 0);
fs.rmSync(dir, { recursive: true, force: true });
fs.rmSync(path.join(path.dirname(dir), 'missive-secret.txt'), { force: true });
finish('serve-safety');
