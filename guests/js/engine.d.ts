// What StarlingMonkey (the engine componentize-js builds on) gives every guest without an import:
// only what our guests use is declared. console.log writes a line to stdout, console.error to
// stderr (wasi:cli, the `stdio` feature).
declare const console: {
  log(...data: unknown[]): void;
  error(...data: unknown[]): void;
};
