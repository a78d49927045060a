/**
 * A world's domain events: what changed, told by the code that changed it (a REST call, a control
 * action, the clock), in the provider's own vocabulary. Providers' realtime endpoints listen and turn
 * events into their wire frames. Nothing is kept and nothing is done when no one listens, so the
 * REST hot path pays one size check per change.
 */
export interface DomainEvent {
  /** Provider slug (`rocketchat`, `signalwire`, `dingtalk`). */
  provider: string;
  /** The provider's name for the change, e.g. `call.started`, `room.started`, `member.joined`. */
  type: string;
  /** Epoch ms on the world's clock when it happened. */
  at: number;
  /** What the listener needs to build its frames (ids, the changed document). */
  data: Record<string, unknown>;
}

export type DomainEventListener = (event: DomainEvent) => void;

export class WorldEvents {
  readonly #listeners = new Set<DomainEventListener>();

  /** True when someone listens: callers may skip building an event's data otherwise. */
  get listening(): boolean {
    return this.#listeners.size > 0;
  }

  emit(event: DomainEvent): void {
    if (this.#listeners.size === 0) return;
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch {
        // A listener's failure (a closed socket) must not undo or fail the change that was told.
      }
    }
  }

  /** Listens until the returned function is called. */
  on(listener: DomainEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
