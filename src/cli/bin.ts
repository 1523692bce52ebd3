#!/usr/bin/env node
/** Entry point of the `arazzo` command: wires process streams into main() and sets the exit code. */
import nodeModule from 'node:module';
import v8 from 'node:v8';

// undici parses HTTP with llhttp, compiled to WebAssembly. V8 compiles it twice: a quick baseline
// (Liftoff) at load, then optimized code (TurboFan) on a background thread, about 200 ms of CPU on a small
// machine, and a process cannot exit until that compilation finishes. A command that sends a handful of
// requests gains nothing from it, so it keeps the baseline code. The long-running commands (a queue
// worker, a mock or MCP server) keep the optimizing tier. Set before anything compiles WebAssembly.
const longRunning = new Set(['worker', 'mock', 'mcp']);
if (!longRunning.has(process.argv[2] ?? '')) v8.setFlagsFromString('--liftoff-only');

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
    exitWhenFlushed();
  },
  (error: unknown) => {
    process.stderr.write(
      `arazzo: internal error: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
    exitWhenFlushed();
  },
);

/**
 * Exit once stdout and stderr are flushed. Every command has finished its work when main() settles (the
 * long-running ones, mock and worker, wait for their signal first). Letting the event loop drain instead
 * costs up to ~200 ms after the report is written: before exiting, Node waits for V8's background work
 * (a concurrent collection of the documents just loaded) and for idle keep-alive sockets.
 */
function exitWhenFlushed(): void {
  let pending = 2;
  const done = (): void => {
    pending -= 1;
    if (pending === 0) process.exit();
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}
