// How the docs test reads a shell block: one command per line (a trailing backslash continues it),
// `a && b` as two commands, `# ...` as a comment. A comment saying "exit status N" is the status
// the command must end with (0 otherwise). Commands that install the machine or run a whole suite
// (npm ci, npm test, npm run test:*, apt-get) are not run inside npm test: each must be in .ci/run.

/** Commands that belong to CI, not to a test: the docs test checks that .ci/run runs them. */
const CI_ONLY = /^(npm ci|npm test|npm run (test:|check:guests|build:guests)|apt-get )/;

/** The commands of a shell block: [{ command, status, ciOnly }]. */
export function shellCommands(code) {
  const logical = [];
  let pending = '';
  for (const line of code.split('\n')) {
    if (line.trimEnd().endsWith('\\')) {
      pending += line.trimEnd().slice(0, -1) + ' ';
      continue;
    }
    logical.push(pending + line);
    pending = '';
  }
  if (pending) logical.push(pending);
  const out = [];
  for (const line of logical) {
    // A comment starts at a # after a space (not inside a word such as a URL fragment).
    const hash = line.search(/(^|\s)#/);
    const comment = hash >= 0 ? line.slice(hash) : '';
    const command = (hash >= 0 ? line.slice(0, hash) : line).trim();
    if (!command) continue;
    const status = Number(/exit status (\d+)/.exec(comment)?.[1] ?? 0);
    const parts = command.split(/\s+&&\s+/);
    parts.forEach((part, i) => out.push({ command: part.replace(/\s+/g, ' ').trim(), status: i === parts.length - 1 ? status : 0, ciOnly: CI_ONLY.test(part.trim()) }));
  }
  return out;
}

/** Why `.ci/run` (its text) does not run `command`, or '' when it does. */
export function ciMissing(command, ciRun) {
  const lines = ciRun.split('\n').map((l) => l.replace(/#.*/, '').replace(/\s+/g, ' ').trim());
  const script = lines.join(' ');
  const install = /^apt-get install (.*)$/.exec(command);
  if (install) {
    const wanted = install[1].split(' ').filter((w) => !w.startsWith('-'));
    const missing = wanted.filter((pkg) => !new RegExp(`(^|\\s)${pkg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\s|$)`).test(script));
    return missing.length ? `.ci/run installs no ${missing.join(', ')}` : '';
  }
  if (command === 'apt-get update') return /apt-get update/.test(script) ? '' : '.ci/run has no apt-get update';
  // npm commands: the same command at the start of one of .ci/run's lines (options may follow).
  return lines.some((l) => l === command || l.startsWith(`${command} `)) ? '' : `.ci/run does not run "${command}"`;
}
