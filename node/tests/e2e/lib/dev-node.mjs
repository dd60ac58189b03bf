// Shared helpers for the cxmpute-node end-to-end tests.
//
// startDevNode() spawns `cxmpute-node --dev --tmp` on free loopback ports, by default sealing blocks
// on demand (`--sealing instant`: a block as soon as a transaction arrives, finalized at once), and
// connects a Polkadot.js ApiPromise once its JSON-RPC server answers. `startDevNode({ sealing: null })`
// runs real Aura + GRANDPA instead (6-second slots) and waits for block #1.
// On a sealing node, createBlocks() stands in for the clock: N empty blocks, each one slot later.
// The node's stdout/stderr go to a log file under the OS tmp dir; its tail is printed when something fails.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { ApiPromise, WsProvider } from '@polkadot/api';

/** Path of the node binary: $CXMPUTE_NODE, else ${CARGO_TARGET_DIR:-$HOME/.cache/cxmpute/target}/release/cxmpute-node. */
export function nodeBinaryPath() {
  if (process.env.CXMPUTE_NODE) return process.env.CXMPUTE_NODE;
  const targetDir = process.env.CARGO_TARGET_DIR || path.join(os.homedir(), '.cache', 'cxmpute', 'target');
  return path.join(targetDir, 'release', 'cxmpute-node');
}

/** Reject with a descriptive error if `promise` does not settle within `ms`. */
export async function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
async function freePort() {
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

/** Last `lines` lines of a file ('' if it cannot be read). */
export function tailFile(file, lines = 60) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

async function rpcCall(url, method, params = []) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal: AbortSignal.timeout(2_000),
  });
  const body = await res.json();
  if (body.error) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}

/**
 * Start a single-validator dev chain and connect to it.
 * `sealing`: 'instant' (default), 'manual', or null for Aura + GRANDPA.
 * Returns { api, binary, sealing, rpcPort, p2pPort, logFile, printLogTail(), stop() }.
 * `stop()` is idempotent and safe to call even when start-up only got half way.
 */
export async function startDevNode({ startupTimeoutMs = 90_000, extraArgs = [], sealing = 'instant' } = {}) {
  const binary = nodeBinaryPath();
  if (!fs.existsSync(binary)) {
    throw new Error(`node binary not found at ${binary} (build it, or set CXMPUTE_NODE)`);
  }

  const rpcPort = await freePort();
  let p2pPort = await freePort();
  while (p2pPort === rpcPort) p2pPort = await freePort();

  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cxmpute-e2e-'));
  const logFile = path.join(logDir, 'node.log');
  const logFd = fs.openSync(logFile, 'a');

  const args = [
    '--dev', '--tmp',
    '--rpc-port', String(rpcPort),
    '--port', String(p2pPort),
    '--no-prometheus',
    ...(sealing ? ['--sealing', sealing] : []),
    ...extraArgs,
  ];
  const child = spawn(binary, args, { stdio: ['ignore', logFd, logFd] });
  fs.closeSync(logFd); // the child holds its own copy

  let exited = null; // { code, signal } once the process is gone
  const exitPromise = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve(exited);
    });
  });
  child.once('error', (err) => {
    exited = exited || { code: null, signal: null, error: err };
  });
  // Never leave a node behind if the test process itself goes away.
  const killOnExit = () => {
    if (!exited) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  let api = null;
  let stopped = false;
  const handle = {
    binary, sealing, rpcPort, p2pPort, logFile, child,
    get api() { return api; },
    printLogTail(lines = 60) {
      console.error(`\n----- last ${lines} lines of ${logFile} -----\n${tailFile(logFile, lines)}\n----- end of node log -----`);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (api) {
        try { await withTimeout(api.disconnect(), 5_000, 'api.disconnect()'); } catch { /* ignore */ }
      }
      if (!exited) {
        // SIGTERM rather than SIGINT: SIGINT may be inherited as ignored when run from a background job.
        child.kill('SIGTERM');
        const res = await Promise.race([exitPromise, sleep(10_000).then(() => null)]);
        if (!res) {
          child.kill('SIGKILL');
          await Promise.race([exitPromise, sleep(5_000)]);
        }
      }
      process.removeListener('exit', killOnExit);
    },
  };

  const url = `http://127.0.0.1:${rpcPort}`;
  const deadline = Date.now() + startupTimeoutMs;
  try {
    // 1. wait until the RPC server answers and, on Aura, block #1 exists (the node authors and
    //    imports blocks); a sealing node has no block until something asks for one.
    let lastErr = null;
    for (;;) {
      if (exited) {
        throw new Error(`${binary} exited during start-up (code ${exited.code}, signal ${exited.signal}${exited.error ? `, ${exited.error.message}` : ''})`);
      }
      if (Date.now() > deadline) {
        throw new Error(`node did not serve RPC${sealing ? '' : ' and author block #1'} on port ${rpcPort} within ${startupTimeoutMs} ms (last error: ${lastErr?.message ?? 'none'})`);
      }
      try {
        const header = await rpcCall(url, 'chain_getHeader');
        if (header && (sealing || parseInt(header.number, 16) >= 1)) break;
        lastErr = new Error(`best block is #${parseInt(header?.number ?? '0x0', 16)}`);
      } catch (err) {
        lastErr = err;
      }
      await sleep(500);
    }

    // 2. connect Polkadot.js (bounded: a dead node would otherwise make it retry forever).
    const provider = new WsProvider(`ws://127.0.0.1:${rpcPort}`, 1_000, {}, 10_000);
    api = await withTimeout(
      ApiPromise.create({ provider, throwOnConnect: true, noInitWarn: true }),
      Math.max(5_000, deadline - Date.now()),
      `ApiPromise.create(ws://127.0.0.1:${rpcPort})`,
    );
    return handle;
  } catch (err) {
    handle.printLogTail();
    await handle.stop();
    throw err;
  }
}

/**
 * Sign and submit `tx`, resolve once the block containing it is FINALIZED.
 * Resolves { blockHash, blockNumber, txIndex, events, dispatchError, txHash }; rejects on Invalid/Dropped/Usurped/
 * FinalityTimeout/Retracted or on timeout.
 */
export async function signSendAndFinalize(api, tx, signer, { timeoutMs = 120_000 } = {}) {
  let unsub = null;
  const done = new Promise((resolve, reject) => {
    tx.signAndSend(signer, (result) => {
      const { status } = result;
      if (status.isInvalid || status.isDropped || status.isUsurped || status.isFinalityTimeout) {
        reject(new Error(`transaction ${tx.hash.toHex()} ended with status ${status.type}`));
      } else if (status.isFinalized) {
        resolve({
          blockHash: status.asFinalized,
          txIndex: result.txIndex,
          events: result.events,
          dispatchError: result.dispatchError ?? null,
          txHash: result.txHash,
        });
      }
    }).then((u) => { unsub = u; }, reject);
  });
  try {
    const res = await withTimeout(done, timeoutMs, `finalization of ${tx.method.section}.${tx.method.method}`);
    const header = await api.rpc.chain.getHeader(res.blockHash);
    return { ...res, blockNumber: header.number.toNumber(), parentHash: header.parentHash };
  } finally {
    if (unsub) unsub();
  }
}

/** Wraps a test body so that when it throws, the tail of the node's log is printed first. */
export const printLogOnFailure = (getNode) => (fn) => async (t) => {
  try {
    await fn(t);
  } catch (err) {
    getNode()?.printLogTail();
    throw err;
  }
};

/** Whether the node behind `api` seals blocks on demand (it serves `engine_createBlock`). */
export const isSealing = (api) => typeof api.rpc.engine?.createBlock === 'function';

/**
 * Seal `n` empty blocks one after the other on a sealing node (each one slot later than its
 * parent, so deadlines and epochs pass as they would on Aura). Finalized unless `finalize` is
 * false. Resolves the hash of the last one.
 */
export async function createBlocks(api, n = 1, { finalize = true } = {}) {
  if (!isSealing(api)) throw new Error('createBlocks needs a node started with --sealing');
  let hash = null;
  for (let i = 0; i < n; i += 1) {
    hash = (await api.rpc.engine.createBlock(true, finalize)).blockHash;
  }
  return hash;
}

/**
 * Send `items` ([tx, signer] pairs) so that they land in ONE block, on a node started with
 * `--sealing manual`: each is signed and sent, in order, once the previous one is in the pool
 * (so one signer's nonces follow each other); then one block is sealed and finalized. Resolves
 * each item's result as signSendAndFinalize does, all with the same blockHash.
 */
export async function sendInOneBlock(api, items, { timeoutMs = 60_000 } = {}) {
  if (!isSealing(api)) throw new Error('sendInOneBlock needs a node started with --sealing manual');
  const watchers = [];
  const unsubs = [];
  try {
    for (const [tx, signer] of items) {
      let inPool;
      const ready = new Promise((resolve) => { inPool = resolve; });
      const finalized = new Promise((resolve, reject) => {
        tx.signAndSend(signer, { nonce: -1 }, (result) => {
          const { status } = result;
          if (status.isReady) inPool();
          if (status.isInvalid || status.isDropped || status.isUsurped) {
            reject(new Error(`transaction ${tx.method.section}.${tx.method.method} ended with status ${status.type}`));
          } else if (status.isFinalized) {
            resolve({ blockHash: status.asFinalized, txIndex: result.txIndex, events: result.events, dispatchError: result.dispatchError ?? null, txHash: result.txHash });
          }
        }).then((u) => unsubs.push(u), reject);
      });
      finalized.catch(() => {}); // awaited below; do not let a rejection go unhandled meanwhile
      await withTimeout(Promise.race([ready, finalized]), timeoutMs, `${tx.method.section}.${tx.method.method} reaching the pool`);
      watchers.push(finalized);
    }
    await api.rpc.engine.createBlock(false, true);
    const results = await withTimeout(Promise.all(watchers), timeoutMs, 'finalization of the sealed block');
    const header = await api.rpc.chain.getHeader(results[0].blockHash);
    return results.map((r) => ({ ...r, blockNumber: header.number.toNumber(), parentHash: header.parentHash }));
  } finally {
    for (const u of unsubs) u();
  }
}

/** Free balance of `address` at block `hash` (as BigInt). */
export async function freeBalanceAt(api, hash, address) {
  const apiAt = await api.at(hash);
  const { data } = await apiAt.query.system.account(address);
  return data.free.toBigInt();
}

/** Human-readable name of a DispatchError: "balances.InsufficientBalance", "Token.FundsUnavailable", ... */
export function describeDispatchError(api, dispatchError) {
  if (dispatchError.isModule) {
    const { section, name, docs } = api.registry.findMetaError(dispatchError.asModule);
    return { kind: 'Module', name: `${section}.${name}`, docs: docs.join(' ') };
  }
  const kind = dispatchError.type;
  const inner = dispatchError.value;
  const sub = inner && typeof inner.type === 'string' ? inner.type : (inner && !inner.isEmpty ? inner.toString() : '');
  return { kind, name: sub ? `${kind}.${sub}` : kind, docs: '' };
}
