// The transpile cache stays bounded: the least recently used entries beyond the bound go, hits count
// as use, stale staging folders of killed transpiles go, and nothing else in the folder is touched.
import { describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_KEEP, cacheContents, cleanCache, pruneCache, transpileCached } from '../../src/platform/node/component-cache.js';
import { componentPath } from '../helpers/run-guest.js';
import { tempDir } from '../helpers/temp-dir.js';

const HOUR = 60 * 60 * 1000;
const entryName = (i: number) => `${i.toString(16).padStart(32, '0')}-jco1.35.0-f11`;

/** A fake entry folder whose last use was `agoMs` before `now`. */
function fakeEntry(root: string, name: string, now: number, agoMs: number): void {
  mkdirSync(join(root, name));
  writeFileSync(join(root, name, 'manifest.json'), '{}');
  const t = new Date(now - agoMs);
  utimesSync(join(root, name), t, t);
}

const entries = (root: string) => readdirSync(root).filter((n) => /-jco/.test(n)).sort();


describe('pruneCache', () => {
  it('keeps the most recently used entries and removes the rest', () => {
    const root = tempDir('prune');
    const now = Date.now();
    // entry i was last used i minutes ago
    for (let i = 1; i <= 6; i++) fakeEntry(root, entryName(i), now, i * 60_000);
    const removed = pruneCache(root, 3, undefined, now);
    expect(removed.sort()).toEqual([entryName(4), entryName(5), entryName(6)]);
    expect(entries(root)).toEqual([entryName(1), entryName(2), entryName(3)]);
  });

  it('never removes the entry just written, which counts against the bound', () => {
    const root = tempDir('prune-spare');
    const now = Date.now();
    for (let i = 1; i <= 4; i++) fakeEntry(root, entryName(i), now, i * 60_000);
    // the spare is the oldest by its folder time, yet it stays, and only one other fits beside it
    pruneCache(root, 2, entryName(4), now);
    expect(entries(root)).toEqual([entryName(1), entryName(4)]);
  });

  it('removes staging folders of killed transpiles, not those of a transpile in progress', () => {
    const root = tempDir('prune-staging');
    const now = Date.now();
    fakeEntry(root, '.staging-old', now, 2 * HOUR);
    fakeEntry(root, '.staging-live', now, 1000);
    pruneCache(root, CACHE_KEEP, undefined, now);
    expect(readdirSync(root).sort()).toEqual(['.staging-live']);
  });

  it('counts JSPI entries as entries (cache-clean removes them too)', () => {
    const root = tempDir('prune-jspi');
    const now = Date.now();
    fakeEntry(root, `${entryName(1)}-jspi`, now, 60_000);
    fakeEntry(root, entryName(2), now, 120_000);
    expect(cacheContents(root).entries.sort()).toEqual([entryName(2), `${entryName(1)}-jspi`].sort());
    pruneCache(root, 1, undefined, now);
    expect(readdirSync(root)).toEqual([`${entryName(1)}-jspi`]);
    expect(cleanCache(root)).toBe(1);
    expect(readdirSync(root)).toEqual([]);
  });

  it('leaves other files of a shared folder alone, and an absent folder is no error', () => {
    const root = tempDir('prune-shared');
    const now = Date.now();
    writeFileSync(join(root, 'notes.txt'), 'mine');
    mkdirSync(join(root, 'project-build'));
    for (let i = 1; i <= 3; i++) fakeEntry(root, entryName(i), now, i * 60_000);
    pruneCache(root, 1, undefined, now);
    expect(readdirSync(root).sort()).toEqual([entryName(1), 'notes.txt', 'project-build']);
    expect(readFileSync(join(root, 'notes.txt'), 'utf8')).toBe('mine');
    expect(pruneCache(join(root, 'absent'), 1)).toEqual([]);
  });
});

describe('transpileCached keeps the cache bounded', () => {
  const bytesOf = (name: string) => new Uint8Array(readFileSync(componentPath(name)));

  it('a hit counts as use: the entry used least recently is the one removed', async () => {
    const cacheDir = tempDir('cache-lru');
    const a = await transpileCached(bytesOf('hello'), { cacheDir, cacheKeep: 2 });
    const b = await transpileCached(bytesOf('fail'), { cacheDir, cacheKeep: 2 });
    expect([a.transpiled, b.transpiled]).toEqual([true, true]);
    // Back-date both, then use `hello` again: it becomes the most recently used.
    const past = new Date(Date.now() - HOUR);
    utimesSync(a.dir, past, past);
    utimesSync(b.dir, new Date(Date.now() - HOUR / 2), new Date(Date.now() - HOUR / 2));
    expect((await transpileCached(bytesOf('hello'), { cacheDir, cacheKeep: 2 })).transpiled).toBe(false);
    const c = await transpileCached(bytesOf('trap'), { cacheDir, cacheKeep: 2 });
    expect(c.transpiled).toBe(true);
    const kept = entries(cacheDir);
    expect(kept).toHaveLength(2);
    expect(kept).toContain(a.dir.slice(cacheDir.length + 1));
    expect(kept).toContain(c.dir.slice(cacheDir.length + 1));
    // the removed component transpiles again when asked for
    expect((await transpileCached(bytesOf('fail'), { cacheDir, cacheKeep: 2 })).transpiled).toBe(true);
  }, 60_000);

  it('refuses a bound that would empty the cache', async () => {
    for (const cacheKeep of [0, -1, 1.5, Number.NaN]) {
      await expect(transpileCached(bytesOf('hello'), { cacheDir: tempDir('cache-bad'), cacheKeep })).rejects.toThrow(
        /cacheKeep must be a whole number of entries, at least 1/,
      );
    }
  });
});
