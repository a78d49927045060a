// The provider's rules and every state change, one file per resource; see src/providers/README.md.
export * from './rules.js';
export * from './sessions.js';
export * from './conferences.js';
export * from './rooms.js';
export * from './room-tokens.js';
