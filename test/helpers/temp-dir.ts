/**
 * Temporary directories that tests remove themselves, pass or fail.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, onTestFinished } from 'vitest';
import { getCurrentTest } from 'vitest/suite';

/**
 * A fresh directory `<os.tmpdir()>/<prefix>-<random>`.
 *
 * Inside a test it is made now and removed when the test finishes. At file or describe level it
 * is made before that scope's tests and removed after them, so a scope whose tests are all
 * filtered out or skipped creates nothing. Not from beforeAll/afterAll: hooks registered while
 * tests run never run.
 */
export function tempDir(prefix: string): string {
  const dir = join(tmpdir(), `${prefix}-${randomBytes(6).toString('hex')}`);
  // No `recursive`: an existing path is an error, as with mkdtemp.
  const make = () => mkdirSync(dir, { mode: 0o700 });
  const remove = () => rmSync(dir, { recursive: true, force: true });
  if (getCurrentTest()) {
    make();
    onTestFinished(remove);
  } else {
    beforeAll(make);
    afterAll(remove);
  }
  return dir;
}
