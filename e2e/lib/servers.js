// Starts and stops the servers the browser tests talk to:
// - Trellis itself (target/debug/trellis serve) on a free loopback port with a fresh data dir;
// - a tiny neutral site ("Weather") that quick exit sends people to.
// Nothing is built here: scripts/test builds the binary first.
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const TRELLIS_BIN = process.env.TRELLIS_BIN || path.join(REPO_ROOT, 'target', 'debug', 'trellis');
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;

/** Every child we started, so a crash of the runner still ends them. */
const children = new Set();
process.on('exit', () => {
  for (const child of children) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
});

/** A free TCP port on 127.0.0.1, chosen by the kernel and released for the server to take. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const NEUTRAL_HTML = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Weather</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>Weather</h1><p>Light rain this morning, clearing by the afternoon. 14&deg;C.</p></main></body>
</html>
`;

/** The neutral quick-exit destination: a page titled "Weather" at `/`. */
async function startNeutral() {
  const server = http.createServer((req, res) => {
    // Swallow request bodies (none expected), answer every path with the same page.
    req.resume();
    res.writeHead(req.url === '/' || req.url.startsWith('/?') ? 200 : 404, {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
    });
    res.end(NEUTRAL_HTML);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    origin: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/**
 * Starts `trellis serve` on a free port with a fresh temporary data directory.
 * Resolves once the server prints its `http://127.0.0.1:PORT` line.
 */
async function startTrellis({ exitUrl, extraEnv = {} } = {}) {
  if (!fs.existsSync(TRELLIS_BIN)) {
    throw new Error(`${TRELLIS_BIN} does not exist: run \`cargo build -p trellis\` first`);
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trellis-e2e-'));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    TRELLIS_KDF_MEMORY_KIB: '19456',
    TRELLIS_KDF_ITERATIONS: '2',
    TRELLIS_EXIT_URL: exitUrl,
    TRELLIS_LOG: process.env.TRELLIS_LOG || 'info',
    ...extraEnv,
  };
  const child = spawn(TRELLIS_BIN, ['serve', '--data-dir', dataDir, '--bind', `127.0.0.1:${port}`], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let log = '';
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  await new Promise((resolve, reject) => {
    let done = false;
    const finish = (err) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      err ? reject(err) : resolve();
    };
    const onData = (chunk) => {
      log += chunk.toString();
      if (log.includes(origin)) finish();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', (e) => finish(e));
    exited.then(({ code, signal }) =>
      finish(new Error(`trellis exited early (code ${code}, signal ${signal}). Output:\n${log}`)),
    );
    const timer = setTimeout(
      () => finish(new Error(`trellis did not print ${origin} within ${START_TIMEOUT_MS} ms. Output:\n${log}`)),
      START_TIMEOUT_MS,
    );
  });

  return {
    origin,
    port,
    dataDir,
    pid: child.pid,
    log: () => log,
    url: (p = '/') => origin + p,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timeout = new Promise((r) => setTimeout(() => r('timeout'), STOP_TIMEOUT_MS));
        if ((await Promise.race([exited, timeout])) === 'timeout') {
          child.kill('SIGKILL');
          await exited;
        }
      }
      children.delete(child);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

module.exports = { startTrellis, startNeutral, freePort, TRELLIS_BIN, REPO_ROOT };
