// End-to-end: a provider's life on a fresh `cxmpute-node --dev --tmp` chain, through Polkadot.js.
// Bond stake, register a provision, authorize a worker key, start, heartbeat (Running, in its pool),
// get probed by the validator's offchain worker (health recorded on chain), stop heartbeating and
// watch the provision go Off by itself.
// Run: npm test   (node --test; set CXMPUTE_NODE to use a binary other than the default release build)

import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';

import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';

import { assertFailedWith, assertOk, eventNames, untilBlock } from './lib/assertions.mjs';
import { printLogOnFailure, signSendAndFinalize, startDevNode } from './lib/dev-node.mjs';

const CXM = 10n ** 12n;
const TEST_TIMEOUT_MS = 420_000;

/** A local HTTP server answering 200 on /health, counting the probes it served. */
async function startHealthServer() {
  let probes = 0;
  const server = http.createServer((req, res) => {
    if (req.url === '/health') {
      probes += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"ok"}');
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/health`,
    probes: () => probes,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

describe('cxmpute-node --dev: provider bonds, registers, heartbeats, is probed and goes off', { timeout: 900_000 }, () => {
  let node;
  let api;
  let keyring;
  let healthServer;

  before(async () => {
    await cryptoWaitReady();
    keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    healthServer = await startHealthServer();
    node = await startDevNode();
    api = node.api;
  });

  after(async () => {
    if (node) await node.stop();
    if (healthServer) await healthServer.close();
  });

  const withNodeLog = printLogOnFailure(() => node);

  test('provider lifecycle through Polkadot.js', { timeout: TEST_TIMEOUT_MS }, withNodeLog(async () => {
    const provider = keyring.addFromUri('//Charlie');
    const worker = keyring.addFromUri('//Charlie//worker-1');
    const stranger = keyring.addFromUri('//Dave');

    // The worker key pays its own heartbeat fees; it holds nothing else.
    assertOk(api, await signSendAndFinalize(api, api.tx.balances.transferKeepAlive(worker.address, 10n * CXM), provider), 'funding the worker');

    // 1. Register a Tide Pool (4 GB) embeddings provision: it starts in Draft with a DID-style id.
    const spec = { gpuModel: 'RTX A2000', vramMb: 4096, cpuCores: 8, ramMb: 32768, diskGb: 500, region: 'eu-west' };
    const services = [{ kind: 'Embeddings', price: 20, models: [] }];
    let res = await signSendAndFinalize(api, api.tx.provisions.registerProvision(spec, services, healthServer.url, null, 2), provider);
    assertOk(api, res, 'registerProvision');
    const registered = res.events.find(({ event }) => api.events.provisions.ProvisionRegistered.is(event));
    assert.ok(registered, `no ProvisionRegistered in ${eventNames(res).join(', ')}`);
    const id = registered.event.data.id.toHex();
    assert.equal(registered.event.data.tier.toString(), 'TidePool');
    const provision = (await api.query.provisions.provisions(id)).unwrap();
    assert.equal(provision.state.toString(), 'Draft');
    console.log(`# registered provision ${id} (tier ${registered.event.data.tier})`);

    // 2. Authorize the worker key; starting without stake is refused by the stake gate.
    assertOk(api, await signSendAndFinalize(api, api.tx.provisions.authorizeWorker(id, worker.address), provider), 'authorizeWorker');
    assertFailedWith(api, await signSendAndFinalize(api, api.tx.provisions.startProvision(id), provider), 'provisions.NotEnoughStake');

    // 3. Bond the Tide Pool minimum; now the provision may start.
    const minStake = (await api.query.providerStaking.minStakeOf('TidePool')).toBigInt();
    assert.ok(minStake > 0n, 'Tide Pool minimum stake must be set at genesis');
    res = await signSendAndFinalize(api, api.tx.providerStaking.bond(minStake), provider);
    assertOk(api, res, 'bond');
    assert.ok(res.events.some(({ event }) => api.events.providerStaking.Bonded.is(event)), `no Bonded in ${eventNames(res).join(', ')}`);
    const ledger = (await api.query.providerStaking.ledgerOf(provider.address)).unwrap();
    assert.equal(ledger.active.toBigInt(), minStake);
    assertOk(api, await signSendAndFinalize(api, api.tx.provisions.startProvision(id), provider), 'startProvision');
    assert.equal((await api.query.provisions.provisions(id)).unwrap().state.toString(), 'Started');

    // 4. Only the worker key may heartbeat; its first heartbeat makes the provision Running.
    assertFailedWith(api, await signSendAndFinalize(api, api.tx.provisions.heartbeat(id), stranger), 'provisions.NotWorker');
    res = await signSendAndFinalize(api, api.tx.provisions.heartbeat(id), worker);
    assertOk(api, res, 'heartbeat');
    const changed = res.events.find(({ event }) => api.events.provisions.ProvisionStateChanged.is(event));
    assert.ok(changed, `no ProvisionStateChanged in ${eventNames(res).join(', ')}`);
    assert.equal(changed.event.data.to.toString(), 'Running');
    const pool = await api.query.provisions.poolOf(['Embeddings', 'TidePool']);
    assert.deepEqual(pool.map(([price, pid]) => [price.toNumber(), pid.toHex()]), [[20, id]]);

    // While it runs, its stake cannot be unbonded below the tier minimum.
    assertFailedWith(api, await signSendAndFinalize(api, api.tx.providerStaking.unbond(minStake), provider), 'providerStaking.StakeInUse');

    // 5. Keep heartbeating until the validator's offchain worker has probed the endpoint and the
    //    measurement is on chain (unsigned transaction signed with the validator's authority key).
    const health = await untilBlock(api, async () => {
      assertOk(api, await signSendAndFinalize(api, api.tx.provisions.heartbeat(id), worker), 'heartbeat');
      const h = await api.query.health.healthOf(id);
      return h.isSome ? h.unwrap() : null;
    }, 60, 'health measurement on chain');
    console.log(`# health on chain: ${JSON.stringify(health.toHuman())}; endpoint served ${healthServer.probes()} probes`);
    assert.ok(healthServer.probes() >= 1, 'the offchain worker never called the endpoint');
    assert.equal(health.reporters.toNumber(), 1, 'one validator (Alice) reports on --dev');
    assert.equal(health.uptime.toNumber(), 1_000_000, 'every probe succeeded: uptime 100%');

    // 6. Stop heartbeating: within HeartbeatTimeout blocks the chain turns the provision Off
    //    by itself and takes it out of its pool.
    const timeout = api.consts.provisions.heartbeatTimeout.toNumber();
    await untilBlock(api, async () => (await api.query.provisions.provisions(id)).unwrap().state.toString() === 'Off', timeout + 5, 'provision Off');
    assert.equal((await api.query.provisions.poolOf(['Embeddings', 'TidePool'])).length, 0);
    assertFailedWith(api, await signSendAndFinalize(api, api.tx.provisions.heartbeat(id), worker), 'provisions.InvalidTransition');

    // 7. Nothing runs any more: the stake can be unbonded (it unlocks after the delay).
    res = await signSendAndFinalize(api, api.tx.providerStaking.unbond(minStake), provider);
    assertOk(api, res, 'unbond');
    const after = (await api.query.providerStaking.ledgerOf(provider.address)).unwrap();
    assert.equal(after.active.toBigInt(), 0n);
    assert.equal(after.unlocking.length, 1);
    assert.equal(after.unlocking[0].value.toBigInt(), minStake);
  }));
});
