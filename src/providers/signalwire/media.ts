import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendWire } from '../../core/reply.js';
import { signMediaLink } from './crypto.js';
import { errors, toWire } from './errors.js';
import { recordingFile } from './present.js';
import type { SignalWireStore } from './store.js';

const FILE = /^([0-9a-f-]{36})\.mp4$/i;

/**
 * `GET /media/signalwire/{world}/room_recordings/{id}.mp4?expires=&signature=`: the file behind a
 * completed recording's temporary `uri` (reference §4.7: "a temporary link valid 15 min by default").
 * No credentials: the link itself is the permission, until `expires` (Unix seconds, world clock).
 * An unknown or deleted recording is 404; a forged or expired link 403.
 */
export function mediaPlugin(store: SignalWireStore) {
  return async (app: FastifyInstance): Promise<void> => {
    const fail = (reply: FastifyReply, status: 403 | 404) =>
      sendWire(reply, toWire(status === 404 ? errors.notFound() : errors.forbidden()));

    app.setNotFoundHandler((_req, reply) => fail(reply, 404));
    app.setErrorHandler((_err, _req, reply) => sendWire(reply, toWire(errors.internal())));
    app.get('/:world/room_recordings/:file', (req: FastifyRequest, reply) => {
      const { world: worldId, file } = req.params as { world: string; file: string };
      const { expires, signature } = req.query as { expires?: string; signature?: string };
      const world = req.server.emulator.worlds.get(worldId);
      const id = FILE.exec(file)?.[1]?.toLowerCase();
      const recording = world && id ? store.recordings.get(world.id, id)?.doc : undefined;
      if (!world || !recording || recording.status !== 'completed') return fail(reply, 404);
      if (typeof expires !== 'string' || !/^\d{1,12}$/.test(expires) || typeof signature !== 'string') return fail(reply, 403);
      const key = store.signingKey(world.id, () => req.server.emulator.ids.hex(128));
      const expected = Buffer.from(signMediaLink(key, world.id, recording.id, Number(expires)));
      const given = Buffer.from(signature);
      if (given.length !== expected.length || !timingSafeEqual(given, expected) || world.now() > Number(expires) * 1000) return fail(reply, 403);
      const body = recordingFile(recording.duration ?? 0);
      return reply
        .code(200)
        .header('content-type', recording.format ?? 'video/mp4')
        .header('content-disposition', `attachment; filename="${recording.id}.mp4"`)
        .header('cache-control', 'private, no-store')
        .send(body);
    });
  };
}
