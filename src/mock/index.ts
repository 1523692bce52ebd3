/** Public surface of mock/: offline mock transport, scenarios, mock server. */

export { dummyAuth, dummyCredential, type SynthesizeOptions, synthesizeInputs } from './inputs.js';
export { createMessageMock } from './messages.js';
export { chooseMediaType, chooseStatus, findResponse } from './respond.js';
export {
  checkScenarioKeys,
  isScenarioError,
  loadScenario,
  ScenarioCursor,
  ScenarioError,
  type ScenarioIssue,
  type ScenarioTargets,
  type StepRef,
} from './scenario.js';
export { type MockServer, type MockServerOptions, startMockServer } from './server.js';
export { createMockTransport } from './transport.js';
export type { MockAnswer, MockTransportOptions, Scenario, ScenarioResponse } from './types.js';
