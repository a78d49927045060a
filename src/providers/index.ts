import { rocketchat } from './rocketchat/index.js';
import type { ProviderModule } from './types.js';

/** Every provider, in mount order. Explicit on purpose: no autoloading. */
export const providers: ProviderModule[] = [rocketchat];
