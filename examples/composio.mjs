// Run the bundled Composio workflow from Node code, using only the public API.
//   npm run build && node examples/composio.mjs
// Against the real service instead of the simulator: COMPOSIO_API_KEY=... node examples/composio.mjs --live
import { composioSpec, runWorkflow } from 'arazzo-runtime';
import { startComposioSimulator } from 'arazzo-runtime/simulator';

const live = process.argv.includes('--live');
const sim = live ? undefined : await startComposioSimulator({ pollsUntilActive: 1 });

const result = await runWorkflow(
  composioSpec,
  {
    apiKey: live ? process.env.COMPOSIO_API_KEY : 'sim_test_key',
    toolkitSlug: 'gmail',
    authType: 'use_composio_managed_auth',
    userId: 'user_123',
  },
  {
    ...(sim ? { servers: { composioApi: sim.url } } : {}),
    onEvent: (e) => {
      if (e.type === 'step-end') console.log(`${e.record.stepId} #${e.record.attempt}: ${e.record.outcome}`);
      if (e.type === 'retry-wait') console.log(`  waiting ${e.delayMs} ms (${e.reason})`);
    },
  },
);

console.log(result.status, result.outputs);
await sim?.close();
process.exitCode = result.status === 'succeeded' ? 0 : 1;
