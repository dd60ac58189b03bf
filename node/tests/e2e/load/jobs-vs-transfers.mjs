// Load script (a benchmark, not a test): settled jobs per second next to balances transfers per
// second, on the same fresh `cxmpute-node --dev --tmp` chain.
//
//   node load/jobs-vs-transfers.mjs [--transfers 2000] [--jobs 1000] [--provisions 16]
//   (or scripts/load-jobs.sh, which installs the npm packages and builds the node first)
//
// Transfers: `--transfers` balances.transferKeepAlive from 16 funded senders, all submitted at
// once with explicit nonces. Jobs: one provider runs `--provisions` embeddings provisions (64
// slots each, one worker key each, spread over the four tiers because matching reads the 16
// cheapest of each tier); a user submits `--jobs` embeddings jobs in `submit_jobs` batches of
// `MaxBatch`, with the chain's default parameters (5% spot checks); this script plays every worker: on each block it accepts the jobs assigned
// to its keys and submits their results in batch calls (accept_jobs, submit_results), and keeps
// the provisions alive with heartbeats. Rates are counted from block numbers (6 s slots): items
// / (blocks from the first block holding one to the last, inclusive, x 6 s), and the busiest
// block's items / 6 s, which is the sustained rate once blocks are full.

import { parseArgs } from 'node:util';

import { Keyring } from '@polkadot/keyring';
import { blake2AsHex, cryptoWaitReady } from '@polkadot/util-crypto';

import { signSendAndFinalize, startDevNode } from '../lib/dev-node.mjs';
import { assertOk } from '../lib/assertions.mjs';

const { values: opts } = parseArgs({
  options: {
    transfers: { type: 'string', default: '2000' },
    jobs: { type: 'string', default: '1000' },
    provisions: { type: 'string', default: '16' },
  },
});
const TRANSFERS = Number(opts.transfers);
const JOBS = Number(opts.jobs);
const PROVISIONS = Number(opts.provisions);
const SLOT_SECONDS = 6;
const CXM = 10n ** 12n;
const USD = 1_000_000n;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** Progress on stderr, so stdout keeps only the figures. */
const log = (msg) => console.error(`# ${new Date().toISOString().slice(11, 19)} ${msg}`);

/** Sign `txs` (pairs of [tx, signer]) with consecutive nonces per signer and submit them all without waiting. */
async function fireAll(api, txs) {
  const nonces = new Map();
  const pending = [];
  for (const [tx, signer] of txs) {
    if (!nonces.has(signer.address)) nonces.set(signer.address, (await api.rpc.system.accountNextIndex(signer.address)).toNumber());
    const nonce = nonces.get(signer.address);
    nonces.set(signer.address, nonce + 1);
    await tx.signAsync(signer, { nonce, era: 0 });
    pending.push(api.rpc.author.submitExtrinsic(tx));
  }
  await Promise.all(pending);
}

/** Follow new blocks, calling `onBlock(number, events, hash)` until it returns true. */
async function followBlocks(api, onBlock, maxBlocks, what) {
  let seen = 0;
  let done = false;
  let failure = null;
  const unsub = await api.rpc.chain.subscribeNewHeads(async (header) => {
    if (done) return;
    try {
      const events = await (await api.at(header.hash)).query.system.events();
      seen += 1;
      if (await onBlock(header.number.toNumber(), events, header.hash)) done = true;
      else if (seen > maxBlocks) failure = new Error(`${what}: not done within ${maxBlocks} blocks`);
    } catch (err) {
      failure = err;
    }
  });
  while (!done && !failure) await sleep(200);
  unsub();
  if (failure) throw failure;
}

/**
 * items / (blocks from first to last inclusive × slot), and the busiest block's count per slot
 * (the sustained rate when blocks are full; the first and last blocks are often partly filled).
 */
function rate(items, firstBlock, lastBlock, perBlock, hashes) {
  const blocks = lastBlock - firstBlock + 1;
  const peak = Math.max(...perBlock.values());
  const busiest = [...perBlock.entries()].find(([, n]) => n === peak)[0];
  return { items, blocks, perSecond: items / (blocks * SLOT_SECONDS), peakBlock: peak, peakPerSecond: peak / SLOT_SECONDS, busiestHash: hashes.get(busiest) };
}

const describe = (r) => `${r.items} in ${r.blocks} blocks = ${r.perSecond.toFixed(1)} per second; busiest block ${r.peakBlock} = ${r.peakPerSecond.toFixed(1)} per second`;

async function measureTransfers(api, keyring) {
  const alice = keyring.addFromUri('//Alice');
  const senders = Array.from({ length: 16 }, (_, i) => keyring.addFromUri(`//Alice//load-sender-${i}`));
  const dest = keyring.addFromUri('//Alice//load-sink').address;
  const funding = senders.map((s) => api.tx.balances.transferKeepAlive(s.address, 1_000n * CXM));
  assertOk(api, await signSendAndFinalize(api, api.tx.utility.batchAll(funding), alice), 'funding senders');

  const txs = [];
  for (let i = 0; i < TRANSFERS; i += 1) {
    txs.push([api.tx.balances.transferKeepAlive(dest, CXM), senders[i % senders.length]]);
  }
  let included = 0;
  let first = null;
  let last = null;
  const perBlock = new Map();
  const hashes = new Map();
  const follow = followBlocks(api, (number, events, hash) => {
    hashes.set(number, hash);
    const n = events.filter(({ event }) => api.events.balances.Transfer.is(event) && event.data.to.toString() === dest).length;
    if (n > 0) {
      first ??= number;
      last = number;
      included += n;
      perBlock.set(number, n);
    }
    return included >= TRANSFERS;
  }, 200, 'transfers included');
  await fireAll(api, txs);
  await follow;
  return rate(included, first, last, perBlock, hashes);
}

async function setUpProvisions(api, keyring) {
  // Two providers take turns, so a spot check (a second run on another provider) finds one.
  const providers = [keyring.addFromUri('//Eve'), keyring.addFromUri('//Ferdie')];
  const workers = Array.from({ length: PROVISIONS }, (_, i) => keyring.addFromUri(`//Eve//load-worker-${i}`));
  // Provisions go round the tiers (matching reads the 16 cheapest of each): each provider's
  // stake covers the highest tier it uses.
  const vram = [4096, 8192, 16384, 81920];
  const tiers = ['TidePool', 'BlueSurge', 'OpenOcean', 'MarianaDepth'];
  const minStake = (await api.query.providerStaking.minStakeOf(tiers[Math.min(PROVISIONS, 4) - 1])).toBigInt();
  const ids = [];
  const owner = [];
  for (const [p, provider] of providers.entries()) {
    const mine = [...Array(PROVISIONS).keys()].filter((i) => i % providers.length === p);
    if (mine.length === 0) continue;
    const calls = [api.tx.providerStaking.bond(minStake)];
    for (const i of mine) {
      calls.push(api.tx.balances.transferKeepAlive(workers[i].address, 100n * CXM));
      const spec = { gpuModel: 'load', vramMb: vram[Math.floor(i / providers.length) % 4], cpuCores: 8, ramMb: 32768, diskGb: 100, region: 'local' };
      calls.push(api.tx.provisions.registerProvision(spec, [{ kind: 'Embeddings', price: 20, models: [] }], 'http://127.0.0.1:9/health', null, 64));
    }
    const res = await signSendAndFinalize(api, api.tx.utility.batchAll(calls), provider);
    assertOk(api, res, 'register provisions');
    const registered = res.events.filter(({ event }) => api.events.provisions.ProvisionRegistered.is(event)).map(({ event }) => event.data.id.toHex());
    const lifecycle = [];
    registered.forEach((id, k) => {
      lifecycle.push(api.tx.provisions.authorizeWorker(id, workers[mine[k]].address), api.tx.provisions.startProvision(id));
      ids[mine[k]] = id;
      owner[mine[k]] = provider;
    });
    assertOk(api, await signSendAndFinalize(api, api.tx.utility.batchAll(lifecycle), provider), 'authorize and start');
  }
  await Promise.all(ids.map((id, i) => signSendAndFinalize(api, api.tx.provisions.heartbeat(id), workers[i])));
  return { ids, workers };
}

/** How full block `hash` is: its normal and mandatory (hooks) weight as shares of the block. */
async function fullness(api, hash) {
  const used = await (await api.at(hash)).query.system.blockWeight();
  const max = api.consts.system.blockWeights.maxBlock.refTime.toBigInt();
  const pct = (w) => `${(Number((w.refTime.toBigInt() * 1000n) / max) / 10).toFixed(1)}%`;
  return `normal ${pct(used.normal)}, hooks ${pct(used.mandatory)} of the block's weight`;
}

async function measureJobs(api, keyring) {
  const user = keyring.addFromUri('//Dave');
  const { ids, workers } = await setUpProvisions(api, keyring);
  log(`${ids.length} provisions running`);
  const workerOf = new Map(ids.map((id, i) => [id, workers[i]]));
  assertOk(api, await signSendAndFinalize(api, api.tx.billing.deposit(1_000n * USD), user), 'deposit');

  const head = (await api.rpc.chain.getHeader()).number.toNumber();
  const spec = {
    service: 'Embeddings',
    requirements: { minTier: 'TidePool', minVramMb: 0, minCpuCores: 1, minRamMb: 0 },
    maxUsage: { inputTokens: 1_000, outputTokens: 0, computeMs: 0, pages: 0, audioSeconds: 0 },
  };
  const output = '0x' + '2a'.repeat(32);
  const outputHash = blake2AsHex(output, 256);
  const usage = { inputTokens: 500, outputTokens: 0, computeMs: 5, pages: 0, audioSeconds: 0 };

  const maxBatch = api.consts.matching.maxBatch.toNumber();
  const submits = [];
  for (let i = 0; i < JOBS; i += maxBatch) {
    const n = Math.min(maxBatch, JOBS - i);
    const request = { spec, input: { Inline: '0x01' }, maxUnitPrice: 20, deadline: head + 300, redundancy: 0, classRequest: 'Standard' };
    submits.push([api.tx.matching.submitJobs(Array.from({ length: n }, () => request)), user]);
  }

  let submitted = 0;
  let settled = 0;
  const perBlock = new Map();
  let first = null;
  let last = null;
  // Heartbeat at once and then every 3 blocks: provisions go off 10 blocks after their last.
  let lastBeat = 0;
  const hashes = new Map();
  const follow = followBlocks(api, async (number, events, hash) => {
    hashes.set(number, hash);
    const assigned = new Map();
    for (const { event } of events) {
      if (api.events.matching.SubmissionFailed.is(event)) {
        throw new Error(`submission ${event.data.index} failed: ${event.data.error}`);
      } else if (api.events.matching.Submitted.is(event)) {
        submitted += 1;
        first ??= number;
      } else if (api.events.matching.JobClosed.is(event)) {
        if (event.data.outcome.toString() !== 'Settled') throw new Error(`job ${event.data.job} closed ${event.data.outcome}`);
        settled += 1;
        last = number;
        perBlock.set(number, (perBlock.get(number) ?? 0) + 1);
      } else if (api.events.matching.Assigned.is(event)) {
        const w = workerOf.get(event.data.provision.toHex());
        if (!assigned.has(w)) assigned.set(w, []);
        assigned.get(w).push(event.data.job.toNumber());
      }
    }
    // Play the workers: accept, then answer, in batches (the answer follows the acceptance in
    // the same block when both fit).
    const txs = [];
    for (const [w, jobs] of assigned) {
      for (let i = 0; i < jobs.length; i += maxBatch) {
        const chunk = jobs.slice(i, i + maxBatch);
        txs.push([api.tx.matching.acceptJobs(chunk), w]);
        txs.push([api.tx.matching.submitResults(chunk.map((job) => ({ job, output: { Inline: output }, outputHash, usage }))), w]);
      }
    }
    if (number - lastBeat >= 3) {
      lastBeat = number;
      ids.forEach((id, i) => txs.push([api.tx.provisions.heartbeat(id), workers[i]]));
    }
    if (txs.length) await fireAll(api, txs);
    if (submitted || settled) log(`block ${number}: ${submitted} submitted, ${settled} settled`);
    return settled >= JOBS;
  }, 400, 'jobs settled');
  log(`submitting ${JOBS} jobs in ${submits.length} batch extrinsics`);
  await fireAll(api, submits);
  log('submitted; waiting for settlement');
  await follow;
  return { submitted, ...rate(settled, first, last, perBlock, hashes) };
}

async function main() {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  // Aura, not sealing: the figures are per 6-second block, as on a real network.
  const node = await startDevNode({ sealing: null });
  try {
    const transfers = await measureTransfers(node.api, keyring);
    console.log(`transfers: ${describe(transfers)}`);
    console.log(`  busiest transfer block: ${await fullness(node.api, transfers.busiestHash)}`);
    const jobs = await measureJobs(node.api, keyring);
    console.log(`jobs settled (first submission to last settlement): ${describe(jobs)}`);
    console.log(`  busiest settlement block: ${await fullness(node.api, jobs.busiestHash)}`);
    console.log(`ratio jobs/transfers, busiest blocks: ${(jobs.peakPerSecond / transfers.peakPerSecond).toFixed(3)}`);
  } catch (err) {
    node.printLogTail();
    throw err;
  } finally {
    await node.stop();
  }
}

await main();
