import type { CliIO } from '../../src/cli/io.js';
import type { RunResult, StepRecord } from '../../src/engine/types.js';

export interface Captured {
  io: CliIO;
  stdout(): string;
  stderr(): string;
}

export function captureIO(
  options: { env?: Record<string, string>; isTTY?: boolean; stdin?: string; cwd?: string } = {},
): Captured {
  let out = '';
  let err = '';
  const stdinText = options.stdin ?? '';
  const io: CliIO = {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    stdin: {
      async *[Symbol.asyncIterator]() {
        yield new TextEncoder().encode(stdinText);
      },
    },
    env: options.env ?? {},
    isTTY: options.isTTY ?? false,
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
  };
  return { io, stdout: () => out, stderr: () => err };
}

export function step(partial: Partial<StepRecord> & Pick<StepRecord, 'stepId'>): StepRecord {
  return { workflowId: 'wf', attempt: 1, outcome: 'succeeded', criteria: [], durationMs: 10, ...partial };
}

export function result(partial: Partial<RunResult> = {}): RunResult {
  return {
    workflowId: 'wf',
    status: 'succeeded',
    outputs: {},
    steps: [],
    diagnostics: [],
    durationMs: 100,
    ...partial,
  };
}
