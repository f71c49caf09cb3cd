/** `node:os` for the browser build: the few values the host reads (errno numbers for Linux bus errors). */
export const constants = {
  errno: { EIO: 5, ENXIO: 6, EAGAIN: 11, EBUSY: 16, ENODEV: 19, EINVAL: 22, ETIMEDOUT: 110, EREMOTEIO: 121, ENOENT: 2, EACCES: 13, EPERM: 1, EOPNOTSUPP: 95, ENOTTY: 25 } as Record<string, number>,
};
export const homedir = (): string => '/';
export const tmpdir = (): string => '/tmp';
export const cpus = (): { model: string }[] => [{ model: 'browser' }];
export default { constants, homedir, tmpdir, cpus };
