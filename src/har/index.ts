/** Public surface of har/: record a run's exchanges as HAR 1.2, replay a recorded log offline. */
export { createHarRecorder, type HarRecorder, type HarRecorderOptions } from './record.js';
export { createReplayTransport, parseHar, type ReplayOptions } from './replay.js';
export type { Har, HarEntry, HarNameValue, HarRequest, HarResponse } from './types.js';
