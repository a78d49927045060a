/** The release a world behaves as unless its fixtures name another (`@rocket.chat/rest-typings` 8.8.1). */
export const DEFAULT_VERSION = '8.8.1';

/** Status values of a call (reference §6.3). */
export const CallStatus = { CALLING: 0, STARTED: 1, EXPIRED: 2, ENDED: 3, DECLINED: 4 } as const;

export interface CallUser {
  _id: string;
  username?: string;
  name?: string;
  avatarETag?: string | null;
  ts: string;
}

export interface UserRef {
  _id: string;
  name?: string;
  username?: string;
}

/** The stored call document (reference §6.1). Dates are ISO strings, kept exactly as written. */
export interface CallDoc {
  _id: string;
  type: 'videoconference' | 'direct';
  users: CallUser[];
  messages: { started?: string; ended?: string };
  status: number;
  anonymousUsers?: number;
  createdAt: string;
  providerName: string;
  ringing?: boolean;
  title?: string;
  rid: string;
  createdBy: UserRef;
  _updatedAt: string;
  url: string;
  endedBy?: UserRef;
  endedAt?: string;
}

export interface StoredCall {
  doc: CallDoc;
  mark: number;
  calleeId: string | null;
}

export interface User {
  _id: string;
  username: string | null;
  name: string | null;
  emails: { address: string; verified: boolean }[];
  roles: string[];
  passwordHash: string | null;
  avatarETag: string | null;
  status: string;
  utcOffset: number;
  active: boolean;
}

export interface Room {
  _id: string;
  t: 'c' | 'p' | 'd';
  name: string | null;
  fname: string | null;
  ro: boolean;
  archived: boolean;
  muted: string[];
  unmuted: string[];
}

export interface Subscription {
  blocked: boolean;
  blocker: boolean;
}

/** A video-conference provider registered in a world (`videoConfProviders` of the fixtures). */
export interface RegisteredProvider {
  key: string;
  label: string;
  /** An app whose settings are incomplete: `video-conf-provider-not-configured` (reference §12). */
  configured: boolean;
}

/** Who a request runs as: a logged-in user, or an anonymous guest (join only). */
export type Principal = { kind: 'user'; user: User; hashedToken: string } | { kind: 'anonymous' } | { kind: 'none' };

/** The Rocket.Chat section of a fixtures file (documented in fixtures/README.md). */
export interface RocketChatFixtures {
  /** The server version the world behaves as (`GET /api/info`); default {@link DEFAULT_VERSION}. */
  version?: string;
  settings?: Record<string, unknown>;
  videoConfProviders?: { key: string; label?: string; configured?: boolean }[];
  users?: {
    _id: string;
    username?: string;
    name?: string;
    emails?: { address: string; verified: boolean }[];
    roles?: string[];
    password?: string;
    authTokens?: string[];
    avatarETag?: string | null;
    status?: string;
    utcOffset?: number;
    active?: boolean;
  }[];
  rooms?: {
    _id: string;
    t: 'c' | 'p' | 'd';
    name?: string;
    fname?: string;
    ro?: boolean;
    archived?: boolean;
    muted?: string[];
    unmuted?: string[];
    members?: string[];
    blocked?: string[];
    blocker?: string[];
    /** Room roles of members (their subscription's `roles`), by user id. */
    roles?: Record<string, string[]>;
  }[];
  calls?: (CallDoc & { calleeId?: string })[];
}
