// End-to-end: Unxversal DeFi on a fresh `cxmpute-node --dev --tmp` chain, through Polkadot.js.
// A maker places an order-book ask, a taker fills part of it at the maker's exact price; the oracle
// operator (Alice) feeds prices; lenders supply, a borrower posts collateral, borrows and repays,
// the collateral's price falls and a liquidator repays part of the debt and seizes collateral.
// Run: npm test   (node --test; set CXMPUTE_NODE to use a binary other than the default release build)

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';

import { assertOk, eventNames, findEvent } from './lib/assertions.mjs';
import { describeDispatchError, printLogOnFailure, signSendAndFinalize, startDevNode } from './lib/dev-node.mjs';

const USD = 1; // the stable asset created at genesis (6 decimals)
const XAS = 2; // an asset this test creates
const FIXED = 10n ** 18n; // FixedU128 / Price: inner units per 1.0
const TEST_TIMEOUT_MS = 420_000;

async function assetBalance(api, asset, who) {
  const account = await api.query.assets.account(asset, who);
  return account.isSome ? account.unwrap().balance.toBigInt() : 0n;
}

describe('cxmpute-node --dev: order book, oracle and lending', { timeout: 900_000 }, () => {
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

  test('place, fill, supply, borrow, repay, liquidate', { timeout: TEST_TIMEOUT_MS }, withNodeLog(async () => {
    const [alice, bob, charlie, dave, eve, ferdie] = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie']
      .map((n) => keyring.addFromUri(`//${n}`));
    const sudo = (call) => api.tx.sudo.sudo(call);

    // Set-up (Alice is sudo, the asset's issuer and the oracle's operator on --dev).
    let res = await signSendAndFinalize(api, api.tx.utility.batchAll([
      sudo(api.tx.assets.forceCreate(XAS, alice.address, true, 1)),
      sudo(api.tx.oracle.setFeedSource(USD, 'https://prices.invalid/usd', '', 0)),
      sudo(api.tx.oracle.setFeedSource(XAS, 'https://prices.invalid/xas', '', 0)),
    ]), alice);
    assertOk(api, res, 'asset and feed set-up');
    res = await signSendAndFinalize(api, api.tx.utility.batchAll([
      api.tx.assets.mint(XAS, bob.address, 10_000_000n),
      api.tx.assets.mint(XAS, eve.address, 100_000_000n),
    ]), alice);
    assertOk(api, res, 'minting');

    // 1. Place: Bob asks 1,000,000 XAS at 5 USD units each.
    res = await signSendAndFinalize(api, api.tx.dex.placeLimitOrder(XAS, USD, 'Ask', 5n * FIXED, 1_000_000n, null, null, 0), bob);
    assertOk(api, res, 'placeLimitOrder');
    const placed = findEvent(res, 'dex', 'OrderPlaced');
    const orderId = placed.id.toString();
    assert.equal(placed.owner.toString(), bob.address);
    assert.equal(placed.amount.toBigInt(), 1_000_000n);
    assert.equal((await api.query.dex.reserves(XAS)).toBigInt(), 1_000_000n, 'the ask locks its base in the pallet');

    // 2. Fill: Charlie market-buys 400,000 XAS; Bob's order fills at exactly 5, the taker fee
    //    (0.1%, rounded up) comes out of what Charlie receives.
    const [bobUsd0, charlieXas0] = await Promise.all([assetBalance(api, USD, bob.address), assetBalance(api, XAS, charlie.address)]);
    res = await signSendAndFinalize(api, api.tx.dex.placeMarketOrder(XAS, USD, 'Bid', 400_000n, 2_100_000n, 8), charlie);
    assertOk(api, res, 'placeMarketOrder');
    const filled = findEvent(res, 'dex', 'OrderFilled');
    assert.equal(filled.id.toString(), orderId);
    assert.equal(filled.base.toBigInt(), 400_000n);
    assert.equal(filled.quote.toBigInt(), 2_000_000n);
    assert.equal(filled.remaining.toBigInt(), 600_000n);
    const traded = findEvent(res, 'dex', 'Traded');
    assert.equal(traded.fee.toBigInt(), 400n);
    const [bobUsd1, charlieXas1] = await Promise.all([assetBalance(api, USD, bob.address), assetBalance(api, XAS, charlie.address)]);
    assert.equal(bobUsd1 - bobUsd0, 2_000_000n, 'the maker receives price x amount exactly');
    assert.equal(charlieXas1 - charlieXas0, 399_600n, 'the taker receives the base minus the fee');
    console.log(`# order ${orderId}: filled 400000 of 1000000 at 5; fee ${traded.fee}`);

    // 3. Lending markets for USD and XAS: base 2%, 10% at the 80% kink, 32% at 100%; reserve
    //    factor 15%, collateral factor 50%, liquidation threshold 60%, bonus 8%.
    const params = {
      rateModel: { baseRate: FIXED / 50n, multiplier: FIXED / 10n, jumpMultiplier: (FIXED * 11n) / 10n, kink: 800_000_000 },
      reserveFactor: 150_000,
      collateralFactor: 500_000,
      liquidationThreshold: 600_000,
      liquidationBonus: 80_000,
      initialExchangeRate: FIXED,
    };
    res = await signSendAndFinalize(api, api.tx.utility.batchAll([
      sudo(api.tx.lend.createMarket(USD, params)),
      sudo(api.tx.lend.createMarket(XAS, params)),
    ]), alice);
    assertOk(api, res, 'createMarket');

    // 4. Supply: Dave lends 10,000 USD; Eve supplies 11,000,000 XAS (the first deposit of a market
    //    locks 1,000,000 u-tokens against the donation attack) and uses it as collateral.
    res = await signSendAndFinalize(api, api.tx.lend.supply(USD, 10_000_000_000n), dave);
    assertOk(api, res, 'supply USD');
    res = await signSendAndFinalize(api, api.tx.utility.batchAll([
      api.tx.lend.supply(XAS, 11_000_000n),
      api.tx.lend.enableCollateral(XAS),
    ]), eve);
    assertOk(api, res, 'supply XAS as collateral');
    const supplied = findEvent(res, 'lend', 'Supplied');
    assert.equal(supplied.utokens.toBigInt(), 10_000_000n);

    // 5. Borrow with fresh prices (USD = 1, XAS = 5): 10,000,000 XAS x 5 x 50% allows 25,000,000.
    const feed = (usd, xas) => api.tx.utility.batchAll([
      api.tx.oracle.submitPrice(USD, usd),
      api.tx.oracle.submitPrice(XAS, xas),
    ]);
    assertOk(api, await signSendAndFinalize(api, feed(FIXED, 5n * FIXED), alice), 'price feed');
    const eveUsd0 = await assetBalance(api, USD, eve.address);
    res = await signSendAndFinalize(api, api.tx.lend.borrow(USD, 20_000_000n), eve);
    assertOk(api, res, 'borrow');
    assert.equal(findEvent(res, 'lend', 'Borrowed').amount.toBigInt(), 20_000_000n);
    assert.equal(await assetBalance(api, USD, eve.address) - eveUsd0, 20_000_000n);

    // 6. Repay 5,000,000: the debt left includes the interest accrued since (rounded up).
    res = await signSendAndFinalize(api, api.tx.lend.repay(USD, null, 5_000_000n), eve);
    assertOk(api, res, 'repay');
    const repaid = findEvent(res, 'lend', 'Repaid');
    assert.equal(repaid.amount.toBigInt(), 5_000_000n);
    const debtLeft = repaid.debt.toBigInt();
    assert.ok(debtLeft > 15_000_000n, `interest must accrue: debt left ${debtLeft}`);
    console.log(`# borrowed 20000000, repaid 5000000, debt left ${debtLeft}`);

    // 7. XAS falls to 2: collateral 10,000,000 x 2 x 60% = 12,000,000 < debt, health < 0.95, so a
    //    liquidator may repay; it seizes repaid x 1.08 / 2 u-tokens of XAS (exchange rate 1).
    assertOk(api, await signSendAndFinalize(api, feed(FIXED, 2n * FIXED), alice), 'price drop');
    res = await signSendAndFinalize(api, api.tx.lend.liquidate(eve.address, USD, XAS, 5_000_000n), ferdie);
    assertOk(api, res, 'liquidate');
    const liquidated = findEvent(res, 'lend', 'Liquidated');
    assert.equal(liquidated.borrower.toString(), eve.address);
    assert.equal(liquidated.repaid.toBigInt(), 5_000_000n);
    assert.equal(liquidated.seizedUtokens.toBigInt(), 2_700_000n);
    console.log(`# liquidated: repaid ${liquidated.repaid}, seized ${liquidated.seizedUtokens} u-XAS`);

    // Dave only lent: he has no XAS collateral to seize, so he cannot be liquidated.
    res = await signSendAndFinalize(api, api.tx.lend.liquidate(dave.address, USD, XAS, 1_000n), ferdie);
    assert.ok(res.dispatchError, 'liquidating a lender without collateral must fail');
    assert.equal(describeDispatchError(api, res.dispatchError).name, 'lend.CollateralNotEnabled');
  }));
});
