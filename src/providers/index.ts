import { dingtalk } from './dingtalk/index.js';
import { rocketchat } from './rocketchat/index.js';
import { signalwire } from './signalwire/index.js';
import type { ProviderModule } from './types.js';

/** Every provider, in mount order. Explicit on purpose: no autoloading. */
export const providers: ProviderModule[] = [rocketchat, signalwire, dingtalk];
