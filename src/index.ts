export { buildApp, type EmulatorOptions } from './app.js';
export type { FixtureSet } from './core/worlds.js';
