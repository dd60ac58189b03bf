// Helpers to drive the real `cxmpute-worker` binary from Node: where it and its assets are, the
// Docker engine it uses, and running its subcommands. Shared by worker.test.mjs and the demo.

import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { u8aToHex } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';

import { assertOk } from './assertions.mjs';
import { signSendAndFinalize } from './dev-node.mjs';

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
