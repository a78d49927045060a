import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { WebSocketServer, type WebSocket } from 'ws';

/** A WebSocket endpoint a provider serves on the emulator's port (Rocket.Chat `/websocket`, SignalWire Relay). */
export interface SocketRoute {
  /** Request paths (without the query string) this route accepts. */
  paths: string[];
  /** Called once per accepted socket. */
  connect(socket: WebSocket, req: IncomingMessage): void;
}

export interface SocketLimits {
  /** Largest frame a client may send, in bytes; a larger one closes the socket (1009). */
  maxPayload: number;
  /** Bytes queued to a client that does not read; past it the socket is closed (1008). */
  maxBuffered: number;
}

export const DEFAULT_SOCKET_LIMITS: SocketLimits = { maxPayload: 1024 * 1024, maxBuffered: 4 * 1024 * 1024 };

/**
 * Sends a text frame unless the client has stopped reading: a socket whose queue passed the limit
 * is closed instead, so a stalled client costs bounded memory. Returns whether the frame was queued.
 */
export function sendFrame(socket: WebSocket, text: string, limits: SocketLimits = DEFAULT_SOCKET_LIMITS): boolean {
  if (socket.readyState !== socket.OPEN) return false;
  if (socket.bufferedAmount + text.length > limits.maxBuffered) {
    socket.close(1008, 'client does not read');
    // A peer that reads nothing would also never read the close frame.
    setTimeout(() => socket.terminate(), 1000).unref();
    return false;
  }
  socket.send(text);
  return true;
}

/**
 * Routes HTTP upgrades on the app's server by path. Plain HTTP requests never reach this code, so it
 * costs the REST API nothing; an upgrade to any other path is refused with 404, as a plain request would be.
 */
export function mountWebSockets(app: FastifyInstance, routes: SocketRoute[], limits: SocketLimits = DEFAULT_SOCKET_LIMITS): void {
  if (routes.length === 0) return;
  const byPath = new Map<string, SocketRoute>();
  for (const route of routes) for (const path of route.paths) byPath.set(path, route);
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxPayload, perMessageDeflate: false });

  const onUpgrade = (req: IncomingMessage, raw: Duplex, head: Buffer) => {
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const route = byPath.get(queryAt === -1 ? url : url.slice(0, queryAt));
    if (!route) {
      raw.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, raw, head, (socket) => {
      socket.on('error', () => socket.terminate());
      route.connect(socket, req);
    });
  };

  app.addHook('onReady', (done) => {
    app.server.on('upgrade', onUpgrade);
    done();
  });
  app.addHook('preClose', (done) => {
    app.server.off('upgrade', onUpgrade);
    for (const socket of wss.clients) socket.terminate();
    wss.close(() => done());
  });
}
