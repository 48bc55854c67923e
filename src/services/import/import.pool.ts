import path from "node:path";
import { Worker } from "node:worker_threads";
import type { ImportConfig } from "../../config";
import { BadUserInputError, RateLimitedError } from "../../kernel/errors";
import type { Logger } from "../../kernel/logger";
import type { PackedStory } from "./import.transfer";
import { unpackStory } from "./import.transfer";
import type { ExtractedStory } from "./import.types";

/** What the pool posts to a worker: one story to read. */
export interface ToWorker {
  id: number;
  text: string;
}

/** What a worker posts back: that it is ready, or one story's reading (packed: see import.transfer.ts), refusal (bad input) or failure (a fault). */
export type FromWorker =
  | { ready: true }
  | { id: number; story: PackedStory }
  | { id: number; refused: { message: string; field: string | null } }
  | { id: number; failed: string };

interface Job {
  id: number;
  text: string;
  resolve(story: ExtractedStory): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job: Job | null;
  timer: NodeJS.Timeout | null;
}

/**
 * A worker's old generation: a story at the body limit takes some tens of MB to read, so this is
 * room to spare, and what a story that found a way to take more can hold before its worker is
 * stopped (and the story refused) instead of the process.
 */
const WORKER_HEAP_MB = 512;
/**
 * A worker's young generation: reading keeps much of what it makes until the end, so with the
 * default (semi-spaces of 16 MB) each of many scavenges of a story at the body limit copied it
 * again (see docs/importer.md for the figures).
 */
const WORKER_YOUNG_MB = 96;

/**
 * The worker threads that read imported stories. Reading (extractStory) is plain computation on
 * the text, which comes from outside: on the main thread a story slow to read would hold up every
 * other request. Here each story is read in a worker within a time budget; past it the worker is
 * stopped and replaced, and the story refused. A few stories may wait for a worker; past that,
 * more are refused RATE_LIMITED, so a burst of previews cannot pile up in memory. Workers start
 * when the first story comes (a server that imports nothing starts none).
 */
export class ImportPool {
  private readonly slots = new Set<Slot>();
  private readonly waiting: Job[] = [];
  private nextId = 0;
  private closed = false;

  constructor(
    private readonly config: ImportConfig,
    private readonly logger?: Logger,
  ) {}

  /**
   * extractStory(text), read in a worker. Rejects with extractStory's BadUserInputError, with a
   * BadUserInputError (field `text`) when the story takes longer than the time budget, and with
   * RateLimitedError when the workers are busy and the queue is full.
   */
  extract(text: string): Promise<ExtractedStory> {
    if (this.closed) return Promise.reject(new Error("The import pool is closed."));
    let busy = 0;
    for (const slot of this.slots) if (slot.job !== null) busy++;
    if (busy + this.waiting.length >= this.config.workers + this.config.maxQueued) {
      return Promise.reject(
        new RateLimitedError(
          `Too many stories are being read at once (${busy} being read, ${this.waiting.length} waiting; at most ${this.config.maxQueued} may wait, IMPORT_QUEUE): try again in a moment.`,
          Math.ceil(this.config.timeBudgetMs / 1000),
        ),
      );
    }
    return new Promise<ExtractedStory>((resolve, reject) => {
      this.waiting.push({ id: this.nextId++, text, resolve, reject });
      this.dispatch();
    });
  }

  /** Stops the workers; stories still waiting or being read are refused. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.waiting.splice(0)) job.reject(new Error("The import pool closed before the story was read."));
    const slots = [...this.slots];
    this.slots.clear();
    for (const slot of slots) {
      if (slot.timer) clearTimeout(slot.timer);
      slot.job?.reject(new Error("The import pool closed while the story was read."));
    }
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  /** Hands waiting stories to ready workers, and starts workers (up to the limit) for the rest. */
  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.waiting.length === 0) return;
      if (slot.ready && slot.job === null) this.run(slot, this.waiting.shift()!);
    }
    let starting = 0;
    for (const slot of this.slots) if (!slot.ready) starting++;
    while (this.waiting.length > starting && this.slots.size < this.config.workers) {
      this.start();
      starting++;
    }
  }

  private run(slot: Slot, job: Job): void {
    slot.job = job;
    slot.worker.ref();
    slot.worker.postMessage({ id: job.id, text: job.text } satisfies ToWorker);
    slot.timer = setTimeout(() => this.overrun(slot), this.config.timeBudgetMs);
  }

  /** The story took longer than the budget: its worker is stopped (a thread cannot be interrupted otherwise) and replaced. */
  private overrun(slot: Slot): void {
    const job = slot.job!;
    this.retire(slot);
    void slot.worker.terminate();
    this.logger?.warn({ chars: job.text.length, budgetMs: this.config.timeBudgetMs }, "import: a story took longer than its time budget to read; its worker was replaced");
    job.reject(
      new BadUserInputError(
        `The story took too long to read: the importer stops reading a story after ${this.config.timeBudgetMs} ms (IMPORT_TIME_BUDGET_MS), and this one (${job.text.length} characters) was not done. Nothing was stored.`,
        "text",
      ),
    );
    this.dispatch();
  }

  private answered(slot: Slot, answer: FromWorker): void {
    if ("ready" in answer) {
      slot.ready = true;
      this.dispatch();
      return;
    }
    const job = slot.job;
    if (!job || job.id !== answer.id) return;
    clearTimeout(slot.timer!);
    slot.timer = null;
    slot.job = null;
    slot.worker.unref();
    if ("story" in answer) job.resolve(unpackStory(answer.story));
    else if ("refused" in answer) job.reject(new BadUserInputError(answer.refused.message, answer.refused.field ?? undefined));
    else job.reject(new Error(`Reading a story failed in the import worker: ${answer.failed}`));
    this.dispatch();
  }

  /** A worker that failed or ended on its own: its story fails; one that never got ready fails the waiting ones too (a new one would fail alike). */
  private lost(slot: Slot, error: Error): void {
    if (!this.slots.has(slot)) return;
    const job = slot.job;
    this.retire(slot);
    job?.reject(error);
    if (!slot.ready) {
      for (const waiting of this.waiting.splice(0)) waiting.reject(error);
      return;
    }
    this.dispatch();
  }

  private retire(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
    this.slots.delete(slot);
  }

  private start(): void {
    const worker = startWorker();
    const slot: Slot = { worker, ready: false, job: null, timer: null };
    this.slots.add(slot);
    // An idle worker does not keep the process alive; one reading a story does (see run).
    worker.unref();
    worker.on("message", (answer: FromWorker) => this.answered(slot, answer));
    worker.on("error", (error) => this.lost(slot, new Error(`The import worker failed: ${error.message}`, { cause: error })));
    worker.on("exit", (code) => this.lost(slot, new Error(`The import worker ended (exit code ${code}) while reading a story.`)));
  }
}

/**
 * A worker on this module's sibling entry: the compiled JavaScript, or, run from the TypeScript
 * sources (under ts-jest, or `node -r tests/helpers/ts-register.js`), the .ts entry behind a
 * loader that transpiles it, since a worker thread gets none of the module hooks of the thread
 * that starts it.
 */
function startWorker(): Worker {
  const extension = path.extname(__filename);
  const entry = path.join(__dirname, `import.worker${extension}`);
  const resourceLimits = { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: WORKER_YOUNG_MB };
  if (extension !== ".ts") return new Worker(entry, { resourceLimits });
  return new Worker(TYPESCRIPT_LOADER, { eval: true, workerData: { entry }, resourceLimits });
}

/**
 * Transpiles each .ts file on its own with the project's tsconfig (as ts-jest does) and keeps the
 * output in the system's temporary folder, by the file's text, the tsconfig's and the compiler's
 * version, so the next worker does not transpile it again (transpiling the importer's files took
 * over a second, at every worker start).
 */
const TYPESCRIPT_LOADER = String.raw`
const crypto = require("node:crypto");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { threadId, workerData } = require("node:worker_threads");
let root = path.dirname(workerData.entry);
while (!fs.existsSync(path.join(root, "tsconfig.json"))) root = path.dirname(root);
const tsconfig = fs.readFileSync(path.join(root, "tsconfig.json"), "utf8");
const version = require(require.resolve("typescript/package.json", { paths: [root] })).version;
const cache = path.join(os.tmpdir(), "newsroom-import-worker");
let compile;
require.extensions[".ts"] = (module, filename) => {
  const source = fs.readFileSync(filename, "utf8");
  const file = path.join(cache, crypto.createHash("sha1").update([version, tsconfig, filename, source].join("\0")).digest("hex") + ".js");
  let code;
  try {
    code = fs.readFileSync(file, "utf8");
  } catch {
    if (!compile) {
      const ts = require(require.resolve("typescript", { paths: [root] }));
      const parsed = ts.parseJsonConfigFileContent(ts.parseConfigFileTextToJson("tsconfig.json", tsconfig).config, ts.sys, root);
      const compilerOptions = { ...parsed.options, module: ts.ModuleKind.CommonJS, sourceMap: false, inlineSourceMap: true };
      compile = (text, fileName) => ts.transpileModule(text, { compilerOptions, fileName }).outputText;
    }
    code = compile(source, filename);
    fs.mkdirSync(cache, { recursive: true });
    const partial = file + "." + process.pid + "." + threadId;
    fs.writeFileSync(partial, code);
    fs.renameSync(partial, file);
  }
  module._compile(code, filename);
};
require(workerData.entry);
`;
