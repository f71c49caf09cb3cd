/**
 * One app of a device, over all its instances: starts it in a worker of its own, restarts it on
 * the schedule of backoff.ts when it traps, hangs, exceeds a limit or exits non-zero, replaces its
 * component live, and keeps its state (app-state.ts). The other apps are not touched by any of it:
 * they share only the device's cameras and buses, which live on the main thread.
 *
 * An instance is prepared before it runs: its worker loads (transpiles, compiles) the component
 * and says `ready`; only then is it told to go. While an instance runs, the next one waits
 * prepared beside it (the standby, unless `standby` is off), so that a restart costs the backoff
 * and the guest's own start, not the loading of a worker and a component; without a standby a
 * restart prepares the next instance as soon as the failure is known and lets it go when the
 * backoff is over. A replacement prepares the new component while the old one still runs, and
 * swaps them only once it is ready (a component that cannot load leaves the old one running).
 */
import { timeLimitHit, LIMIT_STATUS } from '../limits.js';
import type { OutputSink } from '../../core/guest-exit.js';
import { emptyCounters, failureOf, type AppCounters, type AppFailure, type AppState, type AppStatus } from './app-state.js';
import { failuresInARow, restartDelayMs, type RestartSchedule } from './backoff.js';
import type { BusOwner } from './bus-owner.js';
import type { CameraPump } from './camera-pump.js';
import type { AppConfig } from './config.js';
import type { AppLauncher, AppWorkerHandle } from './launcher.js';
import type { AppEvent } from './protocol.js';
import { COUNTER, COUNTER_CELLS } from './shared-camera.js';

export interface SupervisorContext {
  launch: AppLauncher;
  cameras: ReadonlyMap<string, CameraPump>;
  buses: BusOwner;
  restart: RestartSchedule;
  cacheDir?: string;
  onState(state: AppState): void;
  stdout(app: string): OutputSink;
  stderr(app: string): OutputSink;
}

/** How often the watchdog looks at a running instance's frame counter, at most. */
const WATCHDOG_TICK_MS = 250;
/** Instance ids are unique within the process: a camera's wake list is keyed by them. */
let nextInstanceId = 1;

class Instance {
  readonly id = nextInstanceId++;
  readonly counters = new Int32Array(new SharedArrayBuffer(4 * COUNTER_CELLS));
  handle!: AppWorkerHandle;
  ready = false;
  goSent = false;
  startedAt: number | undefined;
  /** Set once its end was handled (a result, a failure, a replacement, the device stopping). */
  over = false;
  readonly timers: ReturnType<typeof setTimeout>[] = [];
  readonly cameras = new Set<string>();
  /** Resolves when it is ready to go; rejects when it ended first. */
  readonly whenReady: Promise<void>;
  resolveReady!: () => void;
  rejectReady!: (e: Error) => void;

  constructor(
    /** Which start of the app it is; provisional until it goes. */
    public number: number,
    readonly component: string,
  ) {
    this.whenReady = new Promise<void>((res, rej) => {
      this.resolveReady = res;
      this.rejectReady = rej;
    });
    // Nobody may wait for it (a restart): an unwaited rejection must not end the process.
    this.whenReady.catch(() => undefined);
  }
}

export class AppSupervisor {
  private status: AppStatus = 'starting';
  private component: string;
  private current: Instance | undefined;
  private starts = 0;
  private inARow = 0;
  private nextRestartMs: number | undefined;
  private lastError: AppFailure | undefined;
  private exitCode: number | undefined;
  private lastRestartMs: number | undefined;
  /** When the failure that the current instance restarts from was seen (for lastRestartMs). */
  private failedAt: number | undefined;
  private restartTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly totals: AppCounters = emptyCounters();
  private stopping = false;
  private readonly live = new Set<Instance>();
  /** The next instance of the current component, prepared while the current one runs. */
  private standby: Instance | undefined;
  /** Resolves once the app is stopped (exited 0, or the device stopped it). */
  readonly stopped: Promise<void>;
  private resolveStopped!: () => void;

  constructor(
    readonly app: AppConfig,
    private readonly ctx: SupervisorContext,
  ) {
    this.component = app.component;
    this.stopped = new Promise((res) => (this.resolveStopped = res));
  }

  start(): void {
    const instance = this.prepare(this.component);
    this.current = instance;
    void instance.whenReady.then(() => this.go(instance), () => undefined);
    this.publish();
  }

  state(): AppState {
    const counters = { ...this.totals, busTransactions: this.ctx.buses.transactions.get(this.app.name) ?? 0 };
    const c = this.current;
    if (c && !c.over) {
      counters.frames += Atomics.load(c.counters, COUNTER.frames);
      counters.lost += Atomics.load(c.counters, COUNTER.lost);
      counters.copies += Atomics.load(c.counters, COUNTER.copies);
    }
    return {
      app: this.app.name,
      status: this.status,
      component: this.component,
      instance: this.starts,
      counters,
      failuresInARow: this.inARow,
      ...(this.nextRestartMs !== undefined ? { nextRestartMs: this.nextRestartMs } : {}),
      ...(this.lastError ? { lastError: { ...this.lastError } } : {}),
      ...(this.exitCode !== undefined ? { exitCode: this.exitCode } : {}),
      ...(this.lastRestartMs !== undefined ? { lastRestartMs: this.lastRestartMs } : {}),
      standby: !this.standby || this.standby.over ? 'none' : this.standby.ready ? 'ready' : 'loading',
    };
  }

  /**
   * Swaps the app's component: the new one is loaded while the old one keeps running, then the
   * old instance is stopped and the new one goes. Rejects (and changes nothing) when the new
   * component cannot be loaded.
   */
  async replace(component: string): Promise<void> {
    if (this.stopping) throw new Error(`${this.app.name}: the device is stopping`);
    const next = this.prepare(component);
    try {
      await next.whenReady;
    } catch (e) {
      throw new Error(`${this.app.name}: ${component} cannot replace ${this.component}: ${(e as Error).message}`);
    }
    if (this.stopping) {
      this.retire(next);
      throw new Error(`${this.app.name}: the device is stopping`);
    }
    const old = this.current;
    if (old) this.retire(old);
    if (this.standby) this.retire(this.standby);
    this.standby = undefined;
    clearTimeout(this.restartTimer);
    this.nextRestartMs = undefined;
    this.component = component;
    this.totals.replacements++;
    this.inARow = 0;
    this.failedAt = undefined;
    this.exitCode = undefined;
    this.current = next;
    this.go(next);
  }

  /** Stops every instance; the app stays stopped. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    this.nextRestartMs = undefined;
    const all = [...this.live];
    for (const i of all) this.retire(i);
    this.standby = undefined;
    await Promise.all(all.map((i) => i.handle.terminate()));
    if (this.status !== 'stopped') this.setStatus('stopped');
    this.resolveStopped();
  }

  /** Starts a worker for `component`; it becomes ready or ends, nothing more, until `go`. */
  private prepare(component: string): Instance {
    const instance = new Instance(this.starts + 1, component);
    const { i2c, spi } = this.ctx.buses.grantsFor(this.app);
    const cameras = Object.fromEntries(this.app.cameras.map((c) => [c, this.ctx.cameras.get(c)!.grant]));
    const holds = this.app.frameHolds === 0 ? {} : Object.fromEntries(this.app.cameras.map((c) => [c, this.ctx.cameras.get(c)!.openHolds(instance.id, this.app.frameHolds)]));
    try {
      instance.handle = this.ctx.launch(
        {
          app: this.app.name, instance: instance.id, component, config: this.app.config, cameras, holds, i2c, spi,
          counters: instance.counters.buffer as SharedArrayBuffer, ...(this.ctx.cacheDir ? { cacheDir: this.ctx.cacheDir } : {}),
        },
        {
          event: (e) => this.onEvent(instance, e),
          call: (request) => this.ctx.buses.serve(this.app, request),
          exit: (why) => this.ended(instance, { kind: 'crash', message: why, instance: instance.number }),
        },
      );
    } catch (e) {
      for (const c of Object.keys(holds)) this.ctx.cameras.get(c)!.removeHolds(instance.id);
      throw e;
    }
    // Live only once it has a worker: a launch that throws (a configuration that cannot cross to a
    // worker) leaves nothing for stop() to terminate.
    this.live.add(instance);
    return instance;
  }

  private go(instance: Instance): void {
    if (instance.over || instance !== this.current || instance.goSent) return;
    instance.goSent = true;
    instance.number = ++this.starts;
    instance.handle.send({ type: 'go' });
    this.setStatus('starting');
    if (this.app.standby && !this.stopping) this.standby = this.prepare(this.component);
  }

  /** The prepared standby for `component` if there is a sound one, else a new instance. */
  private takeStandby(component: string): Instance {
    const s = this.standby;
    this.standby = undefined;
    if (s && !s.over && s.component === component) return s;
    if (s) this.retire(s);
    return this.prepare(component);
  }

  private onEvent(instance: Instance, e: AppEvent): void {
    if (instance.over) return;
    switch (e.type) {
      case 'ready':
        instance.ready = true;
        instance.resolveReady();
        return;
      case 'started':
        instance.startedAt = performance.now();
        this.armLimits(instance);
        this.nextRestartMs = undefined;
        this.setStatus('running');
        return;
      case 'attach': {
        const pump = this.ctx.cameras.get(e.camera);
        if (!pump) return;
        pump.attach(instance.id, new Int32Array(e.wake));
        instance.cameras.add(e.camera);
        return;
      }
      case 'first-frame':
        if (this.failedAt !== undefined && instance === this.current) {
          this.lastRestartMs = performance.now() - this.failedAt;
          this.failedAt = undefined;
          this.publish();
        }
        return;
      case 'stdout':
        this.ctx.stdout(this.app.name)(e.chunk);
        return;
      case 'stderr':
        this.ctx.stderr(this.app.name)(e.chunk);
        return;
      case 'done': {
        const failure = failureOf(e.result, instance.number);
        if (failure) this.ended(instance, failure);
        else this.exited(instance, e.result.code);
        return;
      }
      case 'failed':
        this.ended(instance, { kind: 'start', message: `${e.name}: ${e.message}`, instance: instance.number });
        return;
    }
  }

  /** The time limit (limits.timeoutMs) and the watchdog (watchdogMs) of a running instance. */
  private armLimits(instance: Instance): void {
    const limits = this.app.config.limits;
    if (limits.timeoutMs !== undefined) {
      instance.timers.push(setTimeout(() => {
        const hit = timeLimitHit(limits);
        this.ended(instance, { kind: 'limit', message: hit.message, code: LIMIT_STATUS.timeout, instance: instance.number });
      }, limits.timeoutMs));
    }
    const watchdog = this.app.watchdogMs;
    if (watchdog !== undefined) {
      let frames = Atomics.load(instance.counters, COUNTER.frames);
      let since = performance.now();
      const tick = () => {
        if (instance.over) return;
        const now = performance.now();
        const f = Atomics.load(instance.counters, COUNTER.frames);
        if (f !== frames) {
          frames = f;
          since = now;
        } else if (now - since >= watchdog) {
          this.ended(instance, { kind: 'hang', message: `no frame for ${watchdog} ms (watchdogMs): stopped`, instance: instance.number });
          return;
        }
        instance.timers.push(setTimeout(tick, Math.min(WATCHDOG_TICK_MS, watchdog / 4)));
      };
      instance.timers.push(setTimeout(tick, Math.min(WATCHDOG_TICK_MS, watchdog / 4)));
    }
  }

  /** Stops an instance and folds its counters into the app's; it reports nothing more. */
  private retire(instance: Instance): void {
    if (instance.over) return;
    instance.over = true;
    for (const t of instance.timers) clearTimeout(t);
    for (const c of instance.cameras) this.ctx.cameras.get(c)?.detach(instance.id);
    // Its frames go back to the rings now; its rows are forgotten once its thread is gone.
    const pumps = this.app.cameras.map((c) => this.ctx.cameras.get(c)!);
    for (const p of pumps) p.closeHolds(instance.id);
    if (instance.goSent) {
      this.totals.frames += Atomics.load(instance.counters, COUNTER.frames);
      this.totals.lost += Atomics.load(instance.counters, COUNTER.lost);
      this.totals.copies += Atomics.load(instance.counters, COUNTER.copies);
    }
    this.live.delete(instance);
    instance.rejectReady(new Error('it ended before it was ready'));
    const forget = () => {
      for (const p of pumps) p.removeHolds(instance.id);
    };
    void instance.handle.terminate().then(forget, forget);
  }

  private exited(instance: Instance, code: number): void {
    if (instance.over) return;
    const isCurrent = instance === this.current;
    this.retire(instance);
    if (!isCurrent || this.stopping) return;
    this.exitCode = code;
    if (this.standby) this.retire(this.standby);
    this.standby = undefined;
    this.setStatus('stopped');
    this.resolveStopped();
  }

  /** An instance failed: count it, and restart the app if it was the current one. */
  private ended(instance: Instance, failure: AppFailure): void {
    if (instance.over) return;
    // The current instance, running or still loading (a start or restart that cannot load fails too).
    const isCurrent = instance === this.current;
    const ranMs = instance.startedAt === undefined ? 0 : performance.now() - instance.startedAt;
    if (!instance.ready) instance.rejectReady(new Error(failure.message));
    this.retire(instance);
    if (!isCurrent || this.stopping) return;
    this.totals.failures++;
    if (failure.kind === 'trap') this.totals.traps++;
    if (failure.kind === 'limit') this.totals.limitHits++;
    if (failure.kind === 'hang') this.totals.hangs++;
    this.lastError = failure;
    this.failedAt = performance.now();
    this.inARow = failuresInARow(this.ctx.restart, this.inARow, ranMs);
    const delay = restartDelayMs(this.ctx.restart, this.inARow);
    this.nextRestartMs = delay;
    this.totals.restarts++;
    // The standby, or one prepared now: let go when the backoff is over (the wait and any loading overlap).
    const next = this.takeStandby(this.component);
    this.current = next;
    const due = performance.now() + delay;
    void next.whenReady.then(
      () => {
        const left = due - performance.now();
        if (left <= 0) this.go(next);
        else this.restartTimer = setTimeout(() => this.go(next), left);
      },
      () => undefined,
    );
    this.setStatus('restarting');
  }

  private setStatus(status: AppStatus): void {
    this.status = status;
    this.publish();
  }

  private publish(): void {
    this.ctx.onState(this.state());
  }
}
