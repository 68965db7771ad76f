import { describe, expect, it, vi } from 'vitest';
import { ClientGone, createHashingSlots, eventLoopBusyProbe } from './hashing-slots.ts';

/** A hash that finishes when the test says so. */
function pendingHash() {
  let finish: (value: string) => void = () => {};
  let fail: (error: Error) => void = () => {};
  const started = { value: false };
  const hash = () => {
    started.value = true;
    return new Promise<string>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
  };
  return { hash, started, finish: (v = 'done') => finish(v), fail: (e: Error) => fail(e) };
}

/** Lets every promise settled so far run its callbacks (no timer involved). */
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('hashing slots', () => {
  it('run up to max hashes while the event loop is idle, in arrival order', async () => {
    const slots = createHashingSlots({ max: 2, whenBusy: 1, isBusy: () => false });
    const hashes = [pendingHash(), pendingHash(), pendingHash()];
    const results = hashes.map((h) => slots.run(h.hash));
    await tick();
    expect(hashes.map((h) => h.started.value)).toEqual([true, true, false]);
    hashes[1]?.finish('second');
    await tick();
    expect(hashes[2]?.started.value).toBe(true);
    hashes[0]?.finish('first');
    hashes[2]?.finish('third');
    expect(await Promise.all(results)).toEqual(['first', 'second', 'third']);
  });

  it('skip a waiting hash whose client has gone, and start the next one', async () => {
    const slots = createHashingSlots({ max: 1, whenBusy: 1, isBusy: () => false });
    const [first, abandoned, next] = [pendingHash(), pendingHash(), pendingHash()];
    const gone = new AbortController();
    const results = [
      slots.run(first.hash),
      slots.run(abandoned.hash, gone.signal).catch((error: unknown) => error),
      slots.run(next.hash),
    ];
    await tick();
    gone.abort();
    first.finish('first');
    await tick();
    expect(abandoned.started.value).toBe(false);
    expect(next.started.value).toBe(true);
    next.finish('next');
    const [a, b, c] = await Promise.all(results);
    expect([a, c]).toEqual(['first', 'next']);
    expect(b).toBeInstanceOf(ClientGone);
  });

  it('run fewer while the event loop is busy, and more again once it is not', async () => {
    let busy = true;
    const slots = createHashingSlots({ max: 3, whenBusy: 1, isBusy: () => busy });
    const hashes = [pendingHash(), pendingHash(), pendingHash()];
    const results = hashes.map((h) => slots.run(h.hash));
    await tick();
    expect(hashes.map((h) => h.started.value)).toEqual([true, false, false]);
    busy = false;
    hashes[0]?.finish();
    await tick();
    expect(hashes.map((h) => h.started.value)).toEqual([true, true, true]);
    for (const h of hashes) h.finish();
    await Promise.all(results);
  });

  it('free the slot of a hash that fails', async () => {
    const slots = createHashingSlots({ max: 1, whenBusy: 1, isBusy: () => false });
    const [first, second] = [pendingHash(), pendingHash()];
    const failed = slots.run(first.hash);
    const next = slots.run(second.hash);
    first.fail(new Error('bcrypt failed'));
    await expect(failed).rejects.toThrow('bcrypt failed');
    await tick();
    expect(second.started.value).toBe(true);
    second.finish('ok');
    expect(await next).toBe('ok');
  });
});

describe('eventLoopBusyProbe', () => {
  it('reports busy after the loop was blocked, and idle once it rests', async () => {
    const busy = eventLoopBusyProbe(50, 0.5);
    const soon = { timeout: 2000, interval: 5 };
    await vi.waitFor(() => expect(busy()).toBe(false), soon);
    const until = performance.now() + 150;
    while (performance.now() < until) {
      // block the event loop, as a flood of requests would keep it busy
    }
    await vi.waitFor(() => expect(busy()).toBe(true), soon);
    await vi.waitFor(() => expect(busy()).toBe(false), soon);
  });
});
