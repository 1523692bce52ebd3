import { afterEach, describe, expect, it } from 'vitest';
import type { RunState } from '../../src/engine/index.js';
import { advanceRun, startRunState } from '../../src/engine/index.js';
import { composioSpec, loadArazzo } from '../../src/index.js';
import { startComposioSimulator } from '../../src/simulator/index.js';

type Sim = Awaited<ReturnType<typeof startComposioSimulator>>;
let sim: Sim | undefined;
afterEach(async () => sim?.close());

const inputs = {
  apiKey: 'sim_test_key',
  toolkitSlug: 'gmail',
  authType: 'use_composio_managed_auth',
  userId: 'u1',
};

describe('durable runs: state as data', () => {
  it('suspends at a long retry wait, survives a JSON round trip, and resumes without repeating steps', async () => {
    sim = await startComposioSimulator({ pollsUntilActive: 2 });
    const loaded = await loadArazzo(composioSpec);
    const options = { servers: { composioApi: sim.url } };
    const started = await startRunState(loaded, inputs, options);
    if (!('state' in started)) throw new Error('run did not start');
    let state: RunState = JSON.parse(JSON.stringify(started.state));
    const checkpoints: number[] = [];
    const suspensions: number[] = [];
    for (let hop = 0; hop < 10; hop++) {
      const out = await advanceRun(loaded, state, options, {
        suspendRetryOverMs: 1000,
        checkpoint: async (s) => void checkpoints.push(s.records.length),
      });
      if (out.status === 'done') {
        expect(out.result.status).toBe('succeeded');
        expect(out.result.outputs).toMatchObject({ status: 'ACTIVE' });
        expect(out.result.steps.map((s) => `${s.stepId}#${s.attempt}`)).toEqual([
          'createAuthConfig#1',
          'createConnectedAccount#1',
          'pollConnection#1',
          'pollConnection#2',
          'pollConnection#3',
          'confirmActive#1',
        ]);
        break;
      }
      suspensions.push(out.resumeAfterMs);
      // A different process would read this back from storage.
      state = JSON.parse(JSON.stringify(out.state));
    }
    expect(suspensions).toEqual([3000, 3000]);
    // Every request was sent once: 1 auth config, 1 account, 3 polls + 1 confirm.
    const posts = sim.requests.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(2);
    expect(sim.requests.filter((r) => r.method === 'GET')).toHaveLength(4);
    expect(checkpoints.length).toBeGreaterThanOrEqual(6);
  });
});
