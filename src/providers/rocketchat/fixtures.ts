import { BASE64URL_CHARS, type IdSource } from '../../core/ids.js';
import type { World } from '../../core/worlds.js';
import { hashLoginToken, hashPassword } from './crypto.js';
import { configureServer } from './domain.js';
import type { RocketChatStore } from './store.js';
import type { RocketChatFixtures } from './types.js';

/** Loads the Rocket.Chat section of a fixtures file (format in fixtures/README.md) through the store. */
export function loadFixtures(store: RocketChatStore, world: World, ids: IdSource, fixtures: RocketChatFixtures): void {
  const now = world.now();
  configureServer(store, world.id, { version: fixtures.version, videoConfProviders: fixtures.videoConfProviders, settings: fixtures.settings });
  for (const u of fixtures.users ?? []) {
    store.insertUser(world.id, {
      _id: u._id,
      username: u.username ?? null,
      name: u.name ?? null,
      emails: u.emails ?? [],
      roles: u.roles ?? ['user'],
      passwordHash: u.password === undefined ? null : hashPassword(u.password, ids),
      avatarETag: u.avatarETag ?? null,
      status: u.status ?? 'online',
      utcOffset: u.utcOffset ?? 0,
      active: u.active !== false,
    });
    for (const token of u.authTokens ?? []) store.addToken(world.id, u._id, hashLoginToken(token), now);
  }
  for (const r of fixtures.rooms ?? []) {
    store.insertRoom(world.id, {
      _id: r._id,
      t: r.t,
      name: r.name ?? null,
      fname: r.fname ?? null,
      ro: Boolean(r.ro),
      archived: Boolean(r.archived),
      muted: r.muted ?? [],
      unmuted: r.unmuted ?? [],
    });
    for (const member of r.members ?? []) {
      store.insertSubscription(world.id, r._id, member, { blocked: r.blocked?.includes(member) === true, blocker: r.blocker?.includes(member) === true });
    }
    for (const [userId, roles] of Object.entries(r.roles ?? {})) store.putRoomRoles(world.id, r._id, userId, roles);
  }
  for (const { calleeId, ...doc } of fixtures.calls ?? []) {
    store.insertCall(world.id, doc, Math.max(Date.parse(doc.createdAt), now), calleeId ?? null);
  }
}

/** A copy of a fixture section with a new login token per user (unique across worlds), for a new world. */
export function freshCredentials(section: RocketChatFixtures, ids: IdSource): RocketChatFixtures {
  const fixtures = structuredClone(section);
  for (const user of fixtures.users ?? []) user.authTokens = [ids.fromAlphabet(BASE64URL_CHARS, 43)];
  return fixtures;
}

/** The credentials a fixture section holds, as `POST /_emulator/worlds` lists them. */
export function listCredentials(section: RocketChatFixtures | undefined): Record<string, unknown> {
  return {
    users: (section?.users ?? []).map((u) => ({
      username: u.username ?? null,
      userId: u._id,
      authToken: u.authTokens?.[0] ?? null,
      password: u.password ?? null,
    })),
  };
}
