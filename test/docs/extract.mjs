// The fenced code blocks of the project's Markdown, with the mark that says what the docs test
// (test/docs/snippets.test.ts) does with each. The mark is an HTML comment on the nearest non-blank
// line above the fence (invisible in rendered Markdown):
//
//   <!-- runs -->                             run the block as written
//   <!-- runs: app.wasm=fixtures/components/hello.wasm -->
//                                             ... with app.wasm in its folder standing for that file
//   <!-- no-run: why -->                      not run, for the reason given (paths in it must exist)
//
// Blocks in a language that runs (sh, ts, js) need one of these; a block without a language needs
// one (`text` for output, `sh` for commands), so that nothing runnable goes unchecked by accident.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Languages the docs test runs: shell commands, TypeScript, JavaScript. */
export const RUNNABLE = { sh: 'sh', bash: 'sh', shell: 'sh', ts: 'ts', typescript: 'ts', js: 'js', javascript: 'js', mjs: 'js' };

const MARK = /^<!--\s*(runs|no-run)\s*(?::\s*([\s\S]*?))?\s*-->$/;

/** The Markdown files the docs test reads: README.md and everything under docs/. */
export function markdownFiles(root) {
  const out = ['README.md'];
  const walk = (dir) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md')) out.push(path);
    }
  };
  walk('docs');
  return out;
}

/**
 * Parses a mark's text: { kind: 'runs', files: { name: repoPath } } or { kind: 'no-run', reason }.
 * Returns { error } for a mark that cannot be understood.
 */
export function parseMark(kind, rest = '') {
  if (kind === 'no-run') return rest.trim() ? { kind, reason: rest.trim() } : { error: 'no-run needs a reason: <!-- no-run: why -->' };
  const files = {};
  for (const word of rest.split(/\s+/).filter(Boolean)) {
    const m = /^([\w.-]+)=(\S+)$/.exec(word);
    if (!m) return { error: `cannot read "${word}" in the runs mark (expected NAME=repo/path)` };
    files[m[1]] = m[2];
  }
  return { kind, files };
}

/** Every fenced block of `text` (file `file`): { file, line, lang, code, mark }. */
export function extractBlocks(text, file) {
  const lines = text.split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(```+|~~~+)\s*([\w+-]*)/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, lang] = open;
    let end = i + 1;
    while (end < lines.length && !lines[end].trimStart().startsWith(fence)) end++;
    const code = lines.slice(i + 1, end).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l)).join('\n');
    let above = i - 1;
    while (above >= 0 && lines[above].trim() === '') above--;
    const m = above >= 0 ? MARK.exec(lines[above].trim()) : null;
    blocks.push({ file, line: i + 1, lang: lang.toLowerCase(), code, mark: m ? parseMark(m[1], m[2]) : undefined });
    i = end;
  }
  return blocks;
}

/** The blocks of every Markdown file under `root`. */
export function allBlocks(root) {
  return markdownFiles(root).flatMap((f) => extractBlocks(readFileSync(join(root, f), 'utf8'), relative(root, join(root, f))));
}
