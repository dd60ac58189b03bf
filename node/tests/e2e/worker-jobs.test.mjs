// End-to-end, on a sealing dev chain (`--sealing instant` plus a block every second, each one
// slot later): the real `cxmpute-worker` serves generation, embeddings and container jobs. Inference
// jobs return exactly the tokens Python onnxruntime generates, with exact usage, concurrent jobs
// share model runs, and a prompt the model cannot read fails on every attempt and is refunded.
// The worker is SIGKILLed right after accepting a slow container job and restarted: the job
// completes once and is charged once. Finally SIGTERM stops the worker cleanly after the job it
// is running. The provision is set up as in worker.test.mjs (Aura + GRANDPA, the production path).
//
// Needs what worker.test.mjs needs. Run: cd node/tests/e2e && node --test worker-jobs.test.mjs

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';

import { cryptoWaitReady } from '@polkadot/util-crypto';

import { assertOk } from './lib/assertions.mjs';
import { signSendAndFinalize, startDevNode } from './lib/dev-node.mjs';
import { ASSETS, WorkerHarness, generationHash, histogram, outputBytes, tinyDecoderId } from './lib/worker.mjs';

const feeOf = (paid) => (paid + 19n) / 20n; // 5%, rounded up
const jobIdOf = (res) => res.events.find(({ event }) => event.section === 'matching' && event.method === 'Submitted').event.data.job.toNumber();

describe('cxmpute-worker on a sealing dev chain', { timeout: 1_200_000 }, () => {
  let node;
  let api;
  let h;
  let provision;
  let user;
  let provider;
  let port;
  let imageId;
  let seen;
  const credits = (who) => h.credits(who);
  const closedOf = (job, workerAlive = true) => h.closedOf(job, workerAlive);

  before(async () => {
    await cryptoWaitReady();
    node = await startDevNode({ sealing: 'instant' });
    api = node.api;
    h = await new WorkerHarness(node).init();
    await h.setUp();
    ({ provision, user, provider, port, imageId, seen } = h);
  });

  after(async () => {
    await h?.stop();
    if (node) await node.stop();
  });

  const withLogs = (fn) => async (t) => {
    try {
      await fn(t);
    } catch (err) {
      h?.printLogs();
      throw err;
    }
  };

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
    const before = histogram(await h.metrics(), 'cxmpute_worker_batch_requests', 'pipeline="generation"');
    const embBefore = histogram(await h.metrics(), 'cxmpute_worker_batch_requests', 'pipeline="embeddings"');
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
    const metrics = await h.metrics();
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
    const res = await signSendAndFinalize(api, api.tx.matching.submitJob(spec, input, 1000, now + 300, 0, 'Standard', null), user);
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
    // The chain's clock waits while the worker restarts (on Aura 60 s of slots would pass; here
    // the ticker's 10-block heartbeat timeout is 10 s, less than a restart on a busy machine).
    h.pauseTicker();
    h.worker.child.kill('SIGKILL');
    await h.worker.exited;
    console.log(`# job ${job} accepted; worker SIGKILLed ${Date.now() - t0} ms after submission`);
    fs.appendFileSync(h.workerLog, '\n===== restart after SIGKILL =====\n');
    h.startWorker();
    await h.untilRunning();
    h.resumeTicker();

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
    const res = await signSendAndFinalize(api, api.tx.matching.submitJob(spec, input, 1000, now + 300, 0, 'Standard', null), user);
    assertOk(api, res, 'submit job');
    const job = jobIdOf(res);
    const t0 = Date.now();
    for (;;) {
      if (fs.readFileSync(h.workerLog, 'utf8').includes(`running job job=${job}`)) break;
      if (Date.now() - t0 > 180_000) throw new Error(`job ${job} not started within 180 s`);
      await sleep(300);
    }
    const tTerm = Date.now();
    h.worker.child.kill('SIGTERM');
    const { code, signal } = await h.worker.exited;
    console.log(`# worker exited ${Date.now() - tTerm} ms after SIGTERM`);
    assert.equal(signal, null);
    assert.equal(code, 0);
    assert.match(fs.readFileSync(h.workerLog, 'utf8'), /shutdown complete/);
    const closed = await closedOf(job, false);
    assert.equal(closed.data.outcome.toString(), 'Settled');
    const result = seen.find((e) => e.method === 'ResultSubmitted' && e.data.job.toNumber() === job).data;
    const doc = JSON.parse(Buffer.from(await outputBytes(result.output)).toString('utf8'));
    assert.equal(Buffer.from(doc.stdout, 'base64').toString(), 'finished-in-grace\n');
  }));
});
