/** The WASI sandbox of one host: what a guest sees of the filesystem, environment and network. */
export interface WasiConfig {
  /** Guest path → host directory. Nothing else of the host filesystem is visible. */
  preopens: Record<string, string>;
  env: Record<string, string>;
  /** argv as the guest sees it; argv[0] is the component's name. */
  args: string[];
  /** Sockets and outgoing HTTP; off unless granted. */
  network: boolean;
}

/** An import object as jco's instantiate takes it: interface name → functions and resource classes. */
export type ImportObject = Record<string, Record<string, unknown>>;
