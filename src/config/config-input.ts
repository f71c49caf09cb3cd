/**
 * The `config` section as a user writes it: the key → value pairs a guest reads through
 * wasi:config/store. Values are strings, as in the WIT (write `"0.75"`, not `0.75`); the guest
 * parses them. Docs: docs/cloud.md › wasi:config.
 */
export type ConfigStoreInput = Readonly<Record<string, string>>;
