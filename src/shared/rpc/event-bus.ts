// The engine's outgoing events. Transports subscribe and forward; every subscription can be undone.
import type { EventName, EventPayload, Unsubscribe } from '../contract/index.js';

export type BusListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export class EventBus {
  readonly #listeners = new Set<BusListener>();

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event, payload);
      } catch (error) {
        // One broken listener (a closed socket) must not stop the others.
        console.error(`stir: an event listener failed on ${event}:`, error);
      }
    }
  }

  subscribe(listener: BusListener): Unsubscribe {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get size(): number {
    return this.#listeners.size;
  }
}
