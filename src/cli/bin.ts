#!/usr/bin/env node
/** Entry point of the `arazzo` command: wires process streams into main() and sets the exit code. */
import nodeModule from 'node:module';

// Node 22.1+ caches the compiled code of the CLI and its dependencies between runs (a third of start-up
// goes to compiling); older Node has no such cache. NODE_DISABLE_COMPILE_CACHE=1 turns it off.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
const { main } = await import('./main.js');

const controller = new AbortController();
let interrupted = false;
process.on('SIGINT', () => {
  // First Ctrl-C cancels the run (the report still prints); a second one exits at once.
  if (interrupted) process.exit(130);
  interrupted = true;
  controller.abort(new Error('interrupted'));
});

// `arazzo run ... | head` closes the pipe early: stop quietly instead of crashing on EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') process.exitCode = 1;
    process.exit(process.exitCode ?? 0);
  });
}

main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  isTTY: process.stdout.isTTY === true,
  signal: controller.signal,
  cwd: process.cwd(),
}).then(
  (code) => {
    process.exitCode = interrupted && code !== 0 ? 130 : code;
  },
  (error: unknown) => {
    process.stderr.write(
      `arazzo: internal error: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
