/** Composio simulator: a loopback stand-in for the Composio v3 API used by the bundled workflow (issue #5). */
export { startComposioSimulator } from './server.js';
export type {
  ComposioSimulator,
  ComposioSimulatorBehaviour,
  ComposioSimulatorOptions,
  ConnectionOutcome,
  SimulatorFault,
  SimulatorOperation,
  SimulatorRequestLog,
} from './types.js';
