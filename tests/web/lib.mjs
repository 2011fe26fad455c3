// lib.mjs — shared by the tests of `missive serve`: checks counted as
// tests/lib.sh does ("NAME: N checks, M failed"), a copy of the example
// workspace in a temporary folder, and the server started on a free port
// (port 0: the kernel picks) and stopped with SIGTERM.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const MISSIVE = process.env.MISSIVE && path.resolve(process.env.MISSIVE);
if (!MISSIVE) throw new Error('set MISSIVE to the missive binary');

let checks = 0, failed = 0;
export function check(what, actual, expected) {
  checks++;
  const a = typeof actual === 'string' ? actual : JSON.stringify(actual);
  const e = typeof expected === 'string' ? expected : JSON.stringify(expected);
  if (a !== e) {
    failed++;
    console.error(`FAIL: ${what}\n  expected: ${e.slice(0, 2000)}\n  actual:   ${a.slice(0, 2000)}`);
  }
}
export function finish(name) {
  console.log(`${name}: ${checks} checks, ${failed} failed`);
  process.exitCode = checks > 0 && failed === 0 ? 0 : 1;
}

// A fresh copy of the example workspace (the files missive reads).
export function workspace() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'missive-web-'));
  for (const f of ['missive.ini', 'letters', 'templates', 'fonts'])
    fs.cpSync(path.join(ROOT, f), path.join(dir, f), { recursive: true });
  return dir;
}

// Runs the missive command in dir: { status, stdout, stderr }.
export function missive(dir, args, env = {}) {
  const r = spawnSync(MISSIVE, args, { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Starts `missive serve --port 0` in dir; resolves once it printed its URL.
export function serve(dir, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(MISSIVE, ['serve', '--port', '0'], {
      cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '', err = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}${err}`)), 10000);
    child.stderr.on('data', (d) => { err += d; });
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)\/\?token=([0-9a-f]+)/);
      if (m && !child.started) {
        child.started = true;
        clearTimeout(timer);
        const port = Number(m[1]);
        resolve({
          child, port, token: m[2], url: m[0], base: `http://127.0.0.1:${port}`,
          cookie: `missive_token_${port}=${m[2]}`,
          output: () => out, errors: () => err,
          // SIGTERM (or SIGINT); resolves with the exit code and what it printed.
          stop: (signal = 'SIGTERM') => new Promise((done) => {
            child.on('exit', (code) => done({ code, out, err }));
            child.kill(signal);
          }),
        });
      }
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}${err}`)));
  });
}
