// End-to-end: the development chain's block sealing (`cxmpute-node --dev --sealing instant|manual`).
// Instant sealing finalizes a transfer within two seconds of wall-clock time; manual sealing makes
// exactly the blocks asked for, and finalizes only what it is told to; each sealed block's
// timestamp is one slot after its parent's; a chain other than the dev chain refuses --sealing.
// Run: npm test   (node --test; set CXMPUTE_NODE to use a binary other than the default release build)

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';

import { assertOk } from './lib/assertions.mjs';
import {
  createBlocks, nodeBinaryPath, sendInOneBlock, signSendAndFinalize, startDevNode, withTimeout,
} from './lib/dev-node.mjs';

const CXM = 10n ** 12n;
const TEST_TIMEOUT_MS = 120_000;

// Polkadot.js keeps the answer of getHeader(undefined) for good: ask for the best header without an argument.
const numberOf = async (api, hash) => (await (hash ? api.rpc.chain.getHeader(hash) : api.rpc.chain.getHeader())).number.toNumber();
const best = async (api) => numberOf(api);
const finalized = async (api) => numberOf(api, await api.rpc.chain.getFinalizedHead());
const timestampAt = async (api, hash) => (await (await api.at(hash)).query.timestamp.now()).toNumber();

/** Runs the node binary with `args` until it exits; resolves { code, output }. */
function runToExit(args, timeoutMs = 60_000) {
  return withTimeout(new Promise((resolve, reject) => {
    const child = spawn(nodeBinaryPath(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  }), timeoutMs, `cxmpute-node ${args.join(' ')} to exit`);
}

describe('cxmpute-node --dev --sealing', { timeout: 600_000 }, () => {
  let instant;
  let manual;
  let keyring;

  before(async () => {
    await cryptoWaitReady();
    keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    [instant, manual] = await Promise.all([
      startDevNode({ sealing: 'instant' }),
      startDevNode({ sealing: 'manual' }),
    ]);
  });

  after(async () => {
    await Promise.all([instant?.stop(), manual?.stop()]);
  });

  const withNodeLogs = (fn) => async (t) => {
    try {
      await fn(t);
    } catch (err) {
      instant?.printLogTail(30);
      manual?.printLogTail(30);
      throw err;
    }
  };

  test('instant: a transfer is sealed and finalized within 2 s of wall-clock time', { timeout: TEST_TIMEOUT_MS }, withNodeLogs(async () => {
    const { api } = instant;
    const alice = keyring.addFromUri('//Alice');
    const bob = keyring.addFromUri('//Bob');
    const bobBefore = (await api.query.system.account(bob.address)).data.free.toBigInt();
    const before = await best(api);

    const t0 = performance.now();
    const res = await signSendAndFinalize(api, api.tx.balances.transferKeepAlive(bob.address, 3n * CXM), alice);
    const elapsed = performance.now() - t0;
    console.log(`# transfer finalized in block #${res.blockNumber} after ${elapsed.toFixed(0)} ms`);
    assertOk(api, res, 'transfer');
    assert.ok(elapsed < 2_000, `finalized after ${elapsed.toFixed(0)} ms, expected under 2,000 ms`);
    assert.equal(res.blockNumber, before + 1, 'one block for one transaction');
    assert.equal(await finalized(api), res.blockNumber, 'the block is final at once');
    assert.equal((await api.query.system.account(bob.address)).data.free.toBigInt() - bobBefore, 3n * CXM);

    // With nothing in the pool no block is made; createBlocks makes empty ones on demand.
    await new Promise((r) => setTimeout(r, 1_500));
    assert.equal(await best(api), res.blockNumber, 'no block without a transaction');
    await createBlocks(api, 3);
    assert.equal(await best(api), res.blockNumber + 3);
    assert.equal(await finalized(api), res.blockNumber + 3);
  }));

  test('manual: exactly the blocks asked for, finalized only when asked, one slot apart', { timeout: TEST_TIMEOUT_MS }, withNodeLogs(async () => {
    const { api } = manual;
    const alice = keyring.addFromUri('//Alice');
    const charlie = keyring.addFromUri('//Charlie');
    const dave = keyring.addFromUri('//Dave');
    assert.equal(await best(api), 0, 'no block before one is asked for');

    // A transaction waits in the pool: nothing is sealed until engine_createBlock.
    const pending = signSendAndFinalize(api, api.tx.balances.transferKeepAlive(charlie.address, CXM), alice);
    await new Promise((r) => setTimeout(r, 1_500));
    assert.equal(await best(api), 0, 'a transaction alone seals nothing');
    assert.equal((await api.rpc.author.pendingExtrinsics()).length, 1, 'it waits in the pool');

    // Sealed without finalizing: best moves, finality does not.
    const sealedAt = Date.now();
    const first = await api.rpc.engine.createBlock(true, false);
    assert.equal(await best(api), 1);
    assert.equal(await finalized(api), 0);
    // (`blockHash`: a Polkadot.js struct's own `.hash` is the hash of its encoding.)
    const block1 = await api.rpc.chain.getBlock(first.blockHash);
    assert.ok(block1.block.extrinsics.some((x) => x.method.section === 'balances'), 'the pending transfer is in block #1');

    // Four more, unfinalized; then one engine_finalizeBlock finalizes the fifth and its ancestors.
    const hashes = [first.blockHash];
    for (let i = 0; i < 4; i += 1) hashes.push((await api.rpc.engine.createBlock(true, false)).blockHash);
    assert.equal(await best(api), 5, 'exactly five blocks');
    assert.equal(await finalized(api), 0);
    assert.ok((await api.rpc.engine.finalizeBlock(hashes[4])).isTrue);
    assert.equal(await finalized(api), 5);
    const res = await pending;
    assert.equal(res.blockNumber, 1, 'the transfer is reported final once its block is');

    // Each block is one slot (6 s) after its parent, however fast they were sealed.
    const slot = api.consts.aura.slotDuration.toNumber();
    assert.equal(slot, 6_000);
    const stamps = await Promise.all(hashes.map((h) => timestampAt(api, h)));
    // The chain starts at the slot the wall clock was in when block #1 was sealed.
    assert.ok(stamps[0] <= sealedAt && sealedAt - stamps[0] < slot, `block #1 at ${new Date(stamps[0]).toISOString()}, sealed at ${new Date(sealedAt).toISOString()}`);
    for (let i = 1; i < stamps.length; i += 1) assert.equal(stamps[i] - stamps[i - 1], slot, `block #${i + 1}`);
    const slots = await Promise.all(hashes.map(async (h) => (await (await api.at(h)).query.aura.currentSlot()).toNumber()));
    for (let i = 1; i < slots.length; i += 1) assert.equal(slots[i], slots[i - 1] + 1);

    // Several signers' calls in one block.
    const [a, b] = await sendInOneBlock(api, [
      [api.tx.balances.transferKeepAlive(dave.address, CXM), alice],
      [api.tx.balances.transferKeepAlive(dave.address, 2n * CXM), charlie],
    ]);
    assertOk(api, a, 'first transfer');
    assertOk(api, b, 'second transfer');
    assert.equal(a.blockHash.toHex(), b.blockHash.toHex(), 'both in one block');
    assert.equal(a.blockNumber, 6);
    assert.equal(await best(api), 6);
    assert.equal(await finalized(api), 6);
  }));

  test('--sealing is refused on any chain but the development chain', { timeout: TEST_TIMEOUT_MS }, async () => {
    const testnet = fileURLToPath(new URL('../../../chain-specs/testnet.json', import.meta.url));
    for (const [chain, sealing] of [['local', 'instant'], [testnet, 'manual']]) {
      const { code, output } = await runToExit(['--chain', chain, '--sealing', sealing, '--tmp', '--rpc-port', '0', '--port', '0', '--no-prometheus']);
      assert.notEqual(code, 0, `--chain ${chain} --sealing ${sealing} must not start:\n${output}`);
      assert.match(output, new RegExp(`--sealing ${sealing} is only for the development chain \\(--dev\\)`), output);
      assert.doesNotMatch(output, /Imported #|Prepared block|Sealed/, 'nothing was authored');
    }
  });
});
