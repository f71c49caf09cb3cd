/**
 * The version of every package this host provides. jco 1.12 reads import objects by the
 * unversioned name while its `.d.ts` names the versioned one (jco#708), so the host installs both.
 */
export const PACKAGE_VERSIONS: Readonly<Record<string, string>> = {
  'wasi:sensor': '',
  'wasi:buffer-pool': '',
  'wasi:i2c': '0.2.0-draft',
  'wasi:spi': '',
  'wasi:nn': '0.2.0-rc-2024-10-28',
  'wasi:vision': '0.1.0-draft',
  'wasi-edge:host': '0.1.0',
};

/** `wasi:i2c/i2c` → [`wasi:i2c/i2c`, `wasi:i2c/i2c@0.2.0-draft`]. */
export function importKeys(unversioned: string): string[] {
  const pkg = unversioned.split('/')[0] ?? unversioned;
  const version = PACKAGE_VERSIONS[pkg];
  return version ? [unversioned, `${unversioned}@${version}`] : [unversioned];
}
