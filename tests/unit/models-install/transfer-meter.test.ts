import { describe, expect, it } from 'vitest';
import { TransferMeter } from '../../../src/engine/models/install/transfer-meter.js';

/** A clock the test moves by hand. */
function clock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('TransferMeter', () => {
  it('reports no speed until there is enough history, then bytes per second and the time left', () => {
    const c = clock();
    const meter = new TransferMeter(c.now);
    meter.reset(0, 10_000_000);
    c.advance(100);
    meter.add(100_000);
    expect(meter.read().bytesPerSecond).toBeNull();
    for (let i = 0; i < 9; i++) {
      c.advance(100);
      meter.add(100_000);
    }
    const reading = meter.read();
    expect(reading.bytesDone).toBe(1_000_000);
    expect(reading.bytesPerSecond).toBeCloseTo(1_000_000, -3); // 100 kB per 100 ms
    expect(reading.etaSeconds).toBeCloseTo(9, 1);
  });

  it('follows a change of speed within its window instead of averaging since the start', () => {
    const c = clock();
    const meter = new TransferMeter(c.now);
    meter.reset(0, null);
    for (let i = 0; i < 100; i++) {
      c.advance(100);
      meter.add(1_000_000); // 10 MB/s for 10 s
    }
    for (let i = 0; i < 100; i++) {
      c.advance(100);
      meter.add(10_000); // then 100 kB/s for 10 s
    }
    const reading = meter.read();
    expect(reading.bytesPerSecond).toBeLessThan(200_000);
    expect(reading.etaSeconds).toBeNull(); // no total known
  });

  it('starts a resumed transfer from the bytes already there', () => {
    const c = clock();
    const meter = new TransferMeter(c.now);
    meter.reset(4_000, 8_000);
    for (let i = 0; i < 4; i++) {
      c.advance(250);
      meter.add(1_000);
    }
    const reading = meter.read();
    expect(reading.bytesDone).toBe(8_000);
    expect(reading.bytesPerSecond).toBeCloseTo(4_000, 0);
    expect(reading.etaSeconds).toBe(0);
  });
});
