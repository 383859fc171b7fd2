// What the editor tells the person: errors in a banner (what happened, what to do), and short confirmations
// ("Saved to …") that go away by themselves. Errors stay until dismissed, or until what caused them works
// again (the next preview renders, the next export or autosave succeeds): they are read, not glimpsed, and
// never left saying something that is no longer true.
import { StirError } from '@shared/index.js';

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  message: string;
  hint: string | null;
  /** A link to act on (a download in browser mode). */
  link: { href: string; label: string; download?: string } | null;
  /** One thing the person can do about it at once ("Use the CPU"). */
  action: NoticeAction | null;
  /** What failed ("preview", "export", "edit:Change prompt"); the error goes when that works again. */
  cause: string | null;
}

export interface NoticeAction {
  label: string;
  run: () => void | Promise<void>;
}

const INFO_MILLIS = 8000;

export class Notices {
  items = $state.raw<readonly Notice[]>([]);
  #next = 1;
  /** Offers an action for an error, set by the part of the editor that knows the remedy. */
  actionFor: (error: StirError) => NoticeAction | null = () => null;

  get error(): Notice | null {
    return this.items.findLast((n) => n.kind === 'error') ?? null;
  }
  get infos(): Notice[] {
    return this.items.filter((n) => n.kind === 'info');
  }

  /** Shows an error; a cancelled job is not an error and is ignored. */
  fail(caught: unknown, context?: string, cause: string | null = null): void {
    const error = StirError.fromCaught(caught);
    if (error.code === 'CANCELLED') return;
    if (error.code === 'INTERNAL') console.error(caught);
    const message = context && error.code === 'INTERNAL' ? `${context}: ${error.message}` : error.message;
    this.#add({
      kind: 'error',
      message,
      hint: error.hint ?? null,
      link: null,
      action: this.actionFor(error),
      cause,
    });
  }

  /** What caused an error works now: its error goes. */
  resolved(cause: string): void {
    if (this.items.some((n) => n.kind === 'error' && n.cause === cause)) {
      this.items = this.items.filter((n) => n.kind !== 'error' || n.cause !== cause);
    }
  }

  /** Shows a passing notice; returns its id (to dismiss it early). */
  info(message: string, link: Notice['link'] = null, hint: string | null = null): number {
    const id = this.#add({ kind: 'info', message, hint, link, action: null, cause: null });
    setTimeout(() => this.dismiss(id), link ? INFO_MILLIS * 2 : INFO_MILLIS);
    return id;
  }

  dismiss(id: number): void {
    this.items = this.items.filter((n) => n.id !== id);
  }

  clearErrors(): void {
    this.items = this.items.filter((n) => n.kind !== 'error');
  }

  #add(notice: Omit<Notice, 'id'>): number {
    const id = this.#next++;
    // One error at a time: the newest replaces the last, so the banner never stacks up.
    const kept = notice.kind === 'error' ? this.items.filter((n) => n.kind !== 'error') : this.items;
    this.items = [...kept.slice(-3), { ...notice, id }];
    return id;
  }
}
