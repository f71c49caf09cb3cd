// Run by test/runtimes/run.mjs under each runtime: every trap of trap-modules.mjs through the built
// describeTrap; prints [kind, thrown, named, expected] rows as JSON.
import { describeTrap } from '../../dist/host/runner.js';
import { runTraps } from './trap-modules.mjs';

console.log(JSON.stringify(runTraps(describeTrap)));
