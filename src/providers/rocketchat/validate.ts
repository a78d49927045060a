import { passwordDigest } from './crypto.js';
import type { RocketChatStore } from './store.js';
import type { User } from './types.js';

/** The user a login body names (reference §9 `loginCompatibility`), or `null` for an unrecognised body. */
export function loginTarget(store: RocketChatStore, world: string, body: Record<string, unknown>): { user: User | undefined } | null {
  const { user, username, email } = body;
  if (typeof user === 'string') return { user: user.includes('@') ? store.userByEmail(world, user) : store.userByUsername(world, user) };
  if (user && typeof user === 'object') {
    const u = user as Record<string, unknown>;
    if (typeof u.username === 'string') return { user: store.userByUsername(world, u.username) };
    if (typeof u.email === 'string') return { user: store.userByEmail(world, u.email) };
    if (typeof u.id === 'string') return { user: store.userById(world, u.id) };
    return null;
  }
  if (typeof username === 'string') return { user: store.userByUsername(world, username) };
  if (typeof email === 'string') return { user: store.userByEmail(world, email) };
  return null;
}

export function passwordDigestOf(password: unknown): string | null {
  if (typeof password === 'string') return passwordDigest(password);
  if (password && typeof password === 'object') {
    const { digest, algorithm } = password as Record<string, unknown>;
    if (typeof digest === 'string' && algorithm === 'sha-256') return digest;
  }
  return null;
}
