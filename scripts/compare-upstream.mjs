#!/usr/bin/env node
// Compares a local checkout of an upstream WIT repository with this project's copy in wit/, as
// wit/UPSTREAM.md records it: names and types token for token, comments and layout ignored, the
// deviations that file lists applied to the upstream side first.
//
//   node scripts/compare-upstream.mjs <checkout> [--repo owner/name] [--upstream FILE]
//
// Every row of wit/UPSTREAM.md whose repository is the checkout's (its `origin` remote, or
// --repo) is checked twice when the checkout is a git repository: at the recorded commit (must be
// equal: that is the claim UPSTREAM.md makes) and at the checkout's HEAD (reported: has upstream
// moved since?). A directory that is not a git repository (a downloaded snapshot) is compared as it
// is with every row of that repository, or only with `--folder deps/spi/`: it must equal one of
// them. Exit status: 0 every recorded commit equals our copy (a snapshot: it equals a row), 1 not
// (or a deviation no longer applies), 2 usage or an unreadable checkout.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

// WIT text → tokens: comments (line, doc and block comments) and whitespace dropped.
export function witTokens(text) {
  const stripped = text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ');
  return stripped.match(/->|[A-Za-z0-9_%.]+(?:-[A-Za-z0-9_%.]+)*|\S/g) ?? [];
}

/** `wit` → `wit/`, `/` or `` → `` (the repository's top), for joining with file names. */
function folderPath(dir) {
  const d = dir.replace(/^\/+|\/+$/g, '');
  return d ? `${d}/` : '';
}

/**
 * The rows and deviations of UPSTREAM.md. A row: `| package | \`folder/\` | \`owner/name@ref:dir/\` |
 * renamed | notes |`, where renamed lists `here.wit ← upstream.wit` pairs. A deviation:
 * "- `folder/file.wit`: upstream `A` — here `B`" (A and B compared as tokens).
 */
export function parseUpstream(text) {
  const rows = [];
  const deviations = [];
  for (const line of text.split('\n')) {
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    const source = /^`([\w.-]+\/[\w.-]+)@([\w.-]+):([^`]*)`/.exec(cells[2] ?? '');
    const folder = /^`([^`]+)`$/.exec(cells[1] ?? '');
    if (source && folder) {
      const renamed = {};
      for (const m of (cells[3] ?? '').matchAll(/`([^`]+\.wit)`\s*←\s*`([^`]+\.wit)`/g)) renamed[m[1]] = m[2];
      rows.push({ package: cells[0].replace(/`/g, ''), folder: folderPath(folder[1]), repo: source[1], ref: source[2], dir: folderPath(source[3]), renamed });
      continue;
    }
    const dev = /^- `([^`]+\.wit)`: upstream `([^`]+)` — here `([^`]+)`/.exec(line);
    if (dev) deviations.push({ file: dev[1], upstream: witTokens(dev[2]), here: witTokens(dev[3]) });
  }
  return { rows, deviations };
}

function git(dir, args) {
  return execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function isGit(dir) {
  try {
    return git(dir, ['rev-parse', '--is-inside-work-tree']).trim() === 'true';
  } catch {
    return false;
  }
}

/** owner/name from the checkout's origin URL (https or ssh), or undefined. */
function originRepo(dir) {
  try {
    const url = git(dir, ['remote', 'get-url', 'origin']).trim();
    return /[/:]([\w.-]+\/[\w.-]+?)(?:\.git)?\/?$/.exec(url)?.[1];
  } catch {
    return undefined;
  }
}

/** The .wit files of `dir` in the checkout at `ref` (undefined = the working tree): name → text. */
function upstreamFiles(checkout, ref, dir) {
  const out = new Map();
  if (ref === undefined) {
    const abs = join(checkout, dir);
    if (!existsSync(abs)) return out;
    for (const name of readdirSync(abs)) {
      if (name.endsWith('.wit') && statSync(join(abs, name)).isFile()) out.set(name, readFileSync(join(abs, name), 'utf8'));
    }
    return out;
  }
  const listing = git(checkout, ['ls-tree', '--name-only', `${ref}:${dir}`]).split('\n').filter((n) => n.endsWith('.wit'));
  for (const name of listing) out.set(name, git(checkout, ['show', `${ref}:${dir}${name}`]));
  return out;
}

function replaceTokens(tokens, from, to) {
  for (let i = 0; i + from.length <= tokens.length; i++) {
    if (from.every((t, j) => tokens[i + j] === t)) return [...tokens.slice(0, i), ...to, ...tokens.slice(i + from.length)];
  }
  return undefined;
}

function firstDifference(a, b) {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return `at token ${i}: upstream "${a.slice(i, i + 8).join(' ')}", here "${b.slice(i, i + 8).join(' ')}"`;
  }
  return undefined;
}

/**
 * Compares one row: our folder (under `witDir`) with the upstream files. Returns a list of
 * problems (empty = equal) and the deviations applied.
 */
export function compareRow(row, files, deviations, witDir) {
  const problems = [];
  let applied = 0;
  const here = join(witDir, row.folder);
  const ours = readdirSync(here).filter((n) => n.endsWith('.wit')).sort();
  const theirsFor = (name) => row.renamed[name] ?? name;
  const wanted = new Set(ours.map(theirsFor));
  for (const name of [...files.keys()].sort()) {
    if (!wanted.has(name)) problems.push(`${row.dir}${name} is upstream but has no copy in wit/${row.folder}`);
  }
  for (const name of ours) {
    const text = files.get(theirsFor(name));
    if (text === undefined) {
      problems.push(`wit/${row.folder}${name} has no upstream file ${row.dir}${theirsFor(name)}`);
      continue;
    }
    let upstream = witTokens(text);
    for (const d of deviations.filter((d) => d.file === `${row.folder}${name}`)) {
      const changed = replaceTokens(upstream, d.upstream, d.here);
      if (!changed) {
        problems.push(`wit/${row.folder}${name}: the deviation "${d.upstream.join(' ')}" is not in upstream's text any more`);
        continue;
      }
      upstream = changed;
      applied++;
    }
    const diff = firstDifference(upstream, witTokens(readFileSync(join(here, name), 'utf8')));
    if (diff) problems.push(`wit/${row.folder}${name} differs from ${row.dir}${theirsFor(name)} ${diff}`);
  }
  return { problems, applied };
}

function main(argv) {
  const flag = (name) => {
    const i = argv.indexOf(name);
    if (i < 0) return undefined;
    const v = argv[i + 1];
    argv.splice(i, 2);
    return v;
  };
  const repoFlag = flag('--repo');
  const upstreamFile = flag('--upstream') ?? join(root, 'wit/UPSTREAM.md');
  const witDir = flag('--wit') ?? join(root, 'wit');
  const onlyFolder = flag('--folder');
  if (argv.length !== 1) {
    console.error('usage: node scripts/compare-upstream.mjs <checkout> [--repo owner/name] [--folder deps/NAME/] [--upstream FILE] [--wit DIR]');
    return 2;
  }
  const checkout = resolve(argv[0]);
  if (!existsSync(checkout) || !statSync(checkout).isDirectory()) {
    console.error(`compare-upstream: ${checkout} is not a directory`);
    return 2;
  }
  const gitCheckout = isGit(checkout);
  const repo = repoFlag ?? (gitCheckout ? originRepo(checkout) : undefined);
  if (!repo) {
    console.error('compare-upstream: cannot tell which repository this is (no origin remote): pass --repo owner/name');
    return 2;
  }
  const { rows, deviations } = parseUpstream(readFileSync(upstreamFile, 'utf8'));
  const mine = rows.filter((r) => r.repo.toLowerCase() === repo.toLowerCase() && (!onlyFolder || r.folder === folderPath(onlyFolder)));
  if (mine.length === 0) {
    console.error(`compare-upstream: wit/UPSTREAM.md has no package from ${repo}${onlyFolder ? ` in ${onlyFolder}` : ''} (it has: ${[...new Set(rows.map((r) => r.repo))].join(', ')})`);
    return 2;
  }
  if (!gitCheckout) {
    let equal = 0;
    for (const row of mine) {
      const { problems, applied } = compareRow(row, upstreamFiles(checkout, undefined, row.dir), deviations, witDir);
      console.log(`${problems.length ? 'DIFFERS' : 'equal  '} ${row.package} (wit/${row.folder}) vs ${row.dir} of this snapshot (not a git checkout)${applied ? `, ${applied} deviation(s) applied` : ''}`);
      for (const p of problems) console.log(`        ${p}`);
      if (!problems.length) equal++;
    }
    return equal ? 0 : 1;
  }
  let failed = false;
  for (const row of mine) {
    const label = `${row.package} (wit/${row.folder})`;
    let files;
    try {
      files = upstreamFiles(checkout, row.ref, row.dir);
    } catch (e) {
      console.log(`MISSING ${label}: ${row.ref}:${row.dir} is not in this checkout (${String(e.stderr ?? e.message).trim().split('\n')[0]}); fetch it first`);
      failed = true;
      continue;
    }
    const { problems, applied } = compareRow(row, files, deviations, witDir);
    console.log(`${problems.length ? 'DIFFERS' : 'equal  '} ${label} vs ${repo}@${row.ref}:${row.dir}${applied ? `, ${applied} deviation(s) applied` : ''}`);
    for (const p of problems) console.log(`        ${p}`);
    failed ||= problems.length > 0;
    const head = git(checkout, ['rev-parse', '--short', 'HEAD']).trim();
    const atHead = compareRow(row, upstreamFiles(checkout, 'HEAD', row.dir), deviations, witDir);
    console.log(`        at the checkout's HEAD (${head}): ${atHead.problems.length ? `upstream has moved: ${atHead.problems.join('; ')}` : 'the same'}`);
  }
  return failed ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
