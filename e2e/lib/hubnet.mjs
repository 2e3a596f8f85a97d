// A real `hubnet serve --demo` on loopback, on a fresh SQLite database in a temporary directory.
//
// The server listens on port 0 and prints the address it got, so parallel test files never race
// for a port. It runs with --exit-on-stdin-eof: if this Node process dies, the pipe closes and the
// server stops with it.

import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The binary under test: $HUBNET_BIN, or target/debug/hubnet in the repository. */
export const hubnetBin = path.resolve(repoRoot, process.env.HUBNET_BIN || 'target/debug/hubnet');

const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 15_000;

/**
 * Starts hubnet with the demo network and waits until /healthz answers 200.
 * @returns {Promise<{url: string, databaseUrl: string, output: () => string, stop: () => Promise<void>}>}
 */
export async function startHubnet({ extraArgs = [] } = {}) {
  const dir = await mkdtemp(path.join(tmpdir(), 'hubnet-e2e-'));
  const databaseUrl = `sqlite://${path.join(dir, 'hubnet.db')}`;
  const args = ['serve', '--demo', '--listen', '127.0.0.1:0', '--database-url', databaseUrl, '--exit-on-stdin-eof', ...extraArgs];
  const child = spawn(hubnetBin, args, {
    cwd: dir,
    env: serverEnv(),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const spawnFailed = new Promise((_, reject) => child.once('error', reject));
  // Keep draining both pipes for the server's whole life so it never blocks on a full pipe.
  child.stderr.setEncoding('utf8').on('data', (chunk) => { output += chunk; });
  const address = new Promise((resolve) => {
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      output += chunk;
      const match = /^hubnet listening on (http:\/\/\S+)$/m.exec(output);
      if (match) resolve(match[1]);
    });
  });

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.stdin.end(); // asks for a graceful shutdown
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };

  try {
    const url = await withTimeout(
      Promise.race([
        address,
        spawnFailed,
        exited.then(({ code, signal }) => { throw new Error(`hubnet exited early (code ${code}, signal ${signal})`); }),
      ]),
      START_TIMEOUT_MS,
      'hubnet did not print its address',
    );
    await waitForHealth(url, Date.now() + START_TIMEOUT_MS);
    return { url, databaseUrl, output: () => output, stop };
  } catch (error) {
    await stop();
    throw new Error(`${error.message}\n  binary: ${hubnetBin} ${args.join(' ')}\n  output:\n${output}`, { cause: error });
  }
}

/**
 * The server's environment: ours without any HUBNET_* variable, since hubnet refuses unknown
 * ones (HUBNET_BIN, HUBNET_SCREENSHOTS, scripts/test's HUBNET_TEST_DATABASE_URL) and the
 * arguments say all it needs. Only the log level is passed on.
 */
function serverEnv() {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('HUBNET_')));
  env.HUBNET_LOG_LEVEL = process.env.HUBNET_LOG_LEVEL || 'warn';
  return env;
}

async function waitForHealth(url, deadline) {
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5_000) });
      if (response.status === 200) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = error.message; // not accepting connections yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`hubnet's /healthz did not answer 200 in time (last: ${last})`);
}

function withTimeout(promise, ms, message) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${message} within ${ms / 1000} s`)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
