// End-to-end: the real `cxmpute-worker` binary serves a provision on a fresh dev chain.
// A provider (Eve) bonds stake; `cxmpute-worker init` makes the worker key and
// `cxmpute-worker register --authorize --start` registers one provision offering Embeddings and
// Container; `cxmpute-worker run` heartbeats it into Running. A user (Dave) deposits credits and
// submits an embeddings job and a container job; the worker accepts, runs and answers them, and
// the jobs settle: the outputs' hashes match what the worker put on chain and the provider is
// paid. Then the worker is SIGKILLed right after accepting a slow container job and restarted:
// the job completes once and is charged once. Finally SIGTERM stops the worker cleanly.
//
// Needs: the worker binary (cd worker && nice -n 19 cargo build --release -j1, with
// CARGO_TARGET_DIR=$HOME/.cache/cxmpute/target-worker), the assets (scripts/worker-assets.sh) and
// a Docker engine with cxmpute/busybox:local (scripts/docker-dev.sh).
// Run: cd node/tests/e2e && node --test worker.test.mjs

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';

import { Keyring } from '@polkadot/keyring';
import { u8aConcat, u8aToHex, stringToU8a, hexToU8a } from '@polkadot/util';
import { blake2AsU8a, cryptoWaitReady } from '@polkadot/util-crypto';

import { assertOk } from './lib/assertions.mjs';
import { nodeBinaryPath, signSendAndFinalize, startDevNode, tailFile } from './lib/dev-node.mjs';
import { ASSETS, DOCKER_SOCK, checkWorkerPrerequisites, freePort, fundProviderAndUser, startWorker, tinyDecoderId, workerCmd, writeWorkerConfig } from './lib/worker.mjs';

const HOME = os.homedir();
// CARGO_TARGET_DIR may point at the worker's target dir (as when building it): then use the
// node binary from the default node target dir.
if (!process.env.CXMPUTE_NODE && !fs.existsSync(nodeBinaryPath())) {
  const fallback = path.join(HOME, '.cache', 'cxmpute', 'target', 'release', 'cxmpute-node');
  if (fs.existsSync(fallback)) process.env.CXMPUTE_NODE = fallback;
}
const PASSWORD = 'e2e-worker-password';

/** int8 quantisation as the worker does it (round half away from zero, clamp ±127). */
const q8 = (v) => {
  const x = 127 * v;
  const r = Math.sign(x) * Math.round(Math.abs(x));
  return Math.max(-127, Math.min(127, r));
};
const u64le = (n) => { const b = new Uint8Array(8); new DataView(b.buffer).setBigUint64(0, BigInt(n), true); return b; };
const u32le = (n) => { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, n, true); return b; };

/** The worker's canonical embeddings hash: blake2_256("cxmpute:emb:q8:v1" ‖ job ‖ n ‖ dim ‖ q8). */
function embeddingsHash(job, vectors) {
  const dim = vectors[0]?.length ?? 0;
  const q = new Uint8Array(vectors.length * dim);
  vectors.forEach((v, i) => v.forEach((x, j) => { q[i * dim + j] = q8(Math.fround(x)) & 0xff; }));
  return u8aToHex(blake2AsU8a(u8aConcat(stringToU8a('cxmpute:emb:q8:v1'), u64le(job), u32le(vectors.length), u32le(dim), q), 256));
}
/** The worker's generation hash: blake2_256("cxmpute:gen:v1" ‖ job ‖ n ‖ token ids as u32 LE). */
const generationHash = (job, tokens) => u8aToHex(blake2AsU8a(u8aConcat(stringToU8a('cxmpute:gen:v1'), u64le(job), u32le(tokens.length), ...tokens.map(u32le)), 256));
/** One Prometheus histogram's _count and _sum for a label set, from /metrics text. */
function histogram(text, name, labels) {
  const value = (suffix) => Number(new RegExp(`^${name}_${suffix}\\{${labels}\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  return { count: value('count'), sum: value('sum') };
}
/** The worker's hash of other outputs: blake2_256("cxmpute:raw:v1" ‖ job ‖ bytes). */
const rawHash = (job, bytes) => u8aToHex(blake2AsU8a(u8aConcat(stringToU8a('cxmpute:raw:v1'), u64le(job), bytes), 256));

/** The output bytes of a ResultSubmitted event: inline, or fetched and checked by content hash. */
async function outputBytes(output) {
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

describe('cxmpute-worker on a dev chain', { timeout: 1_500_000 }, () => {
  let node;
  let api;
  let imageId;
  let dir;
  let env;
  let configFile;
  let worker;
  let workerLog;
  let port;
  const seen = []; // { block, section, method, data }
  let unsubHeads;

  before(async () => {
    imageId = await checkWorkerPrerequisites();
    await cryptoWaitReady();
    node = await startDevNode();
    api = node.api;
    // Every matching event of every finalized block, in order.
    unsubHeads = await api.rpc.chain.subscribeFinalizedHeads(async (header) => {
      try {
        const at = await api.at(header.hash);
        for (const { event } of await at.query.system.events()) {
          if (event.section === 'matching') seen.push({ block: header.number.toNumber(), method: event.method, data: event.data });
        }
      } catch { /* node going away */ }
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cxmpute-worker-e2e-'));
    workerLog = path.join(dir, 'worker.log');
    port = await freePort();
    env = {
      ...process.env,
      CXMPUTE_WORKER_PASSWORD: PASSWORD,
      DOCKER_HOST: `unix://${DOCKER_SOCK}`,
      RUST_LOG: 'info',
    };
  });

  after(async () => {
    if (unsubHeads) unsubHeads();
    if (worker && worker.child.exitCode === null && worker.child.signalCode === null) {
      worker.child.kill('SIGKILL');
      await worker.exited;
    }
    if (node) await node.stop();
  });

  const withLogs = (fn) => async (t) => {
    try {
      await fn(t);
    } catch (err) {
      node?.printLogTail(30);
      console.error(`\n----- last lines of ${workerLog} -----\n${tailFile(workerLog, 80)}\n----- end of worker log -----`);
      throw err;
    }
  };

  /** Waits (bounded) until `pred` holds for a seen event; returns it. */
  async function untilEvent(pred, what, timeoutMs = 240_000, workerAlive = true) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const e = seen.find(pred);
      if (e) return e;
      if (workerAlive && worker && worker.child.exitCode !== null) throw new Error(`${what}: the worker exited (${worker.child.exitCode})`);
      if (Date.now() > deadline) throw new Error(`${what}: not seen within ${timeoutMs} ms`);
      await sleep(1_000);
    }
  }
  const closedOf = (job, workerAlive = true) => untilEvent((e) => e.method === 'JobClosed' && e.data.job.toNumber() === job, `job ${job} closed`, 240_000, workerAlive);
  const credits = async (who) => (await api.query.billing.creditsOf(who)).toBigInt();
  const jobIdOf = (res) => res.events.find(({ event }) => event.section === 'matching' && event.method === 'Submitted').event.data.job.toNumber();
  const feeOf = (paid) => (paid + 19n) / 20n; // 5%, rounded up

  const keyring = () => new Keyring({ type: 'sr25519', ss58Format: 42 });
  let provider; let user; let provision; let workerAddress;

  test('init, register, run: embeddings and container jobs settle and pay the provider', { timeout: 900_000 }, withLogs(async () => {
    const kr = keyring();
    const alice = kr.addFromUri('//Alice');
    provider = kr.addFromUri('//Eve');
    user = kr.addFromUri('//Dave');

    // 1. The worker key (a Polkadot.js keystore file, so it imports into the keyring too).
    const keyFile = path.join(dir, 'worker-key.json');
    const initOut = workerCmd(['init', '--key-file', keyFile], env);
    const keyJson = JSON.parse(fs.readFileSync(keyFile, 'utf8'));
    workerAddress = keyJson.address;
    assert.match(initOut, new RegExp(workerAddress));
    const imported = kr.addFromJson(keyJson);
    imported.decodePkcs8(PASSWORD);
    assert.equal(imported.address, workerAddress, 'Polkadot.js decrypts the worker key file');

    configFile = path.join(dir, 'worker.toml');
    writeWorkerConfig(configFile, { rpcPort: node.rpcPort, keyFile, port, dataDir: path.join(dir, 'data') });

    // 2. Spot checks off (one provider), the worker key funded, Eve bonded, Dave's credits.
    await fundProviderAndUser(api, { alice, provider, user, workerAddress });

    // 3. `register` (signed by the provider) registers, authorizes the worker key and starts.
    const regOut = workerCmd(['register', '--config', configFile, '--provider-suri', '//Eve', '--authorize', '--start'], env);
    provision = /provision: (0x[0-9a-f]{64})/.exec(regOut)?.[1];
    assert.ok(provision, `no provision id in:\n${regOut}`);
    const p = (await api.query.provisions.provisions(provision)).unwrap();
    assert.equal(p.worker.unwrap().toString(), workerAddress);
    assert.equal(p.endpoint.toUtf8(), `http://127.0.0.1:${port}/health`);
    assert.equal(p.services.length, 3);
    const inference = p.services.find((s) => s.kind.toString() === 'Inference');
    assert.deepEqual(inference.models.map((m) => m.toHex()), [tinyDecoderId()], 'the tiny decoder is offered by its file hash');

    // 4. The worker heartbeats the provision into Running and serves /health and /metrics.
    worker = startWorker(configFile, env, workerLog);
    const t0 = Date.now();
    for (;;) {
      const state = (await api.query.provisions.provisions(provision)).unwrap().state.toString();
      if (state === 'Running') break;
      if (worker.child.exitCode !== null) throw new Error(`worker exited with ${worker.child.exitCode}`);
      if (Date.now() - t0 > 120_000) throw new Error(`provision still ${state} after 120 s`);
      await sleep(2_000);
    }
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    assert.equal(health.status, 200);
    assert.equal((await health.json()).provision, provision);
    console.log(`# provision ${provision} Running after ${Date.now() - t0} ms`);

    // 5. Dave submits an embeddings job (several texts: its output is served, not inline) and
    //    a container job.
    const now = (await api.rpc.chain.getHeader()).number.toNumber();
    const requirements = { minTier: 'TidePool', minVramMb: 0, minCpuCores: 1, minRamMb: 256 };
    const texts = Array.from({ length: 6 }, (_, i) => `Sentence number ${i}: the quick brown fox jumps over the lazy dog.`);
    const embSpec = { service: 'Embeddings', requirements, maxUsage: { inputTokens: 10_000, outputTokens: 0, computeMs: 0, pages: 0, audioSeconds: 0 } };
    const image = imageId.replace(/^sha256:/, '0x');
    const limits = { cpuMillis: 1000, memoryMb: 256, pids: 64, timeoutS: 60, network: false };
    const ctrSpec = { service: { Container: { image, limits } }, requirements, maxUsage: { inputTokens: 0, outputTokens: 0, computeMs: 60_000, pages: 0, audioSeconds: 0 } };
    const ctrInput = JSON.stringify({ cmd: ['sh', '-c', 'echo hello-from-container; read x; echo "got:$x"'], stdin: 'ping\n' });
    const inline = (s) => ({ Inline: '0x' + Buffer.from(s).toString('hex') });
    const providerBefore = await credits(provider.address);
    const userBefore = await credits(user.address);
    const res = await signSendAndFinalize(api, api.tx.utility.batchAll([
      api.tx.matching.submitJob(embSpec, inline(JSON.stringify(texts)), 20, now + 300, 0, 'Standard'),
      api.tx.matching.submitJob(ctrSpec, inline(ctrInput), 1000, now + 300, 0, 'Standard'),
    ]), user);
    assertOk(api, res, 'submit two jobs');
    const submitted = res.events.filter(({ event }) => event.section === 'matching' && event.method === 'Submitted').map(({ event }) => event.data.job.toNumber());
    const [embJob, ctrJob] = submitted;
    const tSubmit = Date.now();

    // 6. Both settle; outputs match their hashes.
    const embClosed = await closedOf(embJob);
    console.log(`# embeddings job ${embJob} closed after ${Date.now() - tSubmit} ms`);
    const ctrClosed = await closedOf(ctrJob);
    console.log(`# container job ${ctrJob} closed after ${Date.now() - tSubmit} ms`);
    for (const c of [embClosed, ctrClosed]) assert.equal(c.data.outcome.toString(), 'Settled');

    const embResult = seen.find((e) => e.method === 'ResultSubmitted' && e.data.job.toNumber() === embJob).data;
    assert.ok(embResult.output.isRemote, 'six 384-d vectors are too large to go inline');
    const embDoc = JSON.parse(Buffer.from(await outputBytes(embResult.output)).toString('utf8'));
    assert.equal(embDoc.embeddings.length, texts.length);
    assert.equal(embDoc.dim, 384);
    assert.equal(embeddingsHash(embJob, embDoc.embeddings), embResult.outputHash.toHex(), 'embeddings hash = canonical q8 hash of the served vectors');
    assert.equal(embResult.usage.inputTokens.toBigInt(), BigInt(embDoc.input_tokens));
    for (const v of embDoc.embeddings) {
      const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
      assert.ok(Math.abs(norm - 1) < 1e-3, `unit vector (norm ${norm})`);
    }

    const ctrResult = seen.find((e) => e.method === 'ResultSubmitted' && e.data.job.toNumber() === ctrJob).data;
    assert.ok(ctrResult.output.isInline);
    const ctrBytes = await outputBytes(ctrResult.output);
    assert.equal(rawHash(ctrJob, ctrBytes), ctrResult.outputHash.toHex());
    const ctrDoc = JSON.parse(Buffer.from(ctrBytes).toString('utf8'));
    assert.equal(ctrDoc.exit_code, 0);
    assert.equal(Buffer.from(ctrDoc.stdout, 'base64').toString(), 'hello-from-container\ngot:ping\n');
    const ms = ctrResult.usage.computeMs.toBigInt();
    assert.ok(ms > 0n && ms < 60_000n, `compute ms ${ms}`);
    assert.equal(ctrClosed.data.paid.toBigInt(), ms); // 1000 per second of compute = 1 per ms

    // Billing: the provider got both payments minus the 5% fee, Dave paid exactly them.
    const paid = [embClosed, ctrClosed].map((c) => c.data.paid.toBigInt());
    const net = paid.reduce((s, x) => s + x - feeOf(x), 0n);
    assert.ok(paid[0] > 0n, 'embeddings job was paid');
    assert.equal(await credits(provider.address) - providerBefore, net);
    assert.equal(userBefore - await credits(user.address), paid[0] + paid[1]);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    assert.match(metrics, /cxmpute_worker_jobs_total\{state="completed"\} 2/);
    assert.match(metrics, /cxmpute_worker_accepting_jobs 1/);
    console.log(`# paid ${paid.join(' + ')}; provider +${net}`);

    // `status` reads the provision from the chain.
    const status = JSON.parse(workerCmd(['status', '--config', configFile, '--json'], env));
    assert.equal(status.provision, provision);
    assert.equal(status.state, 'Running');
    assert.equal(status.worker, workerAddress);

    // `register --provision` puts an edited config's services on chain (provisions.setServices).
    const edited = path.join(dir, 'worker-edited.toml');
    writeWorkerConfig(edited, { rpcPort: node.rpcPort, keyFile, port, dataDir: path.join(dir, 'data'), embeddingsPrice: 15 });
    workerCmd(['register', '--config', edited, '--provider-suri', '//Eve', '--provision', provision], env);
    const updated = (await api.query.provisions.provisions(provision)).unwrap();
    assert.equal(updated.state.toString(), 'Running', 'still running');
    assert.equal(updated.services.find((s) => s.kind.toString() === 'Embeddings').price.toBigInt(), 15n);
    assert.deepEqual(updated.services.find((s) => s.kind.toString() === 'Inference').models.map((m) => m.toHex()), [tinyDecoderId()]);
    const pool = await api.query.provisions.poolOf(['Embeddings', 'TidePool']);
    assert.deepEqual(pool.map(([price, id]) => [price.toBigInt(), id.toHex()]), [[15n, provision]], 'the pool holds the new price');
  }));

  test('inference jobs return Python onnxruntime\'s tokens with exact usage; concurrent jobs share model runs; a bad one is refunded', { timeout: 600_000 }, withLogs(async () => {
    assert.ok(provision, 'the first test set up the provision');
    const reference = JSON.parse(fs.readFileSync(path.join(ASSETS, 'reference', 'tiny_decoder.json'), 'utf8'));
    assert.equal(`0x${reference.model_blake2b_256}`, tinyDecoderId(), 'the reference was made with this model');
    const model = tinyDecoderId();
    const now = (await api.rpc.chain.getHeader()).number.toNumber();
    const requirements = { minTier: 'TidePool', minVramMb: 0, minCpuCores: 1, minRamMb: 256 };
    const usage = (u) => ({ inputTokens: 0, outputTokens: 0, computeMs: 0, pages: 0, audioSeconds: 0, ...u });
    const inline = (s) => ({ Inline: '0x' + Buffer.from(s).toString('hex') });
    const request = (service, maxUsage, input, maxUnitPrice) => ({
      spec: { service, requirements, maxUsage: usage(maxUsage) }, input, maxUnitPrice, deadline: now + 300, redundancy: 0, classRequest: 'Standard',
    });
    const cases = reference.cases;
    const before = histogram(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text(), 'cxmpute_worker_batch_requests', 'pipeline="generation"');
    const embBefore = histogram(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text(), 'cxmpute_worker_batch_requests', 'pipeline="embeddings"');
    const userBefore = await credits(user.address);
    const providerBefore = await credits(provider.address);
    // Three greedy generations (the reference prompts, 16 tokens each), a text prompt the
    // tokenizer-less tiny decoder cannot read, and two embeddings jobs, in one extrinsic.
    const requests = [
      ...cases.map((c) => request({ Inference: { model } }, { inputTokens: 64, outputTokens: c.max_new_tokens }, inline(JSON.stringify({ tokens: c.prompt })), 300)),
      request({ Inference: { model } }, { inputTokens: 64, outputTokens: 16 }, inline('a text prompt needs a tokenizer'), 300),
      request('Embeddings', { inputTokens: 1_000 }, inline('first embeddings job'), 20),
      request('Embeddings', { inputTokens: 1_000 }, inline(JSON.stringify(['second embeddings job', 'with two texts'])), 20),
    ];
    const res = await signSendAndFinalize(api, api.tx.matching.submitJobs(requests), user);
    assertOk(api, res, 'submitJobs');
    const jobs = res.events.filter(({ event }) => event.section === 'matching' && event.method === 'Submitted').map(({ event }) => event.data.job.toNumber());
    assert.equal(jobs.length, requests.length);
    const tSubmit = Date.now();
    const closed = [];
    for (const job of jobs) closed.push(await closedOf(job));
    console.log(`# ${jobs.length} jobs closed after ${Date.now() - tSubmit} ms`);

    for (const [i, c] of cases.entries()) {
      const job = jobs[i];
      assert.equal(closed[i].data.outcome.toString(), 'Settled', `generation job ${job}`);
      const result = seen.find((e) => e.method === 'ResultSubmitted' && e.data.job.toNumber() === job).data;
      const doc = JSON.parse(Buffer.from(await outputBytes(result.output)).toString('utf8'));
      assert.deepEqual(doc.tokens, c.greedy_tokens, `job ${job}: the tokens Python onnxruntime generates for ${JSON.stringify(c.prompt)}`);
      assert.equal(doc.finish_reason, 'length');
      assert.equal(doc.model, model.slice(2));
      assert.equal(result.outputHash.toHex(), generationHash(job, doc.tokens));
      assert.equal(result.usage.inputTokens.toNumber(), c.prompt.length, 'prompt tokens counted exactly');
      assert.equal(result.usage.outputTokens.toNumber(), c.max_new_tokens, 'generated tokens counted exactly');
      // 300 per 1K output tokens, input at half price, rounded up.
      const want = (300n * BigInt(2 * c.max_new_tokens + c.prompt.length) + 1999n) / 2000n;
      assert.equal(closed[i].data.paid.toBigInt(), want, `job ${job} paid for its usage`);
    }
    const bad = cases.length;
    assert.equal(closed[bad].data.outcome.toString(), 'Failed', 'the unreadable prompt fails on every attempt');
    assert.equal(closed[bad].data.paid.toBigInt(), 0n);
    assert.ok(!seen.some((e) => e.method === 'ResultSubmitted' && e.data.job.toNumber() === jobs[bad]));
    const failures = seen.filter((e) => e.method === 'RunFailed' && e.data.job.toNumber() === jobs[bad]);
    assert.ok(failures.length >= 1, 'the worker reported the failure');
    for (const i of [bad + 1, bad + 2]) assert.equal(closed[i].data.outcome.toString(), 'Settled', `embeddings job ${jobs[i]}`);

    // Funds: Dave paid exactly what settled (the failed job's escrow came back whole); Eve got it less the fee.
    const paid = closed.map((c) => c.data.paid.toBigInt());
    const total = paid.reduce((s, x) => s + x, 0n);
    assert.equal(userBefore - await credits(user.address), total, 'charged exactly the settled usage');
    assert.equal(await credits(provider.address) - providerBefore, paid.reduce((s, x) => s + x - feeOf(x), 0n));

    // Batching: the jobs were accepted together, so each pipeline served them in fewer model runs than jobs.
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const gen = histogram(metrics, 'cxmpute_worker_batch_requests', 'pipeline="generation"');
    const emb = histogram(metrics, 'cxmpute_worker_batch_requests', 'pipeline="embeddings"');
    const genRuns = gen.count - before.count; const genJobs = gen.sum - before.sum;
    const embRuns = emb.count - embBefore.count; const embJobs = emb.sum - embBefore.sum;
    console.log(`# generation: ${genJobs} requests in ${genRuns} model runs; embeddings: ${embJobs} requests in ${embRuns} runs`);
    assert.equal(genJobs, cases.length + failures.length, 'every generation attempt went through the batcher');
    assert.ok(genRuns < genJobs, `generation jobs shared runs (${genJobs} in ${genRuns})`);
    assert.equal(embJobs, 2);
    assert.equal(embRuns, 1, 'the two embeddings jobs ran as one batch');
  }));

  test('SIGKILL after accept, restart: the job completes once and is charged once', { timeout: 600_000 }, withLogs(async () => {
    assert.ok(provision, 'the first test set up the provision');
    const now = (await api.rpc.chain.getHeader()).number.toNumber();
    const requirements = { minTier: 'TidePool', minVramMb: 0, minCpuCores: 1, minRamMb: 256 };
    const image = imageId.replace(/^sha256:/, '0x');
    const limits = { cpuMillis: 1000, memoryMb: 256, pids: 64, timeoutS: 120, network: false };
    const spec = { service: { Container: { image, limits } }, requirements, maxUsage: { inputTokens: 0, outputTokens: 0, computeMs: 120_000, pages: 0, audioSeconds: 0 } };
    const input = { Inline: '0x' + Buffer.from(JSON.stringify({ cmd: ['sh', '-c', 'sleep 8; echo survived'] })).toString('hex') };
    const userBefore = await credits(user.address);
    const providerBefore = await credits(provider.address);
    const res = await signSendAndFinalize(api, api.tx.matching.submitJob(spec, input, 1000, now + 300, 0, 'Standard'), user);
    assertOk(api, res, 'submit slow job');
    const job = jobIdOf(res);

    // Kill the worker as soon as its acceptance is on chain (best block).
    const t0 = Date.now();
    for (;;) {
      const j = await api.query.matching.jobs(job);
      if (j.isSome && j.unwrap().runs[0].state.isAccepted) break;
      if (Date.now() - t0 > 180_000) throw new Error(`job ${job} not accepted within 180 s`);
      await sleep(500);
    }
    worker.child.kill('SIGKILL');
    await worker.exited;
    console.log(`# job ${job} accepted; worker SIGKILLed ${Date.now() - t0} ms after submission`);
    fs.appendFileSync(workerLog, '\n===== restart after SIGKILL =====\n');
    worker = startWorker(configFile, env, workerLog);

    const closed = await closedOf(job);
    assert.equal(closed.data.outcome.toString(), 'Settled');
    const results = seen.filter((e) => e.method === 'ResultSubmitted' && e.data.job.toNumber() === job);
    assert.equal(results.length, 1, 'one result on chain');
    const doc = JSON.parse(Buffer.from(await outputBytes(results[0].data.output)).toString('utf8'));
    assert.equal(Buffer.from(doc.stdout, 'base64').toString(), 'survived\n');
    const paid = closed.data.paid.toBigInt();
    assert.equal(paid, results[0].data.usage.computeMs.toBigInt());
    assert.ok(paid >= 8_000n && paid < 120_000n, `one run of ~8 s is charged (${paid})`);
    assert.equal(userBefore - await credits(user.address), paid, 'charged once');
    assert.equal(await credits(provider.address) - providerBefore, paid - feeOf(paid));
    console.log(`# job ${job} settled after restart, paid ${paid} once`);
  }));

  test('SIGTERM while a job runs: it finishes within the grace period, then the worker exits 0', { timeout: 400_000 }, withLogs(async () => {
    const now = (await api.rpc.chain.getHeader()).number.toNumber();
    const requirements = { minTier: 'TidePool', minVramMb: 0, minCpuCores: 1, minRamMb: 256 };
    const image = imageId.replace(/^sha256:/, '0x');
    const limits = { cpuMillis: 1000, memoryMb: 256, pids: 64, timeoutS: 60, network: false };
    const spec = { service: { Container: { image, limits } }, requirements, maxUsage: { inputTokens: 0, outputTokens: 0, computeMs: 60_000, pages: 0, audioSeconds: 0 } };
    const input = { Inline: '0x' + Buffer.from(JSON.stringify({ cmd: ['sh', '-c', 'sleep 6; echo finished-in-grace'] })).toString('hex') };
    const res = await signSendAndFinalize(api, api.tx.matching.submitJob(spec, input, 1000, now + 300, 0, 'Standard'), user);
    assertOk(api, res, 'submit job');
    const job = jobIdOf(res);
    const t0 = Date.now();
    for (;;) {
      if (fs.readFileSync(workerLog, 'utf8').includes(`running job job=${job}`)) break;
      if (Date.now() - t0 > 180_000) throw new Error(`job ${job} not started within 180 s`);
      await sleep(300);
    }
    const tTerm = Date.now();
    worker.child.kill('SIGTERM');
    const { code, signal } = await worker.exited;
    console.log(`# worker exited ${Date.now() - tTerm} ms after SIGTERM`);
    assert.equal(signal, null);
    assert.equal(code, 0);
    assert.match(fs.readFileSync(workerLog, 'utf8'), /shutdown complete/);
    const closed = await closedOf(job, false);
    assert.equal(closed.data.outcome.toString(), 'Settled');
    const result = seen.find((e) => e.method === 'ResultSubmitted' && e.data.job.toNumber() === job).data;
    const doc = JSON.parse(Buffer.from(await outputBytes(result.output)).toString('utf8'));
    assert.equal(Buffer.from(doc.stdout, 'base64').toString(), 'finished-in-grace\n');
  }));
});
