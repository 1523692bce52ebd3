import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Child processes run the built code: build when dist/queue is missing or older than src/ (CI builds first,
 * so this is a no-op there). Type errors elsewhere in the tree do not stop tsc from emitting.
 */
export function ensureBuilt(): void {
  let built = 0;
  try {
    built = statSync(join(root, 'dist/queue/worker.js')).mtimeMs;
  } catch {
    built = 0;
  }
  if (built >= newestMtime(join(root, 'src'))) return;
  try {
    execFileSync(
      process.execPath,
      [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
      {
        cwd: root,
        stdio: 'ignore',
      },
    );
  } catch {
    // Emitted anyway; the import in the child fails loudly if not.
  }
}
