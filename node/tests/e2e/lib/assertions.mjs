// Assertions and waits shared by the end-to-end tests (Polkadot.js results of signSendAndFinalize).

import assert from 'node:assert/strict';

import { createBlocks, describeDispatchError, isSealing } from './dev-node.mjs';

/** Events of a finalized result as "section.method" names. */
export const eventNames = (res) => res.events.map(({ event }) => `${event.section}.${event.method}`);

/**
 * Assert the extrinsic succeeded, else fail with the decoded module error. A sudo call or a batch
 * reports inner failures as events, not as the dispatch error, so those fail it too.
 */
export function assertOk(api, res, what) {
  const err = res.dispatchError && describeDispatchError(api, res.dispatchError);
  assert.equal(res.dispatchError, null, `${what} failed: ${err && `${err.name} (${err.docs})`}`);
  for (const { event } of res.events) {
    if (event.section === 'sudo' && event.method === 'Sudid' && event.data[0].isErr) {
      const inner = describeDispatchError(api, event.data[0].asErr);
      assert.fail(`${what}: sudo call failed with ${inner.name} (${inner.docs})`);
    }
    if (event.section === 'utility' && event.method === 'BatchInterrupted') {
      assert.fail(`${what}: batch interrupted: ${JSON.stringify(event.data.toHuman())}`);
    }
  }
}

/** Assert the extrinsic failed with `expected` ("pallet.Error"). */
export function assertFailedWith(api, res, expected) {
  assert.ok(res.dispatchError, `expected ${expected}, but it succeeded; events: ${eventNames(res).join(', ')}`);
  assert.equal(describeDispatchError(api, res.dispatchError).name, expected);
}

/** The data of the first event `section.method` of a result, or a failed assertion listing what was there. */
export function findEvent(res, section, method) {
  const found = res.events.find(({ event }) => event.section === section && event.method === method);
  assert.ok(found, `no ${section}.${method} in ${eventNames(res).join(', ')}`);
  return found.event.data;
}

/**
 * Poll `check` until it returns a truthy value or `maxBlocks` blocks pass. On a sealing node each
 * miss seals the next block (the chain's clock moves when the test says so); on Aura it waits 3 s.
 */
export async function untilBlock(api, check, maxBlocks, what) {
  const sealing = isSealing(api);
  const start = (await api.rpc.chain.getHeader()).number.toNumber();
  for (;;) {
    const value = await check();
    if (value) return value;
    const now = (await api.rpc.chain.getHeader()).number.toNumber();
    if (now - start > maxBlocks) throw new Error(`${what}: not reached within ${maxBlocks} blocks`);
    if (sealing) await createBlocks(api, 1);
    else await new Promise((r) => setTimeout(r, 3000));
  }
}
