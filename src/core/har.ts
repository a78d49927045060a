import { closeSync, existsSync, fstatSync, openSync, readFileSync, writeSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import { isSecretHeader, isSecretKey, REDACTED, redactSecrets } from './redact.js';

/** HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/): the parts a recording holds. */
export interface HarHeader {
  name: string;
  value: string;
}

export interface HarEntry {
  startedDateTime: string;
  time: number;
  request: {
    method: string;
    url: string;
    httpVersion: string;
    cookies: unknown[];
    headers: HarHeader[];
    queryString: HarHeader[];
    postData?: { mimeType: string; text: string };
    headersSize: number;
    bodySize: number;
  };
  response: {
    status: number;
    statusText: string;
    httpVersion: string;
    cookies: unknown[];
    headers: HarHeader[];
    content: { size: number; mimeType: string; text?: string };
    redirectURL: string;
    headersSize: number;
    bodySize: number;
  };
  cache: Record<string, never>;
  timings: { send: number; wait: number; receive: number };
  /** Custom fields (HAR allows `_`-prefixed ones): which provider and documented operation. */
  _provider?: string;
  _operationId?: string | null;
}

export interface Har {
  log: { version: string; creator: { name: string; version: string }; entries: HarEntry[] };
}

/** One exchange as the proxy saw it, before redaction. */
export interface Exchange {
  startedAt: number;
  durationMs: number;
  provider: string;
  operationId: string | null;
  method: string;
  /** The upstream URL the request went to. */
  url: string;
  /** Raw header pairs as sent to the upstream / received from it. */
  requestHeaders: [string, string][];
  requestBody: Buffer;
  status: number;
  statusText?: string;
  responseHeaders: [string, string][];
  /** The response body, decoded (no content encoding). */
  responseBody: Buffer;
}

const headerPairs = (pairs: [string, string][]): HarHeader[] =>
  pairs.map(([name, value]) => ({ name, value: isSecretHeader(name) ? REDACTED : value }));

/** A body as a recording keeps it: JSON with its secrets redacted (as the journal does), else the text. */
function bodyText(body: Buffer, contentType: string): string {
  const text = body.toString('utf8');
  if (!/json/i.test(contentType) || text.trim() === '') return text;
  try {
    return JSON.stringify(redactSecrets(JSON.parse(text)));
  } catch {
    return text;
  }
}

const headerValue = (pairs: [string, string][], name: string) => pairs.find(([n]) => n.toLowerCase() === name)?.[1];

/** The HAR entry of an exchange, with tokens, passwords and secrets redacted as the journal redacts them. */
export function harEntry(x: Exchange): HarEntry {
  const url = new URL(x.url);
  const queryString: HarHeader[] = [];
  let redactedQuery = false;
  for (const [name, value] of url.searchParams) {
    const secret = isSecretKey(name);
    redactedQuery ||= secret;
    queryString.push({ name, value: secret ? REDACTED : value });
  }
  if (redactedQuery) url.search = new URLSearchParams(queryString.map((q) => [q.name, q.value])).toString();
  const requestType = headerValue(x.requestHeaders, 'content-type') ?? '';
  const responseType = headerValue(x.responseHeaders, 'content-type') ?? '';
  const responseText = bodyText(x.responseBody, responseType);
  const entry: HarEntry = {
    startedDateTime: new Date(x.startedAt).toISOString(),
    time: x.durationMs,
    request: {
      method: x.method,
      url: url.toString(),
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: headerPairs(x.requestHeaders),
      queryString,
      headersSize: -1,
      bodySize: x.requestBody.length,
    },
    response: {
      status: x.status,
      statusText: x.statusText ?? STATUS_CODES[x.status] ?? '',
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: headerPairs(x.responseHeaders),
      content: { size: x.responseBody.length, mimeType: responseType, ...(responseText === '' ? {} : { text: responseText }) },
      redirectURL: '',
      headersSize: -1,
      bodySize: x.responseBody.length,
    },
    cache: {},
    timings: { send: 0, wait: x.durationMs, receive: 0 },
    _provider: x.provider,
    _operationId: x.operationId,
  };
  if (x.requestBody.length > 0) entry.request.postData = { mimeType: requestType, text: bodyText(x.requestBody, requestType) };
  return entry;
}

const FOOTER = '\n]}}\n';

export class HarError extends Error {}

/**
 * Appends entries to a HAR file that stays valid after every write: each entry (one line of JSON)
 * is written together with the closing brackets, over the previous ones, in one write. A crash
 * loses at most the exchange being written. An existing recording of ours is appended to.
 */
export class HarRecorder {
  readonly file: string;
  readonly #fd: number;
  #footerAt: number;
  #entries: number;

  constructor(file: string, creatorVersion: string) {
    this.file = file;
    let existing: Har | undefined;
    let text = '';
    if (existsSync(file)) {
      text = readFileSync(file, 'utf8');
      if (text.trim() !== '') {
        try {
          existing = JSON.parse(text) as Har;
        } catch {
          throw new HarError(`record file ${file} is not a HAR file (not JSON); choose a new file`);
        }
        if (!Array.isArray(existing?.log?.entries) || !text.endsWith(FOOTER)) {
          throw new HarError(`record file ${file} is not a recording this emulator wrote, so it cannot be appended to; choose a new file`);
        }
      }
    }
    try {
      this.#fd = openSync(file, existing ? 'r+' : 'w');
    } catch (err) {
      throw new HarError(`cannot open record file ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    if (existing) {
      this.#entries = existing.log.entries.length;
      this.#footerAt = fstatSync(this.#fd).size - Buffer.byteLength(FOOTER);
    } else {
      const head = `{"log":{"version":"1.2","creator":${JSON.stringify({ name: 'vconf-emulator', version: creatorVersion })},"entries":[`;
      writeSync(this.#fd, head + FOOTER, 0);
      this.#entries = 0;
      this.#footerAt = Buffer.byteLength(head);
    }
  }

  get entries(): number {
    return this.#entries;
  }

  append(entry: HarEntry): void {
    const line = `${this.#entries === 0 ? '\n' : ',\n'}${JSON.stringify(entry)}`;
    writeSync(this.#fd, line + FOOTER, this.#footerAt);
    this.#footerAt += Buffer.byteLength(line);
    this.#entries++;
  }

  close(): void {
    closeSync(this.#fd);
  }
}

/** Reads a HAR file (ours, or one a browser or HTTP tool wrote). */
export function readHar(file: string): Har {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new HarError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let har: Har;
  try {
    har = JSON.parse(text) as Har;
  } catch (err) {
    throw new HarError(`${file} is not a HAR file: ${(err as Error).message}`);
  }
  if (!Array.isArray(har?.log?.entries)) throw new HarError(`${file} is not a HAR file: no log.entries`);
  return har;
}
