// Bounded snapshot undo (the transaction handler of a fabric editor, react-design-editor's model): every
// edit records the whole document state after it. States are immutable and share unchanged parts (a region
// object, a mask's bytes) with the states before them, so a snapshot costs a few pointers, not a copy.

export interface HistoryEntry<S> {
  state: S;
  /** What the edit did, in words, for "Undo <label>" tooltips. */
  label: string;
  /** Edits with the same key in a row (a slider drag, typing in a field) merge into one step. */
  coalesceKey: string | null;
}

export class History<S> {
  readonly #limit: number;
  #past: HistoryEntry<S>[] = [];
  #present: HistoryEntry<S>;
  #future: HistoryEntry<S>[] = [];

  constructor(initial: S, limit = 100) {
    this.#limit = Math.max(1, limit);
    this.#present = { state: initial, label: 'Open', coalesceKey: null };
  }

  get present(): S {
    return this.#present.state;
  }
  get canUndo(): boolean {
    return this.#past.length > 0;
  }
  get canRedo(): boolean {
    return this.#future.length > 0;
  }
  /** The edit Undo would take back. */
  get undoLabel(): string | null {
    return this.#past.length > 0 ? this.#present.label : null;
  }
  get redoLabel(): string | null {
    return this.#future.at(-1)?.label ?? null;
  }
  get depth(): number {
    return this.#past.length;
  }

  /** Records the state after an edit; forgets anything that could have been redone. */
  push(state: S, label: string, coalesceKey: string | null = null): void {
    this.#future = [];
    if (coalesceKey !== null && this.#past.length > 0 && this.#present.coalesceKey === coalesceKey) {
      this.#present = { state, label, coalesceKey };
      return;
    }
    this.#past.push(this.#present);
    if (this.#past.length > this.#limit) this.#past.splice(0, this.#past.length - this.#limit);
    this.#present = { state, label, coalesceKey };
  }

  /** Replaces the present state without making a step (a change the engine made, like a region's id). */
  amend(state: S): void {
    this.#present = { ...this.#present, state };
  }

  /** Ends any merging run, so the next edit is a step of its own even with the same key. */
  seal(): void {
    this.#present = { ...this.#present, coalesceKey: null };
  }

  undo(): S | null {
    const previous = this.#past.pop();
    if (!previous) return null;
    this.#future.push({ ...this.#present, coalesceKey: null });
    this.#present = { ...previous, coalesceKey: null };
    return previous.state;
  }

  redo(): S | null {
    const next = this.#future.pop();
    if (!next) return null;
    this.#past.push(this.#present);
    this.#present = next;
    return next.state;
  }

  /** Starts over from a state (a newly opened photo or project). */
  reset(state: S, label = 'Open'): void {
    this.#past = [];
    this.#future = [];
    this.#present = { state, label, coalesceKey: null };
  }
}
