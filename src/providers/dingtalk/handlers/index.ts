import type { Handler } from '../../../core/provider.js';
import type { DingTalkStore } from '../store/index.js';
import type { Principal } from '../types.js';
import { conferenceHandlers } from './conferences.js';
import { dataHandlers } from './data.js';
import { memberHandlers } from './members.js';
import { minutesHandlers } from './minutes.js';
import { recordingHandlers } from './recording.js';
import { scheduleHandlers } from './schedules.js';
import { tokenHandlers } from './token.js';

export { createScenarios } from './scenarios.js';

/** One handler per operationId of openapi/dingtalk.yaml, one file per resource group. */
export function createHandlers(store: DingTalkStore): Record<string, Handler<Principal>> {
  return { ...tokenHandlers(store), ...conferenceHandlers(store), ...memberHandlers(store), ...scheduleHandlers(store), ...recordingHandlers(store), ...dataHandlers(store), ...minutesHandlers(store) };
}
