/**
 * The modules the CLI calls, imported lazily so `arazzo --help` and usage errors start fast and load
 * nothing heavy (ajv, undici, yaml come in only with a command that needs them).
 */
import type { Diagnostic } from '../document/diagnostic.js';
import type { ArazzoDocument } from '../document/model.js';
import type { RunOptions } from '../engine/options.js';
import type { RunResult } from '../engine/types.js';
import type { ComposioSimulator, ComposioSimulatorOptions } from '../simulator/types.js';
import type { LoadedDocument, LoadOptions, ValidateOptions } from '../sources/types.js';

export interface EngineModule {
  runWorkflow(
    spec: string | URL | LoadedDocument,
    inputs?: Record<string, unknown>,
    options?: RunOptions,
  ): Promise<RunResult>;
}

export interface SourcesModule {
  loadArazzo(source: string | URL | object, options?: LoadOptions): Promise<LoadedDocument>;
  validate(
    source: string | URL | object,
    options?: ValidateOptions,
  ): Promise<{ valid: boolean; diagnostics: Diagnostic[] }>;
}

export interface SimulatorModule {
  startComposioSimulator(options?: ComposioSimulatorOptions): Promise<ComposioSimulator>;
}

export interface GraphModule {
  toMermaid(document: ArazzoDocument, workflowId?: string): string;
  toDot(document: ArazzoDocument, workflowId?: string): string;
}

export const loadEngine = (): Promise<EngineModule> => import('../engine/index.js');
export const loadSources = (): Promise<SourcesModule> => import('../sources/index.js');
export const loadSimulator = (): Promise<SimulatorModule> => import('../simulator/index.js');
export const loadGraph = (): Promise<GraphModule> => import('../graph/index.js');
