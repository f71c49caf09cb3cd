/**
 * Every file path a document cites exists in the repository: README.md, docs/** and
 * conformance/README.md. A path is a repository-relative one (`src/…`, `test/…`, `docs/…`,
 * `guests/…`, `conformance/…`, `fixtures/…`, `scripts/…`, `wit/…`, `bench/…`, `demo/…`, `.ci/…`)
 * anywhere in the text, or the target of a relative Markdown link (resolved from the document). A
 * path counts as existing when git tracks it (a file, or a folder holding tracked files), or when
 * it is one of the few things a build makes (GENERATED). Placeholders (`<iface>`, `*`, `…`, `{…}`)
 * are not paths; `#anchor` and `:line` suffixes are dropped.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { ROOT } from '../helpers/run-guest.js';

/** Made by a build or a run, never committed; documents may still name them. */
const GENERATED = ['src/generated', 'test/hardware/.work'];

const tracked = execFileSync('git', ['-C', ROOT, 'ls-files', '-z'], { encoding: 'utf8' }).split('\0').filter(Boolean);
const known = new Set<string>();
for (const f of tracked) {
  known.add(f);
  for (let d = dirname(f); d !== '.'; d = dirname(d)) known.add(d);
}

function exists(path: string): boolean {
  const p = normalize(path).replace(/\/$/, '');
  return known.has(p) || GENERATED.some((g) => p === g || p.startsWith(`${g}/`));
}

const DOCS = ['README.md', 'conformance/README.md', ...tracked.filter((f) => f.startsWith('docs/') && f.endsWith('.md'))];
const ROOTS = 'src|test|docs|guests|conformance|fixtures|scripts|wit|bench|demo|\\.ci';
const REPO_PATH = new RegExp(`(?<![\\w./@:-])((?:${ROOTS})/[A-Za-z0-9_.,/<>*{}…-]*)`, 'g');
const LINK = /\]\(([^)\s]+)\)/g;

/** What a cited string names, or undefined when it is a placeholder or not a path. */
function clean(raw: string): string | undefined {
  const p = raw.replace(/[#:].*$/, '').replace(/[.,]+$/, '');
  if (!p || /[<>*{}…]/.test(p) || p.includes('...')) return undefined;
  return p;
}

/** [cited text, repository path] of every path `doc` cites. */
function citations(doc: string): [string, string][] {
  const text = readFileSync(join(ROOT, doc), 'utf8');
  const out: [string, string][] = [];
  for (const m of text.matchAll(REPO_PATH)) {
    const p = clean(m[1]!);
    if (p) out.push([m[1]!, p]);
  }
  for (const m of text.matchAll(LINK)) {
    const target = m[1]!;
    if (/^([a-z]+:|#|\/)/.test(target)) continue;
    const p = clean(target);
    if (p) out.push([target, relative(ROOT, join(ROOT, dirname(doc), p))]);
  }
  return out;
}

describe('every file path the documents cite exists', () => {
  it('reads the documents and finds citations in them (so the check below sees something)', () => {
    expect(DOCS.length).toBeGreaterThan(10);
    const cited = citations('conformance/README.md').map(([, p]) => p);
    expect(cited).toContain('fixtures/components/vision_basic.wasm');
    // `[spec-notes/spi.md](spec-notes/spi.md)`: a relative link, resolved from docs/.
    expect(citations('docs/spec-notes.md').filter(([c]) => c === 'spec-notes/spi.md').map(([, p]) => p)).toContain('docs/spec-notes/spi.md');
    expect(citations('docs/spec-notes/spi.md').length).toBeGreaterThan(10);
    expect([exists('wit/UPSTREAM.md'), exists('src/spi'), exists('src/spi/nothing.ts'), exists('src/generated/x.d.ts')]).toEqual([true, true, false, true]);
  });

  it.each(DOCS)('%s', (doc) => {
    const missing = citations(doc).filter(([, p]) => !exists(p)).map(([cited, p]) => (cited === p ? p : `${cited} (= ${p})`));
    expect([...new Set(missing)]).toEqual([]);
  });
});
