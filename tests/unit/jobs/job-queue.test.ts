// Renders and exports share one queue with a bounded number of slots (issue 14, point 3): they start in
// the order asked for, never more than the slots at once, a waiting job can be cancelled without ever
// running, and each waiting job is told its place in line (and told again when it moves up).
import { describe, expect, it } from 'vitest';
import { JobManager, ordinal } from '../../../src/engine/jobs/job-manager.js';
import { EventBus } from '../../../src/shared/rpc/event-bus.js';
import type { EventName, EventPayload, JobKind } from '../../../src/shared/index.js';
import { JobProgressSchema } from '../../../src/shared/index.js';

type Recorded = { [E in EventName]: { event: E; payload: EventPayload<E> } }[EventName];

const renderResult = { frameCount: 1, fps: 1, width: 1, height: 1, engine: 'motion' as const, millis: 0 };

/** A job body the test ends by hand: it records when it starts and finishes when `finish()` is called. */
class Gate {
  started = false;
  #finish: () => void = () => undefined;
  readonly #ended = new Promise<void>((resolve) => (this.#finish = resolve));
  readonly body = async (context: { signal: AbortSignal }) => {
    this.started = true;
    await Promise.race([
      this.#ended,
      new Promise((resolve) => context.signal.addEventListener('abort', resolve, { once: true })),
    ]);
    // Each kind's result shape is checked where results are made; here only the order matters.
    return renderResult as never;
  };
  finish(): void {
    this.#finish();
  }
}

function setup(slots: number) {
  const bus = new EventBus();
  const jobs = new JobManager(bus, { slots });
  const events: Recorded[] = [];
  bus.subscribe((event, payload) => events.push({ event, payload } as Recorded));
  const of = (jobId: string) => events.filter((e) => 'jobId' in e.payload && e.payload.jobId === jobId);
  const positions = (jobId: string) =>
    of(jobId).flatMap((e) => (e.event === 'jobProgress' ? [e.payload.queuePosition ?? 0] : []));
  return { bus, jobs, events, of, positions };
}

/** Resolves once `check` holds, looking again after each turn of the event loop. */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setImmediate(resolve));
}

describe('the job queue', () => {
  it('runs at most `slots` renders and exports at once, in the order they were asked for', async () => {
    const { jobs } = setup(2);
    const gates = Array.from({ length: 5 }, () => new Gate());
    const started: number[] = [];
    const ids = gates.map((gate, n) =>
      jobs.start(n % 2 === 0 ? 'render' : 'export', async (context) => {
        started.push(n);
        return gate.body(context);
      }),
    );
    await until(() => started.length === 2);
    expect(started).toEqual([0, 1]);
    expect(jobs.waiting).toBe(3);

    gates[1]!.finish();
    await until(() => started.length === 3);
    expect(started).toEqual([0, 1, 2]);
    gates[0]!.finish();
    gates[2]!.finish();
    await until(() => started.length === 5);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    for (const gate of gates) gate.finish();
    await Promise.all(ids.map(({ jobId }) => jobs.settled(jobId)));
    expect(jobs.running).toBe(0);
  });

  it('tells each waiting job its place in line, and again as it moves up', async () => {
    const { jobs, positions, of } = setup(1);
    const gates = Array.from({ length: 3 }, () => new Gate());
    const ids = gates.map((gate) => jobs.start('render', gate.body).jobId);
    await until(() => positions(ids[2]!).length > 0);
    expect(positions(ids[0]!)).toEqual([]);
    expect(positions(ids[1]!)).toEqual([1]);
    expect(positions(ids[2]!)).toEqual([2]);
    const waiting = of(ids[2]!)[0]!;
    expect(waiting.event).toBe('jobProgress');
    // The event is a valid contract payload, in words the job bar shows as they are.
    const progress = JobProgressSchema.parse(waiting.payload);
    expect(progress.stage).toBe('Waiting (2nd in line)');
    expect(progress.fraction).toBe(0);

    gates[0]!.finish();
    await until(() => gates[1]!.started);
    // The second job starts (its position ends with a plain "Starting"), the third moves up to 1st.
    expect(positions(ids[1]!)).toEqual([1, 0]);
    expect(positions(ids[2]!)).toEqual([2, 1]);
    gates[1]!.finish();
    gates[2]!.finish();
    await Promise.all(ids.map((id) => jobs.settled(id)));
    expect(of(ids[2]!).at(-1)?.event).toBe('jobDone');
  });

  it('a job cancelled while waiting fails as cancelled without running, and those behind it move up', async () => {
    const { jobs, positions, of } = setup(1);
    const gates = Array.from({ length: 3 }, () => new Gate());
    const ids = gates.map((gate) => jobs.start('export', gate.body).jobId);
    await until(() => positions(ids[2]!).length > 0);

    expect(jobs.cancel(ids[1]!)).toBe(true);
    await jobs.settled(ids[1]!);
    const failed = of(ids[1]!).at(-1);
    expect(failed?.event).toBe('jobFailed');
    expect(failed?.event === 'jobFailed' && failed.payload.error.code).toBe('CANCELLED');
    expect(gates[1]!.started).toBe(false);
    expect(positions(ids[2]!)).toEqual([2, 1]);
    expect(jobs.waiting).toBe(1);

    gates[0]!.finish();
    await until(() => gates[2]!.started);
    gates[2]!.finish();
    await jobs.settled(ids[2]!);
    expect(gates[1]!.started).toBe(false);
    expect(of(ids[2]!).at(-1)?.event).toBe('jobDone');
  });

  it('a new preview render of the same photo replaces the waiting one', async () => {
    const { jobs, of } = setup(1);
    const running = new Gate();
    const first = jobs.start('export', running.body).jobId;
    const stale = new Gate();
    const replaced = jobs.start('render', stale.body, { group: 'render:doc' }).jobId;
    const latest = new Gate();
    const fresh = jobs.start('render', latest.body, { group: 'render:doc' }).jobId;
    await jobs.settled(replaced);
    expect(of(replaced).at(-1)?.event).toBe('jobFailed');
    expect(stale.started).toBe(false);
    await until(() => of(fresh).length > 0);
    expect(of(fresh)[0]?.event === 'jobProgress' && of(fresh)[0]?.payload).toMatchObject({
      queuePosition: 1,
    });
    running.finish();
    await until(() => latest.started);
    latest.finish();
    await Promise.all([jobs.settled(first), jobs.settled(fresh)]);
  });

  it('pack installs do not wait behind renders', async () => {
    const { jobs, positions } = setup(1);
    const render = new Gate();
    const renderId = jobs.start('render', render.body).jobId;
    const install = new Gate();
    const installId = jobs.start('pack-install' satisfies JobKind, async (context) => {
      await install.body(context);
      return { packId: 'p', name: 'p', version: '1', bytes: 0 } as never;
    }).jobId;
    await until(() => install.started);
    expect(positions(installId)).toEqual([]);
    install.finish();
    render.finish();
    await Promise.all([jobs.settled(renderId), jobs.settled(installId)]);
  });

  it('cancelAll ends running and waiting jobs alike', async () => {
    const { jobs, of } = setup(1);
    const ids = [new Gate(), new Gate(), new Gate()].map((gate) => jobs.start('render', gate.body).jobId);
    await until(() => of(ids[2]!).length > 0);
    await jobs.cancelAll();
    for (const id of ids) expect(of(id).at(-1)?.event).toBe('jobFailed');
    expect(jobs.running).toBe(0);
    expect(jobs.waiting).toBe(0);
  });

  it('writes places in line as people say them', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].map(ordinal)).toEqual([
      '1st',
      '2nd',
      '3rd',
      '4th',
      '11th',
      '12th',
      '13th',
      '21st',
      '22nd',
      '101st',
      '111th',
    ]);
  });
});
