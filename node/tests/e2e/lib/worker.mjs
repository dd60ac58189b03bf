// Helpers to drive the real `cxmpute-worker` binary from Node: where it and its assets are, the
// Docker engine it uses, running its subcommands, the hashes it puts on chain, and a harness that
// sets up a provision served by it on a dev node. Shared by the worker test files and the demo.

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { Keyring } from '@polkadot/keyring';
import { stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';

import { assertOk } from './assertions.mjs';
import { createBlocks, signSendAndFinalize, tailFile } from './dev-node.mjs';

const HOME = os.homedir();

/** The worker binary: $CXMPUTE_WORKER, else the first of $CARGO_TARGET_DIR/release and the worker's default target dir. */
export const WORKER_BIN = process.env.CXMPUTE_WORKER || [
  process.env.CARGO_TARGET_DIR && path.join(process.env.CARGO_TARGET_DIR, 'release', 'cxmpute-worker'),
  path.join(HOME, '.cache', 'cxmpute', 'target-worker', 'release', 'cxmpute-worker'),
].filter(Boolean).find((p) => fs.existsSync(p)) || path.join(HOME, '.cache', 'cxmpute', 'target-worker', 'release', 'cxmpute-worker');
/** ONNX Runtime and the models (scripts/worker-assets.sh). */
export const ASSETS = process.env.CXMPUTE_ASSETS || path.join(HOME, '.cache', 'cxmpute', 'assets');
/** The Docker engine's socket (scripts/docker-dev.sh). */
export const DOCKER_SOCK = (process.env.DOCKER_HOST || `unix://${path.join(HOME, '.cache', 'cxmpute', 'docker', 'docker.sock')}`).replace(/^unix:\/\//, '');
/** The offline test image scripts/docker-dev.sh imports. */
export const IMAGE = 'cxmpute/busybox:local';

/** GET over the Docker engine's unix socket; resolves { status, body }. */
export function dockerGet(apiPath) {
  return new Promise((resolve, reject) => {
    const req = http.get({ socketPath: DOCKER_SOCK, path: apiPath, timeout: 5_000 }, (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
  });
}

/** Fails with what to run when the binary, the assets or the engine are missing; returns the image id ("sha256:<64 hex>"). */
export async function checkWorkerPrerequisites() {
  const missing = [];
  if (!fs.existsSync(WORKER_BIN)) {
    missing.push(`worker binary ${WORKER_BIN} (cd worker && CARGO_TARGET_DIR=$HOME/.cache/cxmpute/target-worker cargo build --release, or set CXMPUTE_WORKER)`);
  }
  if (!fs.existsSync(path.join(ASSETS, 'libonnxruntime.so')) || !fs.existsSync(path.join(ASSETS, 'models', 'minilm'))
    || !fs.existsSync(path.join(ASSETS, 'models', 'tiny-decoder', 'model.onnx'))) {
    missing.push(`ONNX Runtime, MiniLM and the tiny decoder under ${ASSETS} (run scripts/worker-assets.sh, or set CXMPUTE_ASSETS)`);
  }
  let imageId = null;
  try {
    const res = await dockerGet(`/images/${encodeURIComponent(IMAGE)}/json`);
    if (res.status === 200) imageId = JSON.parse(res.body).Id;
    else missing.push(`image ${IMAGE} in the Docker engine at ${DOCKER_SOCK} (run scripts/docker-dev.sh)`);
  } catch (err) {
    missing.push(`a Docker engine at ${DOCKER_SOCK} (${err.message}; run scripts/docker-dev.sh, or set DOCKER_HOST)`);
  }
  if (missing.length) throw new Error(`worker prerequisites missing:\n  - ${missing.join('\n  - ')}`);
  return imageId;
}

/** A TCP port nobody listens on now. */
export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Runs the worker binary to completion; resolves stdout, rejects with stderr on failure. */
export function workerCmd(args, env) {
  try {
    return execFileSync(WORKER_BIN, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000 });
  } catch (err) {
    throw new Error(`cxmpute-worker ${args.join(' ')} failed (${err.status}):\n${err.stdout}\n${err.stderr}`);
  }
}

/** Starts `cxmpute-worker run` logging to `logFile`; returns { child, exited }. */
export function startWorker(configFile, env, logFile) {
  const fd = fs.openSync(logFile, 'a');
  const child = spawn(WORKER_BIN, ['run', '--config', configFile], { env, stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  exited.then(() => process.removeListener('exit', kill));
  return { child, exited };
}

/** The tiny decoder's model id: blake2b-256 of its ONNX file (needs cryptoWaitReady). */
export function tinyDecoderId() {
  return u8aToHex(blake2AsU8a(fs.readFileSync(path.join(ASSETS, 'models', 'tiny-decoder', 'model.onnx')), 256));
}

/**
 * The worker's config file for a dev chain at `rpcPort`: one provision offering Embeddings
 * (MiniLM), Inference on the tiny decoder and Container, from the assets' model directory.
 */
export function writeWorkerConfig(file, { rpcPort, keyFile, port, dataDir, embeddingsPrice = 20 }) {
  fs.writeFileSync(file, [
    '[chain]', `url = "ws://127.0.0.1:${rpcPort}"`,
    '[worker]', `key_file = "${keyFile}"`, `listen = "127.0.0.1:${port}"`, `data_dir = "${dataDir}"`,
    'grace_period_s = 20', 'batch_delay_ms = 200',
    // A wide batch window: jobs accepted together reach the model within it even on a busy CI machine.
    '[models]', `dir = "${path.join(ASSETS, 'models')}"`, `ort_dylib = "${path.join(ASSETS, 'libonnxruntime.so')}"`, 'batch_window_ms = 200',
    '[containers]', 'max_cpus = 1.0', 'max_memory_mb = 512',
    '[provision]', 'region = "eu-west"', 'capacity = 8',
    '[provision.hardware]', 'vram_mb = 0', 'cpu_cores = 2', 'ram_mb = 4096', 'disk_gb = 10',
    '[[provision.services]]', 'kind = "Embeddings"', `price = ${embeddingsPrice}`,
    '[[provision.services]]', 'kind = "Inference"', 'price = 300', `models = ["${tinyDecoderId()}"]`,
    '[[provision.services]]', 'kind = "Container"', 'price = 1000',
    '',
  ].join('\n'));
}

/**
 * The accounts around a one-provider dev chain: root (Alice) turns spot checks off, since a check
 * needs a second provider; Eve funds the worker key with 10 CXM and bonds the Tide Pool minimum;
 * Dave deposits 10 USD of credits.
 */
export async function fundProviderAndUser(api, { alice, provider, user, workerAddress }) {
  const CXM = 10n ** 12n;
  const USD = 1_000_000n;
  const minStake = (await api.query.providerStaking.minStakeOf('TidePool')).toBigInt();
  const [sudoRes, setupRes, depositRes] = await Promise.all([
    signSendAndFinalize(api, api.tx.sudo.sudo(api.tx.matching.setParams({ spotCheckRate: 0, nearEqualBand: 50_000 })), alice),
    signSendAndFinalize(api, api.tx.utility.batchAll([
      api.tx.balances.transferKeepAlive(workerAddress, 10n * CXM),
      api.tx.providerStaking.bond(minStake),
    ]), provider),
    signSendAndFinalize(api, api.tx.billing.deposit(10n * USD), user),
  ]);
  assertOk(api, sudoRes, 'setParams');
  assertOk(api, setupRes, 'fund the worker key and bond');
  assertOk(api, depositRes, 'deposit');
}

/** int8 quantisation as the worker does it (round half away from zero, clamp ±127). */
const q8 = (v) => {
  const x = 127 * v;
  const r = Math.sign(x) * Math.round(Math.abs(x));
  return Math.max(-127, Math.min(127, r));
};
const u64le = (n) => { const b = new Uint8Array(8); new DataView(b.buffer).setBigUint64(0, BigInt(n), true); return b; };
const u32le = (n) => { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, n, true); return b; };

/** The worker's canonical embeddings hash: blake2_256("cxmpute:emb:q8:v1" ‖ job ‖ n ‖ dim ‖ q8). */
export function embeddingsHash(job, vectors) {
  const dim = vectors[0]?.length ?? 0;
  const q = new Uint8Array(vectors.length * dim);
  vectors.forEach((v, i) => v.forEach((x, j) => { q[i * dim + j] = q8(Math.fround(x)) & 0xff; }));
  return u8aToHex(blake2AsU8a(u8aConcat(stringToU8a('cxmpute:emb:q8:v1'), u64le(job), u32le(vectors.length), u32le(dim), q), 256));
}
/** The worker's generation hash: blake2_256("cxmpute:gen:v1" ‖ job ‖ n ‖ token ids as u32 LE). */
export const generationHash = (job, tokens) => u8aToHex(blake2AsU8a(u8aConcat(stringToU8a('cxmpute:gen:v1'), u64le(job), u32le(tokens.length), ...tokens.map(u32le)), 256));
/** The worker's hash of other outputs: blake2_256("cxmpute:raw:v1" ‖ job ‖ bytes). */
export const rawHash = (job, bytes) => u8aToHex(blake2AsU8a(u8aConcat(stringToU8a('cxmpute:raw:v1'), u64le(job), bytes), 256));

/** One Prometheus histogram's _count and _sum for a label set, from /metrics text. */
export function histogram(text, name, labels) {
  const value = (suffix) => Number(new RegExp(`^${name}_${suffix}\\{${labels}\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  return { count: value('count'), sum: value('sum') };
}

/** The output bytes of a ResultSubmitted event: inline, or fetched and checked by content hash. */
export async function outputBytes(output) {
  if (output.isInline) return output.asInline.toU8a(true);
  // A Polkadot.js Struct's own `.hash` is the hash of its encoding; the field is `hash_`.
  const remote = output.asRemote;
  const hash = remote.get('hash_') ?? remote.get('hash');
  const uri = remote.get('uri');
  const res = await fetch(Buffer.from(uri.toU8a(true)).toString('utf8'));
  assert.equal(res.status, 200, `GET ${uri.toUtf8()}`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  assert.equal(u8aToHex(blake2AsU8a(bytes, 256)), hash.toHex(), 'served output matches its content hash');
  return bytes;
}

const WORKER_PASSWORD = 'e2e-worker-password';

/**
 * A provision served by the real worker on a dev node (from startDevNode): `setUp()` makes the
 * worker key (`init`), funds and bonds, registers, authorizes and starts the provision
 * (`register`), runs the worker and waits until it is Running, checking each step. Every
 * `matching` event of every finalized block is recorded in `seen`.
 *
 * On a sealing node a ticker seals a block every `tickMs` (default 1 s) from `setUp()` until
 * `stop()`: the chain's clock, 6x faster than Aura, which the worker follows since it heartbeats
 * by blocks as well as by time. `pauseTicker()` / `resumeTicker()` hold it.
 */
export class WorkerHarness {
  constructor(node, { tickMs = 1_000 } = {}) {
    this.node = node;
    this.api = node.api;
    this.tickMs = tickMs;
    this.seen = []; // { block, method, data }
    this.worker = null;
    this.ticker = null;
    this.paused = false;
  }

  /** Prerequisites, the event recorder, the worker's directory, port and environment. */
  async init() {
    this.imageId = await checkWorkerPrerequisites();
    this.unsubHeads = await this.api.rpc.chain.subscribeFinalizedHeads(async (header) => {
      try {
        const at = await this.api.at(header.hash);
        for (const { event } of await at.query.system.events()) {
          if (event.section === 'matching') this.seen.push({ block: header.number.toNumber(), method: event.method, data: event.data });
        }
      } catch { /* node going away */ }
    });
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cxmpute-worker-e2e-'));
    this.workerLog = path.join(this.dir, 'worker.log');
    this.port = await freePort();
    this.env = {
      ...process.env,
      CXMPUTE_WORKER_PASSWORD: WORKER_PASSWORD,
      DOCKER_HOST: `unix://${DOCKER_SOCK}`,
      RUST_LOG: 'info',
    };
    return this;
  }

  /** Seals a block every tickMs on a sealing node, one at a time, until stop(). */
  startTicker() {
    if (!this.node.sealing || this.ticker) return;
    let busy = false;
    this.ticker = setInterval(async () => {
      if (busy || this.paused) return;
      busy = true;
      try { await createBlocks(this.api, 1); } catch { /* node going away */ } finally { busy = false; }
    }, this.tickMs);
  }
  pauseTicker() { this.paused = true; }
  resumeTicker() { this.paused = false; }

  /** init, fund, register, run: the provision is Running, served by the worker. */
  async setUp() {
    const { api } = this;
    const kr = new Keyring({ type: 'sr25519', ss58Format: 42 });
    const alice = kr.addFromUri('//Alice');
    this.provider = kr.addFromUri('//Eve');
    this.user = kr.addFromUri('//Dave');

    // 1. The worker key (a Polkadot.js keystore file, so it imports into the keyring too).
    this.keyFile = path.join(this.dir, 'worker-key.json');
    const initOut = workerCmd(['init', '--key-file', this.keyFile], this.env);
    const keyJson = JSON.parse(fs.readFileSync(this.keyFile, 'utf8'));
    this.workerAddress = keyJson.address;
    assert.match(initOut, new RegExp(this.workerAddress));
    const imported = kr.addFromJson(keyJson);
    imported.decodePkcs8(WORKER_PASSWORD);
    assert.equal(imported.address, this.workerAddress, 'Polkadot.js decrypts the worker key file');

    this.configFile = path.join(this.dir, 'worker.toml');
    writeWorkerConfig(this.configFile, { rpcPort: this.node.rpcPort, keyFile: this.keyFile, port: this.port, dataDir: path.join(this.dir, 'data') });

    // 2. Spot checks off (one provider), the worker key funded, Eve bonded, Dave's credits.
    await fundProviderAndUser(api, { alice, provider: this.provider, user: this.user, workerAddress: this.workerAddress });

    // 3. `register` (signed by the provider) registers, authorizes the worker key and starts.
    const regOut = workerCmd(['register', '--config', this.configFile, '--provider-suri', '//Eve', '--authorize', '--start'], this.env);
    this.provision = /provision: (0x[0-9a-f]{64})/.exec(regOut)?.[1];
    assert.ok(this.provision, `no provision id in:\n${regOut}`);
    const p = (await api.query.provisions.provisions(this.provision)).unwrap();
    assert.equal(p.worker.unwrap().toString(), this.workerAddress);
    assert.equal(p.endpoint.toUtf8(), `http://127.0.0.1:${this.port}/health`);
    assert.equal(p.services.length, 3);
    const inference = p.services.find((s) => s.kind.toString() === 'Inference');
    assert.deepEqual(inference.models.map((m) => m.toHex()), [tinyDecoderId()], 'the tiny decoder is offered by its file hash');

    // 4. The worker heartbeats the provision into Running and serves /health and /metrics.
    this.startTicker();
    this.startWorker();
    const t0 = Date.now();
    await this.untilRunning();
    const health = await fetch(`http://127.0.0.1:${this.port}/health`);
    assert.equal(health.status, 200);
    assert.equal((await health.json()).provision, this.provision);
    console.log(`# provision ${this.provision} Running after ${Date.now() - t0} ms`);
  }

  startWorker() {
    this.worker = startWorker(this.configFile, this.env, this.workerLog);
    return this.worker;
  }

  /** Waits (bounded) until the provision is Running and the worker answers /health with 200. */
  async untilRunning(timeoutMs = 120_000) {
    const t0 = Date.now();
    for (;;) {
      const state = (await this.api.query.provisions.provisions(this.provision)).unwrap().state.toString();
      const healthy = await fetch(`http://127.0.0.1:${this.port}/health`).then((r) => r.status === 200, () => false);
      if (state === 'Running' && healthy) return;
      if (this.worker.child.exitCode !== null) throw new Error(`worker exited with ${this.worker.child.exitCode}`);
      if (Date.now() - t0 > timeoutMs) throw new Error(`provision ${state} (worker healthy: ${healthy}) after ${timeoutMs} ms`);
      await sleep(500);
    }
  }

  /** Waits (bounded) until `pred` holds for a seen event; returns it. */
  async untilEvent(pred, what, timeoutMs = 240_000, workerAlive = true) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const e = this.seen.find(pred);
      if (e) return e;
      if (workerAlive && this.worker && this.worker.child.exitCode !== null) throw new Error(`${what}: the worker exited (${this.worker.child.exitCode})`);
      if (Date.now() > deadline) throw new Error(`${what}: not seen within ${timeoutMs} ms`);
      await sleep(250);
    }
  }

  closedOf(job, workerAlive = true) {
    return this.untilEvent((e) => e.method === 'JobClosed' && e.data.job.toNumber() === job, `job ${job} closed`, 240_000, workerAlive);
  }

  resultOf(job) {
    return this.seen.find((e) => e.method === 'ResultSubmitted' && e.data.job.toNumber() === job)?.data;
  }

  async credits(who) {
    return (await this.api.query.billing.creditsOf(who)).toBigInt();
  }

  async metrics() {
    return (await fetch(`http://127.0.0.1:${this.port}/metrics`)).text();
  }

  printLogs() {
    this.node?.printLogTail(30);
    console.error(`\n----- last lines of ${this.workerLog} -----\n${tailFile(this.workerLog, 80)}\n----- end of worker log -----`);
  }

  async stop() {
    if (this.ticker) clearInterval(this.ticker);
    if (this.unsubHeads) this.unsubHeads();
    if (this.worker && this.worker.child.exitCode === null && this.worker.child.signalCode === null) {
      this.worker.child.kill('SIGKILL');
      await this.worker.exited;
    }
  }
}
