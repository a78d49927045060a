import type { Db } from '../../../core/db.js';
import type { MediaSegment, MetricOverride, StreamOut, TranscriptLine } from '../types.js';

const toSegment = (r: Record<string, any>): MediaSegment => ({
  mediaId: r.media_id,
  conferenceId: r.conference_id,
  kind: r.kind,
  unionId: r.union_id,
  startTime: r.start_time,
  endTime: r.end_time,
});
const toLine = (r: Record<string, any>): TranscriptLine => ({
  conferenceId: r.conference_id,
  seq: r.seq,
  unionId: r.union_id,
  userNick: r.user_nick,
  startTime: r.start_time,
  endTime: r.end_time,
  text: r.text,
});
const toStream = (r: Record<string, any>): StreamOut => ({
  streamId: r.stream_id,
  conferenceId: r.conference_id,
  unionId: r.union_id,
  name: r.name,
  url: r.url,
  startTime: r.start_time,
  endTime: r.end_time,
});

/** Media segments (cloud and minutes recordings), transcript lines, stream-outs and stated metrics, per world. */
export class MediaStore {
  readonly #s;

  constructor(db: Db) {
    this.#s = {
      segments: db.prepare('SELECT * FROM dingtalk_media WHERE world = ? AND conference_id = ? AND kind = ? ORDER BY start_time, rowid'),
      segment: db.prepare('SELECT * FROM dingtalk_media WHERE world = ? AND media_id = ?'),
      putSegment: db.prepare(
        `INSERT INTO dingtalk_media (world, media_id, conference_id, kind, union_id, start_time, end_time) VALUES (@world, @media_id, @conference_id, @kind, @union_id, @start_time, @end_time)
         ON CONFLICT (world, media_id) DO UPDATE SET end_time = excluded.end_time`,
      ),
      closeOpen: db.prepare('UPDATE dingtalk_media SET end_time = ? WHERE world = ? AND conference_id = ? AND kind = ? AND end_time IS NULL'),
      lines: db.prepare('SELECT * FROM dingtalk_transcript WHERE world = ? AND conference_id = ? ORDER BY start_time, seq'),
      nextLine: db.prepare('SELECT COALESCE(MAX(seq), 0) + 1 FROM dingtalk_transcript WHERE world = ? AND conference_id = ?').pluck(),
      putLine: db.prepare(
        'INSERT INTO dingtalk_transcript (world, conference_id, seq, union_id, user_nick, start_time, end_time, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      clearLines: db.prepare('DELETE FROM dingtalk_transcript WHERE world = ? AND conference_id = ?'),
      streams: db.prepare('SELECT * FROM dingtalk_streams WHERE world = ? AND conference_id = ? ORDER BY start_time, rowid'),
      putStream: db.prepare(
        `INSERT INTO dingtalk_streams (world, stream_id, conference_id, union_id, name, url, start_time, end_time) VALUES (@world, @stream_id, @conference_id, @union_id, @name, @url, @start_time, @end_time)
         ON CONFLICT (world, stream_id) DO UPDATE SET end_time = excluded.end_time`,
      ),
      minutes: db.prepare('SELECT overrides, readers FROM dingtalk_minutes WHERE world = ? AND conference_id = ?'),
      putMinutes: db.prepare(
        `INSERT INTO dingtalk_minutes (world, conference_id, overrides, readers) VALUES (?, ?, ?, ?)
         ON CONFLICT (world, conference_id) DO UPDATE SET overrides = excluded.overrides, readers = excluded.readers`,
      ),
      metrics: db.prepare('SELECT timestamp, sample FROM dingtalk_metrics WHERE world = ? AND conference_id = ? AND union_id = ? ORDER BY timestamp'),
      putMetric: db.prepare(
        `INSERT INTO dingtalk_metrics (world, conference_id, union_id, timestamp, sample) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (world, conference_id, union_id, timestamp) DO UPDATE SET sample = excluded.sample`,
      ),
      clearMetrics: db.prepare('DELETE FROM dingtalk_metrics WHERE world = ? AND conference_id = ? AND union_id = ?'),
      stopStreams: db.prepare('UPDATE dingtalk_streams SET end_time = ? WHERE world = ? AND conference_id = ? AND end_time IS NULL'),
    };
  }

  segments(world: string, conferenceId: string, kind: MediaSegment['kind']): MediaSegment[] {
    return (this.#s.segments.all(world, conferenceId, kind) as Record<string, any>[]).map(toSegment);
  }

  segment(world: string, mediaId: string): MediaSegment | undefined {
    const row = this.#s.segment.get(world, mediaId) as Record<string, any> | undefined;
    return row && toSegment(row);
  }

  putSegment(world: string, m: MediaSegment): void {
    this.#s.putSegment.run({ world, media_id: m.mediaId, conference_id: m.conferenceId, kind: m.kind, union_id: m.unionId, start_time: m.startTime, end_time: m.endTime });
  }

  /** Ends the running segment of that kind, if any. */
  closeOpen(world: string, conferenceId: string, kind: MediaSegment['kind'], at: number): void {
    this.#s.closeOpen.run(at, world, conferenceId, kind);
  }

  lines(world: string, conferenceId: string): TranscriptLine[] {
    return (this.#s.lines.all(world, conferenceId) as Record<string, any>[]).map(toLine);
  }

  nextLine(world: string, conferenceId: string): number {
    return this.#s.nextLine.get(world, conferenceId) as number;
  }

  putLine(world: string, l: TranscriptLine): void {
    this.#s.putLine.run(world, l.conferenceId, l.seq, l.unionId, l.userNick, l.startTime, l.endTime, l.text);
  }

  clearLines(world: string, conferenceId: string): void {
    this.#s.clearLines.run(world, conferenceId);
  }

  streams(world: string, conferenceId: string): StreamOut[] {
    return (this.#s.streams.all(world, conferenceId) as Record<string, any>[]).map(toStream);
  }

  putStream(world: string, s: StreamOut): void {
    this.#s.putStream.run({ world, stream_id: s.streamId, conference_id: s.conferenceId, union_id: s.unionId, name: s.name, url: s.url, start_time: s.startTime, end_time: s.endTime });
  }

  /** Stops every running stream-out of the conference. */
  stopStreams(world: string, conferenceId: string, at: number): void {
    this.#s.stopStreams.run(at, world, conferenceId);
  }

  /** What the control plane set in place of the derived minutes, and the users given read permission. */
  minutes(world: string, conferenceId: string): { overrides: Record<string, unknown>; readers: string[] } {
    const row = this.#s.minutes.get(world, conferenceId) as { overrides: string; readers: string } | undefined;
    return row ? { overrides: JSON.parse(row.overrides), readers: JSON.parse(row.readers) } : { overrides: {}, readers: [] };
  }

  putMinutes(world: string, conferenceId: string, m: { overrides: Record<string, unknown>; readers: string[] }): void {
    this.#s.putMinutes.run(world, conferenceId, JSON.stringify(m.overrides), JSON.stringify(m.readers));
  }

  /** The metric samples the control plane stated for a member, in time order: the fields given, with their timestamp. */
  metrics(world: string, conferenceId: string, unionId: string): MetricOverride[] {
    return (this.#s.metrics.all(world, conferenceId, unionId) as { timestamp: number; sample: string }[]).map((r) => ({ ...JSON.parse(r.sample), timestamp: r.timestamp }));
  }

  putMetric(world: string, conferenceId: string, unionId: string, sample: MetricOverride): void {
    const { timestamp, ...fields } = sample;
    this.#s.putMetric.run(world, conferenceId, unionId, timestamp, JSON.stringify(fields));
  }

  clearMetrics(world: string, conferenceId: string, unionId: string): void {
    this.#s.clearMetrics.run(world, conferenceId, unionId);
  }
}
