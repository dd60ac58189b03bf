// The demo behind the README's start command (scripts/start-dev.sh runs it against the dev node it
// started): Eve becomes a provider whose provision is served by the real `cxmpute-worker`, then
// Dave deposits credits and submits an embeddings job, a text generation job (on the tiny test
// decoder) and a container job, and the script prints what the worker answered and what billing
// paid.
//
//   node demo/provider-and-jobs.mjs [--rpc-port 9944] [--dir DIR] [--exit]
//
// Without --exit the worker keeps serving the provision (jobs you submit from Polkadot.js Apps
// run on it) until this process gets SIGINT or SIGTERM, which it passes on to the worker.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';

import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';

import { assertOk } from '../lib/assertions.mjs';
import { signSendAndFinalize } from '../lib/dev-node.mjs';
import { DOCKER_SOCK, checkWorkerPrerequisites, freePort, fundProviderAndUser, startWorker, tinyDecoderId, workerCmd, writeWorkerConfig } from '../lib/worker.mjs';

const { values: opts } = parseArgs({
  options: {
    'rpc-port': { type: 'string', default: '9944' },
    dir: { type: 'string' },
    exit: { type: 'boolean', default: false },
  },
});
const log = (msg) => console.log(`[demo] ${msg}`);

/** What a result's output says: fetched from the worker by hash when it is not inline. */
async function describeOutput(output) {
  let where = 'inline';
  let bytes;
  if (output.isInline) {
    bytes = Buffer.from(output.asInline.toU8a(true));
  } else {
    const uri = Buffer.from(output.asRemote.get('uri').toU8a(true)).toString('utf8');
    where = `served at ${uri}`;
    bytes = Buffer.from(await (await fetch(uri)).arrayBuffer());
  }
  const doc = JSON.parse(bytes.toString('utf8'));
  if (Array.isArray(doc.embeddings)) {
    const head = doc.embeddings[0].slice(0, 4).map((x) => x.toFixed(4)).join(', ');
    return `output (${where}): ${doc.embeddings.length} vectors of ${doc.dim} floats, the first starts [${head}, …]`;
  }
  if (Array.isArray(doc.tokens)) {
    return `output (${where}): ${doc.output_tokens} tokens generated from ${doc.input_tokens} (${doc.finish_reason}): [${doc.tokens.join(', ')}]`;
  }
  if (doc.stdout !== undefined) {
    return `output (${where}): exit code ${doc.exit_code}, stdout ${JSON.stringify(Buffer.from(doc.stdout, 'base64').toString('utf8'))}`;
  }
  return `output (${where}): ${bytes.length} bytes`;
}

async function main() {
  const imageId = await checkWorkerPrerequisites();
  await cryptoWaitReady();
  const api = await ApiPromise.create({ provider: new WsProvider(`ws://127.0.0.1:${opts['rpc-port']}`), noInitWarn: true });
  const kr = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const [alice, provider, user] = ['//Alice', '//Eve', '//Dave'].map((s) => kr.addFromUri(s));

  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cxmpute-demo-'));
  fs.mkdirSync(dir, { recursive: true });
  const env = {
    ...process.env,
    CXMPUTE_WORKER_PASSWORD: process.env.CXMPUTE_WORKER_PASSWORD ?? 'cxmpute-demo',
    DOCKER_HOST: `unix://${DOCKER_SOCK}`,
    RUST_LOG: process.env.RUST_LOG ?? 'info',
  };
  const keyFile = path.join(dir, 'worker-key.json');
  const configFile = path.join(dir, 'worker.toml');
  const workerLog = path.join(dir, 'worker.log');
  const port = await freePort();

  // 1. The worker key, and a config offering Embeddings (MiniLM), Inference (tiny decoder) and Container jobs.
  const initOut = workerCmd(['init', '--key-file', keyFile], env);
  const workerAddress = JSON.parse(fs.readFileSync(keyFile, 'utf8')).address;
  log(`worker key ${workerAddress} (${keyFile})`);
  if (!initOut.includes(workerAddress)) throw new Error(`init did not print the worker account:\n${initOut}`);
  writeWorkerConfig(configFile, { rpcPort: opts['rpc-port'], keyFile, port, dataDir: path.join(dir, 'data') });

  // 2. Spot checks off (one provider), the worker key funded, Eve bonded, Dave's credits.
  await fundProviderAndUser(api, { alice, provider, user, workerAddress });

  // 3. `register` (signed by the provider) registers the provision, authorizes the key, starts it.
  const regOut = workerCmd(['register', '--config', configFile, '--provider-suri', '//Eve', '--authorize', '--start'], env);
  const provision = /provision: (0x[0-9a-f]{64})/.exec(regOut)?.[1];
  if (!provision) throw new Error(`no provision id in:\n${regOut}`);
  log(`provision ${provision} registered by Eve`);

  // 4. The worker heartbeats it into Running.
  const worker = startWorker(configFile, env, workerLog);
  log(`worker running (log: ${workerLog}; /health and /metrics on http://127.0.0.1:${port})`);
  const stop = async (signal) => {
    if (worker.child.exitCode === null) worker.child.kill(signal);
    await worker.exited;
  };
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => stop('SIGTERM').then(() => process.exit(0)));
  const started = Date.now();
  for (;;) {
    const state = (await api.query.provisions.provisions(provision)).unwrap().state.toString();
    if (state === 'Running') break;
    if (worker.child.exitCode !== null) throw new Error(`the worker exited (${worker.child.exitCode}); see ${workerLog}`);
    if (Date.now() - started > 120_000) throw new Error(`provision still ${state} after 120 s; see ${workerLog}`);
    await sleep(2_000);
  }
  log('provision Running');

  // 5. Dave submits an embeddings job, a generation job and a container job in one `submitJobs`.
  const now = (await api.rpc.chain.getHeader()).number.toNumber();
  const requirements = { minTier: 'TidePool', minVramMb: 0, minCpuCores: 1, minRamMb: 256 };
  const inline = (s) => ({ Inline: '0x' + Buffer.from(s).toString('hex') });
  const texts = ['Cxmpute runs jobs on providers\' hardware.', 'Providers stake, register and run a worker.'];
  const request = (service, maxUsage, input, maxUnitPrice) => ({
    spec: { service, requirements, maxUsage: { inputTokens: 0, outputTokens: 0, computeMs: 0, pages: 0, audioSeconds: 0, ...maxUsage } },
    input, maxUnitPrice, deadline: now + 300, redundancy: 0, classRequest: 'Standard',
  });
  const limits = { cpuMillis: 1000, memoryMb: 256, pids: 64, timeoutS: 60, network: false };
  const image = imageId.replace(/^sha256:/, '0x');
  const res = await signSendAndFinalize(api, api.tx.matching.submitJobs([
    request('Embeddings', { inputTokens: 10_000 }, inline(JSON.stringify(texts)), 20),
    request({ Inference: { model: tinyDecoderId() } }, { inputTokens: 64, outputTokens: 12 }, inline(JSON.stringify({ tokens: [1, 7, 19, 3] })), 300),
    request({ Container: { image, limits } }, { computeMs: 60_000 }, inline(JSON.stringify({ cmd: ['sh', '-c', 'echo hello from a Cxmpute container; uname -m'] })), 1000),
  ]), user);
  assertOk(api, res, 'submitJobs');
  const jobs = res.events.filter(({ event }) => api.events.matching.Submitted.is(event)).map(({ event }) => event.data.job.toNumber());
  if (jobs.length !== 3) throw new Error(`expected 3 submitted jobs, got ${jobs.length}`);
  log(`Dave submitted embeddings job ${jobs[0]}, generation job ${jobs[1]} and container job ${jobs[2]}`);

  // 6. Wait for all to settle (finalized blocks), then print the answers and the payments.
  const results = new Map();
  const closed = new Map();
  const unsub = await api.rpc.chain.subscribeFinalizedHeads(async (header) => {
    for (const { event } of await (await api.at(header.hash)).query.system.events()) {
      if (api.events.matching.ResultSubmitted.is(event) && jobs.includes(event.data.job.toNumber())) results.set(event.data.job.toNumber(), event.data);
      if (api.events.matching.JobClosed.is(event) && jobs.includes(event.data.job.toNumber())) closed.set(event.data.job.toNumber(), event.data);
    }
  });
  const deadline = Date.now() + 240_000;
  while (closed.size < jobs.length) {
    if (worker.child.exitCode !== null) throw new Error(`the worker exited (${worker.child.exitCode}); see ${workerLog}`);
    if (Date.now() > deadline) throw new Error(`jobs not settled within 240 s; see ${workerLog}`);
    await sleep(1_000);
  }
  unsub();
  for (const job of jobs) {
    const c = closed.get(job);
    if (c.outcome.toString() !== 'Settled') throw new Error(`job ${job} closed ${c.outcome}`);
    const r = results.get(job);
    log(`job ${job} settled: paid ${c.paid} micro-USD, output hash ${r.outputHash.toHex().slice(0, 18)}…`);
    log(`  ${await describeOutput(r.output)}`);
  }
  const earned = (await api.query.billing.creditsOf(provider.address)).toBigInt();
  log(`Eve's credits: ${earned} micro-USD (payments minus the 5% platform fee)`);
  log(`demo done. Worker files: ${dir}${opts.exit ? '' : '. The worker keeps serving; Ctrl-C to stop.'}`);

  if (opts.exit) {
    await stop('SIGTERM');
    await api.disconnect();
    return;
  }
  await worker.exited;
  await api.disconnect();
}

main().then(() => process.exit(0), (err) => {
  console.error(`[demo] failed: ${err.stack ?? err}`);
  process.exit(1);
});
