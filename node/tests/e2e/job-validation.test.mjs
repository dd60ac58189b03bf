// End-to-end: jobs no one can serve, or that were not served, on a fresh instant-sealing dev chain.
// Each bad call a user (or a worker) could make from Polkadot.js is sent for real: a model or a
// service kind no provision offers, an empty input, a batch mixing them with a good job, an empty
// result, a job no worker takes within its wait, and jobs left waiting when the last provision
// offering their model is deregistered. Each asserts the typed error or the closing event, and
// that nothing was escrowed or paid: the user's credits, the provider's credits and the pallet
// state are what they were.
// Run: npm test   (node --test; set CXMPUTE_NODE to use a binary other than the default release build)

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { Keyring } from '@polkadot/keyring';
import { blake2AsHex, cryptoWaitReady } from '@polkadot/util-crypto';

import { assertOk, eventNames, findEvent, untilBlock } from './lib/assertions.mjs';
import { createBlocks, describeDispatchError, printLogOnFailure, signSendAndFinalize, startDevNode } from './lib/dev-node.mjs';

const CXM = 10n ** 12n;
const USD = 1_000_000n;
const TEST_TIMEOUT_MS = 180_000;
const UNKNOWN_MODEL = '0x' + '99'.repeat(32);
const DRAFT_MODEL = '0x' + '42'.repeat(32);

const eventsOf = (res, section, method) =>
  res.events.filter(({ event }) => event.section === section && event.method === method).map(({ event }) => event.data);
const errorName = (api, error) => describeDispatchError(api, error).name;
const inline = (s) => ({ Inline: '0x' + Buffer.from(s).toString('hex') });

describe('cxmpute-node --dev: jobs no one can serve are refused, unserved jobs are never paid', { timeout: 900_000 }, () => {
  let node;
  let api;
  let alice; let provider; let worker; let user; let other;
  let provision;

  const credits = async (who) => (await api.query.billing.creditsOf(who)).toBigInt();
  const nextJobId = async () => (await api.query.matching.nextJobId()).toNumber();
  const now = async () => (await api.rpc.chain.getHeader()).number.toNumber();
  const embeddings = (minVramMb = 0) => ({
    service: 'Embeddings',
    requirements: { minTier: 'TidePool', minVramMb, minCpuCores: 1, minRamMb: 1024 },
    maxUsage: { inputTokens: 10_000, outputTokens: 0, computeMs: 0, pages: 0, audioSeconds: 0 },
  });
  const inference = (model) => ({
    service: { Inference: { model } },
    requirements: { minTier: 'TidePool', minVramMb: 0, minCpuCores: 1, minRamMb: 1024 },
    maxUsage: { inputTokens: 1_000, outputTokens: 1_000, computeMs: 0, pages: 0, audioSeconds: 0 },
  });
  const submit = async (spec, input, maxUnitPrice, maxWait = null) =>
    signSendAndFinalize(api, api.tx.matching.submitJob(spec, input, maxUnitPrice, (await now()) + 200, 0, 'Standard', maxWait), user);

  before(async () => {
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    [alice, provider, worker, user, other] = ['//Alice', '//Eve', '//Eve//worker-1', '//Dave', '//Ferdie'].map((s) => keyring.addFromUri(s));
    node = await startDevNode();
    api = node.api;

    // A running Tide Pool embeddings provision of Eve (at the reference price, 20 per 1K
    // tokens), whose worker key this test plays; Dave's credits; no spot checks (one provider).
    const minStake = (await api.query.providerStaking.minStakeOf('TidePool')).toBigInt();
    const spec = { gpuModel: 'RTX A2000', vramMb: 4096, cpuCores: 8, ramMb: 32768, diskGb: 500, region: 'eu-west' };
    const [sudoRes, setupRes, depositRes] = await Promise.all([
      signSendAndFinalize(api, api.tx.sudo.sudo(api.tx.matching.setParams({ spotCheckRate: 0, nearEqualBand: 50_000 })), alice),
      signSendAndFinalize(api, api.tx.utility.batchAll([
        api.tx.balances.transferKeepAlive(worker.address, 10n * CXM),
        api.tx.providerStaking.bond(minStake),
        api.tx.provisions.registerProvision(spec, [{ kind: 'Embeddings', price: 20, models: [] }], 'http://127.0.0.1:9/health', null, 4),
      ]), provider),
      signSendAndFinalize(api, api.tx.billing.deposit(10n * USD), user),
    ]);
    assertOk(api, sudoRes, 'setParams');
    assertOk(api, setupRes, 'fund worker, bond, register');
    assertOk(api, depositRes, 'deposit');
    provision = findEvent(setupRes, 'provisions', 'ProvisionRegistered').id.toHex();
    assertOk(api, await signSendAndFinalize(api, api.tx.utility.batchAll([
      api.tx.provisions.authorizeWorker(provision, worker.address),
      api.tx.provisions.startProvision(provision),
    ]), provider), 'authorize and start');
    assertOk(api, await signSendAndFinalize(api, api.tx.provisions.heartbeat(provision), worker), 'heartbeat');
  });

  after(async () => {
    if (node) await node.stop();
  });

  const withNodeLog = printLogOnFailure(() => node);

  test('a model or a service kind no provision offers, and an empty input, are refused with nothing escrowed', { timeout: TEST_TIMEOUT_MS }, withNodeLog(async () => {
    const [creditsBefore, jobsBefore] = [await credits(user.address), await nextJobId()];
    const cases = [
      [inference(UNKNOWN_MODEL), inline('hello'), 300, 'matching.Unservable'],
      [{ ...embeddings(), service: 'TextToSpeech' }, inline('hello'), 300, 'matching.Unservable'],
      [embeddings(), { Inline: '0x' }, 20, 'matching.EmptyInput'],
      [embeddings(), { Remote: { hash_: '0x' + '00'.repeat(32), uri: 'https://in.example/x' } }, 20, 'matching.EmptyInput'],
    ];
    for (const [spec, input, price, expected] of cases) {
      const res = await submit(spec, input, price);
      assert.ok(res.dispatchError, `expected ${expected}, events: ${eventNames(res).join(', ')}`);
      assert.equal(errorName(api, res.dispatchError), expected);
      assert.equal(eventsOf(res, 'matching', 'Submitted').length, 0);
    }
    assert.equal(await credits(user.address), creditsBefore, 'nothing escrowed');
    assert.equal(await nextJobId(), jobsBefore, 'no job stored');
  }));

  test('a batch reports each bad item at its index and escrows only the good one', { timeout: TEST_TIMEOUT_MS }, withNodeLog(async () => {
    const creditsBefore = await credits(user.address);
    const deadline = (await now()) + 200;
    const item = (spec, input, maxUnitPrice, maxWait) => ({ spec, input, maxUnitPrice, deadline, redundancy: 0, classRequest: 'Standard', maxWait });
    const res = await signSendAndFinalize(api, api.tx.matching.submitJobs([
      item(inference(UNKNOWN_MODEL), inline('a'), 300, null),
      item(embeddings(), inline('the good one'), 20, null),
      item(embeddings(), { Inline: '0x' }, 20, null),
      item(embeddings(), inline('waits at most one block'), 20, 1),
    ]), user);
    assertOk(api, res, 'submitJobs');
    const failed = eventsOf(res, 'matching', 'SubmissionFailed').map((e) => [e.index.toNumber(), errorName(api, e.error)]);
    assert.deepEqual(failed, [[0, 'matching.Unservable'], [2, 'matching.EmptyInput'], [3, 'matching.MaxWaitTooShort']]);
    const submitted = eventsOf(res, 'matching', 'Submitted');
    assert.equal(submitted.length, 1);
    const escrow = submitted[0].escrow.toBigInt();
    assert.equal(escrow, 200n, '10K tokens at 20 per 1K');
    assert.equal(creditsBefore - await credits(user.address), escrow, 'only the good item escrowed');
    assertOk(api, await signSendAndFinalize(api, api.tx.matching.cancelJob(submitted[0].job), user), 'cancel');
    assert.equal(await credits(user.address), creditsBefore);
  }));

  test('an empty result is refused unpaid and the run stays accepted; the real one settles', { timeout: TEST_TIMEOUT_MS }, withNodeLog(async () => {
    // The earlier tests' blocks outlasted the 10-block heartbeat timeout: start it again.
    if ((await api.query.provisions.provisions(provision)).unwrap().state.toString() === 'Off') {
      assertOk(api, await signSendAndFinalize(api, api.tx.provisions.startProvision(provision), provider), 'start again');
    }
    assertOk(api, await signSendAndFinalize(api, api.tx.provisions.heartbeat(provision), worker), 'heartbeat');
    assert.equal((await api.query.provisions.provisions(provision)).unwrap().state.toString(), 'Running');
    const userBefore = await credits(user.address);
    const providerBefore = await credits(provider.address);
    const res = await submit(embeddings(), inline('The quick brown fox'), 20);
    assertOk(api, res, 'submitJob');
    const job = findEvent(res, 'matching', 'Submitted').job.toNumber();
    await untilBlock(api, async () => {
      const j = await api.query.matching.jobs(job);
      return j.isSome && j.unwrap().runs[0].state.isAssigned;
    }, 5, 'job assigned');
    assertOk(api, await signSendAndFinalize(api, api.tx.matching.acceptJobs([job]), worker), 'accept');

    const usage = { inputTokens: 1_000, outputTokens: 0, computeMs: 5, pages: 0, audioSeconds: 0 };
    const bytes = new Uint8Array([1, 2, 3, 4]);
    const empties = [
      { job, output: { Inline: '0x' }, outputHash: blake2AsHex(bytes, 256), usage },
      { job, output: { Remote: { hash_: '0x' + '00'.repeat(32), uri: 'https://w.example/out' } }, outputHash: blake2AsHex(bytes, 256), usage },
      { job, output: { Inline: '0x01020304' }, outputHash: '0x' + '00'.repeat(32), usage },
    ];
    const refused = await signSendAndFinalize(api, api.tx.matching.submitResults(empties), worker);
    assertOk(api, refused, 'the batch call itself');
    assert.deepEqual(eventsOf(refused, 'matching', 'ItemFailed').map((e) => errorName(api, e.error)), Array(3).fill('matching.EmptyOutput'));
    assert.equal(eventsOf(refused, 'matching', 'JobClosed').length, 0, 'not settled');
    assert.ok((await api.query.matching.jobs(job)).unwrap().runs[0].state.isAccepted, 'the run is as it was');
    assert.equal(await credits(provider.address), providerBefore, 'nothing paid');
    assert.equal(userBefore - await credits(user.address), 200n, 'the escrow is still whole');

    const settled = await signSendAndFinalize(api, api.tx.matching.submitResults([{ job, output: { Inline: '0x01020304' }, outputHash: blake2AsHex(bytes, 256), usage }]), worker);
    const closed = findEvent(settled, 'matching', 'JobClosed');
    assert.equal(closed.outcome.toString(), 'Settled');
    assert.equal(closed.paid.toBigInt(), 20n);
    assert.equal(await credits(provider.address) - providerBefore, 19n, 'paid once, less the 5% fee');
    assert.equal(userBefore - await credits(user.address), 20n);
  }));

  test('a job no worker takes within its wait closes by itself with a full refund', { timeout: TEST_TIMEOUT_MS }, withNodeLog(async () => {
    const creditsBefore = await credits(user.address);
    // Embeddings are offered, but no provision has 1 TB of VRAM: the job waits unmatched.
    const res = await submit(embeddings(1_000_000), inline('too demanding'), 20, 3);
    assertOk(api, res, 'submitJob');
    const job = findEvent(res, 'matching', 'Submitted').job.toNumber();
    const submittedAt = res.blockNumber;
    assert.equal(creditsBefore - await credits(user.address), 200n);
    // Other transactions (the health probes' reports) may seal blocks too: look at the blocks
    // by number.
    while (await now() < submittedAt + 3) await createBlocks(api, 1);
    const at = async (n) => api.at(await api.rpc.chain.getBlockHash(n));
    assert.ok((await (await at(submittedAt + 2)).query.matching.jobs(job)).isSome, 'still waiting before its wait is over');
    const record = (await (await at(submittedAt + 3)).query.system.events())
      .find(({ event }) => event.section === 'matching' && event.method === 'JobClosed' && event.data.job.toNumber() === job);
    assert.ok(record, `no JobClosed for job ${job} in block #${submittedAt + 3}`);
    const closed = record.event.data;
    assert.equal(closed.outcome.toString(), 'Unmatched');
    assert.equal(closed.paid.toBigInt(), 0n);
    assert.equal(closed.refunded.toBigInt(), 200n);
    assert.equal(await credits(user.address), creditsBefore, 'refunded in full');
    assert.ok((await api.query.matching.jobs(job)).isNone);
  }));

  test('jobs left waiting when the last provision offering their model is deregistered close as unservable at once', { timeout: TEST_TIMEOUT_MS }, withNodeLog(async () => {
    // Ferdie registers a provision offering DRAFT_MODEL and never starts it: a draft may still
    // start, so a job for its model is accepted and waits.
    const spec = { gpuModel: 'RTX A2000', vramMb: 4096, cpuCores: 8, ramMb: 32768, diskGb: 500, region: 'eu-west' };
    const reg = await signSendAndFinalize(api, api.tx.provisions.registerProvision(spec, [{ kind: 'Inference', price: 300, models: [DRAFT_MODEL] }], 'http://127.0.0.1:9/health', null, 1), other);
    assertOk(api, reg, 'register the draft');
    const draft = findEvent(reg, 'provisions', 'ProvisionRegistered').id.toHex();
    const creditsBefore = await credits(user.address);
    const res = await submit(inference(DRAFT_MODEL), inline('hello'), 300);
    assertOk(api, res, 'submitJob for the draft\'s model');
    const job = findEvent(res, 'matching', 'Submitted').job.toNumber();
    const escrow = findEvent(res, 'matching', 'Submitted').escrow.toBigInt();
    await createBlocks(api, 2);
    assert.ok((await api.query.matching.jobs(job)).isSome, 'it waits for the draft to start');

    // The last provision offering the model goes: the job closes in the next block, refunded.
    const dereg = await signSendAndFinalize(api, api.tx.provisions.deregisterProvision(draft), other);
    assertOk(api, dereg, 'deregister');
    if (await now() < dereg.blockNumber + 1) await createBlocks(api, 1);
    const next = await api.rpc.chain.getBlockHash(dereg.blockNumber + 1);
    const events = await (await api.at(next)).query.system.events();
    const closed = events.find(({ event }) => event.section === 'matching' && event.method === 'JobClosed' && event.data.job.toNumber() === job);
    assert.ok(closed, `no JobClosed for job ${job} in the block after the deregistration`);
    assert.equal(closed.event.data.outcome.toString(), 'Unservable');
    assert.equal(closed.event.data.refunded.toBigInt(), escrow);
    assert.equal(await credits(user.address), creditsBefore, 'refunded in full');
    // And a new job for that model is now refused.
    const again = await submit(inference(DRAFT_MODEL), inline('hello'), 300);
    assert.equal(errorName(api, again.dispatchError), 'matching.Unservable');
  }));
});
