// End-to-end: the job market on a fresh `cxmpute-node --dev --tmp` chain, through Polkadot.js.
// A provider runs an embeddings provision; a user deposits stable-asset credits and submits a job;
// the chain's matching hook assigns it to the provision; a result from a stranger's key is
// refused, the provision's worker key accepts and submits a result, and the job settles: the
// provider is paid (minus the platform fee, which goes to the treasury) and the user refunded.
// Run: npm test   (node --test; set CXMPUTE_NODE to use a binary other than the default release build)

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { Keyring } from '@polkadot/keyring';
import { stringToU8a, u8aConcat } from '@polkadot/util';
import { blake2AsHex, cryptoWaitReady, encodeAddress } from '@polkadot/util-crypto';

import { assertOk, eventNames, findEvent, untilBlock } from './lib/assertions.mjs';
import { describeDispatchError, printLogOnFailure, signSendAndFinalize, startDevNode } from './lib/dev-node.mjs';

const CXM = 10n ** 12n;
const USD = 1_000_000n; // the stable asset has 6 decimals
const TEST_TIMEOUT_MS = 420_000;
/** The treasury: the keyless account of PalletId `cxm/trsy` (fees accrue as its credits). */
const TREASURY = encodeAddress(u8aConcat(stringToU8a('modl'), stringToU8a('cxm/trsy'), new Uint8Array(20)), 42);

/** Every event `section.method` of a result, as data. */
const eventsOf = (res, section, method) =>
  res.events.filter(({ event }) => event.section === section && event.method === method).map(({ event }) => event.data);

/** Billing credits of `who`. */
async function creditsOf(api, who) {
  return (await api.query.billing.creditsOf(who)).toBigInt();
}

describe('cxmpute-node --dev: a user pays for a job that a provider runs', { timeout: 900_000 }, () => {
  let node;
  let api;
  let keyring;

  before(async () => {
    await cryptoWaitReady();
    keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    node = await startDevNode();
    api = node.api;
  });

  after(async () => {
    if (node) await node.stop();
  });

  const withNodeLog = printLogOnFailure(() => node);

  test('deposit, submit, assign, result by the worker key only, settle', { timeout: TEST_TIMEOUT_MS }, withNodeLog(async () => {
    const alice = keyring.addFromUri('//Alice'); // sudo
    const provider = keyring.addFromUri('//Eve');
    const worker = keyring.addFromUri('//Eve//worker-1');
    const user = keyring.addFromUri('//Dave');
    const stranger = keyring.addFromUri('//Ferdie');
    const bob = keyring.addFromUri('//Bob');

    // Independent signers' transactions go out together, so each step costs one finalization.
    // Alice (root): no spot checks, since a check needs a second provider and this chain has one.
    // Eve: fund the worker key, bond the Tide Pool minimum and register a Tide Pool embeddings
    // provision priced at the reference price (20 per 1K tokens). Dave: deposit 10 USD.
    const ceiling = 20;
    const minStake = (await api.query.providerStaking.minStakeOf('TidePool')).toBigInt();
    const spec = { gpuModel: 'RTX A2000', vramMb: 4096, cpuCores: 8, ramMb: 32768, diskGb: 500, region: 'eu-west' };
    const register = (price) => api.tx.provisions.registerProvision(spec, [{ kind: 'Embeddings', price, models: [] }], 'http://127.0.0.1:9/health', null, 4);
    const [sudoRes, setupRes, depositRes] = await Promise.all([
      signSendAndFinalize(api, api.tx.sudo.sudo(api.tx.matching.setParams({ spotCheckRate: 0, nearEqualBand: 50_000 })), alice),
      signSendAndFinalize(api, api.tx.utility.batchAll([
        api.tx.balances.transferKeepAlive(worker.address, 10n * CXM),
        api.tx.providerStaking.bond(minStake),
        register(ceiling),
      ]), provider),
      signSendAndFinalize(api, api.tx.billing.deposit(10n * USD), user),
    ]);
    assertOk(api, sudoRes, 'setParams');
    assertOk(api, setupRes, 'fund worker, bond, register');
    assertOk(api, depositRes, 'deposit');
    assert.equal(await creditsOf(api, user.address), 10n * USD);
    const provision = findEvent(setupRes, 'provisions', 'ProvisionRegistered').id.toHex();

    // 1. Above the reference price, registration is refused; Eve authorizes the worker key and
    //    starts the provision, whose worker heartbeats it into Running.
    const [overRes, startRes] = await Promise.all([
      signSendAndFinalize(api, register(ceiling + 1), stranger),
      signSendAndFinalize(api, api.tx.utility.batchAll([
        api.tx.provisions.authorizeWorker(provision, worker.address),
        api.tx.provisions.startProvision(provision),
      ]), provider),
    ]);
    assert.equal(describeDispatchError(api, overRes.dispatchError).name, 'provisions.PriceAboveCeiling');
    assertOk(api, startRes, 'authorize and start');
    assertOk(api, await signSendAndFinalize(api, api.tx.provisions.heartbeat(provision), worker), 'heartbeat');
    assert.equal((await api.query.provisions.provisions(provision)).unwrap().state.toString(), 'Running');

    // 2. Submit an embeddings job of at most 10K tokens at up to 20 per 1K: 200 units escrowed.
    const now = (await api.rpc.chain.getHeader()).number.toNumber();
    const jobSpec = {
      service: 'Embeddings',
      requirements: { minTier: 'TidePool', minVramMb: 0, minCpuCores: 1, minRamMb: 1024 },
      maxUsage: { inputTokens: 10_000, outputTokens: 0, computeMs: 0, pages: 0, audioSeconds: 0 },
    };
    const input = { Inline: '0x' + Buffer.from('The quick brown fox jumps over the lazy dog').toString('hex') };
    let res = await signSendAndFinalize(api, api.tx.matching.submitJob(jobSpec, input, ceiling, now + 200, 0, 'Standard', null), user);
    assertOk(api, res, 'submitJob');
    const submitted = findEvent(res, 'matching', 'Submitted');
    const job = submitted.job.toNumber();
    assert.equal(submitted.escrow.toBigInt(), 200n);
    assert.equal(await creditsOf(api, user.address), 10n * USD - 200n);
    console.log(`# job ${job} submitted, 200 units escrowed`);

    // 3. The matching hook assigns it to the only eligible provision, naming its worker key.
    const assigned = await untilBlock(api, async () => {
      const j = await api.query.matching.jobs(job);
      const run = j.isSome ? j.unwrap().runs[0] : null;
      return run && run.state.isAssigned ? run.state.asAssigned : null;
    }, 10, 'job assigned');
    assert.equal(assigned.provision.toHex(), provision);
    const workerOf = (await api.query.provisions.provisions(provision)).unwrap().worker.unwrap().toString();
    assert.equal(workerOf, worker.address);
    console.log(`# job ${job} assigned to ${provision}`);

    // 4. Another key cannot accept or answer it: the batch call reports the item as failed and
    //    the job is untouched.
    const output = new Uint8Array(384).map((_, i) => (i * 7) % 251);
    const result = {
      job,
      output: { Inline: '0x' + Buffer.from(output).toString('hex') },
      outputHash: blake2AsHex(output, 256),
      usage: { inputTokens: 1_000, outputTokens: 0, computeMs: 12, pages: 0, audioSeconds: 0 },
    };
    const [acceptRes, resultRes] = await Promise.all([
      signSendAndFinalize(api, api.tx.matching.acceptJobs([job]), stranger),
      signSendAndFinalize(api, api.tx.matching.submitResults([result]), bob),
    ]);
    for (const r of [acceptRes, resultRes]) {
      assertOk(api, r, 'a stranger\'s batch call (the call itself)');
      const failed = eventsOf(r, 'matching', 'ItemFailed');
      assert.equal(failed.length, 1, `expected ItemFailed in ${eventNames(r).join(', ')}`);
      assert.equal(describeDispatchError(api, failed[0].error).name, 'matching.NotWorker');
      assert.equal(eventsOf(r, 'matching', 'JobClosed').length, 0);
    }

    // 5. The worker key accepts and submits the result (one batch): the job settles in that block.
    const providerBefore = await creditsOf(api, provider.address);
    const treasuryBefore = await creditsOf(api, TREASURY);
    res = await signSendAndFinalize(api, api.tx.utility.batchAll([
      api.tx.matching.acceptJobs([job]),
      api.tx.matching.submitResults([result]),
    ]), worker);
    assertOk(api, res, 'acceptJobs + submitResults');
    findEvent(res, 'matching', 'Accepted');
    assert.equal(eventsOf(res, 'matching', 'ItemFailed').length, 0, `unexpected ItemFailed in ${eventNames(res).join(', ')}`);
    const closed = findEvent(res, 'matching', 'JobClosed');
    assert.equal(closed.outcome.toString(), 'Settled');
    assert.equal(closed.outputHash.unwrap().toHex(), result.outputHash);
    // 1,000 tokens at 20 per 1K = 20 units; the platform's 5% fee rounds up to 1.
    assert.equal(closed.paid.toBigInt(), 20n);
    assert.equal(closed.refunded.toBigInt(), 180n);
    assert.equal(await creditsOf(api, provider.address) - providerBefore, 19n);
    assert.equal(await creditsOf(api, user.address), 10n * USD - 20n);
    const submittedResult = findEvent(res, 'matching', 'ResultSubmitted');
    assert.equal(submittedResult.output.asInline.toHex(), result.output.Inline);
    assert.equal(await creditsOf(api, TREASURY) - treasuryBefore, 1n);
    console.log(`# job ${job} settled: provider +19, fee 1, user refunded 180`);

    // 6. The provider withdraws its earnings as the stable asset.
    const assetBefore = (await api.query.assets.account(1, provider.address)).unwrap().balance.toBigInt();
    assertOk(api, await signSendAndFinalize(api, api.tx.billing.withdraw(19n), provider), 'withdraw');
    const assetAfter = (await api.query.assets.account(1, provider.address)).unwrap().balance.toBigInt();
    assert.equal(assetAfter - assetBefore, 19n);
    assert.equal(await creditsOf(api, provider.address), providerBefore);
  }));
  test('a batch of jobs reports its bad item by position; root pays the fees out', { timeout: TEST_TIMEOUT_MS }, withNodeLog(async () => {
    const alice = keyring.addFromUri('//Alice'); // sudo
    const user = keyring.addFromUri('//Dave');
    const provider = keyring.addFromUri('//Eve');
    const now = (await api.rpc.chain.getHeader()).number.toNumber();
    const request = (deadline) => ({
      spec: {
        service: 'Embeddings',
        requirements: { minTier: 'TidePool', minVramMb: 0, minCpuCores: 1, minRamMb: 1024 },
        maxUsage: { inputTokens: 10_000, outputTokens: 0, computeMs: 0, pages: 0, audioSeconds: 0 },
      },
      input: { Inline: '0x01' },
      maxUnitPrice: 20,
      deadline,
      redundancy: 0,
      classRequest: 'Standard',
    });
    const creditsBefore = await creditsOf(api, user.address);
    const res = await signSendAndFinalize(api, api.tx.matching.submitJobs([request(now + 200), request(now), request(now + 300)]), user);
    assertOk(api, res, 'submitJobs');
    const submitted = eventsOf(res, 'matching', 'Submitted').map((e) => e.job.toNumber());
    assert.equal(submitted.length, 2, `events: ${eventNames(res).join(', ')}`);
    const failed = eventsOf(res, 'matching', 'SubmissionFailed');
    assert.equal(failed.length, 1);
    assert.equal(failed[0].index.toNumber(), 1);
    assert.equal(describeDispatchError(api, failed[0].error).name, 'matching.DeadlineInPast');
    // Two escrows of 200 units; the refused item took nothing.
    assert.equal(creditsBefore - await creditsOf(api, user.address), 400n);
    // Cancelled before any worker accepted them: both escrows come back whole.
    for (const job of submitted) {
      assertOk(api, await signSendAndFinalize(api, api.tx.matching.cancelJob(job), user), `cancelJob ${job}`);
    }
    assert.equal(await creditsOf(api, user.address), creditsBefore);

    // The treasury's fee from the first test is paid out by root as the stable asset.
    const treasury = await creditsOf(api, TREASURY);
    assert.ok(treasury >= 1n, `treasury credits ${treasury}`);
    const assetBefore = (await api.query.assets.account(1, provider.address)).unwrap().balance.toBigInt();
    const spend = await signSendAndFinalize(api, api.tx.sudo.sudo(api.tx.billing.spendTreasury(provider.address, 1n)), alice);
    assertOk(api, spend, 'spendTreasury');
    assert.ok(eventsOf(spend, 'billing', 'TreasurySpent').length === 1, `events: ${eventNames(spend).join(', ')}`);
    assert.equal(await creditsOf(api, TREASURY), treasury - 1n);
    const assetAfter = (await api.query.assets.account(1, provider.address)).unwrap().balance.toBigInt();
    assert.equal(assetAfter - assetBefore, 1n);
  }));
});
