// Queue throughput with 1, 2 and 4 worker processes (needs `npm run build` and redis-server).
// Usage: node bench/queue.mjs [runs]   — or import { benchQueueAll } from bench/run.mjs.
import { benchQueue } from '../dist/queue/bench.js';

export async function benchQueueAll(runs = 400) {
  const results = [];
  for (const workers of [1, 2, 4]) results.push(await benchQueue({ workers, runs }));
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const runs = Number(process.argv[2] ?? 400);
  for (const r of await benchQueueAll(runs)) {
    process.stdout.write(
      `queue workers=${r.workers} runs=${r.runs} ok=${r.succeeded} ${r.seconds}s ${r.runsPerSec} runs/s ${r.stepsPerSec} steps/s\n`,
    );
  }
}
