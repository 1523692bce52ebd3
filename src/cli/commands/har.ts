/** `--har <file>` (record every exchange as HAR 1.2) and `--replay <file.har>` (answer from a recording). */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { RunOptions, Transport } from '../../engine/options.js';
import type { RunEvent } from '../../engine/types.js';
import { UsageError } from '../args.js';
import type { CommandContext } from '../context.js';
import { stringifyJson } from '../format.js';
import type { Reporter } from '../reporters/types.js';
import { writeOutputFile } from './output.js';

export interface HarRecording {
  onEvent(event: RunEvent): void;
  /** A reporter that only listens, for commands that fan events out to reporters. */
  reporter: Reporter;
  /** Write the log (masked once more with every secret the command knows). */
  write(): Promise<void>;
}

export async function startHarRecording(
  file: string,
  ctx: CommandContext,
  command: string,
): Promise<HarRecording> {
  const { createHarRecorder } = await import('../../har/index.js');
  const recorder = createHarRecorder({ version: 'cli' });
  const onEvent = (event: RunEvent) => recorder.onEvent(event);
  const ignore = () => {};
  return {
    onEvent,
    reporter: { start: ignore, onEvent, finish: ignore, invalid: ignore, error: ignore },
    async write() {
      const text = `${stringifyJson(ctx.masker.value(recorder.har()))}\n`;
      await writeOutputFile(ctx, file, text, '--har', command);
    },
  };
}

/** A fresh replay transport per run (each keeps its own position in the log). */
export async function loadReplay(
  file: string,
  ctx: CommandContext,
  command: string,
): Promise<() => Transport> {
  const { createReplayTransport, parseHar } = await import('../../har/index.js');
  let value: unknown;
  try {
    value = JSON.parse(await readFile(resolve(ctx.cwd, file), 'utf8'));
  } catch (error) {
    const why = (error as { code?: string }).code ?? (error as Error).message;
    throw new UsageError(`--replay: cannot read ${file} as JSON (${why})`, command);
  }
  let har: ReturnType<typeof parseHar>;
  try {
    har = parseHar(value);
  } catch (error) {
    throw new UsageError(`--replay ${file}: ${(error as Error).message}`, command);
  }
  return () => createReplayTransport(har);
}

/**
 * Send the run's requests to a replay transport. Decision (README "Semantics"): a replay skips retry
 * waits like mock mode, unless --max-retry-delay is given.
 */
export function answerFromReplay(options: RunOptions, transport: Transport): void {
  options.transport = transport;
  options.maxRetryDelayMs ??= 0;
}
