import { readFileSync } from 'node:fs';

/** A fresh copy of the default Rocket.Chat fixture section (fixtures/rocketchat.json), to change for one test. */
export const defaultRocketChat = (): Record<string, any> => JSON.parse(readFileSync(new URL('../../../fixtures/rocketchat.json', import.meta.url), 'utf8'));

/** Credentials of the default Rocket.Chat fixtures (fixtures/rocketchat.json). */
export const JOHN = { 'x-user-id': 'CkCPNctrgCDfmWLqC', 'x-auth-token': '1Dd4iN_ClKn5jl-xPC36snQ4s9Zd5GZnXCQuCNSKcVE' };
export const JANE = { 'x-user-id': 'fRv4qm8ycWHXSA7af', 'x-auth-token': 'Jz7uQ2mVx9LrT4kWn8bYc3HdE6pSa5Gf1iNoKqXwR0t' };
export const ADMIN = { 'x-user-id': 'rbAXPnMktTFbNpwtJ', 'x-auth-token': 'Ad9mN3qR7sT1vW5xY2zB6cD0eF4gH8iJ-kL_mP3oQ7r' };
export const OUTSIDER = { 'x-user-id': 'ZDxqfhLNwTv7Wc3Ea', 'x-auth-token': 'Ou7sIdEr_9kLmN2pQ5rS8tU1vW4xY7zA0bC3dE6fG9h' };

export const UI_TEST = '674eca3e43725ce31dd9a2e8';
export const TESTDISCUSSION = '68c8071650223764573dd2dc';
export const PRIVATE_ROOM = '65f0a1b2c3d4e5f6a7b8c9d0';
export const DM = 'CkCPNctrgCDfmWLqCfRv4qm8ycWHXSA7af';

export const INFO_CALL = '697866d5c8b053302078137a';
export const JOIN_CALL = '697887e3c8b0533020781a4a';
export const EXPIRED_CALL = '6772586c8dd061cca4edc998';
export const PRIVATE_CALL = '65f0a1b2c3d4e5f6a7b8c9e1';

/** The 401 of a missing or bad login from 8.0 (`API.v1.unauthorized`), and before 8.0 (reference §12). */
export const NOT_LOGGED_IN = { success: false, error: 'You must be logged in to do this.' };
export const NOT_LOGGED_IN_7 = { ...NOT_LOGGED_IN, status: 'error', message: 'You must be logged in to do this.' };
export const INVALID_PARAMS = { success: false, error: 'invalid-params' };
export const invalid = (message: string) => ({ success: false, error: `${message} [invalid-params]`, errorType: 'invalid-params' });

/** Jane's `me` object without `avatarUrl`, which depends on where the emulator is reached (reference §9). */
export const JANE_ME_FIELDS = {
  _id: 'fRv4qm8ycWHXSA7af',
  username: 'jane.doe',
  name: 'jane',
  emails: [{ address: 'jane@example.com', verified: true }],
  email: 'jane@example.com',
  status: 'online',
  active: true,
  roles: ['user'],
  utcOffset: 0,
  settings: { profile: {}, preferences: {} },
};

/** The documentation's video-conference.info example, verbatim (shared/seeds). */
export const INFO_EXAMPLE = {
  _id: '697866d5c8b053302078137a',
  type: 'videoconference',
  users: [{ _id: 'fRv4qm8ycWHXSA7af', username: 'jane.doe', name: 'jane', avatarETag: null, ts: '2026-01-27T07:18:46.491Z' }],
  messages: { started: 'RdiQLFktbFxtK2XTZ' },
  status: 1,
  anonymousUsers: 0,
  createdAt: '2026-01-27T07:18:45.956Z',
  providerName: 'googlemeet',
  ringing: true,
  title: 'testdiscussion',
  rid: '68c8071650223764573dd2dc',
  createdBy: { _id: 'fRv4qm8ycWHXSA7af', name: 'jane', username: 'jane.doe' },
  _updatedAt: '2026-01-27T07:18:46.491Z',
  url: 'http://g.co/meet/RocketChat_697866d5c8b053302078137a',
  capabilities: { mic: false, cam: false, title: false },
  success: true,
};
