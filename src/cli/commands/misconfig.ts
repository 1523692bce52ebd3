/** Checks that turn a silently ignored misconfiguration (a scenario key, an --input name, a sidecar) into a usage error. */
import { basename, dirname, join } from 'node:path';
import type { ArazzoDocument, WorkflowObject } from '../../document/model.js';
import { didYouMean } from '../../document/suggest.js';
import type { Scenario } from '../../mock/types.js';
import type { LoadedDocument } from '../../sources/types.js';
import { inputProperties, UsageError } from '../args.js';

/** Every name a scenario may script in this document and its sources. */
export function scenarioTargets(loaded: LoadedDocument): { operations: string[]; steps: string[] } {
  const operations = new Set<string>();
  for (const source of loaded.sources.values()) {
    if (source.kind !== 'openapi') continue;
    for (const op of source.allOperations()) {
      if (op.operationId !== undefined) operations.add(op.operationId);
      operations.add(`${op.method.toUpperCase()} ${op.path}`);
    }
  }
  const steps = new Set<string>();
  for (const w of loaded.document.workflows)
    for (const s of w.steps) {
      steps.add(s.stepId);
      steps.add(`${w.workflowId}/${s.stepId}`);
    }
  return { operations: [...operations], steps: [...steps] };
}

/** Throws when a scenario scripts an operation or step the document does not have. */
export async function assertScenarioFits(
  scenario: Scenario,
  loaded: LoadedDocument,
  label: string,
  command: string,
): Promise<void> {
  const { checkScenarioKeys } = await import('../../mock/scenario.js');
  const issues = checkScenarioKeys(scenario, scenarioTargets(loaded));
  if (issues.length === 0) return;
  throw new UsageError(`${label}: ${issues.map((i) => `${i.pointer}: ${i.message}`).join('; ')}`, command);
}

/**
 * Throws for an `--input` name none of `workflows` declares (it would be ignored and the default used).
 * A workflow whose input schema names no properties accepts nothing by name, so it declares nothing.
 */
export function assertDeclaredInputs(
  document: ArazzoDocument,
  workflows: readonly WorkflowObject[],
  names: readonly string[],
  command: string,
): void {
  const declared = new Set(workflows.flatMap((w) => inputProperties(document, w).map((p) => p.name)));
  for (const name of names) {
    if (declared.has(name)) continue;
    const which = workflows.length === 1 ? `workflow "${workflows[0]?.workflowId}"` : 'no workflow';
    const list = [...declared];
    const hint = didYouMean(name, list);
    throw new UsageError(
      `--input ${name}: ${which} ${workflows.length === 1 ? 'does not declare' : 'declares'} an input "${name}"${hint || (list.length > 0 ? ` (declared: ${list.join(', ')})` : ' (it declares no inputs)')}`,
      command,
    );
  }
}

/** After a multi-document `arazzo test`: an `--input` no loaded workflow declared was a typo. */
export function assertInputsDeclaredSomewhere(
  names: readonly string[],
  declared: ReadonlySet<string>,
  anyLoaded: boolean,
): void {
  if (!anyLoaded) return;
  for (const name of names) {
    if (declared.has(name)) continue;
    throw new UsageError(
      `--input ${name}: no workflow of any document declares an input "${name}"${didYouMean(name, [...declared])}`,
      'test',
    );
  }
}

/** `shop.arazzo.yaml` -> ['shop.arazzo', 'shop']: the names a user would give files that belong to it. */
export function stemsOf(file: string): string[] {
  const name = basename(file);
  const noExt = name.replace(/\.(ya?ml|json)$/i, '');
  const noArazzo = noExt.replace(/\.arazzo$/i, '');
  return noArazzo === noExt ? [noExt] : [noExt, noArazzo];
}

/**
 * The sidecar inputs files tried for a document, in order: `<file>.inputs.json` read literally
 * (`shop.arazzo.yaml.inputs.json`), then without the extension (`shop.arazzo.inputs.json`), then without
 * `.arazzo` (`shop.inputs.json`).
 */
export function sidecarCandidates(file: string): string[] {
  const dir = dirname(file);
  return [`${file}.inputs.json`, ...stemsOf(file).map((stem) => join(dir, `${stem}.inputs.json`))];
}

/** The scenario files tried in `--scenario-dir` for a document: each stem with .yaml, .yml, .json. */
export function scenarioCandidates(dir: string, file: string): string[] {
  const names = [basename(file), ...stemsOf(file).flatMap((s) => [`${s}.yaml`, `${s}.yml`, `${s}.json`])];
  return [...new Set(names)].map((name) => join(dir, name));
}

/** Sidecar inputs and scenario files are never Arazzo documents, whatever glob matched them. */
export function isCompanionFile(file: string): boolean {
  return /\.inputs\.(json|ya?ml)$/i.test(file);
}
