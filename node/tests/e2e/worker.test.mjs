// End-to-end, on real Aura + GRANDPA (6-second slots): the real `cxmpute-worker` binary serves a
// provision on a fresh dev chain, the production path. A provider (Eve) bonds stake;
// `cxmpute-worker init` makes the worker key and `cxmpute-worker register --authorize --start`
// registers one provision offering Embeddings, Inference and Container; `cxmpute-worker run`
// heartbeats it into Running. A user (Dave) submits an embeddings job and a container job; the
// worker accepts, runs and answers them, and the jobs settle: the outputs' hashes match what the
// worker put on chain and the provider is paid. `status` reads the provision and
// `register --provision` updates its services. The worker's other jobs (generation, batching,
// failures, crashes, SIGTERM) run on a sealing dev chain in worker-jobs.test.mjs.
//
// Needs: the worker binary (cd worker && nice -n 19 cargo build --release -j1, with
// CARGO_TARGET_DIR=$HOME/.cache/cxmpute/target-worker), the assets (scripts/worker-assets.sh) and
// a Docker engine with cxmpute/busybox:local (scripts/docker-dev.sh).
// Run: cd node/tests/e2e && node --test worker.test.mjs

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { cryptoWaitReady } from '@polkadot/util-crypto';

import { assertOk } from './lib/assertions.mjs';
import { signSendAndFinalize, startDevNode } from './lib/dev-node.mjs';
import { WorkerHarness, embeddingsHash, outputBytes, rawHash, tinyDecoderId, workerCmd, writeWorkerConfig } from './lib/worker.mjs';

const feeOf = (paid) => (paid + 19n) / 20n; // 5%, rounded up

describe('cxmpute-worker on a dev chain with Aura + GRANDPA', { timeout: 1_200_000 }, () => {
  let node;
  let api;
  let h;

  before(async () => {
    await cryptoWaitReady();
    node = await startDevNode({ sealing: null });
    api = node.api;
    h = await new WorkerHarness(node).init();
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

  test('init, register, run: embeddings and container jobs settle and pay the provider', { timeout: 900_000 }, withLogs(async () => {
    await h.setUp();
    const { provider, user, provision, workerAddress, imageId, port, env, configFile } = h;
    const credits = (who) => h.credits(who);
    const closedOf = (job) => h.closedOf(job);
    const seen = h.seen;

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
      api.tx.matching.submitJob(embSpec, inline(JSON.stringify(texts)), 20, now + 300, 0, 'Standard', null),
      api.tx.matching.submitJob(ctrSpec, inline(ctrInput), 1000, now + 300, 0, 'Standard', null),
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
    const metrics = await h.metrics();
    assert.match(metrics, /cxmpute_worker_jobs_total\{state="completed"\} 2/);
    assert.match(metrics, /cxmpute_worker_accepting_jobs 1/);
    console.log(`# paid ${paid.join(' + ')}; provider +${net}`);

    // `status` reads the provision from the chain.
    const status = JSON.parse(workerCmd(['status', '--config', configFile, '--json'], env));
    assert.equal(status.provision, provision);
    assert.equal(status.state, 'Running');
    assert.equal(status.worker, workerAddress);

    // `register --provision` puts an edited config's services on chain (provisions.setServices).
    const edited = path.join(h.dir, 'worker-edited.toml');
    writeWorkerConfig(edited, { rpcPort: node.rpcPort, keyFile: h.keyFile, port, dataDir: path.join(h.dir, 'data'), embeddingsPrice: 15 });
    workerCmd(['register', '--config', edited, '--provider-suri', '//Eve', '--provision', provision], env);
    const updated = (await api.query.provisions.provisions(provision)).unwrap();
    assert.equal(updated.state.toString(), 'Running', 'still running');
    assert.equal(updated.services.find((s) => s.kind.toString() === 'Embeddings').price.toBigInt(), 15n);
    assert.deepEqual(updated.services.find((s) => s.kind.toString() === 'Inference').models.map((m) => m.toHex()), [tinyDecoderId()]);
    const pool = await api.query.provisions.poolOf(['Embeddings', 'TidePool']);
    assert.deepEqual(pool.map(([price, id]) => [price.toBigInt(), id.toHex()]), [[15n, provision]], 'the pool holds the new price');
  }));

});
