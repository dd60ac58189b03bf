// End-to-end tests against a fresh `cxmpute-node --dev --tmp` chain.
// Run: npm test   (node --test; set CXMPUTE_NODE to use a binary other than the default release build)

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';

import {
  describeDispatchError,
  freeBalanceAt,
  printLogOnFailure,
  signSendAndFinalize,
  startDevNode,
} from './lib/dev-node.mjs';

const EXPECTED_PALLETS = [
  'System', 'Timestamp', 'Aura', 'Grandpa', 'Balances', 'TransactionPayment', 'Sudo',
  'Assets', 'Utility', 'Multisig', 'ValidatorSet', 'Session',
];
const CXM = 10n ** 12n; // 12 decimals
const TEST_TIMEOUT_MS = 180_000;

describe('cxmpute-node --dev: metadata and balances', { timeout: 600_000 }, () => {
  let node;
  let api;
  let keyring;

  before(async () => {
    await cryptoWaitReady();
    keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    node = await startDevNode();
    api = node.api;
    const [chain, version] = await Promise.all([api.rpc.system.chain(), api.rpc.system.version()]);
    console.log(`# connected to ${chain} (${node.binary} ${version}) on rpc port ${node.rpcPort}; log: ${node.logFile}`);
  });

  after(async () => {
    if (node) await node.stop();
  });

  const withNodeLog = printLogOnFailure(() => node);

  test('metadata is V15+, has all pallets with docs, and chain properties are CXM/12', { timeout: TEST_TIMEOUT_MS }, withNodeLog(async () => {
    // Metadata version actually decoded by Polkadot.js, and versions advertised by the runtime API.
    assert.ok(api.runtimeMetadata.version >= 15, `decoded metadata version is ${api.runtimeMetadata.version}, expected >= 15`);
    const versions = (await api.call.metadata.metadataVersions()).map((v) => v.toNumber());
    assert.ok(versions.some((v) => v >= 15 && v < 0xffff_ffff), `runtime metadata_versions() = ${JSON.stringify(versions)}`);

    const pallets = api.runtimeMetadata.asLatest.pallets.map((p) => p.name.toString());
    for (const name of EXPECTED_PALLETS) {
      assert.ok(pallets.includes(name), `pallet ${name} missing from metadata; have ${pallets.join(', ')}`);
    }

    // Calls, events, errors and storage carry doc comments (i.e. docs are not stripped from the wasm).
    const callDocs = api.tx.balances.transferKeepAlive.meta.docs;
    assert.ok(callDocs.length > 0 && callDocs.join('').trim().length > 0, 'balances.transferKeepAlive has no docs');
    const err = api.errors.balances.InsufficientBalance;
    assert.ok(err, 'api.errors.balances.InsufficientBalance missing');
    assert.ok(err.meta.docs.length > 0 && err.meta.docs.join('').trim().length > 0, 'balances.InsufficientBalance has no docs');
    const ev = api.events.balances.Transfer;
    assert.ok(ev, 'api.events.balances.Transfer missing');
    assert.ok(ev.meta.docs.length > 0, 'balances.Transfer event has no docs');
    assert.ok(api.events.transactionPayment.TransactionFeePaid, 'transactionPayment.TransactionFeePaid event missing');

    // Chain properties: token symbol/decimals and SS58 prefix.
    const props = JSON.parse(JSON.stringify(await api.rpc.system.properties())); // plain JSON values
    console.log(`# system_properties: ${JSON.stringify(props)}; runtime metadata versions ${JSON.stringify(versions)}, decoded V${api.runtimeMetadata.version}`);
    const symbol = Array.isArray(props.tokenSymbol) ? props.tokenSymbol[0] : props.tokenSymbol;
    const decimals = Array.isArray(props.tokenDecimals) ? props.tokenDecimals[0] : props.tokenDecimals;
    assert.equal(symbol, 'CXM');
    assert.equal(Number(decimals), 12);
    assert.equal(Number(props.ss58Format), 42);
    assert.deepEqual(api.registry.chainTokens.map(String), ['CXM']);
    assert.deepEqual(api.registry.chainDecimals.map(Number), [12]);
    assert.equal(Number(api.registry.chainSS58), 42);

    // Existential deposit is 0.001 CXM.
    assert.equal(api.consts.balances.existentialDeposit.toBigInt(), CXM / 1000n);
  }));

  test('transferKeepAlive Alice -> Bob is finalized with exact Transfer event, balances and fee', { timeout: TEST_TIMEOUT_MS }, withNodeLog(async () => {
    const alice = keyring.addFromUri('//Alice');
    const bob = keyring.addFromUri('//Bob');
    const amount = 12n * CXM + 345_678_901_234n; // 12.345678901234 CXM: a non-round amount

    const res = await signSendAndFinalize(api, api.tx.balances.transferKeepAlive(bob.address, amount), alice);
    const finalizedHead = await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead());
    assert.ok(finalizedHead.number.toNumber() >= res.blockNumber, 'block reported finalized but finalized head is behind it');
    console.log(`# transfer included and finalized in block #${res.blockNumber} ${res.blockHash.toHex()}`);

    assert.equal(res.dispatchError, null, `transfer failed: ${res.dispatchError && JSON.stringify(describeDispatchError(api, res.dispatchError))}`);
    const names = res.events.map(({ event }) => `${event.section}.${event.method}`);
    assert.ok(names.includes('system.ExtrinsicSuccess'), `events: ${names.join(', ')}`);

    const transfers = res.events.filter(({ event }) => api.events.balances.Transfer.is(event));
    assert.equal(transfers.length, 1, `expected one Balances.Transfer event, got ${names.join(', ')}`);
    const [from, to, value] = transfers[0].event.data;
    assert.equal(from.toString(), alice.address);
    assert.equal(to.toString(), bob.address);
    assert.equal(value.toBigInt(), amount);

    const feeEvents = res.events.filter(({ event }) => api.events.transactionPayment.TransactionFeePaid.is(event));
    assert.equal(feeEvents.length, 1, `expected one TransactionFeePaid event, got ${names.join(', ')}`);
    const [who, actualFee, tip] = feeEvents[0].event.data;
    assert.equal(who.toString(), alice.address);
    assert.equal(tip.toBigInt(), 0n);
    const fee = actualFee.toBigInt();
    assert.ok(fee > 0n, 'fee should be > 0');

    const [aliceBefore, bobBefore, aliceAfter, bobAfter] = await Promise.all([
      freeBalanceAt(api, res.parentHash, alice.address),
      freeBalanceAt(api, res.parentHash, bob.address),
      freeBalanceAt(api, res.blockHash, alice.address),
      freeBalanceAt(api, res.blockHash, bob.address),
    ]);
    console.log(`# amount ${amount}, fee ${fee}; Alice ${aliceBefore} -> ${aliceAfter}; Bob ${bobBefore} -> ${bobAfter}`);
    assert.equal(bobAfter - bobBefore, amount, 'Bob must be credited exactly the amount');
    assert.equal(aliceBefore - aliceAfter, amount + fee, 'Alice must be debited exactly amount + fee');
  }));

  test('transfer above the free balance is included but fails with Token.FundsUnavailable; only the fee is charged', { timeout: TEST_TIMEOUT_MS }, withNodeLog(async () => {
    // Use accounts the other test does not touch.
    const charlie = keyring.addFromUri('//Charlie');
    const dave = keyring.addFromUri('//Dave');
    const free = (await api.query.system.account(charlie.address)).data.free.toBigInt();
    const amount = free + 1n * CXM + 1n; // more than Charlie owns

    const res = await signSendAndFinalize(api, api.tx.balances.transferAllowDeath(dave.address, amount), charlie);
    console.log(`# over-balance transfer included and finalized in block #${res.blockNumber}`);

    const names = res.events.map(({ event }) => `${event.section}.${event.method}`);
    assert.ok(names.includes('system.ExtrinsicFailed'), `expected System.ExtrinsicFailed, events: ${names.join(', ')}`);
    assert.ok(!names.includes('balances.Transfer'), 'no Balances.Transfer event expected');
    assert.ok(res.dispatchError, 'dispatchError expected');

    const decoded = describeDispatchError(api, res.dispatchError);
    console.log(`# dispatch error: ${JSON.stringify(res.dispatchError.toHuman())} => ${decoded.name}`);
    assert.ok(res.dispatchError.isToken, `expected a Token error, got ${decoded.name}`);
    assert.ok(res.dispatchError.asToken.isFundsUnavailable, `expected Token.FundsUnavailable, got ${decoded.name}`);
    assert.equal(decoded.name, 'Token.FundsUnavailable');

    const feeEvents = res.events.filter(({ event }) => api.events.transactionPayment.TransactionFeePaid.is(event));
    assert.equal(feeEvents.length, 1, `expected one TransactionFeePaid event, got ${names.join(', ')}`);
    const [who, actualFee] = feeEvents[0].event.data;
    assert.equal(who.toString(), charlie.address);
    const fee = actualFee.toBigInt();
    assert.ok(fee > 0n, 'fee should be > 0');

    const [charlieBefore, daveBefore, charlieAfter, daveAfter] = await Promise.all([
      freeBalanceAt(api, res.parentHash, charlie.address),
      freeBalanceAt(api, res.parentHash, dave.address),
      freeBalanceAt(api, res.blockHash, charlie.address),
      freeBalanceAt(api, res.blockHash, dave.address),
    ]);
    console.log(`# fee ${fee}; Charlie ${charlieBefore} -> ${charlieAfter}; Dave ${daveBefore} -> ${daveAfter}`);
    assert.equal(daveAfter, daveBefore, 'recipient balance must be unchanged');
    assert.equal(charlieBefore - charlieAfter, fee, 'sender must be charged exactly the fee');
  }));
});
